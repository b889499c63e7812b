// Package store holds all SQL of Village Counsel, written once in the portable
// subset of SQLite and PostgreSQL. Engine differences live in the dialect value.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/villagecounsel/counsel"
)

//go:embed migrations
var migrations embed.FS

// Engine names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn carries the queries; Store (reads) and Tx (reads and writes) embed it.
type conn struct {
	q      querier
	engine string
	stmts  *stmtCache // prepared statements, reused by query text
}

// stmtCache keeps prepared statements by query text, so a query is parsed
// once per connection pool or transaction instead of once per call.
type stmtCache struct {
	mu   sync.Mutex
	prep func(ctx context.Context, query string) (*sql.Stmt, error)
	m    map[string]*sql.Stmt
	own  bool // close the statements in close (not a transaction's views)

	wanted []string // see txStmtCache
}

// maxStmts bounds the cache; beyond it queries run unprepared.
const maxStmts = 512

func newStmtCache(p interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}) *stmtCache {
	return &stmtCache{prep: p.PrepareContext, m: map[string]*sql.Stmt{}, own: true}
}

// txStmtCache serves a transaction on the SQLite writer: statements are
// prepared once on the writer connection (in parent) and every transaction
// takes a view of them (sql.Tx.StmtContext reuses the connection's prepared
// statement). A statement the parent lacks is prepared for this transaction
// only and noted, and the parent prepares it before the next transaction
// (preparing during one would wait for the connection the transaction holds).
func txStmtCache(parent *stmtCache, tx *sql.Tx) *stmtCache {
	return &stmtCache{m: map[string]*sql.Stmt{}, prep: func(ctx context.Context, q string) (*sql.Stmt, error) {
		parent.mu.Lock()
		st, ok := parent.m[q]
		if !ok && len(parent.m)+len(parent.wanted) < maxStmts {
			parent.wanted = append(parent.wanted, q)
		}
		parent.mu.Unlock()
		if !ok {
			return tx.PrepareContext(ctx, q)
		}
		return tx.StmtContext(ctx, st), nil
	}}
}

// prepareWanted prepares the statements transactions asked for; it runs
// between transactions. It holds no lock while preparing: preparing waits
// for the writer connection, and a transaction holding that connection may
// need the cache's lock meanwhile (see txStmtCache).
func (c *stmtCache) prepareWanted(ctx context.Context) {
	c.mu.Lock()
	qs := c.wanted
	c.wanted = nil
	c.mu.Unlock()
	for _, q := range qs {
		c.mu.Lock()
		_, have := c.m[q]
		full := len(c.m) >= maxStmts
		c.mu.Unlock()
		if have || full {
			continue
		}
		st, err := c.prep(ctx, q)
		if err != nil {
			continue // the statement runs unprepared, which reports the error
		}
		c.mu.Lock()
		if _, have := c.m[q]; have {
			st.Close()
		} else {
			c.m[q] = st
		}
		c.mu.Unlock()
	}
}

// get returns the prepared statement for q, or nil to run q unprepared.
func (c *stmtCache) get(ctx context.Context, q string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[q]; ok {
		return st
	}
	if len(c.m) >= maxStmts {
		return nil
	}
	st, err := c.prep(ctx, q)
	if err != nil {
		return nil // the unprepared call reports the error
	}
	c.m[q] = st
	return st
}

func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.own {
		for _, st := range c.m {
			st.Close()
		}
	}
	c.m = map[string]*sql.Stmt{}
}

// DB is the database: a read pool and, on SQLite, a single writer connection
// whose transactions start IMMEDIATE so writers queue instead of failing.
type DB struct {
	conn
	read   *sql.DB
	write  *sql.DB
	Engine string
	URL    string

	group groupState // group commit (see Group)

	wstmts *stmtCache // SQLite: statements prepared on the writer connection
	ckpt   *checkpointer
	wal    *walSyncer // SQLite: makes commits durable (see walSyncer)
}

// Tx is a write transaction.
type Tx struct {
	conn
	tx    *sql.Tx
	parts []part // features' changes written at commit (see Part, Flush)

	after []func() // run after a successful commit (see AfterCommit)
}

// OpenMigrated opens a database from a URL and applies the migrations.
func OpenMigrated(ctx context.Context, dbURL string) (*DB, error) {
	db, err := Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Open opens a database from a URL: "sqlite:PATH" (or a bare path) or
// "postgres://…". It does not migrate; call Migrate.
func Open(ctx context.Context, dbURL string) (*DB, error) {
	if strings.HasPrefix(dbURL, "postgres://") || strings.HasPrefix(dbURL, "postgresql://") {
		pool, err := sql.Open("pgx", dbURL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		pool.SetMaxOpenConns(20)
		pool.SetMaxIdleConns(20)
		pool.SetConnMaxIdleTime(5 * time.Minute)
		if err := pool.PingContext(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect postgres: %w", err)
		}
		return &DB{conn: conn{q: pool, engine: Postgres}, read: pool, write: pool, Engine: Postgres, URL: dbURL}, nil
	}
	path := strings.TrimPrefix(dbURL, "sqlite:")
	path = strings.TrimPrefix(path, "//")
	if path == "" {
		return nil, errors.New("empty sqlite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data dir: %w", err)
		}
	}
	pragmas := "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	// The writer checkpoints only when the WAL passes 64 MB (a backstop);
	// the checkpointer below copies committed pages to the database file
	// on its own connection, off the writer's path. The writer does not
	// sync the WAL at commit (synchronous=NORMAL): walSyncer does, after
	// COMMIT and before the commit is acknowledged, so the next
	// transaction need not wait for the disk. Statement journals stay in
	// memory (temp_store) instead of temp files opened per statement.
	write, err := sql.Open("sqlite", u+"&_pragma=synchronous(NORMAL)&_pragma=temp_store(MEMORY)&_txlock=immediate&_pragma=wal_autocheckpoint(16384)")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// walSyncer's durability rests on WAL mode: SQLite falls back to a
	// rollback journal where it cannot share memory between connections.
	var mode string
	if err := write.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		write.Close()
		return nil, fmt.Errorf("open sqlite %s: journal mode %q, need wal (%v)", path, mode, err)
	}
	read, err := sql.Open("sqlite", u+"&_pragma=synchronous(FULL)&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{conn: conn{q: read, engine: SQLite, stmts: newStmtCache(read)}, read: read, write: write, Engine: SQLite, URL: dbURL,
		wstmts: newStmtCache(write), wal: newWALSyncer(path)}
	if db.ckpt, err = startCheckpointer(u + "&_pragma=synchronous(FULL)"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the pools.
func (db *DB) Close() error {
	db.stopGroup()
	db.stmts.close()
	db.wstmts.close()
	db.ckpt.stop()
	db.wal.close()
	err := db.read.Close()
	if db.write != db.read {
		if e := db.write.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.wal.failed(); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// WaitDurable returns once every commit made so far is on disk (at once on
// PostgreSQL, whose commits are durable when they return): for pages that
// print or export what may have been committed a moment ago.
func (db *DB) WaitDurable() error { return db.wal.waitAll() }

// WithTx runs fn in a write transaction, committing when fn returns nil.
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	t, after, err := db.runTx(ctx, fn)
	if err != nil {
		return err
	}
	if err := db.wal.wait(t); err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	return nil
}

// runTx runs fn in a write transaction and commits it. On SQLite the commit
// is durable once db.wal.wait(ticket) returns; the after-commit functions
// are left to the caller to run then.
func (db *DB) runTx(ctx context.Context, fn func(tx *Tx) error) (ticket uint64, after []func(), err error) {
	if err := db.wal.failed(); err != nil {
		return 0, nil, err
	}
	if db.wstmts != nil {
		db.wstmts.prepareWanted(ctx)
	}
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, nil, mapErr(fmt.Errorf("begin: %w", err))
	}
	tx := &Tx{conn: conn{q: sqlTx, engine: db.Engine}, tx: sqlTx}
	if db.Engine == SQLite {
		// pgx caches prepared statements per connection itself; the pure-Go
		// SQLite driver parses every call, so reuse the writer's statements.
		tx.stmts = txStmtCache(db.wstmts, sqlTx)
	}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return 0, nil, err
	}
	if err := tx.Flush(ctx); err != nil {
		_ = sqlTx.Rollback()
		return 0, nil, err
	}
	if err := sqlTx.Commit(); err != nil {
		return 0, nil, mapErr(fmt.Errorf("commit: %w", err))
	}
	db.ckpt.committed()
	return db.wal.commit(), tx.after, nil
}

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries never hold a
// literal question mark.
func (c *conn) rebind(q string) string {
	if c.engine != Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

func (c *conn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = c.rebind(q)
	if st := c.stmts.get(ctx, q); st != nil {
		r, err := st.ExecContext(ctx, args...)
		return r, mapErr(err)
	}
	r, err := c.q.ExecContext(ctx, q, args...)
	return r, mapErr(err)
}

func (c *conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = c.rebind(q)
	if st := c.stmts.get(ctx, q); st != nil {
		r, err := st.QueryContext(ctx, args...)
		return r, mapErr(err)
	}
	r, err := c.q.QueryContext(ctx, q, args...)
	return r, mapErr(err)
}

func (c *conn) row(ctx context.Context, q string, args ...any) *sql.Row {
	q = c.rebind(q)
	if st := c.stmts.get(ctx, q); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, q, args...)
}

// insert runs an INSERT … RETURNING id and returns the id.
func (c *conn) insert(ctx context.Context, q string, args ...any) (int64, error) {
	var id int64
	if err := c.row(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
		return 0, mapErr(err)
	}
	return id, nil
}

// count runs a SELECT COUNT(*)-style query returning one integer.
func (c *conn) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := c.row(ctx, q, args...).Scan(&n); err != nil {
		return 0, mapErr(err)
	}
	return n, nil
}

// mapErr maps driver errors to domain errors by code, never by message text.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &counsel.Error{Code: counsel.CodeNotFound, Key: "err.not_found", Err: err}
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &counsel.Error{Code: counsel.CodeConflict, Key: "err.duplicate", Err: err}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return &counsel.Error{Code: counsel.CodeInvalid, Key: "err.reference", Err: err}
		}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return &counsel.Error{Code: counsel.CodeConflict, Key: "err.duplicate", Err: err}
		case "23503":
			return &counsel.Error{Code: counsel.CodeInvalid, Key: "err.reference", Err: err}
		}
	}
	return err
}

// Transient reports whether err is a PostgreSQL deadlock or serialization
// failure: the transaction was rolled back and may simply be run again.
func Transient(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// Migrate applies the numbered migrations of the engine that are not applied yet.
func (db *DB) Migrate(ctx context.Context) error {
	if err := db.ExecRaw(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	dir := "migrations/" + db.Engine
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: bad number", name)
		}
		var n int
		if err := db.write.QueryRowContext(ctx, db.rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		err = db.WithTx(ctx, func(tx *Tx) error {
			for _, stmt := range splitSQL(string(body)) {
				if _, err := tx.tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migration %s: %w", name, err)
				}
			}
			if step := goMigrations[v]; step != nil {
				if err := step(ctx, tx); err != nil {
					return fmt.Errorf("migration %s: %w", name, err)
				}
			}
			_, err := tx.exec(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, v, time.Now().UnixMilli())
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// goMigrations are steps in Go that run in a migration's transaction after
// its SQL: data changes SQL alone cannot make on both engines.
var goMigrations = map[int]func(context.Context, *Tx) error{
	9: sealReviews,
}

// splitSQL splits a migration into statements on semicolons at line ends and
// drops comment lines.
func splitSQL(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// now returns the current time in unix milliseconds.
func now() int64 { return time.Now().UnixMilli() }

// like escapes a user's search text for a LIKE pattern with ESCAPE '\'.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.TrimSpace(s)) + "%"
}

// Checkpoint folds SQLite's write-ahead log into the database file (a no-op
// on PostgreSQL), so that a copy of the file is complete.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.Engine != SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// ExecRaw runs one statement outside the service rules: for maintenance
// commands and for tests that tamper with rows on purpose.
func (db *DB) ExecRaw(ctx context.Context, q string, args ...any) error {
	if err := db.wal.failed(); err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, db.rebind(q), args...); err != nil {
		return mapErr(err)
	}
	return db.wal.wait(db.wal.commit())
}

// RawQuery runs one read query outside the service rules (benchmarks and
// maintenance); the caller closes the rows.
func (db *DB) RawQuery(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	rows, err := db.read.QueryContext(ctx, db.rebind(q), args...)
	return rows, mapErr(err)
}
