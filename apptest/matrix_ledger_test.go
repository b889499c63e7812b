package apptest_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// withEntryPhoto gives the fixture entry a stored photo (by raw SQL: the
// photo list is part of the hashed content, which this test does not check).
func withEntryPhoto(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	name := "0123456789abcdef0123456789abcdef.png"
	if err := os.WriteFile(filepath.Join(dir, name), tinyPNG, 0o640); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.ExecRaw(context.Background(), `UPDATE entries SET photos = ? WHERE id = ?`, name+":00", x.Entry); err != nil {
		t.Fatal(err)
	}
}

// ledgerRows are the rows of the ledger pages and API operations.
func ledgerRows() map[string]probe {
	entry := url.Values{"village_code": {"{village}"}, "advisor_id": {"{advisor}"}, "kind": {"onsite_duty"}, "mode": {"onsite"},
		"date": {"2026-06-01"}, "minutes": {"240"}, "content": {"驻点值班"}}
	entryJSON := `{"village_code":"{village}","advisor_id":{advisor},"kind":"lecture","mode":"onsite","date":"2026-06-02","minutes":90,"content":"法治讲座"}`
	return map[string]probe{
		"GET /ledger/entries":                 {path: "/ledger/entries", allow: all + " other"},
		"GET /ledger/entries/new":             {path: "/ledger/entries/new", allow: "admin advisor"},
		"POST /ledger/entries":                {path: "/ledger/entries", body: entry, allow: "admin advisor"},
		"GET /ledger/entries/{id}":            {path: "/ledger/entries/{entry}", allow: all},
		"POST /ledger/entries/{id}/review":    {path: "/ledger/entries/{entry}/review", body: url.Values{"status": {"confirmed"}}, allow: "admin village"},
		"GET /ledger/entries/{id}/photos/{n}": {path: "/ledger/entries/{entry}/photos/0", allow: all, setup: withEntryPhoto},
		"GET /ledger/due":                     {path: "/ledger/due?advisor={advisor}", allow: "admin bureau city judicial provider advisor"},
		"GET /ledger/duties":                  {path: "/ledger/duties?state=due", allow: all + " other"},
		"GET /ledger/verify":                  {path: "/ledger/verify?run=1", allow: "admin bureau city judicial village other"},
		"GET /ledger/policy":                  {path: "/ledger/policy?region={county}", allow: all},
		"POST /ledger/policy":                 {path: "/ledger/policy", body: url.Values{"region": {"{county}"}, "preset": {"ningbo"}}, allow: countyW},
		"POST /ledger/kinds":                  {path: "/ledger/kinds", body: url.Values{"region": {"{county}"}, "name": {"法律体检"}}, allow: countyW},
		"GET /notifications":                  {path: "/notifications", allow: all + " other"},
		"POST /notifications/read":            {path: "/notifications/read", body: url.Values{}, allow: all + " other"},

		"GET /api/v1/entries":              {path: "/api/v1/entries", allow: all + " other"},
		"POST /api/v1/entries":             {path: "/api/v1/entries", body: entryJSON, ctype: "application/json", allow: "admin advisor"},
		"GET /api/v1/entries/{id}":         {path: "/api/v1/entries/{entry}", allow: all},
		"POST /api/v1/entries/{id}/review": {path: "/api/v1/entries/{entry}/review", body: map[string]string{"status": "disputed", "note": "当天未到村"}, allow: "admin village"},
		"GET /api/v1/duties":               {path: "/api/v1/duties?state=missed", allow: all + " other"},
		"GET /api/v1/due":                  {path: "/api/v1/due?advisor={advisor}", allow: "admin bureau city judicial provider advisor"},
		"GET /api/v1/policy":               {path: "/api/v1/policy?region={county}", allow: all},
		"PUT /api/v1/policy":               {path: "/api/v1/policy", body: map[string]any{"region": "{county}", "preset": "pairing"}, allow: countyW},
		"GET /api/v1/ledger/verify":        {path: "/api/v1/ledger/verify", allow: "admin bureau city judicial village other"},
		"GET /api/v1/ledger-kinds":         {path: "/api/v1/ledger-kinds?region={county}", allow: all + " other"},
		"POST /api/v1/ledger-kinds":        {path: "/api/v1/ledger-kinds", body: map[string]string{"region": "{county}", "name": "法律体检"}, allow: countyW},
		"GET /api/v1/notifications":        {path: "/api/v1/notifications", allow: all + " other"},
		"POST /api/v1/notifications/read":  {path: "/api/v1/notifications/read", body: map[string]int{"id": 0}, allow: all + " other"},
	}
}
