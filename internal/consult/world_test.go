package consult_test

// The consultation's service tests run on every configured engine (SQLite
// always, PostgreSQL when COUNSEL_TEST_POSTGRES is set) against a small
// world built through the services: the real division codes of 正宁县
// (621025) and 镜湖区 (340202), one provider and its advisor za1 serving
// 东关村 under a filed agreement. It mirrors the layered service's test world
// (service/service_test.go), narrowed to what the consultation needs.

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// Region codes of the world (division extract).
const (
	swZN       = "621025000000" // 甘肃省庆阳市正宁县
	swShanhe   = "621025100000" // 山河镇
	swDongguan = "621025100200" // 东关村委会 (山河镇)
	swJH       = "340202000000" // 安徽省芜湖市镜湖区
)

// swDay is the world's "today": mid-June 2026 in China.
var swDay = time.Date(2026, 6, 15, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// obWeComURL is a WeCom group robot's address.
const obWeComURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

// svcWorld is one engine's database with the fixture and the actors.
type svcWorld struct {
	t   *testing.T
	ctx context.Context
	db  *store.DB
	svc *consult.Service // the consultation's rules
	lay *service.Service // the layered service under them
	now time.Time

	zp1 *counsel.Provider
	za1 *counsel.Advisor
	g1  *counsel.Agreement // za1 at 东关村, filed

	admin, znBureau, jhBureau, judicial, provider, advisor *counsel.Actor
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		fn(t, newSvcWorld(t, db))
	})
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
	w.lay = service.New(db, swQuiet, service.DefaultConfig())
	w.lay.Now = func() time.Time { return w.now }
	w.svc = consult.NewService(w.lay)
	swRegionsOnce.Do(func() {
		swRegions, swRegionsErr = division.Load(division.Extract(), func(code string) bool {
			return counsel.Within(code, swZN) || counsel.Within(code, swJH)
		})
	})
	if swRegionsErr != nil {
		t.Fatalf("division extract: %v", swRegionsErr)
	}
	if err := db.WithTx(w.ctx, func(tx *store.Tx) error { return tx.UpsertRegions(w.ctx, swRegions) }); err != nil {
		t.Fatalf("load regions: %v", err)
	}
	sys := counsel.System
	w.zp1 = &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃正义律师事务所", CountyCode: swZN, Phone: "0934-5123456", Address: "人民路1号"}
	if err := w.lay.SaveProvider(w.ctx, sys, w.zp1); err != nil {
		t.Fatalf("save provider: %v", err)
	}
	w.za1 = &counsel.Advisor{ProviderID: w.zp1.ID, Kind: counsel.AdvisorLawyer, Name: "王伟", Phone: "13800000001", Active: true}
	if err := w.lay.SaveAdvisor(w.ctx, sys, w.za1); err != nil {
		t.Fatalf("save advisor: %v", err)
	}
	w.g1 = &counsel.Agreement{ProviderID: w.zp1.ID, AdvisorID: w.za1.ID, RegionCode: swDongguan, StartDate: "2026-01-01", EndDate: "2026-12-31",
		SubsidyFen: 500000, Status: counsel.AgreementFiled, SignedOn: "2026-01-05", FiledOn: "2026-03-10"}
	if err := w.lay.SaveAgreement(w.ctx, sys, w.g1); err != nil {
		t.Fatalf("save agreement: %v", err)
	}
	w.admin = &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin, IP: "10.0.0.1"}
	w.znBureau = &counsel.Actor{Username: "t-zn-bureau", Role: counsel.RoleBureau, RegionCode: swZN, IP: "10.0.0.2"}
	w.jhBureau = &counsel.Actor{Username: "t-jh-bureau", Role: counsel.RoleBureau, RegionCode: swJH, IP: "10.0.0.3"}
	w.judicial = &counsel.Actor{Username: "t-zn-judicial", Role: counsel.RoleJudicial, RegionCode: swShanhe, IP: "10.0.0.5"}
	w.provider = &counsel.Actor{Username: "t-zn-provider", Role: counsel.RoleProvider, ProviderID: w.zp1.ID, IP: "10.0.0.7"}
	w.advisor = &counsel.Actor{Username: "t-zn-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID, IP: "10.0.0.8"}
	return w
}

type mjAccounts struct {
	judicial, advisor *counsel.Actor
}

// mjUsers creates accounts for the world's judicial office and advisor za1
// (straight in the store: the password hash does not matter) and returns
// actors carrying their ids.
func (w *svcWorld) mjUsers() mjAccounts {
	w.t.Helper()
	mk := func(base *counsel.Actor, u counsel.User) *counsel.Actor {
		u.DisplayName, u.Lang = u.Username, "zh"
		if err := w.db.WithTx(w.ctx, func(tx *store.Tx) error { return account.InsertUser(w.ctx, tx, &u, "x") }); err != nil {
			w.t.Fatalf("user %s: %v", u.Username, err)
		}
		a := *base
		a.UserID, a.Username = u.ID, u.Username
		return &a
	}
	return mjAccounts{
		judicial: mk(w.judicial, counsel.User{Username: "mj-judicial", Role: counsel.RoleJudicial, RegionCode: swShanhe}),
		advisor:  mk(w.advisor, counsel.User{Username: "mj-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID}),
	}
}

// mjNotes returns an account's notifications of a kind.
func (w *svcWorld) mjNotes(a *counsel.Actor, kind string) []store.Notification {
	w.t.Helper()
	ns, err := w.db.Notifications(w.ctx, a.UserID, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}

func (w *svcWorld) obChannel(a *counsel.Actor, in service.ChannelInput) *service.ChannelView {
	w.t.Helper()
	v, err := w.lay.SaveChannel(w.ctx, a, &in)
	if err != nil {
		w.t.Fatalf("save channel %s: %v", in.Name, err)
	}
	return v
}
