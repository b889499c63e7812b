package assess_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/assess"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// Residents rate their advisor without an account: every question 1–5,
// a honeypot answer is dropped, an address is limited to 3 answers a day;
// the answers reach the advisor's facts and the staff summary names the
// villages short of the minimum.
func TestSurvey(t *testing.T) {
	engines(t, func(t *testing.T, w *world) {
		ctx := w.Ctx
		all := func(n int) map[string]int {
			return map[string]int{"attitude": n, "reach": n, "help": n, "overall": n}
		}
		in := assess.SurveyInput{VillageCode: testworld.Dongguan, Scores: map[string]int{"attitude": 5, "reach": 0, "help": 6, "overall": 4}, IP: "10.1.1.1"}
		testworld.WantField(t, "ratings out of range", w.as.SubmitSurvey(ctx, in), "q.reach", "as.sv.err_rating")
		testworld.WantField(t, "village without an advisor", w.as.SubmitSurvey(ctx, assess.SurveyInput{VillageCode: testworld.Xiguan, Scores: all(5)}), "village_code", "as.sv.err_village")
		if err := w.as.SubmitSurvey(ctx, assess.SurveyInput{VillageCode: testworld.Dongguan, Scores: all(1), Website: "spam", IP: "10.1.1.9"}); err != nil {
			t.Fatalf("honeypot: %v", err)
		}
		for i, n := range []int{5, 4, 3} {
			if err := w.as.SubmitSurvey(ctx, assess.SurveyInput{VillageCode: testworld.Dongguan, Scores: all(n), Comment: "及时", IP: "10.1.1.1"}); err != nil {
				t.Fatalf("answer %d: %v", i, err)
			}
		}
		err := w.as.SubmitSurvey(ctx, assess.SurveyInput{VillageCode: testworld.Dongguan, Scores: all(5), IP: "10.1.1.1"})
		if e, ok := err.(*counsel.Error); !ok || e.Key != "as.sv.err_limit" {
			t.Fatalf("fourth answer from one address: %v, want as.sv.err_limit", err)
		}
		f, _, err := w.as.Facts(ctx, testworld.ZN, w.ZA1.ID, 2026, "2026-06-15")
		if err != nil || len(f.Surveys) != 1 || f.Surveys[0].Count != 3 || f.Surveys[0].Sum != 48 {
			t.Fatalf("facts: %+v %v; want 3 answers summing 48 (the honeypot dropped)", f.Surveys, err)
		}
		rows, err := w.as.SurveyStats(ctx, w.ZNBureau, 2026, 20)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]assess.SurveyRow{}
		for _, r := range rows {
			got[r.Village] = r
		}
		if r := got[testworld.Dongguan]; r.Count != 3 || r.Short != 17 || r.AverageText() != "4.0" || r.VillageName == "" {
			t.Errorf("东关村: %+v", r)
		}
		if r := got[testworld.Xiaositou]; r.Count != 0 || r.Short != 20 {
			t.Errorf("小寺头村: %+v", r)
		}
		if _, err := w.as.SurveyStats(ctx, w.Village, 2026, 20); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Errorf("village committee: %v", err)
		}
	})
}
