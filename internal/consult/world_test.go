package consult_test

// The consultation's service tests run on every configured engine (SQLite
// always, PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared
// test world (internal/testworld), with the consultation's rules as cs.

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the consultation's rules over its layered service.
type svcWorld struct {
	*testworld.World
	cs *consult.Service // the consultation's rules
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, cs: consult.NewService(tw.Svc, public.NewService(tw.Svc), tw.Lg)})
	})
}

type mjAccounts struct {
	judicial, advisor *counsel.Actor
}

// mjUsers creates accounts for the world's judicial office and advisor ZA1
// (straight in the store) and returns actors carrying their ids.
func (w *svcWorld) mjUsers() mjAccounts {
	w.T.Helper()
	return mjAccounts{
		judicial: w.Account(w.Judicial, counsel.User{Username: "mj-judicial", Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe}),
		advisor:  w.Account(w.Advisor, counsel.User{Username: "mj-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID}),
	}
}
