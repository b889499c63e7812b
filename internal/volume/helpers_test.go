package volume_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The page-test helpers the web tests share (web/pairing_test.go).

func get(t *testing.T, c *apptest.Client, path string) (int, string) {
	t.Helper()
	st, body := c.Body("GET", path, nil)
	return st, html.UnescapeString(body)
}

// download fetches a file and checks it is an xlsx attachment.
func download(t *testing.T, c *apptest.Client, path string) []byte {
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

func counts(t *testing.T, app *apptest.App) map[string]int {
	t.Helper()
	m, err := app.DB.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}
