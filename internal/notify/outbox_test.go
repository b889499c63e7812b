package notify_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/store"
)

// The robots' secrets of the tests.
const (
	obWeComKey   = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
	obDingToken  = "50cb6e954c89afa14fb97754eafd886d658fcda27d05015a26b474e7bd2f0a59"
	obDingSecret = "SEC5a3ecf88f2b3eb50db30ecfc00f53033ac909c99bf7f88fd612bda89d7f3a9dc"
	obWeComURL   = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=" + obWeComKey
	obDingURL    = "https://oapi.dingtalk.com/robot/send?access_token=" + obDingToken
)

// obMsg is a message a robot received.
type obMsg struct {
	Robot   string // wecom or dingtalk
	Content string
}

// obReceiver is a local stand-in for both robots. It speaks their request
// formats and checks them as the real services do: the WeCom key, the JSON
// body and its size; the DingTalk access token, the timestamp (within an
// hour of the clock) and the HMAC-SHA256 signature, computed here on its own.
type obReceiver struct {
	t     *testing.T
	srv   *httptest.Server
	clock func() time.Time

	mu       sync.Mutex
	got      []obMsg
	failures int      // answer HTTP 500 to this many more requests
	problems []string // requests that broke the robots' rules
	arrived  chan struct{}
}

func newObReceiver(t *testing.T, clock func() time.Time) *obReceiver {
	r := &obReceiver{t: t, clock: clock, arrived: make(chan struct{}, 100)}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *obReceiver) reply(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"errcode":%d,"errmsg":%q}`, code, msg)
}

func (r *obReceiver) problem(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func (r *obReceiver) serve(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures > 0 {
		r.failures--
		http.Error(w, "busy", http.StatusInternalServerError)
		return
	}
	if req.Method != http.MethodPost || !strings.HasPrefix(req.Header.Get("Content-Type"), "application/json") {
		r.problem("%s with content type %q", req.Method, req.Header.Get("Content-Type"))
		r.reply(w, 40008, "invalid message type")
		return
	}
	raw, _ := io.ReadAll(req.Body)
	var body struct {
		MsgType string `json:"msgtype"`
		Text    *struct {
			Content string `json:"content"`
		} `json:"text"`
	}
	if err := json.Unmarshal(raw, &body); err != nil || body.MsgType != "text" || body.Text == nil || body.Text.Content == "" {
		r.problem("bad body %s", raw)
		r.reply(w, 40008, "invalid message type")
		return
	}
	q := req.URL.Query()
	switch req.URL.Path {
	case "/cgi-bin/webhook/send":
		if q.Get("key") != obWeComKey {
			r.reply(w, 93000, "invalid webhook url, hint: key "+q.Get("key"))
			return
		}
		if len(body.Text.Content) > 2048 {
			r.problem("wecom content of %d bytes", len(body.Text.Content))
			r.reply(w, 40058, "content exceed max length")
			return
		}
		r.got = append(r.got, obMsg{"wecom", body.Text.Content})
	case "/robot/send":
		if q.Get("access_token") != obDingToken {
			r.reply(w, 300001, "token is not exist")
			return
		}
		ts, err := strconv.ParseInt(q.Get("timestamp"), 10, 64)
		if err != nil || time.UnixMilli(ts).Sub(r.clock()).Abs() > time.Hour {
			r.reply(w, 310000, "invalid timestamp")
			return
		}
		mac := hmac.New(sha256.New, []byte(obDingSecret))
		mac.Write([]byte(q.Get("timestamp") + "\n" + obDingSecret))
		if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); q.Get("sign") != want {
			r.reply(w, 310000, "sign not match, more: [see https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]")
			return
		}
		r.got = append(r.got, obMsg{"dingtalk", body.Text.Content})
	default:
		http.NotFound(w, req)
		return
	}
	r.reply(w, 0, "ok")
	select {
	case r.arrived <- struct{}{}:
	default:
	}
}

func (r *obReceiver) messages() []obMsg {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.problems) > 0 {
		r.t.Errorf("robot rules broken: %v", r.problems)
		r.problems = nil
	}
	return append([]obMsg(nil), r.got...)
}

func (r *obReceiver) failNext(n int) {
	r.mu.Lock()
	r.failures = n
	r.mu.Unlock()
}

// obSetup gives a world a receiver, the outbox options pointing at it and
// accounts that in-app messages go to.
func obSetup(t *testing.T, w *svcWorld) *obReceiver {
	t.Helper()
	rec := newObReceiver(t, func() time.Time { return w.Now })
	w.Svc.Notify.ConfigureOutbox(notify.OutboxOptions{Override: rec.srv.URL, BaseURL: "https://counsel.example.cn/", Poll: time.Hour, AllowAddr: obLoopback})
	for _, u := range []counsel.User{
		{Username: "ob-bureau", Role: counsel.RoleBureau, RegionCode: testworld.ZN},
		{Username: "ob-city", Role: counsel.RoleBureau, RegionCode: testworld.ZNCity},
		{Username: "ob-judicial", Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe},
		{Username: "ob-judicial2", Role: counsel.RoleJudicial, RegionCode: testworld.Yulinzi},
		{Username: "ob-village", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan},
	} {
		w.User(u)
	}
	return rec
}

// obLoopback admits the local receiver, which the dial guard refuses
// otherwise.
func obLoopback(ip netip.Addr) bool { return ip.IsLoopback() }

// obRobots configures the county's WeCom and DingTalk robots and an in-app channel.
func (w *svcWorld) obRobots() (wecom, ding, inapp *notify.ChannelView) {
	wecom = w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: obWeComURL, Enabled: true})
	ding = w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelDingTalk, Name: "县局钉钉群", URL: obDingURL, Secret: obDingSecret, Enabled: true})
	inapp = w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelInApp, Name: "站内消息", Roles: []string{"bureau", "judicial"}, Enabled: true})
	return
}

func (w *svcWorld) obEnqueue(region string, ev notify.OutboxEvent) int {
	w.T.Helper()
	var n int
	err := w.DB.WithTx(w.Ctx, func(tx *store.Tx) error {
		var err error
		n, err = w.Svc.Notify.EnqueueEvent(w.Ctx, tx, region, ev)
		return err
	})
	if err != nil {
		w.T.Fatalf("enqueue: %v", err)
	}
	return n
}

func (w *svcWorld) obDeliver(at time.Time) (sent, failed int) {
	w.T.Helper()
	sent, failed, err := w.Svc.Notify.DeliverOutbox(w.Ctx, at)
	if err != nil {
		w.T.Fatalf("deliver: %v", err)
	}
	return sent, failed
}

func (w *svcWorld) obMessages(status string) []notify.OutboxMessage {
	w.T.Helper()
	ms, _, err := notify.OutboxMessages(w.Ctx, w.DB, notify.OutboxFilter{Status: status, Limit: 500})
	if err != nil {
		w.T.Fatal(err)
	}
	return ms
}

var obEscalation = notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: "东关村重大事项报告逾期未处理", Text: "集体上访苗头，已报告 3 天未受理", Link: "/major/7"}

func TestOutboxDeliversToBothRobotsAfterCommit(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.obRobots()
		if n := w.obEnqueue(testworld.Dongguan, obEscalation); n != 2 {
			t.Fatalf("enqueue: %d robot messages, want 2", n)
		}
		if got := len(w.obMessages(notify.OutboxPending)); got != 2 {
			t.Fatalf("pending: %d, want 2", got)
		}
		// In-app at once, in the same transaction: the county bureau and the
		// town's judicial office, not the city bureau nor another town.
		for user, want := range map[string]int{"ob-bureau": 1, "ob-judicial": 1, "ob-city": 0, "ob-judicial2": 0, "ob-village": 0} {
			if got := len(w.Inbox(user)); got != want {
				t.Errorf("in-app for %s: %d, want %d", user, got, want)
			}
		}
		sent, failed := w.obDeliver(w.Now)
		if sent != 2 || failed != 0 {
			t.Fatalf("deliver: sent %d failed %d, want 2, 0", sent, failed)
		}
		got := rec.messages()
		if len(got) != 2 {
			t.Fatalf("receiver got %d messages, want 2: %v", len(got), got)
		}
		robots := map[string]bool{}
		for _, m := range got {
			robots[m.Robot] = true
			for _, want := range []string{"【村居法律顾问】", obEscalation.Title, obEscalation.Text, "https://counsel.example.cn/major/7"} {
				if !strings.Contains(m.Content, want) {
					t.Errorf("%s content %q lacks %q", m.Robot, m.Content, want)
				}
			}
		}
		if !robots["wecom"] || !robots["dingtalk"] {
			t.Errorf("robots reached: %v", robots)
		}
		for _, m := range w.obMessages("") {
			if m.Status != notify.OutboxSent || m.Attempts != 1 || m.SentAt != w.Now.UnixMilli() {
				t.Errorf("message %d: status %s attempts %d sent_at %d", m.ID, m.Status, m.Attempts, m.SentAt)
			}
		}
		if sent, failed := w.obDeliver(w.Now.Add(time.Hour)); sent+failed != 0 {
			t.Errorf("second round sent %d failed %d, want nothing", sent, failed)
		}
		// An event with a key is idempotent, per channel and per account.
		ev := obEscalation
		ev.Key = "major-7"
		w.obEnqueue(testworld.Dongguan, ev)
		if n := w.obEnqueue(testworld.Dongguan, ev); n != 0 {
			t.Errorf("same key again: %d new messages, want 0", n)
		}
		if got := len(w.Inbox("ob-bureau")); got != 2 {
			t.Errorf("in-app after keyed event twice: %d, want 2", got)
		}
		// Without a key, the same event again is a new message everywhere.
		if n := w.obEnqueue(testworld.Dongguan, obEscalation); n != 2 {
			t.Errorf("unkeyed event again: %d robot messages, want 2", n)
		}
		if got := len(w.Inbox("ob-bureau")); got != 3 {
			t.Errorf("in-app after an unkeyed event again: %d, want 3", got)
		}
	})
}

func TestOutboxNothingSentWhenTransactionRollsBack(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.obRobots()
		before := w.Counts()
		boom := errors.New("the event's own write failed")
		err := w.DB.WithTx(w.Ctx, func(tx *store.Tx) error {
			if n, err := w.Svc.Notify.EnqueueEvent(w.Ctx, tx, testworld.Dongguan, obEscalation); err != nil || n != 2 {
				t.Fatalf("enqueue: %d, %v", n, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("tx: %v", err)
		}
		w.SameCounts("rolled back", before, w.Counts())
		if sent, failed := w.obDeliver(w.Now.Add(time.Minute)); sent+failed != 0 {
			t.Errorf("deliver after rollback: sent %d failed %d", sent, failed)
		}
		if got := rec.messages(); len(got) != 0 {
			t.Errorf("receiver got %v after a rollback", got)
		}
	})
}

func TestOutboxRetriesWithBackoffThenDeadLetters(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		wecom := w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: obWeComURL, Enabled: true})
		w.obEnqueue(testworld.Dongguan, obEscalation)
		rec.failNext(100)
		t0 := w.Now
		at := t0
		// 30 s, 2 min, 10 min, 1 h, 6 h between the six attempts.
		waits := []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour}
		for i := 1; i <= 6; i++ {
			if sent, failed := w.obDeliver(at); sent != 0 || failed != 1 {
				t.Fatalf("attempt %d at +%v: sent %d failed %d, want 0, 1", i, at.Sub(t0), sent, failed)
			}
			ms := w.obMessages("")
			if len(ms) != 1 {
				t.Fatalf("messages: %d", len(ms))
			}
			m := ms[0]
			if m.Attempts != i || !strings.Contains(m.LastError, "HTTP 500") || strings.Contains(m.LastError, obWeComKey) {
				t.Errorf("after attempt %d: attempts %d, last error %q", i, m.Attempts, m.LastError)
			}
			if i == 6 {
				if m.Status != notify.OutboxDead || m.DeadAt != at.UnixMilli() {
					t.Errorf("after the last attempt: status %s dead_at %d, want dead", m.Status, m.DeadAt)
				}
				break
			}
			if want := at.Add(waits[i-1]).UnixMilli(); m.Status != notify.OutboxPending || m.NextAt != want {
				t.Errorf("after attempt %d: status %s next_at +%v, want pending at +%v", i, m.Status,
					time.UnixMilli(m.NextAt).Sub(at), waits[i-1])
			}
			// Not due a second early.
			if sent, failed := w.obDeliver(at.Add(waits[i-1] - time.Second)); sent+failed != 0 {
				t.Errorf("before the wait of attempt %d ran out: sent %d failed %d", i, sent, failed)
			}
			at = at.Add(waits[i-1])
		}
		if sent, failed := w.obDeliver(at.Add(48 * time.Hour)); sent+failed != 0 {
			t.Errorf("a dead letter was tried again: sent %d failed %d", sent, failed)
		}
		dead := w.obMessages(notify.OutboxDead)
		if len(dead) != 1 {
			t.Fatalf("dead letters: %d", len(dead))
		}
		id := dead[0].ID

		// The dead letter shows on the outbox list of the county bureau (with
		// a retry), read-only to the city, and not to another county.
		l, counts, err := w.Svc.Notify.Outbox(w.Ctx, w.ZNBureau, notify.OutboxQuery{Status: notify.OutboxDead})
		if err != nil || l.Total != 1 || !l.Items[0].CanRetry || counts[notify.OutboxDead] != 1 || l.Items[0].ChannelName != wecom.Name {
			t.Errorf("bureau's dead letters: %+v %v %v", l, counts, err)
		}
		if strings.Contains(l.Items[0].ChannelURL, obWeComKey) || !strings.HasPrefix(l.Items[0].ChannelURL, "qyapi.weixin.qq.com …") {
			t.Errorf("channel URL shown as %q", l.Items[0].ChannelURL)
		}
		if l, _, err := w.Svc.Notify.Outbox(w.Ctx, w.City, notify.OutboxQuery{}); err != nil || l.Total != 1 || l.Items[0].CanRetry {
			t.Errorf("city's outbox: %+v %v", l, err)
		}
		if l, _, err := w.Svc.Notify.Outbox(w.Ctx, w.JHBureau, notify.OutboxQuery{}); err != nil || l.Total != 0 {
			t.Errorf("other county's outbox: %+v %v", l, err)
		}
		for _, a := range []*counsel.Actor{w.Judicial, w.Advisor, w.Village, w.Provider} {
			if _, _, err := w.Svc.Notify.Outbox(w.Ctx, a, notify.OutboxQuery{}); testworld.Code(err) != counsel.CodeForbidden {
				t.Errorf("outbox list as %s: %v, want forbidden", a.Role, err)
			}
		}

		// Manual retry: refused to the city (read only) and another county.
		before := w.Counts()
		testworld.WantCode(t, "retry by city", w.Svc.Notify.RetryOutbox(w.Ctx, w.City, id), counsel.CodeForbidden)
		testworld.WantCode(t, "retry by another county", w.Svc.Notify.RetryOutbox(w.Ctx, w.JHBureau, id), counsel.CodeNotFound)
		testworld.WantCode(t, "retry by judicial", w.Svc.Notify.RetryOutbox(w.Ctx, w.Judicial, id), counsel.CodeNotFound)
		w.SameCounts("refused retries", before, w.Counts())
		if err := w.Svc.Notify.RetryOutbox(w.Ctx, w.ZNBureau, id); err != nil {
			t.Fatalf("retry: %v", err)
		}
		m, _ := notify.MessageByID(w.Ctx, w.DB, id)
		if m.Status != notify.OutboxPending || m.Attempts != 0 || m.NextAt != w.Now.UnixMilli() {
			t.Errorf("after retry: %+v", m)
		}
		rec.failNext(0)
		if sent, failed := w.obDeliver(w.Now); sent != 1 || failed != 0 {
			t.Errorf("deliver after retry: sent %d failed %d", sent, failed)
		}
		if len(rec.messages()) != 1 {
			t.Errorf("receiver did not get the retried message")
		}
		testworld.WantCode(t, "retry a sent message", w.Svc.Notify.RetryOutbox(w.Ctx, w.ZNBureau, id), counsel.CodeConflict)
		var retries int
		for _, e := range w.Audit() {
			if e.Action == "retry" && e.Entity == "outbox" {
				retries++
			}
		}
		if retries != 1 {
			t.Errorf("audit has %d retries, want 1", retries)
		}
	})
}

func TestOutboxSignatureAndKeyChecked(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelDingTalk, Name: "错误密钥", URL: obDingURL, Secret: "SECwrong-secret-0000000000", Enabled: true})
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "错误key", URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wrong-key-1234", Enabled: true})
		w.obEnqueue(testworld.Dongguan, obEscalation)
		if sent, failed := w.obDeliver(w.Now); sent != 0 || failed != 2 {
			t.Fatalf("deliver: sent %d failed %d, want 0, 2", sent, failed)
		}
		for _, m := range w.obMessages("") {
			want := "errcode 310000"
			if m.ChannelKind == notify.ChannelWeCom {
				want = "errcode 93000"
			}
			if !strings.Contains(m.LastError, want) {
				t.Errorf("%s: last error %q lacks %q", m.ChannelKind, m.LastError, want)
			}
			for _, secret := range []string{obDingToken, "wrong-key-1234", "SECwrong-secret"} {
				if strings.Contains(m.LastError, secret) {
					t.Errorf("%s: last error %q shows a secret", m.ChannelKind, m.LastError)
				}
			}
		}
		if got := rec.messages(); len(got) != 0 {
			t.Errorf("receiver accepted %v", got)
		}
		// The signature is base64(HMAC-SHA256(secret, timestamp+"\n"+secret)).
		mac := hmac.New(sha256.New, []byte("this is secret"))
		mac.Write([]byte("1577262236757\nthis is secret"))
		if got, want := notify.DingTalkSign("this is secret", 1577262236757), base64.StdEncoding.EncodeToString(mac.Sum(nil)); got != want {
			t.Errorf("DingTalkSign = %s, want %s", got, want)
		}
	})
}

func TestOutboxChannelsInheritAndFilter(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		// The province's robot serves 正宁县 while the county has none.
		prov := w.Channel(w.Admin, notify.ChannelInput{RegionCode: "620000000000", Kind: notify.ChannelWeCom, Name: "省厅群", URL: obWeComURL, Enabled: true})
		set, err := w.Svc.Notify.Channels(w.Ctx, w.ZNBureau, "")
		if err != nil || len(set.Own) != 0 || len(set.Inherited) != 1 || set.InheritedFrom != "620000000000" || !set.CanEdit {
			t.Fatalf("county's channels: %+v %v", set, err)
		}
		if n := w.obEnqueue(testworld.Dongguan, obEscalation); n != 1 {
			t.Errorf("inherited: %d messages, want 1", n)
		}
		// The county's own channels replace the inherited ones; events filter.
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "只收周报", URL: obWeComURL, Events: []string{notify.EventWeeklyDigest}, Enabled: true})
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelDingTalk, Name: "停用", URL: obDingURL, Secret: obDingSecret, Enabled: false})
		if n := w.obEnqueue(testworld.Dongguan, obEscalation); n != 0 {
			t.Errorf("escalation to a digest-only county: %d messages, want 0", n)
		}
		if n := w.obEnqueue(testworld.Dongguan, notify.OutboxEvent{Kind: notify.EventWeeklyDigest, Title: "周报"}); n != 1 {
			t.Errorf("digest: %d messages, want 1", n)
		}
		// 镜湖区 (another province) has nothing: in-app only.
		if n := w.obEnqueue(testworld.Tiancheng, obEscalation); n != 0 {
			t.Errorf("镜湖区: %d messages, want 0", n)
		}
		// Removing the province's channel dead-letters its pending message.
		if err := w.Svc.Notify.DeleteChannel(w.Ctx, w.Admin, prov.ID); err != nil {
			t.Fatal(err)
		}
		sent, failed := w.obDeliver(w.Now)
		if sent != 1 || failed != 1 {
			t.Errorf("deliver: sent %d failed %d, want 1, 1", sent, failed)
		}
		dead := w.obMessages(notify.OutboxDead)
		if len(dead) != 1 || dead[0].LastError != "channel removed" {
			t.Errorf("dead letters: %+v", dead)
		}
		if got := rec.messages(); len(got) != 1 || !strings.Contains(got[0].Content, "周报") {
			t.Errorf("receiver: %v", got)
		}
	})
}

func TestOutboxChannelRules(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		obSetup(t, w)
		good := notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "群", URL: obWeComURL, Enabled: true}
		before := w.Counts()
		for name, c := range map[string]struct {
			a     *counsel.Actor
			in    notify.ChannelInput
			field string
			key   string
			code  counsel.Code
		}{
			"ftp url":          {w.ZNBureau, notify.ChannelInput{Kind: "wecom", Name: "群", URL: "ftp://qyapi.weixin.qq.com/x"}, "url", "err.ob_url", ""},
			"javascript url":   {w.ZNBureau, notify.ChannelInput{Kind: "wecom", Name: "群", URL: "javascript:alert(1)"}, "url", "err.ob_url", ""},
			"user in url":      {w.ZNBureau, notify.ChannelInput{Kind: "dingtalk", Name: "群", URL: "https://a:b@oapi.dingtalk.com/robot/send"}, "url", "err.ob_url", ""},
			"no url":           {w.ZNBureau, notify.ChannelInput{Kind: "wecom", Name: "群"}, "url", "err.required", ""},
			"no name":          {w.ZNBureau, notify.ChannelInput{Kind: "wecom", URL: obWeComURL}, "name", "err.required", ""},
			"bad kind":         {w.ZNBureau, notify.ChannelInput{Kind: "sms", Name: "群", URL: obWeComURL}, "kind", "err.choice", ""},
			"bad event":        {w.ZNBureau, notify.ChannelInput{Kind: "wecom", Name: "群", URL: obWeComURL, Events: []string{"everything"}}, "events", "err.choice", ""},
			"in-app no roles":  {w.ZNBureau, notify.ChannelInput{Kind: "inapp", Name: "站内"}, "roles", "err.ob_roles", ""},
			"town level":       {w.Admin, notify.ChannelInput{RegionCode: testworld.Shanhe, Kind: "wecom", Name: "群", URL: obWeComURL}, "region", "err.ob_jurisdiction", ""},
			"another county":   {w.JHBureau, notify.ChannelInput{RegionCode: testworld.ZN, Kind: "wecom", Name: "群", URL: obWeComURL}, "", "", counsel.CodeForbidden},
			"city is readonly": {w.City, good, "", "", counsel.CodeForbidden},
			"judicial":         {w.Judicial, good, "", "", counsel.CodeForbidden},
			"advisor":          {w.Advisor, good, "", "", counsel.CodeForbidden},
		} {
			_, err := w.Svc.Notify.SaveChannel(w.Ctx, c.a, &c.in)
			if c.code != "" {
				testworld.WantCode(t, name, err, c.code)
			} else {
				testworld.WantField(t, name, err, c.field, c.key)
			}
		}
		w.SameCounts("refused channels", before, w.Counts())

		v := w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelDingTalk, Name: "县局钉钉群", URL: obDingURL, Secret: obDingSecret, Enabled: true})
		if v.RegionCode != testworld.ZN || strings.Contains(v.URL, obDingToken) || v.URL != "oapi.dingtalk.com …0a59" || v.Secret != "••••a9dc" {
			t.Errorf("view: %+v", v)
		}
		// A change with the URL and secret left blank keeps them.
		v2, err := w.Svc.Notify.SaveChannel(w.Ctx, w.ZNBureau, &notify.ChannelInput{ID: v.ID, Name: "改名", Enabled: false, Kind: "wecom", RegionCode: testworld.JH})
		if err != nil || v2.Name != "改名" || v2.Enabled || v2.Kind != notify.ChannelDingTalk || v2.RegionCode != testworld.ZN {
			t.Fatalf("update: %+v %v", v2, err)
		}
		c, _ := notify.ChannelByID(w.Ctx, w.DB, v.ID)
		if c.URL != obDingURL || c.Secret != obDingSecret {
			t.Errorf("blank URL and secret were not kept: %q %q", c.URL, c.Secret)
		}
		if _, err := w.Svc.Notify.SaveChannel(w.Ctx, w.JHBureau, &notify.ChannelInput{ID: v.ID, Name: "x"}); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("update by another county: %v, want not found", err)
		}
		testworld.WantCode(t, "delete by city", w.Svc.Notify.DeleteChannel(w.Ctx, w.City, v.ID), counsel.CodeForbidden)
		// The audit log never holds a secret.
		for _, e := range w.Audit() {
			if e.Entity == "outbox_channel" && (strings.Contains(e.After+e.Before, obDingToken) || strings.Contains(e.After+e.Before, obDingSecret)) {
				t.Errorf("audit shows a secret: %+v", e)
			}
		}
		// Test messages: a robot's goes through the outbox.
		id, err := w.Svc.Notify.TestChannel(w.Ctx, w.ZNBureau, v.ID)
		if err != nil || id == 0 {
			t.Fatalf("test message: %d %v", id, err)
		}
		if m, _ := notify.MessageByID(w.Ctx, w.DB, id); m.Event != notify.EventTest || m.ChannelID != v.ID {
			t.Errorf("test message: %+v", m)
		}
		if _, err := w.Svc.Notify.TestChannel(w.Ctx, w.City, v.ID); testworld.Code(err) != counsel.CodeForbidden {
			t.Errorf("test by city: %v", err)
		}
	})
}

func TestOutboxWeeklyDigest(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.obRobots()
		long := strings.Repeat("本月驻村值班不足，", 40)
		var asked []string
		src := func(ctx context.Context, today string) (map[string][]notify.DigestLine, error) {
			asked = append(asked, today)
			return map[string][]notify.DigestLine{
				testworld.Shanhe:    {{Village: "东关村", Advisor: "王伟", Text: "本月驻村值班 2/4 次"}, {Village: "西关村", Advisor: "王伟", Text: long}, {Village: "蔡峪村", Text: long}, {Text: long}, {Text: long}},
				testworld.Yulinzi:   {{Village: "小寺头村", Advisor: "张敏", Text: "本季度法治讲座 0/1 次"}},
				swSomeTownWithout(): nil,
			}, nil
		}
		n, err := w.Svc.Notify.WeeklyDigest(w.Ctx, w.Now, src)
		if err != nil || n != 2 {
			t.Fatalf("digest: %d towns, %v", n, err)
		}
		// Once per town and week.
		if n, err := w.Svc.Notify.WeeklyDigest(w.Ctx, w.Now.Add(48*time.Hour), src); err != nil || n != 2 {
			t.Fatalf("digest again: %d, %v", n, err)
		}
		if got := len(w.obMessages("")); got != 4 {
			t.Errorf("outbox: %d messages, want 4 (2 towns × 2 robots)", got)
		}
		if got := w.Inbox("ob-judicial"); len(got) != 1 || !strings.Contains(got[0], "山河镇") || !strings.Contains(got[0], "5 项") {
			t.Errorf("山河镇 judicial office's inbox: %v", got)
		}
		if got := w.Inbox("ob-judicial2"); len(got) != 1 || !strings.Contains(got[0], "榆林子镇") {
			t.Errorf("榆林子镇 judicial office's inbox: %v", got)
		}
		if got := len(w.Inbox("ob-bureau")); got != 2 {
			t.Errorf("county bureau's inbox: %d, want 2", got)
		}
		if sent, failed := w.obDeliver(w.Now); sent != 4 || failed != 0 {
			t.Errorf("deliver: %d %d", sent, failed)
		}
		var shanhe int
		for _, m := range rec.messages() {
			if strings.Contains(m.Content, "山河镇") {
				shanhe++
				if !strings.Contains(m.Content, "1. 东关村 · 王伟：本月驻村值班 2/4 次") {
					t.Errorf("digest text: %q", m.Content)
				}
				if m.Robot == "wecom" && (len(m.Content) > 2048 || !strings.Contains(m.Content, "……")) {
					t.Errorf("wecom digest of %d bytes, not cut to 2048", len(m.Content))
				}
			}
		}
		if shanhe != 2 {
			t.Errorf("山河镇 digests received: %d", shanhe)
		}
		// A week later, a new digest.
		if n, err := w.Svc.Notify.WeeklyDigest(w.Ctx, w.Now.Add(7*24*time.Hour), src); err != nil || n != 2 {
			t.Fatalf("next week: %d, %v", n, err)
		}
		if got := len(w.obMessages("")); got != 8 {
			t.Errorf("outbox after next week: %d, want 8", got)
		}
		if got := strings.Join(asked, " "); got != "2026-06-15 2026-06-17 2026-06-22" {
			t.Errorf("days asked: %s", got)
		}
	})
}

// swSomeTownWithout is a town with no overdue duty (榆林子镇's neighbour).
func swSomeTownWithout() string { return "621025102000" }

func TestOutboxRunWakesAfterCommit(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.obRobots()
		ctx, cancel := context.WithCancel(w.Ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = w.Svc.Notify.RunOutbox(ctx)
		}()
		defer func() { cancel(); <-done }()
		// The loop polls only hourly: what arrives comes from the wake-up.
		time.Sleep(100 * time.Millisecond)
		w.obEnqueue(testworld.Dongguan, obEscalation)
		deadline := time.After(10 * time.Second)
		for n := 0; n < 2; {
			select {
			case <-rec.arrived:
				n++
			case <-deadline:
				t.Fatalf("receiver got %d of 2 messages after commit", n)
			}
		}
		if got := rec.messages(); len(got) != 2 {
			t.Errorf("receiver: %v", got)
		}
	})
}

func TestOutboxPacesRobotsAt20AMinute(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := obSetup(t, w)
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: obWeComURL, Enabled: true})
		for i := 0; i < 25; i++ {
			w.obEnqueue(testworld.Dongguan, notify.OutboxEvent{Kind: notify.EventConsultationOverdue, Title: fmt.Sprintf("咨询 %d 逾期", i)})
		}
		if sent, failed := w.obDeliver(w.Now); sent != 20 || failed != 0 {
			t.Fatalf("first minute: sent %d failed %d, want 20, 0", sent, failed)
		}
		for _, m := range w.obMessages(notify.OutboxPending) {
			if m.Attempts != 0 || m.NextAt != w.Now.Add(time.Minute).UnixMilli() {
				t.Errorf("deferred message: attempts %d next +%v", m.Attempts, time.UnixMilli(m.NextAt).Sub(w.Now))
			}
		}
		if sent, _ := w.obDeliver(w.Now.Add(time.Minute)); sent != 5 {
			t.Errorf("next minute: sent %d, want 5", sent)
		}
		if got := len(rec.messages()); got != 25 {
			t.Errorf("receiver got %d", got)
		}
	})
}
