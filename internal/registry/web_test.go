package registry_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

const (
	regPassword = "demo-password-1"
	regZN       = "621025000000"
	regShanhe   = "621025100000" // 山河镇, zn-judicial's town
)

// regEnv is a server over a demo database shared by the registry subtests.
type regEnv struct {
	t       *testing.T
	h       http.Handler
	svc     *registry.Service
	clients map[string]*regClient
}

// regClient is a signed-in browser: its session cookie and CSRF token.
type regClient struct {
	env     *regEnv
	name    string
	cookies []*http.Cookie
	csrf    string
}

func regSetup(t *testing.T, db *store.DB) *regEnv {
	t.Helper()
	cfg := registry.DefaultConfig()
	cfg.DataDir = t.TempDir()
	svc := registry.New(db, nil, cfg)
	svc.Now = func() time.Time { return time.Date(2026, 5, 6, 10, 0, 0, 0, time.UTC) }
	if _, err := demo.Load(context.Background(), svc, regPassword); err != nil {
		t.Fatalf("demo.Load: %v", err)
	}
	h, _, err := app.Handler(svc, nil, false)
	if err != nil {
		t.Fatalf("web.App: %v", err)
	}
	return &regEnv{t: t, h: h, svc: svc, clients: map[string]*regClient{}}
}

// as returns a client signed in as a demo account (one login per account).
func (e *regEnv) as(t *testing.T, username string) *regClient {
	t.Helper()
	if c := e.clients[username]; c != nil {
		return c
	}
	c := &regClient{env: e, name: username}
	form := url.Values{"username": {username}, "password": {regPassword}}
	rec := c.do(t, "POST", "/login", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("login %s: status %d, want 303", username, rec.Code)
	}
	c.cookies = rec.Result().Cookies()
	_, body := c.get(t, "/")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("login %s: no CSRF token on the home page", username)
	}
	c.csrf = m[1]
	e.clients[username] = c
	return c
}

func (c *regClient) do(t *testing.T, method, path string, body io.Reader, ctype string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.env.h.ServeHTTP(rec, req)
	return rec
}

func (c *regClient) get(t *testing.T, path string) (int, string) {
	t.Helper()
	rec := c.do(t, "GET", path, nil, "")
	return rec.Code, rec.Body.String()
}

func (c *regClient) post(t *testing.T, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	form.Set("csrf", c.csrf)
	return c.do(t, "POST", path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func (c *regClient) upload(t *testing.T, path, field, filename string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.csrf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	return c.do(t, "POST", path, &buf, mw.FormDataContentType())
}

// mustGet fetches a page and checks its status.
func (c *regClient) mustGet(t *testing.T, path string, want int) string {
	t.Helper()
	code, body := c.get(t, path)
	if code != want {
		t.Fatalf("%s GET %s: status %d, want %d\n%s", c.name, path, code, want, regSnippet(body))
	}
	return body
}

func regSnippet(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 3000 {
		s = s[:3000]
	}
	return s
}

func TestRegistryPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		env := regSetup(t, db)
		t.Run("regions", env.testRegions)
		t.Run("agreement_load_limit", env.testAgreementLoadLimit)
		t.Run("other_county_404", env.testOtherCounty)
		t.Run("provider_form", env.testProviderForm)
		t.Run("exports", env.testExports)
		t.Run("photo", env.testPhoto)
		t.Run("settings_and_flags", env.testSettingsAndFlags)
		t.Run("imports", env.testImports)
		t.Run("advisor_self", env.testAdvisorSelf)
		t.Run("every_role", env.testEveryRole)
	})
}

// shanheVillages returns the villages of 山河镇.
func (e *regEnv) shanheVillages(t *testing.T) []counsel.Region {
	t.Helper()
	vs, err := registry.Children(context.Background(), e.svc.DB, regShanhe)
	if err != nil || len(vs) < 3 {
		t.Fatalf("villages of 山河镇: %v (%d)", err, len(vs))
	}
	return vs
}

func (e *regEnv) testRegions(t *testing.T) {
	c := e.as(t, "zn-judicial")
	body := c.mustGet(t, "/regions", 200)
	vs := e.shanheVillages(t)
	for _, want := range []string{"山河镇", vs[0].Name, `href="/regions/` + vs[0].Code + `"`, `href="/agreements/new?region=` + regShanhe + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/regions lacks %q", want)
		}
	}
	// Search by part of a village's name.
	part := string([]rune(counsel.NameKey(vs[1].Name))[:2])
	body = c.mustGet(t, "/regions?q="+url.QueryEscape(part), 200)
	if !strings.Contains(body, `href="/regions/`+vs[1].Code+`"`) {
		t.Errorf("search %q does not find %s", part, vs[1].Name)
	}
	// Live search answers with the results only.
	req := httptest.NewRequest("GET", "/regions?q="+url.QueryEscape(part), nil)
	req.Header.Set("HX-Request", "true")
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, req)
	if rec.Code != 200 || strings.Contains(rec.Body.String(), "<html") || !strings.Contains(rec.Body.String(), vs[1].Code) {
		t.Errorf("htmx search: status %d, body %q", rec.Code, regSnippet(rec.Body.String()))
	}
	// A village page: its agreement, links, new-agreement button.
	body = c.mustGet(t, "/regions/"+vs[0].Code, 200)
	for _, want := range []string{vs[0].Name, "/persons?region=" + vs[0].Code, "/pairings?region=" + vs[0].Code, "/agreements/new?region=" + vs[0].Code} {
		if !strings.Contains(body, want) {
			t.Errorf("village page lacks %q", want)
		}
	}
	if strings.Contains(body, `action="/regions/`+vs[0].Code+`/flags"`) {
		t.Error("a judicial office sees the flags form")
	}
	// Flags are refused to the judicial office by the service too.
	if rec := c.post(t, "/regions/"+vs[0].Code+"/flags", url.Values{"remote": {"1"}}); rec.Code != http.StatusForbidden {
		t.Errorf("judicial flags POST: status %d, want 403", rec.Code)
	}
	c.mustGet(t, "/coverage", 200)
	c.mustGet(t, "/regions/"+regShanhe, 200)
}

func (e *regEnv) testAgreementLoadLimit(t *testing.T) {
	ctx := context.Background()
	c := e.as(t, "zn-judicial")
	c.mustGet(t, "/agreements/new?region="+regShanhe, 200)
	// The busiest active advisor of 正宁县, brought to the limit of 5.
	advs := regList(registry.Advisors(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 500}}))
	var adv counsel.Advisor
	for _, a := range advs.Items {
		if a.CountyCode == regZN && a.Active && a.Villages < 5 && a.Villages >= adv.Villages {
			adv = a
		}
	}
	if adv.ID == 0 {
		t.Fatal("no demo advisor under the limit")
	}
	vs := e.shanheVillages(t)
	form := func(village string) url.Values {
		return url.Values{"region_code": {village}, "advisor_id": {strconv.FormatInt(adv.ID, 10)}, "start_date": {"2026-05-01"},
			"end_date": {"2027-04-30"}, "subsidy": {"5000"}, "note": {"测试协议 " + village}}
	}
	for i := adv.Villages; i < 5; i++ {
		rec := c.post(t, "/agreements", form(vs[i].Code))
		if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/agreements/") {
			t.Fatalf("create agreement %d: status %d, location %q\n%s", i, rec.Code, rec.Header().Get("Location"), regSnippet(rec.Body.String()))
		}
		loc := rec.Header().Get("Location")
		body := c.mustGet(t, loc, 200)
		if !strings.Contains(body, adv.Name) || !strings.Contains(body, vs[i].Name) {
			t.Errorf("agreement page %s lacks the advisor or village", loc)
		}
	}
	first := ""
	body := c.mustGet(t, "/agreements?q="+url.QueryEscape(adv.Name)+"&limit=200", 200)
	if !strings.Contains(body, vs[4].Name) {
		t.Errorf("/agreements does not list the new agreement of %s", vs[4].Name)
	}
	if m := regexp.MustCompile(`href="(/agreements/\d+)">` + regexp.QuoteMeta(vs[4].Name) + `<`).FindStringSubmatch(body); m != nil {
		first = m[1]
	} else {
		t.Fatalf("no link to the agreement of %s", vs[4].Name)
	}
	// Move it on: a bad date is reported next to the date, then sign and file.
	if rec := c.post(t, first+"/status", url.Values{"status": {"signed"}, "day": {"2026-02-30"}}); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="day-err"`) {
		t.Errorf("bad status day: status %d", rec.Code)
	}
	// The judicial office submits it signed; filing (备案) is the county
	// bureau's: the office gets no filing button and is refused one.
	if rec := c.post(t, first+"/status", url.Values{"status": {"signed"}, "day": {"2026-05-02"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("move to signed: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	if body := c.mustGet(t, first, 200); strings.Contains(body, `value="filed"`) || !strings.Contains(body, "由县级司法局备案") {
		t.Error("the judicial office's page of a signed agreement offers filing, or does not say who files")
	}
	if rec := c.post(t, first+"/status", url.Values{"status": {"filed"}, "day": {"2026-05-02"}}); rec.Code != http.StatusForbidden {
		t.Fatalf("judicial office files: status %d, want 403", rec.Code)
	}
	bureau := e.as(t, "zn-bureau")
	if body := bureau.mustGet(t, first, 200); !strings.Contains(body, `value="filed"`) {
		t.Error("the county bureau gets no filing button")
	}
	if rec := bureau.post(t, first+"/status", url.Values{"status": {"filed"}, "day": {"2026-05-02"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("bureau files: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	if body := c.mustGet(t, first, 200); !strings.Contains(body, "已备案") || !strings.Contains(body, "2026-05-02") || strings.Contains(body, `value="signed"`) {
		t.Error("the filed agreement's page is wrong")
	}
	if rec := c.post(t, first+"/status", url.Values{"status": {"signed"}}); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("filed → signed: status %d, want 422", rec.Code)
	}
	// One more: over the limit.
	f := form(vs[5].Code)
	rec := c.post(t, "/agreements", f)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("over the limit: status %d, want 422\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	body = rec.Body.String()
	m := regexp.MustCompile(`<p class="field-error" id="advisor_id-err">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no error next to the advisor field:\n%s", regSnippet(body))
	}
	want := i18n.T("zh", "err.load_limit", adv.Name, 5, 5)
	if m[1] != want {
		t.Errorf("advisor error %q, want %q", m[1], want)
	}
	for _, keep := range []string{
		`<option value="` + vs[5].Code + `" selected>`,
		`<option value="` + strconv.FormatInt(adv.ID, 10) + `" selected>`,
		`value="2027-04-30"`, `value="5000"`, ">测试协议 " + vs[5].Code + "</textarea>",
	} {
		if !strings.Contains(body, keep) {
			t.Errorf("the form lost %q", keep)
		}
	}
	if !strings.Contains(body, `aria-invalid="true" aria-describedby="advisor_id-hint advisor_id-err"`) &&
		!strings.Contains(body, `aria-describedby="advisor_id-hint advisor_id-err" aria-invalid="true"`) {
		t.Error("the advisor field is not marked invalid")
	}
}

func (e *regEnv) testOtherCounty(t *testing.T) {
	ctx := context.Background()
	ps := regList(registry.Providers(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	as := regList(registry.Advisors(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	gs := regList(registry.Agreements(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	if len(ps.Items) == 0 || len(as.Items) == 0 || len(gs.Items) == 0 {
		t.Fatal("no 正宁县 demo data")
	}
	jh := e.as(t, "jh-bureau")
	for _, p := range []string{
		"/providers/" + strconv.FormatInt(ps.Items[0].ID, 10),
		"/providers/" + strconv.FormatInt(ps.Items[0].ID, 10) + "/edit",
		"/advisors/" + strconv.FormatInt(as.Items[0].ID, 10),
		"/advisors/" + strconv.FormatInt(as.Items[0].ID, 10) + "/photo",
		"/agreements/" + strconv.FormatInt(gs.Items[0].ID, 10),
		"/agreements/" + strconv.FormatInt(gs.Items[0].ID, 10) + "/edit",
		"/regions/" + regShanhe,
		"/regions/" + gs.Items[0].RegionCode,
		"/coverage?region=" + regZN,
	} {
		if code, body := jh.get(t, p); code != http.StatusNotFound {
			t.Errorf("jh-bureau GET %s: status %d, want 404\n%s", p, code, regSnippet(body))
		}
	}
	// Nor may it change them.
	rec := jh.post(t, "/agreements/"+strconv.FormatInt(gs.Items[0].ID, 10)+"/status", url.Values{"status": {"ended"}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("jh-bureau moves a 正宁县 agreement: status %d, want 404", rec.Code)
	}
	rec = jh.post(t, "/providers/"+strconv.FormatInt(ps.Items[0].ID, 10), url.Values{"kind": {"law_firm"}, "name": {"x"}})
	if rec.Code != http.StatusNotFound {
		t.Errorf("jh-bureau edits a 正宁县 provider: status %d, want 404", rec.Code)
	}
	// And its lists show none of them.
	body := jh.mustGet(t, "/providers", 200)
	if strings.Contains(body, ps.Items[0].Name) {
		t.Errorf("jh-bureau's provider list shows %s", ps.Items[0].Name)
	}
}

func (e *regEnv) testProviderForm(t *testing.T) {
	c := e.as(t, "zn-bureau")
	c.mustGet(t, "/providers/new", 200)
	bad := url.Values{"kind": {"law_firm"}, "name": {"甘肃测试律师事务所"}, "credit_code": {"91621025MA0000001A"}, "phone": {"0943-12"}, "address": {"正宁县测试路1号"}}
	rec := c.post(t, "/providers", bad)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad provider: status %d, want 422", rec.Code)
	}
	body := rec.Body.String()
	for _, keep := range []string{`value="甘肃测试律师事务所"`, `value="91621025MA0000001A"`, `value="正宁县测试路1号"`, `value="0943-12"`,
		`<option value="law_firm" selected>`, `id="credit_code-err"`, `id="phone-err"`, `class="alert"`} {
		if !strings.Contains(body, keep) {
			t.Errorf("provider form after an error lacks %q", keep)
		}
	}
	if strings.Contains(body, `id="name-err"`) {
		t.Error("a valid name is marked wrong")
	}
	base := "91621025MA0000001"
	good := url.Values{"kind": {"law_firm"}, "name": {"甘肃测试律师事务所"}, "credit_code": {base + string(counsel.CreditCheckChar(base))}, "phone": {"0943-1234567"}}
	rec = c.post(t, "/providers", good)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("good provider: status %d, want 303\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	loc := rec.Header().Get("Location")
	body = c.mustGet(t, loc, 200)
	if !strings.Contains(body, "甘肃测试律师事务所") || !strings.Contains(body, "律师事务所") {
		t.Errorf("provider page lacks its name or kind")
	}
	// Editing keeps the input on error too.
	id := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/providers/")
	c.mustGet(t, "/providers/"+id+"/edit", 200)
	rec = c.post(t, "/providers/"+id, url.Values{"kind": {"nonsense"}, "name": {"甘肃测试律师事务所二"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `value="甘肃测试律师事务所二"`) || !strings.Contains(rec.Body.String(), `id="kind-err"`) {
		t.Errorf("provider edit error: status %d", rec.Code)
	}
	// A duplicate name is reported next to the name.
	rec = c.post(t, "/providers", good)
	if rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), `id="name-err"`) {
		t.Errorf("duplicate provider: status %d, want 409 with a name error", rec.Code)
	}
	// Provider managers and judicial offices get no create form; the service refuses them anyway.
	j := e.as(t, "zn-judicial")
	if code, _ := j.get(t, "/providers/new"); code != http.StatusForbidden {
		t.Errorf("judicial GET /providers/new: %d, want 403", code)
	}
	good.Set("name", "甘肃另一家律师事务所")
	good.Del("credit_code")
	if rec := j.post(t, "/providers", good); rec.Code != http.StatusForbidden {
		t.Errorf("judicial POST /providers: %d, want 403", rec.Code)
	}
}

// regSheet opens an xlsx download and returns its first sheet's rows.
func regSheet(t *testing.T, rec *httptest.ResponseRecorder) [][]string {
	t.Helper()
	if rec.Code != 200 {
		t.Fatalf("export: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("export Content-Type %q", ct)
	}
	cd := rec.Header().Get("Content-Disposition")
	if !strings.HasPrefix(cd, `attachment; filename="`) || !strings.Contains(cd, "filename*=UTF-8''%E") {
		t.Errorf("export Content-Disposition %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatalf("excelize: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// regHeader finds the row holding every one of want and returns its index.
func regHeader(t *testing.T, rows [][]string, want ...string) int {
	t.Helper()
	for i, r := range rows {
		have := map[string]bool{}
		for _, c := range r {
			have[c] = true
		}
		ok := true
		for _, w := range want {
			ok = ok && have[w]
		}
		if ok {
			return i
		}
	}
	t.Fatalf("no header row with %v in %v", want, rows[:min(3, len(rows))])
	return -1
}

func (e *regEnv) testExports(t *testing.T) {
	c := e.as(t, "zn-bureau")
	cases := []struct {
		path    string
		headers []string
		minRows int
	}{
		{"/providers.xlsx", []string{"单位名称", "类型", "统一社会信用代码", "联系电话", "地址"}, 7},
		{"/advisors.xlsx", []string{"姓名", "性别", "类型", "执业证号", "所在单位", "联系电话", "微信号"}, 20},
		{"/agreements.xlsx", []string{"乡镇（街道）", "村（社区）", "服务机构", "法律顾问", "开始日期", "结束日期", "补贴（元/年）", "状态", "备案期限", "逾期"}, 90},
		{"/agreements.xlsx?status=late", []string{"乡镇（街道）", "逾期"}, 1},
		{"/coverage.xlsx", []string{"乡镇（街道）", "村（社区）数", "已覆盖", "覆盖率"}, 10},
	}
	for _, tc := range cases {
		rows := regSheet(t, c.do(t, "GET", tc.path, nil, ""))
		h := regHeader(t, rows, tc.headers...)
		if n := len(rows) - h - 1; n < tc.minRows {
			t.Errorf("%s: %d data rows, want at least %d", tc.path, n, tc.minRows)
		}
	}
	// The late export holds only late agreements.
	rows := regSheet(t, c.do(t, "GET", "/agreements.xlsx?status=late", nil, ""))
	h := regHeader(t, rows, "逾期")
	col := -1
	for i, v := range rows[h] {
		if v == "逾期" {
			col = i
		}
	}
	for _, r := range rows[h+1:] {
		if col >= len(r) || r[col] != "是" {
			t.Errorf("late export row %v is not late", r)
			break
		}
	}
	// Every page of a list: providers.xlsx has all of them even with limit=1.
	all := regSheet(t, c.do(t, "GET", "/providers.xlsx?limit=1", nil, ""))
	pl, _ := e.svc.Providers(context.Background(), &counsel.Actor{Role: counsel.RoleBureau, RegionCode: regZN}, counsel.Filter{Page: counsel.Page{Limit: 1}})
	if got := len(all) - regHeader(t, all, "单位名称") - 1; got != pl.Total {
		t.Errorf("providers.xlsx has %d rows, want %d", got, pl.Total)
	}
}

func (e *regEnv) testPhoto(t *testing.T) {
	ctx := context.Background()
	as := regList(registry.Advisors(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	id := strconv.FormatInt(as.Items[0].ID, 10)
	c := e.as(t, "zn-bureau")
	// Not an image, even if it says so.
	rec := c.upload(t, "/advisors/"+id+"/photo", "photo", "photo.png", []byte("<html><script>alert(1)</script></html>"))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="photo-err"`) {
		t.Fatalf("non-image upload: status %d, want 422 with a photo error", rec.Code)
	}
	// Too large.
	big := append(regPNG(t), make([]byte, 2<<20)...)
	if rec := c.upload(t, "/advisors/"+id+"/photo", "photo", "big.png", big); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("3 MB upload: status %d, want 422", rec.Code)
	}
	img := regPNG(t)
	rec = c.upload(t, "/advisors/"+id+"/photo", "photo", "me.jpg", img)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("png upload: status %d, want 303\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	rec = c.do(t, "GET", "/advisors/"+id+"/photo", nil, "")
	if rec.Code != 200 || !bytes.Equal(rec.Body.Bytes(), img) {
		t.Fatalf("photo GET: status %d, %d bytes", rec.Code, rec.Body.Len())
	}
	for k, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff"} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("photo %s = %q, want %q", k, got, want)
		}
	}
	if cd := rec.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "inline") {
		t.Errorf("photo Content-Disposition %q", cd)
	}
	if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("photo Cache-Control %q", cc)
	}
	// Stored under the data dir with a random name, not world-readable.
	matches, _ := filepath.Glob(filepath.Join(e.svc.Cfg.DataDir, "photos", "*.png"))
	if len(matches) != 1 {
		t.Fatalf("stored photos: %v", matches)
	}
	if st, err := os.Stat(matches[0]); err != nil || st.Mode().Perm()&0o007 != 0 {
		t.Errorf("photo file mode %v (%v)", st.Mode(), err)
	}
	body := c.mustGet(t, "/advisors/"+id, 200)
	if !strings.Contains(body, `src="/advisors/`+id+`/photo?v=`) {
		t.Error("advisor page does not show the photo")
	}
	// Whoever may not read the advisor gets nothing.
	if code, _ := e.as(t, "jh-bureau").get(t, "/advisors/"+id+"/photo"); code != http.StatusNotFound {
		t.Errorf("jh-bureau photo GET: %d, want 404", code)
	}
	// A village committee may not upload.
	v := e.as(t, "zn-village")
	if rec := v.upload(t, "/advisors/"+id+"/photo", "photo", "x.png", img); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
		t.Errorf("village upload: status %d, want 403/404", rec.Code)
	}
}

// regList wraps a store list so tests can use its items and total.
func regList[T any](items []T, total int, err error) registry.List[T] {
	if err != nil {
		panic(err)
	}
	return registry.List[T]{Items: items, Total: total}
}

func regPNG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 4, 4))
	m.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func (e *regEnv) testSettingsAndFlags(t *testing.T) {
	c := e.as(t, "zn-bureau")
	body := c.mustGet(t, "/settings", 200)
	if !strings.Contains(body, `name="load_limit" type="text" value="5"`) {
		t.Errorf("settings form lacks the load limit:\n%s", regSnippet(body))
	}
	rec := c.post(t, "/settings", url.Values{"load_limit": {"abc"}, "filing_month_day": {"02-30"}, "pairing_min": {"3"}, "pairing_deadline": {"2026-06-30"}, "default_subsidy": {"5000"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="load_limit-err"`) || !strings.Contains(rec.Body.String(), `value="abc"`) {
		t.Errorf("bad settings: status %d", rec.Code)
	}
	rec = c.post(t, "/settings", url.Values{"load_limit": {"6"}, "filing_month_day": {"04-30"}, "pairing_min": {"3"}, "pairing_deadline": {"2026-06-30"}, "default_subsidy": {"6000.50"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("settings save: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	set, _ := e.svc.Settings(context.Background(), counsel.System, regZN)
	if set.LoadLimit != 6 || set.DefaultSubsidyFn != 600050 || set.FilingMonthDay != "04-30" {
		t.Errorf("settings saved as %+v", set)
	}
	// The new default subsidy shows on a new agreement; put the limit back.
	if body := e.as(t, "zn-judicial").mustGet(t, "/agreements/new", 200); !strings.Contains(body, `value="6000.50"`) {
		t.Error("new agreement does not default to the county's subsidy")
	}
	c.post(t, "/settings", url.Values{"load_limit": {"5"}, "filing_month_day": {"03-31"}, "pairing_min": {"3"}, "pairing_deadline": {"2026-06-30"}, "default_subsidy": {"5000"}})
	if code, _ := e.as(t, "zn-judicial").get(t, "/settings"); code != 200 {
		t.Errorf("judicial settings view: %d", code)
	}
	if rec := e.as(t, "zn-judicial").post(t, "/settings", url.Values{"load_limit": {"9"}, "filing_month_day": {"03-31"}, "pairing_min": {"3"}, "pairing_deadline": {"2026-06-30"}}); rec.Code != http.StatusForbidden {
		t.Errorf("judicial settings save: %d, want 403", rec.Code)
	}

	// Village flags by the county bureau.
	vs := e.shanheVillages(t)
	body = c.mustGet(t, "/regions/"+vs[2].Code, 200)
	if !strings.Contains(body, `action="/regions/`+vs[2].Code+`/flags"`) {
		t.Fatal("the county bureau has no flags form")
	}
	rec = c.post(t, "/regions/"+vs[2].Code+"/flags", url.Values{"underdeveloped": {"bogus"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="underdeveloped-err"`) {
		t.Errorf("bad flags: status %d", rec.Code)
	}
	rec = c.post(t, "/regions/"+vs[2].Code+"/flags", url.Values{"underdeveloped": {"county"}, "remote": {"1"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("flags: status %d", rec.Code)
	}
	body = c.mustGet(t, "/regions/"+vs[2].Code, 200)
	if !strings.Contains(body, "县级欠发达村") || !strings.Contains(body, `name="remote" value="1" checked`) {
		t.Error("village page does not show the new flags")
	}
	// The city bureau reads but does not write.
	city := e.as(t, "zn-city")
	if body := city.mustGet(t, "/regions/"+vs[2].Code, 200); strings.Contains(body, "/flags") {
		t.Error("the city bureau sees the flags form")
	}
}

func (e *regEnv) testImports(t *testing.T) {
	c := e.as(t, "zn-bureau")
	c.mustGet(t, "/providers/import", 200)
	csv := "单位名称,类型,统一社会信用代码,联系电话\n甘肃导入律师事务所,律师事务所,,0943-7654321\n坏机构,不知道,,123\n"
	rec := c.upload(t, "/providers/import", "file", "pg.csv", []byte(csv))
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad provider import: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	body := rec.Body.String()
	if !strings.Contains(body, `data-label="行">3</td>`) || !strings.Contains(body, `class="alert"`) {
		t.Errorf("import errors are not listed by row:\n%s", regSnippet(body))
	}
	if l, _ := e.svc.Providers(context.Background(), counsel.System, counsel.Filter{Q: "甘肃导入", Page: counsel.Page{Limit: 5}}); l.Total != 0 {
		t.Error("a rejected import wrote a provider")
	}
	rec = c.upload(t, "/providers/import", "file", "pg.csv", []byte(csv[:strings.Index(csv, "坏机构")]))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "导入完成") {
		t.Fatalf("good provider import: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	rec = c.upload(t, "/providers/import", "file", "pg.txt", []byte(csv))
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="file-err"`) {
		t.Errorf("import of a .txt: status %d", rec.Code)
	}
	acsv := "姓名,性别,类型,执业证号,所在单位,联系电话\n赵导入,男,律师,,甘肃导入律师事务所,13912345678\n"
	rec = c.upload(t, "/advisors/import", "file", "a.csv", []byte(acsv))
	if rec.Code != 200 {
		t.Fatalf("advisor import: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	body = c.mustGet(t, "/advisors?q="+url.QueryEscape("赵导入"), 200)
	if !strings.Contains(body, "甘肃导入律师事务所") {
		t.Error("the imported advisor is not listed")
	}
	if code, _ := e.as(t, "zn-judicial").get(t, "/advisors/import"); code != http.StatusForbidden {
		t.Errorf("judicial import form: %d, want 403", code)
	}
}

func (e *regEnv) testAdvisorSelf(t *testing.T) {
	c := e.as(t, "zn-advisor")
	body := c.mustGet(t, "/advisors", 200)
	m := regexp.MustCompile(`href="/advisors/(\d+)">([^<]+)</a>`).FindStringSubmatch(body)
	if m == nil || strings.Count(body, `<a href="/advisors/`) != 1 {
		t.Fatalf("an advisor's list should hold itself only:\n%s", regSnippet(body))
	}
	id, name := m[1], m[2]
	body = c.mustGet(t, "/advisors/"+id+"/edit", 200)
	if strings.Contains(body, `name="licence_no"`) || !strings.Contains(body, `name="phone"`) {
		t.Error("an advisor's own form should carry the contact details only")
	}
	rec := c.post(t, "/advisors/"+id, url.Values{"phone": {"1391234"}, "wechat": {"wx_new"}})
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="phone-err"`) || !strings.Contains(rec.Body.String(), `value="wx_new"`) {
		t.Errorf("bad phone: status %d", rec.Code)
	}
	rec = c.post(t, "/advisors/"+id, url.Values{"phone": {"139 1234 5678"}, "wechat": {"wx_new"}, "name": {"改名"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("own contact details: status %d\n%s", rec.Code, regSnippet(rec.Body.String()))
	}
	body = c.mustGet(t, "/advisors/"+id, 200)
	if !strings.Contains(body, "13912345678") || !strings.Contains(body, "wx_new") || !strings.Contains(body, name) || strings.Contains(body, "改名") {
		t.Error("an advisor changed more than its contact details, or less")
	}
	if code, _ := c.get(t, "/advisors/new"); code != http.StatusForbidden {
		t.Errorf("advisor GET /advisors/new: %d, want 403", code)
	}
}

// testEveryRole opens every registry page as every demo role: none may fail
// with a server error or show an untranslated key.
func (e *regEnv) testEveryRole(t *testing.T) {
	ctx := context.Background()
	as := regList(registry.Advisors(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	ps := regList(registry.Providers(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	gs := regList(registry.Agreements(ctx, e.svc.DB, counsel.Filter{Scope: regZN, Page: counsel.Page{Limit: 1}}))
	pages := []string{"/regions", "/regions?q=" + url.QueryEscape("村"), "/regions/" + regZN, "/regions/" + regShanhe, "/regions/621025100001",
		"/coverage", "/coverage?region=" + regShanhe, "/settings",
		"/providers", "/providers?kind=law_firm&q=" + url.QueryEscape("律师"), "/providers/new", "/providers/import", "/providers/" + strconv.FormatInt(ps.Items[0].ID, 10),
		"/advisors", "/advisors?kind=lawyer", "/advisors/new", "/advisors/" + strconv.FormatInt(as.Items[0].ID, 10), "/advisors/" + strconv.FormatInt(as.Items[0].ID, 10) + "/edit",
		"/agreements", "/agreements?status=late", "/agreements?status=live&region=" + regShanhe, "/agreements/new",
		"/agreements/" + strconv.FormatInt(gs.Items[0].ID, 10), "/agreements/" + strconv.FormatInt(gs.Items[0].ID, 10) + "/edit",
		"/providers.xlsx", "/advisors.xlsx", "/agreements.xlsx", "/coverage.xlsx"}
	for _, user := range []string{"admin", "zn-bureau", "zn-city", "zn-judicial", "zn-provider", "zn-advisor", "zn-village"} {
		c := e.as(t, user)
		for _, p := range pages {
			code, body := c.get(t, p)
			if code >= 500 || code == 0 {
				t.Errorf("%s GET %s: status %d\n%s", user, p, code, regSnippet(body))
				continue
			}
			if m := regexp.MustCompile(`\breg\.[a-z_]+\b`).FindString(body); m != "" && !strings.HasSuffix(p, ".xlsx") {
				t.Errorf("%s GET %s: untranslated key %s", user, p, m)
			}
			if strings.HasPrefix(p, "/regions?") || p == "/regions" || p == "/agreements" || p == "/advisors" {
				if code != 200 {
					t.Errorf("%s GET %s: status %d, want 200", user, p, code)
				}
			}
		}
	}
	// The English pages are translated too.
	c := e.as(t, "zn-provider")
	if rec := c.post(t, "/lang", url.Values{"lang": {"en"}, "next": {"/"}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("switch to English: %d", rec.Code)
	}
	for _, p := range []string{"/advisors", "/agreements", "/advisors/new", "/regions/" + regShanhe} {
		code, body := c.get(t, p)
		if code != 200 || !strings.Contains(body, `lang="en"`) {
			t.Errorf("English %s: status %d", p, code)
		}
		if m := regexp.MustCompile(`\breg\.[a-z_]+\b`).FindString(body); m != "" {
			t.Errorf("English %s: untranslated key %s", p, m)
		}
	}
	c.post(t, "/lang", url.Values{"lang": {"zh"}, "next": {"/"}})
}

// TestRegistryCatalog checks that every registry key the templates and
// handlers use, including the ones built from kinds and statuses, exists.
func TestRegistryCatalog(t *testing.T) {
	var keys []string
	for _, k := range counsel.ProviderKinds {
		keys = append(keys, "reg.pkind."+k)
	}
	for _, k := range counsel.AdvisorKinds {
		keys = append(keys, "reg.akind."+k)
	}
	for _, s := range append([]string{"live", "late"}, counsel.AgreementStatuses...) {
		keys = append(keys, "reg.status."+s)
	}
	for _, s := range []string{counsel.AgreementSigned, counsel.AgreementFiled, counsel.AgreementEnded, counsel.AgreementReplaced} {
		keys = append(keys, "reg.move."+s)
	}
	keys = append(keys, "reg.vkind."+counsel.KindVillage, "reg.vkind."+counsel.KindCommunity, "reg.underdev.city", "reg.underdev.county",
		"reg.gender.m", "reg.gender.f", "reg.import_providers", "reg.import_advisors", "reg.import_providers_help", "reg.import_advisors_help")
	files, _ := filepath.Glob("templates/*.html")
	re := regexp.MustCompile(`"((?:reg|col|home|flash|err|level)\.[a-z_.]+[a-z_])"`)
	goFiles := []string{"web.go", "web_regions.go", "web_providers.go", "web_advisors.go", "web_agreements.go", "../../web/photos.go"}
	for _, f := range append(files, goFiles...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			if strings.HasPrefix(m[1], "reg.") || strings.HasSuffix(f, ".go") || strings.Contains(f, "registry") {
				keys = append(keys, m[1])
			}
		}
	}
	for _, k := range keys {
		zh, en, ok := i18n.Entry(k)
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			continue
		}
		if !ok || zh == "" || en == "" {
			t.Errorf("catalog lacks %q", k)
		}
	}
}
