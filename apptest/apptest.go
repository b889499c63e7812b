// Package apptest gives HTTP tests a running application on a copy of a demo
// database: the demo is loaded once per test binary into a template SQLite
// file, and each test gets its own copy, server and logged-in clients.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
)

// Password is the demo accounts' password in tests.
const Password = "demo-password-1"

var (
	once     sync.Once
	template string
	onceErr  error
)

// App is a running application for one test.
type App struct {
	T      testing.TB
	DB     *store.DB
	Svc    *registry.Service
	Feats  *app.Features // the feature packages the handler serves
	Server *server.Server
	HTTP   *httptest.Server

	sessions int
}

// New starts an application on a fresh copy of the demo database.
func New(t testing.TB) *App {
	t.Helper()
	once.Do(func() { template, onceErr = buildTemplate() })
	if onceErr != nil {
		t.Fatalf("demo template: %v", onceErr)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "app.db")
	b, err := os.ReadFile(template)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	cfg := registry.DefaultConfig()
	cfg.DataDir = dir
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	svc := registry.New(db, log, cfg)
	feats := app.NewFeatures(svc)
	a, err := app.New(svc, feats, log, false)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(a.Handler)
	t.Cleanup(hs.Close)
	return &App{T: t, DB: db, Svc: svc, Feats: feats, Server: a.Server, HTTP: hs}
}

// buildTemplate loads the demo into a SQLite file in the temp directory.
func buildTemplate() (string, error) {
	dir, err := os.MkdirTemp("", "counsel-demo-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "demo.db")
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return "", err
	}
	svc := registry.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), registry.DefaultConfig())
	if _, err := demo.Load(ctx, svc, Password); err != nil {
		return "", err
	}
	// Fold the WAL into the main file so a plain copy is complete.
	if err := db.WithTx(ctx, func(tx *store.Tx) error { return nil }); err != nil {
		return "", err
	}
	if err := db.Checkpoint(ctx); err != nil {
		return "", err
	}
	return path, nil
}

// Client is an HTTP client with its own cookie jar.
type Client struct {
	app  *App
	HTTP *http.Client
	CSRF string
}

// Anonymous returns a client that is not signed in.
func (a *App) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{app: a, HTTP: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login returns a client signed in as a demo account, with its CSRF token.
func (a *App) Login(username string) *Client {
	a.T.Helper()
	c := a.Anonymous()
	resp, err := c.HTTP.PostForm(a.HTTP.URL+"/login", url.Values{"username": {username}, "password": {Password}})
	if err != nil {
		a.T.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		a.T.Fatalf("login %s: status %d, want 303", username, resp.StatusCode)
	}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if st := c.JSON("GET", "/api/v1/me", nil, &me); st != 200 || me.CSRF == "" {
		a.T.Fatalf("login %s: /api/v1/me status %d, csrf %q", username, st, me.CSRF)
	}
	c.CSRF = me.CSRF
	return c
}

// Do sends a request; body may be nil, url.Values (a form with the CSRF
// token added) or []byte / string (sent as is with contentType).
func (c *Client) Do(method, path string, body any, contentType string) *http.Response {
	c.app.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case url.Values:
		if c.CSRF != "" && b.Get("csrf") == "" {
			b.Set("csrf", c.CSRF)
		}
		rd = strings.NewReader(b.Encode())
		contentType = "application/x-www-form-urlencoded"
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			c.app.T.Fatal(err)
		}
		rd = bytes.NewReader(j)
		contentType = "application/json"
	}
	req, err := http.NewRequest(method, c.app.HTTP.URL+path, rd)
	if err != nil {
		c.app.T.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.app.T.Fatal(err)
	}
	return resp
}

// JSON sends a JSON request and decodes a JSON answer into out (if not nil),
// returning the status.
func (c *Client) JSON(method, path string, in, out any) int {
	c.app.T.Helper()
	resp := c.Do(method, path, in, "application/json")
	defer resp.Body.Close()
	if out != nil {
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, out); err != nil && resp.StatusCode < 300 {
			c.app.T.Fatalf("%s %s: decode %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// Body sends a request and returns the status and the body.
func (c *Client) Body(method, path string, body any) (int, string) {
	c.app.T.Helper()
	resp := c.Do(method, path, body, "")
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Session returns a client signed in as username through a session written
// straight into the database — no password hashing, for tests that need many
// signed-in clients (the authorization matrix).
func (a *App) Session(username string) *Client {
	a.T.Helper()
	c := a.Anonymous()
	ctx := context.Background()
	cr, err := account.CredentialsOf(ctx, a.DB, username)
	if err != nil {
		a.T.Fatalf("session %s: %v", username, err)
	}
	a.sessions++
	token := fmt.Sprintf("test-%s-%d", username, a.sessions)
	c.CSRF = fmt.Sprintf("csrf-%s-%d", username, a.sessions)
	now := a.Svc.Now().UnixMilli()
	err = a.DB.WithTx(ctx, func(tx *store.Tx) error {
		return account.InsertSession(ctx, tx, &account.Session{TokenHash: account.TokenHash(token), UserID: cr.User.ID, CSRF: c.CSRF, CreatedAt: now, SeenAt: now})
	})
	if err != nil {
		a.T.Fatal(err)
	}
	u, _ := url.Parse(a.HTTP.URL)
	c.HTTP.Jar.SetCookies(u, []*http.Cookie{{Name: server.SessionCookie, Value: token, Path: "/"}})
	return c
}

// Page fetches a page with GET and returns its status and its body with the
// HTML entities unescaped (so tests can look for the text a user reads).
func (c *Client) Page(t testing.TB, path string) (int, string) {
	t.Helper()
	st, body := c.Body("GET", path, nil)
	return st, html.UnescapeString(body)
}

// XLSX fetches a download and fails t unless it is an xlsx attachment named
// for Excel and WPS alike (an ASCII name and an RFC 5987 UTF-8 one).
func (c *Client) XLSX(t testing.TB, path string) []byte {
	t.Helper()
	resp := c.Do("GET", path, nil, "")
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200; body %.300s", path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"") || !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("GET %s: content disposition %q", path, cd)
	}
	return b
}

// Counts returns the row count of every table (to check that a refused
// request wrote nothing), the audit log's without the security events a
// request records whatever its outcome (see SecurityEventCounts).
func (a *App) Counts(t testing.TB) map[string]int {
	t.Helper()
	m, err := SecurityEventCounts(a.DB)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// SecurityEvents are the audit actions written for a request itself, not
// for a change it made: a refusal, a failed login, a rate-limit hit, whole
// numbers shown, an export (issue 12, defect 13).
const SecurityEvents = `'refused', 'login_failed', 'rate_limited', 'view_phones', 'export'`

// SecurityEventCounts is DB.TableCounts with the audit log counted without
// the SecurityEvents rows.
func SecurityEventCounts(db *store.DB) (map[string]int, error) {
	ctx := context.Background()
	c, err := db.TableCounts(ctx)
	if err != nil {
		return nil, err
	}
	var n int
	if err := db.Row(ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN (`+SecurityEvents+`)`).Scan(&n); err != nil {
		return nil, err
	}
	c["audit_log"] -= n
	return c, nil
}
