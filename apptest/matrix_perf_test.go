package apptest_test

// perfRows are the rows of the list exports (issue 11 item 8, issue 13):
// each export is allowed to whoever may see its list.
func perfRows() map[string]probe {
	return map[string]probe{
		"GET /ledger/entries.xlsx": {path: "/ledger/entries.xlsx?kind=onsite_duty", allow: all + " other"},
		"GET /ledger/duties.xlsx":  {path: "/ledger/duties.xlsx?state=due", allow: all + " other"},
		"GET /persons.xlsx":        {path: "/persons.xlsx?status=active", allow: all + " other"},
		"GET /users.xlsx":          {path: "/users.xlsx", allow: "admin bureau city other"},
		"GET /consultations.xlsx":  {path: "/consultations.xlsx?status=open", allow: "admin bureau city judicial advisor other"},
		"GET /major.xlsx":          {path: "/major.xlsx", allow: all + " other"},
		"GET /boards.xlsx":         {path: "/boards.xlsx?region={town}", allow: "admin bureau city judicial provider advisor"},
	}
}
