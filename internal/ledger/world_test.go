package ledger_test

// The ledger tests run on every configured engine against the shared test
// world (internal/testworld), whose ledger service they exercise (w.Lg).

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world.
type svcWorld struct {
	*testworld.World
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) { fn(t, &svcWorld{World: tw}) })
}
