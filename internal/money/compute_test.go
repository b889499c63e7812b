package money

import (
	"strings"
	"testing"
)

func TestMonthsServed(t *testing.T) {
	cases := []struct {
		start, end, from, to string
		want                 int
	}{
		{"2026-01-01", "2026-12-31", "2026-01-01", "2026-12-31", 12},
		{"2026-01-01", "2026-07-31", "2026-01-01", "2026-12-31", 7}, // served 7 months, then replaced
		{"2026-08-01", "2026-12-31", "2026-01-01", "2026-12-31", 5}, // the replacement
		{"2026-01-01", "2026-07-14", "2026-01-01", "2026-12-31", 6}, // not in force on 15 July
		{"2026-07-15", "2026-12-31", "2026-01-01", "2026-12-31", 6}, // July goes to the replacement
		{"2026-01-05", "2026-12-30", "2026-01-01", "2026-12-31", 12},
		{"2025-03-01", "2027-02-28", "2026-01-01", "2026-12-31", 12},
		{"2026-01-01", "2026-12-31", "2026-07-01", "2026-12-31", 6}, // the second half-year
		{"2026-01-01", "2026-03-31", "2026-07-01", "2026-12-31", 0},
		{"2026-05-16", "2026-06-14", "2026-01-01", "2026-12-31", 0}, // never in force on a 15th
	}
	for _, c := range cases {
		if got := MonthsServed(c.start, c.end, c.from, c.to); got != c.want {
			t.Errorf("MonthsServed(%s..%s in %s..%s) = %d, want %d", c.start, c.end, c.from, c.to, got, c.want)
		}
	}
}

// quarters are four quarters of on-site hours, the third short by 2 hours.
func quarters() []DutyResult {
	q := func(n, end string, min int) DutyResult {
		return DutyResult{RuleID: "onsite_hours_quarter", RuleName: "到村服务", PeriodLabel: "2026年第" + n + "季度", PeriodEnd: end,
			Minutes: min, NeedMinutes: 480, Met: min >= 480}
	}
	return []DutyResult{q("1", "2026-03-31", 480), q("2", "2026-06-30", 600), q("3", "2026-09-30", 360), q("4", "2026-12-31", 120)}
}

func TestComputeLineHoursShort(t *testing.T) {
	// 250 yuan per hour short: Q3 is 2 hours short (500 yuan), Q4 6 hours (1,500 yuan).
	r := DeductionRule{ID: 1, Kind: RuleHourShort, DutyRule: "onsite_hours_quarter", AmountFen: 25000}
	got := ComputeLine(LineInput{Yearly: 500000, Months: 12, Today: "2027-01-10", Duties: quarters(), Rules: []DeductionRule{r}})
	if got.Prorated != 500000 || got.Deduction != 200000 || got.Due != 300000 || len(got.Details) != 2 {
		t.Fatalf("hours short: %+v", got)
	}
	if want := "2026年第3季度到村服务 6/8 小时，扣减 500.00 元"; got.Details[0].Reason != want {
		t.Errorf("reason = %q, want %q", got.Details[0].Reason, want)
	}
	// Before the fourth quarter has ended only the third counts.
	got = ComputeLine(LineInput{Yearly: 500000, Months: 12, Today: "2026-12-31", Duties: quarters(), Rules: []DeductionRule{r}})
	if got.Deduction != 50000 {
		t.Errorf("before Q4 ended: %+v", got)
	}
	// Part hours: 100 yuan per hour, 25 minutes short → 41.666… yuan → 41.67.
	d := []DutyResult{{RuleID: "x", RuleName: "到村服务", PeriodLabel: "2026年第1季度", PeriodEnd: "2026-03-31", Minutes: 455, NeedMinutes: 480}}
	got = ComputeLine(LineInput{Yearly: 500000, Months: 12, Today: "2027-01-10", Duties: d, Rules: []DeductionRule{{Kind: RuleHourShort, AmountFen: 10000}}})
	if got.Deduction != 4167 {
		t.Errorf("25 minutes at 100 yuan/hour = %d fen, want 4167", got.Deduction)
	}
}

// TestComputeLineCapped is the hand-worked case of a capped deduction: 300
// yuan per missed period over four missed periods would be 1,200 yuan; the
// rule's cap stops it at 1,000.
func TestComputeLineCapped(t *testing.T) {
	var ds []DutyResult
	for _, m := range []string{"03", "06", "09", "12"} {
		ds = append(ds, DutyResult{RuleID: "affairs_review_quarter", RuleName: "村务法律审查", PeriodLabel: "Q" + m, PeriodEnd: "2026-" + m + "-28", Count: 0, Need: 1})
	}
	r := DeductionRule{ID: 2, Kind: RuleMissedPeriod, AmountFen: 30000, CapFen: 100000}
	got := ComputeLine(LineInput{Yearly: 500000, Months: 12, Today: "2027-01-10", Duties: ds, Rules: []DeductionRule{r}})
	if got.Deduction != 100000 || got.Due != 400000 {
		t.Fatalf("capped: %+v", got)
	}
	fens := [4]Fen{got.Details[0].Fen, got.Details[1].Fen, got.Details[2].Fen, got.Details[3].Fen}
	if fens != [4]Fen{30000, 30000, 30000, 10000} || !got.Details[3].Capped || got.Details[2].Capped {
		t.Errorf("capped details: %+v", got.Details)
	}
	if !strings.Contains(got.Details[3].Reason, "村务法律审查 0/1 次，扣减 100.00 元（已达扣减上限）") {
		t.Errorf("capped reason: %q", got.Details[3].Reason)
	}
	// A rule for another duty rule deducts nothing.
	r.DutyRule = "duty_week"
	if got := ComputeLine(LineInput{Yearly: 500000, Months: 12, Today: "2027-01-10", Duties: ds, Rules: []DeductionRule{r}}); got.Deduction != 0 {
		t.Errorf("other duty rule: %+v", got)
	}
	// Deductions never exceed the line: 7 months (2,916.67 yuan) less 4 × 1,000.
	r = DeductionRule{ID: 3, Kind: RuleMissedPeriod, AmountFen: 100000}
	got = ComputeLine(LineInput{Yearly: 500000, Months: 7, Today: "2027-01-10", Duties: ds, Rules: []DeductionRule{r}})
	if got.Prorated != 291667 || got.Deduction != 291667 || got.Due != 0 || got.Details[2].Fen != 91667 || got.Details[3].Fen != 0 {
		t.Errorf("deductions above the line: %+v", got)
	}
}

func TestComputeLineGradeAndTownShare(t *testing.T) {
	rules := []DeductionRule{{ID: 4, Kind: RuleGrade, Grade: "基本合格", Pct: 10}, {ID: 5, Kind: RuleGrade, Grade: "不合格", Pct: 50}}
	// No grade known: nothing deducted.
	got := ComputeLine(LineInput{Yearly: 500000, Months: 7, Today: "2027-01-10", Rules: rules, TownPays: true, TownPct: 30})
	if got.Deduction != 0 || got.Due != 291667 || got.TownFen != 87500 {
		t.Errorf("no grade: %+v", got) // 30% of 2,916.67 = 875.001 → 875.00
	}
	got = ComputeLine(LineInput{Yearly: 500000, Months: 7, Today: "2027-01-10", Rules: rules, HasGrade: true, Grade: "基本合格", TownPays: true, TownPct: 30})
	// 10% of 291,667 fen = 29,166.7 → 29,167; due 262,500; the town's 30% = 78,750.
	if got.Deduction != 29167 || got.Due != 262500 || got.TownFen != 78750 || got.Details[0].Reason != "年度考核基本合格，扣减补贴 10%，扣减 291.67 元" {
		t.Errorf("grade: %+v", got)
	}
	// Town share never splits a fen: the county pays the rest.
	got = ComputeLine(LineInput{Yearly: 500001, Months: 12, Today: "2027-01-10", TownPays: true, TownPct: 33})
	if got.TownFen != 165000 || got.Due-got.TownFen != 335001 {
		t.Errorf("share: %+v", got)
	}
}
