package assess

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Inspection kinds (seed 003 §三(三): 随机检查、暗访、交叉检查).
const (
	InspectRandom      = "random"
	InspectUnannounced = "unannounced"
	InspectCross       = "cross"
)

// InspectKinds lists the kinds in form order.
var InspectKinds = []string{InspectRandom, InspectUnannounced, InspectCross}

// Checks are the checklist an inspector goes through at a village.
var Checks = []string{"board", "on_duty", "ledger_match", "wechat_active", "residents_know"}

// Finding values of a check.
const (
	FindingOK      = "ok"
	FindingProblem = "problem"
	FindingNA      = "na"
)

// Visit statuses and rectification statuses.
const (
	VisitPlanned = "planned"
	VisitDone    = "done"
	RectOpen     = "open"
	RectClosed   = "closed"
)

// Inspection is a planned check of a sample of villages (R25).
type Inspection struct {
	ID         int64   `json:"id"`
	RegionCode string  `json:"region_code"`
	RegionName string  `json:"region_name"`
	Kind       string  `json:"kind"`
	Title      string  `json:"title"`
	Seed       string  `json:"seed"`
	SampleSize int     `json:"sample_size"`
	PlannedOn  string  `json:"planned_on"`
	CreatedBy  int64   `json:"created_by"`
	CreatedAt  int64   `json:"created_at"`
	Visits     []Visit `json:"visits,omitempty"`
	// Reproduced reports whether drawing again from the seed and today's
	// population gives the same villages (false when the population changed).
	Reproduced bool `json:"reproduced"`
}

// InspectionInput plans an inspection.
type InspectionInput struct {
	RegionCode string `json:"region_code"`
	Kind       string `json:"kind"`
	Title      string `json:"title"`
	Seed       string `json:"seed"`
	SampleSize int    `json:"sample_size"`
	PlannedOn  string `json:"planned_on"`
}

// Visit is one village drawn into an inspection, with its findings.
type Visit struct {
	ID           int64             `json:"id"`
	InspectionID int64             `json:"inspection_id"`
	VillageCode  string            `json:"village_code"`
	VillageName  string            `json:"village_name"`
	AdvisorID    int64             `json:"advisor_id"`
	AdvisorName  string            `json:"advisor_name"`
	Status       string            `json:"status"`
	Checklist    map[string]string `json:"checklist"`
	Note         string            `json:"note"`
	InspectedAt  int64             `json:"inspected_at"`
	Orders       []Rectification   `json:"orders,omitempty"`
}

// Rectification is an order (整改通知) to the advisor's firm from a finding.
type Rectification struct {
	ID           int64  `json:"id"`
	VisitID      int64  `json:"visit_id"`
	VillageCode  string `json:"village_code"`
	VillageName  string `json:"village_name"`
	AdvisorID    int64  `json:"advisor_id"`
	AdvisorName  string `json:"advisor_name"`
	ProviderID   int64  `json:"provider_id"`
	Issue        string `json:"issue"`
	DueOn        string `json:"due_on"`
	Status       string `json:"status"`
	ClosedNote   string `json:"closed_note"`
	CreatedAt    int64  `json:"created_at"`
	ClosedAt     int64  `json:"closed_at"`
	Overdue      bool   `json:"overdue"`
	InspectionID int64  `json:"inspection_id"`
}

// Draw returns n villages of the population drawn by seed: every village
// is ranked by SHA-256(seed + "|" + code) and the lowest n are taken, in
// code order. The result depends only on the seed and the set of villages
// (not their order), so anyone with the written seed and the population
// can draw again and get the same villages.
func Draw(seed string, population []string, n int) []string {
	type ranked struct{ code, key string }
	rs := make([]ranked, 0, len(population))
	seen := map[string]bool{}
	for _, c := range population {
		if seen[c] {
			continue
		}
		seen[c] = true
		h := sha256.Sum256([]byte(seed + "|" + c))
		rs = append(rs, ranked{c, hex.EncodeToString(h[:])})
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].key != rs[j].key {
			return rs[i].key < rs[j].key
		}
		return rs[i].code < rs[j].code
	})
	if n > len(rs) {
		n = len(rs)
	}
	out := make([]string, 0, n)
	for _, r := range rs[:max(n, 0)] {
		out = append(out, r.code)
	}
	sort.Strings(out)
	return out
}

// population is the villages of region served by a live agreement, with
// their advisors.
func (s *Service) population(ctx context.Context, region string) (map[string]registry.VillageAdvisor, []string, error) {
	live, err := registry.LiveAdvisors(ctx, s.DB, region)
	if err != nil {
		return nil, nil, err
	}
	codes := make([]string, 0, len(live))
	for v := range live {
		codes = append(codes, v)
	}
	sort.Strings(codes)
	return live, codes, nil
}

// PlanInspection plans an inspection of a county or town and draws its
// villages from the written seed (a random check draws SampleSize of the
// served villages; an unannounced visit or cross-check the same way). The
// seed must be written down before the draw: it is required and stored.
func (s *Service) PlanInspection(ctx context.Context, a *counsel.Actor, in InspectionInput) (*Inspection, error) {
	region := strings.TrimSpace(in.RegionCode)
	if region == "" && a.Role != counsel.RoleAdmin {
		region = a.RegionCode
	}
	var f counsel.Fields
	lv := counsel.LevelOf(region)
	if !counsel.ValidCode(region) || (lv != counsel.LevelCounty && lv != counsel.LevelTown) {
		f.Add("region_code", "as.err.inspect_region")
	} else if !authz.CanPlanInspection(a, region) {
		return nil, counsel.OutOfScope("region_code")
	}
	if !oneOf(in.Kind, InspectKinds) {
		f.Add("kind", "err.choice")
	}
	title := strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(title); n == 0 {
		f.Add("title", "err.required")
	} else if n > 100 {
		f.Add("title", "err.too_long", 100)
	}
	seed := strings.TrimSpace(in.Seed)
	if n := utf8.RuneCountInString(seed); n < 4 || n > 100 {
		f.Add("seed", "as.err.seed")
	}
	if in.SampleSize < 1 || in.SampleSize > 500 {
		f.Add("sample_size", "err.range", 1, 500)
	}
	if !counsel.ValidDate(in.PlannedOn) {
		f.Add("planned_on", "err.date")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	live, codes, err := s.population(ctx, region)
	if err != nil {
		return nil, err
	}
	if len(codes) == 0 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "as.err.no_population"})
	}
	now := s.Now().UnixMilli()
	in2 := &Inspection{RegionCode: region, Kind: in.Kind, Title: title, Seed: seed, SampleSize: in.SampleSize, PlannedOn: in.PlannedOn, CreatedBy: a.UserID, CreatedAt: now}
	drawn := Draw(seed, codes, in.SampleSize)
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createInspection(ctx, tx, in2); err != nil {
			return err
		}
		for _, v := range drawn {
			if err := createVisit(ctx, tx, in2.ID, v, live[v].AdvisorID); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, a, "create", "inspection", in2.ID, region, nil,
			map[string]any{"kind": in.Kind, "seed": seed, "sample_size": in.SampleSize, "population": len(codes), "villages": drawn})
	})
	if err != nil {
		return nil, err
	}
	return s.Inspection(ctx, a, in2.ID)
}

// Inspections lists the plans the actor sees (bureaus and offices their
// area's), newest first.
func (s *Service) Inspections(ctx context.Context, a *counsel.Actor) ([]Inspection, error) {
	if !authz.CanSeeInspections(a) {
		return nil, counsel.ErrForbidden
	}
	scope := a.RegionCode
	if authz.IsAdmin(a) {
		scope = ""
	}
	return inspectionsIn(ctx, s.DB, scope)
}

// Inspection returns a plan with its villages and orders, and whether the
// draw reproduces from its seed.
func (s *Service) Inspection(ctx context.Context, a *counsel.Actor, id int64) (*Inspection, error) {
	in, err := getInspection(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanSeeInspection(a, in.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	if in.Visits, err = visitsOf(ctx, s.DB, id); err != nil {
		return nil, err
	}
	orders, err := rectifications(ctx, s.DB, RectFilter{InspectionID: id})
	if err != nil {
		return nil, err
	}
	var drawn []string
	for i := range in.Visits {
		drawn = append(drawn, in.Visits[i].VillageCode)
		for _, o := range orders {
			if o.VisitID == in.Visits[i].ID {
				in.Visits[i].Orders = append(in.Visits[i].Orders, o)
			}
		}
	}
	_, codes, err := s.population(ctx, in.RegionCode)
	if err != nil {
		return nil, err
	}
	in.Reproduced = strings.Join(Draw(in.Seed, codes, in.SampleSize), ",") == strings.Join(drawn, ",")
	return in, nil
}

// VisitDetail is one village's visit with its plan, for the checklist page.
type VisitDetail struct {
	Visit      Visit       `json:"visit"`
	Inspection *Inspection `json:"inspection"`
	CanRecord  bool        `json:"can_record"`
}

// Visit returns a visit for the inspectors of its area.
func (s *Service) Visit(ctx context.Context, a *counsel.Actor, id int64) (*VisitDetail, error) {
	v, err := getVisit(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	in, err := getInspection(ctx, s.DB, v.InspectionID)
	if err != nil {
		return nil, err
	}
	if !authz.CanSeeInspection(a, in.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	if v.Orders, err = rectifications(ctx, s.DB, RectFilter{VisitID: id}); err != nil {
		return nil, err
	}
	return &VisitDetail{Visit: *v, Inspection: in, CanRecord: authz.CanInspect(a, v.VillageCode)}, nil
}

// RecordFindings records the checklist of a visit: every check ok,
// problem or not applicable; a problem needs a note saying what was found.
func (s *Service) RecordFindings(ctx context.Context, a *counsel.Actor, id int64, checklist map[string]string, note string) error {
	d, err := s.Visit(ctx, a, id)
	if err != nil {
		return err
	}
	if !d.CanRecord {
		return counsel.ErrForbidden
	}
	var f counsel.Fields
	problem := false
	for _, c := range Checks {
		switch checklist[c] {
		case FindingOK, FindingNA:
		case FindingProblem:
			problem = true
		default:
			f.Add("check."+c, "as.err.check")
		}
	}
	note = strings.TrimSpace(note)
	if problem && note == "" {
		f.Add("note", "as.err.note_needed")
	}
	if utf8.RuneCountInString(note) > 2000 {
		f.Add("note", "err.too_long", 2000)
	}
	if err := f.Err(); err != nil {
		return err
	}
	clean := map[string]string{}
	for _, c := range Checks {
		clean[c] = checklist[c]
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := saveFindings(ctx, tx, id, clean, note, a.UserID, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "inspect", "inspection_visit", id, d.Visit.VillageCode, nil, map[string]any{"checklist": clean, "note": note})
	})
}

// OrderRectification opens a rectification order to the advisor's firm
// from a visit's finding, with a deadline not before today.
func (s *Service) OrderRectification(ctx context.Context, a *counsel.Actor, visitID int64, issue, dueOn string) (*Rectification, error) {
	d, err := s.Visit(ctx, a, visitID)
	if err != nil {
		return nil, err
	}
	if !d.CanRecord {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	issue = strings.TrimSpace(issue)
	if n := utf8.RuneCountInString(issue); n == 0 {
		f.Add("issue", "err.required")
	} else if n > 1000 {
		f.Add("issue", "err.too_long", 1000)
	}
	dueOn = strings.TrimSpace(dueOn)
	if !counsel.ValidDate(dueOn) {
		f.Add("due_on", "err.date")
	} else if dueOn < s.Today() {
		f.Add("due_on", "as.err.due_past")
	}
	if d.Visit.Status != VisitDone {
		f.Add("issue", "as.err.visit_first")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var provider int64
	if d.Visit.AdvisorID > 0 {
		adv, err := registry.Advisor(ctx, s.DB, d.Visit.AdvisorID)
		if err != nil {
			return nil, err
		}
		provider = adv.ProviderID
	}
	o := &Rectification{VisitID: visitID, VillageCode: d.Visit.VillageCode, AdvisorID: d.Visit.AdvisorID, ProviderID: provider, Issue: issue,
		DueOn: dueOn, Status: RectOpen, CreatedAt: s.Now().UnixMilli()}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createRectification(ctx, tx, o, a.UserID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "rectification", o.ID, o.VillageCode, nil, o)
	})
	return o, err
}

// Rectifications lists the orders the actor sees: a firm its own, an
// advisor theirs, bureaus and offices their area's; open ones first.
func (s *Service) Rectifications(ctx context.Context, a *counsel.Actor) ([]Rectification, error) {
	var f RectFilter
	switch a.Role {
	case counsel.RoleAdmin:
	case counsel.RoleProvider:
		f.ProviderID = a.ProviderID
	case counsel.RoleAdvisor:
		f.AdvisorID = a.AdvisorID
	case counsel.RoleBureau, counsel.RoleJudicial:
		f.Scope = a.RegionCode
	default:
		return nil, counsel.ErrForbidden
	}
	os, err := rectifications(ctx, s.DB, f)
	today := s.Today()
	for i := range os {
		os[i].Overdue = os[i].Status == RectOpen && os[i].DueOn < today
	}
	return os, err
}

// CloseRectification closes an order with what was done: the firm or the
// inspectors of its village.
func (s *Service) CloseRectification(ctx context.Context, a *counsel.Actor, id int64, note string) error {
	o, err := getRectification(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if !authz.CanCloseRectification(a, o.VillageCode, o.ProviderID) {
		return counsel.ErrNotFound
	}
	note = strings.TrimSpace(note)
	if n := utf8.RuneCountInString(note); n == 0 {
		return counsel.Invalid(counsel.FieldError{Field: "closed_note", Key: "err.required"})
	} else if n > 1000 {
		return counsel.Invalid(counsel.FieldError{Field: "closed_note", Key: "err.too_long", Args: []any{1000}})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := closeRectification(ctx, tx, id, note, a.UserID, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Invalid(counsel.FieldError{Field: "closed_note", Key: "as.err.closed"})
		}
		return audit.Write(ctx, tx, a, "close", "rectification", id, o.VillageCode, nil, map[string]any{"closed_note": note})
	})
}
