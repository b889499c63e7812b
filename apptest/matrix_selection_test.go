package apptest_test

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/store"
)

// Annual selection (issue 16, R41–R46) rows. The fixture makes campaign 1 of
// 庆阳市 (the city of the fixture county) with the rounds moved around today:
// the district round over, its list on notice long ago and over; the city
// round over; the province round's vote open today. The fixture advisor is
// candidate 1 of the province round and has one ballot (id 1); the phone
// 13800004444 holds the code 246810; zn-city sits on the province round's
// panel (seat 1); the city round's list is on notice with objection 1.
const (
	selCity  = "621000000000"
	selPhone = "13800004444"
	selCode  = "246810"
)

func withSelection(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	svc := app.Feats.Selection.Svc
	if c, err := selection.CampaignByID(ctx, app.DB, 1); err == nil && c.RegionCode == selCity {
		return
	}
	admin := &counsel.Actor{Username: "matrix-setup", Role: counsel.RoleAdmin}
	c, err := svc.CreateCampaign(ctx, admin, selection.CampaignInput{RegionCode: selCity, Year: 2026, Title: "矩阵测试评选"})
	if err != nil || c.ID != 1 {
		t.Fatalf("fixture campaign: %v (id %v)", err, c)
	}
	today := svc.Now().In(calendar.Shanghai)
	d := func(n int) string { return today.AddDate(0, 0, n).Format(counsel.DateLayout) }
	set := c.Settings
	set.Stages[0].Opens, set.Stages[0].Closes = d(-60), d(-40)
	set.Stages[1].Opens, set.Stages[1].Closes = d(-30), d(-20)
	set.Stages[2].Opens, set.Stages[2].Closes = d(-5), d(5)
	if _, err := svc.SaveSettings(ctx, admin, c.ID, set); err != nil {
		t.Fatalf("fixture settings: %v", err)
	}
	adv := int64(0)
	for _, ch := range x.Advisor {
		adv = adv*10 + int64(ch-'0')
	}
	k, err := svc.AddCandidate(ctx, admin, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: adv, Category: "lawyer"})
	if err != nil || k.ID != 1 {
		t.Fatalf("fixture candidate: %v", err)
	}
	if _, err := svc.AddCandidate(ctx, admin, c.ID, selection.CandidateInput{Stage: selection.StageDistrict, AdvisorID: adv}); err != nil {
		t.Fatalf("fixture district candidate: %v", err)
	}
	if err := svc.AddPanelMember(ctx, admin, c.ID, selection.StageProvince, "zn-city", "法治观察员"); err != nil {
		t.Fatalf("fixture panel: %v", err)
	}
	now := svc.Now().UnixMilli()
	err = app.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_lists (campaign_id, stage, snapshot, notice_start, notice_end, next_opens, published_by, published_at)
			VALUES (1, 'district', '[]', ?, ?, ?, 'matrix-setup', ?)`, d(-39), d(-32), d(-31), now); err != nil {
			return err
		}
		// The city round's list is on notice now (for objections).
		if _, err := tx.Exec(ctx, `INSERT INTO sel_lists (campaign_id, stage, snapshot, notice_start, notice_end, next_opens, published_by, published_at)
			VALUES (1, 'city', '[]', ?, ?, ?, 'matrix-setup', ?)`, d(-1), d(10), d(11), now); err != nil {
			return err
		}
		// A voter with one ballot (by the service), and a second phone holding a known code.
		if err := selection.IssueCode(ctx, tx, "13800005555", "135790", "10.7.7.7", now, now+int64(5*time.Minute/time.Millisecond)); err != nil {
			return err
		}
		return selection.IssueCode(ctx, tx, selPhone, selCode, "10.7.7.8", now, now+int64(time.Hour/time.Millisecond))
	})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := svc.VerifyCode(ctx, "13800005555", "135790", "10.7.7.7", "matrixdevice")
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.VoterBySession(ctx, tok)
	if err != nil || v == nil {
		t.Fatalf("fixture voter: %v", err)
	}
	if b, err := svc.Cast(ctx, v, 1, 1, "10.7.7.7"); err != nil || b.ID != 1 {
		t.Fatalf("fixture ballot: %v", err)
	}
	if err := svc.Object(ctx, 1, selection.StageCity, 0, "矩阵测试异议：请核实名单。", "", "10.7.7.9"); err != nil {
		t.Fatalf("fixture objection: %v", err)
	}
}

func selectionRows() map[string]probe {
	viewers := "admin bureau city"
	runs := "admin city" // the campaign is the city's: county bureaus take part, the city runs it
	return map[string]probe{
		"GET /selection":                               {path: "/selection", allow: viewers + " other village"},
		"POST /selection":                              {path: "/selection", body: url.Values{"title": {"正宁县2026年度评选"}, "year": {"2026"}, "region_code": {"{county}"}}, allow: "admin bureau city"},
		"GET /selection/{id}":                          {path: "/selection/1", allow: viewers, setup: withSelection},
		"POST /selection/{id}/candidates":              {path: "/selection/1/candidates", body: url.Values{"stage": {"city"}, "advisor_id": {"{advisor}"}, "category": {"lawyer"}}, allow: viewers, setup: withSelection},
		"POST /selection/{id}/scores":                  {path: "/selection/1/scores", body: url.Values{"stage": {"province"}, "candidate_id": {"1"}, "score": {"88.50"}}, allow: runs, setup: withSelection},
		"POST /selection/{id}/lists":                   {path: "/selection/1/lists", body: url.Values{"stage": {"province"}}, allow: runs, setup: withSelection},
		"POST /selection/{id}/lists/confirm":           {path: "/selection/1/lists/confirm", body: url.Values{"stage": {"district"}}, allow: runs, setup: withSelection},
		"GET /selection/{id}/vote":                     {path: "/selection/1/vote?stage=province", allow: viewers, setup: withSelection},
		"POST /selection/{id}/void":                    {path: "/selection/1/void", body: url.Values{"stage": {"province"}, "ballot_id": {"1"}, "reason": {"矩阵测试作废"}}, allow: runs, setup: withSelection},
		"POST /selection/{id}/flags":                   {path: "/selection/1/flags", body: url.Values{"stage": {"province"}}, allow: runs, setup: withSelection},
		"GET /vote":                                    {path: "/vote", allow: "public", setup: withSelection},
		"GET /vote/{id}":                               {path: "/vote/1", allow: "public", setup: withSelection},
		"GET /vote/{id}/ballots":                       {path: "/vote/1/ballots?stage=province", allow: "public", setup: withSelection},
		"POST /vote/{id}/objection":                    {path: "/vote/1/objection", body: url.Values{"stage": {"city"}, "candidate_id": {"0"}, "body": {"名单有误，请核实后答复。"}}, allow: "public", setup: withSelection},
		"POST /selection/{id}/objections/{oid}/answer": {path: "/selection/1/objections/1/answer", body: url.Values{"stage": {"city"}, "answer": {"经核实名单无误。"}}, allow: runs, setup: withSelection},
		"GET /vote/{id}/results":                       {path: "/vote/1/results", allow: "public", setup: withSelection},
		"POST /vote/{id}/code":                         {path: "/vote/1/code", body: url.Values{"phone": {"13800003333"}}, allow: "public", setup: withSelection},
		"POST /vote/{id}/verify":                       {path: "/vote/1/verify", body: url.Values{"phone": {selPhone}, "code": {selCode}}, allow: "public", setup: withSelection},
		"GET /selection/{id}/eligibility":              {path: "/selection/1/eligibility?county={county}", allow: viewers, setup: withSelection},
		"POST /selection/{id}/recommend":               {path: "/selection/1/recommend", body: url.Values{}, allow: "village", setup: withSelection},
		"POST /selection/{id}/sanctions":               {path: "/selection/1/sanctions", body: url.Values{"advisor_id": {"{advisor}"}, "kind": {"discipline"}, "decided_on": {"2025-01-01"}, "authority": {"甘肃省律师协会"}, "county": {"{county}"}}, allow: viewers, setup: withSelection},
		"POST /selection/{id}/assessments":             {path: "/selection/1/assessments", body: url.Values{"advisor_id": {"{advisor}"}, "year": {"2025"}, "passed": {"1"}, "county": {"{county}"}}, allow: viewers, setup: withSelection},
		"POST /selection/{id}/panel":                   {path: "/selection/1/panel", body: url.Values{"stage": {"province"}, "username": {"zn-judicial"}, "title": {"人大代表"}}, allow: runs, setup: withSelection},
		"GET /selection/panel":                         {path: "/selection/panel", allow: all + " other", setup: withSelection},
		"POST /selection/panel/{member}/scores":        {path: "/selection/panel/1/scores", body: url.Values{"candidate_id": {"1"}, "score": {"88.5"}, "submit": {"1"}}, allow: "city", setup: withSelection},
		"POST /selection/{id}/materials":               {path: "/selection/1/materials", body: url.Values{"stage": {"province"}, "county": {"{county}"}, "kind": {"photos"}}, allow: viewers, setup: withSelection},
		// Casting needs a verified phone's session, which no account has: every
		// role is refused (401) and nothing is written. The selection's own
		// tests cast with a session.
		"POST /vote/{id}/cast": {path: "/vote/1/cast", body: url.Values{"candidate_id": {"1"}}, allow: "", setup: withSelection},
	}
}
