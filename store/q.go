package store

import (
	"context"
	"database/sql"
)

// Q is what a feature's SQL runs on: the read pool (*DB) or a write
// transaction (*Tx). Queries use ? placeholders (rebound for PostgreSQL) and
// errors come back mapped to domain errors (see MapErr).
type Q interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	Row(ctx context.Context, q string, args ...any) *sql.Row
	Insert(ctx context.Context, q string, args ...any) (int64, error)
	Count(ctx context.Context, q string, args ...any) (int, error)
}

var (
	_ Q = (*DB)(nil)
	_ Q = (*Tx)(nil)
)

// Exec runs a statement.
func (c *conn) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.exec(ctx, q, args...)
}

// Query runs a query; the caller closes the rows.
func (c *conn) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.query(ctx, q, args...)
}

// Row runs a query returning at most one row; pass Scan's error to MapErr.
func (c *conn) Row(ctx context.Context, q string, args ...any) *sql.Row {
	return c.row(ctx, q, args...)
}

// Insert runs an INSERT … and returns the new row's id (RETURNING id).
func (c *conn) Insert(ctx context.Context, q string, args ...any) (int64, error) {
	return c.insert(ctx, q, args...)
}

// Count runs a query returning one integer.
func (c *conn) Count(ctx context.Context, q string, args ...any) (int, error) {
	return c.count(ctx, q, args...)
}

// MapErr maps a driver error to a domain error by code (no rows → not found,
// unique → conflict, foreign key → invalid).
func MapErr(err error) error { return mapErr(err) }

// Like escapes a user's search text for LIKE … ESCAPE '\'.
func Like(s string) string { return like(s) }

// Now is the current time in unix milliseconds, as timestamps are stored.
func Now() int64 { return now() }

// Where builds a WHERE clause from conditions joined by AND.
type Where struct{ w where }

// Add appends a condition with its arguments.
func (w *Where) Add(cond string, args ...any) { w.w.add(cond, args...) }

// InRange restricts col to the subtree of the region scope.
func (w *Where) InRange(col, scope string) { w.w.inRange(col, scope) }

// Args returns the arguments in order.
func (w *Where) Args() []any { return w.w.args }

// String returns " WHERE …" or "".
func (w *Where) String() string { return w.w.String() }

// ServedBy returns a condition that the village in column col is served by a
// live agreement of the advisor (advisorID > 0) or the provider, including a
// town-wide packaged agreement (R7).
func ServedBy(col string, providerID, advisorID int64) (string, []any) {
	return servedBy(col, providerID, advisorID)
}

// MustAffect turns an UPDATE or DELETE that touched no row into not found.
func MustAffect(res sql.Result) error { return mustAffect(res) }
