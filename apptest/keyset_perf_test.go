package apptest_test

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The ledger and audit pages page by cursor: next leads to other rows,
// previous back to the first page, and the first page link drops the cursor.
func TestKeysetPagerLinks(t *testing.T) {
	app := apptest.New(t)
	admin := app.Session("admin")
	link := func(body, rel string) string {
		m := regexp.MustCompile(`<a href="([^"]*)" rel="` + rel + `">`).FindStringSubmatch(body)
		if m == nil {
			return ""
		}
		return html.UnescapeString(m[1])
	}
	rowsOf := func(body string) string {
		return strings.Join(regexp.MustCompile(`href="/ledger/entries/(\d+)"`).FindAllString(body, -1), ",")
	}
	for _, list := range []string{"/ledger/entries", "/audit"} {
		st, first := admin.Page(t, list)
		next := link(first, "next")
		if st != 200 || !strings.Contains(next, "after=") || link(first, "prev") != "" {
			t.Fatalf("%s: status %d, next %q, prev %q", list, st, next, link(first, "prev"))
		}
		st, second := admin.Page(t, list+next)
		prev := link(second, "prev")
		if st != 200 || !strings.Contains(prev, "before=") || strings.Contains(second, "第 1–") {
			t.Fatalf("%s%s: status %d, prev %q", list, next, st, prev)
		}
		if list == "/ledger/entries" && rowsOf(second) == rowsOf(first) {
			t.Fatalf("%s: the second page shows the first page's rows", list)
		}
		st, back := admin.Page(t, list+prev)
		if st != 200 || link(back, "prev") != "" || (list == "/ledger/entries" && rowsOf(back) != rowsOf(first)) {
			t.Fatalf("%s%s: back to the first page: status %d", list, prev, st)
		}
	}
	// The API pages by the same cursors.
	var l struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
		Next string `json:"next"`
	}
	if st := admin.JSON("GET", "/api/v1/entries?limit=3", nil, &l); st != 200 || len(l.Items) != 3 || l.Next == "" {
		t.Fatalf("/api/v1/entries: %d, %d items, next %q", st, len(l.Items), l.Next)
	}
	last := l.Items[2].ID
	if st := admin.JSON("GET", "/api/v1/entries?limit=3&after="+l.Next, nil, &l); st != 200 || len(l.Items) != 3 || l.Items[0].ID == last {
		t.Fatalf("/api/v1/entries after %s: %d", l.Next, st)
	}
}
