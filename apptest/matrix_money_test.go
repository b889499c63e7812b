package apptest_test

import (
	"context"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
)

// Fixed ids of the money fixtures the probes name in paths: a settlement of
// 正宁县 for 2026 with one line (the fixture village's agreement, paid by the
// county with a town share) and a deduction rule.
const (
	moneySettlementID = 9101
	moneyLineID       = 9102
	moneyRuleID       = 9103
	moneyAdvisorID    = 9104 // an advisor of the fixture provider with no village yet
)

// withSuccessor stores an advisor free to take over the fixture village.
func withSuccessor(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	now := time.Now().UnixMilli()
	if err := app.DB.ExecRaw(context.Background(), `INSERT INTO advisors (id, provider_id, kind, name, phone, active, created_at, updated_at)
		VALUES (?, ?, 'lawyer', '矩阵接替律师', '13912340000', TRUE, ?, ?) ON CONFLICT (id) DO NOTHING`, moneyAdvisorID, x.Provider, now, now); err != nil {
		t.Fatalf("successor fixture: %v", err)
	}
}

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
		"GET /api/v1/subsidy-standards/{code}":         {path: "/api/v1/subsidy-standards/{county}", allow: "admin bureau city other"},
		"PUT /api/v1/subsidy-standards":                {path: "/api/v1/subsidy-standards", body: map[string]any{"region_code": "{county}", "base_fen": 600000}, allow: countyW},
		"GET /api/v1/deduction-rules":                  {path: "/api/v1/deduction-rules?region={county}", allow: "admin bureau city"},
		"POST /api/v1/deduction-rules":                 {path: "/api/v1/deduction-rules", body: map[string]any{"region_code": "{county}", "kind": "missed_period", "amount_fen": 10000}, allow: countyW},
		"GET /api/v1/settlements":                      {path: "/api/v1/settlements", allow: "admin bureau city other"},
		"POST /api/v1/settlements":                     {path: "/api/v1/settlements", body: map[string]any{"region_code": "{county}", "year": 2026, "half": 1}, allow: countyW},
		"GET /api/v1/settlements/{id}":                 {path: "/api/v1" + one[len("/money"):], allow: "admin bureau city", setup: locked},
		"POST /api/v1/settlements/{id}/advance":        {path: "/api/v1" + one[len("/money"):] + "/advance", body: map[string]any{"action": "review"}, allow: countyW, setup: draft},
		"POST /api/v1/settlements/{id}/corrections":    {path: "/api/v1" + one[len("/money"):] + "/corrections", body: map[string]any{"line_id": moneyLineID, "due_fen": 400000, "reason": "核减一次值班"}, allow: countyW, setup: locked},
		"GET /api/v1/settlements/{id}/pay/{payer}":     {path: "/api/v1" + one[len("/money"):] + "/pay/{county}", allow: "admin bureau city", setup: locked},
		"GET /money/renew":                             {path: "/money/renew?region={county}&year=2026", allow: countyW},
		"POST /money/renew":                            {path: "/money/renew", body: url.Values{"region_code": {"{county}"}, "from_year": {"2026"}, "ids": {"{agreement}"}, "start_date": {"2027-01-01"}, "end_date": {"2027-12-31"}}, allow: countyW},
		"GET /money/replace/{id}":                      {path: "/money/replace/{agreement}", allow: townW},
		"POST /money/replace/{id}": {path: "/money/replace/{agreement}", body: url.Values{"last_day": {"2026-07-31"}, "advisor_id": {strconv.Itoa(moneyAdvisorID)}, "reason": {"执业变动"}},
			allow: townW, setup: withSuccessor},
	}
}

// TestMoneyPages runs 正宁县's December as its clerk would: bad standards are
// refused with the Chinese message beside the field and nothing written; a
// standard, a rule, the settlement run, reviewed and locked; then the county
// finance bureau (an account the administrator creates) reads its own list
// and nothing else of the money area.
func TestMoneyPages(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	c := app.Session("zn-bureau")
	before := app.Counts(t)
	for in, want := range map[string]string{"-5": "请输入不小于零的金额", "4000": "补贴标准原则上不低于每村每年 5,000.00 元", "5000.001": "最多两位小数"} {
		st, body := c.Body("POST", "/money/standard", url.Values{"base_fen": {in}})
		if st != 422 || !strings.Contains(body, want) || !strings.Contains(body, `id="base_fen-err"`) {
			t.Errorf("standard %q: status %d, want 422 with %q beside the field", in, st, want)
		}
	}
	if after := app.Counts(t); !reflect.DeepEqual(before, after) {
		t.Errorf("refused standards wrote rows: %v → %v", before, after)
	}
	for path, form := range map[string]url.Values{
		"/money/standard": {"base_fen": {"6,000"}, "county_fen": {"7000"}, "town_share_pct": {"30"}},
		"/money/rules":    {"kind": {"hour_short"}, "duty_rule": {"onsite_hours_quarter"}, "amount_fen": {"250"}, "cap_fen": {"2000"}},
	} {
		if resp := c.Do("POST", path, form, ""); resp.StatusCode != 303 {
			t.Fatalf("POST %s: %d", path, resp.StatusCode)
		}
	}
	resp := c.Do("POST", "/money/settlements", url.Values{"year": {"2026"}, "half": {"0"}}, "")
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 303 || !strings.HasPrefix(loc, "/money/settlements/") {
		t.Fatalf("run: %d %q", resp.StatusCode, loc)
	}
	page := strings.TrimSuffix(strings.Split(loc, "?")[0], "/")
	st, body := c.Page(t, page)
	if st != 200 || !strings.Contains(body, "正宁县 2026 全年") || !strings.Contains(body, "元整") || !strings.Contains(body, "正宁县财政局") {
		t.Fatalf("settlement page: %d %.500s", st, body)
	}
	for _, act := range []string{"review", "lock"} {
		if resp := c.Do("POST", page+"/advance", url.Values{"action": {act}}, ""); resp.StatusCode != 303 {
			t.Fatalf("%s: %d", act, resp.StatusCode)
		}
	}
	if resp := c.Do("POST", "/money/settlements", url.Values{"year": {"2026"}, "half": {"0"}}, ""); resp.StatusCode != 409 {
		t.Errorf("recompute a locked settlement: %d, want 409", resp.StatusCode)
	}

	admin := &counsel.Actor{Username: "admin", Role: counsel.RoleAdmin}
	fin := &counsel.User{Username: "zn-finance", DisplayName: "正宁县财政局", Role: counsel.RoleFinance, RegionCode: "621025000000"}
	if err := app.Feats.Account.Svc.CreateUser(ctx, admin, fin, "finance-password-1"); err != nil {
		t.Fatal(err)
	}
	f := app.Session("zn-finance")
	if st, body := f.Page(t, "/money"); st != 200 || !strings.Contains(body, page+"/pay/621025000000") || strings.Contains(body, "/money/standard") {
		t.Errorf("finance /money: %d %.800s", st, body)
	}
	st, body = f.Page(t, page+"/pay/621025000000")
	if st != 200 || !strings.Contains(body, "正宁县财政局") || !strings.Contains(body, "合计金额（大写）") {
		t.Errorf("finance's own list: %d", st)
	}
	// Nothing else: the registry's lists are empty for a finance account.
	if st, body := f.Body("GET", "/api/v1/agreements", nil); st != 200 || !strings.Contains(body, `"total":0`) {
		t.Errorf("finance's agreements: %d %.200s", st, body)
	}
	if b := f.XLSX(t, page+"/pay/621025000000/xlsx"); len(b) == 0 {
		t.Error("finance's own workbook is empty")
	}
	for _, p := range []string{page, page + "/pay/621000000000", page + "/pay/621025100000"} {
		if st, _ := f.Page(t, p); st != 404 {
			t.Errorf("finance GET %s: %d, want 404", p, st)
		}
	}
	for path, form := range map[string]url.Values{
		"/money/standard":    {"base_fen": {"9000"}},
		"/money/settlements": {"year": {"2027"}},
		page + "/advance":    {"action": {"sign"}},
	} {
		if resp := f.Do("POST", path, form, ""); resp.StatusCode != 403 && resp.StatusCode != 404 {
			t.Errorf("finance POST %s: %d, want refusal", path, resp.StatusCode)
		}
	}
}
