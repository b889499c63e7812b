package pairing_test

// The pairing tests run on every configured engine (SQLite always,
// PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared test world
// (internal/testworld), whose pairing service is w.Pn.

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
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw})
	})
}
