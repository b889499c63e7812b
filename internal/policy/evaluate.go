package policy

import (
	"fmt"
	"sort"
	"strings"
)

// States of a Status.
const (
	StateMet    = "met"    // the (scaled) quota is reached
	StateDue    = "due"    // not yet reached, the period is still running
	StateMissed = "missed" // the period ended (for this agreement) unmet
)

// Entry summarises one ledger entry for evaluation.
type Entry struct {
	Date    string `json:"date"` // YYYY-MM-DD
	Kind    string `json:"kind"`
	Mode    string `json:"mode"`
	Minutes int    `json:"minutes"`
}

// Term is an agreement's service term, inclusive; End "" means open-ended.
type Term struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Status is the outcome of one rule in one period.
type Status struct {
	RuleID      string `json:"rule_id"`
	RuleName    string `json:"rule_name"`
	Period      Period `json:"period"`
	State       string `json:"state"`
	Count       int    `json:"count"`        // qualifying entries
	Need        int    `json:"need"`         // scaled MinCount (0 = no count quota)
	Minutes     int    `json:"minutes"`      // minutes of qualifying entries
	NeedMinutes int    `json:"need_minutes"` // scaled MinTotalMinutes (0 = no time quota)
	Reason      string `json:"reason"`       // zh: "本周驻点值班 0/1 次"
	ReasonEN    string `json:"reason_en"`
	Partial     bool   `json:"partial,omitempty"` // the term covers only part of the period
	Note        string `json:"note,omitempty"`    // zh, explains the scaling
	NoteEN      string `json:"note_en,omitempty"`
}

// Evaluate returns, for every rule of p binding the village and every period
// of that rule overlapping the term up to today, the period's status, ordered
// by rule then period. Periods starting after today are not listed.
//
// An entry counts toward a period when its date lies in both the period and
// the term and is not after today, and it qualifies under the rule (see Rule).
//
// State: "met" as soon as every quota of the rule is reached (even while the
// period runs); otherwise "missed" when the covered part of the period (see
// below) has ended before today, else "due".
//
// Partly covered periods: when the term starts or ends inside a period only
// the covered days [max(period start, term start), min(period end, term end)]
// are required. The quotas are scaled by covered/total days and rounded up:
// counts to the next whole entry, minutes to the next half hour (30 min),
// never above the full quota. E.g. 8 hours a quarter with 45 of 92 days
// covered: 480×45/92 = 234.8 → 240 min = 4 小时; 2 lectures a year with 184 of
// 365 days: 1.008 → 2. Such statuses have Partial set and a Note
// ("协议期内本季度仅覆盖 45/92 天，要求按比例折算为 4 小时"). A partial period
// ends, for the missed/due decision, on the term's end date.
//
// Malformed dates in term or today yield nil; malformed entry dates are
// ignored.
func Evaluate(p Policy, village VillageFlags, term Term, entries []Entry, today string) []Status {
	ts, ok1 := parseDate(term.Start)
	tdy, ok2 := parseDate(today)
	if !ok1 || !ok2 {
		return nil
	}
	end := today
	if term.End != "" {
		te, ok := parseDate(term.End)
		if !ok || te.Before(ts) {
			return nil
		}
		if term.End < end {
			end = term.End
		}
	}
	if tdy.Before(ts) {
		return nil
	}
	termEnd := term.End
	if termEnd == "" {
		termEnd = "9999-12-31"
	}
	var out []Status
	for _, r := range p.Rules {
		if r.Disabled || !r.AppliesTo(village) || !ValidPeriodKind(r.Period) || (r.MinCount <= 0 && r.MinTotalMinutes <= 0) {
			continue
		}
		// Qualifying entries within the term up to today, sorted by date.
		var q []Entry
		for _, e := range entries {
			if _, ok := parseDate(e.Date); !ok || e.Date < term.Start || e.Date > end {
				continue
			}
			if qualifies(r, e) {
				q = append(q, e)
			}
		}
		sort.Slice(q, func(i, j int) bool { return q[i].Date < q[j].Date })
		for _, per := range Periods(r.Period, term.Start, end) {
			out = append(out, evalPeriod(r, per, term.Start, termEnd, today, q))
		}
	}
	return out
}

func qualifies(r Rule, e Entry) bool {
	if len(r.Kinds) > 0 && !contains(r.Kinds, e.Kind) {
		return false
	}
	if len(r.Modes) > 0 && !contains(r.Modes, e.Mode) {
		return false
	}
	return e.Minutes >= r.MinEntryMinutes
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func evalPeriod(r Rule, per Period, termStart, termEnd, today string, q []Entry) Status {
	from, to := coveredSpan(per, termStart, termEnd)
	count, minutes := 0, 0
	i := sort.Search(len(q), func(i int) bool { return q[i].Date >= from })
	for ; i < len(q) && q[i].Date <= to; i++ {
		count++
		minutes += q[i].Minutes
	}
	return Judge(r, per, termStart, termEnd, today, count, minutes)
}

// coveredSpan returns the part of per inside the term [termStart, termEnd]
// (termEnd "" = open-ended).
func coveredSpan(per Period, termStart, termEnd string) (from, to string) {
	from, to = per.Start, per.End
	if termStart > from {
		from = termStart
	}
	if termEnd != "" && termEnd < to {
		to = termEnd
	}
	return from, to
}

// Qualifies reports whether an entry counts toward rule r (kind, mode and
// minimum length of one entry).
func Qualifies(r Rule, e Entry) bool { return qualifies(r, e) }

// Need returns r's quotas for period per under the term, scaled for a partly
// covered period (see Evaluate), and whether it was scaled.
func Need(r Rule, per Period, termStart, termEnd string) (need, needMinutes int, partial bool) {
	from, to := coveredSpan(per, termStart, termEnd)
	fd, ok1 := parseDate(from)
	td, ok2 := parseDate(to)
	need, needMinutes = r.MinCount, r.MinTotalMinutes
	if !ok1 || !ok2 || td.Before(fd) {
		return need, needMinutes, false
	}
	covered, total := days(fd, td), per.Days()
	if covered >= total {
		return need, needMinutes, false
	}
	if r.MinCount > 0 {
		need = min(r.MinCount, (r.MinCount*covered+total-1)/total)
	}
	if r.MinTotalMinutes > 0 {
		m := (r.MinTotalMinutes*covered + total - 1) / total
		needMinutes = min(r.MinTotalMinutes, (m+29)/30*30)
	}
	return need, needMinutes, true
}

// Judge returns the status of rule r in period per given the qualifying
// count and minutes inside the covered part of the period: what Evaluate
// computes from entries, here from counters kept elsewhere.
func Judge(r Rule, per Period, termStart, termEnd, today string, count, minutes int) Status {
	from, to := coveredSpan(per, termStart, termEnd)
	st := Status{RuleID: r.ID, RuleName: r.Name, Period: per, Count: count, Minutes: minutes}
	st.Need, st.NeedMinutes, st.Partial = Need(r, per, termStart, termEnd)
	switch {
	case st.Count >= st.Need && st.Minutes >= st.NeedMinutes:
		st.State = StateMet
	case to < today:
		st.State = StateMissed
	default:
		st.State = StateDue
	}
	current := per.Contains(today)
	st.Reason, st.ReasonEN = reasons(r, per, current, st)
	if st.Partial {
		fd, _ := parseDate(from)
		td, _ := parseDate(to)
		st.Note, st.NoteEN = notes(r, per, current, days(fd, td), per.Days(), st)
	}
	return st
}

// hours formats minutes as hours with at most one decimal; up rounds the
// tenth up (for requirements), otherwise down (for achievements), so 479 min
// never reads as "8" against a need of 8.
func hours(min int, up bool) string {
	t := min * 10 / 60
	if up {
		t = (min*10 + 59) / 60
	}
	if t%10 == 0 {
		return fmt.Sprint(t / 10)
	}
	return fmt.Sprintf("%d.%d", t/10, t%10)
}

func periodWords(per Period, current bool) (zh, en string) {
	if current {
		return thisZH[per.Kind], thisEN[per.Kind]
	}
	return PeriodLabel(per, "zh"), "in " + PeriodLabel(per, "en")
}

// reasons builds "本周驻点值班 0/1 次", "本季度到村服务 7.5/8 小时",
// "2026年到村坐班 11/12 次（每次不少于4小时）" and their English forms.
func reasons(r Rule, per Period, current bool, st Status) (string, string) {
	pz, pe := periodWords(per, current)
	name := r.Name
	nameEN := r.NameEN
	if nameEN == "" {
		nameEN = r.ID
	}
	var zh, en []string
	if st.Need > 0 {
		s := fmt.Sprintf("%s%s %d/%d 次", pz, name, st.Count, st.Need)
		e := fmt.Sprintf("%s: %d of %d %s", nameEN, st.Count, st.Need, pe)
		if r.MinEntryMinutes > 0 {
			s += fmt.Sprintf("（每次不少于%s小时）", hours(r.MinEntryMinutes, true))
			e += fmt.Sprintf(" (at least %s h each)", hours(r.MinEntryMinutes, true))
		}
		zh, en = append(zh, s), append(en, e)
	}
	if st.NeedMinutes > 0 {
		if st.Need > 0 {
			zh = append(zh, fmt.Sprintf("合计 %s/%s 小时", hours(st.Minutes, false), hours(st.NeedMinutes, true)))
			en = append(en, fmt.Sprintf("%s of %s hours in total", hours(st.Minutes, false), hours(st.NeedMinutes, true)))
		} else {
			zh = append(zh, fmt.Sprintf("%s%s %s/%s 小时", pz, name, hours(st.Minutes, false), hours(st.NeedMinutes, true)))
			en = append(en, fmt.Sprintf("%s: %s of %s hours %s", nameEN, hours(st.Minutes, false), hours(st.NeedMinutes, true), pe))
		}
	}
	return strings.Join(zh, "，"), strings.Join(en, "; ")
}

// notes explains the scaling of a partly covered period.
func notes(r Rule, per Period, current bool, covered, total int, st Status) (string, string) {
	which := "该"
	whichEN := "the"
	if current {
		which, whichEN = "本", "this"
	}
	var zh, en []string
	if st.Need > 0 {
		zh = append(zh, fmt.Sprintf("%d 次", st.Need))
		en = append(en, fmt.Sprintf("%d (of %d)", st.Need, r.MinCount))
	}
	if st.NeedMinutes > 0 {
		zh = append(zh, fmt.Sprintf("%s 小时", hours(st.NeedMinutes, true)))
		en = append(en, fmt.Sprintf("%s h (of %s h)", hours(st.NeedMinutes, true), hours(r.MinTotalMinutes, true)))
	}
	return fmt.Sprintf("协议期内%s%s仅覆盖 %d/%d 天，要求按比例折算为 %s", which, unitZH[per.Kind], covered, total, strings.Join(zh, "、")),
		fmt.Sprintf("The agreement term covers only %d of %d days of %s %s; the requirement is prorated to %s", covered, total, whichEN, per.Kind, strings.Join(en, " and "))
}
