package volume_test

import (
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/internal/volume"
)

// vmMatter is a mediation matter at 东关村 (advisor za1's village).
func vmMatter() *counsel.Matter {
	return &counsel.Matter{VillageCode: testworld.Dongguan, Title: "张某与李某宅基地纠纷", Category: policy.KindMediation,
		Parties: "张某；李某", Summary: "两户因宅基地边界发生争执", OpenedOn: "2026-05-10"}
}

// vmLastAudit is the newest audit entry.
func (w *svcWorld) vmLastAudit() counsel.AuditEntry {
	w.T.Helper()
	l, err := account.NewService(w.Svc).Audit(w.Ctx, w.Admin, counsel.Filter{Page: counsel.Page{Limit: 1}})
	if err != nil || len(l.Items) == 0 {
		w.T.Fatalf("audit: %v", err)
	}
	return l.Items[0]
}

func TestVolumeMatters(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.Counts()
		// Bad input: every problem by field, nothing written.
		bad := &counsel.Matter{VillageCode: testworld.Dongguan, Title: strings.Repeat("题", volume.MaxMatterTitle+1), Category: "karaoke", OpenedOn: "2026-06-16", Status: "lost"}
		err := w.vol.SaveMatter(w.Ctx, w.Advisor, bad)
		for field, key := range map[string]string{"title": "err.too_long", "category": "err.choice", "opened_on": "volume.err_future", "status": "err.choice"} {
			testworld.WantField(t, "bad matter "+field, err, field, key)
		}
		m := vmMatter()
		m.Title = ""
		testworld.WantField(t, "no title", w.vol.SaveMatter(w.Ctx, w.Advisor, m), "title", "err.required")
		// A village the advisor does not serve.
		m = vmMatter()
		m.VillageCode = testworld.Xiguan
		testworld.WantField(t, "unserved village", w.vol.SaveMatter(w.Ctx, w.Advisor, m), "village_code", "volume.err_no_agreement")
		// Closing at once needs the outcome.
		m = vmMatter()
		m.Status = counsel.MatterClosed
		testworld.WantField(t, "closed without outcome", w.vol.SaveMatter(w.Ctx, w.Advisor, m), "outcome", "matter.err_outcome")
		// The administrator must name the advisor.
		testworld.WantField(t, "admin without advisor", w.vol.SaveMatter(w.Ctx, w.Admin, vmMatter()), "advisor_id", "err.required")
		// Roles that do not open matters.
		for _, a := range []*counsel.Actor{w.Village, w.Judicial, w.ZNBureau, w.City, w.Provider, w.JHBureau} {
			testworld.WantCode(t, a.Username+" opens a matter", w.vol.SaveMatter(w.Ctx, a, vmMatter()), counsel.CodeForbidden)
		}
		w.SameCounts("refused matters", before, w.Counts())

		m = vmMatter()
		m.AdvisorID = w.ZA2.ID // ignored: an advisor files as itself
		if err := w.vol.SaveMatter(w.Ctx, w.Advisor, m); err != nil {
			t.Fatalf("open matter: %v", err)
		}
		if m.ID == 0 || m.AdvisorID != w.ZA1.ID || m.Status != counsel.MatterOpen || m.VillageName == "" || m.AdvisorName != "王伟" {
			t.Fatalf("opened matter = %+v", m)
		}
		if au := w.vmLastAudit(); au.Action != "create" || au.Entity != "matter" || au.Scope != testworld.Dongguan {
			t.Fatalf("audit of the new matter: %+v", au)
		}
		// An entry filed under the matter.
		e := testworld.OnsiteEntry("2026-05-11", 90)
		e.Kind, e.MatterID = policy.KindMediation, m.ID
		w.Record(w.Advisor, e)
		got, err := w.vol.Matter(w.Ctx, w.Judicial, m.ID)
		if err != nil || got.Entries != 1 {
			t.Fatalf("matter as judicial office: %+v, %v; want 1 entry", got, err)
		}

		// Scopes: who reads it, who lists it.
		for _, a := range []*counsel.Actor{w.Admin, w.ZNBureau, w.City, w.Judicial, w.Village, w.Provider, w.Advisor} {
			if _, err := w.vol.Matter(w.Ctx, a, m.ID); err != nil {
				t.Errorf("%s reads the matter: %v", a.Username, err)
			}
			l, err := w.vol.Matters(w.Ctx, a, ledger.EntryFilter{})
			if err != nil || l.Total != 1 {
				t.Errorf("%s lists %d matters (%v), want 1", a.Username, l.Total, err)
			}
		}
		other := &counsel.Actor{Username: "t-za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}
		xiguan := &counsel.Actor{Username: "t-xiguan", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}
		jhProvider := &counsel.Actor{Username: "t-jh-provider", Role: counsel.RoleProvider, ProviderID: w.JP1.ID}
		for _, a := range []*counsel.Actor{w.JHBureau, other, xiguan, jhProvider} {
			testworld.WantCode(t, a.Username+" reads the matter", func() error { _, err := w.vol.Matter(w.Ctx, a, m.ID); return err }(), counsel.CodeNotFound)
			l, err := w.vol.Matters(w.Ctx, a, ledger.EntryFilter{})
			if err != nil || l.Total != 0 {
				t.Errorf("%s lists %d matters (%v), want 0", a.Username, l.Total, err)
			}
		}
		if l, _ := w.vol.Matters(w.Ctx, w.ZNBureau, ledger.EntryFilter{Status: counsel.MatterClosed}); l.Total != 0 {
			t.Errorf("closed matters: %d, want 0", l.Total)
		}

		// Changes: only its advisor (or the administrator); others refused, nothing written.
		before = w.Counts()
		upd := *m
		upd.Title = "改名"
		testworld.WantCode(t, "judicial office edits", w.vol.SaveMatter(w.Ctx, w.Judicial, &upd), counsel.CodeForbidden)
		testworld.WantCode(t, "village edits", w.vol.SaveMatter(w.Ctx, w.Village, &upd), counsel.CodeForbidden)
		testworld.WantCode(t, "other county edits", w.vol.SaveMatter(w.Ctx, w.JHBureau, &upd), counsel.CodeNotFound)
		testworld.WantCode(t, "other advisor edits", w.vol.SaveMatter(w.Ctx, other, &upd), counsel.CodeNotFound)
		upd.Status = counsel.MatterClosed
		testworld.WantField(t, "close without outcome", w.vol.SaveMatter(w.Ctx, w.Advisor, &upd), "outcome", "matter.err_outcome")
		upd.Outcome, upd.ClosedOn = "调解成功", "2026-05-01"
		testworld.WantField(t, "closed before opened", w.vol.SaveMatter(w.Ctx, w.Advisor, &upd), "closed_on", "matter.err_closed_before")
		w.SameCounts("refused matter changes", before, w.Counts())

		// Close: the village and advisor cannot be moved; closing date defaults to today.
		upd = *m
		upd.VillageCode, upd.AdvisorID = testworld.Xiguan, w.ZA2.ID
		upd.Status, upd.Outcome = counsel.MatterClosed, "双方达成调解协议"
		if err := w.vol.SaveMatter(w.Ctx, w.Advisor, &upd); err != nil {
			t.Fatalf("close: %v", err)
		}
		if upd.VillageCode != testworld.Dongguan || upd.AdvisorID != w.ZA1.ID || upd.Status != counsel.MatterClosed || upd.ClosedOn != "2026-06-15" || upd.Entries != 1 {
			t.Fatalf("closed matter = %+v", upd)
		}
		if au := w.vmLastAudit(); au.Action != "close" || !strings.Contains(au.Before, `"open"`) || !strings.Contains(au.After, "双方达成调解协议") {
			t.Fatalf("audit of closing: %+v", au)
		}
		if l, _ := w.vol.Matters(w.Ctx, w.ZNBureau, ledger.EntryFilter{Status: counsel.MatterClosed}); l.Total != 1 {
			t.Errorf("closed matters: %d, want 1", l.Total)
		}
		// Reopen by the administrator.
		re := upd
		re.Status = counsel.MatterOpen
		if err := w.vol.SaveMatter(w.Ctx, w.Admin, &re); err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if re.ClosedOn != "" || re.Outcome == "" || w.vmLastAudit().Action != "reopen" {
			t.Fatalf("reopened matter = %+v", re)
		}
	})
}

// vmPlan is za1's 2026 service plan for 东关村.
func vmPlan() *counsel.Document {
	return &counsel.Document{Kind: counsel.DocPlan, VillageCode: testworld.Dongguan, Year: 2026, Body: "一、每周驻点值班一次。\n二、每季度开展村务法律审查。"}
}

func TestVolumeDocuments(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.Counts()
		bad := &counsel.Document{Kind: "diary", VillageCode: "621025", Year: 1999, Title: strings.Repeat("文", volume.MaxDocTitle+1)}
		err := w.vol.SaveDocument(w.Ctx, w.Advisor, bad)
		for field, key := range map[string]string{"kind": "err.choice", "village_code": "err.need_village", "year": "err.range", "title": "err.too_long", "body": "err.required"} {
			testworld.WantField(t, "bad document "+field, err, field, key)
		}
		// A report for a year not yet over; a plan two years ahead.
		rep := vmPlan()
		rep.Kind, rep.Year = counsel.DocImprovement, 2027
		testworld.WantField(t, "next year's report", w.vol.SaveDocument(w.Ctx, w.Advisor, rep), "year", "err.range")
		p := vmPlan()
		p.Year = 2028
		testworld.WantField(t, "plan two years ahead", w.vol.SaveDocument(w.Ctx, w.Advisor, p), "year", "err.range")
		// A year the advisor had no agreement for, a village it never served.
		p = vmPlan()
		p.Year = 2025
		testworld.WantField(t, "year not served", w.vol.SaveDocument(w.Ctx, w.Advisor, p), "village_code", "volume.err_no_agreement_year")
		p = vmPlan()
		p.VillageCode = testworld.Xiguan
		testworld.WantField(t, "village not served", w.vol.SaveDocument(w.Ctx, w.Advisor, p), "village_code", "volume.err_no_agreement_year")
		for _, a := range []*counsel.Actor{w.Village, w.Judicial, w.ZNBureau, w.Provider} {
			testworld.WantCode(t, a.Username+" files a plan", w.vol.SaveDocument(w.Ctx, a, vmPlan()), counsel.CodeForbidden)
		}
		w.SameCounts("refused documents", before, w.Counts())

		p = vmPlan()
		if err := w.vol.SaveDocument(w.Ctx, w.Advisor, p); err != nil {
			t.Fatalf("file plan: %v", err)
		}
		if p.ID == 0 || p.AdvisorID != w.ZA1.ID || p.Title != "东关村委会2026年度法律顾问服务计划" || p.AdvisorName != "王伟" {
			t.Fatalf("filed plan = %+v", p)
		}
		if au := w.vmLastAudit(); au.Action != "create" || au.Entity != "document" {
			t.Fatalf("audit of the plan: %+v", au)
		}
		// Filing again replaces it.
		p2 := vmPlan()
		p2.Title, p2.Body = "2026年服务计划（修订）", "修订后的计划"
		if err := w.vol.SaveDocument(w.Ctx, w.Advisor, p2); err != nil {
			t.Fatal(err)
		}
		if p2.ID != p.ID || p2.Body != "修订后的计划" {
			t.Fatalf("replaced plan = %+v, first id %d", p2, p.ID)
		}
		if au := w.vmLastAudit(); au.Action != "update" || !strings.Contains(au.Before, "东关村委会2026年度") {
			t.Fatalf("audit of the replacement: %+v", au)
		}
		// The administrator files for an advisor.
		r := vmPlan()
		r.Kind, r.AdvisorID = counsel.DocImprovement, w.ZA1.ID
		if err := w.vol.SaveDocument(w.Ctx, w.Admin, r); err != nil {
			t.Fatalf("admin files report: %v", err)
		}
		if c := w.Counts()["documents"]; c != 2 {
			t.Fatalf("documents: %d rows, want 2", c)
		}
		for _, a := range []*counsel.Actor{w.Admin, w.ZNBureau, w.City, w.Judicial, w.Village, w.Provider, w.Advisor} {
			if _, err := w.vol.Document(w.Ctx, a, p.ID); err != nil {
				t.Errorf("%s reads the plan: %v", a.Username, err)
			}
		}
		other := &counsel.Actor{Username: "t-za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}
		for _, a := range []*counsel.Actor{w.JHBureau, other, {Username: "t-xiguan", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}} {
			_, err := w.vol.Document(w.Ctx, a, p.ID)
			testworld.WantCode(t, a.Username+" reads the plan", err, counsel.CodeNotFound)
		}
		if d, err := w.vol.DocumentFor(w.Ctx, w.Advisor, w.ZA1.ID, testworld.Dongguan, counsel.DocPlan, 2026); err != nil || d == nil || d.ID != p.ID {
			t.Fatalf("DocumentFor = %+v, %v", d, err)
		}
		if d, _ := w.vol.DocumentFor(w.Ctx, other, w.ZA1.ID, testworld.Dongguan, counsel.DocPlan, 2026); d != nil {
			t.Fatalf("another advisor finds the plan")
		}
	})
}

func TestVolumeVillage(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Record(w.Advisor, testworld.OnsiteEntry("2026-03-02", 120))
		b := w.Record(w.Advisor, testworld.OnsiteEntry("2026-04-06", 60))
		lec := testworld.OnsiteEntry("2026-04-20", 90)
		lec.Kind, lec.Attendees = policy.KindLecture, 40
		c := w.Record(w.Advisor, lec)
		ph := testworld.OnsiteEntry("2026-05-08", 30)
		ph.Kind, ph.Mode = policy.KindConsultation, policy.ModePhone
		d := w.Record(w.Advisor, ph)
		// b is amended by fix; d is disputed by the village; a is confirmed.
		fix := testworld.OnsiteEntry("2026-04-06", 180)
		fix.AmendsID = b.ID
		fx := w.Record(w.Advisor, fix)
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Village, a.ID, counsel.EntryConfirmed, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Lg.ReviewEntry(w.Ctx, w.Village, d.ID, counsel.EntryDisputed, "当天未接到电话"); err != nil {
			t.Fatal(err)
		}
		// A back-dated January entry: last in the chain, outside the period.
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-01-05", 60))
		m := vmMatter()
		if err := w.vol.SaveMatter(w.Ctx, w.Advisor, m); err != nil {
			t.Fatal(err)
		}
		p := vmPlan()
		if err := w.vol.SaveDocument(w.Ctx, w.Advisor, p); err != nil {
			t.Fatal(err)
		}

		v, err := w.vol.Volume(w.Ctx, w.Village, testworld.Dongguan, "2026-02-01", "2026-06-30")
		if err != nil {
			t.Fatalf("volume as village: %v", err)
		}
		if v.Village.Code != testworld.Dongguan || len(v.Path) < 4 || v.Path[len(v.Path)-1].Code != testworld.Shanhe || v.Narrowed {
			t.Fatalf("volume head: %+v path %+v", v.Village, v.Path)
		}
		var ids []int64
		for _, e := range v.Entries {
			ids = append(ids, e.ID)
		}
		// Chain order (seq), the January entry outside the period.
		want := []int64{a.ID, b.ID, c.ID, d.ID, fx.ID}
		if len(ids) != len(want) {
			t.Fatalf("entries %v, want %v", ids, want)
		}
		for i := range want {
			if ids[i] != want[i] || (i > 0 && v.Entries[i].Seq <= v.Entries[i-1].Seq) {
				t.Fatalf("entries %v, want %v in chain order", ids, want)
			}
		}
		if v.Entries[1].AmendedBy != fx.ID || v.Entries[4].AmendsID != b.ID {
			t.Fatalf("amendment not marked: %+v / %+v", v.Entries[1], v.Entries[4])
		}
		tt := v.Totals
		if tt.Entries != 5 || tt.Counted != 3 || tt.Amended != 1 || tt.Amending != 1 || tt.Disputed != 1 || tt.Confirmed != 1 || tt.Pending != 3 {
			t.Fatalf("totals = %+v", tt)
		}
		if tt.Minutes != 120+90+180 || tt.OnsiteMinutes != 390 {
			t.Fatalf("minutes = %d on site %d, want 390 and 390", tt.Minutes, tt.OnsiteMinutes)
		}
		if len(tt.ByKind) != 2 || tt.ByKind[0].Kind != policy.KindOnsiteDuty || tt.ByKind[0].Entries != 2 || tt.ByKind[0].Minutes != 300 ||
			tt.ByKind[1].Kind != policy.KindLecture || tt.ByKind[1].Entries != 1 {
			t.Fatalf("by kind = %+v", tt.ByKind)
		}
		if len(v.Matters) != 1 || len(v.Documents) != 1 || len(v.Agreements) != 1 || len(v.Advisors) != 1 || v.Advisors[0].Name != "王伟" ||
			v.Advisors[0].From != "2026-02-01" || v.Advisors[0].To != "2026-06-30" {
			t.Fatalf("volume parts: matters %d documents %d agreements %d advisors %+v", len(v.Matters), len(v.Documents), len(v.Agreements), v.Advisors)
		}
		// The first quarter: the matter opened after it, two entries.
		if v2, err := w.vol.Volume(w.Ctx, w.ZNBureau, testworld.Dongguan, "2026-01-01", "2026-03-31"); err != nil || len(v2.Matters) != 0 || len(v2.Entries) != 2 {
			t.Fatalf("Q1 volume: %d matters, %d entries (%v); want 0 and 2", len(v2.Matters), len(v2.Entries), err)
		}

		// Scopes.
		for _, a := range []*counsel.Actor{w.Admin, w.ZNBureau, w.City, w.Judicial, w.Provider, w.Advisor} {
			v, err := w.vol.Volume(w.Ctx, a, testworld.Dongguan, "", "")
			if err != nil || len(v.Entries) != 6 || v.From != "2026-01-01" || v.To != "2026-12-31" {
				t.Errorf("%s: volume of the year: %v, %+v", a.Username, err, v)
			}
			if (a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleProvider) != v.Narrowed {
				t.Errorf("%s: narrowed = %v", a.Username, v.Narrowed)
			}
		}
		other := &counsel.Actor{Username: "t-za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}
		zp2 := &counsel.Actor{Username: "t-zp2", Role: counsel.RoleProvider, ProviderID: w.ZP2.ID}
		xiguan := &counsel.Actor{Username: "t-xiguan", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}
		yulin := &counsel.Actor{Username: "t-yulin", Role: counsel.RoleJudicial, RegionCode: testworld.Yulinzi}
		for _, a := range []*counsel.Actor{w.JHBureau, other, zp2, xiguan, yulin} {
			_, err := w.vol.Volume(w.Ctx, a, testworld.Dongguan, "", "")
			testworld.WantCode(t, a.Username+" reads 东关村's volume", err, counsel.CodeNotFound)
		}
		for _, code := range []string{testworld.Shanhe, "12345", "621025100299"} {
			_, err := w.vol.Volume(w.Ctx, w.Admin, code, "", "")
			testworld.WantCode(t, "volume of "+code, err, counsel.CodeNotFound)
		}
		// Bad periods.
		_, err = w.vol.Volume(w.Ctx, w.ZNBureau, testworld.Dongguan, "2026-02-30", "x")
		testworld.WantField(t, "bad from", err, "from", "err.date")
		testworld.WantField(t, "bad to", err, "to", "err.date")
		_, err = w.vol.Volume(w.Ctx, w.ZNBureau, testworld.Dongguan, "2026-06-01", "2026-05-01")
		testworld.WantField(t, "to before from", err, "to", "err.end_before_start")
		_, err = w.vol.Volume(w.Ctx, w.ZNBureau, testworld.Dongguan, "June", "")
		if testworld.WantField(t, "bad from alone", err, "from", "err.date"); testworld.Field(err, "to") != nil {
			t.Errorf("an empty end is not an error: %v", err)
		}
		if v, err := w.vol.Volume(w.Ctx, w.ZNBureau, testworld.Dongguan, "2025-03-01", ""); err != nil || v.To != "2025-12-31" {
			t.Errorf("period from 2025-03-01: %v, %v; want to the end of 2025", v, err)
		}
		// Someone else's entry in the village: a provider sees only its own.
		w.Agreement(counsel.System, w.ZA3, testworld.Dongguan, counsel.AgreementSigned)
		za3 := &counsel.Actor{Username: "t-za3", Role: counsel.RoleAdvisor, AdvisorID: w.ZA3.ID}
		w.Record(za3, testworld.OnsiteEntry("2026-06-01", 60))
		if v, _ := w.vol.Volume(w.Ctx, w.Provider, testworld.Dongguan, "", ""); len(v.Entries) != 6 || len(v.Agreements) != 1 {
			t.Errorf("provider's narrowed volume: %d entries, %d agreements; want 6 and 1", len(v.Entries), len(v.Agreements))
		}
		if v, _ := w.vol.Volume(w.Ctx, w.Judicial, testworld.Dongguan, "", ""); len(v.Entries) != 7 || len(v.Advisors) != 2 {
			t.Errorf("judicial office's volume: %d entries, %d advisors; want 7 and 2", len(v.Entries), len(v.Advisors))
		}
	})
}

func TestVolumeProvider(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		// zp1: za1 at 东关村 (山河镇); za2 gets 蔡峪村 (山河镇) and 小寺头村 (榆林子镇, beside za3's).
		w.Agreement(counsel.System, w.ZA2, testworld.Caiyu, counsel.AgreementFiled)
		w.Agreement(counsel.System, w.ZA2, testworld.Xiaositou, counsel.AgreementFiled)
		za2 := &counsel.Actor{Username: "t-za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}
		za3 := &counsel.Actor{Username: "t-za3", Role: counsel.RoleAdvisor, AdvisorID: w.ZA3.ID}
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-03-02", 120))
		e := testworld.OnsiteEntry("2026-03-03", 60)
		e.VillageCode = testworld.Xiaositou
		w.Record(za2, e)
		e = testworld.OnsiteEntry("2026-03-04", 45)
		e.VillageCode = testworld.Xiaositou
		w.Record(za3, e) // another provider's
		if err := w.vol.SaveDocument(w.Ctx, za2, &counsel.Document{Kind: counsel.DocPlan, VillageCode: testworld.Caiyu, Year: 2026, Body: "计划"}); err != nil {
			t.Fatal(err)
		}

		pv, err := w.vol.ProviderVolume(w.Ctx, w.Provider, w.ZP1.ID, "", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range pv.Sections {
			got = append(got, s.Village.Code+":"+s.Village.Name+":"+s.TownName)
		}
		want := []string{testworld.Dongguan + ":东关村委会:山河镇", testworld.Caiyu + ":蔡峪村委会:山河镇", testworld.Xiaositou + ":小寺头村委会:榆林子镇"}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("sections %v, want %v", got, want)
		}
		if pv.Totals.Entries != 2 || len(pv.Agreements) != 3 || len(pv.Sections[1].Documents) != 1 || len(pv.Sections[1].Entries) != 0 ||
			len(pv.Sections[2].Entries) != 1 || pv.Sections[2].Entries[0].AdvisorID != w.ZA2.ID {
			t.Fatalf("provider volume: %+v", pv)
		}
		// The judicial office of 山河镇 sees the provider's work in its town only.
		pv, err = w.vol.ProviderVolume(w.Ctx, w.Judicial, w.ZP1.ID, "", "")
		if err != nil || len(pv.Sections) != 2 || pv.Totals.Entries != 1 || pv.Scope != testworld.Shanhe {
			t.Fatalf("judicial office's provider volume: %v, %+v", err, pv)
		}
		// An advisor of the provider sees its own work.
		pv, err = w.vol.ProviderVolume(w.Ctx, za2, w.ZP1.ID, "", "")
		if err != nil || len(pv.Sections) != 2 || pv.Totals.Entries != 1 || !pv.Narrowed {
			t.Fatalf("advisor's provider volume: %v, %+v", err, pv)
		}
		for _, a := range []*counsel.Actor{w.Admin, w.ZNBureau, w.City} {
			if pv, err := w.vol.ProviderVolume(w.Ctx, a, w.ZP1.ID, "2026-03-03", "2026-03-31"); err != nil || pv.Totals.Entries != 1 || len(pv.Sections) != 3 {
				t.Errorf("%s: provider volume of March 3–31: %v, %+v", a.Username, err, pv)
			}
		}
		for _, a := range []*counsel.Actor{w.JHBureau, w.Village, za3, {Username: "t-zp2", Role: counsel.RoleProvider, ProviderID: w.ZP2.ID}} {
			_, err := w.vol.ProviderVolume(w.Ctx, a, w.ZP1.ID, "", "")
			testworld.WantCode(t, a.Username+" reads zp1's volume", err, counsel.CodeNotFound)
		}
		_, err = w.vol.ProviderVolume(w.Ctx, w.Provider, w.ZP1.ID, "2026-13-01", "")
		testworld.WantField(t, "bad period", err, "from", "err.date")
	})
}
