package money

import (
	"errors"
	"strconv"
	"strings"
)

// Rounding. Every division of money happens in one of the functions below,
// and each rounds the same written-down way: half up to the whole fen
// (四舍五入到分), computed on integers so no float ever touches an amount.
// Totals are never rounded: a total is the sum of its lines' fen.

// divRound returns num/den rounded half up, for num ≥ 0 and den > 0.
func divRound(num, den int64) int64 {
	return (num + den/2) / den
}

// Prorate returns the part of a yearly amount for months served out of
// twelve: yearly × months ÷ 12, rounded half up to the fen. 5,000 yuan for
// 7 months is 2,916.67 yuan (291,666.666… fen rounds up); for 5 months
// 2,083.33 yuan (208,333.333… rounds down). The two lines of a replaced
// advisor may therefore differ from the yearly amount by one fen at most;
// each line is paid as computed and the total is their sum.
func Prorate(yearly Fen, months int) Fen {
	switch {
	case months <= 0 || yearly <= 0:
		return 0
	case months >= 12:
		return yearly
	}
	return divRound(yearly*int64(months), 12)
}

// Percent returns pct per cent of an amount, rounded half up to the fen:
// 10% of 2,916.67 yuan is 291.667 yuan → 291.67 yuan (29,166.7 fen → 29,167).
func Percent(amount Fen, pct int) Fen {
	if amount <= 0 || pct <= 0 {
		return 0
	}
	if pct >= 100 {
		return amount
	}
	return divRound(amount*int64(pct), 100)
}

// FormatYuan writes an amount in figures as offices do: thousands separated
// by commas and always two decimals (12,000.00).
func FormatYuan(fen Fen) string {
	neg := fen < 0
	u := uint64(fen)
	if neg {
		u = uint64(-(fen + 1)) + 1
	}
	whole := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	cents := u % 100
	b.WriteByte('.')
	b.WriteByte(byte('0' + cents/10))
	b.WriteByte(byte('0' + cents%10))
	return b.String()
}

// ErrAmount is returned by ParseYuan for input that is not an amount.
var ErrAmount = errors.New("not an amount of yuan")

// MaxAmount bounds any single amount typed into a form: 100 million yuan is
// far above any village's subsidy and keeps every sum of lines in int64.
const MaxAmount Fen = 100_000_000 * 100

// ParseYuan reads an amount of yuan typed by a person: digits, optional
// thousands commas, at most two decimals ("5000", "5,000.5", "12000.00").
// It never rounds: a third decimal is an error, not a rounding, so what
// was typed is what is stored. Negative amounts are errors too.
func ParseYuan(s string) (Fen, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "¥")
	s = strings.TrimSuffix(s, "元")
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, ErrAmount
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 12 || !allDigits(whole) || (hasDot && (len(frac) == 0 || len(frac) > 2 || !allDigits(frac))) {
		return 0, ErrAmount
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if v > MaxAmount {
		return 0, ErrAmount
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
