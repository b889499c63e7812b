package account

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The accounts' SQL: users, sessions and api_tokens. Nothing else writes
// these tables.

const userCols = `id, username, display_name, role, region_code, provider_id, advisor_id, phone, disabled, lang, created_at`

// userColsU is userCols qualified with the users table's alias u.
const userColsU = `u.id, u.username, u.display_name, u.role, u.region_code, u.provider_id, u.advisor_id, u.phone, u.disabled, u.lang, u.created_at`

func scanUser(sc interface{ Scan(...any) error }) (*counsel.User, error) {
	var u counsel.User
	err := sc.Scan(userDest(&u)...)
	return &u, store.MapErr(err)
}

// userDest are the scan destinations of userCols.
func userDest(u *counsel.User) []any {
	return []any{&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.RegionCode, &u.ProviderID, &u.AdvisorID, &u.Phone, &u.Disabled, &u.Lang, &u.CreatedAt}
}

// InsertUser inserts an account with its password hash (no rules: the
// service's CreateUser checks them; tests and fixtures call this directly).
func InsertUser(ctx context.Context, tx *store.Tx, u *counsel.User, hash string) error {
	u.CreatedAt = store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO users (username, display_name, password_hash, role, region_code, provider_id, advisor_id, phone, disabled, lang, created_at, password_changed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Username, u.DisplayName, hash, u.Role, u.RegionCode, u.ProviderID, u.AdvisorID, u.Phone, u.Disabled, u.Lang, u.CreatedAt, u.CreatedAt)
	u.ID = id
	return err
}

// updateUser saves an account's profile fields (not the password).
func updateUser(ctx context.Context, tx *store.Tx, u *counsel.User) error {
	res, err := tx.Exec(ctx, `UPDATE users SET display_name = ?, role = ?, region_code = ?, provider_id = ?, advisor_id = ?, phone = ?, disabled = ?, lang = ? WHERE id = ?`,
		u.DisplayName, u.Role, u.RegionCode, u.ProviderID, u.AdvisorID, u.Phone, u.Disabled, u.Lang, u.ID)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return store.MapErr(err)
	}
	if n == 0 {
		return counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return nil
}

// setPassword replaces an account's password hash, unlocks it and records
// when (at, unix ms; 0 = must change at the next sign-in, after a reset by
// someone else).
func setPassword(ctx context.Context, tx *store.Tx, id int64, hash string, at int64) error {
	_, err := tx.Exec(ctx, `UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0, password_changed_at = ? WHERE id = ?`, hash, at, id)
	return err
}

// userByID returns one account.
func userByID(ctx context.Context, q store.Q, id int64) (*counsel.User, error) {
	return scanUser(q.Row(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
}

// CredentialsOf returns an account by username with its hash and lock state.
func CredentialsOf(ctx context.Context, q store.Q, username string) (*Credentials, error) {
	var cr Credentials
	var u counsel.User
	err := q.Row(ctx, `SELECT `+userCols+`, password_hash, failed_logins, locked_until, password_changed_at FROM users WHERE username = ?`, username).Scan(
		append(userDest(&u), &cr.Hash, &cr.FailedLogins, &cr.LockedUntil, &cr.PasswordChangedAt)...)
	if err != nil {
		return nil, store.MapErr(err)
	}
	cr.User = &u
	return &cr, nil
}

// listUsers lists accounts in a scope (by their region, or their provider's
// or advisor's county) and the total.
func listUsers(ctx context.Context, q store.Q, f counsel.Filter) ([]counsel.User, int, error) {
	var w store.Where
	if f.Scope != "" {
		lo, hi := counsel.CodeRange(f.Scope)
		w.Add(`(region_code BETWEEN ? AND ?
			OR provider_id IN (SELECT id FROM providers WHERE county_code BETWEEN ? AND ?)
			OR advisor_id IN (SELECT a.id FROM advisors a JOIN providers p ON p.id = a.provider_id WHERE p.county_code BETWEEN ? AND ?))`, lo, hi, lo, hi, lo, hi)
	}
	if f.Kind != "" {
		w.Add("role = ?", f.Kind)
	}
	if f.Q != "" {
		w.Add(`(username LIKE ? ESCAPE '\' OR display_name LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q))
	}
	total, err := q.Count(ctx, `SELECT COUNT(*) FROM users`+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := q.Query(ctx, `SELECT `+userCols+` FROM users`+w.String()+` ORDER BY role, username LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
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
	return out, total, store.MapErr(rows.Err())
}

// InsertSession stores a session.
func InsertSession(ctx context.Context, tx *store.Tx, s *Session) error {
	_, err := tx.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at) VALUES (?, ?, ?, ?, ?)`, s.TokenHash, s.UserID, s.CSRF, s.CreatedAt, s.SeenAt)
	return err
}

// sessionByHash returns a session by its token hash.
func sessionByHash(ctx context.Context, q store.Q, hash string) (*Session, error) {
	var s Session
	err := q.Row(ctx, `SELECT token_hash, user_id, csrf, created_at, seen_at FROM sessions WHERE token_hash = ?`, hash).Scan(&s.TokenHash, &s.UserID, &s.CSRF, &s.CreatedAt, &s.SeenAt)
	if err != nil {
		return nil, store.MapErr(err)
	}
	return &s, nil
}

// touchSession records activity on a session.
func touchSession(ctx context.Context, tx *store.Tx, hash string, at int64) error {
	_, err := tx.Exec(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, at, hash)
	return err
}

// deleteSession ends a session.
func deleteSession(ctx context.Context, tx *store.Tx, hash string) error {
	_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hash)
	return err
}

// deleteUserSessions ends every session of an account.
func deleteUserSessions(ctx context.Context, tx *store.Tx, userID int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
	return err
}

// deleteExpiredSessions removes sessions idle since idleBefore or created before createdBefore.
func deleteExpiredSessions(ctx context.Context, tx *store.Tx, idleBefore, createdBefore int64) error {
	_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`, idleBefore, createdBefore)
	return err
}

// insertAPIToken stores an API token hash for a user.
func insertAPIToken(ctx context.Context, tx *store.Tx, userID int64, name, hash string, at, expires int64) (int64, error) {
	return tx.Insert(ctx, `INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`, hash, userID, name, at, expires)
}

// userByToken returns the user owning a live API token hash (not revoked,
// not expired at now) and the token's id and last use.
func userByToken(ctx context.Context, q store.Q, hash string, now int64) (*counsel.User, int64, int64, error) {
	var id, lastUsed int64
	u := &counsel.User{}
	err := q.Row(ctx, `SELECT t.id, t.last_used_at, `+userColsU+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at = 0 AND t.expires_at > ?`, hash, now).
		Scan(append([]any{&id, &lastUsed}, userDest(u)...)...)
	if err != nil {
		return nil, 0, 0, store.MapErr(err)
	}
	return u, id, lastUsed, nil
}

// touchAPIToken records a token's use.
func touchAPIToken(ctx context.Context, tx *store.Tx, id, at int64) error {
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE id = ?`, at, id)
	return err
}

// apiTokensOf lists an account's tokens, newest first.
func apiTokensOf(ctx context.Context, q store.Q, userID, now int64) ([]APIToken, error) {
	rows, err := q.Query(ctx, `SELECT id, name, created_at, expires_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = ? ORDER BY id DESC LIMIT 200`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		t.Active = t.RevokedAt == 0 && t.ExpiresAt > now
		out = append(out, t)
	}
	return out, rows.Err()
}

// apiTokenOwner returns the account a token belongs to and whether it is revoked.
func apiTokenOwner(ctx context.Context, q store.Q, id int64) (userID int64, name string, revoked bool, err error) {
	var at int64
	err = q.Row(ctx, `SELECT user_id, name, revoked_at FROM api_tokens WHERE id = ?`, id).Scan(&userID, &name, &at)
	return userID, name, at != 0, store.MapErr(err)
}

// revokeAPIToken revokes one token.
func revokeAPIToken(ctx context.Context, tx *store.Tx, id, at int64) error {
	_, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0`, at, id)
	return err
}

// revokeUserAPITokens revokes every live token of an account and returns how many.
func revokeUserAPITokens(ctx context.Context, tx *store.Tx, userID, at int64) (int64, error) {
	res, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0`, at, userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// providerCounty returns the county of a provider (a reference table, read
// for the county bureau's right to manage the provider's accounts).
func providerCounty(ctx context.Context, q store.Q, id int64) (string, error) {
	var county string
	err := q.Row(ctx, `SELECT county_code FROM providers WHERE id = ?`, id).Scan(&county)
	return county, store.MapErr(err)
}

// advisorCounty returns the county of an advisor's provider.
func advisorCounty(ctx context.Context, q store.Q, id int64) (string, error) {
	var county string
	err := q.Row(ctx, `SELECT p.county_code FROM advisors a JOIN providers p ON p.id = a.provider_id WHERE a.id = ?`, id).Scan(&county)
	return county, store.MapErr(err)
}

// loginFailures is the failed-login state of an account name from a source.
type loginFailures struct {
	Failures, Locks int
	LockedUntil     int64
}

func loginFailuresOf(ctx context.Context, q store.Q, username, source string) (loginFailures, error) {
	var f loginFailures
	err := q.Row(ctx, `SELECT failures, locks, locked_until FROM login_failures WHERE username = ? AND source = ?`, username, source).
		Scan(&f.Failures, &f.Locks, &f.LockedUntil)
	if err = store.MapErr(err); counsel.ErrorCode(err) == counsel.CodeNotFound {
		return loginFailures{}, nil
	}
	return f, err
}

func saveLoginFailures(ctx context.Context, tx *store.Tx, username, source string, f loginFailures, at int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO login_failures (username, source, failures, locks, locked_until, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (username, source) DO UPDATE SET failures = excluded.failures, locks = excluded.locks,
		locked_until = excluded.locked_until, updated_at = excluded.updated_at`, username, source, f.Failures, f.Locks, f.LockedUntil, at)
	return err
}

func clearLoginFailures(ctx context.Context, tx *store.Tx, username, source string) error {
	_, err := tx.Exec(ctx, `DELETE FROM login_failures WHERE username = ? AND source = ?`, username, source)
	return err
}
