package dash_test

// The dash tests run on every configured engine against the shared test
// world (internal/testworld: the real division codes of 正宁县 and 镜湖区,
// providers, advisors, agreements, persons and pairings built through the
// layered service), with the dash service over it.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the dash service over it.
type svcWorld struct {
	*testworld.World
	dash *dash.Service // the feature over Svc
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, dash: dash.NewService(tw.Svc, tw.Lg)})
	})
}
