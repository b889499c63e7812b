package account

import (
	"context"
	_ "embed"
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// SecurityPolicy is the platform's security settings (issue 12): the
// password policy an MLPS level-3 assessor checks (GB/T 22239 身份鉴别) and
// the lifetimes around it. One row for the whole installation; the security
// administrator changes it.
type SecurityPolicy struct {
	// PasswordMinLen is the shortest password accepted (characters).
	PasswordMinLen int `json:"password_min_len"`
	// PasswordMinClasses is how many of the four classes (lower case, upper
	// case, digits, other characters) a password must mix.
	PasswordMinClasses int `json:"password_min_classes"`
	// PasswordRotateDays is how long a staff account's password lasts before
	// it must be changed (0 = never).
	PasswordRotateDays int `json:"password_rotate_days"`
}

// DefaultSecurityPolicy is the policy until the security administrator
// changes it: 12 characters, 3 of 4 classes, staff passwords rotated every
// 90 days.
func DefaultSecurityPolicy() SecurityPolicy {
	return SecurityPolicy{PasswordMinLen: 12, PasswordMinClasses: 3, PasswordRotateDays: 90}
}

// Policy bounds: the security administrator may tighten the policy, never
// loosen it below these.
const (
	minPolicyLen     = 12
	maxPolicyLen     = 64
	maxPasswordRunes = 128
)

// Validate checks a policy's values.
func (p SecurityPolicy) Validate() error {
	var f counsel.Fields
	if p.PasswordMinLen < minPolicyLen || p.PasswordMinLen > maxPolicyLen {
		f.Add("password_min_len", "err.range", minPolicyLen, maxPolicyLen)
	}
	if p.PasswordMinClasses < 3 || p.PasswordMinClasses > 4 {
		f.Add("password_min_classes", "err.range", 3, 4)
	}
	if p.PasswordRotateDays < 0 || p.PasswordRotateDays > 365 {
		f.Add("password_rotate_days", "err.range", 0, 365)
	}
	return f.Err()
}

// LoadSecurityPolicy reads the policy in force: the stored one over the
// defaults (a field the stored row lacks keeps its default).
func LoadSecurityPolicy(ctx context.Context, q store.Q) (SecurityPolicy, error) {
	p := DefaultSecurityPolicy()
	var body string
	err := q.Row(ctx, `SELECT body FROM security_settings WHERE id = 1`).Scan(&body)
	if err != nil {
		if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
			return p, nil
		}
		return p, store.MapErr(err)
	}
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return DefaultSecurityPolicy(), nil
	}
	if p.Validate() != nil {
		return DefaultSecurityPolicy(), nil // never weaker than the defaults
	}
	return p, nil
}

// SecurityPolicy returns the policy in force.
func (s *Service) SecurityPolicy(ctx context.Context) (SecurityPolicy, error) {
	return LoadSecurityPolicy(ctx, s.DB)
}

// SaveSecurityPolicy stores a new policy (the security administrator's work).
func (s *Service) SaveSecurityPolicy(ctx context.Context, a *counsel.Actor, p SecurityPolicy) error {
	if !authz.CanSetSecurityPolicy(a) {
		return counsel.ErrForbidden
	}
	if err := p.Validate(); err != nil {
		return err
	}
	js, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		old, err := LoadSecurityPolicy(ctx, tx)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM security_settings WHERE id = 1`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO security_settings (id, body, updated_at) VALUES (1, ?, ?)`, string(js), s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "security_policy", 1, "", old, p)
	})
}

//go:embed policydata/common-passwords.txt
var commonPasswordsText string

// commonPasswords is the list shipped with the binary.
var commonPasswords = func() map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(commonPasswordsText, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			m[l] = true
		}
	}
	return m
}()

// CommonPasswordCount is how many passwords the shipped list holds.
func CommonPasswordCount() int { return len(commonPasswords) }

// leet undoes the usual letter-for-symbol substitutions (p@ssw0rd).
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "l", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t")

// IsCommonPassword reports whether pw is on the shipped list: as it is, or
// lower-cased with the digits and symbols around it removed and the usual
// substitutions undone ("P@ssw0rd2026!" is "password").
func IsCommonPassword(pw string) bool {
	low := strings.ToLower(pw)
	if commonPasswords[low] {
		return true
	}
	notLetter := func(r rune) bool { return !unicode.IsLetter(r) }
	core := strings.TrimFunc(low, notLetter)
	if core == "" {
		return false
	}
	if commonPasswords[core] {
		return true
	}
	// Undo substitutions inside the word (keep what the trim removed out).
	start := strings.IndexFunc(low, unicode.IsLetter)
	end := strings.LastIndexFunc(low, unicode.IsLetter)
	mid := leet.Replace(low[start : end+1])
	return commonPasswords[mid] || commonPasswords[strings.TrimFunc(mid, notLetter)]
}

// passwordClasses counts the classes a password mixes: lower case, upper
// case, digits, other characters (a Chinese character counts as other).
func passwordClasses(pw string) int {
	var lower, upper, digit, other bool
	for _, r := range pw {
		switch {
		case r >= 'a' && r <= 'z':
			lower = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= '0' && r <= '9':
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n
}

// CheckPassword applies the policy to a new password for username: length,
// classes, not on the common list, not the user name (nor containing it, nor
// it reversed), no control characters or blank-only.
func (p SecurityPolicy) CheckPassword(pw, username string) error {
	bad := func(key string, args ...any) error {
		return counsel.Invalid(counsel.FieldError{Field: "password", Key: key, Args: args})
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < p.PasswordMinLen:
		return bad("err.password_short", p.PasswordMinLen)
	case n > maxPasswordRunes:
		return bad("err.too_long", maxPasswordRunes)
	case strings.TrimSpace(pw) == "":
		return bad("account.err.pw_classes", p.PasswordMinClasses)
	case allDigits(pw):
		return bad("err.password_digits")
	case passwordClasses(pw) < p.PasswordMinClasses:
		return bad("account.err.pw_classes", p.PasswordMinClasses)
	}
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" {
		low := strings.ToLower(pw)
		if low == u || (len(u) >= 4 && (strings.Contains(low, u) || strings.Contains(low, reverse(u)))) {
			return bad("account.err.pw_username")
		}
	}
	if IsCommonPassword(pw) {
		return bad("account.err.pw_common")
	}
	return nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// checkPassword applies the policy in force.
func (s *Service) checkPassword(ctx context.Context, pw, username string) error {
	p, err := s.SecurityPolicy(ctx)
	if err != nil {
		return err
	}
	return p.CheckPassword(pw, username)
}

// StaffRole reports whether a role is staff, whose passwords rotate: the
// administrators and the judicial bureaus and offices.
func StaffRole(role string) bool {
	switch role {
	case counsel.RoleAdmin, counsel.RoleBureau, counsel.RoleJudicial:
		return true
	}
	return false
}

// PasswordExpired reports whether a password set at changedAt (unix ms; 0 =
// reset by someone else) must be changed at now: staff accounts only.
func (p SecurityPolicy) PasswordExpired(role string, changedAt, now int64) bool {
	if !StaffRole(role) {
		return false
	}
	if changedAt == 0 {
		return true
	}
	return p.PasswordRotateDays > 0 && now-changedAt > int64(p.PasswordRotateDays)*86_400_000
}
