package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the accounts' rules: sign-in, sessions, API tokens and the
// administration of accounts.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// svc is the layered service: its configuration (session timeouts,
	// lockout), clock, home regions and the registry lists of the home page.
	svc    *registry.Service
	tokens tokenCache // resolved API tokens (see TokenUser)
}

// NewService builds the account service over the layered service (its
// database, logger, configuration and clock).
func NewService(svc *registry.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, svc: svc}
}

// Now is the layered service's clock.
func (s *Service) Now() time.Time { return s.svc.Now() }

// argon2id parameters (OWASP's recommendation: 19 MiB, 2 passes, 1 lane).
const (
	argonMemory = 19 * 1024
	argonTime   = 2
	argonLanes  = 1
	argonKeyLen = 32
)

// HashPassword returns the PHC-encoded argon2id hash of a password.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonLanes, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonLanes,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword checks a password against a PHC-encoded argon2id hash.
func VerifyPassword(pw, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<20 || t > 20 {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username does not exist, so a login
// for an unknown name costs as much as one for a known name.
var dummyHash, _ = HashPassword("dummy-password-for-timing")

// randomToken returns n random bytes, URL-safe base64 encoded.
func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source is broken: nothing safe can go on
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is TokenHash, for brevity inside the package.
func tokenHash(tok string) string { return TokenHash(tok) }

// TokenHash is what the database keeps of a session or API token: its SHA-256.
func TokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// Login checks a username and password and opens a session. Repeated failures
// lock the account for a while; every attempt is audited.
func (s *Service) Login(ctx context.Context, username, password, ip string) (*LoginResult, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	// One answer for every failure — unknown name, wrong password, disabled
	// or locked account — so an answer never tells whether a name exists.
	fail := counsel.Errorf(counsel.CodeUnauthorized, "err.login")
	nowMs := s.Now().UnixMilli()
	lf, err := loginFailuresOf(ctx, s.DB, username, ip)
	if err != nil {
		return nil, err
	}
	cr, err := CredentialsOf(ctx, s.DB, username)
	if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
		return nil, err
	}
	actor, scope := &counsel.Actor{Username: username, IP: ip}, ""
	var uid int64
	if cr != nil {
		uid = cr.User.ID
		actor = counsel.ActorOf(cr.User, ip)
		scope, _ = s.svc.HomeRegion(ctx, actor)
	}
	if lf.LockedUntil > nowMs {
		VerifyPassword(password, dummyHash) // the same work as any attempt
		_ = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			return audit.Write(ctx, tx, actor, "login_locked", "user", uid, scope, nil, nil)
		})
		return nil, fail
	}
	ok := false
	if cr == nil {
		VerifyPassword(password, dummyHash)
	} else {
		ok = VerifyPassword(password, cr.Hash) && !cr.User.Disabled
	}
	if !ok {
		// Locks are per name and source, and grow: the n-th lock of a pair
		// lasts 2^(n-1) times the configured period (at most a day).
		lf.Failures++
		if lf.Failures >= s.svc.Cfg.MaxFailures {
			lf.Locks++
			d := s.svc.Cfg.LockFor << min(lf.Locks-1, 10)
			if d > 24*time.Hour {
				d = 24 * time.Hour
			}
			lf.LockedUntil, lf.Failures = nowMs+d.Milliseconds(), 0
		}
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			if err := saveLoginFailures(ctx, tx, username, ip, lf, nowMs); err != nil {
				return err
			}
			return audit.Write(ctx, tx, actor, "login_failed", "user", uid, scope, nil, nil)
		})
		if err != nil {
			return nil, err
		}
		return nil, fail
	}
	u := cr.User
	res := &LoginResult{Token: randomToken(32), CSRF: randomToken(24), User: u}
	if pol, err := s.SecurityPolicy(ctx); err == nil {
		res.PasswordExpired = pol.PasswordExpired(u.Role, cr.PasswordChangedAt, nowMs)
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := clearLoginFailures(ctx, tx, username, ip); err != nil {
			return err
		}
		if err := deleteExpiredSessions(ctx, tx, nowMs-s.svc.Cfg.SessionIdle.Milliseconds(), nowMs-s.svc.Cfg.SessionAbsolute.Milliseconds()); err != nil {
			return err
		}
		if err := InsertSession(ctx, tx, &Session{TokenHash: tokenHash(res.Token), UserID: u.ID, CSRF: res.CSRF, CreatedAt: nowMs, SeenAt: nowMs}); err != nil {
			return err
		}
		return audit.Write(ctx, tx, actor, "login", "user", u.ID, scope, nil, nil)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Session resolves a session cookie, enforcing the idle and absolute timeouts
// and refreshing its last-seen time (at most once a minute).
func (s *Service) Session(ctx context.Context, token string) (*SessionInfo, error) {
	unauth := counsel.Errorf(counsel.CodeUnauthorized, "err.session")
	if token == "" {
		return nil, unauth
	}
	h := tokenHash(token)
	sess, err := sessionByHash(ctx, s.DB, h)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, unauth
		}
		return nil, err
	}
	nowMs := s.Now().UnixMilli()
	if nowMs-sess.SeenAt > s.svc.Cfg.SessionIdle.Milliseconds() || nowMs-sess.CreatedAt > s.svc.Cfg.SessionAbsolute.Milliseconds() {
		_ = s.DB.WithTx(ctx, func(tx *store.Tx) error { return deleteSession(ctx, tx, h) })
		return nil, unauth
	}
	u, err := userByID(ctx, s.DB, sess.UserID)
	if err != nil {
		return nil, err
	}
	if u.Disabled {
		return nil, unauth
	}
	if nowMs-sess.SeenAt > 60_000 {
		if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return touchSession(ctx, tx, h, nowMs) }); err != nil {
			return nil, err
		}
	}
	return &SessionInfo{User: u, CSRF: sess.CSRF}, nil
}

// SessionUser is Session for the server (server.Authenticator): the
// session's user and CSRF token.
func (s *Service) SessionUser(ctx context.Context, token string) (*counsel.User, string, error) {
	info, err := s.Session(ctx, token)
	if err != nil {
		return nil, "", err
	}
	return info.User, info.CSRF, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, a *counsel.Actor, token string) error {
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := deleteSession(ctx, tx, tokenHash(token)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "logout", "user", a.UserID, a.RegionCode, nil, nil)
	})
}

// TokenUser resolves an API token ("Authorization: Bearer …"). Resolved
// tokens are kept for tokenTTL, so a client posting many requests costs one
// lookup; a change to any account through this process (disable, password,
// language) drops them at once, and other processes sharing the database
// see it within tokenTTL.
func (s *Service) TokenUser(ctx context.Context, token string) (*counsel.User, error) {
	h := tokenHash(token)
	now := s.Now()
	if u := s.tokens.get(h, now); u != nil {
		return u, nil
	}
	gen := s.tokens.generation()
	u, id, lastUsed, err := userByToken(ctx, s.DB, h, now.UnixMilli())
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Errorf(counsel.CodeUnauthorized, "err.token")
		}
		return nil, err
	}
	if u.Disabled {
		return nil, counsel.Errorf(counsel.CodeUnauthorized, "err.token")
	}
	// The last use shown in the owner's list: at most one write a minute.
	if at := now.UnixMilli(); at-lastUsed >= 60_000 {
		if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return touchAPIToken(ctx, tx, id, at) }); err != nil {
			return nil, err
		}
	}
	s.tokens.put(h, u, gen, now)
	cp := *u
	return &cp, nil
}

// tokenTTL is how long a resolved API token is trusted without a lookup.
const tokenTTL = 10 * time.Second

// tokenCache holds resolved API tokens by hash.
type tokenCache struct {
	mu  sync.Mutex
	gen uint64
	m   map[string]tokenHit
}

type tokenHit struct {
	u  counsel.User
	at time.Time
}

func (c *tokenCache) get(hash string, now time.Time) *counsel.User {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.m[hash]
	if !ok || now.Sub(h.at) >= tokenTTL || now.Before(h.at) {
		return nil
	}
	u := h.u
	return &u
}

func (c *tokenCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put keeps a lookup's result unless an account changed since it started.
func (c *tokenCache) put(hash string, u *counsel.User, gen uint64, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.m == nil || len(c.m) >= 10000 {
		c.m = map[string]tokenHit{}
	}
	c.m[hash] = tokenHit{u: *u, at: now}
}

// forget drops every resolved token (an account changed).
func (c *tokenCache) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.m = nil
}

// API token lifetimes in days: the default and the longest.
const (
	TokenDaysDefault = 90
	TokenDaysMax     = 365
)

// TokenDays are the lifetimes offered on the account page.
var TokenDays = []int{30, 90, 180, 365}

// CreateAPIToken issues an API token for the actor itself, valid for days
// (0 = TokenDaysDefault, at most TokenDaysMax); the token is shown once and
// only its hash is kept.
func (s *Service) CreateAPIToken(ctx context.Context, a *counsel.Actor, name string, days int) (string, error) {
	name = strings.TrimSpace(name)
	var f counsel.Fields
	if name == "" {
		f.Add("name", "err.required")
	} else if len([]rune(name)) > 60 {
		f.Add("name", "err.too_long", 60)
	}
	if days == 0 {
		days = TokenDaysDefault
	}
	if days < 1 || days > TokenDaysMax {
		f.Add("days", "account.err.token_days", TokenDaysMax)
	}
	if err := f.Err(); err != nil {
		return "", err
	}
	tok := "vc_" + randomToken(32)
	now := s.Now()
	expires := now.AddDate(0, 0, days).UnixMilli()
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		id, err := insertAPIToken(ctx, tx, a.UserID, name, tokenHash(tok), now.UnixMilli(), expires)
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "api_token", id, a.RegionCode, nil, map[string]any{"name": name, "expires_at": expires})
	})
	return tok, err
}

// APITokens lists the actor's own tokens with their expiry and last use.
func (s *Service) APITokens(ctx context.Context, a *counsel.Actor) ([]APIToken, error) {
	if a == nil || a.UserID == 0 {
		return nil, counsel.ErrForbidden
	}
	return apiTokensOf(ctx, s.DB, a.UserID, s.Now().UnixMilli())
}

// RevokeAPIToken revokes one of the actor's own tokens (another account's
// token is not found, whoever asks).
func (s *Service) RevokeAPIToken(ctx context.Context, a *counsel.Actor, id int64) error {
	owner, name, revoked, err := apiTokenOwner(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if a == nil || owner != a.UserID {
		return counsel.ErrNotFound
	}
	if revoked {
		return nil
	}
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := revokeAPIToken(ctx, tx, id, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "revoke", "api_token", id, a.RegionCode, map[string]any{"name": name}, nil)
	})
}

// revokeAllTokens revokes an account's live tokens inside a change's
// transaction (password changed or reset, account disabled) and audits how
// many.
func (s *Service) revokeAllTokens(ctx context.Context, tx *store.Tx, a *counsel.Actor, userID int64, region, why string) error {
	n, err := revokeUserAPITokens(ctx, tx, userID, s.Now().UnixMilli())
	if err != nil || n == 0 {
		return err
	}
	return audit.Write(ctx, tx, a, "revoke", "api_token", userID, region, nil, map[string]any{"user_id": userID, "tokens": n, "reason": why})
}

// ChangePassword sets a new password for the actor after checking the old one.
func (s *Service) ChangePassword(ctx context.Context, a *counsel.Actor, old, pw string) error {
	cr, err := CredentialsOf(ctx, s.DB, a.Username)
	if err != nil {
		return err
	}
	if !VerifyPassword(old, cr.Hash) {
		return counsel.Invalid(counsel.FieldError{Field: "old_password", Key: "err.old_password"})
	}
	if pw == old {
		return counsel.Invalid(counsel.FieldError{Field: "password", Key: "account.err.pw_same"})
	}
	if err := s.checkPassword(ctx, pw, a.Username); err != nil {
		return err
	}
	h, err := HashPassword(pw)
	if err != nil {
		return err
	}
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := setPassword(ctx, tx, a.UserID, h, s.Now().UnixMilli()); err != nil {
			return err
		}
		if err := deleteUserSessions(ctx, tx, a.UserID); err != nil {
			return err
		}
		if err := s.revokeAllTokens(ctx, tx, a, a.UserID, a.RegionCode, "password"); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "password", "user", a.UserID, a.RegionCode, nil, nil)
	})
}
