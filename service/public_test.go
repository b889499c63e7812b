package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// pubGroup is a register entry for 东关村 that follows every rule.
func pubGroup() *store.WeChatGroup {
	return &store.WeChatGroup{VillageCode: swDongguan, Name: "东关村结对律师服务微信群", AdminNickname: "王伟律师",
		Members: store.GroupMembers{Advisor: 1, Assistant: 1, Committee: 5, Mediation: 3, Party: 10, Representative: 20, Judicial: 2}}
}

func TestPublicBoard(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		b, err := w.svc.PublicBoard(w.ctx, swDongguan)
		if err != nil {
			t.Fatal(err)
		}
		if b.Village.Name != "东关村委会" || b.TownName != "山河镇" || b.CountyName != "正宁县" {
			t.Errorf("board names: %q %q %q", b.Village.Name, b.TownName, b.CountyName)
		}
		if b.Advisor == nil || b.Advisor.Name != "王伟" || b.Advisor.ProviderName != "甘肃正义律师事务所" || b.Advisor.Phone != "13800000001" {
			t.Fatalf("board advisor: %+v", b.Advisor)
		}
		if b.TermStart != "2026-01-01" || b.TermEnd != "2026-12-31" {
			t.Errorf("term %s–%s", b.TermStart, b.TermEnd)
		}
		if len(b.Duties) != 6 || b.Duties[0].ZH != "法律咨询" {
			t.Errorf("duties: %+v", b.Duties)
		}
		if b.Office.Name != "山河镇司法所" || b.Office.Phone != "" {
			t.Errorf("default office: %+v", b.Office)
		}
		if b.Group != nil || b.OnsiteHours != "" {
			t.Errorf("fresh board has a group or hours: %+v %q", b.Group, b.OnsiteHours)
		}
		if b.UpdatedOn == "" || b.UpdatedAt < w.g1.UpdatedAt {
			t.Errorf("updated %d %q, want at least the agreement's %d", b.UpdatedAt, b.UpdatedOn, w.g1.UpdatedAt)
		}
		// No person's phone anywhere on the board.
		if js := strings.Join([]string{b.Advisor.Phone, b.Office.Phone}, " "); strings.Contains(js, w.pz1.Phone) {
			t.Error("a person's phone is on the board")
		}

		// A village without a live agreement has a board without an advisor.
		b2, err := w.svc.PublicBoard(w.ctx, swXiguan)
		if err != nil || b2.Advisor != nil || b2.TermStart != "" {
			t.Errorf("西关村 board: %+v, %v", b2, err)
		}
		// Towns, bad and unknown codes are not found.
		for _, code := range []string{swShanhe, "12345", "621025100299", "abc"} {
			if _, err := w.svc.PublicBoard(w.ctx, code); swCode(err) != counsel.CodeNotFound {
				t.Errorf("board %q: %v, want not found", code, err)
			}
		}

		// Hours and the office change the board and its date.
		time.Sleep(2 * time.Millisecond)
		if err := w.svc.SetOnsiteHours(w.ctx, w.judicial, swDongguan, "  每周三 上午 "); err != nil {
			t.Fatal(err)
		}
		o := &store.Office{TownCode: swShanhe, Name: "山河镇司法所", Phone: "0934-5211234", Address: "山河镇东街1号"}
		if err := w.svc.SaveOffice(w.ctx, w.judicial, o); err != nil {
			t.Fatal(err)
		}
		b3, err := w.svc.PublicBoard(w.ctx, swDongguan)
		if err != nil {
			t.Fatal(err)
		}
		if b3.OnsiteHours != "每周三 上午" || b3.Office.Phone != "0934-5211234" || b3.UpdatedAt < o.UpdatedAt || b3.UpdatedAt <= b.UpdatedAt {
			t.Errorf("board after changes: hours %q office %+v updated %d (was %d)", b3.OnsiteHours, b3.Office, b3.UpdatedAt, b.UpdatedAt)
		}
		// The other villages of the town see the office too.
		if b4, _ := w.svc.PublicBoard(w.ctx, swXiguan); b4.Office.Phone != "0934-5211234" {
			t.Errorf("西关村 office: %+v", b4.Office)
		}
	})
}

func TestPublicBoardSettingsScope(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.counts()
		// Readers who may not write: 403; outsiders: 404.
		swWantCode(t, "city hours", w.svc.SetOnsiteHours(w.ctx, w.city, swDongguan, "x"), counsel.CodeForbidden)
		swWantCode(t, "advisor hours", w.svc.SetOnsiteHours(w.ctx, w.advisor, swDongguan, "x"), counsel.CodeForbidden)
		swWantCode(t, "village hours", w.svc.SetOnsiteHours(w.ctx, w.village, swDongguan, "x"), counsel.CodeForbidden)
		swWantCode(t, "other bureau hours", w.svc.SetOnsiteHours(w.ctx, w.jhBureau, swDongguan, "x"), counsel.CodeNotFound)
		swWantCode(t, "judicial other town", w.svc.SetOnsiteHours(w.ctx, w.judicial, swXiaositou, "x"), counsel.CodeNotFound)
		swWantField(t, "long hours", w.svc.SetOnsiteHours(w.ctx, w.judicial, swDongguan, strings.Repeat("午", 61)), "onsite_hours", "err.too_long")
		o := &store.Office{TownCode: swShanhe, Name: "山河镇司法所", Phone: "12345"}
		swWantField(t, "bad office phone", w.svc.SaveOffice(w.ctx, w.judicial, o), "phone", "err.phone")
		swWantCode(t, "office by advisor", w.svc.SaveOffice(w.ctx, w.advisor, &store.Office{TownCode: swShanhe, Name: "x"}), counsel.CodeForbidden)
		swWantCode(t, "office of other town", w.svc.SaveOffice(w.ctx, w.judicial, &store.Office{TownCode: swYulinzi, Name: "x"}), counsel.CodeNotFound)
		swWantCode(t, "office of a village", w.svc.SaveOffice(w.ctx, w.admin, &store.Office{TownCode: swDongguan, Name: "x"}), counsel.CodeNotFound)
		w.sameCounts("refused board changes", before, w.counts())

		// The county bureau may; each change is audited.
		if err := w.svc.SetOnsiteHours(w.ctx, w.znBureau, swXiaositou, "每月第一个周五"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SaveOffice(w.ctx, w.znBureau, &store.Office{TownCode: swYulinzi, Name: "榆林子司法所", Phone: "0934-5219999"}); err != nil {
			t.Fatal(err)
		}
		after := w.counts()
		if after["audit_log"] != before["audit_log"]+2 || after["boards"] != before["boards"]+1 || after["offices"] != before["offices"]+1 {
			t.Errorf("counts after two changes: %v (before %v)", after, before)
		}
	})
}

func TestGroupNameRule(t *testing.T) {
	v := &counsel.Region{Code: swXiguan, Name: "西关村委会"}
	if got := service.GroupName(v); got != "西关村结对律师服务微信群" {
		t.Errorf("GroupName = %q", got)
	}
	c := &counsel.Region{Code: "621025100001", Name: "东城社区居委会"}
	if got := service.GroupName(c); got != "东城社区结对律师服务微信群" {
		t.Errorf("GroupName community = %q", got)
	}
	for _, tc := range []struct {
		name, key string
	}{
		{"西关村结对律师服务微信群", ""},
		{"西关村 结对律师服务微信群", ""},
		{"西关村委会结对律师服务微信群", ""},
		{"西关村法律服务群", "pub.group_name_suffix"},
		{"东关村结对律师服务微信群", "pub.group_name_village"},
		{"结对律师服务微信群", "pub.group_name_village"},
	} {
		key, args := service.CheckGroupName(v, tc.name)
		if key != tc.key {
			t.Errorf("CheckGroupName(%q) = %q, want %q", tc.name, key, tc.key)
		}
		if key != "" && (len(args) != 2 || args[1] != "西关村结对律师服务微信群") {
			t.Errorf("CheckGroupName(%q) args %v, want the suggested name", tc.name, args)
		}
	}
}

func TestWeChatGroupRegister(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.counts()
		// Outsiders and readers who may not write are refused.
		swWantCode(t, "provider", w.svc.SaveWeChatGroup(w.ctx, w.provider, pubGroup()), counsel.CodeForbidden)
		swWantCode(t, "city", w.svc.SaveWeChatGroup(w.ctx, w.city, pubGroup()), counsel.CodeForbidden)
		swWantCode(t, "village", w.svc.SaveWeChatGroup(w.ctx, w.village, pubGroup()), counsel.CodeForbidden)
		swWantCode(t, "other county", w.svc.SaveWeChatGroup(w.ctx, w.jhBureau, pubGroup()), counsel.CodeNotFound)
		other := pubGroup()
		other.VillageCode = swXiaositou // za3's village, not the advisor's
		swWantCode(t, "another advisor's village", w.svc.SaveWeChatGroup(w.ctx, w.advisor, other), counsel.CodeNotFound)
		// Bad input: a clear reason, nothing written.
		g := pubGroup()
		g.AdminNickname = "阿伟"
		swWantField(t, "nickname without the real name", w.svc.SaveWeChatGroup(w.ctx, w.advisor, g), "admin_nickname", "pub.err_real_name")
		g = pubGroup()
		g.AdminAdvisorID = w.za2.ID
		swWantField(t, "admin not the village's advisor", w.svc.SaveWeChatGroup(w.ctx, w.judicial, g), "admin_advisor_id", "pub.err_group_admin")
		g = pubGroup()
		g.Members.Advisor = 0
		swWantField(t, "no advisor member", w.svc.SaveWeChatGroup(w.ctx, w.advisor, g), "members_advisor", "pub.err_advisor_member")
		g = pubGroup()
		g.Members.Party = -1
		swWantField(t, "negative count", w.svc.SaveWeChatGroup(w.ctx, w.advisor, g), "members_party", "err.range")
		g = pubGroup()
		g.Members.Representative = 490
		swWantField(t, "over 500", w.svc.SaveWeChatGroup(w.ctx, w.advisor, g), "members_total", "pub.err_members_total")
		g = pubGroup()
		g.VillageCode = swXiguan // no live agreement
		swWantField(t, "no advisor", w.svc.SaveWeChatGroup(w.ctx, w.judicial, g), "admin_advisor_id", "pub.err_no_advisor")
		if _, err := w.svc.SetGroupQR(w.ctx, w.advisor, swDongguan, "0123456789abcdef0123456789abcdef.png"); swField(err, "photo") == nil {
			t.Errorf("QR before the group: %v, want a field error", err)
		}
		w.sameCounts("refused group changes", before, w.counts())

		// The village's advisor registers it; the admin defaults to them.
		g = pubGroup()
		g.Name = "东关村法律群"
		if err := w.svc.SaveWeChatGroup(w.ctx, w.advisor, g); err != nil {
			t.Fatal(err)
		}
		if g.AdminAdvisorID != w.za1.ID || g.AdminName != "王伟" || g.CreatedAt == 0 {
			t.Errorf("saved group: %+v", g)
		}
		vb, err := w.svc.VillageBoard(w.ctx, w.judicial, swDongguan)
		if err != nil {
			t.Fatal(err)
		}
		if vb.Group == nil || vb.NameKey != "pub.group_name_suffix" || vb.SuggestedName != "东关村结对律师服务微信群" || vb.AdminStale {
			t.Errorf("village board: %+v", vb)
		}
		if len(vb.MissingRoles) != 0 || vb.QRValid || !vb.CanGroup || !vb.CanHours || !vb.CanOffice {
			t.Errorf("village board flags: %+v", vb)
		}
		// The board shows the group, and asks the village committee (no QR).
		b, _ := w.svc.PublicBoard(w.ctx, swDongguan)
		if b.Group == nil || b.Group.Name != "东关村法律群" || b.Group.QRValid || b.Group.AdminName != "王伟" {
			t.Errorf("board group: %+v", b.Group)
		}
		// Renamed by the rule, a member count changed by the judicial office.
		g = pubGroup()
		g.Members.Judicial = 0
		if err := w.svc.SaveWeChatGroup(w.ctx, w.judicial, g); err != nil {
			t.Fatal(err)
		}
		vb, _ = w.svc.VillageBoard(w.ctx, w.advisor, swDongguan)
		if vb.NameKey != "" || len(vb.MissingRoles) != 1 || vb.MissingRoles[0] != "judicial" || vb.CanHours || !vb.CanGroup || vb.CanOffice {
			t.Errorf("after rename: %+v", vb)
		}
		// The QR: valid for 7 days from the upload.
		old, err := w.svc.SetGroupQR(w.ctx, w.advisor, swDongguan, "0123456789abcdef0123456789abcdef.png")
		if err != nil || old != "" {
			t.Fatalf("set QR: %q %v", old, err)
		}
		if f, err := w.svc.PublicGroupQR(w.ctx, swDongguan); err != nil || f != "0123456789abcdef0123456789abcdef.png" {
			t.Errorf("QR in force: %q %v", f, err)
		}
		b, _ = w.svc.PublicBoard(w.ctx, swDongguan)
		if !b.Group.QRValid || b.Group.QRExpiresAt != w.now.Add(service.GroupQRLife).UnixMilli() {
			t.Errorf("board QR: %+v", b.Group)
		}
		w.now = w.now.Add(service.GroupQRLife)
		if _, err := w.svc.PublicGroupQR(w.ctx, swDongguan); swCode(err) != counsel.CodeNotFound {
			t.Errorf("expired QR served: %v", err)
		}
		b, _ = w.svc.PublicBoard(w.ctx, swDongguan)
		if b.Group.QRValid {
			t.Error("expired QR shown as valid on the board")
		}
		if old, err := w.svc.SetGroupQR(w.ctx, w.judicial, swDongguan, "fedcba9876543210fedcba9876543210.jpg"); err != nil || old != "0123456789abcdef0123456789abcdef.png" {
			t.Errorf("replace QR: %q %v", old, err)
		}
		after := w.counts()
		if after["wechat_groups"] != before["wechat_groups"]+1 || after["audit_log"] != before["audit_log"]+4 {
			t.Errorf("counts: %v (before %v)", after, before)
		}
	})
}

func TestPublicAdvisorPhoto(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if _, err := w.svc.PublicAdvisorPhoto(w.ctx, swDongguan); swCode(err) != counsel.CodeNotFound {
			t.Errorf("no photo yet: %v", err)
		}
		for _, adv := range []*counsel.Advisor{w.za1, w.za2} {
			adv.Photo = "0123456789abcdef0123456789abcdef.jpg"
			if err := w.svc.SaveAdvisor(w.ctx, counsel.System, adv); err != nil {
				t.Fatal(err)
			}
		}
		if f, err := w.svc.PublicAdvisorPhoto(w.ctx, swDongguan); err != nil || f != w.za1.Photo {
			t.Errorf("photo of the village's advisor: %q %v", f, err)
		}
		// 西关村 has no live agreement: no photo, although za2 has one.
		if _, err := w.svc.PublicAdvisorPhoto(w.ctx, swXiguan); swCode(err) != counsel.CodeNotFound {
			t.Errorf("village without advisor: %v", err)
		}
		// Once the agreement ends, the photo is private again.
		if _, err := w.svc.MoveAgreement(w.ctx, w.znBureau, w.g1.ID, counsel.AgreementEnded, "2026-06-15"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.PublicAdvisorPhoto(w.ctx, swDongguan); swCode(err) != counsel.CodeNotFound {
			t.Errorf("after the agreement ended: %v", err)
		}
	})
}

func TestRemindExpiredGroupQR(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		// Accounts for za1 (东关村) and za3 (小寺头村).
		for _, u := range []*counsel.User{
			{Username: "pub-za1", DisplayName: "王伟", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID},
			{Username: "pub-za3", DisplayName: "张敏", Role: counsel.RoleAdvisor, AdvisorID: w.za3.ID},
		} {
			if err := account.NewService(w.svc).CreateUser(w.ctx, w.admin, u, "long-password-1"); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.svc.SaveWeChatGroup(w.ctx, w.advisor, pubGroup()); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.SetGroupQR(w.ctx, w.advisor, swDongguan, "0123456789abcdef0123456789abcdef.png"); err != nil {
			t.Fatal(err)
		}
		unread := func(username string) []store.Notification {
			cr, err := account.CredentialsOf(w.ctx, w.db, username)
			if err != nil {
				t.Fatal(err)
			}
			ns, err := w.db.Notifications(w.ctx, cr.User.ID, 50)
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}
		// Day 1: 东关村's QR is in force; 小寺头村 (za3) has no group; 天城村's
		// advisor has no account. One reminder, to za3.
		n, err := w.svc.RemindExpiredGroupQR(w.ctx, w.now.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("first run: %d %v, want 1", n, err)
		}
		if ns := unread("pub-za3"); len(ns) != 1 || !strings.Contains(ns[0].Title, "小寺头村") || ns[0].Link != "/boards/"+swXiaositou {
			t.Errorf("za3's reminders: %+v", ns)
		}
		// Idempotent.
		if n, err := w.svc.RemindExpiredGroupQR(w.ctx, w.now.Add(2*time.Hour)); err != nil || n != 0 {
			t.Errorf("second run: %d %v, want 0", n, err)
		}
		// Seven days later 东关村's QR has expired: za1 is reminded, once.
		later := w.now.Add(service.GroupQRLife)
		if n, err := w.svc.RemindExpiredGroupQR(w.ctx, later); err != nil || n != 1 {
			t.Errorf("after expiry: %d %v, want 1", n, err)
		}
		if n, _ := w.svc.RemindExpiredGroupQR(w.ctx, later.Add(time.Hour)); n != 0 {
			t.Errorf("after expiry again: %d, want 0", n)
		}
		ns := unread("pub-za1")
		if len(ns) != 1 || !strings.Contains(ns[0].Title, "东关村") || ns[0].Kind != "group_qr_expired" {
			t.Errorf("za1's reminders: %+v", ns)
		}
		// A new image, expired in turn, reminds again.
		w.now = later
		if _, err := w.svc.SetGroupQR(w.ctx, w.advisor, swDongguan, "fedcba9876543210fedcba9876543210.png"); err != nil {
			t.Fatal(err)
		}
		if n, _ := w.svc.RemindExpiredGroupQR(w.ctx, later.Add(time.Hour)); n != 0 {
			t.Errorf("fresh image: %d reminders, want 0", n)
		}
		if n, _ := w.svc.RemindExpiredGroupQR(w.ctx, later.Add(service.GroupQRLife)); n != 1 {
			t.Errorf("second expiry: %d reminders, want 1", n)
		}
	})
}

func TestPublicSearch(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		codes := func(q string) []string {
			t.Helper()
			hits, err := w.svc.PublicSearch(w.ctx, q)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			var out []string
			for _, h := range hits {
				if counsel.LevelOf(h.Code) != counsel.LevelVillage {
					t.Errorf("search %q answered a non-village %s %s", q, h.Code, h.Name)
				}
				out = append(out, h.Code)
			}
			return out
		}
		has := func(list []string, code string) bool {
			for _, c := range list {
				if c == code {
					return true
				}
			}
			return false
		}
		for _, q := range []string{"西关", "西关村", "xiguan", "XiGuan", "xi guan", "xgc", swXiguan} {
			if got := codes(q); !has(got, swXiguan) {
				t.Errorf("search %q: %v, want 西关村 %s", q, got, swXiguan)
			}
		}
		hits, _ := w.svc.PublicSearch(w.ctx, "西关")
		for _, h := range hits {
			if h.Code == swXiguan && (h.TownName != "山河镇" || h.CountyName != "正宁县") {
				t.Errorf("hit names: %+v", h)
			}
		}
		// Towns and counties are never answered; nonsense finds nothing.
		for _, q := range []string{"山河镇", "正宁", "zzzzqqq", "", "x"} {
			for _, c := range codes(q) {
				if counsel.LevelOf(c) != counsel.LevelVillage {
					t.Errorf("search %q: %s", q, c)
				}
			}
		}
		if got := codes("zzzzqqq"); len(got) != 0 {
			t.Errorf("nonsense: %v", got)
		}
		if got := codes("天城"); !has(got, swTiancheng) {
			t.Errorf("天城: %v", got)
		}
		// The index is complete and a renamed village is re-indexed.
		n, err := w.svc.SyncPinyin(w.ctx)
		if err != nil || n != 0 {
			t.Errorf("sync after search: %d %v, want 0", n, err)
		}
		if err := w.db.WithTx(w.ctx, func(tx *store.Tx) error {
			return tx.UpsertRegions(w.ctx, []counsel.Region{{Code: swXiguan, Name: "新西关村委会", Level: counsel.LevelVillage, ParentCode: swShanhe}})
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.SyncPinyin(w.ctx); err != nil || n != 1 {
			t.Errorf("sync after rename: %d %v, want 1", n, err)
		}
		if got := codes("xinxiguan"); !has(got, swXiguan) {
			t.Errorf("renamed: %v", got)
		}
	})
}

func TestPinyin(t *testing.T) {
	for _, tc := range []struct{ name, full, initials string }{
		{"西关村委会", "xiguancunweihui", "xgcwh"},
		{"吕家村", "lvjiacun", "ljc"},
		{"A区1号", "aqu1hao", "aq1h"},
	} {
		full, ini := service.Pinyin(tc.name)
		if strings.Fields(full)[0] != tc.full || strings.Fields(ini)[0] != tc.initials {
			t.Errorf("Pinyin(%q) = %q, %q; want first %q, %q", tc.name, full, ini, tc.full, tc.initials)
		}
	}
	// A character with several readings gives variants: 长 chang/zhang.
	full, _ := service.Pinyin("长乐村")
	if !strings.Contains(full, "changle") || !strings.Contains(full, "zhang") || len(strings.Fields(full)) > 8 {
		t.Errorf("Pinyin(长乐村) = %q", full)
	}
	full, _ = service.Pinyin("长长长长长长长长长长")
	if len(strings.Fields(full)) > 8 {
		t.Errorf("variants not bounded: %d", len(strings.Fields(full)))
	}
}
