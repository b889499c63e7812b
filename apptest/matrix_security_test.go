package apptest_test

import (
	"context"
	"net/url"
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
