package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
)

// canReadVillage reports whether the actor may see a village's 1+N data.
func (s *Service) canReadVillage(ctx context.Context, a *counsel.Actor, village string) bool {
	switch a.Role {
	case counsel.RoleProvider, counsel.RoleAdvisor:
		l, _, err := Persons(ctx, s.DB, counsel.Filter{ProviderID: a.ProviderID, AdvisorID: a.AdvisorID, Region: village, Page: counsel.Page{Limit: 1}})
		if err == nil && len(l) > 0 {
			return true
		}
		ag, _, err := Agreements(ctx, s.DB, counsel.Filter{ProviderID: a.ProviderID, AdvisorID: a.AdvisorID, Region: counsel.ParentOf(village), Page: counsel.Page{Limit: 100}})
		if err != nil {
			return false
		}
		for _, g := range ag {
			if counsel.Live(g.Status) && (g.RegionCode == village || g.Packaged && g.RegionCode == counsel.ParentOf(village)) {
				return true
			}
		}
		return false
	}
	return authz.CanReadRegion(a, village)
}
