package public_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/store"
)

// pubGroup is a register entry for 东关村 that follows every rule.
func pubGroup() *public.WeChatGroup {
	return &public.WeChatGroup{VillageCode: testworld.Dongguan, Name: "东关村结对律师服务微信群", AdminNickname: "王伟律师",
		Members: public.GroupMembers{Advisor: 1, Assistant: 1, Committee: 5, Mediation: 3, Party: 10, Representative: 20, Judicial: 2}}
}

func TestPublicBoard(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		b, err := w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
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
		if b.UpdatedOn == "" || b.UpdatedAt < w.G1.UpdatedAt {
			t.Errorf("updated %d %q, want at least the agreement's %d", b.UpdatedAt, b.UpdatedOn, w.G1.UpdatedAt)
		}
		// No person's phone anywhere on the board.
		if js := strings.Join([]string{b.Advisor.Phone, b.Office.Phone}, " "); strings.Contains(js, w.PZ1.Phone) {
			t.Error("a person's phone is on the board")
		}

		// A village without a live agreement has a board without an advisor.
		b2, err := w.pub.PublicBoard(w.Ctx, testworld.Xiguan)
		if err != nil || b2.Advisor != nil || b2.TermStart != "" {
			t.Errorf("西关村 board: %+v, %v", b2, err)
		}
		// Towns, bad and unknown codes are not found.
		for _, code := range []string{testworld.Shanhe, "12345", "621025100299", "abc"} {
			if _, err := w.pub.PublicBoard(w.Ctx, code); testworld.Code(err) != counsel.CodeNotFound {
				t.Errorf("board %q: %v, want not found", code, err)
			}
		}

		// Hours and the office change the board and its date.
		time.Sleep(2 * time.Millisecond)
		if err := w.pub.SetOnsiteHours(w.Ctx, w.Judicial, testworld.Dongguan, "  每周三 上午 "); err != nil {
			t.Fatal(err)
		}
		o := &public.Office{TownCode: testworld.Shanhe, Name: "山河镇司法所", Phone: "0934-5211234", Address: "山河镇东街1号"}
		if err := w.pub.SaveOffice(w.Ctx, w.Judicial, o); err != nil {
			t.Fatal(err)
		}
		b3, err := w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
		if err != nil {
			t.Fatal(err)
		}
		if b3.OnsiteHours != "每周三 上午" || b3.Office.Phone != "0934-5211234" || b3.UpdatedAt < o.UpdatedAt || b3.UpdatedAt <= b.UpdatedAt {
			t.Errorf("board after changes: hours %q office %+v updated %d (was %d)", b3.OnsiteHours, b3.Office, b3.UpdatedAt, b.UpdatedAt)
		}
		// The other villages of the town see the office too.
		if b4, _ := w.pub.PublicBoard(w.Ctx, testworld.Xiguan); b4.Office.Phone != "0934-5211234" {
			t.Errorf("西关村 office: %+v", b4.Office)
		}
	})
}

func TestPublicBoardSettingsScope(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		before := w.Counts()
		// Readers who may not write: 403; outsiders: 404.
		testworld.WantCode(t, "city hours", w.pub.SetOnsiteHours(w.Ctx, w.City, testworld.Dongguan, "x"), counsel.CodeForbidden)
		testworld.WantCode(t, "advisor hours", w.pub.SetOnsiteHours(w.Ctx, w.Advisor, testworld.Dongguan, "x"), counsel.CodeForbidden)
		testworld.WantCode(t, "village hours", w.pub.SetOnsiteHours(w.Ctx, w.Village, testworld.Dongguan, "x"), counsel.CodeForbidden)
		testworld.WantCode(t, "other bureau hours", w.pub.SetOnsiteHours(w.Ctx, w.JHBureau, testworld.Dongguan, "x"), counsel.CodeNotFound)
		testworld.WantCode(t, "judicial other town", w.pub.SetOnsiteHours(w.Ctx, w.Judicial, testworld.Xiaositou, "x"), counsel.CodeNotFound)
		testworld.WantField(t, "long hours", w.pub.SetOnsiteHours(w.Ctx, w.Judicial, testworld.Dongguan, strings.Repeat("午", 61)), "onsite_hours", "err.too_long")
		o := &public.Office{TownCode: testworld.Shanhe, Name: "山河镇司法所", Phone: "12345"}
		testworld.WantField(t, "bad office phone", w.pub.SaveOffice(w.Ctx, w.Judicial, o), "phone", "err.phone")
		testworld.WantCode(t, "office by advisor", w.pub.SaveOffice(w.Ctx, w.Advisor, &public.Office{TownCode: testworld.Shanhe, Name: "x"}), counsel.CodeForbidden)
		testworld.WantCode(t, "office of other town", w.pub.SaveOffice(w.Ctx, w.Judicial, &public.Office{TownCode: testworld.Yulinzi, Name: "x"}), counsel.CodeNotFound)
		testworld.WantCode(t, "office of a village", w.pub.SaveOffice(w.Ctx, w.Admin, &public.Office{TownCode: testworld.Dongguan, Name: "x"}), counsel.CodeNotFound)
		w.SameCounts("refused board changes", before, w.Counts())

		// The county bureau may; each change is audited.
		if err := w.pub.SetOnsiteHours(w.Ctx, w.ZNBureau, testworld.Xiaositou, "每月第一个周五"); err != nil {
			t.Fatal(err)
		}
		if err := w.pub.SaveOffice(w.Ctx, w.ZNBureau, &public.Office{TownCode: testworld.Yulinzi, Name: "榆林子司法所", Phone: "0934-5219999"}); err != nil {
			t.Fatal(err)
		}
		after := w.Counts()
		if after["audit_log"] != before["audit_log"]+2 || after["boards"] != before["boards"]+1 || after["offices"] != before["offices"]+1 {
			t.Errorf("counts after two changes: %v (before %v)", after, before)
		}
	})
}

func TestGroupNameRule(t *testing.T) {
	v := &counsel.Region{Code: testworld.Xiguan, Name: "西关村委会"}
	if got := public.GroupName(v); got != "西关村结对律师服务微信群" {
		t.Errorf("GroupName = %q", got)
	}
	c := &counsel.Region{Code: "621025100001", Name: "东城社区居委会"}
	if got := public.GroupName(c); got != "东城社区结对律师服务微信群" {
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
		key, args := public.CheckGroupName(v, tc.name)
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
		before := w.Counts()
		// Outsiders and readers who may not write are refused.
		testworld.WantCode(t, "provider", w.pub.SaveWeChatGroup(w.Ctx, w.Provider, pubGroup()), counsel.CodeForbidden)
		testworld.WantCode(t, "city", w.pub.SaveWeChatGroup(w.Ctx, w.City, pubGroup()), counsel.CodeForbidden)
		testworld.WantCode(t, "village", w.pub.SaveWeChatGroup(w.Ctx, w.Village, pubGroup()), counsel.CodeForbidden)
		testworld.WantCode(t, "other county", w.pub.SaveWeChatGroup(w.Ctx, w.JHBureau, pubGroup()), counsel.CodeNotFound)
		other := pubGroup()
		other.VillageCode = testworld.Xiaositou // za3's village, not the advisor's
		testworld.WantCode(t, "another advisor's village", w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, other), counsel.CodeNotFound)
		// Bad input: a clear reason, nothing written.
		g := pubGroup()
		g.AdminNickname = "阿伟"
		testworld.WantField(t, "nickname without the real name", w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, g), "admin_nickname", "pub.err_real_name")
		g = pubGroup()
		g.AdminAdvisorID = w.ZA2.ID
		testworld.WantField(t, "admin not the village's advisor", w.pub.SaveWeChatGroup(w.Ctx, w.Judicial, g), "admin_advisor_id", "pub.err_group_admin")
		g = pubGroup()
		g.Members.Advisor = 0
		testworld.WantField(t, "no advisor member", w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, g), "members_advisor", "pub.err_advisor_member")
		g = pubGroup()
		g.Members.Party = -1
		testworld.WantField(t, "negative count", w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, g), "members_party", "err.range")
		g = pubGroup()
		g.Members.Representative = 490
		testworld.WantField(t, "over 500", w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, g), "members_total", "pub.err_members_total")
		g = pubGroup()
		g.VillageCode = testworld.Xiguan // no live agreement
		testworld.WantField(t, "no advisor", w.pub.SaveWeChatGroup(w.Ctx, w.Judicial, g), "admin_advisor_id", "pub.err_no_advisor")
		if _, err := w.pub.SetGroupQR(w.Ctx, w.Advisor, testworld.Dongguan, "0123456789abcdef0123456789abcdef.png"); testworld.Field(err, "photo") == nil {
			t.Errorf("QR before the group: %v, want a field error", err)
		}
		w.SameCounts("refused group changes", before, w.Counts())

		// The village's advisor registers it; the admin defaults to them.
		g = pubGroup()
		g.Name = "东关村法律群"
		if err := w.pub.SaveWeChatGroup(w.Ctx, w.Advisor, g); err != nil {
			t.Fatal(err)
		}
		if g.AdminAdvisorID != w.ZA1.ID || g.AdminName != "王伟" || g.CreatedAt == 0 {
			t.Errorf("saved group: %+v", g)
		}
		vb, err := w.pub.VillageBoard(w.Ctx, w.Judicial, testworld.Dongguan)
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
		b, _ := w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
		if b.Group == nil || b.Group.Name != "东关村法律群" || b.Group.QRValid || b.Group.AdminName != "王伟" {
			t.Errorf("board group: %+v", b.Group)
		}
		// Renamed by the rule, a member count changed by the judicial office.
		g = pubGroup()
		g.Members.Judicial = 0
		if err := w.pub.SaveWeChatGroup(w.Ctx, w.Judicial, g); err != nil {
			t.Fatal(err)
		}
		vb, _ = w.pub.VillageBoard(w.Ctx, w.Advisor, testworld.Dongguan)
		if vb.NameKey != "" || len(vb.MissingRoles) != 1 || vb.MissingRoles[0] != "judicial" || vb.CanHours || !vb.CanGroup || vb.CanOffice {
			t.Errorf("after rename: %+v", vb)
		}
		// The QR: valid for 7 days from the upload.
		old, err := w.pub.SetGroupQR(w.Ctx, w.Advisor, testworld.Dongguan, "0123456789abcdef0123456789abcdef.png")
		if err != nil || old != "" {
			t.Fatalf("set QR: %q %v", old, err)
		}
		if f, err := w.pub.PublicGroupQR(w.Ctx, testworld.Dongguan); err != nil || f != "0123456789abcdef0123456789abcdef.png" {
			t.Errorf("QR in force: %q %v", f, err)
		}
		b, _ = w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
		if !b.Group.QRValid || b.Group.QRExpiresAt != w.Now.Add(public.GroupQRLife).UnixMilli() {
			t.Errorf("board QR: %+v", b.Group)
		}
		w.Now = w.Now.Add(public.GroupQRLife)
		if _, err := w.pub.PublicGroupQR(w.Ctx, testworld.Dongguan); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("expired QR served: %v", err)
		}
		b, _ = w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
		if b.Group.QRValid {
			t.Error("expired QR shown as valid on the board")
		}
		if old, err := w.pub.SetGroupQR(w.Ctx, w.Judicial, testworld.Dongguan, "fedcba9876543210fedcba9876543210.jpg"); err != nil || old != "0123456789abcdef0123456789abcdef.png" {
			t.Errorf("replace QR: %q %v", old, err)
		}
		after := w.Counts()
		if after["wechat_groups"] != before["wechat_groups"]+1 || after["audit_log"] != before["audit_log"]+4 {
			t.Errorf("counts: %v (before %v)", after, before)
		}
	})
}

func TestPublicAdvisorPhoto(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		if _, err := w.pub.PublicAdvisorPhoto(w.Ctx, testworld.Dongguan); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("no photo yet: %v", err)
		}
		for _, adv := range []*counsel.Advisor{w.ZA1, w.ZA2} {
			adv.Photo = "0123456789abcdef0123456789abcdef.jpg"
			if err := w.Svc.SaveAdvisor(w.Ctx, counsel.System, adv); err != nil {
				t.Fatal(err)
			}
		}
		if f, err := w.pub.PublicAdvisorPhoto(w.Ctx, testworld.Dongguan); err != nil || f != w.ZA1.Photo {
			t.Errorf("photo of the village's advisor: %q %v", f, err)
		}
		// 西关村 has no live agreement: no photo, although za2 has one.
		if _, err := w.pub.PublicAdvisorPhoto(w.Ctx, testworld.Xiguan); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("village without advisor: %v", err)
		}
		// Once the agreement ends, the photo is private again.
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, w.G1.ID, counsel.AgreementEnded, "2026-06-15"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.pub.PublicAdvisorPhoto(w.Ctx, testworld.Dongguan); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("after the agreement ended: %v", err)
		}
	})
}

func TestPublicSearch(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		codes := func(q string) []string {
			t.Helper()
			hits, err := w.pub.PublicSearch(w.Ctx, q)
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
		for _, q := range []string{"西关", "西关村", "xiguan", "XiGuan", "xi guan", "xgc", testworld.Xiguan} {
			if got := codes(q); !has(got, testworld.Xiguan) {
				t.Errorf("search %q: %v, want 西关村 %s", q, got, testworld.Xiguan)
			}
		}
		hits, _ := w.pub.PublicSearch(w.Ctx, "西关")
		for _, h := range hits {
			if h.Code == testworld.Xiguan && (h.TownName != "山河镇" || h.CountyName != "正宁县") {
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
		if got := codes("天城"); !has(got, testworld.Tiancheng) {
			t.Errorf("天城: %v", got)
		}
		// The index is complete and a renamed village is re-indexed.
		n, err := w.pub.SyncPinyin(w.Ctx)
		if err != nil || n != 0 {
			t.Errorf("sync after search: %d %v, want 0", n, err)
		}
		if err := w.DB.WithTx(w.Ctx, func(tx *store.Tx) error {
			return registry.UpsertRegions(w.Ctx, tx, []counsel.Region{{Code: testworld.Xiguan, Name: "新西关村委会", Level: counsel.LevelVillage, ParentCode: testworld.Shanhe}})
		}); err != nil {
			t.Fatal(err)
		}
		if n, err := w.pub.SyncPinyin(w.Ctx); err != nil || n != 1 {
			t.Errorf("sync after rename: %d %v, want 1", n, err)
		}
		if got := codes("xinxiguan"); !has(got, testworld.Xiguan) {
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
		full, ini := public.Pinyin(tc.name)
		if strings.Fields(full)[0] != tc.full || strings.Fields(ini)[0] != tc.initials {
			t.Errorf("Pinyin(%q) = %q, %q; want first %q, %q", tc.name, full, ini, tc.full, tc.initials)
		}
	}
	// A character with several readings gives variants: 长 chang/zhang.
	full, _ := public.Pinyin("长乐村")
	if !strings.Contains(full, "changle") || !strings.Contains(full, "zhang") || len(strings.Fields(full)) > 8 {
		t.Errorf("Pinyin(长乐村) = %q", full)
	}
	full, _ = public.Pinyin("长长长长长长长长长长")
	if len(strings.Fields(full)) > 8 {
		t.Errorf("variants not bounded: %d", len(strings.Fields(full)))
	}
}

// TestBoardRefreshOnRegistryChange: the layered service's changes of what a
// board shows (the advisor, the provider, the agreement) drop the cached
// boards at once, through the hook NewService registers.
func TestBoardRefreshOnRegistryChange(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		b, err := w.pub.PublicBoard(w.Ctx, testworld.Dongguan)
		if err != nil || b.Advisor == nil {
			t.Fatalf("board: %+v %v", b, err)
		}
		if again, _ := w.pub.PublicBoard(w.Ctx, testworld.Dongguan); again != b {
			t.Error("the board was built again within its cache time")
		}
		w.ZA1.WeChat = "wangwei-lawyer"
		if err := w.Svc.SaveAdvisor(w.Ctx, counsel.System, w.ZA1); err != nil {
			t.Fatal(err)
		}
		if b, _ = w.pub.PublicBoard(w.Ctx, testworld.Dongguan); b.Advisor == nil || b.Advisor.WeChat != "wangwei-lawyer" {
			t.Errorf("board after the advisor's change: %+v", b.Advisor)
		}
		w.ZP1.Name = "甘肃正义律师事务所（庆阳）"
		if err := w.Svc.SaveProvider(w.Ctx, counsel.System, w.ZP1); err != nil {
			t.Fatal(err)
		}
		if b, _ = w.pub.PublicBoard(w.Ctx, testworld.Dongguan); b.Advisor == nil || b.Advisor.ProviderName != w.ZP1.Name {
			t.Errorf("board after the provider's change: %+v", b.Advisor)
		}
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, w.G1.ID, counsel.AgreementEnded, "2026-06-15"); err != nil {
			t.Fatal(err)
		}
		if b, _ = w.pub.PublicBoard(w.Ctx, testworld.Dongguan); b.Advisor != nil {
			t.Errorf("board after the agreement ended: %+v", b.Advisor)
		}
	})
}
