// Package storetest opens test databases on every engine: a temporary SQLite
// file always, and PostgreSQL when COUNSEL_TEST_POSTGRES holds a URL (each test
// gets its own schema, dropped afterwards). An unreachable PostgreSQL is a
// test failure, not a skip.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for schema set-up

	"github.com/villagecounsel/counsel/store"
)

// PostgresURL returns the PostgreSQL URL tests run on, "" when not set.
func PostgresURL() string { return os.Getenv("COUNSEL_TEST_POSTGRES") }

// Engines runs fn as a subtest on every configured engine with a fresh,
// migrated database.
func Engines(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run(store.SQLite, func(t *testing.T) { fn(t, Open(t, store.SQLite)) })
	if PostgresURL() != "" {
		t.Run(store.Postgres, func(t *testing.T) { fn(t, Open(t, store.Postgres)) })
	}
}

// Open opens a fresh migrated database on one engine, closed at cleanup.
func Open(t testing.TB, engine string) *store.DB {
	t.Helper()
	ctx := context.Background()
	var dbURL string
	switch engine {
	case store.SQLite:
		dbURL = "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	case store.Postgres:
		dbURL = freshSchema(t)
	default:
		t.Fatalf("unknown engine %q", engine)
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", engine, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", engine, err)
	}
	return db
}

// freshSchema creates a uniquely named schema and returns a URL whose
// search_path points at it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	if base == "" {
		t.Fatal("COUNSEL_TEST_POSTGRES is not set")
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres at %s is unreachable or refuses to create a schema: %v", redact(base), err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err == nil {
			_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("COUNSEL_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
