package apptest_test

import "net/url"

// clerkRows are the rows of the holiday page (issue 11, item 6: the
// administrator alone keeps the table) and of the duty-rule form (item 5:
// the county bureau and the administrator set rules).
func clerkRows() map[string]probe {
	year := url.Values{"year": {"2031"}, "text": {"2031-01-01 放假 元旦"}}
	rule := url.Values{"region": {"{county}"}, "op": {"save"}, "name": {"矩阵要求"}, "period": {"month"}, "min_count": {"1"}, "applies": {""}}
	return map[string]probe{
		"GET /holidays":                   {path: "/holidays", allow: "admin"},
		"POST /holidays/preview":          {path: "/holidays/preview", body: year, allow: "admin"},
		"POST /holidays":                  {path: "/holidays", body: year, allow: "admin"},
		"POST /ledger/policy/rule":        {path: "/ledger/policy/rule", body: rule, allow: countyW},
		"POST /ledger/policy/rule/remove": {path: "/ledger/policy/rule/remove", body: url.Values{"region": {"{county}"}, "rule_id": {"onsite_hours_quarter"}}, allow: countyW},
	}
}
