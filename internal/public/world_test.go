package public_test

// The public side's service tests run on every configured engine (SQLite
// always, PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared
// test world (internal/testworld) with the public side's rules as pub.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the public side's rules over its layered service.
type svcWorld struct {
	*testworld.World
	pub *public.Service // the public side's rules
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, pub: public.NewService(tw.Svc)})
	})
}
