package holiday

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/calendar"
)

func TestParseArrangement(t *testing.T) {
	text := "# 2027年节假日安排\n" +
		"date,kind,name\n" +
		"2027-01-01,holiday,元旦\n" +
		"2027年2月6日至2月12日 放假 春节\n" +
		"2027/2/14 上班 春节\n" +
		"10月1日至7日 国庆节\n" +
		"\n" +
		"2027-10-09,workday,国庆节\n"
	days, errs := ParseArrangement(2027, text)
	if len(errs) > 0 {
		t.Fatalf("ParseArrangement: errors %+v", errs)
	}
	if got, want := len(days), 1+7+1+7+1; got != want {
		t.Fatalf("ParseArrangement: got %d days, want %d: %+v", got, want, days)
	}
	want := map[string]calendar.Day{
		"2027-01-01": {Date: "2027-01-01", Kind: calendar.KindHoliday, Name: "元旦"},
		"2027-02-06": {Date: "2027-02-06", Kind: calendar.KindHoliday, Name: "春节"},
		"2027-02-12": {Date: "2027-02-12", Kind: calendar.KindHoliday, Name: "春节"},
		"2027-02-14": {Date: "2027-02-14", Kind: calendar.KindWorkday, Name: "春节"},
		"2027-10-07": {Date: "2027-10-07", Kind: calendar.KindHoliday, Name: "国庆节"},
		"2027-10-09": {Date: "2027-10-09", Kind: calendar.KindWorkday, Name: "国庆节"},
	}
	for _, d := range days {
		if w, ok := want[d.Date]; ok && d != w {
			t.Errorf("day %s: got %+v, want %+v", d.Date, d, w)
		}
	}
	for i := 1; i < len(days); i++ {
		if days[i-1].Date >= days[i].Date {
			t.Errorf("days not in order at %d: %s then %s", i, days[i-1].Date, days[i].Date)
		}
	}
	// The CSV the preview carries parses back to the same days.
	again, errs := ParseArrangement(2027, FormatCSV(days))
	if len(errs) > 0 || len(again) != len(days) {
		t.Errorf("round trip: got %d days, errors %+v", len(again), errs)
	}
}

func TestParseArrangementErrors(t *testing.T) {
	tests := []struct {
		text string
		line int
		key  string
	}{
		{"元旦放假", 1, "hol.err_no_date"},
		{"2027-02-30 春节", 1, "hol.err_bad_date"},
		{"2026-10-01 国庆节", 1, "hol.err_year"},
		{"2027-01-01 元旦\n2027-01-01 元旦", 2, "hol.err_duplicate"},
		{"2027-01-04 上班 元旦", 1, "hol.err_workday_weekday"}, // a Monday
		{"2027-03-01至2027-05-01 长假", 1, "hol.err_range"},
		{"# nothing\n", 0, "hol.err_empty"},
	}
	for _, tt := range tests {
		days, errs := ParseArrangement(2027, tt.text)
		if len(days) != 0 || len(errs) == 0 {
			t.Errorf("ParseArrangement(%q): got %d days, errors %+v, want an error", tt.text, len(days), errs)
			continue
		}
		if errs[0].Line != tt.line || errs[0].Key != tt.key {
			t.Errorf("ParseArrangement(%q): got line %d key %s, want line %d key %s", tt.text, errs[0].Line, errs[0].Key, tt.line, tt.key)
		}
	}
}

// TestParseNotice reads the State Council's notice as pasted (2026's, whose
// days the shipped table holds): weekdays in brackets, several sentences and
// dates a line, the name given once.
func TestParseNotice(t *testing.T) {
	notice := "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。\n" +
		"二、春节：2月15日（周日）至23日（周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。\n"
	days, errs := ParseArrangement(2026, notice)
	if len(errs) > 0 {
		t.Fatalf("errors %+v", errs)
	}
	shipped := calendar.New(nil)
	if len(days) != 3+1+9+2 {
		t.Fatalf("got %d days, want 15: %+v", len(days), days)
	}
	for _, d := range days {
		want, ok := shipped.Lookup(d.Date)
		if !ok || want.Kind != d.Kind || want.Name != d.Name {
			t.Errorf("day %+v, the shipped table says %+v", d, want)
		}
	}
}
