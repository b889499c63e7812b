package money

import (
	"math"
	"testing"
)

func TestCapitals(t *testing.T) {
	cases := []struct {
		fen  int64
		want string
	}{
		{0, "零元整"},
		{1000, "壹拾元整"},
		{1000500, "壹万零伍元整"},
		{100000010, "壹佰万元零壹角整"},
		{1200000, "壹万贰仟元整"},
		{500000, "伍仟元整"},
		{1, "壹分"},
		{5, "伍分"},
		{50, "伍角整"},
		{55, "伍角伍分"},
		{100, "壹元整"},
		{105, "壹元零伍分"},
		{110, "壹元壹角整"},
		{1500, "壹拾伍元整"},
		{2000, "贰拾元整"},
		{10000, "壹佰元整"},
		{10100, "壹佰零壹元整"},
		{11000, "壹佰壹拾元整"},
		{140950, "壹仟肆佰零玖元伍角整"},
		{168032, "壹仟陆佰捌拾元零叁角贰分"},
		{10700053, "壹拾万柒仟元零伍角叁分"},
		{1640902, "壹万陆仟肆佰零玖元零贰分"},
		{32504, "叁佰贰拾伍元零肆分"},
		{10000000, "壹拾万元整"},
		{1000000000, "壹仟万元整"},
		{10000000000, "壹亿元整"},
		{10000010000, "壹亿零壹佰元整"},
		{10001000000, "壹亿零壹万元整"},
		{12034056078, "壹亿贰仟零叁拾肆万零伍佰陆拾元零柒角捌分"},
		{100000000000000, "壹万亿元整"},
		{29166667, "贰拾玖万壹仟陆佰陆拾陆元陆角柒分"},
		{-50000, "负伍佰元整"},
	}
	for _, c := range cases {
		if got := Capitals(c.fen); got != c.want {
			t.Errorf("Capitals(%d) = %s, want %s", c.fen, got, c.want)
		}
	}
}

// TestCapitalsExtremes checks the ends of int64: the largest amount is spelt
// in full and the smallest with its sign, without overflow.
func TestCapitalsExtremes(t *testing.T) {
	const maxWant = "玖亿亿贰仟贰佰叁拾叁万亿柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"
	if got := Capitals(math.MaxInt64); got != maxWant {
		t.Errorf("Capitals(MaxInt64) = %s, want %s", got, maxWant)
	}
	const minWant = "负玖亿亿贰仟贰佰叁拾叁万亿柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"
	if got := Capitals(math.MinInt64); got != minWant {
		t.Errorf("Capitals(MinInt64) = %s, want %s", got, minWant)
	}
}
