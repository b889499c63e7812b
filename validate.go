package counsel

import (
	"strings"
	"time"
	"unicode/utf8"
)

// creditChars is the GB 32100-2015 character set of the unified social credit
// code (no I, O, S, V, Z).
const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var creditWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// CreditCheckChar returns the check character for the first 17 characters of a
// unified social credit code, or 0 when one of them is outside the set.
func CreditCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditChars, first17[i])
		if v < 0 {
			return 0
		}
		sum += v * creditWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return creditChars[c]
}

// ValidCreditCode checks a unified social credit code (统一社会信用代码): 18
// characters from the GB 32100 set, a 6-digit division code at positions 3–8
// and the check character.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 2; i < 8; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return CreditCheckChar(s[:17]) == s[17]
}

// NormalizePhone removes the spaces, dashes and parentheses people type and a
// leading +86 or 86 from a mobile number; landlines keep one dash after the
// area code.
func NormalizePhone(s string) string {
	s = strings.TrimSpace(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '-' || r == '－' || r == '—':
			b.WriteByte('-')
		}
	}
	p := b.String()
	digits := strings.ReplaceAll(p, "-", "")
	if strings.HasPrefix(s, "+86") || (strings.HasPrefix(digits, "86") && len(digits) == 13) {
		digits = strings.TrimPrefix(digits, "86")
		return NormalizePhone(digits) // once more, so the result is stable (+86 86…)
	}
	if len(digits) == 11 && digits[0] == '1' {
		return digits
	}
	return strings.Trim(p, "-")
}

// ValidMobile reports whether s is a mainland mobile number (11 digits, 1[3-9]).
func ValidMobile(s string) bool {
	if len(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9' {
		return false
	}
	return allDigits(s)
}

// ValidLandline reports whether s is a mainland landline: area code 0xx or 0xxx,
// a 7- or 8-digit number, optionally an extension: 0943-1234567, 0553-1234567-801.
func ValidLandline(s string) bool {
	parts := strings.Split(s, "-")
	if len(parts) == 1 {
		// Without a dash: 010xxxxxxxx style, 10–12 digits starting with 0.
		return allDigits(s) && s != "" && s[0] == '0' && len(s) >= 10 && len(s) <= 12
	}
	if len(parts) > 3 {
		return false
	}
	area, num := parts[0], parts[1]
	if !allDigits(area) || len(area) < 3 || len(area) > 4 || area[0] != '0' || area[1] == '0' {
		return false
	}
	if !allDigits(num) || len(num) < 7 || len(num) > 8 || num[0] == '0' {
		return false
	}
	if len(parts) == 3 && (!allDigits(parts[2]) || len(parts[2]) < 1 || len(parts[2]) > 6) {
		return false
	}
	return true
}

// ValidPhone accepts a normalized mainland mobile or landline number.
func ValidPhone(s string) bool { return ValidMobile(s) || ValidLandline(s) }

// MaskPhone shows a phone number as 138****1234 or 0943****567; anything short
// is masked whole.
func MaskPhone(s string) string {
	d := strings.ReplaceAll(s, "-", "")
	if len(d) < 7 {
		return strings.Repeat("*", len(d))
	}
	if ValidMobile(d) {
		return d[:3] + "****" + d[7:]
	}
	return d[:len(d)-7] + "****" + d[len(d)-3:]
}

// MaskID shows the first 6 and last 4 characters of an ID or licence number.
func MaskID(s string) string {
	if len(s) <= 10 {
		return strings.Repeat("*", len(s))
	}
	return s[:6] + strings.Repeat("*", len(s)-10) + s[len(s)-4:]
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidLicence checks a practice licence number (执业证号) for an advisor kind:
// lawyers and public lawyers carry a 17-digit number; grassroots legal service
// workers a 6–20 character number; judicial office staff may have none.
func ValidLicence(kind, s string) bool {
	switch kind {
	case AdvisorLawyer, AdvisorPublicLawyer:
		return len(s) == 17 && allDigits(s)
	case AdvisorGrassroots:
		return len(s) >= 6 && len(s) <= 20 && alnum(s)
	case AdvisorJudicialStaff:
		return s == "" || (len(s) >= 6 && len(s) <= 20 && alnum(s))
	}
	return false
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// checkName validates a required human-readable name of at most max runes.
func checkName(f *Fields, field, v string, max int) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(v)); {
	case n == 0:
		f.Add(field, "err.required")
	case n > max:
		f.Add(field, "err.too_long", max)
	}
}

// DateLayout is the layout of dates stored and exchanged (YYYY-MM-DD).
const DateLayout = "2006-01-02"

// ValidDate reports whether s is a real calendar date in YYYY-MM-DD form.
func ValidDate(s string) bool {
	_, err := time.Parse(DateLayout, s)
	return err == nil
}
