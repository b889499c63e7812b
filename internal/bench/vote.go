package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/store"
)

// RunVote measures the public vote (POST /vote/{id}/cast) through the full
// application with verified voters, against a plain handler that makes one
// durable INSERT per request, in the same run on the same database. Every
// acknowledged vote (303) must be a ballot afterwards, and the chain must
// verify.
func RunVote(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("counsel bench-vote", stderr)
	clients := fs.Int("clients", 32, "concurrent voters (keep-alive HTTP clients)")
	duration := fs.Duration("duration", 10*time.Second, "length of each target's run")
	voters := fs.Int("voters", 600, "verified voters the clients rotate through (each votes once a day per candidate)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *clients < 1 || *duration <= 0 || *voters < *clients {
		return fmt.Errorf("bench-vote: -clients ≥ 1, -duration > 0, -voters ≥ -clients")
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dir, err := os.MkdirTemp("", "counsel-bench-vote-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.OpenMigrated(ctx, "sqlite:"+filepath.Join(dir, "vote.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	svc := registry.New(db, log, registry.DefaultConfig())
	fmt.Fprintln(stderr, "loading the demo and making the voters…")
	if _, err := demo.Load(ctx, svc, demo.RandomPassword()); err != nil {
		return fmt.Errorf("load demo: %w", err)
	}
	feats := app.NewFeatures(svc)
	a, err := app.New(svc, feats, log, false)
	if err != nil {
		return err
	}
	sel := feats.Selection.Svc
	cid, kids, err := voteCampaign(ctx, db, sel)
	if err != nil {
		return err
	}
	tokens := make([]string, *voters)
	for i := range tokens {
		phone := fmt.Sprintf("139%08d", i)
		now := sel.Now().UnixMilli()
		if err := db.WithTx(ctx, func(tx *store.Tx) error {
			return selection.IssueCode(ctx, tx, phone, "123456", "bench", now, now+600_000)
		}); err != nil {
			return err
		}
		if tokens[i], err = sel.VerifyCode(ctx, phone, "123456", "bench", fmt.Sprintf("dev%05d", i)); err != nil {
			return err
		}
	}
	if err := db.ExecRaw(ctx, `CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, v BIGINT NOT NULL, at BIGINT NOT NULL)`); err != nil {
		return err
	}
	var plainN atomic.Int64
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		v, _ := strconv.ParseInt(r.PostForm.Get("candidate_id"), 10, 64)
		if err := db.WithTx(r.Context(), func(tx *store.Tx) error {
			_, err := tx.Exec(r.Context(), `INSERT INTO bench_plain (v, at) VALUES (?, ?)`, v, time.Now().UnixMilli())
			return err
		}); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		plainN.Add(1)
		w.WriteHeader(http.StatusNoContent)
	})
	plainBase, stopPlain, err := boardListen(plain)
	if err != nil {
		return err
	}
	defer stopPlain()
	appBase, stopApp, err := boardListen(a.Handler)
	if err != nil {
		return err
	}
	defer stopApp()
	votePath := "/vote/" + strconv.FormatInt(cid, 10) + "/cast"
	// A vote per (voter, candidate): the clients walk through the pairs so
	// that no acknowledged vote is a repeat.
	var next atomic.Int64
	pairs := int64(len(tokens) * len(kids))
	pick := func() (string, int64, bool) {
		n := next.Add(1) - 1
		if n >= pairs {
			return "", 0, false
		}
		return tokens[n%int64(len(tokens))], kids[(n/int64(len(tokens)))%int64(len(kids))], true
	}
	plainRes := voteLoad(ctx, plainBase+"/plain", *clients, *duration, http.StatusNoContent, pick)
	next.Store(0)
	voteRes := voteLoad(ctx, appBase+votePath, *clients, *duration, http.StatusSeeOther, pick)

	ballots, err := db.Count(ctx, `SELECT COUNT(*) FROM sel_ballots WHERE campaign_id = ?`, cid)
	if err != nil {
		return err
	}
	rep, err := sel.VerifyStage(ctx, cid, selection.StageProvince)
	if err != nil {
		return err
	}
	host, _ := os.Hostname()
	fmt.Fprintf(stdout, "## Public vote under load (%d verified voters on %d clients, %s per target, loopback, in-process, SQLite)\n\n", *voters, *clients, *duration)
	fmt.Fprintf(stdout, "machine: %s, %d CPUs (GOMAXPROCS %d), %s/%s, %s; load average %s\n\n", host, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, runtime.Version(), loadavg())
	fmt.Fprintln(stdout, "| target | acknowledged/s | p50 | p99 | errors |")
	fmt.Fprintln(stdout, "|---|---|---|---|---|")
	for _, r := range []struct {
		name string
		res  boardResult
	}{{"plain handler: one durable INSERT per request", plainRes}, {"POST /vote/{id}/cast — full app (session, limits, hash chain)", voteRes}} {
		note := ""
		if r.res.firstErr != "" {
			note = " (first: " + r.res.firstErr + ")"
		}
		fmt.Fprintf(stdout, "| %s | %.0f | %s | %s | %d%s |\n", r.name, r.res.rate(), ms(r.res.p50), ms(r.res.p99), r.res.errs, note)
	}
	fmt.Fprintf(stdout, "\nacknowledged votes %d, ballots stored %d, chain check: %d problems; plain rows acknowledged %d\n", voteRes.ok, ballots, len(rep.Problems), plainN.Load())
	if int64(ballots) != voteRes.ok {
		return fmt.Errorf("bench-vote: %d votes acknowledged but %d ballots stored", voteRes.ok, ballots)
	}
	goal := "meets"
	if voteRes.rate() < 1000 || voteRes.p99 > 100*time.Millisecond {
		goal = "MISSES"
	}
	fmt.Fprintf(stdout, "vote: %s the goal of ≥ 1,000 votes/s with p99 ≤ 100 ms\n", goal)
	return nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// voteCampaign makes a campaign of the first demo county's city whose
// province round's vote is open today, with every advisor of the county as
// a candidate and no per-category limit in the way.
func voteCampaign(ctx context.Context, db *store.DB, sel *selection.Service) (int64, []int64, error) {
	county := demo.Counties[0].Code
	city := county[:4] + "00000000"
	c, err := sel.CreateCampaign(ctx, counsel.System, selection.CampaignInput{RegionCode: city, Year: sel.Now().Year(), Title: "bench"})
	if err != nil {
		return 0, nil, err
	}
	today := sel.Now().In(calendar.Shanghai)
	d := func(n int) string { return today.AddDate(0, 0, n).Format(counsel.DateLayout) }
	set := c.Settings
	set.Stages[0].Opens, set.Stages[0].Closes = d(-60), d(-40)
	set.Stages[1].Opens, set.Stages[1].Closes = d(-30), d(-20)
	set.Stages[2].Opens, set.Stages[2].Closes = d(-1), d(1)
	set.Vote.MaxPerCategoryPerDay = 1000
	if _, err := sel.SaveSettings(ctx, counsel.System, c.ID, set); err != nil {
		return 0, nil, err
	}
	advs, _, err := registry.Advisors(ctx, db, counsel.Filter{Scope: county, Page: counsel.Page{Limit: 500}})
	if err != nil {
		return 0, nil, err
	}
	var kids []int64
	for _, adv := range advs {
		k, err := sel.AddCandidate(ctx, counsel.System, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: adv.ID, Category: "all"})
		if err != nil {
			return 0, nil, err
		}
		kids = append(kids, k.ID)
	}
	if len(kids) == 0 {
		return 0, nil, fmt.Errorf("bench-vote: no advisors in the demo county")
	}
	return c.ID, kids, nil
}

// voteLoad posts votes (voter cookie + candidate) from clients keep-alive
// clients for d; a request counts when it answers want.
func voteLoad(ctx context.Context, u string, clients int, d time.Duration, want int, pick func() (string, int64, bool)) boardResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients * 2, MaxConnsPerHost: clients * 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var okN, errN atomic.Int64
	var firstErr atomic.Value
	lat := make([][]time.Duration, clients)
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for ci := 0; ci < clients; ci++ {
		wg.Add(1)
		go func(ci int) {
			defer wg.Done()
			for time.Now().Before(deadline) && ctx.Err() == nil {
				tok, kid, ok := pick()
				if !ok {
					return
				}
				body := url.Values{"candidate_id": {strconv.FormatInt(kid, 10)}}.Encode()
				req, _ := http.NewRequestWithContext(ctx, "POST", u, strings.NewReader(body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.AddCookie(&http.Cookie{Name: selection.VoterCookie, Value: tok})
				t0 := time.Now()
				resp, err := hc.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != want {
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
	r := boardResult{ok: okN.Load(), errs: errN.Load(), secs: time.Since(start).Seconds()}
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
