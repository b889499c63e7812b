package ledger_test

// The ledger tests run on every configured engine against the service tests'
// world (a copy of service/service_test.go's fixture: the real division
// codes of 正宁县 and 镜湖区, providers, advisors, agreements, persons and
// pairings built through the layered service), with the ledger service over it.

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// Region codes of the world (division extract).
const (
	swZN        = "621025000000" // 甘肃省庆阳市正宁县
	swZNCity    = "621000000000" // 庆阳市
	swShanhe    = "621025100000" // 山河镇
	swDongguan  = "621025100200" // 东关村委会 (山河镇)
	swXiguan    = "621025100201" // 西关村委会 (山河镇)
	swCaiyu     = "621025100202" // 蔡峪村委会 (山河镇)
	swYulinzi   = "621025101000" // 榆林子镇
	swXiaositou = "621025101200" // 小寺头村委会 (榆林子镇)
	swJH        = "340202000000" // 安徽省芜湖市镜湖区
	swFangcun   = "340202012000" // 方村街道
	swTiancheng = "340202012200" // 天城村村民委员会 (方村街道)
)

// swDay is the world's "today": mid-June 2026 in China.
var swDay = time.Date(2026, 6, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// svcWorld is one engine's database with the fixture and the actors.
type svcWorld struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	svc *service.Service
	lg  *ledger.Service // the feature over svc
	now time.Time

	// 正宁县: two providers, three advisors; 镜湖区: one of each.
	zp1, zp2, jp1      *counsel.Provider
	za1, za2, za3, ja1 *counsel.Advisor
	// g1: za1 at 东关村, filed; g2: za3 at 小寺头村, signed; gj: ja1 at 天城村, filed.
	g1, g2, gj *counsel.Agreement
	// pz1 (东关村, 两委), pz2 (小寺头村), pj1 (天城村), each paired with the village's advisor.
	pz1, pz2, pj1 *counsel.Person
	// pz3 is a second 两委 member of 东关村, not paired.
	pz3          *counsel.Person
	qz1, qz2, qj *counsel.Pairing

	admin, znBureau, jhBureau, city, judicial, village, provider, advisor *counsel.Actor
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		fn(t, newSvcWorld(t, db))
	})
}

// swRegionList returns the regions of the two demo counties and their
// ancestors from the embedded division extract (what demo.LoadRegions loads,
// narrowed so that every test's fresh database fills in a blink on both engines).
func swRegionList(t *testing.T) []counsel.Region {
	t.Helper()
	swRegionsOnce.Do(func() {
		swRegions, swRegionsErr = division.Load(division.Extract(), func(code string) bool {
			return counsel.Within(code, swZN) || counsel.Within(code, swJH)
		})
	})
	if swRegionsErr != nil {
		t.Fatalf("division extract: %v", swRegionsErr)
	}
	return swRegions
}

var (
	swRegionsOnce sync.Once
	swRegions     []counsel.Region
	swRegionsErr  error
)

var swQuiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func newSvcWorld(t *testing.T, db *store.DB) *svcWorld {
	t.Helper()
	w := &svcWorld{t: t, ctx: context.Background(), db: db, now: swDay}
	w.svc = service.New(db, swQuiet, service.DefaultConfig())
	w.svc.Now = func() time.Time { return w.now }
	w.lg = ledger.NewService(w.svc)
	rs := swRegionList(t)
	if err := db.WithTx(w.ctx, func(tx *store.Tx) error { return tx.UpsertRegions(w.ctx, rs) }); err != nil {
		t.Fatalf("load regions: %v", err)
	}
	sys := counsel.System
	w.zp1 = w.newProvider(sys, counsel.ProviderLawFirm, "甘肃正义律师事务所", swZN, "0934-5123456")
	w.zp2 = w.newProvider(sys, counsel.ProviderServiceOffice, "正宁城关法律服务所", swZN, "0934-5123457")
	w.jp1 = w.newProvider(sys, counsel.ProviderLawFirm, "安徽明德律师事务所", swJH, "0553-5123456")
	w.za1 = w.advisorOf(sys, w.zp1, "王伟", "13800000001")
	w.za2 = w.advisorOf(sys, w.zp1, "李娜", "13800000002")
	w.za3 = w.advisorOf(sys, w.zp2, "张敏", "13800000003")
	w.ja1 = w.advisorOf(sys, w.jp1, "刘洋", "13800000004")
	w.g1 = w.agreement(sys, w.za1, swDongguan, counsel.AgreementFiled)
	w.g2 = w.agreement(sys, w.za3, swXiaositou, counsel.AgreementSigned)
	w.gj = w.agreement(sys, w.ja1, swTiancheng, counsel.AgreementFiled)
	w.pz1 = w.person(sys, swDongguan, "陈静", "村委委员", "13900000001")
	w.pz2 = w.person(sys, swXiaositou, "杨磊", "党支部书记", "13900000002")
	w.pj1 = w.person(sys, swTiancheng, "赵军", "村委会主任", "13900000003")
	w.pz3 = w.person(sys, swDongguan, "黄芳", "妇联主席", "13900000004")
	w.qz1 = w.pairing(sys, w.za1, w.pz1)
	w.qz2 = w.pairing(sys, w.za3, w.pz2)
	w.qj = w.pairing(sys, w.ja1, w.pj1)

	w.admin = &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin, IP: "10.0.0.1"}
	w.znBureau = &counsel.Actor{Username: "t-zn-bureau", Role: counsel.RoleBureau, RegionCode: swZN, IP: "10.0.0.2"}
	w.jhBureau = &counsel.Actor{Username: "t-jh-bureau", Role: counsel.RoleBureau, RegionCode: swJH, IP: "10.0.0.3"}
	w.city = &counsel.Actor{Username: "t-zn-city", Role: counsel.RoleBureau, RegionCode: swZNCity, IP: "10.0.0.4"}
	w.judicial = &counsel.Actor{Username: "t-zn-judicial", Role: counsel.RoleJudicial, RegionCode: swShanhe, IP: "10.0.0.5"}
	w.village = &counsel.Actor{Username: "t-zn-village", Role: counsel.RoleVillage, RegionCode: swDongguan, IP: "10.0.0.6"}
	w.provider = &counsel.Actor{Username: "t-zn-provider", Role: counsel.RoleProvider, ProviderID: w.zp1.ID, IP: "10.0.0.7"}
	w.advisor = &counsel.Actor{Username: "t-zn-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID, IP: "10.0.0.8"}
	return w
}

func (w *svcWorld) newProvider(a *counsel.Actor, kind, name, county, phone string) *counsel.Provider {
	w.t.Helper()
	p := &counsel.Provider{Kind: kind, Name: name, CountyCode: county, Phone: phone, Address: "人民路1号"}
	if err := w.svc.SaveProvider(w.ctx, a, p); err != nil {
		w.t.Fatalf("save provider %s: %v", name, err)
	}
	return p
}

func (w *svcWorld) advisorOf(a *counsel.Actor, p *counsel.Provider, name, phone string) *counsel.Advisor {
	w.t.Helper()
	kind := counsel.AdvisorLawyer
	if p.Kind != counsel.ProviderLawFirm {
		kind = counsel.AdvisorGrassroots
	}
	adv := &counsel.Advisor{ProviderID: p.ID, Kind: kind, Name: name, Phone: phone, Active: true}
	if err := w.svc.SaveAdvisor(w.ctx, a, adv); err != nil {
		w.t.Fatalf("save advisor %s: %v", name, err)
	}
	return adv
}

// newAgreement is an unsaved 2026 agreement of an advisor for a village.
func (w *svcWorld) newAgreement(adv *counsel.Advisor, village, status string) *counsel.Agreement {
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

func (w *svcWorld) agreement(a *counsel.Actor, adv *counsel.Advisor, village, status string) *counsel.Agreement {
	w.t.Helper()
	g := w.newAgreement(adv, village, status)
	if err := w.svc.SaveAgreement(w.ctx, a, g); err != nil {
		w.t.Fatalf("save agreement %s: %v", village, err)
	}
	return g
}

func (w *svcWorld) person(a *counsel.Actor, village, name, position, phone string) *counsel.Person {
	w.t.Helper()
	p := &counsel.Person{VillageCode: village, Name: name, Position: position, Committee: counsel.CommitteePosition(position), Phone: phone}
	if err := w.svc.SavePerson(w.ctx, a, p); err != nil {
		w.t.Fatalf("save person %s: %v", name, err)
	}
	return p
}

func (w *svcWorld) pairing(a *counsel.Actor, adv *counsel.Advisor, p *counsel.Person) *counsel.Pairing {
	w.t.Helper()
	q := &counsel.Pairing{AdvisorID: adv.ID, PersonID: p.ID, PairedOn: "2026-04-01"}
	if err := w.svc.SavePairing(w.ctx, a, q); err != nil {
		w.t.Fatalf("save pairing %s–%s: %v", adv.Name, p.Name, err)
	}
	return q
}

// counts returns the row counts of the main tables.
func (w *svcWorld) counts() map[string]int {
	w.t.Helper()
	c, err := w.db.TableCounts(w.ctx)
	if err != nil {
		w.t.Fatalf("table counts: %v", err)
	}
	return c
}

// sameCounts fails when any table's row count differs.
func (w *svcWorld) sameCounts(what string, before, after map[string]int) {
	w.t.Helper()
	for k, v := range before {
		if after[k] != v {
			w.t.Errorf("%s: table %s has %d rows, want %d (unchanged)", what, k, after[k], v)
		}
	}
}

// swCode is the code of err, "" for nil.
func swCode(err error) counsel.Code {
	if err == nil {
		return ""
	}
	return counsel.ErrorCode(err)
}

// swWantCode fails unless err has code want.
func swWantCode(t *testing.T, what string, err error, want counsel.Code) {
	t.Helper()
	if got := swCode(err); got != want {
		t.Errorf("%s: got code %q (%v), want %q", what, got, err, want)
	}
}

// swField returns the field error of err on field, nil if none.
func swField(err error, field string) *counsel.FieldError {
	var e *counsel.Error
	if !errors.As(err, &e) {
		return nil
	}
	for i := range e.Fields {
		if e.Fields[i].Field == field {
			return &e.Fields[i]
		}
	}
	return nil
}

// swWantField fails unless err is CodeInvalid with key on field.
func swWantField(t *testing.T, what string, err error, field, key string) {
	t.Helper()
	if swCode(err) != counsel.CodeInvalid {
		t.Errorf("%s: got %v, want an invalid-input error", what, err)
		return
	}
	f := swField(err, field)
	if f == nil {
		t.Errorf("%s: got %v, want a field error on %s", what, err, field)
		return
	}
	if f.Key != key {
		t.Errorf("%s: field %s got key %q, want %q", what, field, f.Key, key)
	}
}
