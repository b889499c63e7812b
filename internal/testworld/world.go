// Package testworld is the shared test fixture of the layered service and
// the features over it: a small world built through the services on every
// configured engine (SQLite always, PostgreSQL when COUNSEL_TEST_POSTGRES is
// set) with the real division codes of 正宁县 (621025) and 镜湖区 (340202),
// three providers, four advisors, three agreements, four legal-literate
// persons and three pairings, and an actor for every role.
//
// It is test support only: tests of any package may import it, no feature
// may. A package's own helpers and its feature service stay in that
// package's test files, usually on a small type embedding *World.
package testworld

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// Region codes of the world (division extract).
const (
	ZN        = "621025000000" // 甘肃省庆阳市正宁县
	ZNCity    = "621000000000" // 庆阳市
	Shanhe    = "621025100000" // 山河镇
	Dongguan  = "621025100200" // 东关村委会 (山河镇)
	Xiguan    = "621025100201" // 西关村委会 (山河镇)
	Caiyu     = "621025100202" // 蔡峪村委会 (山河镇)
	Yulinzi   = "621025101000" // 榆林子镇
	Xiaositou = "621025101200" // 小寺头村委会 (榆林子镇)
	JH        = "340202000000" // 安徽省芜湖市镜湖区
	Fangcun   = "340202012000" // 方村街道
	Tiancheng = "340202012200" // 天城村村民委员会 (方村街道)
)

// ShanheVillages are the 13 villages of 山河镇 in code order.
var ShanheVillages = []string{"621025100001", "621025100002", "621025100200", "621025100201", "621025100202", "621025100203",
	"621025100204", "621025100205", "621025100206", "621025100207", "621025100208", "621025100209", "621025100210"}

// Day is the world's "today": mid-June 2026 in China.
var Day = time.Date(2026, 6, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// World is one engine's database with the fixture and the actors.
type World struct {
	T   *testing.T
	Ctx context.Context
	DB  *store.DB
	Svc *registry.Service
	Pn  *pairing.Service // the 1+N feature over Svc
	Lg  *ledger.Service  // the ledger over Svc (one per world: its caches)
	Now time.Time        // what Svc.Now returns

	// 正宁县: two providers, three advisors; 镜湖区: one of each.
	ZP1, ZP2, JP1      *counsel.Provider
	ZA1, ZA2, ZA3, JA1 *counsel.Advisor
	// G1: ZA1 at 东关村, filed; G2: ZA3 at 小寺头村, signed; GJ: JA1 at 天城村, filed.
	G1, G2, GJ *counsel.Agreement
	// PZ1 (东关村, 两委), PZ2 (小寺头村), PJ1 (天城村), each paired with the village's advisor.
	PZ1, PZ2, PJ1 *counsel.Person
	// PZ3 is a second 两委 member of 东关村, not paired.
	PZ3          *counsel.Person
	QZ1, QZ2, QJ *counsel.Pairing

	Admin, ZNBureau, JHBureau, City, Judicial, Village, Provider, Advisor *counsel.Actor
}

// Engines runs fn on a fresh world on every configured engine.
func Engines(t *testing.T, fn func(t *testing.T, w *World)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		fn(t, New(t, db))
	})
}

// Regions returns the regions of the two demo counties and their ancestors
// from the embedded division extract (what demo.LoadRegions loads, narrowed
// so that every test's fresh database fills in a blink on both engines).
func Regions(t testing.TB) []counsel.Region {
	t.Helper()
	regionsOnce.Do(func() {
		regions, regionsErr = division.Load(division.Extract(), func(code string) bool {
			return counsel.Within(code, ZN) || counsel.Within(code, JH)
		})
	})
	if regionsErr != nil {
		t.Fatalf("division extract: %v", regionsErr)
	}
	return regions
}

var (
	regionsOnce sync.Once
	regions     []counsel.Region
	regionsErr  error
)

// Quiet is a logger that discards everything.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// New builds the world in db through a new layered service whose clock
// reads w.Now (Day until a test moves it).
func New(t *testing.T, db *store.DB) *World {
	t.Helper()
	w := &World{T: t, Ctx: context.Background(), DB: db, Now: Day}
	w.Svc = registry.New(db, Quiet, registry.DefaultConfig())
	w.Pn = pairing.NewService(w.Svc)
	w.Lg = ledger.NewService(w.Svc)
	w.Svc.Now = func() time.Time { return w.Now }
	rs := Regions(t)
	if err := db.WithTx(w.Ctx, func(tx *store.Tx) error { return registry.UpsertRegions(w.Ctx, tx, rs) }); err != nil {
		t.Fatalf("load regions: %v", err)
	}
	sys := counsel.System
	w.ZP1 = w.NewProvider(sys, counsel.ProviderLawFirm, "甘肃正义律师事务所", ZN, "0934-5123456")
	w.ZP2 = w.NewProvider(sys, counsel.ProviderServiceOffice, "正宁城关法律服务所", ZN, "0934-5123457")
	w.JP1 = w.NewProvider(sys, counsel.ProviderLawFirm, "安徽明德律师事务所", JH, "0553-5123456")
	w.ZA1 = w.AdvisorOf(sys, w.ZP1, "王伟", "13800000001")
	w.ZA2 = w.AdvisorOf(sys, w.ZP1, "李娜", "13800000002")
	w.ZA3 = w.AdvisorOf(sys, w.ZP2, "张敏", "13800000003")
	w.JA1 = w.AdvisorOf(sys, w.JP1, "刘洋", "13800000004")
	w.G1 = w.Agreement(sys, w.ZA1, Dongguan, counsel.AgreementFiled)
	w.G2 = w.Agreement(sys, w.ZA3, Xiaositou, counsel.AgreementSigned)
	w.GJ = w.Agreement(sys, w.JA1, Tiancheng, counsel.AgreementFiled)
	w.PZ1 = w.Person(sys, Dongguan, "陈静", "村委委员", "13900000001")
	w.PZ2 = w.Person(sys, Xiaositou, "杨磊", "党支部书记", "13900000002")
	w.PJ1 = w.Person(sys, Tiancheng, "赵军", "村委会主任", "13900000003")
	w.PZ3 = w.Person(sys, Dongguan, "黄芳", "妇联主席", "13900000004")
	w.QZ1 = w.Pairing(sys, w.ZA1, w.PZ1)
	w.QZ2 = w.Pairing(sys, w.ZA3, w.PZ2)
	w.QJ = w.Pairing(sys, w.JA1, w.PJ1)

	w.Admin = &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin, IP: "10.0.0.1"}
	w.ZNBureau = &counsel.Actor{Username: "t-zn-bureau", Role: counsel.RoleBureau, RegionCode: ZN, IP: "10.0.0.2"}
	w.JHBureau = &counsel.Actor{Username: "t-jh-bureau", Role: counsel.RoleBureau, RegionCode: JH, IP: "10.0.0.3"}
	w.City = &counsel.Actor{Username: "t-zn-city", Role: counsel.RoleBureau, RegionCode: ZNCity, IP: "10.0.0.4"}
	w.Judicial = &counsel.Actor{Username: "t-zn-judicial", Role: counsel.RoleJudicial, RegionCode: Shanhe, IP: "10.0.0.5"}
	w.Village = &counsel.Actor{Username: "t-zn-village", Role: counsel.RoleVillage, RegionCode: Dongguan, IP: "10.0.0.6"}
	w.Provider = &counsel.Actor{Username: "t-zn-provider", Role: counsel.RoleProvider, ProviderID: w.ZP1.ID, IP: "10.0.0.7"}
	w.Advisor = &counsel.Actor{Username: "t-zn-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID, IP: "10.0.0.8"}
	return w
}

// NewProvider saves a provider of a county.
func (w *World) NewProvider(a *counsel.Actor, kind, name, county, phone string) *counsel.Provider {
	w.T.Helper()
	p := &counsel.Provider{Kind: kind, Name: name, CountyCode: county, Phone: phone, Address: "人民路1号"}
	if err := w.Svc.SaveProvider(w.Ctx, a, p); err != nil {
		w.T.Fatalf("save provider %s: %v", name, err)
	}
	return p
}

// AdvisorOf saves an active advisor of a provider: a lawyer of a law firm,
// a grassroots legal worker otherwise.
func (w *World) AdvisorOf(a *counsel.Actor, p *counsel.Provider, name, phone string) *counsel.Advisor {
	w.T.Helper()
	kind := counsel.AdvisorLawyer
	if p.Kind != counsel.ProviderLawFirm {
		kind = counsel.AdvisorGrassroots
	}
	adv := &counsel.Advisor{ProviderID: p.ID, Kind: kind, Name: name, Phone: phone, Active: true}
	if err := w.Svc.SaveAdvisor(w.Ctx, a, adv); err != nil {
		w.T.Fatalf("save advisor %s: %v", name, err)
	}
	return adv
}

// NewAgreement is an unsaved 2026 agreement of an advisor for a village.
func (w *World) NewAgreement(adv *counsel.Advisor, village, status string) *counsel.Agreement {
	g := &counsel.Agreement{ProviderID: adv.ProviderID, AdvisorID: adv.ID, RegionCode: village, StartDate: "2026-01-01", EndDate: "2026-12-31",
		SubsidyFen: 500000, Status: status}
	switch status {
	case counsel.AgreementSigned:
		g.SignedOn = "2026-01-05"
	case counsel.AgreementFiled:
		g.SignedOn, g.FiledOn = "2026-01-05", "2026-03-10"
	}
	return g
}

// Agreement saves a 2026 agreement of an advisor for a village.
func (w *World) Agreement(a *counsel.Actor, adv *counsel.Advisor, village, status string) *counsel.Agreement {
	w.T.Helper()
	g := w.NewAgreement(adv, village, status)
	if err := w.Svc.SaveAgreement(w.Ctx, a, g); err != nil {
		w.T.Fatalf("save agreement %s: %v", village, err)
	}
	return g
}

// Person saves a legal-literate person of a village.
func (w *World) Person(a *counsel.Actor, village, name, position, phone string) *counsel.Person {
	w.T.Helper()
	p := &counsel.Person{VillageCode: village, Name: name, Position: position, Committee: counsel.CommitteePosition(position), Phone: phone}
	if err := w.Pn.SavePerson(w.Ctx, a, p); err != nil {
		w.T.Fatalf("save person %s: %v", name, err)
	}
	return p
}

// Pairing pairs an advisor with a person from 2026-04-01.
func (w *World) Pairing(a *counsel.Actor, adv *counsel.Advisor, p *counsel.Person) *counsel.Pairing {
	w.T.Helper()
	q := &counsel.Pairing{AdvisorID: adv.ID, PersonID: p.ID, PairedOn: "2026-04-01"}
	if err := w.Pn.SavePairing(w.Ctx, a, q); err != nil {
		w.T.Fatalf("save pairing %s–%s: %v", adv.Name, p.Name, err)
	}
	return q
}

// Counts returns the row counts of the main tables.
func (w *World) Counts() map[string]int {
	w.T.Helper()
	c, err := w.DB.TableCounts(w.Ctx)
	if err != nil {
		w.T.Fatalf("table counts: %v", err)
	}
	return c
}

// SameCounts fails when any table's row count differs.
func (w *World) SameCounts(what string, before, after map[string]int) {
	w.T.Helper()
	for k, v := range before {
		if after[k] != v {
			w.T.Errorf("%s: table %s has %d rows, want %d (unchanged)", what, k, after[k], v)
		}
	}
}
