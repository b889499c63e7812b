package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startInProcess runs serve on a temporary data directory and returns its
// base URL and what it printed; the server stops when the test ends.
func startInProcess(t *testing.T, data string, demo bool) (string, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	ready := make(chan string, 1)
	done := make(chan error, 1)
	cfg := &Config{Addr: "127.0.0.1:0", DataDir: data, DatabaseURL: "sqlite:" + filepath.Join(data, "counsel.db"), Demo: demo, DemoPassword: "Demo-password-1", NoJobs: true}
	go func() { done <- serve(ctx, cfg, &out, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("serve: %v", err)
	case <-time.After(2 * time.Minute):
		cancel()
		t.Fatal("server did not start")
	}
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + addr + "/", out.String()
}

// An empty database without -demo gets no account: the program prints a
// one-time link from which the first administrator is made, and the page is
// gone once that is done.
func TestFirstStartWithoutDemoOffersSetup(t *testing.T) {
	data := t.TempDir()
	base, out := startInProcess(t, data, false)
	if strings.Contains(out, "demo accounts,") {
		t.Fatalf("a start without -demo printed demo accounts:\n%s", out)
	}
	m := regexp.MustCompile(`(http://\S+/setup\?token=(\S+))`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no setup link printed:\n%s", out)
	}
	link, tok := m[1], m[2]
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (int, string) {
		resp, err := hc.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(base + "setup?token=wrong"); code != http.StatusNotFound {
		t.Errorf("setup with a wrong token: %d, want 404", code)
	}
	code, body := get(link)
	if code != http.StatusOK || !strings.Contains(body, "设置第一位系统管理员") {
		t.Fatalf("setup page: %d\n%s", code, body)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	post := func(form url.Values) (int, string) {
		if csrf != nil {
			form.Set("csrf", csrf[1])
		}
		req, _ := http.NewRequest("POST", base+"setup", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", strings.TrimSuffix(base, "/"))
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	// Passwords that differ: a message next to the field and no account.
	code, body = post(url.Values{"token": {tok}, "username": {"chief"}, "password": {"Correct-horse-9"}, "confirm": {"Correct-horse-8"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "两次输入的密码不一致") {
		t.Fatalf("mismatched passwords: %d\n%s", code, body)
	}
	code, _ = post(url.Values{"token": {tok}, "username": {"chief"}, "display_name": {"局长"}, "password": {"Correct-horse-9"}, "confirm": {"Correct-horse-9"}})
	if code != http.StatusSeeOther {
		t.Fatalf("create the administrator: %d, want a redirect to the login", code)
	}
	if code, _ := get(link); code != http.StatusNotFound {
		t.Errorf("the setup link after the administrator exists: %d, want 404", code)
	}
	code, _ = post(url.Values{"token": {tok}, "username": {"second"}, "password": {"Correct-horse-9"}, "confirm": {"Correct-horse-9"}})
	if code != http.StatusNotFound {
		t.Errorf("a second administrator through the used link: %d, want 404", code)
	}
	// The new administrator signs in.
	code, _ = get(base + "login")
	if code != http.StatusOK {
		t.Fatalf("login page: %d", code)
	}
}

// With -demo the logins are printed, and printed again on a later start
// while the demo password still opens the admin account.
func TestDemoLoginsPrintedAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo twice")
	}
	data := t.TempDir()
	func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var out bytes.Buffer
		ready := make(chan string, 1)
		done := make(chan error, 1)
		cfg := &Config{Addr: "127.0.0.1:0", DataDir: data, DatabaseURL: "sqlite:" + filepath.Join(data, "counsel.db"), Demo: true, DemoPassword: "Demo-password-1", NoJobs: true}
		go func() { done <- serve(ctx, cfg, &out, ready) }()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("serve: %v", err)
		}
		if !strings.Contains(out.String(), "demo accounts,") || !strings.Contains(out.String(), "zn-bureau") {
			t.Fatalf("first demo start did not print the logins:\n%s", out.String())
		}
		cancel()
		<-done
	}()
	_, out := startInProcess(t, data, false)
	if !strings.Contains(out, "demo accounts,") || !strings.Contains(out, `"Demo-password-1"`) || !strings.Contains(out, "jh-village") {
		t.Fatalf("second start did not print the demo logins again:\n%s", out)
	}
	if strings.Contains(out, "setup?token=") {
		t.Errorf("a database with accounts offered the setup link:\n%s", out)
	}
}
