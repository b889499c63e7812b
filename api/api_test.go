package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/registry"
)

// TestOpenAPIInStepWithRoutes fails when an API route is added without an
// entry in the OpenAPI document, or the document names a route that is gone.
func TestOpenAPIInStepWithRoutes(t *testing.T) {
	app := apptest.New(t)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	c := app.Anonymous()
	if st := c.JSON("GET", "/api/v1/openapi.json", nil, &doc); st != 200 {
		t.Fatalf("openapi.json: status %d, want 200", st)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q, want 3.x", doc.OpenAPI)
	}
	routes := map[string]bool{}
	for _, r := range app.Server.Routes() {
		if !r.API || r.Name == "api_openapi" {
			continue
		}
		key := strings.ToLower(r.Method) + " " + r.Pattern
		routes[key] = true
		op, ok := doc.Paths[r.Pattern][strings.ToLower(r.Method)]
		if !ok {
			t.Errorf("route %s is missing from openapi.json", key)
			continue
		}
		if op["operationId"] != r.Name {
			t.Errorf("%s: operationId %v, want %s", key, op["operationId"], r.Name)
		}
	}
	for p, methods := range doc.Paths {
		for m := range methods {
			if !routes[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which is not a route", m, p)
			}
		}
	}
	if len(routes) < 20 {
		t.Errorf("only %d API routes, want at least 20", len(routes))
	}
}

func TestTokenAuthAndScope(t *testing.T) {
	app := apptest.New(t)
	jh := app.Login("jh-bureau")
	var tok struct{ Token string }
	if st := jh.JSON("POST", "/api/v1/tokens", map[string]string{"name": "reporting"}, &tok); st != 201 || !strings.HasPrefix(tok.Token, "vc_") {
		t.Fatalf("create token: status %d token %q", st, tok.Token)
	}
	bearer := app.Anonymous()
	get := func(path string) (int, []byte) {
		req, _ := http.NewRequest("GET", app.HTTP.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := bearer.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var raw json.RawMessage
		_ = json.NewDecoder(resp.Body).Decode(&raw)
		return resp.StatusCode, raw
	}
	st, body := get("/api/v1/agreements?limit=500")
	if st != 200 {
		t.Fatalf("agreements with token: status %d", st)
	}
	var l registry.List[counsel.Agreement]
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatal(err)
	}
	if l.Total == 0 {
		t.Fatal("镜湖区 bureau sees no agreements")
	}
	for _, g := range l.Items {
		if !strings.HasPrefix(g.RegionCode, "340202") {
			t.Errorf("镜湖区 bureau sees agreement %d in %s", g.ID, g.RegionCode)
		}
	}
	// A 正宁县 agreement is not found for 镜湖区, by any id.
	zn := app.Login("zn-bureau")
	var zl registry.List[counsel.Agreement]
	zn.JSON("GET", "/api/v1/agreements?limit=1", nil, &zl)
	if len(zl.Items) == 0 {
		t.Fatal("正宁县 bureau sees no agreements")
	}
	for _, p := range []string{
		fmt.Sprintf("/api/v1/agreements/%d", zl.Items[0].ID),
		fmt.Sprintf("/api/v1/advisors/%d", zl.Items[0].AdvisorID),
		fmt.Sprintf("/api/v1/providers/%d", zl.Items[0].ProviderID),
		"/api/v1/regions/" + zl.Items[0].RegionCode,
		"/api/v1/coverage?region=621025000000",
	} {
		if st, _ := get(p); st != 404 {
			t.Errorf("镜湖区 token GET %s: status %d, want 404", p, st)
		}
	}
	if st, _ := get("/api/v1/me"); st != 200 {
		t.Errorf("me with token: %d", st)
	}
	bad := app.Anonymous()
	req, _ := http.NewRequest("GET", app.HTTP.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer vc_forged")
	resp, err := bad.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("forged token: status %d, want 401", resp.StatusCode)
	}
}

func TestSessionChangesNeedCSRF(t *testing.T) {
	app := apptest.New(t)
	c := app.Login("zn-bureau")
	tok := c.CSRF
	c.CSRF = ""
	body := map[string]any{"kind": "law_firm", "name": "测试律师事务所", "county_code": "621025000000"}
	var e struct {
		Error struct{ Code, Message string }
	}
	if st := c.JSON("POST", "/api/v1/providers", body, &e); st != 403 || e.Error.Code != "forbidden" {
		t.Fatalf("POST without CSRF token: status %d %+v, want 403", st, e)
	}
	c.CSRF = tok
	var p counsel.Provider
	if st := c.JSON("POST", "/api/v1/providers", body, &p); st != 201 || p.ID == 0 {
		t.Fatalf("POST with CSRF token: status %d, want 201", st)
	}
	// A cross-site request is refused even with the token.
	req, _ := http.NewRequest("PUT", app.HTTP.URL+fmt.Sprintf("/api/v1/providers/%d", p.ID), strings.NewReader(`{}`))
	req.Header.Set("X-CSRF-Token", tok)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("cross-site PUT: status %d, want 403", resp.StatusCode)
	}
}

func TestValidationErrorsInUsersLanguage(t *testing.T) {
	app := apptest.New(t)
	c := app.Login("zn-bureau")
	bad := map[string]any{"kind": "law_firm", "name": "", "credit_code": "91330000123456789X", "county_code": "621025000000", "phone": "12345"}
	var e struct {
		Error struct {
			Code    string
			Message string
			Fields  []struct{ Field, Message string }
		}
	}
	if st := c.JSON("POST", "/api/v1/providers", bad, &e); st != 422 {
		t.Fatalf("status %d, want 422", st)
	}
	got := map[string]string{}
	for _, f := range e.Error.Fields {
		got[f.Field] = f.Message
	}
	for field, want := range map[string]string{"name": "必填", "credit_code": "统一社会信用代码", "phone": "电话号码"} {
		if !strings.Contains(got[field], want) {
			t.Errorf("field %s: message %q, want it to contain %q", field, got[field], want)
		}
	}
	// Unknown JSON fields are refused rather than silently dropped.
	if st := c.JSON("POST", "/api/v1/providers", map[string]any{"nmae": "x"}, &e); st != 422 {
		t.Errorf("unknown field: status %d, want 422", st)
	}
}

func TestLoadLimitThroughAPI(t *testing.T) {
	app := apptest.New(t)
	c := app.Login("zn-judicial") // 山河镇
	var advisors registry.List[counsel.Advisor]
	c.JSON("GET", "/api/v1/advisors?limit=100", nil, &advisors)
	var villages []counsel.Region
	c.JSON("GET", "/api/v1/coverage/uncovered", nil, &villages)
	var all []counsel.Region
	c.JSON("GET", "/api/v1/regions?parent=621025100000", nil, &all)
	if len(advisors.Items) == 0 || len(all) < 6 {
		t.Fatalf("fixture: %d advisors, %d villages", len(advisors.Items), len(all))
	}
	adv := advisors.Items[0]
	var created int
	var lastErr string
	for _, v := range all {
		g := counsel.Agreement{AdvisorID: adv.ID, RegionCode: v.Code, StartDate: "2026-01-01", EndDate: "2026-12-31", SubsidyFen: 500000}
		var e struct {
			Error struct {
				Fields []struct{ Field, Message string }
			}
		}
		st := c.JSON("POST", "/api/v1/agreements", g, &e)
		if st == 201 {
			created++
			continue
		}
		if st != 422 || len(e.Error.Fields) == 0 || e.Error.Fields[0].Field != "advisor_id" {
			t.Fatalf("agreement for %s: status %d %+v", v.Name, st, e)
		}
		lastErr = e.Error.Fields[0].Message
		break
	}
	if adv.Villages+created != 5 {
		t.Errorf("advisor had %d villages, %d created before refusal; want the limit 5", adv.Villages, created)
	}
	if !strings.Contains(lastErr, "上限为 5") {
		t.Errorf("load limit message %q, want the limit named", lastErr)
	}
}
