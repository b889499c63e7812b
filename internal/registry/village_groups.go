package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// VillageGroups lists the villages of a county or town the actor may
// see, grouped by town.
func (s *Service) VillageGroups(ctx context.Context, a *counsel.Actor, code string) []TownGroup {
	var towns []counsel.Region
	switch counsel.LevelOf(code) {
	case counsel.LevelTown:
		t, err := s.Region(ctx, a, code)
		if err != nil {
			return nil
		}
		towns = []counsel.Region{*t}
	case counsel.LevelCounty:
		var err error
		if towns, err = s.Children(ctx, a, code); err != nil {
			return nil
		}
	default:
		return nil
	}
	var out []TownGroup
	for _, t := range towns {
		vs, err := s.Children(ctx, a, t.Code)
		if err != nil || len(vs) == 0 {
			continue
		}
		out = append(out, TownGroup{Town: t, Villages: vs})
	}
	return out
}
