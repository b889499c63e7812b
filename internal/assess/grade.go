package assess

import "github.com/villagecounsel/counsel"

// Grades of the annual assessment, best first (seed 001: 合格 → may be
// re-engaged, 不合格 → a rectification demand to the firm).
const (
	GradeExcellent = "excellent" // 优秀
	GradePass      = "pass"      // 合格
	GradeBasic     = "basic"     // 基本合格
	GradeFail      = "fail"      // 不合格
)

// Grades lists the grades best first.
var Grades = []string{GradeExcellent, GradePass, GradeBasic, GradeFail}

// Thresholds are the lowest totals of the grades, as a share of the sheet's
// maximum in points out of 100 (a sheet of 80 points scaled to 100); below
// Basic is 不合格. They are a setting of the round.
type Thresholds struct {
	Excellent Points `json:"excellent"`
	Pass      Points `json:"pass"`
	Basic     Points `json:"basic"`
}

// DefaultThresholds are the usual county bands: 优秀 ≥ 90, 合格 ≥ 75,
// 基本合格 ≥ 60.
var DefaultThresholds = Thresholds{Excellent: Pt(90), Pass: Pt(75), Basic: Pt(60)}

// Validate refuses bands that overlap or leave the 0–100 range: each grade's
// lowest total must be above the next one's.
func (t Thresholds) Validate() error {
	var f counsel.Fields
	for _, b := range []struct {
		field string
		v     Points
	}{{"excellent", t.Excellent}, {"pass", t.Pass}, {"basic", t.Basic}} {
		if b.v <= 0 || b.v > Pt(100) {
			f.Add(b.field, "as.err.threshold_range")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	if t.Excellent <= t.Pass {
		f.Add("excellent", "as.err.threshold_overlap", "优秀", "合格")
	}
	if t.Pass <= t.Basic {
		f.Add("pass", "as.err.threshold_overlap", "合格", "基本合格")
	}
	return f.Err()
}

// GradeOf grades a total out of max.
func (t Thresholds) GradeOf(total, max Points) string {
	if max <= 0 {
		return GradeFail
	}
	// Compare total/max with threshold/100 without rounding.
	at := func(th Points) bool { return int64(total)*1000 >= int64(th)*int64(max) }
	switch {
	case at(t.Excellent):
		return GradeExcellent
	case at(t.Pass):
		return GradePass
	case at(t.Basic):
		return GradeBasic
	}
	return GradeFail
}
