package pairing_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/demo"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

const (
	dongguan  = "621025100200" // 东关村委会, 山河镇
	xiguan    = "621025100201" // 西关村委会, 山河镇
	shanhe    = "621025100000" // 山河镇
	yulinzi   = "621025101000" // 榆林子镇
	zhengning = "621025000000"
	qingyang  = "621000000000"
	jinghu    = "340202000000"
)

// exportFixture holds the records of a small 1+N data set: in 东关村 an
// advisor paired with a 两委 member and a grid worker, and one pairing in
// 镜湖区 that no 正宁县 account may see.
type exportFixture struct {
	provider, otherProvider *counsel.Provider
	advisor                 *counsel.Advisor
	secretary, grid         *counsel.Person
	pairSecretary, pairGrid *counsel.Pairing
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newExportFixture(t *testing.T, ctx context.Context, svc *registry.Service) *exportFixture {
	t.Helper()
	pn := pairing.NewService(svc)
	a := counsel.System
	if _, err := demo.LoadRegions(ctx, svc.DB); err != nil {
		t.Fatal(err)
	}
	x := &exportFixture{}
	x.provider = &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃导出测试律师事务所", CountyCode: zhengning}
	mustOK(t, svc.SaveProvider(ctx, a, x.provider))
	x.advisor = &counsel.Advisor{ProviderID: x.provider.ID, Kind: counsel.AdvisorLawyer, Name: "王正", Phone: "13800000001", Active: true, Photo: "adv.png"}
	mustOK(t, svc.SaveAdvisor(ctx, a, x.advisor))
	mustOK(t, svc.SaveAgreement(ctx, a, &counsel.Agreement{AdvisorID: x.advisor.ID, RegionCode: dongguan, StartDate: "2026-01-01", EndDate: "2026-12-31",
		Status: counsel.AgreementFiled, SignedOn: "2026-01-05", FiledOn: "2026-03-01"}))
	x.secretary = &counsel.Person{VillageCode: dongguan, Name: "李书记", Position: "党支部书记", Committee: true, Phone: "13900000001", Photo: "../../etc/passwd"}
	mustOK(t, pn.SavePerson(ctx, a, x.secretary))
	x.grid = &counsel.Person{VillageCode: dongguan, Name: "张网格", Position: "网格员", Phone: "13900000002"}
	mustOK(t, pn.SavePerson(ctx, a, x.grid))
	x.pairSecretary = &counsel.Pairing{AdvisorID: x.advisor.ID, PersonID: x.secretary.ID, PairedOn: "2026-04-01", Evaluation: "优秀\n\n按时参加调解", Remarks: "备注一"}
	mustOK(t, pn.SavePairing(ctx, a, x.pairSecretary))
	x.pairGrid = &counsel.Pairing{AdvisorID: x.advisor.ID, PersonID: x.grid.ID, PairedOn: "2026-04-02"}
	mustOK(t, pn.SavePairing(ctx, a, x.pairGrid))
	mustOK(t, pn.AddActivity(ctx, a, &counsel.Activity{PairingID: x.pairSecretary.ID, Kind: "explainer", Date: "2026-06-18", Note: "民法典进村宣讲"}))
	mustOK(t, pn.AddActivity(ctx, a, &counsel.Activity{PairingID: x.pairSecretary.ID, Kind: "mediator", Date: "2026-05-02", Note: "调解邻里纠纷"}))

	// Another county's pairing.
	x.otherProvider = &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "安徽导出测试律师事务所", CountyCode: jinghu}
	mustOK(t, svc.SaveProvider(ctx, a, x.otherProvider))
	jhAdv := &counsel.Advisor{ProviderID: x.otherProvider.ID, Kind: counsel.AdvisorLawyer, Name: "赵镜", Phone: "13800000009", Active: true}
	mustOK(t, svc.SaveAdvisor(ctx, a, jhAdv))
	vs, err := registry.Villages(ctx, svc.DB, jinghu)
	if err != nil || len(vs) == 0 {
		t.Fatalf("镜湖区 villages: %v (%d)", err, len(vs))
	}
	mustOK(t, svc.SaveAgreement(ctx, a, &counsel.Agreement{AdvisorID: jhAdv.ID, RegionCode: vs[0].Code, StartDate: "2026-01-01", EndDate: "2026-12-31"}))
	jhP := &counsel.Person{VillageCode: vs[0].Code, Name: "钱镜", Position: "居委委员", Committee: true, Phone: "13900000009"}
	mustOK(t, pn.SavePerson(ctx, a, jhP))
	mustOK(t, pn.SavePairing(ctx, a, &counsel.Pairing{AdvisorID: jhAdv.ID, PersonID: jhP.ID, PairedOn: "2026-04-03"}))
	return x
}

func TestAttachment1RowsScopeAndMasking(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := registry.New(db, nil, registry.DefaultConfig())
		pn := pairing.NewService(svc)
		x := newExportFixture(t, ctx, svc)

		county := &counsel.Actor{Username: "b", Role: counsel.RoleBureau, RegionCode: zhengning}
		city := &counsel.Actor{Username: "c", Role: counsel.RoleBureau, RegionCode: qingyang}
		office := &counsel.Actor{Username: "j", Role: counsel.RoleJudicial, RegionCode: shanhe}
		otherOffice := &counsel.Actor{Username: "j2", Role: counsel.RoleJudicial, RegionCode: yulinzi}
		jhBureau := &counsel.Actor{Username: "jh", Role: counsel.RoleBureau, RegionCode: jinghu}
		provider := &counsel.Actor{Username: "p", Role: counsel.RoleProvider, ProviderID: x.provider.ID}
		otherProvider := &counsel.Actor{Username: "p2", Role: counsel.RoleProvider, ProviderID: x.otherProvider.ID}
		village := &counsel.Actor{Username: "v", Role: counsel.RoleVillage, RegionCode: dongguan}
		otherVillage := &counsel.Actor{Username: "v2", Role: counsel.RoleVillage, RegionCode: xiguan}

		want := []xlsx.PairingRow{
			{Town: "山河镇", Village: "东关村", AdvisorName: "王正", Firm: "甘肃导出测试律师事务所", AdvisorPhone: "13800000001",
				PersonName: "李书记", Position: "党支部书记", PersonPhone: "13900000001", PairedOn: "2026-04-01"},
			{Town: "山河镇", Village: "东关村", AdvisorName: "王正", Firm: "甘肃导出测试律师事务所", AdvisorPhone: "13800000001",
				PersonName: "张网格", Position: "网格员", PersonPhone: "13900000002", PairedOn: "2026-04-02"},
		}
		masked := func(rows []xlsx.PairingRow) []xlsx.PairingRow {
			out := append([]xlsx.PairingRow(nil), rows...)
			for i := range out {
				out[i].PersonPhone = counsel.MaskPhone(out[i].PersonPhone)
			}
			return out
		}
		tests := []struct {
			name   string
			a      *counsel.Actor
			region string
			want   []xlsx.PairingRow
			code   counsel.Code // expected error code, "" for none
		}{
			{"county bureau", county, "", want, ""},
			{"county bureau, town", county, shanhe, want, ""},
			{"county bureau, other town", county, yulinzi, nil, ""},
			{"city bureau masked", city, "", masked(want), ""},
			{"city bureau, county", city, zhengning, masked(want), ""},
			{"judicial office", office, "", want, ""},
			{"judicial office, village", office, dongguan, want, ""},
			{"other town's office", otherOffice, "", nil, ""},
			{"other town's office asks for the village", otherOffice, dongguan, nil, counsel.CodeNotFound},
			{"other county's bureau", jhBureau, zhengning, nil, counsel.CodeNotFound},
			{"provider masked", provider, "", masked(want), ""},
			{"other provider", otherProvider, zhengning, nil, counsel.CodeNotFound},
			{"village", village, "", want, ""},
			{"other village", otherVillage, "", nil, ""},
			{"bad code", county, "12345", nil, counsel.CodeInvalid},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := pn.Attachment1Rows(ctx, tc.a, tc.region)
				if tc.code != "" {
					if counsel.ErrorCode(err) != tc.code {
						t.Fatalf("got error %v, want code %s", err, tc.code)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.want) {
					t.Fatalf("got %d rows %+v, want %d", len(got), got, len(tc.want))
				}
				for i := range got {
					if got[i] != tc.want[i] {
						t.Errorf("row %d: got %+v, want %+v", i, got[i], tc.want[i])
					}
				}
			})
		}

		// The 镜湖区 bureau sees its own pairing and none of 正宁县's.
		rows, err := pn.Attachment1Rows(ctx, jhBureau, "")
		if err != nil || len(rows) != 1 || rows[0].PersonName != "钱镜" {
			t.Errorf("镜湖区 bureau: got %+v, %v; want its one pairing", rows, err)
		}

		// Titles.
		if got, err := svc.Attachment1Title(ctx, office, ""); err != nil || got != "山河镇“1+N”行动结对情况统计表" {
			t.Errorf("title: got %q, %v", got, err)
		}
		if got := pn.CardTitle(ctx, dongguan); got != "庆阳市“1+N”行动结对联系档案卡" {
			t.Errorf("card title: got %q", got)
		}

		// A dismissed person's pairing ends and leaves the table.
		p := *x.grid
		p.Status, p.StatusOn, p.Reason = counsel.PersonDismissed, "2026-07-01", "工作调动"
		mustOK(t, pn.SavePerson(ctx, county, &p))
		rows, err = pn.Attachment1Rows(ctx, county, "")
		if err != nil || len(rows) != 1 || rows[0].PersonName != "李书记" {
			t.Errorf("after dismissal: got %+v, %v; want only 李书记", rows, err)
		}
	})
}

func TestArchiveCards(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		cfg := registry.DefaultConfig()
		cfg.DataDir = t.TempDir()
		png := []byte("\x89PNG\r\n\x1a\nnot really an image")
		if err := os.MkdirAll(filepath.Join(cfg.DataDir, "photos"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(cfg.DataDir, "photos", "adv.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		svc := registry.New(db, nil, cfg)
		pn := pairing.NewService(svc)
		x := newExportFixture(t, ctx, svc)
		office := &counsel.Actor{Username: "j", Role: counsel.RoleJudicial, RegionCode: shanhe}
		city := &counsel.Actor{Username: "c", Role: counsel.RoleBureau, RegionCode: qingyang}
		otherOffice := &counsel.Actor{Username: "j2", Role: counsel.RoleJudicial, RegionCode: yulinzi}

		cards, err := pn.ArchiveCards(ctx, office, pairing.CardFilter{PairingID: x.pairSecretary.ID})
		if err != nil || len(cards) != 1 {
			t.Fatalf("cards: %v (%d)", err, len(cards))
		}
		c := cards[0]
		if c.AdvisorName != "王正" || c.AdvisorFirm != "甘肃导出测试律师事务所" || c.AdvisorPhone != "13800000001" {
			t.Errorf("advisor: got %+v", c)
		}
		if c.PersonName != "李书记" || c.PersonVillage != "东关村" || c.PersonPosition != "党支部书记" || c.PersonPhone != "13900000001" {
			t.Errorf("person: got %+v", c)
		}
		wantActs := []string{"2026-05-02 调解员：调解邻里纠纷", "2026-06-18 讲解员：民法典进村宣讲"}
		if strings.Join(c.Activities, "|") != strings.Join(wantActs, "|") {
			t.Errorf("activities: got %q, want %q", c.Activities, wantActs)
		}
		if strings.Join(c.Evaluations, "|") != "优秀|按时参加调解" || c.Remarks != "备注一" {
			t.Errorf("evaluations %q remarks %q", c.Evaluations, c.Remarks)
		}
		if !bytes.Equal(c.AdvisorPhoto, png) {
			t.Errorf("advisor photo: got %d bytes, want the stored file", len(c.AdvisorPhoto))
		}
		if c.PersonPhoto != nil {
			t.Errorf("a photo name with a path must not be read outside the photos folder")
		}

		// A village's cards: both current pairings; masked for the city.
		cards, err = pn.ArchiveCards(ctx, city, pairing.CardFilter{Region: dongguan})
		if err != nil || len(cards) != 2 {
			t.Fatalf("village cards: %v (%d)", err, len(cards))
		}
		for _, c := range cards {
			if !strings.Contains(c.PersonPhone, "****") {
				t.Errorf("city bureau sees person phone %q, want masked", c.PersonPhone)
			}
		}
		if _, err := pn.ArchiveCards(ctx, otherOffice, pairing.CardFilter{PairingID: x.pairSecretary.ID}); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("other town's office: got %v, want not found", err)
		}
		if _, err := pn.ArchiveCards(ctx, otherOffice, pairing.CardFilter{Region: dongguan}); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("other town's office, region: got %v, want not found", err)
		}

		// The cards write as a workbook.
		var buf bytes.Buffer
		if err := xlsx.WriteArchiveCards(&buf, pn.CardTitle(ctx, dongguan), cards); err != nil {
			t.Fatal(err)
		}

		// The rule names each village's advisor.
		rules, err := pn.PairingRulesWithAdvisors(ctx, office, "")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rules {
			if r.VillageCode == dongguan {
				found = true
				if r.AdvisorName != "王正" || r.Committee != 1 || r.Total != 2 || r.Met {
					t.Errorf("东关村 rule: got %+v", r)
				}
			} else if r.AdvisorName != "" {
				t.Errorf("%s has advisor %q, want none", r.VillageName, r.AdvisorName)
			}
		}
		if !found {
			t.Error("东关村 missing from the rules")
		}
	})
}
