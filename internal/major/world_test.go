package major_test

// The major-matter tests run on every configured engine (SQLite always,
// PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared test world
// (internal/testworld), with the major-report service over it.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/major"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the major-report service over it.
type svcWorld struct {
	*testworld.World
	mj *major.Service
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, mj: major.NewService(tw.Svc)})
	})
}
