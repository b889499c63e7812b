package account_test

// HTTP tests of the accounts, audit log and own-account pages (internal/account)
// on a copy of the demo database. Package-level names carry an "adm" prefix.

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/account"
)

// admPage fetches a page and returns its status and unescaped body.
func admPage(t *testing.T, c *apptest.Client, method, path string, form url.Values) (int, string) {
	t.Helper()
	var body any
	if form != nil {
		body = form
	}
	st, b := c.Body(method, path, body)
	return st, html.UnescapeString(b)
}

// admPost posts a form and returns the response (redirects not followed).
func admPost(t *testing.T, c *apptest.Client, path string, form url.Values) *http.Response {
	t.Helper()
	resp := c.Do("POST", path, form, "")
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// admUserID returns the id of an account.
func admUserID(t *testing.T, app *apptest.App, username string) int64 {
	t.Helper()
	cr, err := account.CredentialsOf(context.Background(), app.DB, username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return cr.User.ID
}

var (
	admInline = regexp.MustCompile(`(?i)<script>|<script [^>]*>[^<]|\son[a-z]+=|\sstyle=`)
	admCSRF   = regexp.MustCompile(`<form method="post"[^>]*>\s*<input type="hidden" name="csrf" value="[^"]+">`)
)

// admSafe checks the CSP rules on a page: no inline script, no handlers,
// no style attributes, and every POST form carries the CSRF token.
func admSafe(t *testing.T, what, body string) {
	t.Helper()
	if m := admInline.FindString(body); m != "" {
		t.Errorf("%s: found %q, want no inline script, handler or style attribute", what, m)
	}
	posts := strings.Count(body, `<form method="post"`)
	if got := len(admCSRF.FindAllString(body, -1)); got != posts {
		t.Errorf("%s: %d of %d POST forms carry the CSRF token first, want all", what, got, posts)
	}
}

func TestAdminUsersList(t *testing.T) {
	app := apptest.New(t)
	admin := app.Session("admin")
	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"all", "/users", []string{"zn-bureau", "jh-bureau", "zn-village", `data-label="用户名"`, "账号管理"}, nil},
		{"search", "/users?q=zn-", []string{"zn-bureau", "zn-city"}, []string{"jh-bureau"}},
		{"role", "/users?role=village", []string{"zn-village", "jh-village"}, []string{"zn-bureau"}},
		{"page", "/users?limit=2", []string{"第 1–2 条，共 "}, nil},
		{"bad role is ignored", "/users?role=root", []string{"zn-bureau"}, nil},
	}
	for _, tt := range tests {
		st, body := admPage(t, admin, "GET", tt.path, nil)
		if st != http.StatusOK {
			t.Fatalf("%s: GET %s: got %d, want 200", tt.name, tt.path, st)
		}
		admSafe(t, tt.path, body)
		for _, s := range tt.want {
			if !strings.Contains(body, s) {
				t.Errorf("%s: GET %s: missing %q", tt.name, tt.path, s)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(body, s) {
				t.Errorf("%s: GET %s: holds %q, want not", tt.name, tt.path, s)
			}
		}
	}
	// The county bureau sees its county's accounts only, its own without actions.
	st, body := admPage(t, app.Session("zn-bureau"), "GET", "/users", nil)
	if st != http.StatusOK || !strings.Contains(body, "zn-village") || strings.Contains(body, "jh-") {
		t.Errorf("zn-bureau: GET /users: got %d, zn-village %v, jh- %v; want 200 with 正宁县 accounts only", st,
			strings.Contains(body, "zn-village"), strings.Contains(body, "jh-"))
	}
	if !strings.Contains(body, "当前登录账号") {
		t.Errorf("zn-bureau: its own row should say it is the signed-in account")
	}
	// Scopes are named: a village account shows its village.
	if !strings.Contains(body, "东城社区居民委员会") {
		t.Errorf("zn-bureau: GET /users: the village account's scope is not named")
	}
	for _, u := range []string{"zn-judicial", "zn-provider", "zn-advisor", "zn-village"} {
		if st, _ := admPage(t, app.Session(u), "GET", "/users", nil); st != http.StatusForbidden {
			t.Errorf("%s: GET /users: got %d, want 403", u, st)
		}
		if st, _ := admPage(t, app.Session(u), "GET", "/users/new", nil); st != http.StatusForbidden {
			t.Errorf("%s: GET /users/new: got %d, want 403", u, st)
		}
	}
	// A city bureau reads its subtree's accounts and changes none.
	st, body = admPage(t, app.Session("zn-city"), "GET", "/users", nil)
	if st != http.StatusOK || !strings.Contains(body, "zn-village") || strings.Contains(body, "/disable") || strings.Contains(body, `href="/users/new"`) {
		t.Errorf("zn-city: GET /users: got %d, want 200 listing 正宁县 accounts without actions", st)
	}
	if st, _ := admPage(t, app.Session("zn-city"), "GET", "/users/new", nil); st != http.StatusForbidden {
		t.Errorf("zn-city: GET /users/new: got %d, want 403", st)
	}
	// Signed out: to the login page.
	resp := app.Anonymous().Do("GET", "/users", nil, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("anonymous GET /users: got %d to %q, want 303 to /login", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestAdminCreateUser(t *testing.T) {
	app := apptest.New(t)
	zb := app.Session("zn-bureau")
	st, body := admPage(t, zb, "GET", "/users/new", nil)
	if st != http.StatusOK {
		t.Fatalf("GET /users/new: got %d, want 200", st)
	}
	admSafe(t, "/users/new", body)
	for _, s := range []string{`name="username"`, `name="password"`, `name="region_code"`, `name="provider_id"`, `name="advisor_id"`,
		"山河镇", "东关村委会", "至少 12 位", `hx-get="/users/new"`} {
		if !strings.Contains(body, s) {
			t.Errorf("GET /users/new: missing %q", s)
		}
	}
	if strings.Contains(body, `value="admin"`) || strings.Contains(body, `value="bureau"`) {
		t.Errorf("GET /users/new for a county bureau offers admin or bureau roles")
	}
	// The role select swaps the scope fields (htmx partial).
	req, _ := http.NewRequest("GET", app.HTTP.URL+"/users/new?role=provider", nil)
	req.Header.Set("HX-Request", "true")
	hr, err := zb.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pb, _ := io.ReadAll(hr.Body)
	hr.Body.Close()
	partial := string(pb)
	if hr.StatusCode != 200 || !strings.Contains(partial, `id="scope-fields"`) || !strings.Contains(partial, `name="provider_id"`) ||
		strings.Contains(partial, `name="region_code"`) || strings.Contains(partial, "<html") {
		t.Errorf("htmx GET /users/new?role=provider: got %d %q, want only the scope fields with the provider select", hr.StatusCode, partial)
	}

	// Errors keep the input, name each field and never echo the password.
	st, body = admPage(t, zb, "POST", "/users", url.Values{"username": {"AB"}, "display_name": {"西关村委会"}, "role": {"village"}, "password": {"short"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("POST /users with errors: got %d, want 422", st)
	}
	for _, s := range []string{`value="西关村委会"`, "用户名为3–40位", "密码至少 12 位", "请选择村（社区）", `aria-invalid="true"`, `class="alert"`} {
		if !strings.Contains(body, s) {
			t.Errorf("POST /users with errors: missing %q", s)
		}
	}
	if strings.Contains(body, `value="short"`) {
		t.Errorf("POST /users with errors: the password is echoed back")
	}
	// Outside the county: refused, nothing written.
	before, _ := app.DB.TableCounts(context.Background())
	st, body = admPage(t, zb, "POST", "/users", url.Values{"username": {"jh-intruder"}, "display_name": {"x"}, "role": {"village"},
		"region_code": {"340202012200"}, "password": {apptest.Password}})
	if st != http.StatusForbidden || !strings.Contains(body, "您无权进行此操作") {
		t.Errorf("POST /users for a 镜湖区 village: got %d, want 403 with the message", st)
	}
	after, _ := app.DB.TableCounts(context.Background())
	if after["users"] != before["users"] {
		t.Errorf("refused account: users %d → %d, want unchanged", before["users"], after["users"])
	}
	// A stale provider choice does not stick to a village account.
	resp := admPost(t, zb, "/users", url.Values{"username": {"zn-xiguan"}, "display_name": {"西关村委会"}, "role": {"village"},
		"region_code": {"621025100201"}, "provider_id": {"1"}, "phone": {"139 0000 1111"}, "password": {apptest.Password}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=created") {
		t.Fatalf("POST /users: got %d to %q, want 303 with ok=created", resp.StatusCode, resp.Header.Get("Location"))
	}
	cr, err := account.CredentialsOf(context.Background(), app.DB, "zn-xiguan")
	if err != nil {
		t.Fatal(err)
	}
	if u := cr.User; u.Role != counsel.RoleVillage || u.RegionCode != "621025100201" || u.ProviderID != 0 || u.Phone != "13900001111" {
		t.Errorf("created account: got %+v, want a village account of 621025100201 without provider, phone normalized", u)
	}
	app.Login("zn-xiguan") // the initial password works
	st, body = admPage(t, zb, "GET", resp.Header.Get("Location"), nil)
	if st != 200 || !strings.Contains(body, "已创建") || !strings.Contains(body, "139****1111") {
		t.Errorf("list after creating: got %d, want the flash and the masked phone", st)
	}
}

func TestAdminDisableAndReset(t *testing.T) {
	app := apptest.New(t)
	zb := app.Session("zn-bureau")
	zv := app.Session("zn-village")
	id := admUserID(t, app, "zn-village")
	path := "/users/" + strconv.FormatInt(id, 10)

	resp := admPost(t, zb, path+"/disable", url.Values{"back": {"/users?q=zn-v"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users?q=zn-v&ok=saved" {
		t.Fatalf("disable: got %d to %q, want 303 back to the list", resp.StatusCode, resp.Header.Get("Location"))
	}
	r := zv.Do("GET", "/", nil, "")
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("disabled account's session: GET / got %d, want 303 to login", r.StatusCode)
	}
	_, body := admPage(t, zb, "GET", "/users?q=zn-village", nil)
	if !strings.Contains(body, "已停用") || !strings.Contains(body, path+"/enable") {
		t.Errorf("list after disabling: want the disabled badge and an enable button")
	}
	resp = admPost(t, zb, path+"/enable", url.Values{"back": {"https://evil.example/"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/users?ok=saved" {
		t.Errorf("enable with a foreign back link: got %d to %q, want 303 to /users", resp.StatusCode, resp.Header.Get("Location"))
	}
	// A short password: the list again, the row's form open with the error.
	st, body := admPage(t, zb, "POST", path+"/password", url.Values{"password": {"short"}, "back": {"/users?q=zn-village"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "密码至少 12 位") || !strings.Contains(body, `<details class="reset" open>`) {
		t.Errorf("reset to a short password: got %d, want 422 with the error in the open form", st)
	}
	resp = admPost(t, zb, path+"/password", url.Values{"password": {"brand-new-pass-9"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=password_reset") {
		t.Fatalf("reset: got %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := app.Feats.Account.Svc.Login(context.Background(), "zn-village", "brand-new-pass-9", "127.0.0.1"); err != nil {
		t.Errorf("login with the reset password: %v", err)
	}
	// Other counties, other roles, the bureau itself.
	for _, tt := range []struct {
		who, path string
		want      int
	}{
		{"jh-bureau", path + "/disable", http.StatusForbidden},
		{"zn-city", path + "/disable", http.StatusForbidden},
		{"zn-judicial", path + "/password", http.StatusForbidden},
		{"zn-bureau", "/users/999999/disable", http.StatusNotFound},
		{"zn-bureau", "/users/abc/disable", http.StatusNotFound},
	} {
		st, _ := admPage(t, app.Session(tt.who), "POST", tt.path, url.Values{"password": {"another-pass-10"}})
		if st != tt.want {
			t.Errorf("%s POST %s: got %d, want %d", tt.who, tt.path, st, tt.want)
		}
	}
	// Without the CSRF token: refused.
	c := app.Session("zn-bureau")
	c.CSRF = ""
	st, _ = c.Body("POST", path+"/disable", url.Values{})
	if st != http.StatusForbidden {
		t.Errorf("disable without CSRF token: got %d, want 403", st)
	}
}

func TestAdminAudit(t *testing.T) {
	app := apptest.New(t)
	app.Login("jh-bureau") // a 镜湖区 login in the log
	admin := app.Session("admin")
	st, body := admPage(t, admin, "GET", "/audit", nil)
	if st != http.StatusOK {
		t.Fatalf("GET /audit: got %d", st)
	}
	admSafe(t, "/audit", body)
	for _, s := range []string{"操作日志", "<details>", "变更后", `data-label="时间"`, "新建", "顾问协议", `href="/audit.xlsx"`, "›"} {
		if !strings.Contains(body, s) {
			t.Errorf("GET /audit: missing %q", s)
		}
	}
	// Phones in the before/after JSON are masked (the demo's ledger entries
	// fill the first page, so look at the persons' changes).
	if st, body = admPage(t, admin, "GET", "/audit?entity=person", nil); st != http.StatusOK {
		t.Fatalf("GET /audit?kind=person: got %d", st)
	}
	phone := regexp.MustCompile(`"(?:phone|advisor_phone|person_phone)": "([^"]*)"`)
	ms := phone.FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		t.Errorf("GET /audit: no phone fields in the change details, want some (masked)")
	}
	for _, m := range ms {
		if m[1] != "" && !strings.Contains(m[1], "****") {
			t.Errorf("GET /audit: phone %q shown unmasked", m[1])
		}
	}
	st, body = admPage(t, admin, "GET", "/audit?entity=agreement&action=status", nil)
	if st != 200 || !strings.Contains(body, "没有符合条件的日志") {
		t.Errorf("GET /audit for agreement status changes (none in the demo): got %d, want the empty message", st)
	}
	if !strings.Contains(body, `href="/audit.xlsx?action=status&entity=agreement"`) {
		t.Errorf("GET /audit with filters: the export link does not carry them")
	}
	_, body = admPage(t, admin, "GET", "/audit?action=login&q=jh-bureau", nil)
	if !strings.Contains(body, "jh-bureau") || !strings.Contains(body, "登录") {
		t.Errorf("GET /audit?action=login&q=jh-bureau: want jh-bureau's login")
	}
	_, body = admPage(t, app.Session("zn-bureau"), "GET", "/audit?q=jh-bureau", nil)
	if strings.Contains(body, "<td data-label=\"操作人\">jh-bureau") {
		t.Errorf("zn-bureau's audit log shows a 镜湖区 login")
	}
	for _, u := range []string{"zn-judicial", "zn-provider", "zn-advisor", "zn-village"} {
		for _, p := range []string{"/audit", "/audit.xlsx"} {
			if st, _ := admPage(t, app.Session(u), "GET", p, nil); st != http.StatusForbidden {
				t.Errorf("%s GET %s: got %d, want 403", u, p, st)
			}
		}
	}

	// The export: a sheet with the header and one row per entry.
	resp := admin.Do("GET", "/audit.xlsx?entity=provider", nil, "")
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("GET /audit.xlsx: got %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	cd := resp.Header.Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="audit-`) || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("操作日志")) {
		t.Errorf("GET /audit.xlsx: Content-Disposition %q, want an ASCII name and a UTF-8 name", cd)
	}
	data, _ := io.ReadAll(resp.Body)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	n, err := app.Feats.Account.Svc.Audit(context.Background(), counsel.System, counsel.Filter{Kind: "provider", Page: counsel.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n.Total+2 || len(rows) < 3 || rows[1][0] != "时间" || rows[2][3] != "服务机构" {
		t.Errorf("audit export: got %d rows (header %v, first %v), want title, header and %d provider entries", len(rows), rows[1], rows[2], n.Total)
	}
	for _, r := range rows[2:] {
		for _, cell := range r {
			if m := regexp.MustCompile(`"phone":"([^"]*)"`).FindStringSubmatch(cell); m != nil && m[1] != "" && !strings.Contains(m[1], "****") {
				t.Errorf("audit export: unmasked phone %q", m[1])
			}
		}
	}
}

func TestAdminAccount(t *testing.T) {
	app := apptest.New(t)
	zv := app.Login("zn-village")
	st, body := admPage(t, zv, "GET", "/account", nil)
	if st != http.StatusOK {
		t.Fatalf("GET /account: got %d", st)
	}
	admSafe(t, "/account", body)
	for _, s := range []string{"zn-village", "村（居）委会", "东城社区居民委员会", `name="old_password"`, `name="confirm"`, `action="/account/tokens"`} {
		if !strings.Contains(body, s) {
			t.Errorf("GET /account: missing %q", s)
		}
	}

	// A token is shown once on the answer, and works on the API.
	st, body = admPage(t, zv, "POST", "/account/tokens", url.Values{"name": {"村务公开屏"}})
	tok := regexp.MustCompile(`vc_[A-Za-z0-9_-]{20,}`).FindString(body)
	if st != http.StatusOK || tok == "" || !strings.Contains(body, "离开本页后将无法再次查看") {
		t.Fatalf("POST /account/tokens: got %d, token %q, want 200 with the token and the copy note", st, tok)
	}
	req, _ := http.NewRequest("GET", app.HTTP.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("API with the new token: got %d, want 200", resp.StatusCode)
	}
	if _, body := admPage(t, zv, "GET", "/account", nil); strings.Contains(body, tok) {
		t.Errorf("GET /account shows the token again")
	}
	st, body = admPage(t, zv, "POST", "/account/tokens", url.Values{"name": {" "}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="name-err"`) {
		t.Errorf("POST /account/tokens without a name: got %d, want 422 with the field error", st)
	}

	// Password change: mismatch and wrong old password are field errors.
	tests := []struct {
		name  string
		form  url.Values
		errID string
	}{
		{"mismatch", url.Values{"old_password": {apptest.Password}, "password": {"next-password-1"}, "confirm": {"next-password-2"}}, "confirm-err"},
		{"wrong old", url.Values{"old_password": {"wrong-password"}, "password": {"next-password-1"}, "confirm": {"next-password-1"}}, "old_password-err"},
		{"short", url.Values{"old_password": {apptest.Password}, "password": {"short"}, "confirm": {"short"}}, "password-err"},
	}
	for _, tt := range tests {
		st, body := admPage(t, zv, "POST", "/account/password", tt.form)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tt.errID+`"`) {
			t.Errorf("%s: POST /account/password: got %d, want 422 with %s", tt.name, st, tt.errID)
		}
		if strings.Contains(body, "next-password") || strings.Contains(body, apptest.Password) {
			t.Errorf("%s: a password is echoed back", tt.name)
		}
	}
	resp = admPost(t, zv, "/account/password", url.Values{"old_password": {apptest.Password}, "password": {"next-password-1"}, "confirm": {"next-password-1"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/login?ok=password_changed" {
		t.Fatalf("POST /account/password: got %d to %q, want 303 to /login?ok=password_changed", resp.StatusCode, resp.Header.Get("Location"))
	}
	r := zv.Do("GET", "/account", nil, "")
	r.Body.Close()
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /account after changing the password: got %d, want 303 (signed out)", r.StatusCode)
	}
	if st, body := admPage(t, app.Anonymous(), "GET", "/login?ok=password_changed", nil); st != 200 || !strings.Contains(body, "请用新密码重新登录") {
		t.Errorf("login page after the change: got %d, want the flash", st)
	}
	if _, err := app.Feats.Account.Svc.Login(context.Background(), "zn-village", "next-password-1", "127.0.0.1"); err != nil {
		t.Errorf("login with the new password: %v", err)
	}
}

func TestAdminPagesEnglish(t *testing.T) {
	app := apptest.New(t)
	admin := app.Session("admin")
	if err := app.Feats.Account.Svc.SetLang(context.Background(), &counsel.Actor{UserID: admUserID(t, app, "admin")}, "en"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, want string }{
		{"/users", "Accounts"},
		{"/users/new", "Initial password"},
		{"/audit", "Audit log"},
		{"/account", "API tokens"},
	} {
		st, body := admPage(t, admin, "GET", tt.path, nil)
		if st != 200 || !strings.Contains(body, tt.want) {
			t.Errorf("English GET %s: got %d, want %q", tt.path, st, tt.want)
		}
		// No raw catalog key on the page.
		if m := regexp.MustCompile(`\b(users|audit|account)\.[a-z_]+(\.[a-z_]+)?\b`).FindString(body); m != "" && !strings.Contains(m, ".xlsx") {
			t.Errorf("English GET %s: raw key %q on the page", tt.path, m)
		}
	}
}
