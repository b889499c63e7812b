package assess

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
)

// GradeBook gives the money feature the assessment grade behind a subsidy
// deduction by grade: the final result of the advisor of an agreement in
// the year's round of the village's county. ok is false when there is no
// final round or the advisor was not assessed in it.
type GradeBook struct{ s *Service }

// GradeSource returns the feature's grades for the money feature.
func (f *Feature) GradeSource() *GradeBook { return &GradeBook{s: f.Svc} }

// Grade implements money.GradeSource.
func (g *GradeBook) Grade(ctx context.Context, agreementID int64, village string, year int) (string, bool, error) {
	ag, err := registry.Agreement(ctx, g.s.DB, agreementID)
	if err != nil {
		return "", false, err
	}
	rounds, err := roundsIn(ctx, g.s.DB, countyOf(village))
	if err != nil {
		return "", false, err
	}
	for _, r := range rounds {
		if r.Year != year || r.Status != RoundFinal || !counsel.Within(village, r.CountyCode) {
			continue
		}
		res, err := getResult(ctx, g.s.DB, r.ID, ag.AdvisorID)
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		// The money feature's grade rules name the grade as people write
		// it (不合格), so the code is given in words.
		label, ok := gradeWords[res.Grade]
		return label, ok, nil
	}
	return "", false, nil
}

var gradeWords = map[string]string{GradeExcellent: "优秀", GradePass: "合格", GradeBasic: "基本合格", GradeFail: "不合格"}
