package counsel

import (
	"context"
	"strings"
)

// Roles (Q2).
const (
	RoleAdmin    = "admin"    // system administrator, all regions
	RoleBureau   = "bureau"   // county bureau; city and province read-only
	RoleJudicial = "judicial" // town judicial office
	RoleProvider = "provider" // provider manager
	RoleAdvisor  = "advisor"  // an advisor
	RoleVillage  = "village"  // village committee
	RoleFinance  = "finance"  // a finance bureau (city, county) or town finance office: reads its own payment lists
)

// Roles lists the roles in display order.
var Roles = []string{RoleAdmin, RoleBureau, RoleJudicial, RoleProvider, RoleAdvisor, RoleVillage, RoleFinance}

// User is an account.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        string `json:"role"`
	RegionCode  string `json:"region_code,omitempty"` // bureau, judicial, village
	ProviderID  int64  `json:"provider_id,omitempty"` // provider
	AdvisorID   int64  `json:"advisor_id,omitempty"`  // advisor
	Phone       string `json:"phone,omitempty"`
	Disabled    bool   `json:"disabled"`
	Lang        string `json:"lang"`
	CreatedAt   int64  `json:"created_at"`
}

// Normalize trims user input in place.
func (u *User) Normalize() {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	u.Phone = NormalizePhone(u.Phone)
	if u.Lang == "" {
		u.Lang = "zh"
	}
}

// Validate checks the account's fields and that its scope fits its role.
func (u *User) Validate() error {
	var f Fields
	if n := len(u.Username); n < 3 || n > 40 || !usernameChars(u.Username) {
		f.Add("username", "err.username")
	}
	checkName(&f, "display_name", u.DisplayName, 40)
	if !oneOf(u.Role, Roles) {
		f.Add("role", "err.choice")
	}
	lv := LevelOf(u.RegionCode)
	switch u.Role {
	case RoleBureau:
		if lv < LevelProvince || lv > LevelCounty {
			f.Add("region_code", "err.scope_bureau")
		}
	case RoleJudicial:
		if lv != LevelTown {
			f.Add("region_code", "err.need_town")
		}
	case RoleVillage:
		if lv != LevelVillage {
			f.Add("region_code", "err.need_village")
		}
	case RoleFinance:
		if lv < LevelCity || lv > LevelTown {
			f.Add("region_code", "err.scope_finance")
		}
	case RoleProvider:
		if u.ProviderID <= 0 {
			f.Add("provider_id", "err.required")
		}
	case RoleAdvisor:
		if u.AdvisorID <= 0 {
			f.Add("advisor_id", "err.required")
		}
	}
	if u.Phone != "" && !ValidPhone(u.Phone) {
		f.Add("phone", "err.phone")
	}
	if u.Lang != "zh" && u.Lang != "en" {
		f.Add("lang", "err.choice")
	}
	return f.Err()
}

func usernameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// Actor is who performs a request: the signed-in user with its scope, and
// where the request came from (for the audit log).
type Actor struct {
	UserID     int64
	Username   string
	Role       string
	RegionCode string
	ProviderID int64
	AdvisorID  int64
	IP         string
	Lang       string
}

// ActorOf builds the actor of a user.
func ActorOf(u *User, ip string) *Actor {
	return &Actor{UserID: u.ID, Username: u.Username, Role: u.Role, RegionCode: u.RegionCode,
		ProviderID: u.ProviderID, AdvisorID: u.AdvisorID, IP: ip, Lang: u.Lang}
}

// System is the actor of the program itself (demo loading, imports from the CLI).
var System = &Actor{Username: "system", Role: RoleAdmin, IP: "local"}

// AuditEntry is one line of the audit log (Q2).
type AuditEntry struct {
	ID       int64  `json:"id"`
	At       int64  `json:"at"` // unix milliseconds
	UserID   int64  `json:"user_id,omitempty"`
	Username string `json:"username"`
	Action   string `json:"action"` // create, update, delete, login, login_failed, logout, import, status
	Entity   string `json:"entity"`
	EntityID string `json:"entity_id,omitempty"`
	IP       string `json:"ip"`
	Before   string `json:"before,omitempty"` // JSON, phone numbers masked
	After    string `json:"after,omitempty"`
	Scope    string `json:"scope,omitempty"` // region code the change belongs to
	// RequestID is the X-Request-Id of the request that made the change
	// ("" for background jobs).
	RequestID string `json:"request_id,omitempty"`
}

// Settings are a county's adjustable defaults.
type Settings struct {
	LoadLimit        int    `json:"load_limit"`          // villages per advisor (R6, seed 003: 5)
	FilingMonthDay   string `json:"filing_month_day"`    // agreement filing deadline (R4, seed 001: 03-31)
	PairingMin       int    `json:"pairing_min"`         // 两委 persons per village (R10, seed 000: 3)
	PairingDeadline  string `json:"pairing_deadline"`    // by when (seed 000: 2024-06-30)
	DefaultSubsidyFn int64  `json:"default_subsidy_fen"` // per village per year (R39, seed 003: 5000 yuan)
}

// DefaultSettings are the defaults from the seeds.
func DefaultSettings() Settings {
	return Settings{LoadLimit: 5, FilingMonthDay: "03-31", PairingMin: 3, PairingDeadline: "2024-06-30", DefaultSubsidyFn: 500000}
}

// Validate checks settings.
func (s *Settings) Validate() error {
	var f Fields
	if s.LoadLimit < 1 || s.LoadLimit > 100 {
		f.Add("load_limit", "err.range", 1, 100)
	}
	if !ValidDate("2024-"+s.FilingMonthDay) || len(s.FilingMonthDay) != 5 {
		f.Add("filing_month_day", "err.month_day")
	}
	if s.PairingMin < 0 || s.PairingMin > 50 {
		f.Add("pairing_min", "err.range", 0, 50)
	}
	if !ValidDate(s.PairingDeadline) {
		f.Add("pairing_deadline", "err.date")
	}
	if s.DefaultSubsidyFn < 0 {
		f.Add("default_subsidy_fen", "err.amount")
	}
	return f.Err()
}

// Page asks for one page of a list.
type Page struct {
	Limit  int
	Offset int
	// After and Before are keyset cursors, a list's Next and Prev: the page
	// after (or before) that row in the list's order. Lists over big tables
	// read them instead of Offset, so a deep page costs what the first does.
	After, Before string
}

// Seeking reports whether the page is asked for by a cursor.
func (p Page) Seeking() bool { return p.After != "" || p.Before != "" }

// Clamp keeps a page request within sane bounds.
func (p Page) Clamp() Page {
	if p.Limit <= 0 || p.Limit > 500 {
		p.Limit = 50
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

type actorKey struct{}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the id of the HTTP request it serves
// (the X-Request-Id answered), which audit rows written for it record.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the request id of ctx ("" outside a request).
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// WithActor returns a context carrying the actor of a request.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of a request, nil when anonymous.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
