package registry_test

// The service tests run on every configured engine (SQLite always,
// PostgreSQL when COUNSEL_TEST_POSTGRES is set) against the shared test world
// (internal/testworld), built through the service itself: the real division
// codes of 正宁县 (621025) and 镜湖区 (340202), two or three providers,
// advisors, agreements, legal-literate persons and pairings. Helper names
// carry an "sw" prefix or hang off svcWorld so they cannot clash with other
// test files of the package.

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// svcWorld is the shared test world; the package's helpers hang off it.
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

func TestWorldBuilds(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c := w.Counts()
		for table, want := range map[string]int{"providers": 3, "advisors": 4, "agreements": 3, "persons": 4, "pairings": 3} {
			if c[table] != want {
				t.Errorf("table %s: got %d rows, want %d", table, c[table], want)
			}
		}
		// 正宁县 108 and 镜湖区 67 villages, their towns, counties, cities and provinces.
		if n, err := registry.CountRegions(w.Ctx, w.DB, testworld.ZN, counsel.LevelVillage); err != nil || n != 108 {
			t.Errorf("villages of 正宁县: got %d, %v, want 108", n, err)
		}
		if n, err := registry.CountRegions(w.Ctx, w.DB, testworld.JH, counsel.LevelVillage); err != nil || n != 67 {
			t.Errorf("villages of 镜湖区: got %d, %v, want 67", n, err)
		}
		if n, err := registry.CountRegions(w.Ctx, w.DB, testworld.Shanhe, counsel.LevelVillage); err != nil || n != len(testworld.ShanheVillages) {
			t.Errorf("villages of 山河镇: got %d, %v, want %d", n, err, len(testworld.ShanheVillages))
		}
		if got, want := w.Lg.Today(), "2026-06-15"; got != want {
			t.Errorf("Today() = %s, want %s", got, want)
		}
	})
}
