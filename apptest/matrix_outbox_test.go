package apptest_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/service"
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
	if c, err := app.DB.Channel(ctx, 1); err == nil && c.RegionCode == x.County {
		return
	}
	c, err := app.Svc.SaveChannel(ctx, counsel.System, &service.ChannelInput{RegionCode: x.County, Kind: store.ChannelWeCom, Name: "矩阵群", URL: obWeCom, Enabled: true})
	if err != nil || c.ID != 1 {
		t.Fatalf("matrix channel: %+v %v", c, err)
	}
	err = app.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := app.Svc.EnqueueEvent(ctx, tx, x.Village, service.OutboxEvent{Kind: service.EventMajorEscalation, Title: "矩阵消息", Key: "matrix"}); err != nil {
			return err
		}
		return tx.OutboxFailed(ctx, 1, 6, 0, true, "HTTP 500", 1)
	})
	if err != nil {
		t.Fatalf("matrix message: %v", err)
	}
}

// outboxRows are the rows of the outbox area's pages and API operations.
func outboxRows() map[string]probe {
	channel := url.Values{"region": {"{county}"}, "kind": {"wecom"}, "name": {"矩阵新群"}, "url": {obWeCom}, "enabled": {"1"}}
	read := "admin bureau city other" // city: read only; other: its own county
	return map[string]probe{
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
	if st != 422 || !strings.Contains(body, "http:// 或 https://") || strings.Contains(body, "abcd1234") || !strings.Contains(body, `value="新群"`) {
		t.Errorf("bad URL: %d %.600s", st, body)
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
	if m, _ := app.DB.OutboxMessage(context.Background(), 1); m.Status != store.OutboxPending {
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
