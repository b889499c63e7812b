package money

import (
	"errors"
	"testing"
)

func TestProrate(t *testing.T) {
	cases := []struct {
		yearly Fen
		months int
		want   Fen
	}{
		{500000, 12, 500000},
		{500000, 7, 291667}, // 291,666.67 rounds up
		{500000, 5, 208333}, // 208,333.33 rounds down
		{500000, 6, 250000},
		{500000, 0, 0},
		{500000, 13, 500000},
		{600000, 1, 50000},
		{100, 1, 8}, // 8.33 fen → 8
		{6, 1, 1},   // 0.5 fen → 1 (half up)
		{18, 1, 2},  // 1.5 fen → 2 (half up)
		{-5, 3, 0},
	}
	for _, c := range cases {
		if got := Prorate(c.yearly, c.months); got != c.want {
			t.Errorf("Prorate(%d, %d) = %d, want %d", c.yearly, c.months, got, c.want)
		}
	}
}

func TestPercent(t *testing.T) {
	cases := []struct {
		amount Fen
		pct    int
		want   Fen
	}{
		{291667, 10, 29167}, // 29,166.7 → 29,167
		{500000, 20, 100000},
		{5, 10, 1}, // 0.5 fen → 1
		{4, 10, 0}, // 0.4 fen → 0
		{500000, 0, 0},
		{500000, 150, 500000},
	}
	for _, c := range cases {
		if got := Percent(c.amount, c.pct); got != c.want {
			t.Errorf("Percent(%d, %d) = %d, want %d", c.amount, c.pct, got, c.want)
		}
	}
}

func TestFormatYuan(t *testing.T) {
	cases := map[Fen]string{
		0: "0.00", 5: "0.05", 1000: "10.00", 1000500: "10,005.00",
		100000010: "1,000,000.10", 123456789: "1,234,567.89", -50000: "-500.00",
	}
	for fen, want := range cases {
		if got := FormatYuan(fen); got != want {
			t.Errorf("FormatYuan(%d) = %s, want %s", fen, got, want)
		}
	}
}

func TestParseYuan(t *testing.T) {
	good := map[string]Fen{
		"5000": 500000, "5,000.5": 500050, "12000.00": 1200000, " ¥0.05 ": 5, "10元": 1000, "0": 0,
	}
	for s, want := range good {
		got, err := ParseYuan(s)
		if err != nil || got != want {
			t.Errorf("ParseYuan(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "-5", "5.001", "abc", "5.", ".5", "1e3", "100000001", "9999999999999"} {
		if _, err := ParseYuan(s); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseYuan(%q) err = %v, want ErrAmount", s, err)
		}
	}
}
