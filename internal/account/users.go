package account

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// canManageUser reports whether the actor may create or change an account:
// the admin any; a county bureau the town, village, provider and advisor
// accounts of its county — every scope the account carries (its region, its
// provider, its advisor) inside that county, whatever the role uses.
func canManageUser(ctx context.Context, tx *store.Tx, a *counsel.Actor, u *counsel.User) bool {
	if authz.IsAdmin(a) {
		return true
	}
	if !authz.CountyBureau(a) || u.Role == counsel.RoleAdmin || u.Role == counsel.RoleBureau {
		return false
	}
	switch u.Role {
	case counsel.RoleJudicial, counsel.RoleVillage, counsel.RoleProvider, counsel.RoleAdvisor:
	default:
		return false
	}
	if u.RegionCode != "" && !counsel.Within(u.RegionCode, a.RegionCode) {
		return false
	}
	if u.ProviderID != 0 {
		county, err := providerCounty(ctx, tx, u.ProviderID)
		if err != nil || county != a.RegionCode {
			return false
		}
	}
	if u.AdvisorID != 0 {
		county, err := advisorCounty(ctx, tx, u.AdvisorID)
		if err != nil || county != a.RegionCode {
			return false
		}
	}
	switch u.Role {
	case counsel.RoleJudicial, counsel.RoleVillage:
		return u.RegionCode != ""
	case counsel.RoleProvider:
		return u.ProviderID != 0
	default: // advisor
		return u.AdvisorID != 0
	}
}

// Users lists accounts: all for the admin, the county's for a bureau.
func (s *Service) Users(ctx context.Context, a *counsel.Actor, f counsel.Filter) (registry.List[counsel.User], error) {
	switch {
	case authz.IsAdmin(a):
		f.Scope = ""
	case a.Role == counsel.RoleBureau:
		f.Scope = a.RegionCode
	default:
		return registry.List[counsel.User]{}, counsel.ErrForbidden
	}
	items, total, err := listUsers(ctx, s.DB, f)
	if !authz.IsAdmin(a) {
		for i := range items {
			items[i].Phone = counsel.MaskPhone(items[i].Phone)
		}
	}
	return registry.ListOf(items, total, f.Page), err
}

// CreateUser creates an account with a password.
func (s *Service) CreateUser(ctx context.Context, a *counsel.Actor, u *counsel.User, password string) error {
	u.Normalize()
	u.ID = 0
	var f counsel.Fields
	if err := u.Validate(); err != nil {
		f = append(f, err.(*counsel.Error).Fields...)
	}
	if err := s.checkPassword(ctx, password, u.Username); err != nil {
		ce, ok := err.(*counsel.Error)
		if !ok {
			return err
		}
		f = append(f, ce.Fields...)
	}
	if err := f.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.createUser(ctx, tx, a, u, hash) })
}

func (s *Service) createUser(ctx context.Context, tx *store.Tx, a *counsel.Actor, u *counsel.User, hash string) error {
	if !canManageUser(ctx, tx, a, u) {
		return counsel.ErrForbidden
	}
	if err := InsertUser(ctx, tx, u, hash); err != nil {
		return fieldConflict(err, "username")
	}
	return audit.Write(ctx, tx, a, "create", "user", u.ID, u.RegionCode, nil, u)
}

// SetUserDisabled enables or disables an account and ends its sessions.
func (s *Service) SetUserDisabled(ctx context.Context, a *counsel.Actor, id int64, disabled bool) error {
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		u, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canManageUser(ctx, tx, a, u) || u.ID == a.UserID {
			return counsel.ErrForbidden
		}
		before := *u
		u.Disabled = disabled
		if err := updateUser(ctx, tx, u); err != nil {
			return err
		}
		if err := deleteUserSessions(ctx, tx, u.ID); err != nil {
			return err
		}
		if disabled {
			if err := s.revokeAllTokens(ctx, tx, a, u.ID, u.RegionCode, "disabled"); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, a, "update", "user", u.ID, u.RegionCode, &before, u)
	})
}

// ResetPassword sets a new password on an account the actor manages.
func (s *Service) ResetPassword(ctx context.Context, a *counsel.Actor, id int64, password string) error {
	target, err := userByID(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if err := s.checkPassword(ctx, password, target.Username); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		u, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !canManageUser(ctx, tx, a, u) {
			return counsel.ErrForbidden
		}
		// Set by someone else: a staff account changes it at its next sign-in.
		if err := setPassword(ctx, tx, id, hash, 0); err != nil {
			return err
		}
		if err := deleteUserSessions(ctx, tx, id); err != nil {
			return err
		}
		if err := s.revokeAllTokens(ctx, tx, a, id, u.RegionCode, "password_reset"); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "password", "user", id, u.RegionCode, nil, nil)
	})
}

// SetLang stores the actor's language choice.
func (s *Service) SetLang(ctx context.Context, a *counsel.Actor, lang string) error {
	if lang != "zh" && lang != "en" {
		return counsel.Invalid(counsel.FieldError{Field: "lang", Key: "err.choice"})
	}
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		u, err := userByID(ctx, tx, a.UserID)
		if err != nil {
			return err
		}
		u.Lang = lang
		return updateUser(ctx, tx, u)
	})
}

// Overview returns the home page's numbers for the actor's scope.
func (s *Service) Overview(ctx context.Context, a *counsel.Actor) (*Counts, []registry.CoverageRow, error) {
	var c Counts
	one := counsel.Filter{Page: counsel.Page{Limit: 1}}
	pl, err := s.svc.Providers(ctx, a, one)
	if err == nil {
		c.Providers = pl.Total
	}
	al, err := s.svc.Advisors(ctx, a, one)
	if err != nil {
		return nil, nil, err
	}
	c.Advisors = al.Total
	gl, err := s.svc.Agreements(ctx, a, counsel.Filter{Status: "live", Page: counsel.Page{Limit: 1}})
	if err != nil {
		return nil, nil, err
	}
	c.Agreements = gl.Total
	late, err := s.svc.Agreements(ctx, a, counsel.Filter{Status: "late", Today: s.svc.Today(), Page: counsel.Page{Limit: 1}})
	if err != nil {
		return nil, nil, err
	}
	c.LateFiling = late.Total
	// The 1+N counts, confined to the actor's scope as the 1+N lists are.
	base := registry.BaseFilter(a)
	pf := one
	pf.Scope, pf.ProviderID, pf.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	if _, c.Persons, err = registry.Persons(ctx, s.DB, pf); err != nil {
		return nil, nil, err
	}
	pf.Status = "current"
	if _, c.Pairings, err = registry.Pairings(ctx, s.DB, pf); err != nil {
		return nil, nil, err
	}
	if !authz.IsAdmin(a) && !authz.Regional(a) {
		return &c, nil, nil
	}
	cov, err := s.svc.Coverage(ctx, a, "")
	if err != nil {
		return nil, nil, err
	}
	for _, r := range cov {
		c.Villages += r.Villages
		c.Covered += r.Covered
	}
	return &c, cov, nil
}

// fieldConflict points a uniqueness conflict at the form field.
func fieldConflict(err error, field string) error {
	if counsel.ErrorCode(err) == counsel.CodeConflict {
		return &counsel.Error{Code: counsel.CodeConflict, Key: "err.duplicate", Fields: []counsel.FieldError{{Field: field, Key: "err.duplicate"}}, Err: err}
	}
	return err
}
