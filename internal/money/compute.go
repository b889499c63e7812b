package money

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
)

// The settlement arithmetic, without the database: what one line of an
// agreement for a village comes to. Every rounding lives in amount.go.

// MonthsServed counts the months of [from, to] (the settlement's period)
// that an agreement in force from start to end is paid for. A month is paid
// to the agreement in force on its 15th: a term from 1 January to 31 July
// gets 7 months, its replacement from 1 August 5; one ending on 14 July and
// a replacement starting on 15 July give July to the replacement. Two
// agreements of a village never both get a month, as they cannot both be in
// force on one day.
func MonthsServed(start, end, from, to string) int {
	lo, hi := maxStr(start, from), minStr(end, to)
	if lo > hi {
		return 0
	}
	f, err1 := time.Parse(counsel.DateLayout, from)
	t, err2 := time.Parse(counsel.DateLayout, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	n := 0
	for m := time.Date(f.Year(), f.Month(), 15, 0, 0, 0, 0, time.UTC); !m.After(t); m = m.AddDate(0, 1, 0) {
		d := m.Format(counsel.DateLayout)
		if d >= lo && d <= hi {
			n++
		}
	}
	return n
}

// DutyResult is one duty period of a village under an agreement, as the
// ledger counted it (its counters: ledger.ComplianceRow).
type DutyResult struct {
	RuleID      string
	RuleName    string // "到村服务"
	PeriodLabel string // "2026年第3季度"
	PeriodEnd   string
	Count       int
	Need        int
	Minutes     int
	NeedMinutes int
	Met         bool
}

// LineInput is what a line is computed from.
type LineInput struct {
	Yearly   Fen    // the yearly amount for the village
	Months   int    // months served in the period
	Today    string // periods ending before today are judged
	Duties   []DutyResult
	Grade    string
	HasGrade bool
	Rules    []DeductionRule
	TownPct  int  // the towns' share (ordinary villages only)
	TownPays bool // the village is ordinary: its town pays TownPct of it
}

// LineAmounts is the computed part of a line.
type LineAmounts struct {
	Prorated  Fen
	Deduction Fen
	Due       Fen
	TownFen   Fen
	Details   []Deduction
}

// ComputeLine applies the deduction rules to a line. The line's amount is
// Prorate(Yearly, Months) (months of twelve, whatever the period). Each rule
// adds up its deductions over the duty periods (missed periods and hours
// short are judged only for periods that ended before Today); a rule with a
// cap deducts at most the cap on one line. The line's deductions together
// never exceed its amount, so nothing is ever due below zero. The town's
// share of an ordinary village is Percent(Due, TownPct) (half up to the
// fen) and the county pays the rest, so the two add up to Due exactly.
func ComputeLine(in LineInput) LineAmounts {
	out := LineAmounts{Prorated: Prorate(in.Yearly, in.Months)}
	for _, r := range in.Rules {
		var ds []Deduction
		switch r.Kind {
		case RuleMissedPeriod:
			for _, d := range in.Duties {
				if d.Met || d.PeriodEnd >= in.Today || (r.DutyRule != "" && r.DutyRule != d.RuleID) {
					continue
				}
				reason := fmt.Sprintf("%s%s %d/%d 次", d.PeriodLabel, d.RuleName, d.Count, d.Need)
				if d.Count >= d.Need {
					reason = fmt.Sprintf("%s%s %s/%s 小时", d.PeriodLabel, d.RuleName, hoursText(d.Minutes), hoursText(d.NeedMinutes))
				}
				ds = append(ds, Deduction{RuleID: r.ID, Kind: r.Kind, Reason: reason, Fen: r.AmountFen, Period: d.PeriodLabel,
					Count: d.Count, Need: d.Need, Minutes: d.Minutes, NeedMins: d.NeedMinutes})
			}
		case RuleHourShort:
			for _, d := range in.Duties {
				if d.NeedMinutes <= 0 || d.Minutes >= d.NeedMinutes || d.PeriodEnd >= in.Today || (r.DutyRule != "" && r.DutyRule != d.RuleID) {
					continue
				}
				// amount per hour × minutes short ÷ 60, half up to the fen
				fen := divRound(r.AmountFen*int64(d.NeedMinutes-d.Minutes), 60)
				reason := fmt.Sprintf("%s%s %s/%s 小时", d.PeriodLabel, d.RuleName, hoursText(d.Minutes), hoursText(d.NeedMinutes))
				ds = append(ds, Deduction{RuleID: r.ID, Kind: r.Kind, Reason: reason, Fen: fen, Period: d.PeriodLabel,
					Minutes: d.Minutes, NeedMins: d.NeedMinutes})
			}
		case RuleGrade:
			if in.HasGrade && in.Grade == r.Grade {
				fen := Percent(out.Prorated, r.Pct)
				ds = append(ds, Deduction{RuleID: r.ID, Kind: r.Kind, Reason: fmt.Sprintf("年度考核%s，扣减补贴 %d%%", in.Grade, r.Pct), Fen: fen})
			}
		}
		var sum Fen
		for i := range ds {
			if r.CapFen > 0 && sum+ds[i].Fen > r.CapFen {
				ds[i].Fen = max(r.CapFen-sum, 0)
				ds[i].Capped = true
			}
			sum += ds[i].Fen
		}
		out.Details = append(out.Details, ds...)
	}
	// The line's own floor: deductions stop at its amount.
	var sum Fen
	for i := range out.Details {
		if sum+out.Details[i].Fen > out.Prorated {
			out.Details[i].Fen = max(out.Prorated-sum, 0)
			out.Details[i].Capped = true
		}
		sum += out.Details[i].Fen
	}
	for i := range out.Details {
		d := &out.Details[i]
		d.Reason += "，扣减 " + FormatYuan(d.Fen) + " 元"
		if d.Capped {
			d.Reason += "（已达扣减上限）"
		}
	}
	out.Deduction = sum
	out.Due = out.Prorated - sum
	if in.TownPays {
		out.TownFen = Percent(out.Due, in.TownPct)
	}
	return out
}

// hoursText writes minutes as hours with at most one decimal (6, 7.5).
func hoursText(min int) string {
	s := strconv.FormatFloat(float64(min)/60, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// SortDuties orders duty results by period end then rule, so reasons read
// in time order.
func SortDuties(ds []DutyResult) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].PeriodEnd != ds[j].PeriodEnd {
			return ds[i].PeriodEnd < ds[j].PeriodEnd
		}
		return ds[i].RuleID < ds[j].RuleID
	})
}

func maxStr(a, b string) string {
	if a > b {
		return a
	}
	return b
}

func minStr(a, b string) string {
	if a < b {
		return a
	}
	return b
}
