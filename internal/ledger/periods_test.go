package ledger_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// monthlyVisits is the Zhengning preset plus a monthly visit, so an
// agreement's term shows in many periods.
func monthlyVisits() policy.Policy {
	p := policy.Zhengning()
	p.Rules = append(p.Rules, policy.Rule{ID: "visit_month", Name: "每月走访", NameEN: "Monthly visit", Period: policy.PeriodMonth, MinCount: 1})
	return p
}

// periodRows lists a village's obligation rows as "rule period_start–period_end need".
func (w *svcWorld) periodRows(village string) []string {
	w.T.Helper()
	rows, _, err := ledger.Compliance(w.Ctx, w.DB, ledger.ComplianceFilter{Village: village, Page: counsel.Page{Limit: 500}})
	if err != nil {
		w.T.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		out = append(out, r.RuleID+" "+r.PeriodStart+"–"+r.PeriodEnd)
	}
	sort.Strings(out)
	return out
}

// wantPeriods lists the rows a village must have under monthlyVisits for a
// term from start, up to today (2026-06-15).
func wantPeriods(start, end string) []string {
	if end > "2026-06-15" {
		end = "2026-06-15"
	}
	var out []string
	for _, r := range monthlyVisits().Rules {
		for _, per := range policy.Periods(r.Period, start, end) {
			out = append(out, r.ID+" "+per.Start+"–"+per.End)
		}
	}
	sort.Strings(out)
	return out
}

// TestAgreementPeriodsWithoutRecount (issue 11, 3): an agreement starting
// 2026-01-01 entered on 2026-06-15 has the rows of every period from
// January as soon as it binds, with no recount; changing its term removes
// the rows it no longer covers and prorates the partial ones; the kept
// totals always match a recount of the raw rows.
func TestAgreementPeriodsWithoutRecount(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, monthlyVisits()); err != nil {
			t.Fatal(err)
		}
		w.Svc.WaitBackground()
		// A draft does not bind yet: no rows.
		g := w.Agreement(w.Judicial, w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		if rows := w.periodRows(testworld.Xiguan); len(rows) != 0 {
			t.Fatalf("a draft agreement has obligation rows: %v", rows)
		}
		// Signed on 06-15, it has every period since 01-01 (6 months, 2
		// quarters, the year), not only the current ones.
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.Judicial, g.ID, counsel.AgreementSigned, ""); err != nil {
			t.Fatal(err)
		}
		want := wantPeriods("2026-01-01", "2026-12-31")
		if len(want) != 9 {
			t.Fatalf("want list is wrong: %v", want)
		}
		if got := w.periodRows(testworld.Xiguan); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("rows after signing on 06-15:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		w.lgNoDrift()
		// The same for an agreement created signed (or filed) in one step.
		w.Agreement(w.ZNBureau, w.ZA2, testworld.Caiyu, counsel.AgreementFiled)
		if got := w.periodRows(testworld.Caiyu); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("rows of an agreement created filed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		// The January visit is recorded; the term then moves to 04-10: the
		// rows of January–March without entries go, the counted January row
		// stays (the entry is a fact), April is prorated (21 of 30 days).
		e := testworld.OnsiteEntry("2026-01-20", 60)
		e.VillageCode = testworld.Xiguan
		w.Record(&counsel.Actor{Username: "za2", Role: counsel.RoleAdvisor, AdvisorID: w.ZA2.ID}, e)
		cur, err := w.Svc.Agreement(w.Ctx, w.ZNBureau, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		cur.StartDate = "2026-04-10"
		if err := w.Svc.SaveAgreement(w.Ctx, w.Judicial, cur); err != nil {
			t.Fatal(err)
		}
		got := w.periodRows(testworld.Xiguan)
		for _, r := range got {
			if strings.Contains(r, "2026-02-01") || strings.Contains(r, "2026-03-01") {
				t.Errorf("row outside the new term (04-10 on) left: %s", r)
			}
		}
		for _, r := range wantPeriods("2026-04-10", "2026-12-31") {
			if !contains(got, r) {
				t.Errorf("row %s missing after the term change; rows:\n%s", r, strings.Join(got, "\n"))
			}
		}
		rows, _, err := ledger.Compliance(w.Ctx, w.DB, ledger.ComplianceFilter{Village: testworld.Xiguan, Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.RuleID == "onsite_hours_quarter" && r.PeriodStart == "2026-04-01" && r.NeedMinutes >= 480 {
				t.Errorf("Q2 on-site need for a term from 04-10: %d minutes, want it prorated below 480", r.NeedMinutes)
			}
		}
		w.lgNoDrift()
		// Ending it keeps its history.
		n := len(w.periodRows(testworld.Xiguan))
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, g.ID, counsel.AgreementEnded, ""); err != nil {
			t.Fatal(err)
		}
		if m := len(w.periodRows(testworld.Xiguan)); m != n {
			t.Errorf("ending the agreement changed its rows: %d → %d", n, m)
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
