package pairing_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// swRule returns the 1+N rule of one village as the actor sees it.
func (w *svcWorld) swRule(a *counsel.Actor, village string) counsel.PairingRule {
	w.T.Helper()
	rules, err := w.Pn.PairingRules(w.Ctx, a, counsel.ParentOf(village))
	if err != nil {
		w.T.Fatalf("pairing rules: %v", err)
	}
	for _, r := range rules {
		if r.VillageCode == village {
			return r
		}
	}
	w.T.Fatalf("pairing rules: no row for %s", village)
	return counsel.PairingRule{}
}

func TestPairingRule(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Judicial // 山河镇 runs its villages' 1+N
		w.Agreement(w.ZNBureau, w.ZA2, testworld.Xiguan, counsel.AgreementFiled)
		c1 := w.Person(a, testworld.Xiguan, "村支书甲", "党支部书记", "13900000031")
		c2 := w.Person(a, testworld.Xiguan, "主任乙", "村委会主任", "13900000032")
		c3 := w.Person(a, testworld.Xiguan, "委员丙", "村委委员", "13900000033")
		n1 := w.Person(a, testworld.Xiguan, "网格员丁", "网格员", "13900000034")
		if !c1.Committee || n1.Committee {
			t.Fatalf("committee flags: got %v and %v, want true for 党支部书记 and false for 网格员", c1.Committee, n1.Committee)
		}
		q1 := w.Pairing(a, w.ZA2, c1)
		w.Pairing(a, w.ZA2, c2)
		w.Pairing(a, w.ZA2, n1)

		type want struct {
			committee, total int
			met, overdue     bool
		}
		check := func(step string, wt want) {
			t.Helper()
			r := w.swRule(a, testworld.Xiguan)
			if r.Committee != wt.committee || r.Total != wt.total || r.Met != wt.met || r.Overdue != wt.overdue || r.Min != 3 {
				t.Errorf("%s: got committee %d total %d met %v overdue %v min %d, want %d %d %v %v 3",
					step, r.Committee, r.Total, r.Met, r.Overdue, r.Min, wt.committee, wt.total, wt.met, wt.overdue)
			}
		}
		// The default deadline (2024-06-30) has passed in 2026.
		check("2 两委 persons and a 网格员", want{2, 3, false, true})
		w.Pairing(a, w.ZA2, c3)
		check("3 两委 persons", want{3, 4, true, false})

		// Dismissing a paired person ends its pairing and it no longer counts.
		c1.Status, c1.StatusOn, c1.Reason = counsel.PersonDismissed, "2026-06-01", "工作变动"
		if err := w.Pn.SavePerson(w.Ctx, a, c1); err != nil {
			t.Fatalf("dismiss: %v", err)
		}
		check("after dismissing one", want{2, 3, false, true})
		q, _, err := w.Pn.Pairing(w.Ctx, a, q1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if q.EndedOn != "2026-06-01" {
			t.Errorf("pairing of the dismissed person: got ended_on %q, want 2026-06-01", q.EndedOn)
		}
		cur, err := w.Pn.Pairings(w.Ctx, a, counsel.Filter{Status: "current", Region: testworld.Xiguan, Page: counsel.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(cur.Items, func(x counsel.Pairing) int64 { return x.ID }); ids[q1.ID] || len(ids) != 3 {
			t.Errorf("current pairings of 西关村: got %v, want 3 without the dismissed person's %d", ids, q1.ID)
		}
		// A dismissed person cannot be paired again.
		err = w.Pn.SavePairing(w.Ctx, a, &counsel.Pairing{AdvisorID: w.ZA2.ID, PersonID: c1.ID, PairedOn: "2026-06-10"})
		testworld.WantField(t, "pair a dismissed person", err, "person_id", "err.person_inactive")
		// A person pairs only with the village's own advisor.
		c4 := w.Person(a, testworld.Xiguan, "委员戊", "村委委员", "13900000035")
		err = w.Pn.SavePairing(w.Ctx, a, &counsel.Pairing{AdvisorID: w.ZA1.ID, PersonID: c4.ID, PairedOn: "2026-06-10"})
		testworld.WantField(t, "pair with another village's advisor", err, "advisor_id", "err.not_village_advisor")
		// The same pair twice is a conflict.
		err = w.Pn.SavePairing(w.Ctx, a, &counsel.Pairing{AdvisorID: w.ZA2.ID, PersonID: c3.ID, PairedOn: "2026-06-10"})
		testworld.WantCode(t, "pair the same person twice", err, counsel.CodeConflict)
		w.Pairing(a, w.ZA2, c4)
		check("a new 两委 member paired", want{3, 4, true, false})

		// The county's settings move the minimum and the deadline.
		set := counsel.DefaultSettings()
		set.PairingMin, set.PairingDeadline = 4, "2026-12-31"
		if err := w.Svc.SaveSettings(w.Ctx, w.ZNBureau, testworld.ZN, set); err != nil {
			t.Fatal(err)
		}
		r := w.swRule(a, testworld.Xiguan)
		if r.Met || r.Overdue || r.Min != 4 || r.Deadline != "2026-12-31" {
			t.Errorf("rule with min 4 by 2026-12-31: got met %v overdue %v min %d deadline %s, want false false 4 2026-12-31", r.Met, r.Overdue, r.Min, r.Deadline)
		}
		// A village without pairings is counted with zeros.
		if r := w.swRule(a, testworld.Caiyu); r.Total != 0 || r.Met {
			t.Errorf("蔡峪村 without pairings: got %+v, want zero and not met", r)
		}
	})
}

func TestPersonStatusRules(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Village
		p := *w.PZ3
		p.Status = counsel.PersonRemoved
		err := w.Pn.SavePerson(w.Ctx, a, &p)
		testworld.WantField(t, "remove without date and reason", err, "status_on", "err.date")
		if testworld.Field(err, "reason") == nil {
			t.Errorf("remove without a reason: got %v, want a field error on reason", err)
		}
		p.StatusOn, p.Reason = "2026-06-02", "考核不合格"
		if err := w.Pn.SavePerson(w.Ctx, a, &p); err != nil {
			t.Fatalf("remove with date and reason: got %v, want nil", err)
		}
		// Back to active clears the date and the reason.
		p.Status = counsel.PersonActive
		if err := w.Pn.SavePerson(w.Ctx, a, &p); err != nil {
			t.Fatal(err)
		}
		got, err := w.Pn.Person(w.Ctx, a, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != counsel.PersonActive || got.StatusOn != "" || got.Reason != "" {
			t.Errorf("reactivated person: got status %q on %q reason %q, want active with no date or reason", got.Status, got.StatusOn, got.Reason)
		}
		// Two persons of one village with the same name and phone are one person.
		dup := &counsel.Person{VillageCode: testworld.Dongguan, Name: w.PZ1.Name, Position: "网格员", Phone: w.PZ1.Phone}
		testworld.WantCode(t, "duplicate person", w.Pn.SavePerson(w.Ctx, a, dup), counsel.CodeConflict)
	})
}
