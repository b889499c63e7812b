package volume_test

// The volume tests run on every configured engine (SQLite always,
// PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared test world
// (internal/testworld), with the volume feature installed on its layered
// service. Helper names carry an "sw", "lg" or "vm" prefix.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/internal/volume"
)

// svcWorld is the shared test world with the volume service.
type svcWorld struct {
	*testworld.World
	vol *volume.Service
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, vol: volume.New(tw.Svc, tw.Lg).Service()})
	})
}
