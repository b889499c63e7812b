package ledger_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// TestSaveAndRemoveRule: rules set one at a time at a town under the
// county's preset; a town rule of the same name replaces the county's; an
// inherited rule removed at the town is switched off there only; others may
// not set the county's rules.
func TestSaveAndRemoveRule(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		ids := func(region string) []string {
			l, err := w.Lg.Policy(w.Ctx, w.ZNBureau, region)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, r := range l.Resolved.Rules {
				out = append(out, r.ID)
			}
			return out
		}
		r, err := w.Lg.SaveRule(w.Ctx, w.ZNBureau, testworld.Shanhe, policy.Rule{Name: "到村服务", Kinds: []string{policy.KindOnsiteDuty},
			Modes: []string{policy.ModeOnsite}, Period: policy.PeriodMonth, MinTotalMinutes: 120})
		if err != nil || r.ID == "" {
			t.Fatalf("save a town rule: %+v %v", r, err)
		}
		if got := ids(testworld.Shanhe); len(got) != 2 || got[0] != r.ID || got[1] != "lecture_publicity_year" {
			t.Errorf("town rules: %v, want [%s lecture_publicity_year]", got, r.ID)
		}
		if got := ids(testworld.ZN); len(got) != 2 || got[0] != "onsite_hours_quarter" {
			t.Errorf("county rules changed: %v", got)
		}
		r.MinTotalMinutes = 180
		if _, err := w.Lg.SaveRule(w.Ctx, w.ZNBureau, testworld.Shanhe, *r); err != nil {
			t.Fatalf("change the town rule: %v", err)
		}
		if err := w.Lg.RemoveRule(w.Ctx, w.ZNBureau, testworld.Shanhe, "lecture_publicity_year"); err != nil {
			t.Fatalf("switch off an inherited rule: %v", err)
		}
		if got := ids(testworld.Shanhe); len(got) != 1 || got[0] != r.ID {
			t.Errorf("town rules after switching one off: %v, want [%s]", got, r.ID)
		}
		if got := ids(testworld.ZN); len(got) != 2 {
			t.Errorf("county rules after the town switched one off: %v", got)
		}
		if err := w.Lg.RemoveRule(w.Ctx, w.ZNBureau, testworld.Shanhe, r.ID); err != nil {
			t.Fatalf("remove the town rule: %v", err)
		}
		if got := ids(testworld.Shanhe); len(got) != 1 || got[0] != "onsite_hours_quarter" {
			t.Errorf("town rules after removing its own: %v, want the county's 8-hour rule back", got)
		}
		if err := w.Lg.RemoveRule(w.Ctx, w.ZNBureau, testworld.Shanhe, "nope"); counsel.ErrorCode(err) != counsel.CodeInvalid {
			t.Errorf("remove an unknown rule: %v, want invalid", err)
		}
		if _, err := w.Lg.SaveRule(w.Ctx, w.Judicial, testworld.Shanhe, policy.Rule{Name: "x", Period: policy.PeriodYear, MinCount: 1}); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Errorf("judicial office sets a rule: %v, want forbidden", err)
		}
	})
}
