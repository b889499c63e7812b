package money_test

// The money tests run on every configured engine against the shared test
// world (internal/testworld), with the money service over it and the
// ledger's service for duty results.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// mWorld is the shared test world with the money service over it.
type mWorld struct {
	*testworld.World
	m *money.Service
}

// mEngines runs fn on a fresh world on every engine.
func mEngines(t *testing.T, fn func(t *testing.T, w *mWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &mWorld{World: tw, m: money.NewService(tw.Svc, tw.Lg)})
	})
}
