package ledger_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/testworld"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/policy"
)

func (w *svcWorld) lgNoDrift() {
	w.T.Helper()
	diffs, err := w.Lg.Recount(w.Ctx, true)
	if err != nil {
		w.T.Fatalf("recount: %v", err)
	}
	if len(diffs) > 0 {
		w.T.Fatalf("kept counters differ from a recount of raw rows:\n%s", strings.Join(diffs, "\n"))
	}
}

// TestLedgerZhengningQuarter is the seed's hand-worked example: 7.5 on-site
// hours in a quarter under the Zhengning preset is missed; 8 is met.
func TestLedgerZhengningQuarter(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-04-10", 180))
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-05-12", 180))
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-03", 90))
		// Phone and lecture entries do not count toward on-site hours.
		ph := testworld.OnsiteEntry("2026-06-04", 120)
		ph.Mode = policy.ModePhone
		w.Record(w.Advisor, ph)

		w.Now = time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC)
		duties, err := w.Lg.Duties(w.Ctx, w.Judicial, ledger.ComplianceFilter{State: ledger.CompMissed})
		if err != nil {
			t.Fatal(err)
		}
		var q2 *ledger.Duty
		for i, d := range duties.Items {
			if d.RuleID == "onsite_hours_quarter" && d.Period.Start == "2026-04-01" {
				q2 = &duties.Items[i]
			}
		}
		if q2 == nil {
			t.Fatalf("Q2 on-site duty not listed as missed: %+v", duties.Items)
		}
		if q2.Minutes != 450 || q2.State != policy.StateMissed || !strings.Contains(q2.Reason, "7.5/8 小时") {
			t.Fatalf("Q2 status = %s %d min %q, want missed 450 min 7.5/8 小时", q2.State, q2.Minutes, q2.Reason)
		}
		// The county's totals: saving the rules on 06-15 created the rows of
		// every period since the agreements began (2026-01-01) for the
		// county's two served villages, so four quarters have ended by
		// 07-02 (Q1 and Q2 of each), none met.
		c, err := ledger.RegionCompliance(w.Ctx, w.DB, testworld.ZN, "2026-01-01", "2026-12-31", "2026-07-02")
		if err != nil {
			t.Fatal(err)
		}
		if c.ClosedAll != 4 || c.ClosedMet != 0 {
			t.Fatalf("county compliance = %+v, want 4 closed obligations, 0 met", c)
		}
		// Half an hour more in the quarter (recorded late) meets it.
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-30", 30))
		c, _ = ledger.RegionCompliance(w.Ctx, w.DB, testworld.ZN, "2026-01-01", "2026-12-31", "2026-07-02")
		if c.ClosedAll != 4 || c.ClosedMet != 1 {
			t.Fatalf("after 8 h: county compliance = %+v, want 1 of 4 met", c)
		}
		for _, code := range []string{testworld.Dongguan, testworld.Shanhe, testworld.ZN, testworld.ZNCity, "620000000000"} {
			rows, err := ledger.RegionStats(w.Ctx, w.DB, code, "2026-04", "2026-06")
			if err != nil {
				t.Fatal(err)
			}
			var n, onsite int64
			for _, r := range rows {
				n += r.Entries
				onsite += r.OnsiteMinutes
			}
			if n != 5 || onsite != 480 {
				t.Fatalf("%s: %d entries, %d on-site minutes; want 5 and 480", code, n, onsite)
			}
		}
		w.lgNoDrift()
	})
}

func TestLedgerRecordRules(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.Counts()
		// Bad input: every problem by field, nothing written.
		bad := &counsel.Entry{VillageCode: testworld.Dongguan, Kind: "karaoke", Mode: "pigeon", Date: "2026-13-01", StartTime: "25:00", Minutes: 0}
		_, err := w.Lg.RecordEntry(w.Ctx, w.Advisor, bad)
		for _, f := range []string{"kind", "mode", "date", "start_time", "minutes", "content"} {
			if testworld.Field(err, f) == nil {
				t.Fatalf("no error on %s: %v", f, err)
			}
		}
		// A future date.
		_, err = w.Lg.RecordEntry(w.Ctx, w.Advisor, testworld.OnsiteEntry("2026-06-16", 60))
		testworld.WantField(t, "future date", err, "date", "ledger.err_future")
		// A village the advisor does not serve.
		e := testworld.OnsiteEntry("2026-06-01", 60)
		e.VillageCode = testworld.Xiguan
		_, err = w.Lg.RecordEntry(w.Ctx, w.Advisor, e)
		testworld.WantField(t, "unserved village", err, "village_code", "ledger.err_no_agreement")
		// Roles that do not record.
		for _, a := range []*counsel.Actor{w.Village, w.Judicial, w.ZNBureau, w.Provider} {
			_, err = w.Lg.RecordEntry(w.Ctx, a, testworld.OnsiteEntry("2026-06-01", 60))
			testworld.WantCode(t, a.Username+" records", err, counsel.CodeForbidden)
		}
		w.SameCounts("refused entries", before, w.Counts())

		// A retried submission with the same client key records once.
		k := testworld.OnsiteEntry("2026-06-01", 60)
		k.ClientKey = "draft-123"
		first := w.Record(w.Advisor, k)
		k2 := testworld.OnsiteEntry("2026-06-01", 60)
		k2.ClientKey = "draft-123"
		again := w.Record(w.Advisor, k2)
		if again.ID != first.ID {
			t.Fatalf("retry made entry %d, first was %d", again.ID, first.ID)
		}
		// Scopes: another county sees nothing; the village its own.
		if _, err := w.Lg.Entry(w.Ctx, w.JHBureau, first.ID); testworld.Code(err) != counsel.CodeNotFound {
			t.Fatalf("other county reads entry: %v", err)
		}
		for _, a := range []*counsel.Actor{w.Village, w.Judicial, w.ZNBureau, w.City, w.Provider, w.Advisor} {
			l, err := w.Lg.Entries(w.Ctx, a, ledger.EntryFilter{})
			if err != nil || l.Total != 1 {
				t.Fatalf("%s lists %d entries (%v), want 1", a.Username, l.Total, err)
			}
		}
		if l, _ := w.Lg.Entries(w.Ctx, w.JHBureau, ledger.EntryFilter{}); l.Total != 0 {
			t.Fatalf("other county lists %d entries", l.Total)
		}
	})
}

func TestLedgerReviewAndAmend(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		a := w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-01", 240))
		b := w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-02", 240))
		// Only the village's committee reviews.
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Judicial, a.ID, counsel.EntryConfirmed, ""); testworld.Code(err) != counsel.CodeForbidden {
			t.Fatalf("judicial office confirmed: %v", err)
		}
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Village, a.ID, counsel.EntryDisputed, ""); testworld.Field(err, "note") == nil {
			t.Fatalf("dispute without a note: %v", err)
		}
		got, err := w.Lg.ReviewEntry(w.Ctx, w.Village, a.ID, counsel.EntryConfirmed, "")
		if err != nil || got.Status != counsel.EntryConfirmed {
			t.Fatalf("confirm: %v %+v", err, got)
		}
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Village, a.ID, counsel.EntryDisputed, "不对"); testworld.Code(err) != counsel.CodeConflict {
			t.Fatalf("a confirmed entry was reviewed again: %v", err)
		}
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Village, b.ID, counsel.EntryDisputed, "当天律师未到村"); err != nil {
			t.Fatal(err)
		}
		w.lgNoDrift()
		// The disputed entry no longer counts: 240 of 480 minutes.
		duties, err := w.Lg.DueNow(w.Ctx, w.Advisor, 0)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range duties {
			if d.RuleID == "onsite_hours_quarter" {
				found = true
				if d.Minutes != 240 || d.State != policy.StateDue {
					t.Fatalf("on-site this quarter = %d min %s, want 240 due", d.Minutes, d.State)
				}
			}
		}
		if !found {
			t.Fatal("the advisor's due list lacks the on-site rule")
		}
		// The advisor amends the disputed entry; both stay visible.
		fix := testworld.OnsiteEntry("2026-06-02", 120)
		fix.AmendsID = b.ID
		fix.Content = "更正：当天下午到村值班2小时"
		c := w.Record(w.Advisor, fix)
		old, _ := w.Lg.Entry(w.Ctx, w.Advisor, b.ID)
		if old.AmendedBy != c.ID || old.Content != b.Content {
			t.Fatalf("amended entry = %+v", old)
		}
		again := testworld.OnsiteEntry("2026-06-02", 60)
		again.AmendsID = b.ID
		if _, err := w.Lg.RecordEntry(w.Ctx, w.Advisor, again); testworld.Field(err, "amends_id") == nil {
			t.Fatalf("amended twice: %v", err)
		}
		// Amending a confirmed entry replaces its count.
		fa := testworld.OnsiteEntry("2026-06-01", 200)
		fa.AmendsID = a.ID
		w.Record(w.Advisor, fa)
		w.lgNoDrift()
		if res, err := w.Lg.VerifyLedger(w.Ctx, nil, ""); err != nil || len(res.Problems) != 0 || res.Entries != 4 {
			t.Fatalf("verify = %+v, %v", res, err)
		}
	})
}

// TestLedgerTamper edits, deletes and reorders rows with raw SQL; verify
// names the first bad entry of the village.
func TestLedgerTamper(t *testing.T) {
	cases := []struct {
		name, sql string
		seq       int64
		kind      string
	}{
		{"edit", `UPDATE entries SET minutes = 600 WHERE village_code = '` + testworld.Dongguan + `' AND seq = 3`, 3, "edited"},
		{"delete", `DELETE FROM entries WHERE village_code = '` + testworld.Dongguan + `' AND seq = 2`, 2, "deleted"},
		{"delete last", `DELETE FROM entries WHERE village_code = '` + testworld.Dongguan + `' AND seq = 5`, 5, "deleted"},
		{"reorder", `UPDATE entries SET seq = CASE seq WHEN 2 THEN 4 ELSE 2 END WHERE village_code = '` + testworld.Dongguan + `' AND seq IN (2, 4)`, 2, "reordered"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			swEngines(t, func(t *testing.T, w *svcWorld) {
				for i := 1; i <= 5; i++ {
					w.Record(w.Advisor, testworld.OnsiteEntry(fmt.Sprintf("2026-06-%02d", i), 60))
				}
				if res, _ := w.Lg.VerifyLedger(w.Ctx, nil, ""); len(res.Problems) != 0 {
					t.Fatalf("clean chain reported %+v", res.Problems)
				}
				if tc.name == "reorder" {
					// Unique (village, seq): move one out of the way first.
					if err := w.DB.ExecRaw(w.Ctx, `UPDATE entries SET seq = 99 WHERE village_code = ? AND seq = 2`, testworld.Dongguan); err != nil {
						t.Fatal(err)
					}
					if err := w.DB.ExecRaw(w.Ctx, `UPDATE entries SET seq = 2 WHERE village_code = ? AND seq = 4`, testworld.Dongguan); err != nil {
						t.Fatal(err)
					}
					if err := w.DB.ExecRaw(w.Ctx, `UPDATE entries SET seq = 4 WHERE village_code = ? AND seq = 99`, testworld.Dongguan); err != nil {
						t.Fatal(err)
					}
				} else if err := w.DB.ExecRaw(w.Ctx, tc.sql); err != nil {
					t.Fatal(err)
				}
				res, err := w.Lg.VerifyLedger(w.Ctx, nil, "")
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Problems) != 1 || res.Problems[0].Seq != tc.seq || res.Problems[0].Kind != tc.kind || res.Problems[0].Village != testworld.Dongguan {
					t.Fatalf("problems = %+v, want %s at seq %d", res.Problems, tc.kind, tc.seq)
				}
			})
		})
	}
}

// TestLedgerTamperAppend adds an entry with raw SQL after a village's last
// one, with a correct link and hash: it is not in the village's recorded
// head, so verify names it.
func TestLedgerTamperAppend(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		var last *counsel.Entry
		for i := 1; i <= 3; i++ {
			last = w.Record(w.Advisor, testworld.OnsiteEntry(fmt.Sprintf("2026-06-%02d", i), 60))
		}
		f := *last
		f.Seq, f.PrevHash, f.Minutes, f.ClientKey = last.Seq+1, last.Hash, 480, ""
		f.Hash = f.ChainHash()
		err := w.DB.ExecRaw(w.Ctx, `INSERT INTO entries (village_code, seq, advisor_id, provider_id, agreement_id, kind, mode, service_date,
			start_time, minutes, place, served, content, created_by, created_at, prev_hash, hash, status)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, f.VillageCode, f.Seq, f.AdvisorID, f.ProviderID, f.AgreementID, f.Kind, f.Mode,
			f.Date, f.StartTime, f.Minutes, f.Place, f.Served, f.Content, f.CreatedBy, f.CreatedAt, f.PrevHash, f.Hash, counsel.EntryPending)
		if err != nil {
			t.Fatal(err)
		}
		res, err := w.Lg.VerifyLedger(w.Ctx, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 1 || res.Problems[0].Kind != "head" || res.Problems[0].Seq != 4 || res.Problems[0].Village != testworld.Dongguan {
			t.Fatalf("problems = %+v, want head at seq 4", res.Problems)
		}
		// The head row deleted: named too.
		if err := w.DB.ExecRaw(w.Ctx, `DELETE FROM chain_heads WHERE village_code = ?`, testworld.Dongguan); err != nil {
			t.Fatal(err)
		}
		if res, err = w.Lg.VerifyLedger(w.Ctx, nil, ""); err != nil || len(res.Problems) != 1 || res.Problems[0].Kind != "head" {
			t.Fatalf("head deleted: %+v, %v; want a head problem", res, err)
		}
	})
}

// TestLedgerReviewTamper changes the village's confirmations with raw SQL:
// each review is sealed in the village's review chain, so verify names the
// review that was changed, forged or removed.
func TestLedgerReviewTamper(t *testing.T) {
	q := func(set string, seq int) string {
		return fmt.Sprintf(`UPDATE entries SET %s WHERE village_code = '%s' AND seq = %d`, set, testworld.Dongguan, seq)
	}
	reset := `status = 'pending', review_note = '', reviewed_by = 0, reviewed_at = 0, review_seq = 0, review_hash = ''`
	cases := []struct {
		name, sql string
		seq       int64 // entry named (0: the end of the review chain)
		kind      string
	}{
		{"dispute turned into confirmation", q(`status = 'confirmed'`, 2), 2, "review_edited"},
		{"dispute note edited", q(`review_note = '已核实'`, 2), 2, "review_edited"},
		{"pending entry confirmed without review", q(`status = 'confirmed', reviewed_at = 1`, 4), 4, "review_edited"},
		{"review reset to pending", q(reset, 3), 5, "review_deleted"},
		{"last review reset to pending", q(reset, 5), 0, "review_deleted"},
		{"confirmation forged past the review head", q(`status = 'confirmed', review_seq = 1000000, review_hash = 'x'`, 4), 4, "review_edited"},
		{"reviews swapped", `UPDATE entries SET review_seq = 5 - review_seq WHERE village_code = '` + testworld.Dongguan + `' AND seq IN (1, 5)`, 5, "review_edited"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			swEngines(t, func(t *testing.T, w *svcWorld) {
				var es []*counsel.Entry
				for i := 1; i <= 5; i++ {
					es = append(es, w.Record(w.Advisor, testworld.OnsiteEntry(fmt.Sprintf("2026-06-%02d", i), 60)))
				}
				// Reviews 1..4: confirm 1, dispute 2, confirm 3, confirm 5.
				for _, r := range []struct {
					i            int
					status, note string
				}{{0, counsel.EntryConfirmed, ""}, {1, counsel.EntryDisputed, "当天律师未到村"}, {2, counsel.EntryConfirmed, ""}, {4, counsel.EntryConfirmed, ""}} {
					got, err := w.Lg.ReviewEntry(w.Ctx, w.Village, es[r.i].ID, r.status, r.note)
					if err != nil {
						t.Fatal(err)
					}
					if got.ReviewHash == "" || got.ReviewSeq == 0 {
						t.Fatalf("review of entry %d not sealed: %+v", r.i+1, got)
					}
				}
				res, err := w.Lg.VerifyLedger(w.Ctx, nil, "")
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Problems) != 0 || res.Reviews != 4 || res.Entries != 5 {
					t.Fatalf("clean ledger: %d entries, %d reviews, problems %+v; want 5, 4, none", res.Entries, res.Reviews, res.Problems)
				}
				if err := w.DB.ExecRaw(w.Ctx, tc.sql); err != nil {
					t.Fatal(err)
				}
				res, err = w.Lg.VerifyLedger(w.Ctx, nil, "")
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Problems) != 1 || res.Problems[0].Kind != tc.kind || res.Problems[0].Seq != tc.seq || res.Problems[0].Village != testworld.Dongguan {
					t.Fatalf("problems = %+v, want %s at seq %d", res.Problems, tc.kind, tc.seq)
				}
			})
		})
	}
}

// TestLedgerGroupCommit records concurrently: every call succeeds once,
// the chain is gapless and the counters match a recount.
func TestLedgerGroupCommit(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		const n = 64
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				e := testworld.OnsiteEntry(fmt.Sprintf("2026-%02d-%02d", 1+i%6, 1+i%14), 30+i)
				if i%5 == 0 {
					e.Date = "2027-01-01" // in the future: refused, must not disturb the others
				}
				_, err := w.Lg.RecordEntry(w.Ctx, w.Advisor, e)
				if i%5 == 0 {
					if err == nil {
						err = fmt.Errorf("entry %d in the future was accepted", i)
					} else {
						err = nil
					}
				}
				errs <- err
			}(i)
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		res, err := w.Lg.VerifyLedger(w.Ctx, nil, "")
		if err != nil || len(res.Problems) != 0 || res.Entries != n-(n+4)/5 {
			t.Fatalf("verify = %+v, %v", res, err)
		}
		w.lgNoDrift()
	})
}

// TestLedgerSameDraftTwice submits one draft from several tabs at once: one
// entry is recorded and every submission gets it back, while other entries
// in the same group commit are unaffected.
func TestLedgerSameDraftTwice(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		var wg sync.WaitGroup
		ids := make([]int64, 16)
		errs := make([]error, 16)
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				e := testworld.OnsiteEntry("2026-06-01", 60+i)
				if i%2 == 0 {
					e.ClientKey = "same-draft"
				}
				got, err := w.Lg.RecordEntry(w.Ctx, w.Advisor, e)
				errs[i] = err
				if got != nil {
					ids[i] = got.ID
				}
			}(i)
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("submission %d: %v", i, err)
			}
		}
		for i := 2; i < 16; i += 2 {
			if ids[i] != ids[0] {
				t.Fatalf("draft submissions got entries %d and %d", ids[0], ids[i])
			}
		}
		res, err := w.Lg.VerifyLedger(w.Ctx, nil, "")
		if err != nil || len(res.Problems) != 0 || res.Entries != 9 {
			t.Fatalf("verify = %+v, %v; want 9 entries (8 distinct + 1 draft)", res, err)
		}
		w.lgNoDrift()
	})
}

// TestLedgerCountyKinds: a county adds a kind of service; its advisors may
// record it, another county's may not, and only a county bureau adds kinds.
func TestLedgerCountyKinds(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if _, err := w.Lg.AddLedgerKind(w.Ctx, w.Judicial, testworld.ZN, "法律体检", ""); testworld.Code(err) != counsel.CodeForbidden {
			t.Fatalf("judicial office added a kind: %v", err)
		}
		if _, err := w.Lg.AddLedgerKind(w.Ctx, w.ZNBureau, testworld.ZN, "", ""); testworld.Field(err, "name") == nil {
			t.Fatalf("empty name accepted: %v", err)
		}
		k, err := w.Lg.AddLedgerKind(w.Ctx, w.ZNBureau, testworld.ZN, "法律体检", "Legal check-up")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Lg.AddLedgerKind(w.Ctx, w.ZNBureau, testworld.ZN, "法律体检", ""); testworld.Field(err, "name") == nil {
			t.Fatalf("duplicate kind accepted: %v", err)
		}
		e := testworld.OnsiteEntry("2026-06-01", 60)
		e.Kind = k.Code
		got := w.Record(w.Advisor, e)
		if w.Lg.KindName(w.Ctx, got.Kind, "zh") != "法律体检" || w.Lg.KindName(w.Ctx, got.Kind, "en") != "Legal check-up" {
			t.Fatalf("kind name of %s = %q", got.Kind, w.Lg.KindName(w.Ctx, got.Kind, "zh"))
		}
		j := &counsel.Entry{VillageCode: testworld.Tiancheng, Kind: k.Code, Mode: policy.ModeOnsite, Date: "2026-06-01", Minutes: 60, Content: "x"}
		ja := &counsel.Actor{Username: "t-jh-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}
		if _, err := w.Lg.RecordEntry(w.Ctx, ja, j); testworld.Field(err, "kind") == nil {
			t.Fatalf("another county's kind accepted: %v", err)
		}
	})
}

// TestLedgerDailyReminders runs the daily job: the advisor hears of the
// quarter's unmet on-site hours (due soon, then missed) and the judicial
// office of the miss, the village of entries awaiting it; a second run adds
// nothing.
func TestLedgerDailyReminders(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		mk := func(name, role string, adv int64, region string) int64 {
			u := &counsel.User{Username: name, DisplayName: name, Role: role, AdvisorID: adv, RegionCode: region}
			if err := account.NewService(w.Svc).CreateUser(w.Ctx, counsel.System, u, "Long-enough-pw1"); err != nil {
				t.Fatal(err)
			}
			return u.ID
		}
		advUser := mk("t-adv", counsel.RoleAdvisor, w.ZA1.ID, "")
		judUser := mk("t-jud", counsel.RoleJudicial, 0, testworld.Shanhe)
		vilUser := mk("t-vil", counsel.RoleVillage, 0, testworld.Dongguan)
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-01", 120))
		// 2026-06-29: the quarter ends within 3 days with 2 of 8 hours.
		w.Now = time.Date(2026, 6, 29, 9, 0, 0, 0, time.UTC)
		rep, err := w.Lg.RunDaily(w.Ctx, w.Now)
		if err != nil {
			t.Fatal(err)
		}
		if rep.DueSoon == 0 || rep.Awaiting != 1 {
			t.Fatalf("daily report %+v, want due-soon reminders and one village awaiting", rep)
		}
		has := func(uid int64, kind, text string) bool {
			ns, err := notify.NotificationsOf(w.Ctx, w.DB, uid, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range ns {
				if n.Kind == kind && strings.Contains(n.Title, text) {
					return true
				}
			}
			return false
		}
		if !has(advUser, "due_soon", "2/8 小时") || !has(vilUser, "awaiting_confirmation", "1 条") {
			t.Fatal("advisor not told of the due hours, or village not told of the waiting entry")
		}
		// 2026-07-02: the quarter ended unmet.
		w.Now = time.Date(2026, 7, 2, 9, 0, 0, 0, time.UTC)
		if _, err := w.Lg.RunDaily(w.Ctx, w.Now); err != nil {
			t.Fatal(err)
		}
		if !has(advUser, "overdue", "2/8 小时") || !has(judUser, "overdue", "2/8 小时") {
			t.Fatal("advisor or judicial office not told of the missed quarter")
		}
		before := w.Counts()
		if _, err := w.Lg.RunDaily(w.Ctx, w.Now); err != nil {
			t.Fatal(err)
		}
		w.SameCounts("second daily run", before, w.Counts())
	})
}

// TestLedgerPolicyChangeRecounts: when a county changes its rules, the
// obligations already counted follow at once — no `ledger recount` needed.
func TestLedgerPolicyChangeRecounts(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-04-10", 180))
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-05-12", 180))
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-06-03", 90)) // 7.5 h in Q2
		q2 := func() *ledger.Duty {
			t.Helper()
			duties, err := w.Lg.Duties(w.Ctx, w.Judicial, ledger.ComplianceFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range duties.Items {
				if d.Village == testworld.Dongguan && d.RuleID == "onsite_hours_quarter" && d.Period.Start == "2026-04-01" {
					return &duties.Items[i]
				}
			}
			t.Fatalf("no Q2 on-site duty for 东关村 in %+v", duties.Items)
			return nil
		}
		if d := q2(); d.State == policy.StateMet {
			t.Fatalf("Q2 under 8 h: %s %q, want not met", d.State, d.Reason)
		}
		// The county lowers the quarter to 6 hours and drops the lecture rule.
		p := policy.Zhengning()
		p.Rules[0].MinTotalMinutes = 6 * 60
		p.Rules[1].Disabled = true
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, p); err != nil {
			t.Fatal(err)
		}
		if d := q2(); d.State != policy.StateMet || d.Minutes != 450 || !strings.Contains(d.Reason, "7.5/6 小时") {
			t.Fatalf("Q2 after the change: %s %d min %q, want met 450 min 7.5/6 小时", d.State, d.Minutes, d.Reason)
		}
		duties, err := w.Lg.Duties(w.Ctx, w.Judicial, ledger.ComplianceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range duties.Items {
			if d.RuleID == "lecture_publicity_year" {
				t.Fatalf("a dropped rule is still listed: %+v", d)
			}
		}
		w.lgNoDrift()
	})
}

// A city's or province's rules are counted again in the background: the
// save returns at once and the counters follow shortly after.
func TestLedgerPolicyChangeCityBackground(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-04-10", 180))
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-05-12", 300)) // 8 h in Q2: met
		p := policy.Zhengning()
		p.Rules[0].ID = "onsite_hours_quarter_city" // a second, stricter rule from the city
		p.Rules[0].Name = "到村服务（市级）"                // of its own name: a lower rule of the same name would replace it
		p.Rules[0].MinTotalMinutes = 10 * 60
		p.Rules = p.Rules[:1]
		if err := w.Lg.SavePolicy(w.Ctx, w.Admin, testworld.ZNCity, p); err != nil {
			t.Fatal(err)
		}
		w.Svc.WaitBackground()
		w.lgNoDrift()
		c, err := ledger.RegionCompliance(w.Ctx, w.DB, testworld.ZN, "2026-04-01", "2026-06-30", "2026-07-02")
		if err != nil {
			t.Fatal(err)
		}
		// Q2 for the two served villages under two quarter rules: 4 rows,
		// of which only 东关村's 8-hour rule is met.
		if c.ClosedAll != 4 || c.ClosedMet != 1 {
			t.Fatalf("Q2 after the city's rule: %+v, want 4 closed, 1 met", c)
		}
	})
}
