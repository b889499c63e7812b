package xlsx

import (
	"testing"

	counsel "github.com/villagecounsel/counsel"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // "" when not a date
	}{
		{"2024-06-15", "2024-06-15"},
		{" 2024-6-5 ", "2024-06-05"},
		{"2024/6/15", "2024-06-15"},
		{"2024.6.15", "2024-06-15"},
		{"2024年6月15日", "2024-06-15"},
		{"2024年06月15号", "2024-06-15"},
		{"２０２４年６月１５日", "2024-06-15"},
		{"２０２４－０６－１５", "2024-06-15"},
		{"20240615", "2024-06-15"},
		{"2024-06-15 00:00:00", "2024-06-15"},
		{"2024/6/15 9:30", "2024-06-15"},
		{"45458", "2024-06-15"},
		{"45458.75", "2024-06-15"},
		{"61", "1900-03-01"},
		{"2024-02-29", "2024-02-29"},
		{"2023-02-29", ""},
		{"2024-13-01", ""},
		{"2024-06-31", ""},
		{"2024-06", ""},
		{"6月15日", ""},
		{"24/6/15", ""},
		{"2024-06-15 上午", ""},
		{"60", ""},
		{"-45458", ""},
		{"1e5", ""},
		{"3000000", ""},
		{"", ""},
		{"待定", ""},
	} {
		got, ok := ParseDate(tc.in)
		if ok != (tc.want != "") || got != tc.want {
			t.Errorf("ParseDate(%q): got %q, %v, want %q", tc.in, got, ok, tc.want)
		}
	}
}

func TestExcelSerial(t *testing.T) {
	for _, tc := range []struct {
		date string
		want float64
	}{
		{"1900-03-01", 61},
		{"2024-05-20", 45432},
		{"2024-06-15", 45458},
	} {
		got, ok := excelSerial(tc.date)
		if !ok || got != tc.want {
			t.Errorf("excelSerial(%s): got %v, %v, want %v", tc.date, got, ok, tc.want)
		}
		if back, ok := serialDate(got); !ok || back != tc.date {
			t.Errorf("serialDate(%v): got %q, want %q", got, back, tc.date)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-06-15", "2024/6/15", "2024.6.15", "2024年6月15日", "45458", "45458.5",
		"20240615", "2024-06-15 00:00:00", "２０２４年６月１５日", "0", "9999-12-31", "1.5e3", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			if d != "" {
				t.Fatalf("ParseDate(%q): got %q with ok false", s, d)
			}
			return
		}
		if !counsel.ValidDate(d) {
			t.Fatalf("ParseDate(%q): got %q, want a valid YYYY-MM-DD date", s, d)
		}
		if again, ok := ParseDate(d); !ok || again != d {
			t.Fatalf("ParseDate(%q) = %q, but ParseDate(%q) = %q, %v", s, d, d, again, ok)
		}
	})
}
