package apptest_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The fixture rounds of the assessment rows, with fixed ids: 900001 is the
// fixture county's 2026 round while scoring; 900002 its 2025 round,
// published, with the fixture advisor's result (one hand-scored item) and,
// for the answer row, an unanswered objection.
const (
	asScoring   = "900001"
	asPublished = "900002"
	asObjection = "900001"
)

// withScoringRound opens the 2026 round (idempotent).
func withScoringRound(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	if err := app.DB.ExecRaw(context.Background(), `INSERT INTO assess_rounds (id, county_code, year, title, status, as_of, excellent, pass, basic, objection_days, created_by, created_at, updated_at)
		VALUES (?, ?, 2026, '矩阵考核', 'scoring', '2026-12-01', 900, 750, 600, 5, 1, 1, 1) ON CONFLICT DO NOTHING`, asScoring, x.County); err != nil {
		t.Fatal(err)
	}
}

// withDataSheet gives the county a sheet of data items only, so that the
// round can be published without hand scores.
func withDataSheet(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	withScoringRound(t, app, x)
	body := `{"name":"矩阵数据考评表","items":[{"id":"plan","name":"年度服务计划","points":50,"method":"document","doc_kind":"plan","deduct":50},` +
		`{"id":"monthly","name":"到村服务","points":50,"method":"monthly","per_miss":5}]}`
	if err := app.DB.ExecRaw(context.Background(), `INSERT INTO assess_sheets (region_code, body, updated_by, updated_at) VALUES (?, ?, 1, 1) ON CONFLICT DO NOTHING`, x.County, body); err != nil {
		t.Fatal(err)
	}
}

// withPublishedRound publishes the 2025 round with the advisor's result.
func withPublishedRound(objection bool) func(t *testing.T, app *apptest.App, x ids) {
	return func(t *testing.T, app *apptest.App, x ids) {
		t.Helper()
		ctx := context.Background()
		if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_rounds (id, county_code, year, title, status, as_of, excellent, pass, basic, objection_days,
			published_on, objection_until, created_by, created_at, updated_at)
			VALUES (?, ?, 2025, '矩阵已公布考核', 'published', '2026-01-01', 900, 750, 600, 5, '2026-01-05', '2099-12-31', 1, 1, 1) ON CONFLICT DO NOTHING`, asPublished, x.County); err != nil {
			t.Fatal(err)
		}
		body := `{"sheet_name":"矩阵考评表","result":{"items":[{"item":{"id":"village","name":"村(社区)评价","standard":"村两委评分","points":15,"method":"scorer","scorer":"village"},` +
			`"score":12,"lost":3,"pending":false,"capped":false,"evidence":[{"key":"as.ev.hand","args":["东城社区","12","良好"],"lost":0}]}],"total":12,"max":15,"pending":0},"villages":[]}`
		if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_results (round_id, advisor_id, provider_id, total, max_points, grade, body, reason, updated_by, updated_at)
			VALUES (?, ?, ?, 120, 150, 'pass', ?, '', 1, 1) ON CONFLICT DO NOTHING`, asPublished, x.Advisor, x.Provider, body); err != nil {
			t.Fatal(err)
		}
		if objection {
			if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_objections (id, round_id, advisor_id, item_id, body, filed_by, filed_at)
				VALUES (?, ?, ?, 'village', '矩阵异议', 1, 1) ON CONFLICT DO NOTHING`, asObjection, asPublished, x.Advisor); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// The fixture inspection of the inspection rows: a random check of the
// fixture town with the fixture village visited and an open rectification
// order to its advisor's firm.
const asInspection = "900001"

func withInspection(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT INTO inspections (id, region_code, kind, title, seed, sample_size, planned_on, created_by, created_at)
			VALUES (?, ?, 'random', '矩阵抽查', '矩阵种子', 1, '2026-12-01', 1, 1) ON CONFLICT DO NOTHING`, []any{asInspection, x.Town}},
		{`INSERT INTO inspection_visits (id, inspection_id, village_code, advisor_id, status, checklist, note, inspected_by, inspected_at)
			VALUES (?, ?, ?, ?, 'done', '{"board":"ok","on_duty":"problem","ledger_match":"ok","wechat_active":"ok","residents_know":"ok"}', '未在岗', 1, 1) ON CONFLICT DO NOTHING`,
			[]any{asInspection, asInspection, x.Village, x.Advisor}},
		{`INSERT INTO rectifications (id, visit_id, village_code, advisor_id, provider_id, issue, due_on, status, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, '按公示时间驻点', '2099-01-01', 'open', 1, 1) ON CONFLICT DO NOTHING`, []any{asInspection, asInspection, x.Village, x.Advisor, x.Provider}},
	} {
		if err := app.DB.ExecRaw(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
}

// inspectRows are the rows of the inspection pages.
func inspectRows() map[string]probe {
	plan := url.Values{"region_code": {"{town}"}, "kind": {"random"}, "title": {"矩阵随机抽查"}, "seed": {"矩阵种子2"}, "sample_size": {"2"}, "planned_on": {"2026-12-10"}}
	findings := url.Values{"check.board": {"ok"}, "check.on_duty": {"ok"}, "check.ledger_match": {"ok"}, "check.wechat_active": {"na"}, "check.residents_know": {"ok"}, "note": {""}}
	readers := "admin bureau city judicial"
	return map[string]probe{
		"GET /inspections":                      {path: "/inspections", allow: "admin bureau city judicial provider advisor other", setup: withInspection},
		"POST /inspections":                     {path: "/inspections", body: plan, allow: townW},
		"GET /inspections/{id}":                 {path: "/inspections/" + asInspection, allow: readers, setup: withInspection},
		"GET /inspections/visits/{id}":          {path: "/inspections/visits/" + asInspection, allow: readers, setup: withInspection},
		"POST /inspections/visits/{id}":         {path: "/inspections/visits/" + asInspection, body: findings, allow: townW, setup: withInspection},
		"POST /inspections/visits/{id}/rectify": {path: "/inspections/visits/" + asInspection + "/rectify", body: url.Values{"issue": {"补充台账"}, "due_on": {"2099-02-01"}}, allow: townW, setup: withInspection},
		"POST /rectifications/{id}/close":       {path: "/rectifications/" + asInspection + "/close", body: url.Values{"closed_note": {"已整改"}}, allow: townW + " provider", setup: withInspection},
	}
}

// withCommendation publishes the 2025 round and puts the fixture advisor
// on commendation 900001, on notice until a day that has passed.
func withCommendation(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	withPublishedRound(false)(t, app, x)
	ctx := context.Background()
	if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_commendations (id, round_id, title, status, notice_days, published_on, notice_until, created_by, created_at)
		VALUES (900001, ?, '矩阵表彰', 'publicized', 5, '2026-01-05', '2026-01-12', 1, 1) ON CONFLICT DO NOTHING`, asPublished); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_commendees (commendation_id, advisor_id, reason) VALUES (900001, ?, '考核合格') ON CONFLICT DO NOTHING`, x.Advisor); err != nil {
		t.Fatal(err)
	}
}

// withFailedResult publishes the 2024 round (900003) with the fixture
// advisor graded 不合格, for the rectification demand letter.
func withFailedResult(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_rounds (id, county_code, year, title, status, as_of, excellent, pass, basic, objection_days,
		published_on, objection_until, created_by, created_at, updated_at)
		VALUES (900003, ?, 2024, '矩阵不合格考核', 'final', '2025-01-01', 900, 750, 600, 5, '2025-01-05', '2025-01-12', 1, 1, 1) ON CONFLICT DO NOTHING`, x.County); err != nil {
		t.Fatal(err)
	}
	body := `{"sheet_name":"矩阵考评表","result":{"items":[{"item":{"id":"plan","name":"年度服务计划","standard":"未制定扣3分","points":3,"method":"document","doc_kind":"plan","deduct":3},` +
		`"score":0,"lost":3,"pending":false,"capped":false,"evidence":[{"key":"as.ev.no_doc_plan","args":["东城社区"],"lost":3}]}],"total":0,"max":3,"pending":0},"villages":[]}`
	if err := app.DB.ExecRaw(ctx, `INSERT INTO assess_results (round_id, advisor_id, provider_id, total, max_points, grade, body, reason, updated_by, updated_at)
		VALUES (900003, ?, ?, 0, 30, 'fail', ?, '', 1, 1) ON CONFLICT DO NOTHING`, x.Advisor, x.Provider, body); err != nil {
		t.Fatal(err)
	}
}

// commendRows are the rows of the commendation pages.
func commendRows() map[string]probe {
	// A raw form body: the advisor's id is in a field name, which a
	// url.Values body would not expand.
	commend := "title=" + url.QueryEscape("矩阵表彰名单") + "&notice_days=5&advisor={advisor}&reason.{advisor}=" + url.QueryEscape("考核合格")
	form := "application/x-www-form-urlencoded"
	return map[string]probe{
		"POST /assess/rounds/{id}/commend":                  {path: "/assess/rounds/" + asPublished + "/commend", body: commend, ctype: form, allow: countyW, setup: withPublishedRound(false)},
		"GET /assess/commendations/{id}":                    {path: "/assess/commendations/900001", allow: "admin bureau city", setup: withCommendation},
		"POST /assess/commendations/{id}/objections":        {path: "/assess/commendations/900001/objections", body: url.Values{"body": {"有异议"}, "handling": {"已核实"}}, allow: countyW, setup: withCommendation},
		"POST /assess/commendations/{id}/issue":             {path: "/assess/commendations/900001/issue", body: url.Values{}, allow: countyW, setup: withCommendation},
		"GET /assess/rounds/{id}/advisors/{advisor}/letter": {path: "/assess/rounds/900003/advisors/{advisor}/letter", allow: "admin bureau city provider advisor", setup: withFailedResult},
		"GET /gongshi/{id}":                                 {path: "/gongshi/900001", allow: "public", setup: withCommendation},
	}
}

// assessRows are the rows of the assessment pages and API operations.
func assessRows() map[string]probe {
	open := url.Values{"county_code": {"{county}"}, "title": {"2024年度考核"}, "year": {"2024"}, "excellent": {"90"}, "pass": {"75"}, "basic": {"60"}, "objection_days": {"5"}}
	score := url.Values{"advisor_id": {"{advisor}"}, "item_id": {"village"}, "points": {"13.5"}, "comment": {"服务认真"}}
	amend := url.Values{"advisor_id": {"{advisor}"}, "item_id": {"village"}, "points": {"14"}, "reason": {"异议成立，复核后更正"}}
	published := withPublishedRound(true)
	readers := "admin bureau city"
	sheetReaders := readers + " provider advisor"
	rows := map[string]probe{
		"GET /assess":                                {path: "/assess", allow: all + " other", setup: withScoringRound},
		"POST /assess/rounds":                        {path: "/assess/rounds", body: open, allow: countyW},
		"GET /assess/rounds/{id}":                    {path: "/assess/rounds/" + asScoring, allow: readers, setup: withScoringRound},
		"GET /assess/rounds/{id}/results.xlsx":       {path: "/assess/rounds/" + asPublished + "/results.xlsx", allow: readers, setup: withPublishedRound(true)},
		"POST /assess/rounds/{id}/publish":           {path: "/assess/rounds/" + asScoring + "/publish", body: url.Values{"excellent": {"90"}, "pass": {"75"}, "basic": {"60"}}, allow: countyW, setup: withDataSheet},
		"POST /assess/rounds/{id}/finalize":          {path: "/assess/rounds/" + asPublished + "/finalize", body: url.Values{}, allow: countyW, setup: withPublishedRound(false)},
		"POST /assess/rounds/{id}/amend":             {path: "/assess/rounds/" + asPublished + "/amend", body: amend, allow: countyW, setup: published},
		"GET /assess/rounds/{id}/score":              {path: "/assess/rounds/" + asScoring + "/score", allow: "bureau judicial village", setup: withScoringRound},
		"POST /assess/rounds/{id}/score":             {path: "/assess/rounds/" + asScoring + "/score", body: score, allow: "village", setup: withScoringRound},
		"GET /assess/rounds/{id}/me":                 {path: "/assess/rounds/" + asPublished + "/me", allow: "advisor", setup: published},
		"GET /assess/rounds/{id}/advisors/{advisor}": {path: "/assess/rounds/" + asPublished + "/advisors/{advisor}", allow: sheetReaders, setup: published},
		"POST /assess/rounds/{id}/objections":        {path: "/assess/rounds/" + asPublished + "/objections", body: url.Values{"item_id": {"village"}, "body": {"村委评分未考虑调解工作"}}, allow: "advisor", setup: published},
		"POST /assess/objections/{id}/answer":        {path: "/assess/objections/" + asObjection + "/answer", body: url.Values{"answer": {"已复核，维持原评分"}}, allow: countyW, setup: published},
		"GET /assess/sheet":                          {path: "/assess/sheet", allow: all + " other"},
		"POST /assess/sheet":                         {path: "/assess/sheet", body: url.Values{"region": {"{county}"}, "preset": {"ningbo"}}, allow: countyW},

		"GET /api/v1/assess/rounds":                         {path: "/api/v1/assess/rounds", allow: all + " other", setup: withScoringRound},
		"GET /api/v1/assess/rounds/{id}/advisors/{advisor}": {path: "/api/v1/assess/rounds/" + asPublished + "/advisors/{advisor}", allow: sheetReaders, setup: published},
		"POST /api/v1/assess/rounds/{id}/scores":            {path: "/api/v1/assess/rounds/" + asScoring + "/scores", body: `{"advisor_id":{advisor},"item_id":"village","points":"12"}`, ctype: "application/json", allow: "village", setup: withScoringRound},
	}
	survey := url.Values{"village_code": {"{village}"}, "q.attitude": {"5"}, "q.reach": {"4"}, "q.help": {"4"}, "q.overall": {"5"}, "comment": {"很及时"}}
	rows["GET /survey"] = probe{path: "/survey?v={village}", allow: "public"}
	rows["POST /survey"] = probe{path: "/survey", body: survey, allow: "public"}
	rows["GET /assess/surveys"] = probe{path: "/assess/surveys", allow: "admin bureau city judicial other"}
	for k, v := range commendRows() {
		rows[k] = v
	}
	for k, v := range inspectRows() {
		rows[k] = v
	}
	return rows
}
