package store

import (
	"context"
	"encoding/json"

	"github.com/villagecounsel/counsel"
)

const userCols = `id, username, display_name, role, region_code, provider_id, advisor_id, phone, disabled, lang, created_at`

func scanUser(sc interface{ Scan(...any) error }) (*counsel.User, error) {
	var u counsel.User
	err := sc.Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode, &u.ProviderID, &u.AdvisorID, &u.Phone, &u.Disabled, &u.Lang, &u.CreatedAt)
	return &u, mapErr(err)
}

// CreateUser inserts an account with its password hash.
func (tx *Tx) CreateUser(ctx context.Context, u *counsel.User, hash string) error {
	u.CreatedAt = now()
	id, err := tx.insert(ctx, `INSERT INTO users (username, display_name, password_hash, role, region_code, provider_id, advisor_id, phone, disabled, lang, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Username, u.DisplayName, hash, u.Role, u.RegionCode, u.ProviderID, u.AdvisorID, u.Phone, u.Disabled, u.Lang, u.CreatedAt)
	u.ID = id
	return err
}

// UpdateUser saves an account's profile fields (not the password).
func (tx *Tx) UpdateUser(ctx context.Context, u *counsel.User) error {
	res, err := tx.exec(ctx, `UPDATE users SET display_name = ?, role = ?, region_code = ?, provider_id = ?, advisor_id = ?, phone = ?, disabled = ?, lang = ? WHERE id = ?`,
		u.DisplayName, u.Role, u.RegionCode, u.ProviderID, u.AdvisorID, u.Phone, u.Disabled, u.Lang, u.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// SetPassword replaces an account's password hash and unlocks it.
func (tx *Tx) SetPassword(ctx context.Context, id int64, hash string) error {
	_, err := tx.exec(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?`, hash, id)
	return err
}

// User returns one account.
func (c *conn) User(ctx context.Context, id int64) (*counsel.User, error) {
	return scanUser(c.row(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// Credentials are what a login check needs.
type Credentials struct {
	User         *counsel.User
	Hash         string
	FailedLogins int
	LockedUntil  int64
}

// CredentialsOf returns an account by username with its hash and lock state.
func (c *conn) CredentialsOf(ctx context.Context, username string) (*Credentials, error) {
	var cr Credentials
	var u counsel.User
	err := c.row(ctx, `SELECT `+userCols+`, password_hash, failed_logins, locked_until FROM users WHERE username = ?`, username).Scan(
		&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode, &u.ProviderID, &u.AdvisorID, &u.Phone, &u.Disabled, &u.Lang, &u.CreatedAt,
		&cr.Hash, &cr.FailedLogins, &cr.LockedUntil)
	if err != nil {
		return nil, mapErr(err)
	}
	cr.User = &u
	return &cr, nil
}

// RecordLogin stores the outcome of a login attempt: failures and lock time.
func (tx *Tx) RecordLogin(ctx context.Context, id int64, failed int, lockedUntil int64) error {
	_, err := tx.exec(ctx, `UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?`, failed, lockedUntil, id)
	return err
}

// Users lists accounts in a scope (by their region, or their provider's or
// advisor's county) and the total.
func (c *conn) Users(ctx context.Context, f Filter) ([]counsel.User, int, error) {
	var w where
	if f.Scope != "" {
		lo, hi := counsel.CodeRange(f.Scope)
		w.add(`(region_code BETWEEN ? AND ?
			OR provider_id IN (SELECT id FROM providers WHERE county_code BETWEEN ? AND ?)
			OR advisor_id IN (SELECT a.id FROM advisors a JOIN providers p ON p.id = a.provider_id WHERE p.county_code BETWEEN ? AND ?))`, lo, hi, lo, hi, lo, hi)
	}
	if f.Kind != "" {
		w.add("role = ?", f.Kind)
	}
	if f.Q != "" {
		w.add(`(username LIKE ? ESCAPE '\' OR display_name LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q))
	}
	total, err := c.count(ctx, `SELECT COUNT(*) FROM users`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT `+userCols+` FROM users`+w.String()+` ORDER BY role, username LIMIT ? OFFSET ?`, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *u)
	}
	return out, total, mapErr(rows.Err())
}

// Session is a signed-in browser session.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt int64
	SeenAt    int64
}

// CreateSession stores a session.
func (tx *Tx) CreateSession(ctx context.Context, s *Session) error {
	_, err := tx.exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, s.CSRF, s.CreatedAt, s.SeenAt)
	return err
}

// SessionByHash returns a session by its token hash.
func (c *conn) SessionByHash(ctx context.Context, hash string) (*Session, error) {
	var s Session
	err := c.row(ctx, `SELECT token_hash, user_id, csrf, created_at, seen_at FROM sessions WHERE token_hash = ?`, hash).Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.CreatedAt, &s.SeenAt)
	if err != nil {
		return nil, mapErr(err)
	}
	return &s, nil
}

// TouchSession records activity on a session.
func (tx *Tx) TouchSession(ctx context.Context, hash string, at int64) error {
	_, err := tx.exec(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, at, hash)
	return err
}

// DeleteSession ends a session.
func (tx *Tx) DeleteSession(ctx context.Context, hash string) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return err
}

// DeleteUserSessions ends every session of an account.
func (tx *Tx) DeleteUserSessions(ctx context.Context, userID int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// DeleteExpiredSessions removes sessions idle since idleBefore or created before createdBefore.
func (tx *Tx) DeleteExpiredSessions(ctx context.Context, idleBefore, createdBefore int64) error {
	_, err := tx.exec(ctx, `DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`, idleBefore, createdBefore)
	return err
}

// CreateAPIToken stores an API token hash for a user.
func (tx *Tx) CreateAPIToken(ctx context.Context, userID int64, name, hash string) (int64, error) {
	return tx.insert(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at) VALUES (?, ?, ?, ?)`, hash, userID, name, now())
}

// UserByToken returns the user owning an API token hash.
func (c *conn) UserByToken(ctx context.Context, hash string) (*counsel.User, error) {
	return scanUser(c.row(ctx, `SELECT `+prefixed("u.", userCols)+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`, hash))
}

func prefixed(p, cols string) string {
	out := ""
	for i, c := range splitCols(cols) {
		if i > 0 {
			out += ", "
		}
		out += p + c
	}
	return out
}

func splitCols(cols string) []string {
	var out []string
	cur := ""
	for _, r := range cols {
		switch r {
		case ',':
			out = append(out, cur)
			cur = ""
		case ' ', '\n', '\t':
		default:
			cur += string(r)
		}
	}
	return append(out, cur)
}

// AppendAudit writes an audit entry.
func (tx *Tx) AppendAudit(ctx context.Context, e *counsel.AuditEntry) error {
	e.At = now()
	id, err := tx.insert(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At, e.UserID, e.Username, e.Action, e.Entity, e.EntityID, e.IP, e.Before, e.After, e.Scope)
	e.ID = id
	return err
}

// Audit lists audit entries in a scope (entries with an empty scope, such as
// logins, are included only for an unscoped reader), newest first.
func (c *conn) Audit(ctx context.Context, f Filter) ([]counsel.AuditEntry, int, error) {
	var w where
	w.inRange("scope", f.Scope)
	if f.Kind != "" {
		w.add("entity = ?", f.Kind)
	}
	if f.Status != "" {
		w.add("action = ?", f.Status)
	}
	if f.Q != "" {
		w.add(`(username LIKE ? ESCAPE '\' OR entity_id = ?)`, like(f.Q), f.Q)
	}
	total, err := c.count(ctx, `SELECT COUNT(*) FROM audit_log`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT id, at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope FROM audit_log`+w.String()+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.AuditEntry
	for rows.Next() {
		var e counsel.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID, &e.IP, &e.Before, &e.After, &e.Scope); err != nil {
			return nil, 0, mapErr(err)
		}
		out = append(out, e)
	}
	return out, total, mapErr(rows.Err())
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
