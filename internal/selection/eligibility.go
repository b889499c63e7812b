package selection

import (
	"context"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Eligibility checks (R41, seed 004 评选范围 and 评选条件).
const (
	CheckServing     = "serving"     // a lawyer or grassroots legal service worker now serving (a live agreement today)
	CheckYears       = "years"       // ≥ MinServiceYears as an advisor at the cut-off, from the agreements
	CheckRecommended = "recommended" // recommended by a village committee they serve
	CheckAssessed    = "assessed"    // practice assessments passed for AssessYears
	CheckSanctions   = "sanctions"   // no administrative penalty or disciplinary sanction
	CheckRegistered  = "registered"  // registered in the platform (an active advisor record)
)

// Check is one condition with its outcome and the reason in words.
type Check struct {
	Key string `json:"key"`
	OK  bool   `json:"ok"`
	Why Note   `json:"why"`
}

// Sanction is an administrative penalty or disciplinary sanction the bureau
// records in its register.
type Sanction struct {
	ID        int64  `json:"id"`
	AdvisorID int64  `json:"advisor_id"`
	Kind      string `json:"kind"` // penalty, discipline
	DecidedOn string `json:"decided_on"`
	Authority string `json:"authority"`
	Note      string `json:"note"`
}

// Sanction kinds.
var SanctionKinds = []string{"penalty", "discipline"}

// EligibilityInput is what the checks read about one advisor.
type EligibilityInput struct {
	Advisor     counsel.Advisor
	Agreements  []counsel.Agreement
	Recommended []string     // names of the served villages whose committee recommended the advisor
	Assessed    map[int]bool // year → passed (absent: not recorded)
	Sanctions   []Sanction
}

// Eligibility is an advisor's outcome.
type Eligibility struct {
	AdvisorID     int64   `json:"advisor_id"`
	Name          string  `json:"name"`
	ProviderName  string  `json:"provider_name"`
	Eligible      bool    `json:"eligible"`
	Checks        []Check `json:"checks"`
	ServiceDays   int     `json:"service_days"`
	OnsiteMinutes int     `json:"onsite_minutes"` // the year before the campaign, as the ledger records it
	Lectures      int     `json:"lectures"`
}

// ServiceDays counts the days before cutoff covered by agreements that were
// in force (signed, filed, ended or replaced; drafts never were), counting a
// day covered by two agreements once.
func ServiceDays(gs []counsel.Agreement, cutoff string) int {
	covered := map[string]bool{}
	for _, g := range gs {
		if g.Status == counsel.AgreementDraft || g.StartDate == "" {
			continue
		}
		start, err1 := time.Parse(counsel.DateLayout, g.StartDate)
		end, err2 := time.Parse(counsel.DateLayout, g.EndDate)
		limit, err3 := time.Parse(counsel.DateLayout, cutoff)
		if err1 != nil || err2 != nil || err3 != nil {
			continue
		}
		for d := start; !d.After(end) && d.Before(limit); d = d.AddDate(0, 0, 1) {
			covered[d.Format(counsel.DateLayout)] = true
		}
	}
	return len(covered)
}

// Evaluate runs the checks of a campaign's settings on one advisor, on date
// today (pure).
func Evaluate(s *Settings, today string, in EligibilityInput) Eligibility {
	e := Eligibility{AdvisorID: in.Advisor.ID, Name: in.Advisor.Name, ProviderName: in.Advisor.ProviderName, Eligible: true}
	add := func(key string, ok bool, why Note) {
		e.Checks = append(e.Checks, Check{Key: key, OK: ok, Why: why})
		e.Eligible = e.Eligible && ok
	}
	kindOK := in.Advisor.Kind == counsel.AdvisorLawyer || in.Advisor.Kind == counsel.AdvisorGrassroots
	var live []string
	for _, g := range in.Agreements {
		if (g.Status == counsel.AgreementSigned || g.Status == counsel.AgreementFiled) && g.StartDate <= today && today <= g.EndDate {
			live = append(live, g.RegionName)
		}
	}
	switch {
	case !kindOK:
		add(CheckServing, false, Note{Key: "sel.elig.kind"})
	case len(live) == 0:
		add(CheckServing, false, Note{Key: "sel.elig.not_serving"})
	default:
		add(CheckServing, true, Note{Key: "sel.elig.serving", Args: []any{strings.Join(live, "、")}})
	}
	e.ServiceDays = ServiceDays(in.Agreements, s.CutoffDate)
	need := 365 * s.MinServiceYears
	add(CheckYears, e.ServiceDays >= need, Note{Key: "sel.elig.years", Args: []any{DateCN(s.CutoffDate), e.ServiceDays, need}})
	if len(in.Recommended) > 0 {
		add(CheckRecommended, true, Note{Key: "sel.elig.recommended", Args: []any{strings.Join(in.Recommended, "、")}})
	} else {
		add(CheckRecommended, false, Note{Key: "sel.elig.not_recommended"})
	}
	var failed, missing []string
	for _, y := range s.AssessYears {
		passed, ok := in.Assessed[y]
		switch {
		case !ok:
			missing = append(missing, itoa(y))
		case !passed:
			failed = append(failed, itoa(y))
		}
	}
	switch {
	case len(failed) > 0:
		add(CheckAssessed, false, Note{Key: "sel.elig.assess_failed", Args: []any{strings.Join(failed, "、")}})
	case len(missing) > 0:
		add(CheckAssessed, false, Note{Key: "sel.elig.assess_missing", Args: []any{strings.Join(missing, "、")}})
	default:
		add(CheckAssessed, true, Note{Key: "sel.elig.assessed", Args: []any{len(s.AssessYears)}})
	}
	if len(in.Sanctions) > 0 {
		x := in.Sanctions[0]
		add(CheckSanctions, false, Note{Key: "sel.elig.sanctioned", Args: []any{DateCN(x.DecidedOn), x.Authority}})
	} else {
		add(CheckSanctions, true, Note{Key: "sel.elig.no_sanction"})
	}
	add(CheckRegistered, in.Advisor.Active, Note{Key: map[bool]string{true: "sel.elig.registered", false: "sel.elig.inactive"}[in.Advisor.Active]})
	return e
}

// EligibilityOf evaluates every advisor of a county for a campaign, with
// the on-site time and lectures the ledger records for the year before the
// campaign shown next to each name (the notice prefers both).
func (s *Service) EligibilityOf(ctx context.Context, a *counsel.Actor, campaignID int64, county string) ([]Eligibility, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if counsel.LevelOf(county) != counsel.LevelCounty || !counsel.Within(county, c.RegionCode) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "county", Key: "sel.err_county"})
	}
	if !authz.CanNominate(a, county) && !(a.Role == counsel.RoleBureau && counsel.Within(county, a.RegionCode)) {
		return nil, counsel.OutOfScope("county")
	}
	advs, _, err := registry.Advisors(ctx, s.DB, counsel.Filter{Scope: county, Page: counsel.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	recs, err := recommendations(ctx, s.DB, c.ID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	year := itoa4(c.Year - 1)
	var out []Eligibility
	for _, adv := range advs {
		gs, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{AdvisorID: adv.ID, Page: counsel.Page{Limit: 500}})
		if err != nil {
			return nil, err
		}
		in := EligibilityInput{Advisor: adv, Agreements: gs, Assessed: map[int]bool{}}
		served := map[string]string{}
		for _, g := range gs {
			served[g.RegionCode] = g.RegionName
		}
		for _, r := range recs[adv.ID] {
			if name, ok := served[r]; ok {
				in.Recommended = append(in.Recommended, name)
			}
		}
		if in.Assessed, err = assessments(ctx, s.DB, adv.ID); err != nil {
			return nil, err
		}
		if in.Sanctions, err = sanctions(ctx, s.DB, adv.ID); err != nil {
			return nil, err
		}
		e := Evaluate(&c.Settings, today, in)
		if s.Ledger != nil {
			if e.OnsiteMinutes, _, err = s.ledgerSum(ctx, adv.ID, policy.KindOnsiteDuty, year); err != nil {
				return nil, err
			}
			if _, e.Lectures, err = s.ledgerSum(ctx, adv.ID, policy.KindLecture, year); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// ledgerSum sums the minutes and counts the undisputed entries of one kind
// an advisor recorded in a year.
func (s *Service) ledgerSum(ctx context.Context, advisor int64, kind, year string) (minutes, n int, err error) {
	f := ledger.EntryFilter{AdvisorID: advisor, Kind: kind, From: year + "-01-01", To: year + "-12-31", Page: counsel.Page{Limit: 500}}
	for {
		l, err := s.Ledger.Entries(ctx, counsel.System, f)
		if err != nil {
			return 0, 0, err
		}
		for _, e := range l.Items {
			if e.Status != counsel.EntryDisputed {
				minutes += e.Minutes
				n++
			}
		}
		f.Offset += len(l.Items)
		if len(l.Items) == 0 || f.Offset >= l.Total {
			return minutes, n, nil
		}
	}
}

func recommendations(ctx context.Context, q store.Q, campaign int64) (map[int64][]string, error) {
	rows, err := q.Query(ctx, `SELECT advisor_id, village_code FROM sel_recommendations WHERE campaign_id = ? ORDER BY village_code`, campaign)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return nil, err
		}
		out[id] = append(out[id], v)
	}
	return out, rows.Err()
}

func assessments(ctx context.Context, q store.Q, advisor int64) (map[int]bool, error) {
	rows, err := q.Query(ctx, `SELECT year, passed FROM sel_assessments WHERE advisor_id = ?`, advisor)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var y int
		var ok bool
		if err := rows.Scan(&y, &ok); err != nil {
			return nil, err
		}
		out[y] = ok
	}
	return out, rows.Err()
}

func sanctions(ctx context.Context, q store.Q, advisor int64) ([]Sanction, error) {
	rows, err := q.Query(ctx, `SELECT id, advisor_id, kind, decided_on, authority, note FROM sel_sanctions WHERE advisor_id = ? ORDER BY decided_on DESC`, advisor)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Sanction
	for rows.Next() {
		var x Sanction
		if err := rows.Scan(&x.ID, &x.AdvisorID, &x.Kind, &x.DecidedOn, &x.Authority, &x.Note); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Recommend records a village committee's recommendation of the advisor who
// serves it under a live agreement.
func (s *Service) Recommend(ctx context.Context, a *counsel.Actor, campaignID int64) (*counsel.Agreement, error) {
	if a.Role != counsel.RoleVillage {
		return nil, counsel.ErrForbidden
	}
	c, err := CampaignByID(ctx, s.DB, campaignID)
	if err != nil {
		return nil, err
	}
	if !counsel.Within(a.RegionCode, c.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	g, err := registry.LiveAgreementFor(ctx, s.DB, a.RegionCode)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "sel.err_no_advisor"})
		}
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := store.Changed(tx.Exec(ctx, `INSERT INTO sel_recommendations (campaign_id, advisor_id, village_code, recommended_by, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, advisor_id, village_code) DO NOTHING`, c.ID, g.AdvisorID, a.RegionCode, a.Username, s.Now().UnixMilli()))
		if err != nil || !ok {
			return err
		}
		return audit.Write(ctx, tx, a, "recommend", "sel_campaign", c.ID, a.RegionCode, nil, map[string]any{"advisor": g.AdvisorID})
	})
	return g, err
}

// RecordSanction enters a penalty or sanction in the register.
func (s *Service) RecordSanction(ctx context.Context, a *counsel.Actor, x Sanction) error {
	x.Kind, x.Authority, x.Note, x.DecidedOn = strings.TrimSpace(x.Kind), strings.TrimSpace(x.Authority), strings.TrimSpace(x.Note), strings.TrimSpace(x.DecidedOn)
	county, err := s.advisorCounty(ctx, x.AdvisorID)
	if err != nil {
		return err
	}
	var f counsel.Fields
	if !contains(SanctionKinds, x.Kind) {
		f.Add("kind", "err.choice")
	}
	if !counsel.ValidDate(x.DecidedOn) || x.DecidedOn > s.Today() {
		f.Add("decided_on", "sel.err_decided_on")
	}
	if n := len([]rune(x.Authority)); n < 2 || n > 60 {
		f.Add("authority", "sel.err_authority")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !authz.CanNominate(a, county) {
		return counsel.OutOfScope("advisor_id")
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO sel_sanctions (advisor_id, kind, decided_on, authority, note, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			x.AdvisorID, x.Kind, x.DecidedOn, x.Authority, x.Note, a.Username, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "sel_sanction", id, county, nil, x)
	})
}

// RecordAssessment records an advisor's practice assessment of a year that
// predates the system (passed or not).
func (s *Service) RecordAssessment(ctx context.Context, a *counsel.Actor, advisorID int64, year int, passed bool) error {
	county, err := s.advisorCounty(ctx, advisorID)
	if err != nil {
		return err
	}
	if year < 2000 || year > s.Now().Year() {
		return counsel.Invalid(counsel.FieldError{Field: "year", Key: "sel.err_year"})
	}
	if !authz.CanNominate(a, county) {
		return counsel.OutOfScope("advisor_id")
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_assessments (advisor_id, year, passed, recorded_by, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (advisor_id, year) DO UPDATE SET passed = excluded.passed, recorded_by = excluded.recorded_by, created_at = excluded.created_at`,
			advisorID, year, passed, a.Username, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "assess", "sel_advisor", advisorID, county, nil, map[string]any{"year": year, "passed": passed})
	})
}

func (s *Service) advisorCounty(ctx context.Context, id int64) (string, error) {
	adv, err := registry.Advisor(ctx, s.DB, id)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return "", counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "sel.err_advisor"})
		}
		return "", err
	}
	if adv.CountyCode != "" {
		return adv.CountyCode, nil
	}
	p, err := registry.Provider(ctx, s.DB, adv.ProviderID)
	if err != nil {
		return "", err
	}
	return p.CountyCode, nil
}
