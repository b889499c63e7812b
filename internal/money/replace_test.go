package money_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// TestReplace ends 王伟's 东关村 agreement after July and gives the rest of
// the year to 李娜: two lines, 7 and 5 months of 5,000 yuan (2,916.67 +
// 2,083.33 = 5,000.00), and the replaced advisor's missed quarter still
// deducted from his line.
func TestReplace(t *testing.T) {
	mEngines(t, func(t *testing.T, w *mWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.m.AddRule(w.Ctx, w.ZNBureau, money.DeductionRule{Kind: money.RuleHourShort, DutyRule: "onsite_hours_quarter", AmountFen: 25000}); err != nil {
			t.Fatal(err)
		}
		w.Now = at(2026, 3, 20)
		w.Record(w.Advisor, testworld.OnsiteEntry("2026-03-20", 480))
		w.Now = at(2026, 8, 3)
		before := w.Counts()
		for name, c := range map[string]struct {
			a     *counsel.Actor
			in    money.ReplaceInput
			field string
			code  counsel.Code
		}{
			"after the end":          {w.ZNBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-12-31", AdvisorID: w.ZA2.ID, Reason: "执业变动"}, "last_day", counsel.CodeInvalid},
			"same advisor":           {w.ZNBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.ZA1.ID, Reason: "执业变动"}, "advisor_id", counsel.CodeInvalid},
			"no reason":              {w.ZNBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.ZA2.ID}, "reason", counsel.CodeInvalid},
			"another county":         {w.JHBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.ZA2.ID, Reason: "执业变动"}, "", counsel.CodeNotFound},
			"the provider":           {w.Provider, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.ZA2.ID, Reason: "执业变动"}, "", counsel.CodeForbidden},
			"other county's advisor": {w.ZNBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.JA1.ID, Reason: "执业变动"}, "advisor_id", counsel.CodeInvalid},
		} {
			_, err := w.m.Replace(w.Ctx, c.a, c.in)
			testworld.WantCode(t, name, err, c.code)
			if c.field != "" && testworld.Field(err, c.field) == nil {
				t.Errorf("%s: %v, want an error on %s", name, err, c.field)
			}
		}
		w.SameCounts("refused replacements", before, w.Counts())
		next, err := w.m.Replace(w.Ctx, w.ZNBureau, money.ReplaceInput{AgreementID: w.G1.ID, LastDay: "2026-07-31", AdvisorID: w.ZA2.ID, Reason: "考核不合格，予以撤换"})
		if err != nil {
			t.Fatal(err)
		}
		old, _ := registry.Agreement(w.Ctx, w.DB, w.G1.ID)
		if old.Status != counsel.AgreementReplaced || old.EndDate != "2026-07-31" || next.StartDate != "2026-08-01" || next.EndDate != "2026-12-31" ||
			next.AdvisorID != w.ZA2.ID || next.Status != counsel.AgreementSigned || next.SubsidyFen != 500000 {
			t.Fatalf("old %+v, next %+v", old, next)
		}
		if au := w.Audit(); au[0].Action != "replace" || !strings.Contains(au[0].After, "考核不合格") {
			t.Errorf("audit: %+v", au[0])
		}
		for m := time.September; m <= time.December; m++ {
			w.Now = at(2026, m, 1)
			if _, err := w.Lg.EnsurePeriods(w.Ctx, w.Now.Format("2006-01-02")); err != nil {
				t.Fatal(err)
			}
		}
		w.Now = at(2027, 1, 10)
		st, err := w.m.Run(w.Ctx, w.ZNBureau, money.RunInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		_, lines, _, _ := w.m.Settlement(w.Ctx, w.ZNBureau, st.ID)
		a, b := lineBy(t, lines, w.G1.ID), lineBy(t, lines, next.ID)
		if a.Months != 7 || a.ProratedFen != 291667 || b.Months != 5 || b.ProratedFen != 208333 || a.ProratedFen+b.ProratedFen != 500000 {
			t.Errorf("split: %+v / %+v", a, b)
		}
		var reasons []string
		for _, d := range a.Details {
			reasons = append(reasons, d.Reason)
		}
		// The ledger keeps one row per village and period: the third quarter,
		// shared by both advisors, is judged on the old one's July (3 of 8
		// hours prorated), the fourth on the successor.
		if len(reasons) != 2 || reasons[0] != "2026年第2季度到村服务 0/8 小时，扣减 2,000.00 元" || reasons[1] != "2026年第3季度到村服务 0/3 小时，扣减 750.00 元" {
			t.Errorf("the replaced advisor's deductions: %q", reasons)
		}
		if len(b.Details) != 1 || b.Details[0].Reason != "2026年第4季度到村服务 0/8 小时，扣减 2,000.00 元" || b.DueFen != 8333 {
			t.Errorf("the successor's deductions: %+v", b)
		}
	})
}
