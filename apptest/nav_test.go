package apptest_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// Every link a role is shown on its home page — the navigation bar by task
// and the home page's own links — opens for that role: nothing on screen
// leads to a refusal. Each role also sees only its own groups (a village
// committee has no registry import or account pages).
func TestNavigationLinksOpen(t *testing.T) {
	app := apptest.New(t)
	href := regexp.MustCompile(`<a [^>]*href="(/[^"#]*)"`)
	seen := map[string]int{}
	for _, user := range []string{"admin", "zn-bureau", "zn-city", "zn-judicial", "zn-provider", "zn-advisor", "zn-village"} {
		c := app.Session(user)
		st, body := c.Page(t, "/")
		if st != http.StatusOK {
			t.Fatalf("home as %s: %d", user, st)
		}
		nav := body[strings.Index(body, "<nav"):strings.Index(body, "</nav>")]
		groups := strings.Count(nav, "<summary>")
		if groups == 0 || groups > 6 {
			t.Errorf("%s sees %d task groups, want 1–6", user, groups)
		}
		links := 0
		for _, m := range href.FindAllStringSubmatch(body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if strings.HasPrefix(link, "/static/") || strings.HasPrefix(link, "/v/") {
				continue
			}
			links++
			if st, _ := c.Page(t, link); st != http.StatusOK {
				t.Errorf("%s is shown %s, which answers %d", user, link, st)
			}
		}
		seen[user] = links
		for _, hidden := range map[string][]string{
			"zn-village":  {`href="/import"`, `href="/users"`, `href="/providers"`, `href="/boards"`, `href="/outbox"`},
			"zn-advisor":  {`href="/import"`, `href="/users"`, `href="/dashboard"`, `href="/ledger/duties"`},
			"zn-provider": {`href="/import"`, `href="/users"`, `href="/dashboard"`},
			"zn-city":     {`href="/import"`},
		}[user] {
			if strings.Contains(nav, hidden) {
				t.Errorf("%s's navigation offers %s", user, hidden)
			}
		}
	}
	if seen["admin"] <= seen["zn-village"] {
		t.Errorf("admin is shown %d links, the village %d: the bar is not by role", seen["admin"], seen["zn-village"])
	}
}
