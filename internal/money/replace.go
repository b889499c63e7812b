package money

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Replacement (seed 003 三(三): 撤换). An agreement is ended early and a
// successor takes the rest of its term with another advisor, in one
// transaction. The settlement then pays each by the months it served (the
// 15th rule of MonthsServed), so the subsidy is split without anyone
// dividing it by hand.

// ReplaceInput is an early end and the successor's advisor.
type ReplaceInput struct {
	AgreementID int64  `json:"agreement_id"`
	LastDay     string `json:"last_day"`   // the old agreement's last day
	AdvisorID   int64  `json:"advisor_id"` // the successor's advisor
	Reason      string `json:"reason"`
}

// Replace ends an agreement on LastDay (replaced when it was filed, ended
// when only signed) and saves its successor, signed, from the next day to
// the old end with the same subsidy; the registry's rules (load limit,
// advisor of the county, filing) apply to both. It returns the successor.
func (s *Service) Replace(ctx context.Context, a *counsel.Actor, in ReplaceInput) (*counsel.Agreement, error) {
	old, err := registry.Agreement(ctx, s.DB, in.AgreementID)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadAgreement(a, old) {
		return nil, counsel.ErrNotFound
	}
	if !authz.CanWriteRegion(a, old.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	if old.Status != counsel.AgreementSigned && old.Status != counsel.AgreementFiled {
		return nil, counsel.Errorf(counsel.CodeConflict, "err.money_replace_status")
	}
	last := strings.TrimSpace(in.LastDay)
	switch {
	case !counsel.ValidDate(last):
		f.Add("last_day", "err.date")
	case last < old.StartDate || last >= old.EndDate:
		f.Add("last_day", "err.money_last_day", old.StartDate, old.EndDate)
	}
	if in.AdvisorID <= 0 {
		f.Add("advisor_id", "err.required")
	} else if in.AdvisorID == old.AdvisorID {
		f.Add("advisor_id", "err.money_same_advisor")
	}
	reason := strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Add("reason", "err.required")
	case n > 100:
		f.Add("reason", "err.too_long", 100)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	ld, _ := time.Parse(counsel.DateLayout, last)
	ended := *old
	ended.EndDate = last
	ended.Status = counsel.AgreementEnded
	if old.Status == counsel.AgreementFiled {
		ended.Status = counsel.AgreementReplaced
	}
	ended.Note = clip("更换："+reason+"；"+old.Note, 200)
	next := &counsel.Agreement{AdvisorID: in.AdvisorID, RegionCode: old.RegionCode, Packaged: old.Packaged,
		StartDate: ld.AddDate(0, 0, 1).Format(counsel.DateLayout), EndDate: old.EndDate, SubsidyFen: old.SubsidyFen,
		Status: counsel.AgreementSigned, Note: clip("接替协议"+itoa(old.ID)+"："+reason, 200)}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		// Three saves, in this order, so that the ledger keeps the old
		// advisor's duty periods: the term is shortened while the agreement
		// still binds (its periods are remade for the shorter term), the
		// successor is saved (the ledger recounts the village from the
		// agreements that bind, the old one still among them), and only
		// then is the old one closed (closing keeps its history). Saving
		// the successor after closing the old one would drop the old
		// periods: see the report on the ledger's syncAgreement.
		shortened := *old
		shortened.EndDate = last
		if err := s.svc.SaveAgreementIn(ctx, tx, a, &shortened); err != nil {
			return err
		}
		if err := s.svc.SaveAgreementIn(ctx, tx, a, next); err != nil {
			return err
		}
		if err := s.svc.SaveAgreementIn(ctx, tx, a, &ended); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "replace", "agreement", old.ID, old.RegionCode,
			map[string]any{"agreement_id": old.ID, "advisor_id": old.AdvisorID, "end_date": old.EndDate, "status": old.Status},
			map[string]any{"agreement_id": old.ID, "end_date": last, "status": ended.Status, "successor_id": next.ID, "advisor_id": in.AdvisorID, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return next, nil
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// ReplaceForm is what the replacement page shows: the agreement and the
// county's active advisors who could take over.
type ReplaceForm struct {
	Agreement *counsel.Agreement
	Advisors  []counsel.Advisor
}

// ReplaceFormFor returns the replacement page's data for an agreement the
// actor may change.
func (s *Service) ReplaceFormFor(ctx context.Context, a *counsel.Actor, id int64) (*ReplaceForm, error) {
	g, err := registry.Agreement(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadAgreement(a, g) {
		return nil, counsel.ErrNotFound
	}
	if !authz.CanWriteRegion(a, g.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	advs, _, err := registry.Advisors(ctx, s.DB, counsel.Filter{Scope: counsel.AncestorAt(g.RegionCode, counsel.LevelCounty), Page: counsel.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	out := &ReplaceForm{Agreement: g}
	for _, adv := range advs {
		if adv.Active && adv.ID != g.AdvisorID {
			out.Advisors = append(out.Advisors, adv)
		}
	}
	return out, nil
}
