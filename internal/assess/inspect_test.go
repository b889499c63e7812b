package assess_test

import (
	"fmt"
	"reflect"
	"sort"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/assess"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// The draw is reproducible: the same seed and population give the same
// villages, whatever order the population is listed in; another seed gives
// another sample.
func TestDrawReproducible(t *testing.T) {
	pop := append([]string(nil), testworld.ShanheVillages...)
	a := assess.Draw("2026年12月3日局务会记录第7号", pop, 4)
	if len(a) != 4 || !sort.StringsAreSorted(a) {
		t.Fatalf("draw %v: want 4 villages in code order", a)
	}
	rev := make([]string, len(pop))
	for i, c := range pop {
		rev[len(pop)-1-i] = c
	}
	if b := assess.Draw("2026年12月3日局务会记录第7号", append(rev, rev[0]), 4); !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, population reordered and with a duplicate: %v, want %v", b, a)
	}
	if c := assess.Draw("2026年12月3日局务会记录第8号", pop, 4); reflect.DeepEqual(a, c) {
		t.Errorf("another seed drew the same villages %v", c)
	}
	// Over many seeds every village gets drawn sometimes (no village is
	// favoured by its code).
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		for _, v := range assess.Draw(fmt.Sprint("seed-", i), pop, 2) {
			seen[v] = true
		}
	}
	if len(seen) != len(pop) {
		t.Errorf("200 draws reached %d of %d villages", len(seen), len(pop))
	}
	if got := assess.Draw("x", pop[:3], 10); len(got) != 3 {
		t.Errorf("sample larger than the population: %v", got)
	}
}

func TestInspectionFlow(t *testing.T) {
	engines(t, func(t *testing.T, w *world) {
		ctx := w.Ctx
		// Serve more villages of 山河镇 so that the draw has a choice.
		for _, v := range testworld.ShanheVillages[:6] {
			if v != testworld.Dongguan {
				w.Agreement(counsel.System, w.ZA2, v, counsel.AgreementSigned)
			}
		}
		in := assess.InspectionInput{RegionCode: testworld.Shanhe, Kind: assess.InspectRandom, Title: "山河镇随机抽查", Seed: "局务会2026-12", SampleSize: 3, PlannedOn: "2026-06-20"}
		_, err := w.as.PlanInspection(ctx, w.JHBureau, in)
		testworld.WantOutOfScope(t, "other county", err, "region_code")
		bad := in
		bad.Seed = "x"
		_, err = w.as.PlanInspection(ctx, w.Judicial, bad)
		testworld.WantField(t, "short seed", err, "seed", "as.err.seed")
		plan, err := w.as.PlanInspection(ctx, w.Judicial, in)
		if err != nil {
			t.Fatal(err)
		}
		var drawn []string
		for _, v := range plan.Visits {
			drawn = append(drawn, v.VillageCode)
		}
		pop := []string{testworld.Dongguan}
		for _, v := range testworld.ShanheVillages[:6] {
			if v != testworld.Dongguan {
				pop = append(pop, v)
			}
		}
		if want := assess.Draw(in.Seed, pop, 3); !reflect.DeepEqual(drawn, want) || !plan.Reproduced {
			t.Fatalf("drawn %v (reproduced %v), want %v from the seed", drawn, plan.Reproduced, want)
		}
		// The same seed planned again draws the same villages.
		again, err := w.as.PlanInspection(ctx, w.ZNBureau, in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range again.Visits {
			if again.Visits[i].VillageCode != drawn[i] {
				t.Errorf("second plan with the same seed drew %s, want %s", again.Visits[i].VillageCode, drawn[i])
			}
		}

		visit := plan.Visits[0]
		list := map[string]string{"board": "ok", "on_duty": "problem", "ledger_match": "ok", "wechat_active": "na", "residents_know": "ok"}
		testworld.WantField(t, "problem without a note", w.as.RecordFindings(ctx, w.Judicial, visit.ID, list, ""), "note", "as.err.note_needed")
		testworld.WantField(t, "missing check", w.as.RecordFindings(ctx, w.Judicial, visit.ID, map[string]string{"board": "ok"}, "x"), "check.on_duty", "as.err.check")
		_, err = w.as.OrderRectification(ctx, w.Judicial, visit.ID, "驻点时间不在岗", "2026-07-15")
		testworld.WantField(t, "order before findings", err, "issue", "as.err.visit_first")
		testworld.WantCode(t, "village committee records findings", w.as.RecordFindings(ctx, w.Village, visit.ID, list, "周三上午未见法律顾问"), counsel.CodeNotFound)
		if err := w.as.RecordFindings(ctx, w.Judicial, visit.ID, list, "周三上午未见法律顾问"); err != nil {
			t.Fatal(err)
		}
		// The finding counts on the advisor's sheet.
		f, _, err := w.as.Facts(ctx, testworld.ZN, visit.AdvisorID, 2026, "2026-12-31")
		if err != nil || len(f.Findings) != 1 || fmt.Sprint(f.Findings[0].Problems) != "[on_duty]" {
			t.Errorf("advisor's findings: %+v %v", f.Findings, err)
		}
		_, err = w.as.OrderRectification(ctx, w.Judicial, visit.ID, "驻点时间不在岗", "2026-06-01")
		testworld.WantField(t, "deadline in the past", err, "due_on", "as.err.due_past")
		o, err := w.as.OrderRectification(ctx, w.Judicial, visit.ID, "按公示时间驻点值班", "2026-07-15")
		if err != nil {
			t.Fatal(err)
		}
		// The advisor's firm sees the order; another firm does not.
		adv := w.ZA1
		if visit.AdvisorID != adv.ID {
			adv = w.ZA2
		}
		firm := &counsel.Actor{Role: counsel.RoleProvider, ProviderID: adv.ProviderID}
		os, err := w.as.Rectifications(ctx, firm)
		if err != nil || len(os) != 1 || os[0].ID != o.ID || os[0].Overdue {
			t.Fatalf("firm's orders: %+v %v", os, err)
		}
		other := &counsel.Actor{Role: counsel.RoleProvider, ProviderID: w.ZP2.ID}
		if os, _ := w.as.Rectifications(ctx, other); len(os) != 0 {
			t.Errorf("another firm sees %d orders", len(os))
		}
		testworld.WantCode(t, "another firm closes", w.as.CloseRectification(ctx, other, o.ID, "已整改"), counsel.CodeNotFound)
		w.Now = w.Now.AddDate(0, 1, 10)
		if os, _ := w.as.Rectifications(ctx, firm); !os[0].Overdue {
			t.Error("an order past its deadline is not overdue")
		}
		if err := w.as.CloseRectification(ctx, firm, o.ID, "已调整驻点时间并公示"); err != nil {
			t.Fatal(err)
		}
		testworld.WantField(t, "closed twice", w.as.CloseRectification(ctx, firm, o.ID, "again"), "closed_note", "as.err.closed")
	})
}
