// Package calendar knows China's working days and reporting periods.
//
// Working days follow the State Council's yearly holiday arrangements
// (国务院办公厅关于部分节假日安排的通知): Monday–Friday are working days and
// Saturday–Sunday are rest days, except that statutory holidays (and the
// rest days moved next to them) are off and the 调休 make-up weekends are
// working days. The arrangements are kept in an embedded table,
// holidays.csv, which covers 2020–2026; administrators extend it past the
// known years (or correct it) on the holiday page (internal/holiday), whose
// entries are passed to New as extra.
//
// All instants are interpreted in China Standard Time (Asia/Shanghai).
// Dates are "YYYY-MM-DD" strings, i.e. civil dates in Asia/Shanghai.
//
// The package imports the standard library only.
package calendar

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Day kinds.
const (
	// KindHoliday is a day off: a statutory holiday or a rest day moved
	// next to it by 调休, even if it falls on a weekday.
	KindHoliday = "holiday"
	// KindWorkday is a 调休 make-up working day, usually a weekend day.
	KindWorkday = "workday"
)

// DateLayout is the layout of every date string in this package.
const DateLayout = "2006-01-02"

// Day is one exception to the plain Monday–Friday working week.
type Day struct {
	Date string // YYYY-MM-DD, civil date in China
	Kind string // KindHoliday or KindWorkday
	Name string // e.g. "春节"; informational
}

// Calendar answers working-day questions. It is immutable after New and
// safe for concurrent use. A nil *Calendar treats every Monday–Friday as a
// working day and knows no holidays.
type Calendar struct {
	days  map[string]Day // by Date
	years map[int]bool   // years covered by the table or by extra entries
}

//go:embed holidays.csv
var holidaysCSV string

// Shanghai is the Asia/Shanghai location, or a fixed UTC+8 zone named
// "CST" when the system has no time zone database.
var Shanghai = loadShanghai()

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// table is the parsed embedded table; parsing errors are programming
// errors caught by the tests, so they panic at package initialisation.
var table = mustParseTable(holidaysCSV)

func mustParseTable(s string) []Day {
	days, err := ParseCSV(s)
	if err != nil {
		panic("calendar: embedded holidays.csv: " + err.Error())
	}
	return days
}

// ParseCSV parses a holiday table in the format of the embedded
// holidays.csv: a header line "date,kind,name", then one Day per line.
// Lines starting with '#' are comments. It can be used to load an
// administrator's extension file for New.
func ParseCSV(s string) ([]Day, error) {
	r := csv.NewReader(strings.NewReader(s))
	r.Comment = '#'
	r.FieldsPerRecord = 3
	r.TrimLeadingSpace = true
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || recs[0][0] != "date" || recs[0][1] != "kind" || recs[0][2] != "name" {
		return nil, fmt.Errorf("missing header line %q", "date,kind,name")
	}
	days := make([]Day, 0, len(recs)-1)
	seen := make(map[string]bool, len(recs))
	for i, rec := range recs[1:] {
		d := Day{Date: rec[0], Kind: rec[1], Name: rec[2]}
		if err := CheckDay(d); err != nil {
			return nil, fmt.Errorf("record %d: %w", i+1, err)
		}
		if seen[d.Date] {
			return nil, fmt.Errorf("record %d: duplicate date %s", i+1, d.Date)
		}
		seen[d.Date] = true
		days = append(days, d)
	}
	return days, nil
}

// CheckDay reports whether d is a well-formed entry: a valid YYYY-MM-DD
// date and a kind of KindHoliday or KindWorkday. New ignores entries that
// fail it, so callers should validate administrator input with it first.
func CheckDay(d Day) error {
	if _, err := parseDate(d.Date); err != nil {
		return err
	}
	if d.Kind != KindHoliday && d.Kind != KindWorkday {
		return fmt.Errorf("calendar: day %s: kind %q is neither %q nor %q", d.Date, d.Kind, KindHoliday, KindWorkday)
	}
	return nil
}

// New returns a calendar built from the embedded table of official
// arrangements, overridden by extra: an extra entry replaces the table's
// entry for the same date (so a table holiday can be turned into a working
// day and vice versa). Among extra entries for the same date the last wins.
// Entries failing CheckDay are ignored.
//
// Every year with at least one extra entry counts as Known: administrators
// extending the table past its years are expected to enter that year's
// whole arrangement.
func New(extra []Day) *Calendar {
	c := &Calendar{days: make(map[string]Day, len(table)+len(extra)), years: map[int]bool{}}
	for _, d := range table {
		c.days[d.Date] = d
	}
	// Years covered by the table: those of its dates, except that a
	// year-end day belonging to the next year's arrangement (2022-12-31 is
	// part of 元旦 2023) does not by itself make its year known.
	count := map[int]int{}
	for _, d := range table {
		t, _ := parseDate(d.Date)
		count[t.Year()]++
	}
	for y, n := range count {
		if n > 3 {
			c.years[y] = true
		}
	}
	for _, d := range extra {
		if CheckDay(d) != nil {
			continue
		}
		c.days[d.Date] = d
		t, _ := parseDate(d.Date)
		c.years[t.Year()] = true
	}
	return c
}

// Known reports whether the calendar holds the official arrangement for
// year. For unknown years IsWorkday falls back to the plain
// Monday–Friday rule, which misses that year's holidays: callers computing
// deadlines in such years should warn.
func (c *Calendar) Known(year int) bool {
	return c != nil && c.years[year]
}

// Years lists the known years in ascending order.
func (c *Calendar) Years() []int {
	if c == nil {
		return nil
	}
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Days lists the exceptions (holidays and make-up working days) of year in
// date order: the table's, as overridden by extra entries.
func (c *Calendar) Days(year int) []Day {
	if c == nil {
		return nil
	}
	prefix := fmt.Sprintf("%04d-", year)
	var out []Day
	for date, d := range c.days {
		if strings.HasPrefix(date, prefix) {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

// Shipped reports whether year's arrangement is in the embedded table.
func Shipped(year int) bool { return shippedYears[year] }

// shippedYears are the years the embedded table covers (see New).
var shippedYears = func() map[int]bool {
	c := New(nil)
	return c.years
}()

// Lookup returns the table (or extra) entry for a YYYY-MM-DD date, if any.
func (c *Calendar) Lookup(date string) (Day, bool) {
	if c == nil {
		return Day{}, false
	}
	d, ok := c.days[date]
	return d, ok
}

// IsWorkday reports whether the day of t (in Asia/Shanghai) is a working
// day: Monday–Friday unless a holiday, Saturday–Sunday only if a make-up
// working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	return c.isWorkdate(dateOf(t))
}

// IsWorkdate is IsWorkday for a YYYY-MM-DD date; it returns an error for
// a malformed date.
func (c *Calendar) IsWorkdate(date string) (bool, error) {
	d, err := parseDate(date)
	if err != nil {
		return false, err
	}
	return c.isWorkdate(d), nil
}

// isWorkdate takes a civil date represented as midnight UTC.
func (c *Calendar) isWorkdate(d time.Time) bool {
	if c != nil {
		if e, ok := c.days[d.Format(DateLayout)]; ok {
			return e.Kind == KindWorkday
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the deadline n working days after t.
//
// Counting starts on the day after the day of t (in Asia/Shanghai),
// whatever the time of day of t and whether or not that day is itself a
// working day; the deadline is the end — 24:00 Asia/Shanghai, returned as
// 00:00 of the following day — of the n-th working day so counted. An act
// is on time if it happens strictly before the returned instant.
//
// For example a question asked on Tuesday 2025-09-30 at 10:00 with a
// "2 working days" answer deadline: 10-01..10-08 are 国庆/中秋 holidays,
// Thursday 10-09 is working day 1 and Friday 10-10 working day 2, so the
// deadline is 2025-10-11 00:00 (the end of 10-10) — even though Saturday
// 10-11 is a make-up working day.
//
// For n <= 0 it returns the end of the day of t.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	d := dateOf(t)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.isWorkdate(d) {
			n--
		}
	}
	return endOf(d)
}

// WorkdaysBetween returns the number of whole working days that elapse
// between a and b: the working days strictly after the day of a and
// strictly before the day of b (days in Asia/Shanghai). A working day is
// counted only once it has ended by b, so that
// WorkdaysBetween(t, c.AddWorkdays(t, n)) == n for every n >= 0. If b is
// before a the result is the negated count for (b, a).
//
// It suits minimum periods such as a public notice (公示) of "≥ 5 working
// days": posted at a and taken down at b, the notice complied if
// WorkdaysBetween(a, b) >= 5.
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	da, db := dateOf(a), dateOf(b)
	sign := 1
	if db.Before(da) {
		da, db, sign = db, da, -1
	}
	n := 0
	for d := da.AddDate(0, 0, 1); d.Before(db); d = d.AddDate(0, 0, 1) {
		if c.isWorkdate(d) {
			n++
		}
	}
	return sign * n
}

// dateOf returns the civil date of t in Asia/Shanghai as midnight UTC,
// the representation used for day arithmetic in this package.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// endOf returns 24:00 Asia/Shanghai of the civil date d (midnight UTC).
func endOf(d time.Time) time.Time {
	y, m, dd := d.Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, Shanghai)
}

// parseDate parses a strict YYYY-MM-DD date as midnight UTC.
func parseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("calendar: bad date %q, want YYYY-MM-DD", s)
	}
	return t, nil
}
