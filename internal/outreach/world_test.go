package outreach_test

// The outreach tests run on every configured engine against the shared
// test world (internal/testworld: the real division codes of 正宁县 and 镜湖区,
// providers, advisors, agreements, persons and pairings built through the
// layered service), with the outreach service over it.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/outreach"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the outreach service over it.
type svcWorld struct {
	*testworld.World
	rv *outreach.Service // the feature over Svc
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, rv: outreach.NewService(tw.Svc)})
	})
}
