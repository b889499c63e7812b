package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Agreements lists the agreements the actor may see.
func (s *Service) Agreements(ctx context.Context, a *counsel.Actor, f counsel.Filter) (List[counsel.Agreement], error) {
	base := baseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	items, total, err := Agreements(ctx, s.DB, f)
	return list(items, total, f.Page), err
}

// Agreement returns an agreement the actor may see.
func (s *Service) Agreement(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Agreement, error) {
	g, err := Agreement(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadAgreement(a, g) {
		return nil, counsel.ErrNotFound
	}
	return g, nil
}

// SaveAgreement creates (ID 0, as a draft unless a status is given) or updates
// an agreement. It enforces the county's load limit and computes the filing
// deadline from the county's settings.
func (s *Service) SaveAgreement(ctx context.Context, a *counsel.Actor, g *counsel.Agreement) error {
	defer s.ResetLedgerCache() // the ledger caches who serves which village
	defer s.ResetBoardCache()  // and the public boards show it
	if err := s.prepareAgreement(ctx, a, g); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.saveAgreement(ctx, tx, a, g) })
}

// SaveAgreementIn is SaveAgreement inside the caller's transaction, for a
// feature that changes agreements together with its own rows (the money
// feature's replacement ends one agreement and starts its successor in one
// transaction). The same rules and hooks apply.
func (s *Service) SaveAgreementIn(ctx context.Context, tx *store.Tx, a *counsel.Actor, g *counsel.Agreement) error {
	if err := s.prepareAgreement(ctx, a, g); err != nil {
		return err
	}
	return s.saveAgreement(ctx, tx, a, g)
}

// prepareAgreement normalizes and validates an agreement and checks that the
// actor may write its region, before any transaction.
func (s *Service) prepareAgreement(ctx context.Context, a *counsel.Actor, g *counsel.Agreement) error {
	g.Normalize()
	if g.ID == 0 && g.Status == "" {
		g.Status = counsel.AgreementDraft
	}
	if g.ProviderID == 0 && g.AdvisorID > 0 {
		// The provider defaults to the advisor's own.
		if adv, err := Advisor(ctx, s.DB, g.AdvisorID); err == nil {
			g.ProviderID = adv.ProviderID
		}
	}
	if err := g.Validate(); err != nil {
		return err
	}
	if !authz.CanWriteRegion(a, g.RegionCode) {
		if authz.CanReadRegion(a, g.RegionCode) || a.Role == counsel.RoleProvider || a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleVillage {
			return counsel.ErrForbidden
		}
		return counsel.OutOfScope("region_code")
	}
	return nil
}

func (s *Service) saveAgreement(ctx context.Context, tx *store.Tx, a *counsel.Actor, g *counsel.Agreement) error {
	defer s.ResetLedgerCache() // the ledger caches who serves which village
	defer s.ResetBoardCache()  // and the public boards show it
	var before *counsel.Agreement
	if g.ID != 0 {
		var err error
		if before, err = Agreement(ctx, tx, g.ID); err != nil {
			return err
		}
		if !authz.CanWriteRegion(a, before.RegionCode) {
			return counsel.ErrNotFound
		}
		if before.Status == counsel.AgreementEnded || before.Status == counsel.AgreementReplaced {
			return counsel.Errorf(counsel.CodeConflict, "err.agreement_closed")
		}
		g.CreatedAt = before.CreatedAt
		if g.Status != before.Status && !allowedMove(before.Status, g.Status) {
			return counsel.Invalid(counsel.FieldError{Field: "status", Key: "err.status_move"})
		}
	}
	if g.Status == counsel.AgreementFiled && (before == nil || before.Status != counsel.AgreementFiled) && !authz.CanFileAgreement(a, g.RegionCode) {
		// Filing (备案) is the county bureau's act; a judicial office submits.
		return counsel.Errorf(counsel.CodeForbidden, "err.file_by_bureau")
	}
	if _, err := Region(ctx, tx, g.RegionCode); err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "err.reference"})
	}
	county := counsel.AncestorAt(g.RegionCode, counsel.LevelCounty)
	adv, err := Advisor(ctx, tx, g.AdvisorID)
	if err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.reference"})
	}
	if g.ProviderID == 0 {
		g.ProviderID = adv.ProviderID
	}
	var f counsel.Fields
	if adv.ProviderID != g.ProviderID {
		f.Add("advisor_id", "err.advisor_provider")
	}
	if adv.CountyCode != county {
		f.Add("advisor_id", "err.advisor_county")
	}
	if !adv.Active {
		f.Add("advisor_id", "err.advisor_inactive")
	}
	if err := f.Err(); err != nil {
		return err
	}
	set, err := Settings(ctx, tx, g.RegionCode)
	if err != nil {
		return err
	}
	// The limit binds when the advisor takes on a village: a new live
	// agreement, another advisor, an agreement coming back to life, or a term
	// stretched to days it did not cover. Editing an agreement the advisor
	// already holds stays possible after a county lowers its limit. Only the
	// agreements in force together with this one during its term count.
	takesOn := before == nil || before.AdvisorID != g.AdvisorID || !counsel.Live(before.Status) || before.Packaged || before.RegionCode != g.RegionCode ||
		g.StartDate < before.StartDate || g.EndDate > before.EndDate
	if counsel.Live(g.Status) && !g.Packaged && takesOn {
		load, err := AdvisorLoad(ctx, tx, g.AdvisorID, g.ID, g.StartDate, g.EndDate)
		if err != nil {
			return err
		}
		if load+1 > set.LoadLimit {
			return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.load_limit", Args: []any{adv.Name, load, set.LoadLimit}})
		}
	}
	g.Deadline = counsel.FilingDeadline(g.StartDate, set.FilingMonthDay)
	today := s.Today()
	if g.Status == counsel.AgreementSigned && g.SignedOn == "" {
		g.SignedOn = today
	}
	if g.Status == counsel.AgreementFiled {
		if g.SignedOn == "" {
			g.SignedOn = today
		}
		if g.FiledOn == "" {
			g.FiledOn = today
		}
	}
	if g.SignedOn != "" && !counsel.ValidDate(g.SignedOn) {
		return counsel.Invalid(counsel.FieldError{Field: "signed_on", Key: "err.date"})
	}
	if g.FiledOn != "" && !counsel.ValidDate(g.FiledOn) {
		return counsel.Invalid(counsel.FieldError{Field: "filed_on", Key: "err.date"})
	}
	if before == nil {
		if err := CreateAgreement(ctx, tx, g); err != nil {
			return err
		}
		if err := s.agreementSaved(ctx, tx, nil, g); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "agreement", g.ID, g.RegionCode, nil, g)
	}
	if err := UpdateAgreement(ctx, tx, g); err != nil {
		return err
	}
	if err := s.agreementSaved(ctx, tx, before, g); err != nil {
		return err
	}
	return audit.Write(ctx, tx, a, "update", "agreement", g.ID, g.RegionCode, before, g)
}

func allowedMove(from, to string) bool {
	for _, s := range counsel.NextStatuses(from) {
		if s == to {
			return true
		}
	}
	return false
}

// MoveAgreement moves an agreement to its next status (sign, file, end,
// replace), stamping the date of signing or filing (today when day is "").
func (s *Service) MoveAgreement(ctx context.Context, a *counsel.Actor, id int64, status, day string) (*counsel.Agreement, error) {
	defer s.ResetLedgerCache() // the ledger caches who serves which village
	defer s.ResetBoardCache()  // and the public boards show it
	var out *counsel.Agreement
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		g, err := Agreement(ctx, tx, id)
		if err != nil {
			return err
		}
		if !authz.CanWriteRegion(a, g.RegionCode) {
			if authz.CanReadAgreement(a, g) {
				return counsel.ErrForbidden
			}
			return counsel.ErrNotFound
		}
		if !allowedMove(g.Status, status) {
			return counsel.Invalid(counsel.FieldError{Field: "status", Key: "err.status_move"})
		}
		if status == counsel.AgreementFiled && !authz.CanFileAgreement(a, g.RegionCode) {
			// Filing (备案) is the county bureau's act; a judicial office submits.
			return counsel.Errorf(counsel.CodeForbidden, "err.file_by_bureau")
		}
		if day == "" {
			day = s.Today()
		}
		if !counsel.ValidDate(day) {
			return counsel.Invalid(counsel.FieldError{Field: "day", Key: "err.date"})
		}
		before := *g
		g.Status = status
		switch status {
		case counsel.AgreementSigned:
			g.SignedOn = day
		case counsel.AgreementFiled:
			g.FiledOn = day
			if g.SignedOn == "" {
				g.SignedOn = day
			}
		}
		if err := UpdateAgreement(ctx, tx, g); err != nil {
			return err
		}
		if err := s.agreementSaved(ctx, tx, &before, g); err != nil {
			return err
		}
		out = g
		return audit.Write(ctx, tx, a, "status", "agreement", g.ID, g.RegionCode, &before, g)
	})
	return out, err
}

// Coverage returns coverage by town for a region in the actor's scope ("" = home).
func (s *Service) Coverage(ctx context.Context, a *counsel.Actor, region string) ([]CoverageRow, error) {
	scope, err := s.readScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	return Coverage(ctx, s.DB, scope, s.Today())
}

// Uncovered lists the villages without a filed agreement in force.
func (s *Service) Uncovered(ctx context.Context, a *counsel.Actor, region string) ([]counsel.Region, error) {
	scope, err := s.readScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	return Uncovered(ctx, s.DB, scope, s.Today())
}

// ReadScope is readScope for the feature packages: the region the actor
// asks about if it may read it ("" = its home region).
func (s *Service) ReadScope(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	return s.readScope(ctx, a, region)
}

// readScope resolves a region the actor asks about to one it may read
// ("" = its home region).
func (s *Service) readScope(ctx context.Context, a *counsel.Actor, region string) (string, error) {
	if !authz.IsAdmin(a) && !authz.Regional(a) {
		return "", counsel.ErrForbidden
	}
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return "", err
	}
	if region == "" {
		return home, nil
	}
	if !counsel.ValidCode(region) {
		return "", counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	if !authz.IsAdmin(a) && !counsel.Within(region, home) {
		return "", counsel.ErrNotFound
	}
	return region, nil
}

// AgreementVillages returns the villages an agreement serves (R7): its own,
// or every village of the town for a packaged agreement, with their names.
// It reads through tx, or the pool when tx is nil. This is the one place
// the rule lives: the ledger, its pages and the volumes all ask here.
func (s *Service) AgreementVillages(ctx context.Context, tx *store.Tx, g *counsel.Agreement) ([]counsel.Region, error) {
	if !g.Packaged {
		return []counsel.Region{{Code: g.RegionCode, Name: g.RegionName, Level: counsel.LevelVillage, ParentCode: counsel.ParentOf(g.RegionCode)}}, nil
	}
	if tx != nil {
		return Children(ctx, tx, g.RegionCode)
	}
	return Children(ctx, s.DB, g.RegionCode)
}
