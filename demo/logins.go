package demo

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
)

// loginsFile keeps the demo's password and accounts in the data directory
// (mode 0600, beside the SQLite file) so a later start can print them again.
const loginsFile = "demo-logins.json"

type keptLogins struct {
	Password string    `json:"password"`
	Accounts []Account `json:"accounts"`
}

// SaveLogins writes the demo's logins into dir.
func SaveLogins(dir, pw string, accounts []Account) error {
	b, err := json.Marshal(keptLogins{Password: pw, Accounts: accounts})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, loginsFile), b, 0o600)
}

// PasswordChecker says whether an account still has a password.
type PasswordChecker interface {
	PasswordIs(ctx context.Context, username, pw string) bool
}

// KeptLogins returns the demo's logins saved by SaveLogins while the admin
// account still signs in with the demo password. Once it has been changed
// the file is removed and nothing is returned: the demo's password is then
// no one's business.
func KeptLogins(ctx context.Context, dir string, pc PasswordChecker) (string, []Account, bool) {
	path := filepath.Join(dir, loginsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, false
	}
	var k keptLogins
	if json.Unmarshal(b, &k) != nil || len(k.Accounts) == 0 {
		return "", nil, false
	}
	if !pc.PasswordIs(ctx, k.Accounts[0].Username, k.Password) {
		_ = os.Remove(path)
		return "", nil, false
	}
	return k.Password, k.Accounts, true
}
