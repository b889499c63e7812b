package apptest_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/apptest"
)

// majorFixtureID is the id of the major-matter report the probes use: a
// report by the fixture advisor about the fixture village, stored with a
// fixed id so that paths can name it.
const majorFixtureID = 9001

// withMajor stores the fixture report in the given status (once: GET rows
// share one application).
func withMajor(status string) func(t *testing.T, app *apptest.App, x ids) {
	return func(t *testing.T, app *apptest.App, x ids) {
		t.Helper()
		ctx := context.Background()
		now := time.Now().UnixMilli()
		ack := int64(0)
		if status != "submitted" {
			ack = now
		}
		err := app.DB.ExecRaw(ctx, `INSERT INTO major_reports (id, village_code, advisor_id, provider_id, category, title, facts, occurred_on, people,
			status, level, ack_hours, ack_due_at, submitted_at, acknowledged_at, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'collective_suit_petition', '矩阵村民拟集体上访', '30余户村民拟集体上访', '2026-01-10', 30, ?, 0, 24, ?, ?, ?, 0, ?, ?)
			ON CONFLICT (id) DO NOTHING`,
			majorFixtureID, x.Village, x.Advisor, x.Provider, status, now+24*3600*1000, now, ack, now, now)
		if err != nil {
			t.Fatalf("major fixture: %v", err)
		}
	}
}

// majorRows are the rows of the major area's pages and API operations.
func majorRows() map[string]probe {
	report := url.Values{"village_code": {"{village}"}, "advisor_id": {"{advisor}"}, "category": {"major_emergency"}, "title": {"矩阵山体滑坡"},
		"facts": {"暴雨致山体滑坡，两户村民房屋受损"}, "occurred_on": {"2026-01-10"}, "people": {"8"}, "client_key": {"matrix-key"}}
	reportJSON := `{"village_code":"{village}","advisor_id":{advisor},"category":"major_emergency","title":"矩阵山体滑坡","facts":"暴雨致山体滑坡","occurred_on":"2026-01-10","people":8}`
	submitted, acknowledged := withMajor("submitted"), withMajor("acknowledged")
	handle := "admin bureau judicial"
	one := "/major/" + strconv.Itoa(majorFixtureID)
	api := "/api/v1/major-reports/" + strconv.Itoa(majorFixtureID)
	return map[string]probe{
		"GET /major":                   {path: "/major?status=open&overdue=1", allow: all + " other"},
		"POST /major/settings":         {path: "/major/settings", body: url.Values{"region": {"{county}"}, "ack_hours": {"48"}}, allow: countyW + " other"}, // a county bureau sets its own county
		"GET /major/new":               {path: "/major/new", allow: "admin advisor"},
		"POST /major":                  {path: "/major", body: report, allow: "admin advisor"},
		"GET /major/{id}":              {path: one, allow: all, setup: submitted},
		"POST /major/{id}/acknowledge": {path: one + "/acknowledge", body: url.Values{"note": {"已收到"}}, allow: handle, setup: submitted},
		"POST /major/{id}/follow-up":   {path: one + "/follow-up", body: url.Values{"note": {"召开协调会"}}, allow: handle, setup: acknowledged},
		"POST /major/{id}/close":       {path: one + "/close", body: url.Values{"note": {"已化解"}}, allow: handle, setup: acknowledged},

		"GET /api/v1/major-reports":                   {path: "/api/v1/major-reports?status=open", allow: all + " other"},
		"POST /api/v1/major-reports":                  {path: "/api/v1/major-reports", body: reportJSON, ctype: "application/json", allow: "admin advisor"},
		"GET /api/v1/major-reports/{id}":              {path: api, allow: all, setup: submitted},
		"POST /api/v1/major-reports/{id}/acknowledge": {path: api + "/acknowledge", body: map[string]string{"note": "已收到"}, allow: handle, setup: submitted},
		"POST /api/v1/major-reports/{id}/follow-up":   {path: api + "/follow-up", body: map[string]string{"note": "召开协调会"}, allow: handle, setup: acknowledged},
		"POST /api/v1/major-reports/{id}/close":       {path: api + "/close", body: map[string]string{"note": "已化解"}, allow: handle, setup: acknowledged},
		"GET /api/v1/major-settings":                  {path: "/api/v1/major-settings", allow: all + " other"},
		"PUT /api/v1/major-settings":                  {path: "/api/v1/major-settings", body: map[string]any{"region": "{county}", "ack_hours": 48}, allow: countyW},
	}
}
