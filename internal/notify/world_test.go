package notify_test

// The notify tests run on every configured engine (SQLite always,
// PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared test world
// (internal/testworld). Helper names carry an "sw" or "ob" prefix or hang
// off svcWorld so they cannot clash with other test files of the package.

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
