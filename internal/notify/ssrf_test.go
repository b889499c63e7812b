package notify_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// ssrfTarget is an inner service an attacker would like to reach: it counts
// the requests that arrive and answers with a banner that must never reach
// the outbox list.
type ssrfTarget struct {
	srv  *httptest.Server
	hits atomic.Int32
}

const ssrfBanner = "INNER-BANNER redis_version:7.2 secret-config"

func newSSRFTarget(t *testing.T, h http.HandlerFunc) *ssrfTarget {
	x := &ssrfTarget{}
	if h == nil {
		h = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"errcode":93000,"errmsg":%q}`, ssrfBanner)
		}
	}
	x.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		x.hits.Add(1)
		h(w, r)
	}))
	t.Cleanup(x.srv.Close)
	return x
}

func fieldErr(err error, field string) string {
	var ce *counsel.Error
	if errors.As(err, &ce) {
		for _, f := range ce.Fields {
			if f.Field == field {
				return f.Key
			}
		}
	}
	return ""
}

// A channel can only point at the robots' hosts: loopback, private, link-local
// and metadata addresses, other hosts and plain http are refused at saving.
func TestWebhookChannelOnlyRobotHosts(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		for _, u := range []string{
			"http://127.0.0.1:6379/",
			"https://127.0.0.1/cgi-bin/webhook/send?key=x",
			"https://localhost/robot/send",
			"https://10.0.0.8/robot/send",
			"https://192.168.1.1/robot/send",
			"https://169.254.169.254/latest/meta-data/",
			"https://metadata.google.internal/computeMetadata/v1/",
			"https://[::1]/robot/send",
			"https://evil.example.com/robot/send",
			"https://qyapi.weixin.qq.com.evil.example.com/cgi-bin/webhook/send?key=x",
			"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", // the key in clear text
		} {
			_, err := w.Svc.Notify.SaveChannel(w.Ctx, w.ZNBureau, &notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "探测", URL: u, Enabled: true})
			if key := fieldErr(err, "url"); key != "err.ob_host" && key != "err.ob_url" {
				t.Errorf("channel to %s: err %v, want a url field error", u, err)
			}
		}
		// The real hosts are accepted (upper case and a trailing dot too).
		for _, u := range []string{testworld.WeComURL, "https://OAPI.dingtalk.com./robot/send?access_token=t"} {
			if _, err := w.Svc.Notify.SaveChannel(w.Ctx, w.ZNBureau, &notify.ChannelInput{Kind: notify.ChannelDingTalk, Name: "钉钉", URL: u, Enabled: true}); err != nil {
				t.Errorf("channel to %s refused: %v", u, err)
			}
		}
		// An administrator's list replaces nothing of the defaults' safety:
		// an added host is accepted…
		w.Svc.Notify.ConfigureOutbox(notify.OutboxOptions{Hosts: append(notify.ParseHosts("robot.county.gov.cn, ,ROBOT2.county.gov.cn"), notify.DefaultWebhookHosts...)})
		if got := w.Svc.Notify.OutboxOptions().Hosts; len(got) != 4 || got[1] != "robot2.county.gov.cn" {
			t.Errorf("hosts %v", got)
		}
		if _, err := w.Svc.Notify.SaveChannel(w.Ctx, w.ZNBureau, &notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "自建", URL: "https://robot.county.gov.cn/send?key=k", Enabled: true}); err != nil {
			t.Errorf("added host refused: %v", err)
		}
		// …and the unlisted still are not.
		if _, err := w.Svc.Notify.SaveChannel(w.Ctx, w.ZNBureau, &notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "探测", URL: "https://10.1.2.3/send", Enabled: true}); fieldErr(err, "url") != "err.ob_host" {
			t.Errorf("private address with an extended list: %v", err)
		}
	})
}

// Even when a host is allowed, the address it resolves to is checked at
// dial time: loopback is refused, nothing reaches the inner service, and the
// outbox shows a class of error, not the address or the service's answer.
func TestWebhookDialRefusesInnerAddresses(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		inner := newSSRFTarget(t, nil)
		port := inner.srv.URL[strings.LastIndex(inner.srv.URL, ":")+1:]
		// "localhost" is allowed by name; it resolves to loopback.
		w.Svc.Notify.ConfigureOutbox(notify.OutboxOptions{Hosts: []string{"localhost", "qyapi.weixin.qq.com"}, Poll: time.Hour, Timeout: 3 * time.Second})
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "本机", URL: "https://localhost:" + port + "/cgi-bin/webhook/send?key=k", Enabled: true})
		w.obEnqueue(testworld.Dongguan, obEscalation)
		if sent, failed := w.obDeliver(w.Now); sent != 0 || failed != 1 {
			t.Fatalf("deliver: sent %d failed %d, want 0, 1", sent, failed)
		}
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "企业微信", URL: testworld.WeComURL, Enabled: true})
		// The test-only override sends to the inner server's loopback address.
		w.Svc.Notify.ConfigureOutbox(notify.OutboxOptions{Hosts: []string{"localhost", "qyapi.weixin.qq.com"}, Override: inner.srv.URL, Poll: time.Hour, Timeout: 3 * time.Second})
		w.obEnqueue(testworld.Dongguan, notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: "二", Text: "二"})
		w.obDeliver(w.Now)
		if n := inner.hits.Load(); n != 0 {
			t.Errorf("the inner service got %d requests", n)
		}
		ms := w.obMessages("")
		if len(ms) < 2 {
			t.Fatalf("%d messages", len(ms))
		}
		for _, m := range ms {
			if m.Status == notify.OutboxSent {
				t.Errorf("message %d sent to a loopback address", m.ID)
			}
			if m.Attempts > 0 && !strings.Contains(m.LastError, "address not allowed") {
				t.Errorf("last error %q, want 'address not allowed'", m.LastError)
			}
			if strings.Contains(m.LastError, "127.0.0.1") {
				t.Errorf("last error %q shows the address", m.LastError)
			}
		}
	})
}

// A robot host that answers with a redirect is not followed (the redirect
// could point inside), and what a target answers never reaches the outbox.
func TestWebhookNoRedirectNoEcho(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		inner := newSSRFTarget(t, nil)
		redirector := newSSRFTarget(t, func(rw http.ResponseWriter, r *http.Request) {
			http.Redirect(rw, r, inner.srv.URL+"/latest/meta-data/", http.StatusFound)
		})
		teller := newSSRFTarget(t, func(rw http.ResponseWriter, r *http.Request) {
			http.Error(rw, ssrfBanner, http.StatusBadGateway)
		})
		allowLocal := func(ip netip.Addr) bool { return ip.IsLoopback() }
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "企业微信", URL: testworld.WeComURL, Enabled: true})
		for _, c := range []struct {
			target *ssrfTarget
			want   string
		}{
			{redirector, "redirect not followed"},
			{inner, "errcode 93000 (key or token not valid)"},
			{teller, "HTTP 502"},
		} {
			w.Svc.Notify.ConfigureOutbox(notify.OutboxOptions{Override: c.target.srv.URL, Poll: time.Hour, AllowAddr: allowLocal})
			w.obEnqueue(testworld.Dongguan, notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: c.want, Text: c.want})
			w.obDeliver(w.Now)
			var found bool
			for _, m := range w.obMessages("") {
				if m.Title != c.want {
					continue
				}
				found = true
				if !strings.Contains(m.LastError, c.want) {
					t.Errorf("last error %q, want %q", m.LastError, c.want)
				}
				if strings.Contains(m.LastError, "INNER-BANNER") || strings.Contains(m.LastError, "secret-config") || strings.Contains(m.LastError, "meta-data") {
					t.Errorf("last error %q echoes the target", m.LastError)
				}
			}
			if !found {
				t.Errorf("no message %q", c.want)
			}
		}
		if n := inner.hits.Load(); n != 1 { // the direct one only, not the redirect
			t.Errorf("inner service got %d requests, want 1 (the redirect was followed)", n)
		}
	})
}

func TestPublicAddr(t *testing.T) {
	for s, want := range map[string]bool{
		"127.0.0.1": false, "127.8.9.10": false, "10.0.0.1": false, "172.16.5.4": false, "192.168.0.1": false,
		"169.254.169.254": false, "100.100.100.200": false, "100.64.0.1": false, "0.0.0.0": false, "224.0.0.1": false,
		"::1": false, "::ffff:127.0.0.1": false, "::ffff:10.0.0.1": false, "fe80::1": false, "fd00::1": false, "fd00:ec2::254": false,
		"64:ff9b::a00:1": false, "::": false, "255.255.255.255": false,
		"14.215.177.39": true, "203.119.129.1": true, "2408:8000::1": true,
	} {
		if got := notify.PublicAddr(netip.MustParseAddr(s)); got != want {
			t.Errorf("PublicAddr(%s) = %v, want %v", s, got, want)
		}
	}
}
