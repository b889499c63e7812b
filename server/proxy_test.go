package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/server"
)

// proxyServer answers with the client address the server believes and sets
// a session cookie.
func proxyServer(t *testing.T, trusted string, tlsOn bool) *httptest.Server {
	t.Helper()
	s := server.New(nil)
	p, err := server.ParseProxies(trusted)
	if err != nil {
		t.Fatal(err)
	}
	s.TrustedProxies = p
	s.Add(server.Route{Method: "GET", Pattern: "/ip", Public: true, Handler: func(w http.ResponseWriter, r *http.Request) {
		s.SetSessionCookie(w, r, "tok", 60)
		io.WriteString(w, server.ClientIP(r))
	}})
	var ts *httptest.Server
	if tlsOn {
		ts = httptest.NewTLSServer(s.Handler())
	} else {
		ts = httptest.NewServer(s.Handler())
	}
	t.Cleanup(ts.Close)
	return ts
}

func fetch(t *testing.T, ts *httptest.Server, hdr map[string]string) (string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.URL+"/ip", nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b), resp.Header
}

func TestForwardedHeadersOnlyFromTrustedProxies(t *testing.T) {
	spoof := map[string]string{"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"}
	cases := []struct {
		name, trusted string
		hdr           map[string]string
		ip            string
		https         bool
	}{
		{"no proxy configured: headers ignored", "", spoof, "127.0.0.1", false},
		{"peer not a trusted proxy: headers ignored", "10.0.0.0/8", spoof, "127.0.0.1", false},
		{"trusted proxy names the client", "127.0.0.1", map[string]string{"X-Forwarded-For": "203.0.113.7"}, "203.0.113.7", false},
		{"a client's own X-Forwarded-For entry is not believed", "127.0.0.0/8, 10.0.0.0/8",
			map[string]string{"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.1.2.3"}, "203.0.113.7", false},
		{"trusted proxy says https", "127.0.0.1/32", map[string]string{"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}, "203.0.113.7", true},
		{"garbage in X-Forwarded-For leaves the proxy", "127.0.0.1", map[string]string{"X-Forwarded-For": "not-an-ip"}, "127.0.0.1", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := proxyServer(t, c.trusted, false)
			ip, h := fetch(t, ts, c.hdr)
			if ip != c.ip {
				t.Errorf("client address %q, want %q", ip, c.ip)
			}
			hsts := h.Get("Strict-Transport-Security") != ""
			cookie := h.Get("Set-Cookie")
			if hsts != c.https {
				t.Errorf("HSTS sent: %v, want %v", hsts, c.https)
			}
			if secure := strings.HasPrefix(cookie, "__Host-vc_session=") && strings.Contains(cookie, "Secure"); secure != c.https {
				t.Errorf("session cookie %q: __Host- and Secure %v, want %v", cookie, secure, c.https)
			}
		})
	}
}

func TestDirectTLSGetsHSTSAndHostCookie(t *testing.T) {
	ts := proxyServer(t, "", true)
	_, h := fetch(t, ts, nil)
	if h.Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS over TLS")
	}
	if c := h.Get("Set-Cookie"); !strings.HasPrefix(c, "__Host-vc_session=") || !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("session cookie over TLS: %q", c)
	}
}

func TestParseProxiesRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "1.2.3"} {
		if _, err := server.ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
}
