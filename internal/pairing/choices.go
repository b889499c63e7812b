package pairing

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
)

// VillageChoices lists, grouped by town, the villages of a region in the
// actor's scope ("" = the actor's home region) that a picker offers. Regions
// above a county give none: the picker then asks for a county or town first,
// so that a page never lists a province's villages.
func (s *Service) VillageChoices(ctx context.Context, a *counsel.Actor, region string) ([]VillageGroup, error) {
	scope, err := s.Svc.ReadScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	if counsel.LevelOf(scope) < counsel.LevelCounty {
		return nil, nil
	}
	vs, err := registry.Villages(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	var out []VillageGroup
	for _, v := range vs {
		if len(out) == 0 || out[len(out)-1].Town.Code != v.ParentCode {
			t, err := registry.Region(ctx, s.DB, v.ParentCode)
			if err != nil {
				return nil, err
			}
			out = append(out, VillageGroup{Town: *t})
		}
		g := &out[len(out)-1]
		g.Villages = append(g.Villages, v)
	}
	return out, nil
}

// VillageAdvisor returns the live agreement that makes an advisor the
// village's advisor (the one a 1+N pairing is made with); not found when the
// village has none or the actor may not see the village.
func (s *Service) VillageAdvisor(ctx context.Context, a *counsel.Actor, village string) (*counsel.Agreement, error) {
	if counsel.LevelOf(village) != counsel.LevelVillage {
		return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "err.need_village"})
	}
	if !s.Svc.CanReadVillage(ctx, a, village) {
		return nil, counsel.ErrNotFound
	}
	return registry.LiveAgreementFor(ctx, s.DB, village)
}

// PairingRulesWithAdvisors is PairingRules with each village's advisor (of
// its live agreement) named.
func (s *Service) PairingRulesWithAdvisors(ctx context.Context, a *counsel.Actor, region string) ([]counsel.PairingRule, error) {
	rules, err := s.PairingRules(ctx, a, region)
	if err != nil {
		return nil, err
	}
	scope, err := s.Svc.ReadScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	advs, err := registry.LiveAdvisors(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	for i := range rules {
		if v, ok := advs[rules[i].VillageCode]; ok {
			rules[i].AdvisorName = v.AdvisorName
		}
	}
	return rules, nil
}
