package public_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func TestRemindExpiredGroupQR(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		// Accounts for za1 (东关村) and za3 (小寺头村).
		for _, u := range []*counsel.User{
			{Username: "pub-za1", DisplayName: "王伟", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID},
			{Username: "pub-za3", DisplayName: "张敏", Role: counsel.RoleAdvisor, AdvisorID: w.ZA3.ID},
		} {
			if err := account.NewService(w.Svc).CreateUser(w.Ctx, w.Admin, u, "long-password-1"); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, pubGroup()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.pub.SetGroupQR(w.Ctx, w.Advisor, testworld.Dongguan, "0123456789abcdef0123456789abcdef.png"); err != nil {
			t.Fatal(err)
		}
		unread := func(username string) []notify.Notification {
			cr, err := account.CredentialsOf(w.Ctx, w.DB, username)
			if err != nil {
				t.Fatal(err)
			}
			ns, err := notify.NotificationsOf(w.Ctx, w.DB, cr.User.ID, 50)
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}
		// Day 1: 东关村's QR is in force; 小寺头村 (za3) has no group; 天城村's
		// advisor has no account. One reminder, to za3.
		n, err := w.pub.RemindExpiredGroupQR(w.Ctx, w.Now.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("first run: %d %v, want 1", n, err)
		}
		if ns := unread("pub-za3"); len(ns) != 1 || !strings.Contains(ns[0].Title, "小寺头村") || ns[0].Link != "/boards/"+testworld.Xiaositou {
			t.Errorf("za3's reminders: %+v", ns)
		}
		// Idempotent.
		if n, err := w.pub.RemindExpiredGroupQR(w.Ctx, w.Now.Add(2*time.Hour)); err != nil || n != 0 {
			t.Errorf("second run: %d %v, want 0", n, err)
		}
		// Seven days later 东关村's QR has expired: za1 is reminded, once.
		later := w.Now.Add(public.GroupQRLife)
		if n, err := w.pub.RemindExpiredGroupQR(w.Ctx, later); err != nil || n != 1 {
			t.Errorf("after expiry: %d %v, want 1", n, err)
		}
		if n, _ := w.pub.RemindExpiredGroupQR(w.Ctx, later.Add(time.Hour)); n != 0 {
			t.Errorf("after expiry again: %d, want 0", n)
		}
		ns := unread("pub-za1")
		if len(ns) != 1 || !strings.Contains(ns[0].Title, "东关村") || ns[0].Kind != "group_qr_expired" {
			t.Errorf("za1's reminders: %+v", ns)
		}
		// A new image, expired in turn, reminds again.
		w.Now = later
		if _, err := w.pub.SetGroupQR(w.Ctx, w.Advisor, testworld.Dongguan, "fedcba9876543210fedcba9876543210.png"); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.pub.RemindExpiredGroupQR(w.Ctx, later.Add(time.Hour)); n != 0 {
			t.Errorf("fresh image: %d reminders, want 0", n)
		}
		if n, _ := w.pub.RemindExpiredGroupQR(w.Ctx, later.Add(public.GroupQRLife)); n != 1 {
			t.Errorf("second expiry: %d reminders, want 1", n)
		}
	})
}
