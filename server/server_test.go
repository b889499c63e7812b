package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/server"
)

// A panicking handler answers 500 with a request id, in JSON for the API and
// a page otherwise, and logs one line with that id and the error — no stack,
// no dropped connection.
func TestPanicAnswers500WithRequestID(t *testing.T) {
	var logs bytes.Buffer
	srv := server.New(slog.New(slog.NewTextHandler(&logs, nil)))
	boom := func(w http.ResponseWriter, r *http.Request) { panic("index out of range [14]") }
	srv.Add(server.Route{Method: "GET", Pattern: "/api/v1/boom", Name: "api_boom", Public: true, API: true, Handler: boom},
		server.Route{Method: "GET", Pattern: "/boom", Name: "boom", Public: true, Handler: boom},
		server.Route{Method: "GET", Pattern: "/fine", Name: "fine", Public: true, Handler: func(w http.ResponseWriter, r *http.Request) {}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	resp, err := http.Get(hs.URL + "/api/v1/boom")
	if err != nil {
		t.Fatalf("GET /api/v1/boom: %v (the connection was dropped)", err)
	}
	var body server.ErrorBody
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	id := resp.Header.Get("X-Request-Id")
	if resp.StatusCode != http.StatusInternalServerError || len(id) != 16 || body.Error.RequestID != id || body.Error.Code != "internal" {
		t.Fatalf("API panic: status %d, X-Request-Id %q, body %+v; want 500 with the id in header and body", resp.StatusCode, id, body)
	}
	line := logs.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "request_id="+id) || !strings.Contains(line, "index out of range") || strings.Contains(line, "goroutine") {
		t.Fatalf("log after a panic = %q, want one line with the request id and the error, no stack", line)
	}

	resp, err = http.Get(hs.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if id := resp.Header.Get("X-Request-Id"); resp.StatusCode != 500 || id == "" || !strings.Contains(string(page), id) {
		t.Fatalf("page panic: status %d, page %.200s; want 500 naming request %s", resp.StatusCode, page, id)
	}

	// Every answer carries an id, a new one each time.
	a, _ := http.Get(hs.URL + "/fine")
	b, _ := http.Get(hs.URL + "/fine")
	a.Body.Close()
	b.Body.Close()
	if ia, ib := a.Header.Get("X-Request-Id"), b.Header.Get("X-Request-Id"); ia == "" || ia == ib {
		t.Fatalf("request ids %q and %q, want two different ones", ia, ib)
	}
}

// Text with control characters (NUL above all: PostgreSQL refuses it in text)
// is refused as invalid input before a handler runs, whether it comes in the
// query, a form or JSON; tabs and line breaks are text.
func TestControlCharactersRefused(t *testing.T) {
	srv := server.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	reached := 0
	ok := func(w http.ResponseWriter, r *http.Request) { reached++ }
	srv.Add(server.Route{Method: "GET", Pattern: "/v", Name: "v", Public: true, Handler: ok},
		server.Route{Method: "POST", Pattern: "/consult", Name: "consult", Public: true, Handler: ok},
		server.Route{Method: "POST", Pattern: "/api/v1/x", Name: "api_x", Public: true, API: true, Handler: ok})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	for _, c := range []struct {
		method, path, ctype, body string
		refused                   bool
	}{
		{"GET", "/v?q=%E4%B8%9C%00", "", "", true},
		{"GET", "/v?q=%E4%B8%9C%E5%9F%8E", "", "", false},
		{"POST", "/consult", "application/x-www-form-urlencoded", "question=a%00b&name=x", true},
		{"POST", "/consult", "application/x-www-form-urlencoded", "question=line1%0D%0Aline2%09tab", false},
		{"POST", "/consult", "application/x-www-form-urlencoded", "question=bell%07", true},
		{"POST", "/api/v1/x", "application/json", `{"name":"a\u0000b"}`, true},
		{"POST", "/api/v1/x", "application/json", `{"name":"a\nb\\u0041"}`, false},
	} {
		before := reached
		req, _ := http.NewRequest(c.method, hs.URL+c.path, strings.NewReader(c.body))
		if c.ctype != "" {
			req.Header.Set("Content-Type", c.ctype)
		}
		req.Header.Set("Origin", hs.URL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if c.refused {
			if resp.StatusCode != http.StatusUnprocessableEntity || reached != before || !strings.Contains(string(b), "控制字符") {
				t.Errorf("%s %s %q: status %d, handler ran %v, body %.120s; want 422 in Chinese and no handler", c.method, c.path, c.body, resp.StatusCode, reached != before, b)
			}
		} else if resp.StatusCode != http.StatusOK || reached != before+1 {
			t.Errorf("%s %s %q: status %d, want it to reach the handler", c.method, c.path, c.body, resp.StatusCode)
		}
	}
}

// An unknown path gets the site's not-found answer: a Chinese page, or JSON
// under /api/.
func TestUnknownPathNotFound(t *testing.T) {
	srv := server.New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Add(server.Route{Method: "GET", Pattern: "/fine", Name: "fine", Public: true, Handler: func(w http.ResponseWriter, r *http.Request) {}})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/dash")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || strings.Contains(string(page), "404 page not found") || !strings.Contains(string(page), "app.css") {
		t.Fatalf("GET /dash: status %d, %q, page %.200s; want the site's styled not-found page", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	resp, err = http.Get(hs.URL + "/api/v1/nothing")
	if err != nil {
		t.Fatal(err)
	}
	var body server.ErrorBody
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != 404 || body.Error.Code != "not_found" {
		t.Fatalf("GET /api/v1/nothing: status %d, body %+v; want a JSON not_found", resp.StatusCode, body)
	}
}
