package holiday

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel/internal/calendar"
)

// LineError is a problem with one line of pasted or uploaded text: its
// number (1-based), a message key and its arguments.
type LineError struct {
	Line int
	Key  string
	Args []any
}

// The date forms an arrangement is written in: 2027-01-01, 2027/1/1,
// 2027.1.1, 2027年1月1日, 1月1日 (the year of the form), and in a range the
// end also as 3日.
var (
	reFull  = `(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?`
	reMonth = `(\d{1,2})\s*月\s*(\d{1,2})\s*日`
	reDay   = `(\d{1,2})\s*日`
	reDate  = `(?:` + reFull + `|` + reMonth + `)`
	reRange = regexp.MustCompile(reDate + `(?:\s*(?:至|到|~|～|—|－|--)\s*(?:` + reFull + `|` + reMonth + `|` + reDay + `))?`)
)

// kinds: the words that say a day is off or a make-up working day.
var workWords = []string{"调休上班", "补班", "上班", "workday", "work", "班"}
var offWords = []string{"放假", "休息", "holiday", "off", "休", "假"}

// ParseArrangement reads a year's official arrangement as an administrator
// pastes or uploads it: one line per day or range of days, or the lines of
// the State Council's notice itself, e.g.
//
//	2027-01-01,holiday,元旦         (the CSV of holidays.csv)
//	2027年2月6日至2月12日 放假 春节
//	2027-02-14 上班 春节
//	10月1日至7日 国庆节
//	二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月14日（周日）上班。
//
// A sentence (up to 。 or ；) without 上班/补班/workday is days off; one
// without a holiday name takes the line's. Lines starting with # and a
// "date,kind,name" header are skipped; a line with no date is an error (so
// nothing pasted is silently dropped). Every date must fall in year; a
// make-up working day must be a Saturday or Sunday; a date may appear once.
// The days come back in date order; any problem is reported by line and
// nothing else is returned.
func ParseArrangement(year int, text string) ([]calendar.Day, []LineError) {
	var days []calendar.Day
	var errs []LineError
	seen := map[string]int{}
	text = strings.TrimPrefix(text, "\ufeff")
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		n := i + 1
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.EqualFold(strings.ReplaceAll(line, " ", ""), "date,kind,name") {
			continue
		}
		found, lineName := false, ""
		for _, sentence := range strings.FieldsFunc(line, func(r rune) bool { return r == '。' || r == '；' || r == ';' }) {
			sentence = reWeekday.ReplaceAllString(sentence, "")
			sentence = reEnum.ReplaceAllString(strings.TrimSpace(sentence), "")
			ms := reRange.FindAllStringSubmatchIndex(sentence, -1)
			if len(ms) == 0 {
				continue
			}
			found = true
			rest := sentence
			for k := len(ms) - 1; k >= 0; k-- {
				rest = rest[:ms[k][0]] + " " + rest[ms[k][1]:]
			}
			kind, name := kindAndName(rest)
			if name == "" {
				name = lineName
			} else if lineName == "" {
				lineName = name
			}
			for _, idx := range ms {
				m := make([]string, len(idx)/2)
				for g := range m {
					if idx[2*g] >= 0 {
						m[g] = sentence[idx[2*g]:idx[2*g+1]]
					}
				}
				from, to, ok := rangeOf(year, m)
				if !ok {
					errs = append(errs, LineError{n, "hol.err_bad_date", []any{n, clip(m[0])}})
					continue
				}
				if from.Year() != year || to.Year() != year {
					errs = append(errs, LineError{n, "hol.err_year", []any{n, clip(m[0]), year}})
					continue
				}
				if to.Before(from) || to.Sub(from) > 31*24*time.Hour {
					errs = append(errs, LineError{n, "hol.err_range", []any{n, clip(m[0])}})
					continue
				}
				for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
					date := d.Format(calendar.DateLayout)
					if kind == calendar.KindWorkday && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
						errs = append(errs, LineError{n, "hol.err_workday_weekday", []any{n, date}})
						continue
					}
					if first, dup := seen[date]; dup {
						errs = append(errs, LineError{n, "hol.err_duplicate", []any{n, date, first}})
						continue
					}
					seen[date] = n
					days = append(days, calendar.Day{Date: date, Kind: kind, Name: name})
				}
			}
		}
		if !found {
			errs = append(errs, LineError{n, "hol.err_no_date", []any{n, clip(line)}})
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	if len(days) == 0 {
		return nil, []LineError{{0, "hol.err_empty", nil}}
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Date < days[j].Date })
	return days, nil
}

// reWeekday is the weekday notices put after a date: （周六）, (星期日).
var reWeekday = regexp.MustCompile(`[（(]\s*(?:周|星期)[一二三四五六日天]\s*[）)]`)

// reEnum is a notice's item number: 一、 二、.
var reEnum = regexp.MustCompile(`^[一二三四五六七八九十]+、`)

// reCount is a notice's day count: 共7天.
var reCount = regexp.MustCompile(`^共\s*\d+\s*天$`)

// rangeOf reads the first and last date of a matched line.
func rangeOf(year int, m []string) (from, to time.Time, ok bool) {
	// m[1..3] full date, m[4..5] month-day; end: m[6..8] full, m[9..10] month-day, m[11] day.
	num := func(s string) int { v, _ := strconv.Atoi(s); return v }
	switch {
	case m[1] != "":
		from, ok = mkDate(num(m[1]), num(m[2]), num(m[3]))
	default:
		from, ok = mkDate(year, num(m[4]), num(m[5]))
	}
	if !ok {
		return
	}
	switch {
	case m[6] != "":
		to, ok = mkDate(num(m[6]), num(m[7]), num(m[8]))
	case m[9] != "":
		to, ok = mkDate(from.Year(), num(m[9]), num(m[10]))
	case m[11] != "":
		to, ok = mkDate(from.Year(), int(from.Month()), num(m[11]))
	default:
		to = from
	}
	return
}

// mkDate builds a date, refusing ones the calendar has not (2月30日).
func mkDate(y, mo, d int) (time.Time, bool) {
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	return t, mo >= 1 && mo <= 12 && t.Day() == d && int(t.Month()) == mo
}

// kindAndName reads what follows the dates: a kind word and a name, in any
// order, separated by commas or spaces.
func kindAndName(rest string) (kind, name string) {
	kind = calendar.KindHoliday
	fields := strings.FieldsFunc(rest, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\t' || r == '　' || r == ';' || r == '；' || r == '(' || r == ')' || r == '（' || r == '）' ||
			r == '：' || r == ':' || r == '。' || r == '.'
	})
	var names []string
	for _, f := range fields {
		switch {
		case hasWord(f, workWords):
			kind = calendar.KindWorkday
		case hasWord(f, offWords), reCount.MatchString(f), f == "至", f == "到", f == "和", f == "及":
		default:
			names = append(names, f)
		}
	}
	name = strings.Join(names, " ")
	if len([]rune(name)) > 20 {
		name = string([]rune(name)[:20])
	}
	return kind, name
}

// hasWord reports whether f is one of words (ASCII ones in any case) or a
// short phrase such as 放假调休 or 调休上班 made of them.
func hasWord(f string, words []string) bool {
	lf := strings.ToLower(f)
	for _, w := range words {
		if lf == w {
			return true
		}
	}
	if len([]rune(f)) <= 4 {
		for _, w := range words {
			if len([]rune(w)) >= 2 && strings.Contains(f, w) && !strings.ContainsAny(f, "0123456789") {
				return true
			}
		}
	}
	return false
}

func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// FormatCSV writes days in the format of holidays.csv (what the preview
// carries to the save, and what an administrator can download).
func FormatCSV(days []calendar.Day) string {
	var b strings.Builder
	b.WriteString("date,kind,name\n")
	for _, d := range days {
		fmt.Fprintf(&b, "%s,%s,%s\n", d.Date, d.Kind, strings.ReplaceAll(d.Name, ",", " "))
	}
	return b.String()
}
