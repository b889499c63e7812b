package service

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// canManageUser reports whether the actor may create or change an account:
// the admin any; a county bureau the town, village, provider and advisor
// accounts of its county.
func (s *Service) canManageUser(ctx context.Context, tx *store.Tx, a *counsel.Actor, u *counsel.User) bool {
	if authz.IsAdmin(a) {
		return true
	}
	if !authz.CountyBureau(a) || u.Role == counsel.RoleAdmin || u.Role == counsel.RoleBureau {
		return false
	}
	switch u.Role {
	case counsel.RoleJudicial, counsel.RoleVillage:
		return counsel.Within(u.RegionCode, a.RegionCode)
	case counsel.RoleProvider:
		p, err := tx.Provider(ctx, u.ProviderID)
		return err == nil && p.CountyCode == a.RegionCode
	case counsel.RoleAdvisor:
		adv, err := tx.Advisor(ctx, u.AdvisorID)
		return err == nil && adv.CountyCode == a.RegionCode
	}
	return false
}

// Users lists accounts: all for the admin, the county's for a bureau.
func (s *Service) Users(ctx context.Context, a *counsel.Actor, f store.Filter) (List[counsel.User], error) {
	switch {
	case authz.IsAdmin(a):
		f.Scope = ""
	case a.Role == counsel.RoleBureau:
		f.Scope = a.RegionCode
	default:
		return List[counsel.User]{}, errForbidden
	}
	items, total, err := s.DB.Users(ctx, f)
	if !authz.IsAdmin(a) {
		for i := range items {
			items[i].Phone = counsel.MaskPhone(items[i].Phone)
		}
	}
	return list(items, total, f.Page), err
}

// CreateUser creates an account with a password.
func (s *Service) CreateUser(ctx context.Context, a *counsel.Actor, u *counsel.User, password string) error {
	u.Normalize()
	u.ID = 0
	var f counsel.Fields
	if err := u.Validate(); err != nil {
		f = append(f, err.(*counsel.Error).Fields...)
	}
	if err := counsel.CheckPassword(password); err != nil {
		f = append(f, err.(*counsel.Error).Fields...)
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
	if !s.canManageUser(ctx, tx, a, u) {
		return errForbidden
	}
	if err := tx.CreateUser(ctx, u, hash); err != nil {
		return fieldConflict(err, "username")
	}
	return audit.Write(ctx, tx, a, "create", "user", u.ID, u.RegionCode, nil, u)
}

// SetUserDisabled enables or disables an account and ends its sessions.
func (s *Service) SetUserDisabled(ctx context.Context, a *counsel.Actor, id int64, disabled bool) error {
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if !s.canManageUser(ctx, tx, a, u) || u.ID == a.UserID {
			return errForbidden
		}
		before := *u
		u.Disabled = disabled
		if err := tx.UpdateUser(ctx, u); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, u.ID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "user", u.ID, u.RegionCode, &before, u)
	})
}

// ResetPassword sets a new password on an account the actor manages.
func (s *Service) ResetPassword(ctx context.Context, a *counsel.Actor, id int64, password string) error {
	if err := counsel.CheckPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	defer s.tokens.forget()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		u, err := tx.User(ctx, id)
		if err != nil {
			return err
		}
		if !s.canManageUser(ctx, tx, a, u) {
			return errForbidden
		}
		if err := tx.SetPassword(ctx, id, hash); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, id); err != nil {
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
		u, err := tx.User(ctx, a.UserID)
		if err != nil {
			return err
		}
		u.Lang = lang
		return tx.UpdateUser(ctx, u)
	})
}

// Audit lists the audit log: all for the admin, the scope's for a bureau.
func (s *Service) Audit(ctx context.Context, a *counsel.Actor, f store.Filter) (List[counsel.AuditEntry], error) {
	switch {
	case authz.IsAdmin(a):
		f.Scope = ""
	case a.Role == counsel.RoleBureau:
		f.Scope = a.RegionCode
	default:
		return List[counsel.AuditEntry]{}, errForbidden
	}
	items, total, err := s.DB.Audit(ctx, f)
	return list(items, total, f.Page), err
}

// Settings returns the settings in force for a region the actor may read.
func (s *Service) Settings(ctx context.Context, a *counsel.Actor, region string) (counsel.Settings, error) {
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return counsel.Settings{}, err
	}
	if region == "" {
		region = home
	}
	if region == "" {
		return counsel.DefaultSettings(), nil
	}
	if !authz.IsAdmin(a) && !counsel.Within(region, home) && !counsel.Within(home, region) {
		return counsel.Settings{}, errNotFound
	}
	return s.DB.Settings(ctx, region)
}

// SaveSettings stores a county's settings (county bureau or admin).
func (s *Service) SaveSettings(ctx context.Context, a *counsel.Actor, region string, set counsel.Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	if !(authz.IsAdmin(a) && counsel.ValidCode(region) || authz.CountyBureau(a) && region == a.RegionCode) {
		return errForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := tx.Settings(ctx, region)
		if err != nil {
			return err
		}
		if err := tx.SaveSettings(ctx, region, set); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "settings", 0, region, before, set)
	})
}

// Counts are the numbers on the home page.
type Counts struct {
	Villages   int `json:"villages"`
	Covered    int `json:"covered"`
	Providers  int `json:"providers"`
	Advisors   int `json:"advisors"`
	Agreements int `json:"agreements"`
	Persons    int `json:"persons"`
	Pairings   int `json:"pairings"`
	LateFiling int `json:"late_filings"`
	RuleMet    int `json:"pairing_rule_met"`
}

// Overview returns the home page's numbers for the actor's scope.
func (s *Service) Overview(ctx context.Context, a *counsel.Actor) (*Counts, []store.CoverageRow, error) {
	var c Counts
	one := store.Filter{Page: counsel.Page{Limit: 1}}
	pl, err := s.Providers(ctx, a, one)
	if err == nil {
		c.Providers = pl.Total
	}
	al, err := s.Advisors(ctx, a, one)
	if err != nil {
		return nil, nil, err
	}
	c.Advisors = al.Total
	gl, err := s.Agreements(ctx, a, store.Filter{Status: "live", Page: counsel.Page{Limit: 1}})
	if err != nil {
		return nil, nil, err
	}
	c.Agreements = gl.Total
	late, err := s.Agreements(ctx, a, store.Filter{Status: "late", Today: s.Today(), Page: counsel.Page{Limit: 1}})
	if err != nil {
		return nil, nil, err
	}
	c.LateFiling = late.Total
	// The 1+N counts, confined to the actor's scope as the 1+N lists are.
	base := baseFilter(a)
	pf := one
	pf.Scope, pf.ProviderID, pf.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	if _, c.Persons, err = s.DB.Persons(ctx, pf); err != nil {
		return nil, nil, err
	}
	pf.Status = "current"
	if _, c.Pairings, err = s.DB.Pairings(ctx, pf); err != nil {
		return nil, nil, err
	}
	if !authz.IsAdmin(a) && !authz.Regional(a) {
		return &c, nil, nil
	}
	cov, err := s.Coverage(ctx, a, "")
	if err != nil {
		return nil, nil, err
	}
	for _, r := range cov {
		c.Villages += r.Villages
		c.Covered += r.Covered
	}
	return &c, cov, nil
}
