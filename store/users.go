package store

import (
	"context"
	"encoding/json"

	"github.com/villagecounsel/counsel"
)

// AppendAudit writes an audit entry.
func (tx *Tx) AppendAudit(ctx context.Context, e *counsel.AuditEntry) error {
	e.At = now()
	id, err := tx.insert(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At, e.UserID, e.Username, e.Action, e.Entity, e.EntityID, e.IP, e.Before, e.After, e.Scope)
	e.ID = id
	return err
}

// Settings returns the settings in force for a region: the nearest ancestor's
// (or its own) stored settings, else the defaults.
func (c *conn) Settings(ctx context.Context, code string) (counsel.Settings, error) {
	s := counsel.DefaultSettings()
	for lv := counsel.LevelOf(code); lv >= counsel.LevelProvince; lv-- {
		var body string
		err := c.row(ctx, `SELECT body FROM settings WHERE region_code = ?`, counsel.AncestorAt(code, lv)).Scan(&body)
		if err == nil {
			return s, json.Unmarshal([]byte(body), &s)
		}
		if counsel.ErrorCode(mapErr(err)) != counsel.CodeNotFound {
			return s, mapErr(err)
		}
	}
	return s, nil
}

// SaveSettings stores a region's settings.
func (tx *Tx) SaveSettings(ctx context.Context, code string, s counsel.Settings) error {
	body, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO settings (region_code, body, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, code, string(body), now())
	return err
}

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
