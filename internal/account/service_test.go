package account_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// swKey is the message key of err, "" for nil.
func swKey(err error) string {
	if e, ok := err.(*counsel.Error); ok {
		return e.Key
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func TestLogin(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.User(counsel.User{Username: "zn-clerk", Role: counsel.RoleBureau, RegionCode: testworld.ZN, Phone: "13500000001"})
		tests := []struct {
			name, username, password, key string
		}{
			{"right password", "zn-clerk", testworld.Password, ""},
			{"user name as typed", "  ZN-Clerk ", testworld.Password, ""},
			{"wrong password", "zn-clerk", "wrong-password-1", "err.login"},
			{"empty password", "zn-clerk", "", "err.login"},
			{"unknown user", "nobody", testworld.Password, "err.login"},
		}
		for _, tt := range tests {
			res, err := w.acct.Login(w.Ctx, tt.username, tt.password, "192.0.2.1")
			if got := swKey(err); got != tt.key {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.key)
			}
			if err != nil {
				testworld.WantCode(t, tt.name, err, counsel.CodeUnauthorized)
				continue
			}
			if res.User.ID != u.ID || res.Token == "" || res.CSRF == "" || res.Token == res.CSRF {
				t.Errorf("%s: got user %d token %q csrf %q, want user %d and two distinct secrets", tt.name, res.User.ID, res.Token, res.CSRF, u.ID)
			}
			info, err := w.acct.Session(w.Ctx, res.Token)
			if err != nil || info.User.ID != u.ID || info.CSRF != res.CSRF {
				t.Errorf("%s: session: got %+v, %v, want the user and its CSRF token", tt.name, info, err)
			}
		}
		_, err := w.acct.Session(w.Ctx, "not-a-token")
		testworld.WantCode(t, "unknown session token", err, counsel.CodeUnauthorized)
		_, err = w.acct.Session(w.Ctx, "")
		testworld.WantCode(t, "empty session token", err, counsel.CodeUnauthorized)
	})
}

func TestLoginLockout(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.User(counsel.User{Username: "zn-judicial", Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe})
		const stranger, owner = "192.0.2.66", "192.0.2.2"
		login := func(pw, ip string) error {
			_, err := w.acct.Login(w.Ctx, "zn-judicial", pw, ip)
			return err
		}
		same := func(what string, err error) {
			t.Helper()
			e, ok := err.(*counsel.Error)
			if !ok || e.Key != "err.login" || e.Code != counsel.CodeUnauthorized || len(e.Args) != 0 {
				t.Fatalf("%s: got %v, want the one answer every failure gets (err.login, no arguments)", what, err)
			}
		}
		// Four failures, a success: the count starts again.
		for i := 0; i < 4; i++ {
			same("failure", login("wrong-password-1", owner))
		}
		if err := login(testworld.Password, owner); err != nil {
			t.Fatalf("right password after 4 failures: got %v, want nil", err)
		}
		// A stranger fails five times from its own address: that address is
		// locked out of the account, and even the right password gets the
		// answer an unknown name gets.
		for i := 0; i < 5; i++ {
			same("stranger's failure", login("wrong-password-1", stranger))
		}
		same("right password from the locked address", login(testworld.Password, stranger))
		_, unknown := w.acct.Login(w.Ctx, "no-such-user", "wrong-password-1", "192.0.2.77")
		same("unknown name", unknown)
		// The owner, from her own address, is not locked out.
		if err := login(testworld.Password, owner); err != nil {
			t.Fatalf("owner from her address while a stranger is locked: got %v, want nil", err)
		}
		// The lock lasts the configured 15 minutes; the next lock of the same
		// pair lasts twice as long.
		start := w.Now
		w.Now = start.Add(14*time.Minute + 59*time.Second)
		same("14:59 into the lock", login(testworld.Password, stranger))
		w.Now = start.Add(15*time.Minute + time.Second)
		for i := 0; i < 5; i++ {
			same("second round", login("wrong-password-1", stranger))
		}
		second := w.Now
		w.Now = second.Add(29 * time.Minute)
		same("29 minutes into the second lock", login(testworld.Password, stranger))
		w.Now = second.Add(30*time.Minute + time.Second)
		if err := login(testworld.Password, stranger); err != nil {
			t.Fatalf("after the second lock: got %v, want nil", err)
		}
		// Every attempt is in the audit log, with its source address.
		l, err := w.acct.Audit(w.Ctx, w.Admin, counsel.Filter{Q: "zn-judicial", Page: counsel.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range l.Items {
			actions[e.Action]++
			if e.IP != owner && e.IP != stranger {
				t.Errorf("audit of %s: got IP %q", e.Action, e.IP)
			}
		}
		if actions["login_failed"] != 14 || actions["login_locked"] != 3 || actions["login"] != 3 {
			t.Errorf("audited login attempts: got %v, want 14 login_failed, 3 login_locked, 3 login", actions)
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.User(counsel.User{Username: "zn-village", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan})
		login := func() string {
			t.Helper()
			res, err := w.acct.Login(w.Ctx, "zn-village", testworld.Password, "192.0.2.3")
			if err != nil {
				t.Fatal(err)
			}
			return res.Token
		}
		// Idle: activity every 29 minutes keeps it; 31 minutes of silence ends it.
		tok := login()
		for i, step := range []time.Duration{29 * time.Minute, 29 * time.Minute, 31 * time.Minute} {
			w.Now = w.Now.Add(step)
			_, err := w.acct.Session(w.Ctx, tok)
			want := counsel.Code("")
			if i == 2 {
				want = counsel.CodeUnauthorized
			}
			testworld.WantCode(t, "session after "+step.String()+" idle", err, want)
		}
		w.Now = w.Now.Add(time.Minute)
		_, err := w.acct.Session(w.Ctx, tok)
		testworld.WantCode(t, "an idled-out session used again", err, counsel.CodeUnauthorized)

		// Absolute: even a busy session ends after 12 hours.
		tok = login()
		start := w.Now
		for elapsed := time.Duration(0); elapsed <= 13*time.Hour; elapsed += 25 * time.Minute {
			w.Now = start.Add(elapsed)
			_, err := w.acct.Session(w.Ctx, tok)
			want := counsel.Code("")
			if elapsed > 12*time.Hour {
				want = counsel.CodeUnauthorized
			}
			if testworld.Code(err) != want {
				t.Errorf("busy session at %v: got %v, want code %q", elapsed, err, want)
				break
			}
			if err != nil {
				break
			}
		}
		// Logging out ends the session at once.
		tok = login()
		u, err := w.acct.Session(w.Ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.acct.Logout(w.Ctx, counsel.ActorOf(u.User, "192.0.2.3"), tok); err != nil {
			t.Fatal(err)
		}
		_, err = w.acct.Session(w.Ctx, tok)
		testworld.WantCode(t, "session after logout", err, counsel.CodeUnauthorized)
	})
}

func TestPasswordHash(t *testing.T) {
	h1, err := account.HashPassword("correct-horse-9")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := account.HashPassword("correct-horse-9")
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash format: got %q, want $argon2id$v=19$m=19456,t=2,p=1$…", h1)
	}
	if h1 == h2 {
		t.Errorf("two hashes of one password are equal, want distinct salts")
	}
	tampered := h1[:len(h1)-2] + "AA"
	if tampered == h1 {
		tampered = h1[:len(h1)-2] + "BB"
	}
	tests := []struct {
		name, pw, hash string
		want           bool
	}{
		{"right", "correct-horse-9", h1, true},
		{"right, other salt", "correct-horse-9", h2, true},
		{"wrong", "correct-horse-8", h1, false},
		{"empty", "", h1, false},
		{"tampered hash", "correct-horse-9", tampered, false},
		{"bcrypt hash", "correct-horse-9", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", false},
		{"huge memory", "correct-horse-9", strings.Replace(h1, "m=19456", "m=99999999", 1), false},
		{"empty hash", "correct-horse-9", "", false},
	}
	for _, tt := range tests {
		if got := account.VerifyPassword(tt.pw, tt.hash); got != tt.want {
			t.Errorf("%s: VerifyPassword = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestAPIToken(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.User(counsel.User{Username: "zn-stats", Role: counsel.RoleBureau, RegionCode: testworld.ZN})
		a := counsel.ActorOf(u, "192.0.2.4")
		tok, err := w.acct.CreateAPIToken(w.Ctx, a, "统计系统", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, "vc_") || len(tok) < 40 {
			t.Errorf("token: got %q, want vc_ and at least 40 characters", tok)
		}
		got, err := w.acct.TokenUser(w.Ctx, tok)
		if err != nil || got.ID != u.ID || got.Role != counsel.RoleBureau || got.RegionCode != testworld.ZN {
			t.Errorf("TokenUser: got %+v, %v, want user %d", got, err, u.ID)
		}
		for _, bad := range []string{"", "vc_", tok + "x", strings.ToUpper(tok)} {
			_, err := w.acct.TokenUser(w.Ctx, bad)
			if swKey(err) != "err.token" {
				t.Errorf("TokenUser(%q): got %v, want err.token", bad, err)
			}
		}
		_, err = w.acct.CreateAPIToken(w.Ctx, a, "  ", 0)
		testworld.WantField(t, "token without a name", err, "name", "err.required")
		// Only the hash is stored: the token itself is nowhere in the database's audit.
		l, err := w.acct.Audit(w.Ctx, w.Admin, counsel.Filter{Kind: "api_token", Page: counsel.Page{Limit: 10}})
		if err != nil || len(l.Items) != 1 {
			t.Fatalf("audit of the token: got %d entries, %v, want 1", len(l.Items), err)
		}
		if strings.Contains(l.Items[0].After, tok[3:]) {
			t.Errorf("audit of the token holds the token")
		}
		// Resolved tokens are cached; a change to the account shows at once.
		if err := w.acct.SetLang(w.Ctx, a, "en"); err != nil {
			t.Fatal(err)
		}
		if got, err := w.acct.TokenUser(w.Ctx, tok); err != nil || got.Lang != "en" {
			t.Errorf("TokenUser after a language change: got %+v, %v, want lang en", got, err)
		}
		// A disabled account's tokens stop working.
		if err := w.acct.SetUserDisabled(w.Ctx, w.Admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err = w.acct.TokenUser(w.Ctx, tok)
		if swKey(err) != "err.token" {
			t.Errorf("token of a disabled account: got %v, want err.token", err)
		}
	})
}

func TestChangeAndResetPassword(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.User(counsel.User{Username: "zn-village-2", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan})
		a := counsel.ActorOf(u, "192.0.2.5")
		res, err := w.acct.Login(w.Ctx, u.Username, testworld.Password, a.IP)
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, old, pw, field, key string
		}{
			{"wrong old password", "wrong-password-1", "new-password-22", "old_password", "err.old_password"},
			{"short new password", testworld.Password, "short", "password", "err.password_short"},
			{"digits only", testworld.Password, "1234567890123", "password", "err.password_digits"},
		}
		for _, tt := range tests {
			testworld.WantField(t, tt.name, w.acct.ChangePassword(w.Ctx, a, tt.old, tt.pw), tt.field, tt.key)
		}
		if err := w.acct.ChangePassword(w.Ctx, a, testworld.Password, "new-password-22"); err != nil {
			t.Fatalf("change password: %v", err)
		}
		_, err = w.acct.Session(w.Ctx, res.Token)
		testworld.WantCode(t, "session after a password change", err, counsel.CodeUnauthorized)
		if _, err := w.acct.Login(w.Ctx, u.Username, testworld.Password, a.IP); swKey(err) != "err.login" {
			t.Errorf("old password after the change: got %v, want err.login", err)
		}
		res, err = w.acct.Login(w.Ctx, u.Username, "new-password-22", a.IP)
		if err != nil {
			t.Fatalf("new password: %v", err)
		}

		// The county bureau resets it; the other county's bureau may not.
		testworld.WantCode(t, "镜湖区 bureau resets a 正宁县 account", w.acct.ResetPassword(w.Ctx, w.JHBureau, u.ID, "reset-password-33"), counsel.CodeForbidden)
		testworld.WantField(t, "reset to a short password", w.acct.ResetPassword(w.Ctx, w.ZNBureau, u.ID, "short"), "password", "err.password_short")
		if err := w.acct.ResetPassword(w.Ctx, w.ZNBureau, u.ID, "reset-password-33"); err != nil {
			t.Fatalf("reset by the county bureau: %v", err)
		}
		_, err = w.acct.Session(w.Ctx, res.Token)
		testworld.WantCode(t, "session after a reset", err, counsel.CodeUnauthorized)
		if _, err := w.acct.Login(w.Ctx, u.Username, "reset-password-33", a.IP); err != nil {
			t.Errorf("login with the reset password: %v", err)
		}
		admin := w.User(counsel.User{Username: "root2", Role: counsel.RoleAdmin})
		testworld.WantCode(t, "county bureau resets an admin", w.acct.ResetPassword(w.Ctx, w.ZNBureau, admin.ID, "reset-password-33"), counsel.CodeForbidden)
		testworld.WantCode(t, "reset a missing account", w.acct.ResetPassword(w.Ctx, w.Admin, admin.ID+100, "reset-password-33"), counsel.CodeNotFound)
	})
}

func TestUsersAndDisable(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		zv := w.User(counsel.User{Username: "zn-v", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan, Phone: "13500000011"})
		zp := w.User(counsel.User{Username: "zn-p", Role: counsel.RoleProvider, ProviderID: w.ZP1.ID, Phone: "13500000012"})
		za := w.User(counsel.User{Username: "zn-a", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID})
		jv := w.User(counsel.User{Username: "jh-v", Role: counsel.RoleVillage, RegionCode: testworld.Tiancheng})
		zb := w.User(counsel.User{Username: "zn-b", Role: counsel.RoleBureau, RegionCode: testworld.ZN})
		w.User(counsel.User{Username: "root1", Role: counsel.RoleAdmin})

		l, err := w.acct.Users(w.Ctx, w.ZNBureau, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		ids := testworld.IDs(l.Items, func(u counsel.User) int64 { return u.ID })
		for _, u := range []*counsel.User{zv, zp, za, zb} {
			if !ids[u.ID] {
				t.Errorf("users of the 正宁县 bureau: %s missing", u.Username)
			}
		}
		if ids[jv.ID] || len(ids) != 4 {
			t.Errorf("users of the 正宁县 bureau: got %v, want the 4 of its county", ids)
		}
		for _, u := range l.Items {
			if testworld.Mobile.MatchString(u.Phone) {
				t.Errorf("user %s seen by a bureau: got phone %q, want it masked", u.Username, u.Phone)
			}
		}
		all, err := w.acct.Users(w.Ctx, w.Admin, counsel.Filter{Kind: counsel.RoleVillage, Page: counsel.Page{Limit: 100}})
		if err != nil || all.Total != 2 {
			t.Errorf("village accounts for the admin: got %d, %v, want 2", all.Total, err)
		}
		found, err := w.acct.Users(w.Ctx, w.Admin, counsel.Filter{Q: "zn-", Page: counsel.Page{Limit: 2}})
		if err != nil || found.Total != 4 || len(found.Items) != 2 {
			t.Errorf("search zn- with 2 a page: got total %d, %d items, %v; want 4 and 2", found.Total, len(found.Items), err)
		}
		for _, a := range []*counsel.Actor{w.Judicial, w.Village, w.Provider, w.Advisor} {
			_, err := w.acct.Users(w.Ctx, a, testworld.All)
			testworld.WantCode(t, a.Role+" lists users", err, counsel.CodeForbidden)
		}

		// Disable: the user's sessions end and it cannot sign in.
		res, err := w.acct.Login(w.Ctx, "zn-v", testworld.Password, "192.0.2.6")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.acct.SetUserDisabled(w.Ctx, w.ZNBureau, zv.ID, true); err != nil {
			t.Fatalf("disable: %v", err)
		}
		_, err = w.acct.Session(w.Ctx, res.Token)
		testworld.WantCode(t, "session of a disabled account", err, counsel.CodeUnauthorized)
		if _, err := w.acct.Login(w.Ctx, "zn-v", testworld.Password, "192.0.2.6"); swKey(err) != "err.login" {
			t.Errorf("login of a disabled account: got %v, want err.login", err)
		}
		if err := w.acct.SetUserDisabled(w.Ctx, w.ZNBureau, zv.ID, false); err != nil {
			t.Fatalf("enable: %v", err)
		}
		if _, err := w.acct.Login(w.Ctx, "zn-v", testworld.Password, "192.0.2.6"); err != nil {
			t.Errorf("login after enabling: got %v, want nil", err)
		}
		tests := []struct {
			name string
			a    *counsel.Actor
			id   int64
			code counsel.Code
		}{
			{"镜湖区 bureau disables a 正宁县 account", w.JHBureau, zv.ID, counsel.CodeForbidden},
			{"county bureau disables a bureau account", w.ZNBureau, zb.ID, counsel.CodeForbidden},
			{"city bureau disables a village account", w.City, zv.ID, counsel.CodeForbidden},
			{"county bureau disables a provider account of its county", w.ZNBureau, zp.ID, ""},
			{"county bureau disables an advisor account of its county", w.ZNBureau, za.ID, ""},
			{"an account disables itself", counsel.ActorOf(zb, "x"), zb.ID, counsel.CodeForbidden},
			{"missing account", w.Admin, zb.ID + 100, counsel.CodeNotFound},
		}
		for _, tt := range tests {
			testworld.WantCode(t, tt.name, w.acct.SetUserDisabled(w.Ctx, tt.a, tt.id, true), tt.code)
		}

		// Creating accounts: a county bureau only below itself.
		create := []struct {
			name string
			a    *counsel.Actor
			u    counsel.User
			code counsel.Code
		}{
			{"county bureau: judicial office of its town", w.ZNBureau, counsel.User{Username: "zn-j2", DisplayName: "山河司法所", Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe}, ""},
			{"county bureau: a bureau account", w.ZNBureau, counsel.User{Username: "zn-b2", DisplayName: "x", Role: counsel.RoleBureau, RegionCode: testworld.ZN}, counsel.CodeForbidden},
			{"county bureau: an admin", w.ZNBureau, counsel.User{Username: "zn-root", DisplayName: "x", Role: counsel.RoleAdmin}, counsel.CodeForbidden},
			{"county bureau: village of another county", w.ZNBureau, counsel.User{Username: "jh-v2", DisplayName: "x", Role: counsel.RoleVillage, RegionCode: testworld.Tiancheng}, counsel.CodeForbidden},
			{"county bureau: provider of another county", w.ZNBureau, counsel.User{Username: "jh-p2", DisplayName: "x", Role: counsel.RoleProvider, ProviderID: w.JP1.ID}, counsel.CodeForbidden},
			{"county bureau: advisor of another county", w.ZNBureau, counsel.User{Username: "jh-a2", DisplayName: "x", Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}, counsel.CodeForbidden},
			{"judicial office: any account", w.Judicial, counsel.User{Username: "zn-v3", DisplayName: "x", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}, counsel.CodeForbidden},
			{"taken user name", w.Admin, counsel.User{Username: "ZN-V", DisplayName: "x", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}, counsel.CodeConflict},
			{"village account on a town", w.Admin, counsel.User{Username: "zn-v4", DisplayName: "x", Role: counsel.RoleVillage, RegionCode: testworld.Shanhe}, counsel.CodeInvalid},
		}
		for _, tt := range create {
			u := tt.u
			testworld.WantCode(t, tt.name, w.acct.CreateUser(w.Ctx, tt.a, &u, testworld.Password), tt.code)
		}
		err = w.acct.CreateUser(w.Ctx, w.Admin, &counsel.User{Username: "zn-v5", DisplayName: "x", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan}, "short")
		testworld.WantField(t, "short initial password", err, "password", "err.password_short")
	})
}
