package apptest_test

// perfRows are the rows of the list exports (issue 11 item 8, issue 13):
// each export is allowed to whoever may see its list.
func perfRows() map[string]probe {
	return map[string]probe{
		"GET /ledger/entries.xlsx": {path: "/ledger/entries.xlsx?kind=onsite_duty", allow: all + " other"},
		"GET /ledger/duties.xlsx":  {path: "/ledger/duties.xlsx?state=due", allow: all + " other"},
	}
}
