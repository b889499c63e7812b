package apptest_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/store"
)

// Online consultation (我要问, R33) rows. The fixtures make consultation 1
// of the fixture village (zn-advisor's) with a known ticket and phone.
const (
	csTicket = "MATRX23456"
	csPhone  = "13800001111"
	csLast4  = "1111"
)

// withConsult makes consultation 1, open, unless the app has it already.
func withConsult(t *testing.T, app *apptest.App, x ids) { csFixture(t, app, x, false) }

// withAnsweredConsult makes consultation 1, answered.
func withAnsweredConsult(t *testing.T, app *apptest.App, x ids) { csFixture(t, app, x, true) }

func csFixture(t *testing.T, app *apptest.App, x ids, answered bool) {
	t.Helper()
	ctx := context.Background()
	if c, err := consult.ConsultationByTicket(ctx, app.DB, csTicket); err == nil {
		if c.ID != 1 {
			t.Fatalf("fixture consultation has id %d, want 1", c.ID)
		}
		return
	}
	adv, _ := strconv.ParseInt(x.Advisor, 10, 64)
	now := app.Svc.Now().UnixMilli()
	c := &consult.Consultation{Ticket: csTicket, VillageCode: x.Village, AdvisorID: adv, Category: "land", Question: "矩阵测试问题",
		Name: "矩阵", Phone: csPhone, NoticeVersion: consult.ConsultNoticeVersion, Status: consult.ConsultOpen, DueAt: now + 86400000,
		CreatedAt: now, UpdatedAt: now}
	err := app.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := consult.CreateConsultation(ctx, tx, c); err != nil {
			return err
		}
		if answered {
			_, err := consult.AnswerConsultation(ctx, tx, c.ID, "矩阵测试答复", 0, now)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != 1 {
		t.Fatalf("fixture consultation has id %d, want 1", c.ID)
	}
}

func consultRows() map[string]probe {
	ask := url.Values{"village_code": {"{village}"}, "category": {"land"}, "question": {"土地承包问题"}, "name": {"张先生"},
		"phone": {"13800002222"}, "notice_accepted": {consult.ConsultNoticeVersion}}
	staff := "admin bureau city judicial advisor"
	return map[string]probe{
		"GET /consult":                    {path: "/consult?v={village}", allow: "public"},
		"POST /consult":                   {path: "/consult", body: ask, allow: "public"},
		"GET /consult/status":             {path: "/consult/status?ticket=" + csTicket, allow: "public", setup: withConsult},
		"POST /consult/status":            {path: "/consult/status", body: url.Values{"ticket": {csTicket}, "last4": {csLast4}}, allow: "public", setup: withConsult},
		"POST /consult/rate":              {path: "/consult/rate", body: url.Values{"ticket": {csTicket}, "last4": {csLast4}, "rating": {"5"}}, allow: "public", setup: withAnsweredConsult},
		"GET /consultations":              {path: "/consultations", allow: staff + " other"},
		"GET /consultations/{id}":         {path: "/consultations/1", allow: staff, setup: withConsult},
		"POST /consultations/{id}/answer": {path: "/consultations/1/answer", body: url.Values{"answer": {"矩阵答复"}}, allow: "advisor", setup: withConsult},
		"POST /consultations/{id}/phone":  {path: "/consultations/1/phone", body: url.Values{}, allow: "advisor", setup: withConsult},

		"POST /api/v1/public/consultations": {path: "/api/v1/public/consultations", body: map[string]any{"village_code": "{village}", "category": "land",
			"question": "土地承包问题", "name": "张先生", "phone": "13800002222", "notice_accepted": consult.ConsultNoticeVersion}, allow: "public"},
		"POST /api/v1/public/consultations/{ticket}/status": {path: "/api/v1/public/consultations/" + csTicket + "/status", body: map[string]any{"last4": csLast4}, allow: "public", setup: withConsult},
		"POST /api/v1/public/consultations/{ticket}/rating": {path: "/api/v1/public/consultations/" + csTicket + "/rating", body: map[string]any{"last4": csLast4, "rating": 4}, allow: "public", setup: withAnsweredConsult},
		"GET /api/v1/consultations":                         {path: "/api/v1/consultations", allow: staff + " other"},
		"GET /api/v1/consultations/{id}":                    {path: "/api/v1/consultations/1", allow: staff, setup: withConsult},
		"POST /api/v1/consultations/{id}/answer":            {path: "/api/v1/consultations/1/answer", body: map[string]any{"answer": "矩阵答复"}, allow: "advisor", setup: withConsult},
	}
}
