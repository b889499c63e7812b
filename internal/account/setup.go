package account

import "context"

// HasUsers reports whether any account exists (the first-start setup page
// is open only while none does).
func (s *Service) HasUsers(ctx context.Context) (bool, error) {
	n, err := s.DB.Count(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM users LIMIT 1) t`)
	return n > 0, err
}

// PasswordIs reports whether the account exists, is enabled and has the
// password pw (the demo's logins are printed again only while they work).
func (s *Service) PasswordIs(ctx context.Context, username, pw string) bool {
	var hash string
	var disabled bool
	if err := s.DB.Row(ctx, `SELECT password_hash, disabled FROM users WHERE username = ?`, username).Scan(&hash, &disabled); err != nil {
		return false
	}
	return !disabled && VerifyPassword(pw, hash)
}
