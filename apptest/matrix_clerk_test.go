package apptest_test

import "net/url"

// clerkRows are the rows of the holiday page (issue 11, item 6): the
// administrator alone keeps the table.
func clerkRows() map[string]probe {
	year := url.Values{"year": {"2031"}, "text": {"2031-01-01 放假 元旦"}}
	return map[string]probe{
		"GET /holidays":          {path: "/holidays", allow: "admin"},
		"POST /holidays/preview": {path: "/holidays/preview", body: year, allow: "admin"},
		"POST /holidays":         {path: "/holidays", body: year, allow: "admin"},
	}
}
