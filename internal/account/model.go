package account

import "github.com/villagecounsel/counsel"

// Credentials are what a login check needs.
type Credentials struct {
	User         *counsel.User
	Hash         string
	FailedLogins int
	LockedUntil  int64
	// PasswordChangedAt is when the password was last set (unix ms).
	PasswordChangedAt int64
}

// Session is a signed-in browser session.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt int64
	SeenAt    int64
}

// LoginResult is a new session.
type LoginResult struct {
	Token string // the cookie value; only its hash is stored
	CSRF  string
	User  *counsel.User
	// PasswordExpired: a staff account's password is older than the
	// policy's rotation period (or was reset by someone else) and must be
	// changed now.
	PasswordExpired bool
}

// SessionInfo is a live session with its user.
type SessionInfo struct {
	User *counsel.User
	CSRF string
}

// Counts are the numbers on the home page.
type Counts struct {
	Villages   int `json:"villages"`
	Covered    int `json:"covered"`
	Providers  int `json:"providers"`
	Advisors   int `json:"advisors"`
	Agreements int `json:"agreements"`
	Persons    int `json:"persons"`
	Pairings   int `json:"pairings"`
	LateFiling int `json:"late_filings"`
	RuleMet    int `json:"pairing_rule_met"`
}

// APIToken is an API token as its owner's list shows it: never the token
// itself, which is shown once when made.
type APIToken struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	CreatedAt  int64  `json:"created_at"`
	ExpiresAt  int64  `json:"expires_at"`
	LastUsedAt int64  `json:"last_used_at"` // 0 = never used
	RevokedAt  int64  `json:"revoked_at"`   // 0 = not revoked
	Active     bool   `json:"active"`       // neither expired nor revoked
}
