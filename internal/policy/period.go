package policy

import (
	"fmt"
	"time"

	"github.com/villagecounsel/counsel/internal/calendar"
)

// Period kinds, the calendar package's.
const (
	PeriodWeek    = calendar.Week    // Monday–Sunday (ISO)
	PeriodMonth   = calendar.Month   // calendar month
	PeriodQuarter = calendar.Quarter // Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec
	PeriodHalf    = calendar.Half    // Jan–Jun, Jul–Dec
	PeriodYear    = calendar.Year    // calendar year
)

// PeriodKinds lists the period kinds from the shortest.
var PeriodKinds = calendar.PeriodKinds

// ValidPeriodKind reports whether k is a known period kind.
func ValidPeriodKind(k string) bool { return calendar.ValidPeriodKind(k) }

// Period is one calendar period; Start and End are inclusive "YYYY-MM-DD".
type Period = calendar.Period

const dateLayout = calendar.DateLayout

func parseDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(dateLayout, s)
	return t, err == nil
}

// days returns the number of days from a to b inclusive (both UTC midnights).
func days(a, b time.Time) int { return int(b.Sub(a).Hours()/24) + 1 }

// PeriodOf returns the period of kind k containing date; ok is false for an
// unknown kind or a malformed date.
func PeriodOf(k, date string) (Period, bool) {
	p := calendar.PeriodOf(k, date)
	return p, !p.IsZero()
}

// Periods returns the periods of kind k overlapping [from, to], in order.
func Periods(k, from, to string) []Period { return calendar.Periods(k, from, to) }

// PeriodLabel returns the period's name in lang ("en", else Chinese):
// 2026年第3周 / 2026-W03, 2026年1月 / 2026-01, 2026年第1季度 / 2026 Q1,
// 2026年上半年 / 2026 H1, 2026年 / 2026. Weeks use ISO week numbers.
func PeriodLabel(p Period, lang string) string {
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
