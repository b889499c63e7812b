package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// narrow intersects the provider and advisor a caller asks for (want) with
// the ones the actor's scope is confined to (base). ok is false when the two
// exclude each other, so the list is empty.
func narrow(base, want counsel.Filter) (providerID, advisorID int64, ok bool) {
	providerID, advisorID = base.ProviderID, base.AdvisorID
	if want.ProviderID > 0 {
		if providerID > 0 && providerID != want.ProviderID {
			return 0, 0, false
		}
		providerID = want.ProviderID
	}
	if want.AdvisorID > 0 {
		if advisorID > 0 && advisorID != want.AdvisorID {
			return 0, 0, false
		}
		advisorID = want.AdvisorID
	}
	return providerID, advisorID, true
}

// AdvisorsWhere is Advisors that keeps the caller's ProviderID and AdvisorID
// as further narrowing within the actor's scope (Advisors replaces them with
// the scope's own): the advisors of one provider, for a list filter or a
// provider's page.
func (s *Service) AdvisorsWhere(ctx context.Context, a *counsel.Actor, f counsel.Filter) (List[counsel.Advisor], error) {
	base := baseFilter(a)
	region := f.Region
	switch a.Role {
	case counsel.RoleJudicial:
		base.Scope = counsel.AncestorAt(a.RegionCode, counsel.LevelCounty)
	case counsel.RoleVillage:
		base.Scope, region = "", a.RegionCode
	}
	pid, aid, ok := narrow(base, f)
	if !ok {
		return list[counsel.Advisor](nil, 0, f.Page), nil
	}
	f.Scope, f.ProviderID, f.AdvisorID, f.Region = base.Scope, pid, aid, region
	items, total, err := Advisors(ctx, s.DB, f)
	return list(items, total, f.Page), err
}

// AgreementsWhere is Agreements that keeps the caller's ProviderID and
// AdvisorID as further narrowing within the actor's scope: the agreements of
// one provider or one advisor.
func (s *Service) AgreementsWhere(ctx context.Context, a *counsel.Actor, f counsel.Filter) (List[counsel.Agreement], error) {
	base := baseFilter(a)
	pid, aid, ok := narrow(base, f)
	if !ok {
		return list[counsel.Agreement](nil, 0, f.Page), nil
	}
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, pid, aid
	items, total, err := Agreements(ctx, s.DB, f)
	return list(items, total, f.Page), err
}
