package apptest_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// auditRows returns the audit rows with an action, their after JSON.
func auditRows(t *testing.T, app *apptest.App, action string) []string {
	t.Helper()
	rows, err := app.DB.Query(context.Background(), `SELECT username, after_json FROM audit_log WHERE action = ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u, a string
		if err := rows.Scan(&u, &a); err != nil {
			t.Fatal(err)
		}
		out = append(out, u+" "+a)
	}
	return out
}

// Issue 12, defect 13: refused requests, exports (what and how many rows),
// full-number views, rate-limit hits and failed logins with bad input are
// audited.
func TestSecurityEventsAudited(t *testing.T) {
	app := apptest.New(t)
	// A refused request: a village account at the accounts' API, and an
	// anonymous API call with a forged token.
	if st := app.Session("zn-village").JSON("GET", "/api/v1/users", nil, nil); st != http.StatusForbidden {
		t.Fatalf("village GET /api/v1/users: %d", st)
	}
	anon := app.Anonymous()
	req, _ := http.NewRequest("GET", app.HTTP.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer vc_forged")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged token: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	refused := strings.Join(auditRows(t, app, "refused"), "\n")
	for _, want := range []string{`zn-village {"method":"GET","path":"/api/v1/users"`, `"status":403`, `anonymous {"method":"GET","path":"/api/v1/me","request_id":`, `"status":401`} {
		if !strings.Contains(refused, want) {
			t.Errorf("refused rows lack %s:\n%s", want, refused)
		}
	}
	// An export: what and how many rows.
	zb := app.Session("zn-bureau")
	if b := zb.XLSX(t, "/providers.xlsx"); len(b) == 0 {
		t.Fatal("empty export")
	}
	exports := strings.Join(auditRows(t, app, "export"), "\n")
	if !strings.Contains(exports, `"file":"providers.xlsx"`) || !strings.Contains(exports, `"route":"GET /providers.xlsx"`) || !strings.Contains(exports, `"rows":`) || strings.Contains(exports, `"rows":0`) {
		t.Errorf("export rows: %s", exports)
	}
	// A full-number view: the county bureau's persons list shows whole numbers.
	if st, _ := zb.Body("GET", "/api/v1/persons", nil); st != http.StatusOK {
		t.Fatalf("persons: %d", st)
	}
	if v := auditRows(t, app, "view_phones"); len(v) == 0 || !strings.Contains(v[0], `"count":`) {
		t.Errorf("full-number view rows: %v", v)
	}
	// A failed login with bad input (a NUL byte) and one past the address limit.
	if st, _ := anon.Body("POST", "/login", url.Values{"username": {"admin\x00"}, "password": {"x"}}); st != http.StatusUnprocessableEntity {
		t.Fatalf("login with NUL: %d", st)
	}
	if v := auditRows(t, app, "login_failed"); len(v) == 0 || !strings.Contains(strings.Join(v, "\n"), `"reason":"bad_input"`) {
		t.Errorf("failed login with bad input not audited: %v", v)
	}
	for i := 0; i < 15; i++ {
		anon.Body("POST", "/login", url.Values{"username": {"nobody"}, "password": {"wrong-password-1"}})
	}
	if v := auditRows(t, app, "rate_limited"); len(v) == 0 || !strings.Contains(v[0], "login_per_address") {
		t.Errorf("login rate-limit hits not audited: %v", v)
	}
}

// Issue 12, defect 14: entry photos are kept in no cache; the ledger draft
// is keyed by the account that typed it; signing out tells the browser to
// clear the site's storage, and the page loads the script that clears the
// drafts.
func TestResidualDataCleared(t *testing.T) {
	app := apptest.New(t)
	x := fixtureIDs(t, app.DB)
	withEntryPhoto(t, app, x)
	c := app.Session("zn-advisor")
	resp := c.Do("GET", x.expand("/ledger/entries/{entry}/photos/0"), nil, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Cache-Control"), "no-store") || strings.Contains(resp.Header.Get("Cache-Control"), "max-age") {
		t.Errorf("photo: %d, Cache-Control %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	var id int64
	if err := app.DB.Row(context.Background(), `SELECT id FROM users WHERE username = 'zn-advisor'`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	st, body := c.Body("GET", "/ledger/entries/new", nil)
	if st != http.StatusOK || !strings.Contains(body, `data-draft="entry-draft:`+strconv.FormatInt(id, 10)+`"`) || !strings.Contains(body, "/static/session.") {
		t.Errorf("entry form: %d, draft key or session script missing", st)
	}
	resp = c.Do("POST", "/logout", url.Values{}, "")
	resp.Body.Close()
	if cs := resp.Header.Get("Clear-Site-Data"); !strings.Contains(cs, `"storage"`) || !strings.Contains(cs, `"cache"`) {
		t.Errorf("logout: Clear-Site-Data %q", cs)
	}
}

// Audit rows carry the id of the request that wrote them (the X-Request-Id
// answered), so a row leads to the request's log lines (issue 12, defect 9).
func TestAuditRowsCarryRequestID(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-advisor")
	resp := c.Do("POST", "/api/v1/tokens", []byte(`{"name":"请求编号"}`), "application/json")
	resp.Body.Close()
	rid := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusCreated || rid == "" {
		t.Fatalf("token: %d, request id %q", resp.StatusCode, rid)
	}
	var got string
	if err := app.DB.Row(context.Background(), `SELECT request_id FROM audit_log WHERE entity = 'api_token' AND action = 'create' ORDER BY id DESC LIMIT 1`).Scan(&got); err != nil || got != rid {
		t.Errorf("audit row request id %q (%v), want %q", got, err, rid)
	}
}
