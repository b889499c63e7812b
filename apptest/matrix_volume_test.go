package apptest_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The fixture matter and document of the volume rows: the fixture village's
// advisor's, with fixed ids (the demo has none of either).
const (
	volMatter   = "900001"
	volDocument = "900001"
)

// withVolumeRecords files the fixture matter and document (idempotent: the
// shared application gets it once per GET row).
func withVolumeRecords(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	if err := app.DB.ExecRaw(ctx, `INSERT INTO matters (id, village_code, advisor_id, title, category, parties, summary, status, outcome, opened_on, closed_on, created_at, updated_at)
		VALUES (?, ?, ?, '矩阵调解案', 'mediation', '甲；乙', '邻里纠纷', 'open', '', '2026-05-01', '', 1, 1) ON CONFLICT DO NOTHING`, volMatter, x.Village, x.Advisor); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.ExecRaw(ctx, `INSERT INTO documents (id, kind, village_code, advisor_id, year, title, body, created_by, created_at, updated_at)
		VALUES (?, 'plan', ?, ?, 2026, '矩阵服务计划', '每周驻点一次', 1, 1, 1) ON CONFLICT DO NOTHING`, volDocument, x.Village, x.Advisor); err != nil {
		t.Fatal(err)
	}
}

// volumeRows are the rows of the volume area's pages and API operations.
func volumeRows() map[string]probe {
	matter := url.Values{"village_code": {"{village}"}, "advisor_id": {"{advisor}"}, "title": {"矩阵新案"}, "category": {"mediation"},
		"parties": {"丙；丁"}, "summary": {"土地流转纠纷"}, "opened_on": {"2026-06-01"}}
	edit := url.Values{"title": {"矩阵调解案（改）"}, "category": {"mediation"}, "parties": {"甲；乙"}, "summary": {"邻里纠纷"}, "opened_on": {"2026-05-01"}}
	doc := url.Values{"village_code": {"{village}"}, "advisor_id": {"{advisor}"}, "kind": {"improvement"}, "year": {"2026"}, "body": {"建议加强普法"}}
	matterJSON := `{"village_code":"{village}","advisor_id":{advisor},"title":"矩阵接口案","category":"legal_aid","opened_on":"2026-06-01"}`
	docJSON := `{"village_code":"{village}","advisor_id":{advisor},"kind":"plan","year":2026,"body":"全年计划"}`
	owner := "admin advisor"
	readers := all
	providerReaders := "admin bureau city judicial provider advisor"
	return map[string]probe{
		"GET /ledger/matters":              {path: "/ledger/matters", allow: all + " other"},
		"GET /ledger/matters/new":          {path: "/ledger/matters/new?village={village}", allow: owner},
		"POST /ledger/matters":             {path: "/ledger/matters", body: matter, allow: owner},
		"GET /ledger/matters/{id}":         {path: "/ledger/matters/" + volMatter, allow: readers, setup: withVolumeRecords},
		"GET /ledger/matters/{id}/edit":    {path: "/ledger/matters/" + volMatter + "/edit", allow: owner, setup: withVolumeRecords},
		"POST /ledger/matters/{id}":        {path: "/ledger/matters/" + volMatter, body: edit, allow: owner, setup: withVolumeRecords},
		"POST /ledger/matters/{id}/status": {path: "/ledger/matters/" + volMatter + "/status", body: url.Values{"status": {"closed"}, "outcome": {"调解成功"}, "closed_on": {"2026-06-02"}}, allow: owner, setup: withVolumeRecords},
		"GET /ledger/documents/new":        {path: "/ledger/documents/new?village={village}&kind=plan&year=2026&advisor={advisor}", allow: owner, setup: withVolumeRecords},
		"POST /ledger/documents":           {path: "/ledger/documents", body: doc, allow: owner},
		"GET /ledger/documents/{id}":       {path: "/ledger/documents/" + volDocument, allow: readers, setup: withVolumeRecords},
		"GET /ledger/volume":               {path: "/ledger/volume?village={village}&from=2026-01-01&to=2026-12-31", allow: readers, setup: withVolumeRecords},
		"GET /ledger/volume.xlsx":          {path: "/ledger/volume.xlsx?village={village}", allow: readers, setup: withVolumeRecords},
		"GET /ledger/provider-volume":      {path: "/ledger/provider-volume?provider={provider}", allow: providerReaders, setup: withVolumeRecords},
		"GET /ledger/provider-volume.xlsx": {path: "/ledger/provider-volume.xlsx?provider={provider}", allow: providerReaders, setup: withVolumeRecords},
		"GET /api/v1/matters":              {path: "/api/v1/matters", allow: all + " other"},
		"POST /api/v1/matters":             {path: "/api/v1/matters", body: matterJSON, ctype: "application/json", allow: owner},
		"GET /api/v1/matters/{id}":         {path: "/api/v1/matters/" + volMatter, allow: readers, setup: withVolumeRecords},
		"PUT /api/v1/matters/{id}":         {path: "/api/v1/matters/" + volMatter, body: map[string]string{"title": "矩阵调解案", "category": "mediation", "opened_on": "2026-05-01", "status": "closed", "outcome": "和解"}, allow: owner, setup: withVolumeRecords},
		"POST /api/v1/documents":           {path: "/api/v1/documents", body: docJSON, ctype: "application/json", allow: owner},
		"GET /api/v1/documents/{id}":       {path: "/api/v1/documents/" + volDocument, allow: readers, setup: withVolumeRecords},
		"GET /api/v1/volumes/{village}":    {path: "/api/v1/volumes/{village}?from=2026-01-01&to=2026-12-31", allow: readers, setup: withVolumeRecords},
	}
}
