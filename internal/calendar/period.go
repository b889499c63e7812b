package calendar

import (
	"fmt"
	"time"
)

// Period kinds.
const (
	Week    = "week"    // ISO 8601 week, Monday–Sunday
	Month   = "month"   // calendar month
	Quarter = "quarter" // Jan–Mar, Apr–Jun, Jul–Sep, Oct–Dec
	Half    = "half"    // Jan–Jun, Jul–Dec
	Year    = "year"    // calendar year
)

// PeriodKinds lists the valid period kinds, shortest first.
var PeriodKinds = []string{Week, Month, Quarter, Half, Year}

// ValidPeriodKind reports whether kind is one of PeriodKinds.
func ValidPeriodKind(kind string) bool {
	switch kind {
	case Week, Month, Quarter, Half, Year:
		return true
	}
	return false
}

// Period is a reporting period. Start and End are YYYY-MM-DD and both
// inclusive. A period returned by Clip may be a part of a whole period.
type Period struct {
	Kind       string
	Start, End string
}

// IsZero reports whether p is the zero Period, returned for invalid input.
func (p Period) IsZero() bool { return p == Period{} }

// Days returns the number of days in p (End and Start inclusive), or 0 if
// p is malformed or empty.
func (p Period) Days() int {
	s, err1 := parseDate(p.Start)
	e, err2 := parseDate(p.End)
	if err1 != nil || err2 != nil || e.Before(s) {
		return 0
	}
	return daysBetween(s, e) + 1
}

// Contains reports whether the YYYY-MM-DD date lies within p. Dates in
// this layout compare correctly as strings.
func (p Period) Contains(date string) bool {
	return p.Start != "" && p.Start <= date && date <= p.End
}

// Label names the whole period containing p.Start: "2025-W01" (ISO week
// year and number), "2025-03", "2025-Q1", "2025-H1" or "2025". It returns
// "" for an invalid p.
func (p Period) Label() string {
	t, err := parseDate(p.Start)
	if err != nil {
		return ""
	}
	switch p.Kind {
	case Week:
		y, w := t.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case Month:
		return t.Format("2006-01")
	case Quarter:
		return fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
	case Half:
		return fmt.Sprintf("%04d-H%d", t.Year(), (int(t.Month())-1)/6+1)
	case Year:
		return t.Format("2006")
	}
	return ""
}

// PeriodOf returns the period of the given kind containing date
// (YYYY-MM-DD). Weeks run Monday–Sunday (ISO 8601), so a week may span
// two months or years. It returns the zero Period if kind or date is
// invalid.
func PeriodOf(kind, date string) Period {
	t, err := parseDate(date)
	if err != nil || !ValidPeriodKind(kind) {
		return Period{}
	}
	s, e := bounds(kind, t)
	return Period{Kind: kind, Start: s.Format(DateLayout), End: e.Format(DateLayout)}
}

// bounds returns the first and last day of the kind period containing t
// (midnight UTC).
func bounds(kind string, t time.Time) (start, end time.Time) {
	y, m, _ := t.Date()
	switch kind {
	case Week:
		off := (int(t.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
		start = t.AddDate(0, 0, -off)
		return start, start.AddDate(0, 0, 6)
	case Month:
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, -1)
	case Quarter:
		start = time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 3, -1)
	case Half:
		start = time.Date(y, m-(m-1)%6, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 6, -1)
	default: // Year
		start = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(1, 0, -1)
	}
}

// Periods lists, in order, the whole periods of the given kind that
// overlap [from, to] (YYYY-MM-DD, inclusive). The first may start before
// from and the last end after to; use Clip for the covered parts. It
// returns nil if kind or a date is invalid or to is before from.
func Periods(kind, from, to string) []Period {
	f, err1 := parseDate(from)
	t, err2 := parseDate(to)
	if err1 != nil || err2 != nil || !ValidPeriodKind(kind) || t.Before(f) {
		return nil
	}
	var ps []Period
	for d := f; !d.After(t); {
		s, e := bounds(kind, d)
		ps = append(ps, Period{Kind: kind, Start: s.Format(DateLayout), End: e.Format(DateLayout)})
		d = e.AddDate(0, 0, 1)
	}
	return ps
}

// Clip returns the part of p inside [from, to] (YYYY-MM-DD, inclusive;
// typically an agreement's term) and the covered fraction of p: days in
// the part divided by days in p. A period fully inside the term gives
// (p, 1); one outside it, or invalid input, gives the zero Period and 0.
// The returned part keeps p's Kind.
//
// For example a legal-advisor agreement running 2025-02-10..2025-12-31
// covers 2025-Q1 from 02-10 to 03-31: 50 of its 90 days, fraction 0.5556.
func Clip(p Period, from, to string) (Period, float64) {
	total := p.Days()
	f, err1 := parseDate(from)
	t, err2 := parseDate(to)
	if total == 0 || err1 != nil || err2 != nil {
		return Period{}, 0
	}
	ps, _ := parseDate(p.Start)
	pe, _ := parseDate(p.End)
	if f.After(ps) {
		ps = f
	}
	if t.Before(pe) {
		pe = t
	}
	if pe.Before(ps) {
		return Period{}, 0
	}
	n := daysBetween(ps, pe) + 1
	return Period{Kind: p.Kind, Start: ps.Format(DateLayout), End: pe.Format(DateLayout)}, float64(n) / float64(total)
}

// daysBetween returns the number of days from a to b (midnight UTC dates).
func daysBetween(a, b time.Time) int {
	return int((b.Unix() - a.Unix()) / (24 * 60 * 60))
}
