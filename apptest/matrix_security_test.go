package apptest_test

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/account"
)

// withVillageToken gives zn-village an API token (id 1 on a fresh copy of
// the demo): only its owner may revoke it.
func withVillageToken(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	cr, err := account.CredentialsOf(ctx, app.DB, "zn-village")
	if err != nil {
		t.Fatal(err)
	}
	a := counsel.ActorOf(cr.User, "192.0.2.1")
	if list, err := app.Feats.Account.Svc.APITokens(ctx, a); err == nil && len(list) > 0 {
		return
	}
	if _, err := app.Feats.Account.Svc.CreateAPIToken(ctx, a, "矩阵令牌", 30); err != nil {
		t.Fatal(err)
	}
	if list, err := app.Feats.Account.Svc.APITokens(ctx, a); err != nil || len(list) != 1 || list[0].ID != 1 {
		t.Fatalf("matrix token: %+v %v", list, err)
	}
}

// securityRows are the rows of issue 12's routes (security).
func securityRows() map[string]probe {
	return map[string]probe{
		"GET /api/v1/tokens":               {path: "/api/v1/tokens", allow: all + " other"},
		"DELETE /api/v1/tokens/{id}":       {path: "/api/v1/tokens/1", allow: "village", setup: withVillageToken},
		"POST /account/tokens/{id}/revoke": {path: "/account/tokens/1/revoke", body: url.Values{}, allow: "village", setup: withVillageToken},
	}
}

// TestBureauCreatesOnlyItsCountysAccounts is defect 11's row: 正宁县's bureau
// posting an account with 镜湖区's region (its own provider) or 镜湖区's
// provider is refused and writes nothing; 镜湖区's bureau the same the other
// way round.
func TestBureauCreatesOnlyItsCountysAccounts(t *testing.T) {
	app := apptest.New(t)
	x := fixtureIDs(t, app.DB)
	ctx := context.Background()
	var jhProvider int64
	if err := app.DB.Row(ctx, `SELECT id FROM providers WHERE county_code = '340202000000' ORDER BY id LIMIT 1`).Scan(&jhProvider); err != nil {
		t.Fatal(err)
	}
	before := app.Counts(t)
	zb := app.Session("zn-bureau")
	for i, body := range []map[string]any{
		{"role": "provider", "provider_id": x.Provider, "region_code": "340202000000"},
		{"role": "provider", "provider_id": jhProvider},
		{"role": "village", "region_code": "340202012200"},
		{"role": "advisor", "advisor_id": x.Advisor, "region_code": "340202000000"},
	} {
		body["username"], body["display_name"], body["password"] = "probe-"+string(rune('a'+i)), "探测", "Tea-Garden-Bridge-7"
		if v, ok := body["provider_id"].(string); ok {
			body["provider_id"] = json.Number(v)
		}
		if v, ok := body["advisor_id"].(string); ok {
			body["advisor_id"] = json.Number(v)
		}
		if st := zb.JSON("POST", "/api/v1/users", body, nil); st != 403 {
			t.Errorf("zn-bureau POST /api/v1/users %v: %d, want 403", body, st)
		}
	}
	if st := app.Session("jh-bureau").JSON("POST", "/api/v1/users", map[string]any{"username": "probe-jh", "display_name": "探测", "password": "Tea-Garden-Bridge-7",
		"role": "provider", "provider_id": jhProvider, "region_code": x.County}, nil); st != 403 {
		t.Errorf("jh-bureau with 正宁县's region: %d, want 403", st)
	}
	after := app.Counts(t)
	if !reflect.DeepEqual(before, after) {
		t.Errorf("refused requests changed rows: %v → %v", before, after)
	}
}
