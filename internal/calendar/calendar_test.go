package calendar

import (
	"math"
	"testing"
	"time"
)

// at returns the instant of a Shanghai wall-clock time "YYYY-MM-DD HH:MM".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEmbeddedTable(t *testing.T) {
	if len(table) < 200 {
		t.Fatalf("got %d table entries, want the 2020–2026 arrangements", len(table))
	}
	c := New(nil)
	for y := 2020; y <= 2026; y++ {
		if !c.Known(y) {
			t.Errorf("Known(%d): got false, want true", y)
		}
	}
	for _, y := range []int{2019, 2027} {
		if c.Known(y) {
			t.Errorf("Known(%d): got true, want false", y)
		}
	}
	for _, d := range table {
		wd := mustDate(t, d.Date).Weekday()
		if d.Kind == KindWorkday && wd != time.Saturday && wd != time.Sunday {
			t.Errorf("%s %s: make-up workday on a %v, want a weekend day", d.Date, d.Name, wd)
		}
	}
}

// TestStatutoryDays checks the table's internal consistency: weekday
// holidays minus make-up weekend workdays equals the number of statutory
// holiday days (11 before 2025, 13 from 2025; 2020 got 2 more when 春节
// was extended to 02-02 and the 02-01 make-up day cancelled).
func TestStatutoryDays(t *testing.T) {
	want := map[int]int{2020: 13, 2021: 11, 2022: 11, 2023: 11, 2024: 11, 2025: 13, 2026: 13}
	got := map[int]int{}
	for _, d := range table {
		day := mustDate(t, d.Date)
		weekend := day.Weekday() == time.Saturday || day.Weekday() == time.Sunday
		switch {
		case d.Kind == KindHoliday && !weekend:
			got[day.Year()]++
		case d.Kind == KindWorkday:
			got[day.Year()]--
		}
	}
	for y, w := range want {
		if got[y] != w {
			t.Errorf("%d: got %d net days off, want %d", y, got[y], w)
		}
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	// Working days per year: weekdays in the year minus the statutory
	// holiday days (e.g. 2021 has 261 weekdays − 11 = 250; 2025 has
	// 261 − 13 = 248).
	want := map[int]int{2021: 250, 2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248}
	c := New(nil)
	for y, w := range want {
		start := time.Date(y-1, 12, 31, 12, 0, 0, 0, Shanghai)
		end := time.Date(y+1, 1, 1, 12, 0, 0, 0, Shanghai)
		if got := c.WorkdaysBetween(start, end); got != w {
			t.Errorf("%d: got %d working days, want %d", y, got, w)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := parseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestIsWorkday(t *testing.T) {
	c := New(nil)
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2024-01-01", false, "元旦 2024 (Monday)"},
		{"2024-02-04", true, "春节 2024 make-up Sunday"},
		{"2024-02-09", true, "Friday before 春节 2024"},
		{"2024-02-10", false, "春节 2024 first day"},
		{"2024-02-16", false, "春节 2024 (Friday)"},
		{"2024-02-17", false, "春节 2024 last day"},
		{"2024-02-18", true, "春节 2024 make-up Sunday"},
		{"2024-04-05", false, "清明 2024"},
		{"2024-04-07", true, "清明 2024 make-up Sunday"},
		{"2024-04-28", true, "劳动节 2024 make-up Sunday"},
		{"2024-05-03", false, "劳动节 2024"},
		{"2024-05-11", true, "劳动节 2024 make-up Saturday"},
		{"2024-06-10", false, "端午 2024"},
		{"2024-09-14", true, "中秋 2024 make-up Saturday"},
		{"2024-09-16", false, "中秋 2024 (Monday)"},
		{"2024-09-29", true, "国庆 2024 make-up Sunday"},
		{"2024-10-07", false, "国庆 2024 last day"},
		{"2024-10-08", true, "after 国庆 2024"},
		{"2024-10-12", true, "国庆 2024 make-up Saturday"},
		{"2024-10-13", false, "plain Sunday"},
		{"2025-01-01", false, "元旦 2025"},
		{"2025-01-26", true, "春节 2025 make-up Sunday"},
		{"2025-01-27", true, "Monday before 春节 2025"},
		{"2025-01-28", false, "春节 2025 (除夕)"},
		{"2025-02-04", false, "春节 2025 last day"},
		{"2025-02-05", true, "after 春节 2025"},
		{"2025-02-08", true, "春节 2025 make-up Saturday"},
		{"2025-04-04", false, "清明 2025"},
		{"2025-04-27", true, "劳动节 2025 make-up Sunday"},
		{"2025-05-05", false, "劳动节 2025 last day"},
		{"2025-05-10", false, "plain Saturday after 劳动节 2025"},
		{"2025-06-02", false, "端午 2025 (Monday)"},
		{"2025-09-28", true, "国庆 2025 make-up Sunday"},
		{"2025-10-06", false, "中秋 2025 inside 国庆"},
		{"2025-10-08", false, "国庆 2025 last day"},
		{"2025-10-09", true, "after 国庆 2025"},
		{"2025-10-11", true, "国庆 2025 make-up Saturday"},
		{"2026-02-16", false, "春节 2026 (除夕)"},
		{"2026-02-28", true, "春节 2026 make-up Saturday"},
		{"2026-10-10", true, "国庆 2026 make-up Saturday"},
		{"2027-01-04", true, "unknown year: plain Monday"},
		{"2027-01-09", false, "unknown year: plain Saturday"},
	}
	for _, tt := range tests {
		// Any time of day counts for the Shanghai date, including just
		// after midnight (which is the previous day in UTC).
		for _, hm := range []string{"00:00", "00:30", "12:00", "23:59"} {
			if got := c.IsWorkday(at(t, tt.date+" "+hm)); got != tt.want {
				t.Errorf("IsWorkday(%s %s) [%s]: got %v, want %v", tt.date, hm, tt.why, got, tt.want)
			}
		}
		if got, err := c.IsWorkdate(tt.date); err != nil || got != tt.want {
			t.Errorf("IsWorkdate(%s): got %v, %v, want %v", tt.date, got, err, tt.want)
		}
	}
	if _, err := c.IsWorkdate("2025-1-2"); err == nil {
		t.Error("IsWorkdate(2025-1-2): got nil error, want an error")
	}
	// The day is taken in Shanghai: 2025-10-08 20:00 UTC is 10-09 04:00 CST.
	if got := c.IsWorkday(time.Date(2025, 10, 8, 20, 0, 0, 0, time.UTC)); !got {
		t.Error("IsWorkday(2025-10-08T20:00Z): got false, want true (2025-10-09 in Shanghai)")
	}
}

func TestLookup(t *testing.T) {
	c := New(nil)
	got, ok := c.Lookup("2024-02-18")
	if want := (Day{"2024-02-18", KindWorkday, "春节"}); !ok || got != want {
		t.Errorf("Lookup(2024-02-18): got %+v %v, want %+v", got, ok, want)
	}
	if got, ok := c.Lookup("2024-03-01"); ok {
		t.Errorf("Lookup(2024-03-01): got %+v, want none", got)
	}
}

func TestAddWorkdays(t *testing.T) {
	c := New(nil)
	tests := []struct {
		name  string
		start string
		n     int
		want  string // Shanghai wall clock of the deadline
	}{
		{"same week", "2024-03-05 10:00", 2, "2024-03-08 00:00"},
		{"across a weekend", "2024-03-07 10:00", 2, "2024-03-12 00:00"},
		{"from a Friday", "2024-03-08 18:00", 1, "2024-03-12 00:00"},
		{"from a Saturday", "2024-03-09 09:00", 1, "2024-03-12 00:00"},
		{"just after midnight", "2024-03-05 00:00", 1, "2024-03-07 00:00"},
		{"just before midnight", "2024-03-05 23:59", 1, "2024-03-07 00:00"},
		{"across 国庆 2025", "2025-09-30 10:00", 2, "2025-10-11 00:00"},
		{"into the 国庆 2025 make-up Saturday", "2025-09-30 10:00", 3, "2025-10-12 00:00"},
		{"make-up Sunday before 国庆 2025", "2025-09-26 10:00", 1, "2025-09-29 00:00"},
		{"counts the make-up Saturday 2024-05-11", "2024-05-09 10:00", 2, "2024-05-12 00:00"},
		{"across 春节 2025", "2025-01-24 16:00", 2, "2025-01-28 00:00"},
		{"over 春节 2025", "2025-01-27 09:00", 1, "2025-02-06 00:00"},
		{"公示 5 working days over 劳动节 2024", "2024-04-29 09:00", 5, "2024-05-10 00:00"},
		{"zero: end of the day", "2025-10-03 10:00", 0, "2025-10-04 00:00"},
		{"negative: end of the day", "2025-10-03 10:00", -3, "2025-10-04 00:00"},
	}
	for _, tt := range tests {
		start := at(t, tt.start)
		got := c.AddWorkdays(start, tt.n)
		want := at(t, tt.want)
		if !got.Equal(want) {
			t.Errorf("%s: AddWorkdays(%s, %d): got %s, want %s", tt.name, tt.start, tt.n,
				got.In(Shanghai).Format("2006-01-02 15:04 Mon"), tt.want)
		}
		if got.Location() != Shanghai {
			t.Errorf("%s: got location %v, want %v", tt.name, got.Location(), Shanghai)
		}
		if tt.n > 0 {
			if b := c.WorkdaysBetween(start, got); b != tt.n {
				t.Errorf("%s: WorkdaysBetween(start, deadline): got %d, want %d", tt.name, b, tt.n)
			}
			if !c.IsWorkday(got.Add(-time.Nanosecond)) {
				t.Errorf("%s: the deadline's last day %s is not a working day", tt.name, got.Add(-time.Nanosecond))
			}
		}
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := New(nil)
	tests := []struct {
		a, b string
		want int
	}{
		{"2024-03-04 10:00", "2024-03-04 18:00", 0},
		{"2024-03-04 10:00", "2024-03-05 18:00", 0}, // Tuesday not over yet
		{"2024-03-04 10:00", "2024-03-06 00:00", 1},
		{"2024-03-04 10:00", "2024-03-11 10:00", 4}, // Tue..Fri
		{"2024-03-11 10:00", "2024-03-04 10:00", -4},
		{"2025-09-30 10:00", "2025-10-13 09:00", 3}, // 10-09, 10-10, 10-11 (make-up Saturday)
		{"2025-12-31 10:00", "2026-01-05 10:00", 1}, // 01-01..01-03 off, 01-04 make-up Sunday
	}
	for _, tt := range tests {
		if got := c.WorkdaysBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s): got %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestExtraOverrides(t *testing.T) {
	c := New([]Day{
		{Date: "2024-10-12", Kind: KindHoliday, Name: "cancelled make-up day"},
		{Date: "2024-10-07", Kind: KindWorkday, Name: "local duty day"},
		{Date: "2027-01-01", Kind: KindHoliday, Name: "元旦"},
		{Date: "2027-1-2", Kind: KindHoliday, Name: "malformed, ignored"},
		{Date: "2027-01-05", Kind: "off", Name: "bad kind, ignored"},
	})
	tests := []struct {
		date string
		want bool
	}{
		{"2024-10-12", false},
		{"2024-10-07", true},
		{"2024-10-06", false}, // untouched table holiday
		{"2027-01-01", false},
		{"2027-01-05", true},
	}
	for _, tt := range tests {
		if got, _ := c.IsWorkdate(tt.date); got != tt.want {
			t.Errorf("IsWorkdate(%s) with extra: got %v, want %v", tt.date, got, tt.want)
		}
	}
	if !c.Known(2027) {
		t.Error("Known(2027) with a 2027 extra entry: got false, want true")
	}
	if New(nil).Known(2027) {
		t.Error("New(nil) must not see another calendar's extra entries")
	}
	if got, _ := New(nil).IsWorkdate("2024-10-12"); !got {
		t.Error("New(nil).IsWorkdate(2024-10-12): got false, want true (table unchanged)")
	}
}

func TestCheckDayAndParseCSV(t *testing.T) {
	if err := CheckDay(Day{Date: "2027-02-30", Kind: KindHoliday}); err == nil {
		t.Error("CheckDay(2027-02-30): got nil, want error")
	}
	if err := CheckDay(Day{Date: "2027-02-03", Kind: KindWorkday}); err != nil {
		t.Errorf("CheckDay(2027-02-03 workday): got %v, want nil", err)
	}
	days, err := ParseCSV("# extension\ndate,kind,name\n2027-01-01,holiday,元旦\n")
	if err != nil || len(days) != 1 || days[0] != (Day{"2027-01-01", KindHoliday, "元旦"}) {
		t.Errorf("ParseCSV: got %+v, %v", days, err)
	}
	for _, bad := range []string{
		"",
		"2027-01-01,holiday,元旦\n",
		"date,kind,name\n2027-01-01,holiday\n",
		"date,kind,name\n2027-01-01,holiday,a\n2027-01-01,workday,b\n",
	} {
		if _, err := ParseCSV(bad); err == nil {
			t.Errorf("ParseCSV(%q): got nil error, want an error", bad)
		}
	}
}

func TestNilCalendar(t *testing.T) {
	var c *Calendar
	if !c.IsWorkday(at(t, "2025-10-01 10:00")) || c.Known(2025) {
		t.Error("nil calendar: want plain weekdays and no known years")
	}
}

func TestPeriodOf(t *testing.T) {
	tests := []struct {
		kind, date string
		want       Period
		label      string
	}{
		{Week, "2025-03-12", Period{Week, "2025-03-10", "2025-03-16"}, "2025-W11"},
		{Week, "2025-03-10", Period{Week, "2025-03-10", "2025-03-16"}, "2025-W11"},
		{Week, "2025-03-16", Period{Week, "2025-03-10", "2025-03-16"}, "2025-W11"},
		{Week, "2024-12-31", Period{Week, "2024-12-30", "2025-01-05"}, "2025-W01"},
		{Week, "2021-01-03", Period{Week, "2020-12-28", "2021-01-03"}, "2020-W53"},
		{Month, "2024-02-10", Period{Month, "2024-02-01", "2024-02-29"}, "2024-02"},
		{Month, "2025-02-10", Period{Month, "2025-02-01", "2025-02-28"}, "2025-02"},
		{Quarter, "2025-01-01", Period{Quarter, "2025-01-01", "2025-03-31"}, "2025-Q1"},
		{Quarter, "2025-06-30", Period{Quarter, "2025-04-01", "2025-06-30"}, "2025-Q2"},
		{Quarter, "2025-07-01", Period{Quarter, "2025-07-01", "2025-09-30"}, "2025-Q3"},
		{Quarter, "2025-12-31", Period{Quarter, "2025-10-01", "2025-12-31"}, "2025-Q4"},
		{Half, "2025-06-30", Period{Half, "2025-01-01", "2025-06-30"}, "2025-H1"},
		{Half, "2025-07-01", Period{Half, "2025-07-01", "2025-12-31"}, "2025-H2"},
		{Year, "2024-02-29", Period{Year, "2024-01-01", "2024-12-31"}, "2024"},
		{"fortnight", "2025-01-01", Period{}, ""},
		{Month, "2025-13-01", Period{}, ""},
	}
	for _, tt := range tests {
		got := PeriodOf(tt.kind, tt.date)
		if got != tt.want {
			t.Errorf("PeriodOf(%s, %s): got %+v, want %+v", tt.kind, tt.date, got, tt.want)
		}
		if l := got.Label(); l != tt.label {
			t.Errorf("PeriodOf(%s, %s).Label(): got %q, want %q", tt.kind, tt.date, l, tt.label)
		}
	}
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		kind, from, to string
		want           []Period
	}{
		{Quarter, "2024-11-15", "2025-04-01", []Period{
			{Quarter, "2024-10-01", "2024-12-31"},
			{Quarter, "2025-01-01", "2025-03-31"},
			{Quarter, "2025-04-01", "2025-06-30"},
		}},
		{Half, "2025-06-30", "2025-07-01", []Period{
			{Half, "2025-01-01", "2025-06-30"},
			{Half, "2025-07-01", "2025-12-31"},
		}},
		{Week, "2025-12-24", "2026-01-05", []Period{
			{Week, "2025-12-22", "2025-12-28"},
			{Week, "2025-12-29", "2026-01-04"}, // 2026-W01, crosses the year
			{Week, "2026-01-05", "2026-01-11"},
		}},
		{Month, "2025-01-31", "2025-03-01", []Period{
			{Month, "2025-01-01", "2025-01-31"},
			{Month, "2025-02-01", "2025-02-28"},
			{Month, "2025-03-01", "2025-03-31"},
		}},
		{Year, "2025-05-05", "2025-05-05", []Period{{Year, "2025-01-01", "2025-12-31"}}},
		{Year, "2025-05-05", "2025-05-04", nil},
		{"decade", "2025-01-01", "2025-12-31", nil},
		{Month, "2025-01-01", "bad", nil},
	}
	for _, tt := range tests {
		got := Periods(tt.kind, tt.from, tt.to)
		if len(got) != len(tt.want) {
			t.Errorf("Periods(%s, %s, %s): got %+v, want %+v", tt.kind, tt.from, tt.to, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Periods(%s, %s, %s)[%d]: got %+v, want %+v", tt.kind, tt.from, tt.to, i, got[i], tt.want[i])
			}
		}
	}
	if got := PeriodOf(Week, "2025-12-31").Label(); got != "2026-W01" {
		t.Errorf("Label of the week of 2025-12-31: got %q, want 2026-W01", got)
	}
}

func TestClip(t *testing.T) {
	q1 := Period{Quarter, "2025-01-01", "2025-03-31"} // 90 days
	tests := []struct {
		name     string
		p        Period
		from, to string
		want     Period
		frac     float64
	}{
		{"inside", q1, "2024-06-01", "2026-05-31", q1, 1},
		{"term starts mid-quarter", q1, "2025-02-10", "2025-12-31", Period{Quarter, "2025-02-10", "2025-03-31"}, 50.0 / 90},
		{"term ends mid-quarter", q1, "2024-01-01", "2025-01-31", Period{Quarter, "2025-01-01", "2025-01-31"}, 31.0 / 90},
		{"term within the quarter", q1, "2025-02-01", "2025-02-28", Period{Quarter, "2025-02-01", "2025-02-28"}, 28.0 / 90},
		{"one day", q1, "2025-03-31", "2025-06-30", Period{Quarter, "2025-03-31", "2025-03-31"}, 1.0 / 90},
		{"half of a leap H1", Period{Half, "2024-01-01", "2024-06-30"}, "2024-04-01", "2024-12-31", Period{Half, "2024-04-01", "2024-06-30"}, 91.0 / 182},
		{"year-crossing week, term starts 01-01", Period{Week, "2024-12-30", "2025-01-05"}, "2025-01-01", "2025-12-31", Period{Week, "2025-01-01", "2025-01-05"}, 5.0 / 7},
		{"before the term", q1, "2025-04-01", "2025-12-31", Period{}, 0},
		{"after the term", q1, "2024-01-01", "2024-12-31", Period{}, 0},
		{"bad term", q1, "2025-04-01", "x", Period{}, 0},
		{"bad period", Period{Quarter, "2025-03-31", "2025-01-01"}, "2024-01-01", "2026-01-01", Period{}, 0},
	}
	for _, tt := range tests {
		got, frac := Clip(tt.p, tt.from, tt.to)
		if got != tt.want || math.Abs(frac-tt.frac) > 1e-12 {
			t.Errorf("%s: Clip(%+v, %s, %s): got %+v, %.6f, want %+v, %.6f", tt.name, tt.p, tt.from, tt.to, got, frac, tt.want, tt.frac)
		}
	}
	if got := q1.Days(); got != 90 {
		t.Errorf("Q1 2025 Days(): got %d, want 90", got)
	}
	if !q1.Contains("2025-03-31") || q1.Contains("2025-04-01") {
		t.Error("Q1 2025 Contains: wrong at the end boundary")
	}
}

func FuzzAddWorkdays(f *testing.F) {
	f.Add(int64(1759197600), 2)  // 2025-09-30 10:00 CST, across 国庆
	f.Add(int64(1706745600), 10) // 2024-02-01, across 春节
	f.Add(int64(0), 1)
	f.Add(int64(1767196800), 0) // 2026-01-01
	f.Add(int64(-1), -5)
	c := New(nil)
	f.Fuzz(func(t *testing.T, sec int64, n int) {
		// Keep to years 1900–2200 and up to ~4 years of working days.
		const lo, hi = -2208988800, 7258118400
		if sec < lo || sec > hi || n > 1000 || n < -1000 {
			t.Skip()
		}
		start := time.Unix(sec, 0)
		got := c.AddWorkdays(start, n)
		if !got.After(start) {
			t.Fatalf("AddWorkdays(%s, %d) = %s, not after the input", start.In(Shanghai), n, got.In(Shanghai))
		}
		if h, m, s := got.In(Shanghai).Clock(); h != 0 || m != 0 || s != 0 || got.Nanosecond() != 0 {
			t.Fatalf("AddWorkdays(%s, %d) = %s, not a Shanghai midnight", start.In(Shanghai), n, got.In(Shanghai))
		}
		if n >= 1 {
			if b := c.WorkdaysBetween(start, got); b != n {
				t.Fatalf("WorkdaysBetween(%s, AddWorkdays(.., %d) = %s) = %d, want %d", start.In(Shanghai), n, got.In(Shanghai), b, n)
			}
			if b := c.WorkdaysBetween(got, start); b != -n {
				t.Fatalf("WorkdaysBetween reversed = %d, want %d", b, -n)
			}
			last := got.Add(-time.Second)
			if !c.IsWorkday(last) {
				t.Fatalf("AddWorkdays(%s, %d) = %s: last day is not a working day", start.In(Shanghai), n, got.In(Shanghai))
			}
			if prev := c.AddWorkdays(start, n-1); !prev.Before(got) {
				t.Fatalf("AddWorkdays not increasing in n: %s then %s", prev, got)
			}
		}
	})
}
