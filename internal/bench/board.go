package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// boardBenchOpts are the knobs of `counsel bench-board`.
type boardBenchOpts struct {
	dbURL    string
	clients  int
	duration time.Duration
	search   bool
	profile  string
}

// boardTarget is one thing the load generator hits.
type boardTarget struct {
	name  string
	base  string
	paths []string
}

// boardResult is what one run measured.
type boardResult struct {
	ok, errs int64
	bytes    int64
	secs     float64
	p50, p99 time.Duration
	firstErr string
}

func (r boardResult) rate() float64 { return float64(r.ok) / r.secs }

// RunBoard measures the public village board (GET /v/{code}) through
// the full application (the same handler and middleware as `counsel serve`)
// against a hello-world handler, both on loopback listeners in this process,
// with an in-process load generator of keep-alive HTTP clients.
func RunBoard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("counsel bench-board", stderr)
	var o boardBenchOpts
	fs.StringVar(&o.dbURL, "db", "", "database URL (default: a new SQLite file in a temp dir); the demo is loaded when it has no users")
	fs.IntVar(&o.clients, "clients", 32, "concurrent keep-alive HTTP clients")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "length of each target's run")
	fs.BoolVar(&o.search, "search", true, "also measure the village search (/v?q=西关)")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the board run to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.clients < 1 || o.duration <= 0 {
		return fmt.Errorf("bench-board: -clients must be ≥ 1 and -duration > 0")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	u := o.dbURL
	if u == "" {
		dir, err := os.MkdirTemp("", "counsel-bench-board-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		u = "sqlite:" + filepath.Join(dir, "board.db")
	}
	db, err := store.OpenMigrated(ctx, u)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := registry.New(db, log, registry.DefaultConfig())
	counts, err := db.TableCounts(ctx)
	if err != nil {
		return err
	}
	if counts["users"] == 0 {
		fmt.Fprintln(stderr, "loading the demo (正宁县 and 镜湖区)…")
		if _, err := demo.Load(ctx, svc, demo.RandomPassword()); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
	}
	codes, err := boardVillages(ctx, db)
	if err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("bench-board: no demo villages in the database")
	}
	app, _, err := app.Handler(svc, log, false)
	if err != nil {
		return err
	}
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "hello, world\n")
	})
	helloBase, stopHello, err := boardListen(hello)
	if err != nil {
		return err
	}
	defer stopHello()
	appBase, stopApp, err := boardListen(app)
	if err != nil {
		return err
	}
	defer stopApp()

	boards := make([]string, len(codes))
	for i, c := range codes {
		boards[i] = "/v/" + c
	}
	// The board must be the real page, not an error page.
	if err := boardCheck(appBase + boards[0]); err != nil {
		return err
	}
	targets := []boardTarget{
		{"hello world (plain net/http handler)", helloBase, []string{"/"}},
		{fmt.Sprintf("GET /v/{code} — village board, full app (%d villages, both counties)", len(codes)), appBase, boards},
	}
	if o.search {
		targets = append(targets, boardTarget{"GET /v?q=西关 — village search, full app", appBase, []string{"/v?q=" + url.QueryEscape("西关")}})
	}
	// A short warm-up of every target (connections, caches, the runtime).
	warm := o
	warm.duration = time.Second
	for _, t := range targets {
		boardLoad(ctx, t, warm)
	}
	results := make([]boardResult, len(targets))
	for i, t := range targets {
		if i == 1 && o.profile != "" {
			f, err := os.Create(o.profile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return err
			}
			results[i] = boardLoad(ctx, t, o)
			pprof.StopCPUProfile()
			f.Close()
			continue
		}
		results[i] = boardLoad(ctx, t, o)
	}
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "## Public board under load (%d keep-alive clients, %s per target, loopback, in-process)\n\n", o.clients, o.duration)
	fmt.Fprintf(stdout, "machine: %s, %d CPUs (GOMAXPROCS %d), %s/%s, %s, database %s\n\n", host, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(), db.Engine)
	fmt.Fprintln(stdout, "| target | requests/s | p50 | p99 | errors | bytes/response | vs hello world |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|---|---|")
	for i, t := range targets {
		r := results[i]
		note := ""
		if r.firstErr != "" {
			note = " (first: " + r.firstErr + ")"
		}
		ratio := "—"
		if i > 0 && results[0].rate() > 0 {
			ratio = fmt.Sprintf("%.0f%%", 100*r.rate()/results[0].rate())
		}
		size := int64(0)
		if r.ok+r.errs > 0 {
			size = r.bytes / (r.ok + r.errs)
		}
		fmt.Fprintf(stdout, "| %s | %.0f | %s | %s | %d%s | %d | %s |\n", t.name, r.rate(), ms(r.p50), ms(r.p99), r.errs, note, size, ratio)
	}
	if results[0].rate() > 0 {
		ratio := results[1].rate() / results[0].rate()
		verdict := "meets"
		if ratio < 0.25 {
			verdict = "MISSES"
		}
		fmt.Fprintf(stdout, "\nboard/hello = %.2f — %s the goal of ≥ 0.25\n", ratio, verdict)
	}
	return nil
}

// boardVillages lists the demo villages of both counties, interleaved so a
// rotation visits both.
func boardVillages(ctx context.Context, db *store.DB) ([]string, error) {
	var per [][]string
	for _, c := range demo.Counties {
		rows, err := db.RawQuery(ctx, `SELECT code FROM regions WHERE code LIKE ? AND code NOT LIKE '%000' ORDER BY code`, c.Code[:6]+"%")
		if err != nil {
			return nil, err
		}
		var codes []string
		for rows.Next() {
			var code string
			if err := rows.Scan(&code); err != nil {
				rows.Close()
				return nil, err
			}
			codes = append(codes, code)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		per = append(per, codes)
	}
	var out []string
	for i := 0; ; i++ {
		added := false
		for _, codes := range per {
			if i < len(codes) {
				out = append(out, codes[i])
				added = true
			}
		}
		if !added {
			return out, nil
		}
	}
}

// boardListen serves h on a loopback port.
func boardListen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// boardCheck fetches one board and makes sure it is the page.
func boardCheck(u string) error {
	resp, err := http.Get(u)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || len(body) < 1000 {
		return fmt.Errorf("bench-board: %s answered %d with %d bytes", u, resp.StatusCode, len(body))
	}
	return nil
}

// boardLoad runs o.clients keep-alive clients against t for o.duration.
func boardLoad(ctx context.Context, t boardTarget, o boardBenchOpts) boardResult {
	tr := &http.Transport{MaxIdleConnsPerHost: o.clients * 2, MaxConnsPerHost: o.clients * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var okN, errN, bytesN atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, o.clients)
	start := time.Now()
	deadline := start.Add(o.duration)
	var wg sync.WaitGroup
	for ci := 0; ci < o.clients; ci++ {
		wg.Add(1)
		go func(ci int) {
			defer wg.Done()
			for i := ci; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				req, _ := http.NewRequestWithContext(ctx, "GET", t.base+t.paths[i%len(t.paths)], nil)
				req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					var n int64
					n, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					bytesN.Add(n)
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				if err != nil {
					errN.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				okN.Add(1)
				lat[ci] = append(lat[ci], time.Since(t0))
			}
		}(ci)
	}
	wg.Wait()
	r := boardResult{ok: okN.Load(), errs: errN.Load(), bytes: bytesN.Load(), secs: time.Since(start).Seconds()}
	if e, ok := firstErr.Load().(string); ok {
		r.firstErr = e
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)/2], all[(len(all)*99+99)/100-1]
	}
	return r
}
