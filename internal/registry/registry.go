package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Region returns a region the actor may see.
func (s *Service) Region(ctx context.Context, a *counsel.Actor, code string) (*counsel.Region, error) {
	if err := s.checkRegionRead(ctx, a, code); err != nil {
		return nil, err
	}
	return Region(ctx, s.DB, code)
}

// checkRegionRead allows regional actors their subtree (and the ancestors of
// it, whose names they see in breadcrumbs) and providers and advisors their
// provider's county.
func (s *Service) checkRegionRead(ctx context.Context, a *counsel.Actor, code string) error {
	if authz.IsAdmin(a) {
		return nil
	}
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return err
	}
	if counsel.Within(code, home) {
		return nil
	}
	return counsel.ErrNotFound
}

// Children lists the child regions of code the actor may see ("" = the actor's home).
func (s *Service) Children(ctx context.Context, a *counsel.Actor, code string) ([]counsel.Region, error) {
	if code == "" && !authz.IsAdmin(a) {
		home, err := s.HomeRegion(ctx, a)
		if err != nil {
			return nil, err
		}
		code = home
	}
	if code != "" {
		if err := s.checkRegionRead(ctx, a, code); err != nil {
			return nil, err
		}
	}
	return Children(ctx, s.DB, code)
}

// SearchRegions finds regions by name within the actor's scope.
func (s *Service) SearchRegions(ctx context.Context, a *counsel.Actor, q string, limit int) ([]counsel.Region, error) {
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	return SearchRegions(ctx, s.DB, home, q, limit)
}

// SetVillageFlags changes a village's underdeveloped and remote flags (R1).
func (s *Service) SetVillageFlags(ctx context.Context, a *counsel.Actor, code, underdeveloped string, remote bool) error {
	if !(authz.IsAdmin(a) || authz.CountyBureau(a) && counsel.Within(code, a.RegionCode)) {
		return counsel.ErrForbidden
	}
	if counsel.LevelOf(code) != counsel.LevelVillage {
		return counsel.Invalid(counsel.FieldError{Field: "code", Key: "err.need_village"})
	}
	switch underdeveloped {
	case counsel.UnderdevelopedNone, counsel.UnderdevelopedCity, counsel.UnderdevelopedCounty:
	default:
		return counsel.Invalid(counsel.FieldError{Field: "underdeveloped", Key: "err.choice"})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := Region(ctx, tx, code)
		if err != nil {
			return err
		}
		if err := SetRegionFlags(ctx, tx, code, underdeveloped, remote); err != nil {
			return err
		}
		after := *before
		after.Underdeveloped, after.Remote = underdeveloped, remote
		return audit.Write(ctx, tx, a, "update", "region", 0, code, before, &after)
	})
}

// Providers lists the providers the actor may see.
func (s *Service) Providers(ctx context.Context, a *counsel.Actor, f counsel.Filter) (List[counsel.Provider], error) {
	base := baseFilter(a)
	switch a.Role {
	case counsel.RoleJudicial:
		base.Scope = counsel.AncestorAt(a.RegionCode, counsel.LevelCounty)
	case counsel.RoleAdvisor:
		base = counsel.Filter{AdvisorID: a.AdvisorID}
	case counsel.RoleVillage:
		return List[counsel.Provider]{}, counsel.ErrForbidden
	}
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	items, total, err := Providers(ctx, s.DB, f)
	return list(items, total, f.Page), err
}

// canReadProvider reports whether the actor may see a provider.
func (s *Service) canReadProvider(ctx context.Context, a *counsel.Actor, p *counsel.Provider) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return counsel.Within(p.CountyCode, a.RegionCode)
	case counsel.RoleJudicial:
		return p.CountyCode == counsel.AncestorAt(a.RegionCode, counsel.LevelCounty)
	case counsel.RoleProvider:
		return p.ID == a.ProviderID
	case counsel.RoleAdvisor:
		adv, err := Advisor(ctx, s.DB, a.AdvisorID)
		return err == nil && adv.ProviderID == p.ID
	}
	return false
}

// Provider returns a provider the actor may see.
func (s *Service) Provider(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Provider, error) {
	p, err := Provider(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.canReadProvider(ctx, a, p) {
		return nil, counsel.ErrNotFound
	}
	return p, nil
}

// SaveProvider creates (ID 0) or updates a provider.
func (s *Service) SaveProvider(ctx context.Context, a *counsel.Actor, p *counsel.Provider) error {
	defer s.ResetBoardCache() // public boards show providers and advisors
	p.Normalize()
	if authz.CountyBureau(a) && p.CountyCode == "" {
		p.CountyCode = a.RegionCode
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.saveProvider(ctx, tx, a, p) })
}

func (s *Service) saveProvider(ctx context.Context, tx *store.Tx, a *counsel.Actor, p *counsel.Provider) error {
	if !authz.CanEditProvider(a, p) || (p.ID == 0 && a.Role == counsel.RoleProvider) {
		return counsel.ErrForbidden
	}
	if _, err := Region(ctx, tx, p.CountyCode); err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "county_code", Key: "err.county_code"})
	}
	if p.ID == 0 {
		if err := CreateProvider(ctx, tx, p); err != nil {
			return fieldConflict(err, "name")
		}
		return audit.Write(ctx, tx, a, "create", "provider", p.ID, p.CountyCode, nil, p)
	}
	before, err := Provider(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	if !authz.CanEditProvider(a, before) {
		return counsel.ErrNotFound
	}
	p.CreatedAt = before.CreatedAt
	if err := UpdateProvider(ctx, tx, p); err != nil {
		return fieldConflict(err, "name")
	}
	return audit.Write(ctx, tx, a, "update", "provider", p.ID, p.CountyCode, before, p)
}

// FieldConflict is fieldConflict for the feature packages.
func FieldConflict(err error, field string) error { return fieldConflict(err, field) }

// fieldConflict turns a unique-constraint conflict into a field error.
func fieldConflict(err error, field string) error {
	if counsel.ErrorCode(err) == counsel.CodeConflict {
		return &counsel.Error{Code: counsel.CodeConflict, Key: "err.duplicate", Fields: []counsel.FieldError{{Field: field, Key: "err.duplicate"}}, Err: err}
	}
	return err
}

// Advisors lists the advisors the actor may see.
func (s *Service) Advisors(ctx context.Context, a *counsel.Actor, f counsel.Filter) (List[counsel.Advisor], error) {
	base := baseFilter(a)
	region := f.Region
	switch a.Role {
	case counsel.RoleJudicial:
		// A judicial office picks advisors of its county's providers.
		base.Scope = counsel.AncestorAt(a.RegionCode, counsel.LevelCounty)
	case counsel.RoleVillage:
		// A village sees the advisors serving it.
		base.Scope, region = "", a.RegionCode
	}
	f.Scope, f.ProviderID, f.AdvisorID, f.Region = base.Scope, base.ProviderID, base.AdvisorID, region
	items, total, err := Advisors(ctx, s.DB, f)
	return list(items, total, f.Page), err
}

// canReadAdvisor reports whether the actor may see an advisor.
func (s *Service) canReadAdvisor(ctx context.Context, a *counsel.Actor, adv *counsel.Advisor) bool {
	switch a.Role {
	case counsel.RoleAdmin:
		return true
	case counsel.RoleBureau:
		return counsel.Within(adv.CountyCode, a.RegionCode)
	case counsel.RoleJudicial:
		return adv.CountyCode == counsel.AncestorAt(a.RegionCode, counsel.LevelCounty)
	case counsel.RoleProvider:
		return adv.ProviderID == a.ProviderID
	case counsel.RoleAdvisor:
		return adv.ID == a.AdvisorID
	case counsel.RoleVillage:
		l, _, err := Advisors(ctx, s.DB, counsel.Filter{AdvisorID: adv.ID, Region: a.RegionCode})
		return err == nil && len(l) == 1
	}
	return false
}

// Advisor returns an advisor the actor may see.
func (s *Service) Advisor(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Advisor, error) {
	adv, err := Advisor(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.canReadAdvisor(ctx, a, adv) {
		return nil, counsel.ErrNotFound
	}
	return adv, nil
}

// SaveAdvisor creates (ID 0) or updates an advisor. Bureaus and provider
// managers change their advisors; an advisor changes its own contact details.
func (s *Service) SaveAdvisor(ctx context.Context, a *counsel.Actor, adv *counsel.Advisor) error {
	defer s.ResetBoardCache() // public boards show providers and advisors
	adv.Normalize()
	if a.Role == counsel.RoleProvider && adv.ProviderID == 0 {
		adv.ProviderID = a.ProviderID
	}
	if err := adv.Validate(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.saveAdvisor(ctx, tx, a, adv) })
}

func (s *Service) saveAdvisor(ctx context.Context, tx *store.Tx, a *counsel.Actor, adv *counsel.Advisor) error {
	if adv.ID != 0 {
		// An advisor outside the actor's sight is not found, whatever the body says.
		cur, err := Advisor(ctx, tx, adv.ID)
		if err != nil {
			return err
		}
		if !s.canReadAdvisor(ctx, a, cur) {
			return counsel.ErrNotFound
		}
	}
	p, err := Provider(ctx, tx, adv.ProviderID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "provider_id", Key: "err.reference"})
		}
		return err
	}
	self := a.Role == counsel.RoleAdvisor && adv.ID == a.AdvisorID && adv.ID != 0
	if !authz.CanEditProvider(a, p) && !self {
		if s.canReadProvider(ctx, a, p) {
			return counsel.ErrForbidden
		}
		return counsel.OutOfScope("provider_id")
	}
	if adv.ID == 0 {
		if err := CreateAdvisor(ctx, tx, adv); err != nil {
			return fieldConflict(err, "name")
		}
		return audit.Write(ctx, tx, a, "create", "advisor", adv.ID, p.CountyCode, nil, adv)
	}
	before, err := Advisor(ctx, tx, adv.ID)
	if err != nil {
		return err
	}
	if self {
		// An advisor may change only its contact details and photo.
		keep := *before
		keep.Phone, keep.WeChat, keep.Photo, keep.HomeCode = adv.Phone, adv.WeChat, adv.Photo, adv.HomeCode
		*adv = keep
	} else {
		bp, err := Provider(ctx, tx, before.ProviderID)
		if err != nil {
			return err
		}
		if !authz.CanEditProvider(a, bp) {
			return counsel.ErrNotFound
		}
	}
	adv.CreatedAt = before.CreatedAt
	if err := UpdateAdvisor(ctx, tx, adv); err != nil {
		return fieldConflict(err, "name")
	}
	return audit.Write(ctx, tx, a, "update", "advisor", adv.ID, p.CountyCode, before, adv)
}
