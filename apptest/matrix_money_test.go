package apptest_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/apptest"
)

// Fixed ids of the money fixtures the probes name in paths: a settlement of
// 正宁县 for 2026 with one line (the fixture village's agreement, paid by the
// county with a town share) and a deduction rule.
const (
	moneySettlementID = 9101
	moneyLineID       = 9102
	moneyRuleID       = 9103
)

// withMoney stores the fixture settlement in the given status and the rule
// (once per application: GET rows share one).
func withMoney(status string) func(t *testing.T, app *apptest.App, x ids) {
	return func(t *testing.T, app *apptest.App, x ids) {
		t.Helper()
		ctx := context.Background()
		now := time.Now().UnixMilli()
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO money_settlements (id, region_code, year, half, period_start, period_end, status, computed_on, created_by, created_at)
				VALUES (?, ?, 2026, 0, '2026-01-01', '2026-12-31', ?, '2026-12-31', 0, ?) ON CONFLICT (id) DO NOTHING`,
				[]any{moneySettlementID, x.County, status, now}},
			{`INSERT INTO money_lines (id, settlement_id, agreement_id, village_code, advisor_id, provider_id, underdeveloped, term_start, term_end,
				standard_fen, months, prorated_fen, deduction_fen, due_fen, payer_kind, payer_code, town_fen, details)
				VALUES (?, ?, ?, ?, ?, ?, '', '2026-01-01', '2026-12-31', 500000, 12, 500000, 50000, 450000, 'county', ?, 135000,
				'[{"rule_id":1,"kind":"hour_short","reason":"2026年第3季度到村服务 6/8 小时，扣减 500.00 元","fen":50000}]') ON CONFLICT (id) DO NOTHING`,
				[]any{moneyLineID, moneySettlementID, x.Agreement, x.Village, x.Advisor, x.Provider, x.County}},
			{`INSERT INTO money_rules (id, region_code, kind, duty_rule, grade, amount_fen, pct, cap_fen, created_by, created_at)
				VALUES (?, ?, 'hour_short', 'onsite_hours_quarter', '', 25000, 0, 200000, 0, ?) ON CONFLICT (id) DO NOTHING`,
				[]any{moneyRuleID, x.County, now}},
		} {
			if err := app.DB.ExecRaw(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("money fixture: %v", err)
			}
		}
	}
}

// moneyRows are the rows of the money pages (issue 15). Standards: the
// administrator and a bureau its own jurisdiction (the county here; the city
// bureau's own city is its row in TestMoneyFinance). Rules and settlements:
// the county bureau and the administrator; the bureaus above read.
func moneyRows() map[string]probe {
	draft, locked := withMoney("draft"), withMoney("locked")
	one := "/money/settlements/" + strconv.Itoa(moneySettlementID)
	return map[string]probe{
		"GET /money":                                   {path: "/money?region={county}", allow: "admin bureau city other", setup: locked},
		"POST /money/standard":                         {path: "/money/standard", body: url.Values{"region_code": {"{county}"}, "base_fen": {"6000"}, "town_share_pct": {"30"}}, allow: countyW},
		"POST /money/rules":                            {path: "/money/rules", body: url.Values{"region_code": {"{county}"}, "kind": {"missed_period"}, "amount_fen": {"100"}, "cap_fen": {"1000"}}, allow: countyW},
		"POST /money/rules/{id}/delete":                {path: "/money/rules/" + strconv.Itoa(moneyRuleID) + "/delete", body: url.Values{}, allow: countyW, setup: draft},
		"POST /money/settlements":                      {path: "/money/settlements", body: url.Values{"region_code": {"{county}"}, "year": {"2026"}, "half": {"1"}}, allow: countyW},
		"GET /money/settlements/{id}":                  {path: one, allow: "admin bureau city", setup: locked},
		"POST /money/settlements/{id}/advance":         {path: one + "/advance", body: url.Values{"action": {"review"}}, allow: countyW, setup: draft},
		"POST /money/settlements/{id}/correct":         {path: one + "/correct", body: url.Values{"line_id": {strconv.Itoa(moneyLineID)}, "due_fen": {"4000"}, "reason": {"核减一次值班"}}, allow: countyW, setup: locked},
		"GET /money/settlements/{id}/pay/{payer}":      {path: one + "/pay/{county}", allow: "admin bureau city", setup: locked},
		"GET /money/settlements/{id}/pay/{payer}/xlsx": {path: one + "/pay/{county}/xlsx", allow: "admin bureau city", setup: locked},
	}
}
