package apptest_test

import "net/url"

// setupRows: the first-administrator page is closed to everyone once any
// account exists (the demo database has thirteen).
func setupRows() map[string]probe {
	return map[string]probe{
		"GET /setup":  {path: "/setup?token=guess", allow: ""},
		"POST /setup": {path: "/setup", body: url.Values{"token": {"guess"}, "username": {"intruder"}, "password": {"Correct-horse-9"}, "confirm": {"Correct-horse-9"}}, allow: ""},
	}
}
