package apptest_test

// dashRows are the rows of the dash area's pages and API operations: the
// dashboard and the reports. Providers and advisors have no region scope and
// are refused; each regional account reads its own subtree, another county's
// bureau nothing of 正宁县.
func dashRows() map[string]probe {
	return map[string]probe{
		"GET /dashboard":           {path: "/dashboard?region={village}&year=2026", allow: "admin bureau city judicial village"},
		"GET /reports/ledger":      {path: "/reports/ledger?region={county}&year=2026&half=1", allow: "admin bureau city"},
		"GET /reports/ledger.xlsx": {path: "/reports/ledger.xlsx?region={town}&year=2026&half=2", allow: "admin bureau city judicial"},
		"GET /reports/annual":      {path: "/reports/annual?region={village}&year=2026", allow: "admin bureau city judicial village"},
		"GET /reports/annual.xlsx": {path: "/reports/annual.xlsx?region={county}&year=2026", allow: "admin bureau city"},

		"GET /api/v1/dashboard":      {path: "/api/v1/dashboard?region={town}", allow: "admin bureau city judicial"},
		"GET /api/v1/reports/ledger": {path: "/api/v1/reports/ledger?region={county}&half=1", allow: "admin bureau city"},
		"GET /api/v1/reports/annual": {path: "/api/v1/reports/annual", allow: "admin bureau city judicial village other"},
	}
}
