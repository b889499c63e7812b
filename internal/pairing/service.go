package pairing

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the rules of the 1+N action: legal-literate persons (R9),
// their pairings with the village's advisor and the activity records (R10,
// R13), the 1+N rule and the 附件1/附件2 exports (R11).
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock; by default the layered service's (tests replace that).
	Now func() time.Time
	// Svc is the layered service: scopes, regions, settings, today's date.
	Svc *registry.Service
}

// NewService builds the feature's service over the layered one.
func NewService(svc *registry.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, Now: func() time.Time { return svc.Now() }, Svc: svc}
}

func maskPersons(a *counsel.Actor, ps []counsel.Person) {
	if authz.SeesFullPhones(a) {
		return
	}
	for i := range ps {
		ps[i].Phone = counsel.MaskPhone(ps[i].Phone)
	}
}

// Persons lists the legal-literate persons the actor may see.
func (s *Service) Persons(ctx context.Context, a *counsel.Actor, f counsel.Filter) (registry.List[counsel.Person], error) {
	base := registry.BaseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	items, total, err := registry.Persons(ctx, s.DB, f)
	maskPersons(a, items)
	if err == nil {
		s.auditFullPhones(ctx, a, items)
	}
	return registry.ListOf(items, total, f.Page), err
}

// auditFullPhones records that the actor was shown whole phone numbers of
// private persons (issue 12, defect 13): which persons, how many.
func (s *Service) auditFullPhones(ctx context.Context, a *counsel.Actor, ps []counsel.Person) {
	if !authz.SeesFullPhones(a) {
		return
	}
	var ids []int64
	for _, p := range ps {
		if p.Phone != "" {
			ids = append(ids, p.ID)
		}
	}
	if len(ids) == 0 {
		return
	}
	detail := map[string]any{"count": len(ids), "person_ids": ids[:min(len(ids), 100)]}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		return audit.Write(ctx, tx, a, "view_phones", "person", 0, a.RegionCode, nil, detail)
	})
	if err != nil {
		s.Log.Error("audit: full-number view not written", "err", err)
	}
}

// Person returns a person the actor may see.
func (s *Service) Person(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Person, error) {
	p, err := registry.Person(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.Svc.CanReadVillage(ctx, a, p.VillageCode) {
		return nil, counsel.ErrNotFound
	}
	one := []counsel.Person{*p}
	maskPersons(a, one)
	s.auditFullPhones(ctx, a, one)
	return &one[0], nil
}

// SavePerson creates (ID 0) or updates a legal-literate person. Changing the
// status to dismissed or removed needs a date and a reason, and ends the
// person's pairings on that date.
func (s *Service) SavePerson(ctx context.Context, a *counsel.Actor, p *counsel.Person) error {
	p.Normalize()
	// Permission before validation: someone who may not change the village
	// learns that, not what is wrong with the (possibly masked) fields.
	if counsel.LevelOf(p.VillageCode) == counsel.LevelVillage && !authz.CanWritePersons(a, p.VillageCode) {
		if s.Svc.CanReadVillage(ctx, a, p.VillageCode) {
			return counsel.ErrForbidden
		}
		return counsel.OutOfScope("village_code")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.savePerson(ctx, tx, a, p) })
}

func (s *Service) savePerson(ctx context.Context, tx *store.Tx, a *counsel.Actor, p *counsel.Person) error {
	if r, err := registry.Region(ctx, tx, p.VillageCode); err != nil || r.Level != counsel.LevelVillage {
		return counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "err.need_village"})
	}
	if p.Status == counsel.PersonActive {
		p.StatusOn, p.Reason = "", ""
	}
	if p.ID == 0 {
		if err := registry.CreatePerson(ctx, tx, p); err != nil {
			return registry.FieldConflict(err, "name")
		}
		return audit.Write(ctx, tx, a, "create", "person", p.ID, p.VillageCode, nil, p)
	}
	before, err := registry.Person(ctx, tx, p.ID)
	if err != nil {
		return err
	}
	if !authz.CanWritePersons(a, before.VillageCode) {
		return counsel.ErrNotFound
	}
	p.CreatedAt = before.CreatedAt
	if err := registry.UpdatePerson(ctx, tx, p); err != nil {
		return registry.FieldConflict(err, "name")
	}
	if p.Status != counsel.PersonActive && before.Status == counsel.PersonActive {
		if err := endPairingsOfPerson(ctx, tx, p.ID, p.StatusOn); err != nil {
			return err
		}
	}
	return audit.Write(ctx, tx, a, "update", "person", p.ID, p.VillageCode, before, p)
}

// Pairings lists pairings in the actor's scope.
func (s *Service) Pairings(ctx context.Context, a *counsel.Actor, f counsel.Filter) (registry.List[counsel.Pairing], error) {
	base := registry.BaseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	items, total, err := registry.Pairings(ctx, s.DB, f)
	return registry.ListOf(items, total, f.Page), err
}

// Pairing returns a pairing with its activities.
func (s *Service) Pairing(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Pairing, []counsel.Activity, error) {
	q, err := registry.Pairing(ctx, s.DB, id)
	if err != nil {
		return nil, nil, err
	}
	if !s.canReadPairing(ctx, a, q) {
		return nil, nil, counsel.ErrNotFound
	}
	acts, err := Activities(ctx, s.DB, id)
	return q, acts, err
}

func (s *Service) canReadPairing(ctx context.Context, a *counsel.Actor, q *counsel.Pairing) bool {
	switch a.Role {
	case counsel.RoleAdvisor:
		return q.AdvisorID == a.AdvisorID
	case counsel.RoleProvider:
		adv, err := registry.Advisor(ctx, s.DB, q.AdvisorID)
		return err == nil && adv.ProviderID == a.ProviderID
	}
	return authz.CanReadRegion(a, q.VillageCode)
}

// SavePairing pairs a village's advisor with one of its legal-literate persons
// (ID 0), or updates the pairing's dates, evaluation and remarks.
func (s *Service) SavePairing(ctx context.Context, a *counsel.Actor, q *counsel.Pairing) error {
	q.Evaluation = strings.TrimSpace(q.Evaluation)
	q.Remarks = strings.TrimSpace(q.Remarks)
	var f counsel.Fields
	if !counsel.ValidDate(q.PairedOn) {
		f.Add("paired_on", "err.date")
	}
	if q.EndedOn != "" && (!counsel.ValidDate(q.EndedOn) || q.EndedOn < q.PairedOn) {
		f.Add("ended_on", "err.date")
	}
	if len([]rune(q.Evaluation)) > 2000 {
		f.Add("evaluation", "err.too_long", 2000)
	}
	if len([]rune(q.Remarks)) > 500 {
		f.Add("remarks", "err.too_long", 500)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return s.savePairing(ctx, tx, a, q) })
}

func (s *Service) savePairing(ctx context.Context, tx *store.Tx, a *counsel.Actor, q *counsel.Pairing) error {
	if q.ID != 0 {
		before, err := registry.Pairing(ctx, tx, q.ID)
		if err != nil {
			return err
		}
		if !authz.CanWriteRegion(a, before.VillageCode) {
			if s.canReadPairing(ctx, a, before) {
				return counsel.ErrForbidden
			}
			return counsel.ErrNotFound
		}
		if err := updatePairing(ctx, tx, q); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "pairing", q.ID, before.VillageCode, before, q)
	}
	p, err := registry.Person(ctx, tx, q.PersonID)
	if err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "person_id", Key: "err.reference"})
	}
	q.VillageCode = p.VillageCode
	if !authz.CanWriteRegion(a, q.VillageCode) {
		if s.Svc.CanReadVillage(ctx, a, q.VillageCode) {
			return counsel.ErrForbidden
		}
		return counsel.OutOfScope("person_id")
	}
	if p.Status != counsel.PersonActive {
		return counsel.Invalid(counsel.FieldError{Field: "person_id", Key: "err.person_inactive"})
	}
	adv, err := registry.Advisor(ctx, tx, q.AdvisorID)
	if err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.reference"})
	}
	// The advisor must be the village's advisor under a live agreement.
	served, _, err := registry.Persons(ctx, tx, counsel.Filter{AdvisorID: adv.ID, Region: q.VillageCode, Page: counsel.Page{Limit: 1}})
	if err != nil {
		return err
	}
	if len(served) == 0 {
		if g, err := registry.LiveAgreementFor(ctx, tx, q.VillageCode); err != nil || g.AdvisorID != adv.ID {
			return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_village_advisor", Args: []any{adv.Name}})
		}
	}
	if err := registry.CreatePairing(ctx, tx, q); err != nil {
		return registry.FieldConflict(err, "person_id")
	}
	return audit.Write(ctx, tx, a, "create", "pairing", q.ID, q.VillageCode, nil, q)
}

// AddActivity records an activity of a pairing (one of the six duties, R13).
func (s *Service) AddActivity(ctx context.Context, a *counsel.Actor, act *counsel.Activity) error {
	act.Note = strings.TrimSpace(act.Note)
	if err := act.Validate(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		q, err := registry.Pairing(ctx, tx, act.PairingID)
		if err != nil {
			return err
		}
		if !authz.CanWriteRegion(a, q.VillageCode) && !(a.Role == counsel.RoleAdvisor && q.AdvisorID == a.AdvisorID) &&
			!(a.Role == counsel.RoleVillage && q.VillageCode == a.RegionCode) {
			if s.canReadPairing(ctx, a, q) {
				return counsel.ErrForbidden
			}
			return counsel.ErrNotFound
		}
		if err := createActivity(ctx, tx, act); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "activity", act.ID, q.VillageCode, nil, act)
	})
}

// PairingRules evaluates the 1+N rule for every village in a region of the
// actor's scope ("" = home): at least Min current pairings with active 两委
// members by the deadline of the county's settings.
func (s *Service) PairingRules(ctx context.Context, a *counsel.Actor, region string) ([]counsel.PairingRule, error) {
	scope, err := s.Svc.ReadScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	villages, err := registry.Villages(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	counts, err := pairingCounts(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	towns := map[string]string{}
	settings := map[string]counsel.Settings{}
	today := s.Svc.Today()
	out := make([]counsel.PairingRule, 0, len(villages))
	for _, v := range villages {
		town := v.ParentCode
		if _, ok := towns[town]; !ok {
			if t, err := registry.Region(ctx, s.DB, town); err == nil {
				towns[town] = t.Name
			}
		}
		county := counsel.AncestorAt(v.Code, counsel.LevelCounty)
		set, ok := settings[county]
		if !ok {
			if set, err = registry.Settings(ctx, s.DB, county); err != nil {
				return nil, err
			}
			settings[county] = set
		}
		c := counts[v.Code]
		r := counsel.PairingRule{VillageCode: v.Code, VillageName: v.Name, TownName: towns[town], Total: c[0], Committee: c[1],
			Min: set.PairingMin, Deadline: set.PairingDeadline}
		r.Met = r.Committee >= r.Min
		r.Overdue = !r.Met && today > r.Deadline
		out = append(out, r)
	}
	return out, nil
}
