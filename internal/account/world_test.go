package account_test

// The account tests run on every configured engine against the shared test
// world (internal/testworld), with the account service over it.

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world with the account service over it.
type svcWorld struct {
	*testworld.World
	acct *account.Service // the feature over Svc
}

// swEngines runs fn on a fresh world on every engine.
func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		fn(t, &svcWorld{World: tw, acct: account.NewService(tw.Svc)})
	})
}
