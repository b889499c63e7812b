package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// TestCrashDuringRecording kills the server with SIGKILL while clients are
// recording and checks, after the restart, that every entry that got a
// success answer is there, the hash chains verify and the counters equal a
// recount from the raw rows.
func TestCrashDuringRecording(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "counsel")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	addr := freeAddr(t)
	srv := startServer(t, bin, data, addr)

	base := "http://" + addr
	token, villages := advisorToken(t, base)
	var mu sync.Mutex
	var acked []int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			hc := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body, _ := json.Marshal(map[string]any{"village_code": villages[(c+i)%len(villages)], "kind": "consultation", "mode": "phone",
					"date": fmt.Sprintf("2026-%02d-%02d", 1+(i%10), 1+(c+i)%27), "minutes": 30, "content": "崩溃测试：电话咨询"})
				req, _ := http.NewRequest("POST", base+"/api/v1/entries", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					continue // the server is gone: this one got no answer
				}
				var e struct {
					ID int64 `json:"id"`
				}
				err = json.NewDecoder(resp.Body).Decode(&e)
				resp.Body.Close()
				if resp.StatusCode == http.StatusCreated && err == nil && e.ID > 0 {
					mu.Lock()
					acked = append(acked, e.ID)
					mu.Unlock()
				}
			}
		}(c)
	}
	time.Sleep(2 * time.Second)
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = srv.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 20 {
		t.Fatalf("only %d entries acknowledged before the kill; the test needs load", len(acked))
	}

	// Restart: the server comes up on the same data.
	srv2 := startServer(t, bin, data, addr)
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz after restart: %v %v", resp, err)
	}
	resp.Body.Close()
	_ = srv2.Process.Signal(syscall.SIGTERM)
	_ = srv2.Wait()

	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(data, "counsel.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, id := range acked {
		if _, err := ledger.Entry(ctx, db, id); err != nil {
			t.Fatalf("acknowledged entry %d is missing after the crash: %v", id, err)
		}
	}
	svc := registry.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), registry.DefaultConfig())
	res, err := ledger.NewService(svc).VerifyLedger(ctx, nil, "")
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("verify after crash: %+v %v", res, err)
	}
	diffs, err := ledger.NewService(svc).Recount(ctx, true)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("counters differ from a recount after the crash (%v):\n%s", err, strings.Join(diffs, "\n"))
	}
	t.Logf("%d entries acknowledged before SIGKILL, all present; %d entries in %d volumes verify; counters equal a recount", len(acked), res.Entries, res.Villages)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer runs `counsel serve` and waits until it listens.
func startServer(t *testing.T, bin, data, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "-demo", "-data", data, "-addr", addr, "-no-jobs")
	cmd.Env = append(os.Environ(), "COUNSEL_DEMO_PASSWORD=demo-password-1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	ready := make(chan bool, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), " on http://") {
				ready <- true
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(3 * time.Minute):
		t.Fatal("server did not start")
	}
	return cmd
}

// advisorToken signs in as the demo advisor and makes an API token; it
// returns the token and the advisor's villages.
func advisorToken(t *testing.T, base string) (string, []string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := hc.PostForm(base+"/login", url.Values{"username": {"zn-advisor"}, "password": {"demo-password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	getJSON(t, hc, base+"/api/v1/me", &me)
	req, _ := http.NewRequest("POST", base+"/api/v1/tokens", strings.NewReader(`{"name":"crash"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", me.CSRF)
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		Token string `json:"token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if tok.Token == "" {
		t.Fatalf("no token (status %d)", resp.StatusCode)
	}
	var gs struct {
		Items []struct {
			RegionCode string `json:"region_code"`
			Packaged   bool   `json:"packaged"`
			Status     string `json:"status"`
		} `json:"items"`
	}
	getJSON(t, hc, base+"/api/v1/agreements", &gs)
	var villages []string
	for _, g := range gs.Items {
		if !g.Packaged && g.Status != "ended" && g.Status != "replaced" {
			villages = append(villages, g.RegionCode)
		}
	}
	if len(villages) == 0 {
		t.Fatal("the demo advisor serves no village")
	}
	return tok.Token, villages
}

func getJSON(t *testing.T, hc *http.Client, u string, v any) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}
