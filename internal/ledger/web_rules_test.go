package ledger_test

import (
	"context"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/ledger"
)

// TestPolicyRuleForm: the county bureau sets a town's duty rules by form:
// the page names the jurisdiction (not its code) and says every rule in
// words with who set it; bad input gets Chinese messages next to the fields
// and writes nothing; the preview says what the rule means and which
// county rule it replaces, writing nothing; saving puts it in force in
// place of the county's rule of the same name.
func TestPolicyRuleForm(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	bureau := app.Login("zn-bureau")
	const county, town = "621025000000", "621025100000" // 正宁县, 山河镇

	st, body := bureau.Page(t, "/ledger/policy?region="+county)
	if st != 200 || !strings.Contains(body, "<h1>履职要求 · 正宁县</h1>") || !strings.Contains(body, "<title>履职要求 · 正宁县") {
		t.Fatalf("county page: %d, want the title with 正宁县\n%.2000s", st, body)
	}
	if !strings.Contains(body, "每季度须有") || !strings.Contains(body, "累计不少于 8 小时") {
		t.Errorf("county page does not say the 8-hour rule in words")
	}
	if !strings.Contains(body, `href="/ledger/policy?region=`+town+`"`) {
		t.Errorf("county page does not offer its towns")
	}
	st, body = bureau.Page(t, "/ledger/policy?region="+county+"&q=山河")
	if st != 200 || !strings.Contains(body, `id="policy-hits"`) || !strings.Contains(body, "山河镇") {
		t.Errorf("search by name: %d, want 山河镇 among the hits", st)
	}
	st, body = bureau.Page(t, "/ledger/policy?region="+town)
	if st != 200 || !strings.Contains(body, "履职要求 · 山河镇") || !strings.Contains(body, ">正宁县</td>") {
		t.Fatalf("town page: %d, want 山河镇 with rules set by 正宁县", st)
	}

	policies := func() string {
		l, err := ledger.NewService(app.Svc).Policy(ctx, &counsel.Actor{Username: "zn-bureau", Role: counsel.RoleBureau, RegionCode: county}, town)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range l.Resolved.Rules {
			names = append(names, r.ID+"="+r.Name)
		}
		return strings.Join(names, " ")
	}
	before, counts := policies(), app.Counts(t)

	bad := url.Values{"region": {town}, "op": {"save"}, "name": {""}, "period": {"quarter"}, "min_count": {"三次"}, "min_total_hours": {"-1"}, "applies": {""}}
	st, body = bureau.Body("POST", "/ledger/policy/rule", bad)
	for _, want := range []string{i18n.T("zh", "rule.err_name"), i18n.T("zh", "rule.err_count", 1000), i18n.T("zh", "rule.err_hours", 2000)} {
		if !strings.Contains(body, want) {
			t.Errorf("bad rule: missing %q", want)
		}
	}
	if st != 422 || !strings.Contains(body, `id="name-err"`) || !strings.Contains(body, `id="min_count-err"`) {
		t.Errorf("bad rule: status %d, want 422 with the errors next to name and min_count", st)
	}
	nothing := url.Values{"region": {town}, "op": {"save"}, "name": {"到村服务"}, "period": {"quarter"}, "applies": {""}}
	if st, body = bureau.Body("POST", "/ledger/policy/rule", nothing); st != 422 || !strings.Contains(body, i18n.T("zh", "rule.err_quota")) {
		t.Errorf("rule without a quota: %d, want 422 and %q", st, i18n.T("zh", "rule.err_quota"))
	}

	good := url.Values{"region": {town}, "op": {"preview"}, "name": {"到村服务"}, "kinds": {"onsite_duty", "consultation"}, "modes": {"onsite"},
		"period": {"quarter"}, "min_total_hours": {"6"}, "min_entry_hours": {"1"}, "applies": {""}}
	st, body = bureau.Body("POST", "/ledger/policy/rule", good)
	if st != 200 || !strings.Contains(body, `id="rule-preview"`) {
		t.Fatalf("preview: %d", st)
	}
	body = strings.ReplaceAll(body, "&#34;", "\"")
	if !strings.Contains(body, "所有村(社区)每季度须有驻点值班、法律咨询（现场）：累计不少于 6 小时（每次不少于 1 小时，不足的不计）。") {
		t.Errorf("preview does not say the rule in words:\n%s", body[strings.Index(body, `id="rule-preview"`):][:600])
	}
	if !strings.Contains(body, "替代上级（正宁县）的“到村服务”") {
		t.Errorf("preview does not say it replaces 正宁县's 到村服务")
	}
	if got := policies(); got != before {
		t.Errorf("preview changed the rules: %s, was %s", got, before)
	}
	if after := app.Counts(t); !reflect.DeepEqual(after, counts) {
		t.Errorf("bad input and a preview wrote rows: before %v after %v", counts, after)
	}

	good.Set("op", "save")
	if st, _ = bureau.Body("POST", "/ledger/policy/rule", good); st != 303 {
		t.Fatalf("save: status %d, want 303", st)
	}
	got := policies()
	if strings.Count(got, "=到村服务") != 1 || strings.Contains(got, "onsite_hours_quarter=") {
		t.Errorf("after saving the town's 到村服务: %s, want the county's replaced", got)
	}
	if _, body = bureau.Page(t, "/ledger/policy?region="+town); !strings.Contains(body, "累计不少于 6 小时") || !strings.Contains(body, ">本级</td>") {
		t.Errorf("town page does not show its own rule")
	}
}
