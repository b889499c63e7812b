package store

import "context"

// TableCounts returns the row count of every table but the migration
// bookkeeping and sessions (which a page view may touch), for tests and
// /healthz details. New tables are counted without being listed here.
func (c *conn) TableCounts(ctx context.Context) (map[string]int, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if c.engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := c.query(ctx, q)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		if t != "schema_migrations" && t != "sessions" {
			tables = append(tables, t)
		}
	}
	rows.Close()
	out := map[string]int{}
	for _, t := range tables {
		n, err := c.count(ctx, `SELECT COUNT(*) FROM `+t)
		if err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}
