package xlsx

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	counsel "github.com/villagecounsel/counsel"
)

// excelEpoch is day 0 of the 1900 date system as Excel counts after its
// phantom 1900-02-29 (serial 60): serial 61 is 1900-03-01.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Serials Excel can show as dates (1900-03-01 … 9999-12-31).
const (
	minSerial = 61
	maxSerial = 2958465
)

// ParseDate reads a date as clerks write it and returns it as YYYY-MM-DD:
// "2024-06-15", "2024-6-15", "2024/6/15", "2024.6.15", "2024年6月15日" (or
// "…15号"), "20240615", any of them followed by a time ("2024-06-15 00:00:00"),
// and an Excel serial day number ("45458", "45458.5") as a date cell reads
// raw. Full-width digits and punctuation are accepted. ok is false for
// anything else, including impossible calendar dates.
func ParseDate(s string) (date string, ok bool) {
	s = normalizeDigits(clean(s))
	if s == "" || len(s) > 40 {
		return "", false
	}
	// A serial day number, possibly with a time fraction.
	if serial, err := strconv.ParseFloat(s, 64); err == nil && isSerialText(s) {
		return serialDate(serial)
	}
	// Drop a time of day after the date.
	if i := strings.IndexAny(s, " T"); i > 0 {
		if !validClock(strings.TrimSpace(s[i+1:])) {
			return "", false
		}
		s = s[:i]
	}
	if len(s) == 8 && digitsOnly(s) {
		return ymd(s[:4], s[4:6], s[6:])
	}
	if strings.Contains(s, "年") {
		y, rest, _ := strings.Cut(s, "年")
		m, rest, ok := strings.Cut(rest, "月")
		if !ok {
			return "", false
		}
		d := strings.TrimSuffix(strings.TrimSuffix(rest, "日"), "号")
		return ymd(y, m, d)
	}
	for _, sep := range []string{"-", "/", "."} {
		parts := strings.Split(s, sep)
		if len(parts) == 3 {
			return ymd(parts[0], parts[1], parts[2])
		}
	}
	return "", false
}

// isSerialText reports whether s looks like a plain serial number: digits with
// at most one decimal point, no sign or exponent.
func isSerialText(s string) bool {
	dot := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	// "20240615" is a date written without separators, not a serial.
	whole, _, _ := strings.Cut(s, ".")
	return len(whole) <= 7
}

func serialDate(serial float64) (string, bool) {
	if serial < minSerial || serial >= maxSerial+1 {
		return "", false
	}
	return excelEpoch.AddDate(0, 0, int(serial)).Format(counsel.DateLayout), true
}

// validClock accepts "10:30", "10:30:00", "00:00:00.000" after a date.
func validClock(s string) bool {
	if s == "" {
		return true
	}
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for i, p := range parts {
		if i == 2 {
			p, _, _ = strings.Cut(p, ".")
		}
		if len(p) < 1 || len(p) > 2 || !digitsOnly(p) {
			return false
		}
	}
	return true
}

func ymd(ys, ms, ds string) (string, bool) {
	ys, ms, ds = strings.TrimSpace(ys), strings.TrimSpace(ms), strings.TrimSpace(ds)
	if len(ys) != 4 || len(ms) < 1 || len(ms) > 2 || len(ds) < 1 || len(ds) > 2 ||
		!digitsOnly(ys) || !digitsOnly(ms) || !digitsOnly(ds) {
		return "", false
	}
	y, _ := strconv.Atoi(ys)
	m, _ := strconv.Atoi(ms)
	d, _ := strconv.Atoi(ds)
	if y < 1900 || m < 1 || m > 12 || d < 1 || d > 31 {
		return "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), true
}

// excelSerial converts a YYYY-MM-DD date to an Excel serial day number.
func excelSerial(date string) (float64, bool) {
	t, err := time.Parse(counsel.DateLayout, date)
	if err != nil {
		return 0, false
	}
	serial := t.Sub(excelEpoch).Hours() / 24
	if serial < minSerial || serial > maxSerial {
		return 0, false
	}
	return serial, true
}

// normalizeDigits maps full-width digits and date punctuation to ASCII.
func normalizeDigits(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r >= 0xFF00 && r <= 0xFFEF || r == '\u3000' }) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '－':
			b.WriteByte('-')
		case r == '／':
			b.WriteByte('/')
		case r == '．':
			b.WriteByte('.')
		case r == '：':
			b.WriteByte(':')
		case r == '\u3000':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func digitsOnly(s string) bool {
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
