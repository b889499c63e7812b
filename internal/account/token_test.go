package account_test

import (
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// API tokens expire, are listed with their last use, can be revoked by their
// owner only, and a password change, a reset or disabling the account
// revokes them all (issue 12, defect 3).
func TestAPITokenExpiryListRevocation(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.User(counsel.User{Username: "zn-sys", Role: counsel.RoleBureau, RegionCode: testworld.ZN})
		a := counsel.ActorOf(u, "192.0.2.4")
		mk := func(name string, days int) string {
			t.Helper()
			tok, err := w.acct.CreateAPIToken(w.Ctx, a, name, days)
			if err != nil {
				t.Fatalf("token %s: %v", name, err)
			}
			return tok
		}
		works := func(tok string) bool {
			_, err := w.acct.TokenUser(w.Ctx, tok)
			return err == nil
		}
		short, long := mk("短期", 30), mk("默认", 0)
		for _, days := range []int{-1, 366, 10000} {
			_, err := w.acct.CreateAPIToken(w.Ctx, a, "x", days)
			testworld.WantField(t, "token days", err, "days", "account.err.token_days")
		}
		list, err := w.acct.APITokens(w.Ctx, a)
		if err != nil || len(list) != 2 {
			t.Fatalf("list: %v %v", list, err)
		}
		if d := time.Duration(list[0].ExpiresAt-list[0].CreatedAt) * time.Millisecond; d != 90*24*time.Hour {
			t.Errorf("default lifetime %v, want 90 days", d)
		}
		if list[0].LastUsedAt != 0 || !list[0].Active {
			t.Errorf("new token %+v", list[0])
		}
		// Use shows in the list.
		if !works(long) {
			t.Fatal("new token refused")
		}
		list, _ = w.acct.APITokens(w.Ctx, a)
		if list[0].LastUsedAt != w.Now.UnixMilli() {
			t.Errorf("last use %d, want %d", list[0].LastUsedAt, w.Now.UnixMilli())
		}
		// Expiry: 31 days on, the 30-day token is refused, the other works.
		w.Now = w.Now.Add(31 * 24 * time.Hour)
		if works(short) {
			t.Error("expired token accepted")
		}
		if !works(long) {
			t.Error("90-day token refused after 31 days")
		}
		// Only the owner revokes, and a revoked token is refused at once
		// (also when it was just resolved and cached).
		other := counsel.ActorOf(w.User(counsel.User{Username: "zn-other", Role: counsel.RoleBureau, RegionCode: testworld.ZN}), "192.0.2.5")
		testworld.WantCode(t, "another account revokes", w.acct.RevokeAPIToken(w.Ctx, other, list[0].ID), counsel.CodeNotFound)
		if !works(long) {
			t.Error("token revoked by another account")
		}
		if err := w.acct.RevokeAPIToken(w.Ctx, a, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if works(long) {
			t.Error("revoked token accepted")
		}
		list, _ = w.acct.APITokens(w.Ctx, a)
		if list[0].RevokedAt == 0 || list[0].Active || list[1].Active {
			t.Errorf("list after revocation and expiry: %+v", list)
		}
		// A password change revokes every token.
		t1 := mk("改密前", 0)
		if !works(t1) {
			t.Fatal("token refused")
		}
		if err := w.acct.ChangePassword(w.Ctx, a, testworld.Password, "Another-pass-2026"); err != nil {
			t.Fatal(err)
		}
		if works(t1) {
			t.Error("token survives a password change")
		}
		// A reset by the county bureau, and disabling, too.
		t2 := mk("重置前", 0)
		if err := w.acct.ResetPassword(w.Ctx, w.Admin, u.ID, "Reset-pass-2026x"); err != nil {
			t.Fatal(err)
		}
		if works(t2) {
			t.Error("token survives a password reset")
		}
		t3 := mk("停用前", 0)
		if err := w.acct.SetUserDisabled(w.Ctx, w.Admin, u.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := w.acct.SetUserDisabled(w.Ctx, w.Admin, u.ID, false); err != nil {
			t.Fatal(err)
		}
		if works(t3) {
			t.Error("token survives disabling the account (and enabling it again)")
		}
		// Each revocation is audited.
		l, err := w.acct.Audit(w.Ctx, w.Admin, counsel.Filter{Kind: "api_token", Status: "revoke", Page: counsel.Page{Limit: 20}})
		if err != nil || l.Total != 4 {
			t.Errorf("audit of revocations: %d, %v, want 4", l.Total, err)
		}
	})
}
