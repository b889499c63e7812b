package policy

import (
	"fmt"
	"time"
)

// Period kinds.
const (
	PeriodWeek    = "week"    // Monday–Sunday
	PeriodMonth   = "month"   // calendar month
	PeriodQuarter = "quarter" // Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec
	PeriodHalf    = "half"    // Jan–Jun, Jul–Dec
	PeriodYear    = "year"    // calendar year
)

// PeriodKinds lists the period kinds from the shortest.
var PeriodKinds = []string{PeriodWeek, PeriodMonth, PeriodQuarter, PeriodHalf, PeriodYear}

// ValidPeriodKind reports whether k is a known period kind.
func ValidPeriodKind(k string) bool {
	for _, p := range PeriodKinds {
		if p == k {
			return true
		}
	}
	return false
}

// Period is one calendar period; Start and End are inclusive "YYYY-MM-DD".
type Period struct {
	Kind  string `json:"kind"`
	Start string `json:"start"`
	End   string `json:"end"`
}

const dateLayout = "2006-01-02"

func parseDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

func fmtDate(t time.Time) string { return t.Format(dateLayout) }

// days returns the number of days from a to b inclusive (both UTC midnights).
func days(a, b time.Time) int { return int(b.Sub(a).Hours()/24) + 1 }

// periodStart returns the first day of the period of kind k containing t.
func periodStart(k string, t time.Time) time.Time {
	y, m, d := t.Date()
	switch k {
	case PeriodWeek:
		back := (int(t.Weekday()) + 6) % 7 // Monday → 0
		return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
	case PeriodMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	case PeriodQuarter:
		return time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	case PeriodHalf:
		return time.Date(y, (m-1)/6*6+1, 1, 0, 0, 0, 0, time.UTC)
	default: // year
		return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	}
}

// nextStart returns the first day of the period following the one starting at s.
func nextStart(k string, s time.Time) time.Time {
	switch k {
	case PeriodWeek:
		return s.AddDate(0, 0, 7)
	case PeriodMonth:
		return s.AddDate(0, 1, 0)
	case PeriodQuarter:
		return s.AddDate(0, 3, 0)
	case PeriodHalf:
		return s.AddDate(0, 6, 0)
	default:
		return s.AddDate(1, 0, 0)
	}
}

// PeriodOf returns the period of kind k containing date; ok is false for an
// unknown kind or a malformed date.
func PeriodOf(k, date string) (Period, bool) {
	t, ok := parseDate(date)
	if !ok || !ValidPeriodKind(k) {
		return Period{}, false
	}
	s := periodStart(k, t)
	return Period{k, fmtDate(s), fmtDate(nextStart(k, s).AddDate(0, 0, -1))}, true
}

// Periods returns the periods of kind k overlapping [from, to], in order.
func Periods(k, from, to string) []Period {
	f, ok1 := parseDate(from)
	t, ok2 := parseDate(to)
	if !ok1 || !ok2 || !ValidPeriodKind(k) || t.Before(f) {
		return nil
	}
	var out []Period
	for s := periodStart(k, f); !s.After(t); s = nextStart(k, s) {
		out = append(out, Period{k, fmtDate(s), fmtDate(nextStart(k, s).AddDate(0, 0, -1))})
	}
	return out
}

// Days returns the number of days in p.
func (p Period) Days() int {
	s, _ := parseDate(p.Start)
	e, _ := parseDate(p.End)
	return days(s, e)
}

// Contains reports whether date lies in p.
func (p Period) Contains(date string) bool { return date >= p.Start && date <= p.End }

// Label returns the period's name in lang ("en", else Chinese):
// 2026年第3周 / 2026-W03, 2026年1月 / 2026-01, 2026年第1季度 / 2026 Q1,
// 2026年上半年 / 2026 H1, 2026年 / 2026. Weeks use ISO week numbers.
func (p Period) Label(lang string) string {
	s, ok := parseDate(p.Start)
	if !ok {
		return p.Start
	}
	y, m := s.Year(), int(s.Month())
	en := lang == "en"
	switch p.Kind {
	case PeriodWeek:
		wy, w := s.ISOWeek()
		if en {
			return fmt.Sprintf("%d-W%02d", wy, w)
		}
		return fmt.Sprintf("%d年第%d周", wy, w)
	case PeriodMonth:
		if en {
			return fmt.Sprintf("%d-%02d", y, m)
		}
		return fmt.Sprintf("%d年%d月", y, m)
	case PeriodQuarter:
		if en {
			return fmt.Sprintf("%d Q%d", y, (m-1)/3+1)
		}
		return fmt.Sprintf("%d年第%d季度", y, (m-1)/3+1)
	case PeriodHalf:
		if en {
			return fmt.Sprintf("%d H%d", y, (m-1)/6+1)
		}
		if m <= 6 {
			return fmt.Sprintf("%d年上半年", y)
		}
		return fmt.Sprintf("%d年下半年", y)
	default:
		if en {
			return fmt.Sprintf("%d", y)
		}
		return fmt.Sprintf("%d年", y)
	}
}

// thisZH / thisEN name the current period of each kind.
var (
	thisZH = map[string]string{PeriodWeek: "本周", PeriodMonth: "本月", PeriodQuarter: "本季度", PeriodHalf: "本半年", PeriodYear: "本年度"}
	thisEN = map[string]string{PeriodWeek: "this week", PeriodMonth: "this month", PeriodQuarter: "this quarter", PeriodHalf: "this half-year", PeriodYear: "this year"}
	unitZH = map[string]string{PeriodWeek: "周", PeriodMonth: "月", PeriodQuarter: "季度", PeriodHalf: "半年", PeriodYear: "年度"}
)
