package apptest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/outreach"
	"github.com/villagecounsel/counsel/store"
)

// obWeCom is a WeCom robot's address in the matrix (never called: no worker
// runs in these tests).
const obWeCom = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix-key-0001"

// withOutbox gives 正宁县 a WeCom channel (id 1 on a fresh copy of the demo)
// and a dead-lettered message for it (id 1), once per application.
func withOutbox(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	if c, err := notify.ChannelByID(ctx, app.DB, 1); err == nil && c.RegionCode == x.County {
		return
	}
	c, err := app.Svc.Notify.SaveChannel(ctx, counsel.System, &notify.ChannelInput{RegionCode: x.County, Kind: notify.ChannelWeCom, Name: "矩阵群", URL: obWeCom, Enabled: true})
	if err != nil || c.ID != 1 {
		t.Fatalf("matrix channel: %+v %v", c, err)
	}
	err = app.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := app.Svc.Notify.EnqueueEvent(ctx, tx, x.Village, notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: "矩阵消息", Key: "matrix"}); err != nil {
			return err
		}
		return notify.OutboxFailed(ctx, tx, 1, 6, 0, true, "HTTP 500", 1)
	})
	if err != nil {
		t.Fatalf("matrix message: %v", err)
	}
}

// withRevisit sends 正宁县 a revisit round (id 1) whose first questionnaire
// (id 1) is the fixture village's, and enters an election day (id 1) for its
// town, once per application.
func withRevisit(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	if v, err := app.Feats.Outreach.Svc.Revisit(ctx, counsel.System, 1); err == nil && v.VillageCode == x.Village {
		return
	}
	r, err := app.Feats.Outreach.Svc.SendRevisitRound(ctx, counsel.System, outreach.RevisitRoundInput{CountyCode: x.County, Year: 2099, Title: "矩阵回访", DueOn: "2099-12-31"})
	if err != nil || r.ID != 1 {
		t.Fatalf("matrix round: %+v %v", r, err)
	}
	if v, err := app.Feats.Outreach.Svc.Revisit(ctx, counsel.System, 1); err != nil || v.VillageCode != x.Village {
		t.Fatalf("matrix revisit 1: %+v %v", v, err)
	}
	d, err := app.Feats.Outreach.Svc.AddCampaignDay(ctx, counsel.System, outreach.CampaignInput{RegionCode: x.Town, Day: "2099-01-01", Kind: outreach.CampaignElection})
	if err != nil || d.ID != 1 {
		t.Fatalf("matrix campaign day: %+v %v", d, err)
	}
}

// outboxRows are the rows of the outbox area's pages and API operations.
func outboxRows() map[string]probe {
	channel := url.Values{"region": {"{county}"}, "kind": {"wecom"}, "name": {"矩阵新群"}, "url": {obWeCom}, "enabled": {"1"}}
	read := "admin bureau city other" // city: read only; other: its own county
	answer := url.Values{"respondent": {"村委会"}, "comment": {"满意"}}
	scores := map[string]any{}
	for _, q := range outreach.RevisitQuestions {
		answer.Set("q_"+q, "5")
		scores[q] = 4
	}
	round := url.Values{"county_code": {"{county}"}, "year": {"2099"}, "title": {"矩阵回访"}, "due_on": {"2099-12-31"}}
	day := url.Values{"region_code": {"{town}"}, "day": {"2099-02-01"}, "kind": {"election"}}
	return map[string]probe{
		"GET /revisits":                           {path: "/revisits", allow: "admin bureau city village other", setup: withRevisit},
		"POST /revisits/rounds":                   {path: "/revisits/rounds", body: round, allow: countyW},
		"GET /revisits/rounds/{id}":               {path: "/revisits/rounds/1", allow: "admin bureau city", setup: withRevisit},
		"GET /revisits/summary":                   {path: "/revisits/summary?year=2099", allow: "admin bureau city other", setup: withRevisit},
		"GET /revisits/{id}":                      {path: "/revisits/1", allow: "admin bureau city village", setup: withRevisit},
		"POST /revisits/{id}":                     {path: "/revisits/1", body: answer, allow: "village", setup: withRevisit},
		"GET /campaigns":                          {path: "/campaigns?days=365", allow: all + " other", setup: withRevisit},
		"POST /campaigns":                         {path: "/campaigns", body: day, allow: countyW},
		"POST /campaigns/{id}/delete":             {path: "/campaigns/1/delete", body: url.Values{}, allow: countyW, setup: withRevisit},
		"GET /api/v1/revisits":                    {path: "/api/v1/revisits", allow: "admin bureau city village other", setup: withRevisit},
		"POST /api/v1/revisits/rounds":            {path: "/api/v1/revisits/rounds", body: map[string]any{"county_code": "{county}", "year": 2099, "title": "矩阵回访", "due_on": "2099-12-31"}, allow: countyW},
		"GET /api/v1/revisits/summary":            {path: "/api/v1/revisits/summary?year=2099", allow: "admin bureau city other", setup: withRevisit},
		"GET /api/v1/revisits/{id}":               {path: "/api/v1/revisits/1", allow: "admin bureau city village", setup: withRevisit},
		"POST /api/v1/revisits/{id}/answer":       {path: "/api/v1/revisits/1/answer", body: map[string]any{"scores": scores, "comment": "好"}, allow: "village", setup: withRevisit},
		"GET /api/v1/campaigns":                   {path: "/api/v1/campaigns", allow: all + " other", setup: withRevisit},
		"POST /api/v1/campaigns":                  {path: "/api/v1/campaigns", body: map[string]any{"region_code": "{town}", "day": "2099-02-01", "kind": "election"}, allow: countyW},
		"DELETE /api/v1/campaigns/{id}":           {path: "/api/v1/campaigns/1", allow: countyW, setup: withRevisit},
		"GET /outbox":                             {path: "/outbox", allow: read, setup: withOutbox},
		"POST /outbox/messages/{id}/retry":        {path: "/outbox/messages/1/retry", body: url.Values{}, allow: countyW, setup: withOutbox},
		"GET /outbox/channels":                    {path: "/outbox/channels?region={county}", allow: "admin bureau city", setup: withOutbox},
		"POST /outbox/channels":                   {path: "/outbox/channels", body: channel, allow: countyW},
		"POST /outbox/channels/{id}":              {path: "/outbox/channels/1", body: url.Values{"name": {"改名"}, "enabled": {"1"}}, allow: countyW, setup: withOutbox},
		"POST /outbox/channels/{id}/delete":       {path: "/outbox/channels/1/delete", body: url.Values{}, allow: countyW, setup: withOutbox},
		"POST /outbox/channels/{id}/test":         {path: "/outbox/channels/1/test", body: url.Values{}, allow: countyW, setup: withOutbox},
		"GET /api/v1/outbox":                      {path: "/api/v1/outbox", allow: read, setup: withOutbox},
		"POST /api/v1/outbox/messages/{id}/retry": {path: "/api/v1/outbox/messages/1/retry", body: map[string]any{}, allow: countyW, setup: withOutbox},
		"GET /api/v1/outbox/channels":             {path: "/api/v1/outbox/channels?region={county}", allow: "admin bureau city", setup: withOutbox},
		"POST /api/v1/outbox/channels":            {path: "/api/v1/outbox/channels", body: map[string]any{"region_code": "{county}", "kind": "dingtalk", "name": "矩阵钉钉", "url": "https://oapi.dingtalk.com/robot/send?access_token=m", "secret": "SECmatrix", "enabled": true}, allow: countyW},
		"PUT /api/v1/outbox/channels/{id}":        {path: "/api/v1/outbox/channels/1", body: map[string]any{"name": "改名", "enabled": false}, allow: countyW, setup: withOutbox},
		"DELETE /api/v1/outbox/channels/{id}":     {path: "/api/v1/outbox/channels/1", allow: countyW, setup: withOutbox},
		"POST /api/v1/outbox/channels/{id}/test":  {path: "/api/v1/outbox/channels/1/test", body: map[string]any{}, allow: countyW, setup: withOutbox},
	}
}

// TestOutboxPages walks the outbox pages as the county bureau: a bad webhook
// address is refused in place without echoing it, a good one is shown masked,
// a test message is queued, a dead letter is retried, and the city bureau
// only reads.
func TestOutboxPages(t *testing.T) {
	app := apptest.New(t)
	x := fixtureIDs(t, app.DB)
	withOutbox(t, app, x)
	c := app.Login("zn-bureau")

	st, body := c.Body("GET", "/outbox/channels", nil)
	if st != 200 || !strings.Contains(body, "矩阵群") || !strings.Contains(body, "qyapi.weixin.qq.com …0001") || strings.Contains(body, "matrix-key") {
		t.Fatalf("channels page: %d %.400s", st, body)
	}
	bad := url.Values{"form": {"new"}, "region": {x.County}, "kind": {"wecom"}, "name": {"新群"}, "url": {"ftp://secret-host/key=abcd1234"}, "enabled": {"1"}}
	st, body = c.Body("POST", "/outbox/channels", bad)
	if st != 422 || !strings.Contains(body, "须为 https:// 开头") || strings.Contains(body, "abcd1234") || !strings.Contains(body, `value="新群"`) {
		t.Errorf("bad URL: %d %.600s", st, body)
	}
	bad.Set("url", "https://127.0.0.1:6379/send?key=abcd1234")
	st, body = c.Body("POST", "/outbox/channels", bad)
	if st != 422 || !strings.Contains(body, "只能填写企业微信或钉钉机器人的地址") || strings.Contains(body, "abcd1234") {
		t.Errorf("loopback URL: %d %.600s", st, body)
	}
	good := url.Values{"form": {"new"}, "region": {x.County}, "kind": {"dingtalk"}, "name": {"县局钉钉"}, "url": {"https://oapi.dingtalk.com/robot/send?access_token=tok-9876"},
		"secret": {"SEC0123456789abcdef"}, "events": {"major_escalation"}, "enabled": {"1"}}
	resp := c.Do("POST", "/outbox/channels", good, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("add channel: %d", resp.StatusCode)
	}
	st, body = c.Body("GET", "/outbox/channels", nil)
	if !strings.Contains(body, "县局钉钉") || !strings.Contains(body, "oapi.dingtalk.com …9876") || strings.Contains(body, "tok-9876") ||
		strings.Contains(body, "SEC0123456789abcdef") || !strings.Contains(body, "••••cdef") || !strings.Contains(body, "重大事项升级") {
		t.Errorf("channels after add: %d %.400s", st, body)
	}
	resp = c.Do("POST", "/outbox/channels/1/test", url.Values{}, "")
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !strings.HasPrefix(loc, "/outbox?channel=1") {
		t.Errorf("test message: %d %s", resp.StatusCode, loc)
	}
	st, body = c.Body("GET", "/outbox?status=dead", nil)
	if st != 200 || !strings.Contains(body, "矩阵消息") || !strings.Contains(body, "/outbox/messages/1/retry") || !strings.Contains(body, "HTTP 500") {
		t.Errorf("dead letters: %d %.400s", st, body)
	}
	resp = c.Do("POST", "/outbox/messages/1/retry", url.Values{"back": {"/outbox?status=dead"}}, "")
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/outbox?status=dead&ok=ob_retried" {
		t.Errorf("retry: %d %s", resp.StatusCode, loc)
	}
	if m, _ := notify.MessageByID(context.Background(), app.DB, 1); m.Status != notify.OutboxPending {
		t.Errorf("after retry: %s", m.Status)
	}

	city := app.Login("zn-city")
	st, body = city.Body("GET", "/outbox", nil)
	if st != 200 || !strings.Contains(body, "矩阵消息") || strings.Contains(body, "/retry") {
		t.Errorf("city's outbox: %d %.400s", st, body)
	}
	st, body = city.Body("GET", "/outbox/channels?region="+x.County, nil)
	if st != 200 || strings.Contains(body, `action="/outbox/channels"`) {
		t.Errorf("city's view of the county's channels: %d", st)
	}
	st, body = city.Body("GET", "/outbox/channels", nil)
	if st != 200 || !strings.Contains(body, "本级尚未配置渠道") {
		t.Errorf("city's own channels: %d %.300s", st, body)
	}
}

// TestOutreachPages walks revisits and the publicity calendar: the bureau
// sends a round, the village committee answers (an incomplete answer is
// refused in place), the bureau reads the summary; the calendar shows the
// national days and an entered election.
func TestOutreachPages(t *testing.T) {
	app := apptest.New(t)
	x := fixtureIDs(t, app.DB)
	bureau, village := app.Login("zn-bureau"), app.Login("zn-village")

	st, body := bureau.Body("GET", "/revisits", nil)
	if st != 200 || !strings.Contains(body, `action="/revisits/rounds"`) || !strings.Contains(body, "年度村（居）法律顾问工作回访") {
		t.Fatalf("revisits page: %d %.300s", st, body)
	}
	st, body = bureau.Body("POST", "/revisits/rounds", url.Values{"title": {"矩阵回访"}, "year": {"2099"}, "due_on": {"2000-01-01"}})
	if st != 422 || !strings.Contains(body, "截止日期不能早于今天") || !strings.Contains(body, `value="矩阵回访"`) {
		t.Errorf("round due in the past: %d %.300s", st, body)
	}
	resp := bureau.Do("POST", "/revisits/rounds", url.Values{"title": {"矩阵回访"}, "year": {"2099"}, "due_on": {"2099-12-31"}}, "")
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !strings.HasPrefix(loc, "/revisits/rounds/1") {
		t.Fatalf("send round: %d %s", resp.StatusCode, loc)
	}
	st, body = bureau.Body("GET", "/revisits/rounds/1", nil)
	if st != 200 || !strings.Contains(body, "待答复") {
		t.Errorf("round page: %d", st)
	}

	st, body = village.Body("GET", "/revisits", nil)
	if st != 200 || !strings.Contains(body, "矩阵回访") || !strings.Contains(body, `href="/revisits/1"`) {
		t.Fatalf("village's revisits: %d %.300s", st, body)
	}
	st, body = village.Body("GET", "/revisits/1", nil)
	if st != 200 || !strings.Contains(body, `name="q_onsite"`) || !strings.Contains(body, "很满意") {
		t.Fatalf("questionnaire: %d %.300s", st, body)
	}
	ans := url.Values{"comment": {"希望多来几次"}}
	for _, q := range outreach.RevisitQuestions[:5] {
		ans.Set("q_"+q, "4")
	}
	st, body = village.Body("POST", "/revisits/1", ans)
	if st != 422 || !strings.Contains(body, "请选择 1–5 分") || !strings.Contains(body, "希望多来几次") {
		t.Errorf("incomplete answer: %d %.300s", st, body)
	}
	ans.Set("q_overall", "5")
	resp = village.Do("POST", "/revisits/1", ans, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("answer: %d", resp.StatusCode)
	}
	st, body = bureau.Body("GET", "/revisits/summary?year=2099", nil)
	if st != 200 || !strings.Contains(body, "4.2") || !strings.Contains(body, "希望多来几次") {
		t.Errorf("summary: %d %.500s", st, body)
	}

	resp = bureau.Do("POST", "/campaigns", url.Values{"region_code": {x.Town}, "day": {app.Svc.Now().AddDate(0, 0, 3).Format("2006-01-02")}, "kind": {"election"}}, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("add election: %d", resp.StatusCode)
	}
	st, body = app.Login("zn-advisor").Body("GET", "/campaigns?days=365", nil)
	for _, want := range []string{"国家宪法日", "国际禁毒日", "村（社区）两委换届选举", "村民委员会组织法"} {
		if !strings.Contains(body, want) {
			t.Errorf("calendar lacks %s: %d", want, st)
		}
	}
	if strings.Contains(body, "/campaigns/1/delete") {
		t.Errorf("an advisor is offered to delete a day")
	}
}
