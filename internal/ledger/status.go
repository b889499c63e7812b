package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Duty is one obligation of a village in a period with its state and the
// reason in words (R22).
type Duty struct {
	policy.Status
	Village     string `json:"village_code"`
	VillageName string `json:"village_name"`
	AdvisorID   int64  `json:"advisor_id"`
	AdvisorName string `json:"advisor_name"`
}

// judge turns an obligation row into a status with reasons, using the rule
// in force for the village (nil when the rule no longer exists).
func (s *Service) judge(ctx context.Context, r ComplianceRow, terms map[int64]*counsel.Agreement, today string) (*Duty, error) {
	p, _, err := s.PolicyFor(ctx, r.Village)
	if err != nil {
		return nil, err
	}
	var rule *policy.Rule
	for i := range p.Rules {
		if p.Rules[i].ID == r.RuleID {
			rule = &p.Rules[i]
		}
	}
	if rule == nil {
		return nil, nil
	}
	g := terms[r.AgreementID]
	if g == nil {
		if g, err = registry.Agreement(ctx, s.DB, r.AgreementID); err != nil {
			return nil, err
		}
		terms[r.AgreementID] = g
	}
	per := policy.Period{Kind: r.PeriodKind, Start: r.PeriodStart, End: r.PeriodEnd}
	st := policy.Judge(*rule, per, g.StartDate, g.EndDate, today, r.Count, r.Minutes)
	return &Duty{Status: st, Village: r.Village, VillageName: r.VillageName, AdvisorID: r.AdvisorID, AdvisorName: r.AdvisorName}, nil
}

// Duties lists obligations in the actor's scope: state "missed" is the
// overdue list for supervisors, "due" what is still open.
func (s *Service) Duties(ctx context.Context, a *counsel.Actor, f ComplianceFilter) (registry.List[Duty], error) {
	b := registry.BaseFilter(a)
	f.ProviderID, f.AdvisorID = b.ProviderID, b.AdvisorID
	if b.Scope != "" && (f.Scope == "" || !counsel.Within(f.Scope, b.Scope)) {
		f.Scope = b.Scope
	}
	f.Today = s.svc.Today()
	rows, total, err := Compliance(ctx, s.DB, f)
	if err != nil {
		return registry.List[Duty]{}, err
	}
	terms := map[int64]*counsel.Agreement{}
	var out []Duty
	for _, r := range rows {
		d, err := s.judge(ctx, r, terms, f.Today)
		if err != nil {
			return registry.List[Duty]{}, err
		}
		if d != nil {
			out = append(out, *d)
		}
	}
	return registry.ListOf(out, total, f.Page), nil
}

// DueNow returns, for an advisor, every obligation of the current periods of
// the villages it serves: met, due (with what is missing) — the advisor's
// phone page. Nothing recorded yet counts as zero.
func (s *Service) DueNow(ctx context.Context, a *counsel.Actor, advisorID int64) ([]Duty, error) {
	switch a.Role {
	case counsel.RoleAdvisor:
		advisorID = a.AdvisorID
	case counsel.RoleVillage:
		return nil, counsel.ErrForbidden // an advisor's other villages are not the village's business
	}
	adv, err := s.svc.Advisor(ctx, a, advisorID)
	if err != nil {
		return nil, err
	}
	today := s.svc.Today()
	gs, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{AdvisorID: advisorID, Status: "live", Page: counsel.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	var out []Duty
	for i := range gs {
		g := &gs[i]
		if g.StartDate > today || (g.EndDate != "" && g.EndDate < today) {
			continue
		}
		vs, err := s.svc.AgreementVillages(ctx, nil, g)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, r := range vs {
			names[r.Code] = r.Name
		}
		for _, r := range vs {
			v := r.Code
			obls, err := s.obligations(ctx, v, g)
			if err != nil {
				return nil, err
			}
			rows, _, err := Compliance(ctx, s.DB, ComplianceFilter{Village: v, EndFrom: today, StartTo: today, Page: counsel.Page{Limit: 200}})
			if err != nil {
				return nil, err
			}
			have := map[string]ComplianceRow{}
			for _, r := range rows {
				have[r.RuleID+"|"+r.PeriodStart] = r
			}
			for _, o := range obls {
				per, ok := policy.PeriodOf(o.Rule.Period, today)
				if !ok {
					continue
				}
				r := have[o.Rule.ID+"|"+per.Start]
				st := policy.Judge(o.Rule, per, o.TermStart, o.TermEnd, today, r.Count, r.Minutes)
				out = append(out, Duty{Status: st, Village: v, VillageName: names[v], AdvisorID: advisorID, AdvisorName: adv.Name})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].State == policy.StateMet) != (out[j].State == policy.StateMet) {
			return out[j].State == policy.StateMet
		}
		return out[i].Period.End < out[j].Period.End
	})
	return out, nil
}

// EnsurePeriods creates the obligation rows of the current periods for every
// village served under a signed or filed agreement in force today, so that
// villages with nothing recorded count as due (and later missed) in the
// totals. It is idempotent; the daily job runs it.
func (s *Service) EnsurePeriods(ctx context.Context, today string) (int, error) {
	created := 0
	offset := 0
	for {
		gs, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{Status: "live", Page: counsel.Page{Limit: 500, Offset: offset}})
		if err != nil {
			return created, err
		}
		if len(gs) == 0 {
			break
		}
		offset += len(gs)
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			for i := range gs {
				g := &gs[i]
				if g.Status == counsel.AgreementDraft || g.StartDate > today || (g.EndDate != "" && g.EndDate < today) {
					continue
				}
				villages, err := s.svc.AgreementVillages(ctx, tx, g)
				if err != nil {
					return err
				}
				for _, r := range villages {
					v := r.Code
					obls, err := s.obligations(ctx, v, g)
					if err != nil {
						return err
					}
					for _, o := range obls {
						per, ok := policy.PeriodOf(o.Rule.Period, today)
						if !ok {
							continue
						}
						n, err := EnsureCompliance(ctx, tx, v, g.AdvisorID, g.ID, o, per)
						if err != nil {
							return err
						}
						if n {
							created++
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			return created, err
		}
	}
	return created, nil
}

// Recount rebuilds every counter from the raw ledger rows (entries that are
// neither disputed nor amended) and the policies in force. With dryRun it
// only compares: it reports the counter rows that differ and changes
// nothing.
func (s *Service) Recount(ctx context.Context, dryRun bool) (diffs []string, err error) {
	s.ResetCache()
	before, err := CounterSnapshot(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	errDry := fmt.Errorf("dry run")
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := ResetCounters(ctx, tx); err != nil {
			return err
		}
		terms := map[int64]*counsel.Agreement{}
		var after int64
		for {
			es, err := CountedEntries(ctx, tx, after, 2000)
			if err != nil {
				return err
			}
			if len(es) == 0 {
				break
			}
			for i := range es {
				e := &es[i]
				after = e.ID
				obls, err := s.entryObligations(ctx, tx, terms, e)
				if err != nil {
					return err
				}
				if err := CountEntry(ctx, tx, e, obls, 1); err != nil {
					return err
				}
			}
		}
		// Write the recounted rows, then total them by region afresh.
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		if err := RebuildComplianceStats(ctx, tx); err != nil {
			return err
		}
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		now, err := CounterSnapshot(ctx, tx)
		if err != nil {
			return err
		}
		diffs = diffSorted(before, now)
		if dryRun {
			return errDry
		}
		return nil
	})
	if err == errDry {
		err = nil
	}
	return diffs, err
}

// diffSorted returns the lines only in a ("-") or only in b ("+").
func diffSorted(a, b []string) []string {
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j >= len(b) || (i < len(a) && a[i] < b[j]):
			out = append(out, "- "+a[i])
			i++
		case i >= len(a) || b[j] < a[i]:
			out = append(out, "+ "+b[j])
			j++
		default:
			i++
			j++
		}
	}
	return out
}

// VerifyLedger checks the hash chains in the actor's scope (everything for
// the command line, where a is nil), naming the villages with problems.
func (s *Service) VerifyLedger(ctx context.Context, a *counsel.Actor, scope string) (*VerifyResult, error) {
	if scope != "" && !counsel.ValidCode(scope) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	if a != nil {
		if !authz.CanVerifyLedger(a) {
			return nil, counsel.ErrForbidden
		}
		if b := registry.BaseFilter(a); b.Scope != "" && (scope == "" || !counsel.Within(scope, b.Scope)) {
			scope = b.Scope
		}
	}
	res, err := VerifyChains(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	for i := range res.Problems {
		p := &res.Problems[i]
		if r, err := registry.Region(ctx, s.DB, p.Village); err == nil {
			p.VillageName = r.Name
		}
	}
	return res, nil
}

// entryObligations returns the obligations e counts under: the rules in
// force for its village under its agreement's term (agreements cached in
// terms across calls).
func (s *Service) entryObligations(ctx context.Context, tx *store.Tx, terms map[int64]*counsel.Agreement, e *counsel.Entry) ([]Obligation, error) {
	g := terms[e.AgreementID]
	if g == nil {
		var err error
		if g, err = registry.Agreement(ctx, tx, e.AgreementID); err != nil {
			return nil, err
		}
		terms[e.AgreementID] = g
	}
	return s.obligations(ctx, e.VillageCode, g)
}

// ---- policies ----

// PolicyLayer is a jurisdiction's own layer and the policy in force there.
type PolicyLayer struct {
	Region   string        `json:"region_code"`
	Own      policy.Policy `json:"own"`
	HasOwn   bool          `json:"has_own"`
	Resolved policy.Policy `json:"resolved"` // for a village; for a larger region its own plus inherited layers
}

// Policy returns the layer set on a region and what binds it.
func (s *Service) Policy(ctx context.Context, a *counsel.Actor, region string) (*PolicyLayer, error) {
	home, err := s.svc.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = home
	}
	if !counsel.ValidCode(region) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.required"})
	}
	// Rules in force on the actor's area and above it (inherited) are readable.
	if !authz.IsAdmin(a) && !counsel.Within(region, home) && !counsel.Within(home, region) {
		return nil, counsel.ErrNotFound
	}
	c, err := s.loadCache(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	layers := c.layers
	c.mu.Unlock()
	out := &PolicyLayer{Region: region, Resolved: policy.Resolve(layers, region)}
	for _, l := range layers {
		if l.Region == region {
			out.Own, out.HasOwn = l.Policy, true
		}
	}
	return out, nil
}

// SavePolicy sets (or, with no rules and no name, removes) a region's own
// layer. County bureaus set their county and below; the administrator any
// region. The region's obligations are then counted again under the rules
// now in force (see RecountObligations), so status pages and dashboards
// show the new rules at once.
func (s *Service) SavePolicy(ctx context.Context, a *counsel.Actor, region string, p policy.Policy) error {
	if !counsel.ValidCode(region) {
		return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.required"})
	}
	if !authz.CanSetPolicy(a, region) {
		return counsel.OutOfScope("region")
	}
	if probs := p.Validate(); len(probs) > 0 {
		return counsel.Invalid(counsel.FieldError{Field: "rules", Key: "ledger.err_policy", Args: []any{probs[0]}})
	}
	body := ""
	if p.Name != "" || len(p.Rules) > 0 {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		body = string(b)
	}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := SavePolicy(ctx, tx, region, body, s.svc.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "policy", 0, region, nil, p)
	})
	s.ResetCache()
	if err != nil {
		return err
	}
	if counsel.LevelOf(region) >= counsel.LevelCounty {
		return s.RecountObligations(ctx, region)
	}
	// A city or province holds up to millions of entries: count them again
	// after the response (about a minute for a province; the log says when
	// it is done). Until then pages show the new rules' reasons with the
	// old totals.
	s.svc.Background(func() {
		t0 := time.Now()
		ctx := context.WithoutCancel(ctx)
		if err := s.RecountObligations(ctx, region); err != nil {
			s.Log.ErrorContext(ctx, "recounting obligations after a policy change", "region", region, "err", err)
			return
		}
		s.Log.InfoContext(ctx, "obligations recounted after a policy change", "region", region, "took", time.Since(t0).Round(time.Millisecond))
	})
	return nil
}

// RecountObligations counts the obligations of a region's villages again
// under the rules in force: it drops their obligation rows, counts every
// entry that counts, and recreates the rows of the periods without entries
// (from each agreement's start to today), so a period with nothing recorded
// still shows as missed or due. Service counters do not depend on rules and
// are left alone. It runs in one transaction.
func (s *Service) RecountObligations(ctx context.Context, region string) error {
	// On PostgreSQL it takes many row locks while recordings go on, so the
	// server may pick it as a deadlock's victim: run it again.
	var err error
	for try := 0; try < 5; try++ {
		if err = s.recountObligations(ctx, region); !store.Transient(err) {
			return err
		}
	}
	return err
}

func (s *Service) recountObligations(ctx context.Context, region string) error {
	s.ResetCache()
	today := s.svc.Today()
	var gs []counsel.Agreement
	for offset := 0; ; {
		page, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{Status: "live", Page: counsel.Page{Limit: 500, Offset: offset}})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		offset += len(page)
		for _, g := range page {
			if counsel.Within(g.RegionCode, region) || counsel.Within(region, g.RegionCode) {
				gs = append(gs, g)
			}
		}
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := s.recountIn(ctx, tx, region, gs, today); err != nil {
			return err
		}
		if err := RebuildComplianceStats(ctx, tx); err != nil {
			return err
		}
		return tx.Flush(ctx)
	})
}

// recountIn drops the obligation rows of a region's villages, counts every
// entry that counts again, and creates the rows of the periods without
// entries of the signed or filed agreements gs (from each one's start to
// today). The region totals are left to the caller (rebuilt, or kept by
// subtracting the dropped rows first: see syncAgreement).
func (s *Service) recountIn(ctx context.Context, tx *store.Tx, region string, gs []counsel.Agreement, today string) error {
	if err := DeleteObligations(ctx, tx, region); err != nil {
		return err
	}
	terms := map[int64]*counsel.Agreement{}
	after, afterSeq := "", int64(0)
	for {
		es, err := CountedEntriesIn(ctx, tx, region, after, afterSeq, 2000)
		if err != nil {
			return err
		}
		if len(es) == 0 {
			break
		}
		for i := range es {
			e := &es[i]
			after, afterSeq = e.VillageCode, e.Seq
			obls, err := s.entryObligations(ctx, tx, terms, e)
			if err != nil {
				return err
			}
			if err := CountObligations(ctx, tx, e, obls, 1); err != nil {
				return err
			}
		}
	}
	// Rows counted above are written first, so the empty periods
	// below find them.
	if err := tx.Flush(ctx); err != nil {
		return err
	}
	for i := range gs {
		g := &gs[i]
		if g.Status == counsel.AgreementDraft || g.StartDate > today {
			continue
		}
		end := today
		if g.EndDate != "" && g.EndDate < end {
			end = g.EndDate
		}
		villages, err := s.svc.AgreementVillages(ctx, tx, g)
		if err != nil {
			return err
		}
		for _, r := range villages {
			v := r.Code
			if !counsel.Within(v, region) {
				continue
			}
			obls, err := s.obligations(ctx, v, g)
			if err != nil {
				return err
			}
			for _, o := range obls {
				for _, per := range policy.Periods(o.Rule.Period, g.StartDate, end) {
					if _, err := EnsureCompliance(ctx, tx, v, g.AdvisorID, g.ID, o, per); err != nil {
						return err
					}
				}
			}
		}
	}
	return tx.Flush(ctx)
}

// Presets are the shipped policies, by name.
func Presets() map[string]policy.Policy {
	return map[string]policy.Policy{"zhengning": policy.Zhengning(), "pairing": policy.PairingPlan(), "ningbo": policy.Ningbo()}
}

// ---- the daily job ----

// DailyReport says what the daily job did.
type DailyReport struct {
	Periods  int `json:"periods"`
	DueSoon  int `json:"due_soon"`
	Overdue  int `json:"overdue"`
	Awaiting int `json:"awaiting"`
}

// RunDaily is the daily job (R23): it creates the current periods'
// obligation rows, then notifies advisors of duties ending within 3 days
// that are not met, advisors and judicial offices of periods that ended
// unmet yesterday or earlier this week, and village committees of entries
// awaiting their confirmation for more than 3 days. Notifications are
// de-duplicated, so running it twice a day adds nothing.
func (s *Service) RunDaily(ctx context.Context, now time.Time) (DailyReport, error) {
	var rep DailyReport
	today := now.In(registry.Shanghai()).Format(counsel.DateLayout)
	n, err := s.EnsurePeriods(ctx, today)
	if err != nil {
		return rep, err
	}
	rep.Periods = n
	soon := now.In(registry.Shanghai()).AddDate(0, 0, 3).Format(counsel.DateLayout)
	weekAgo := now.In(registry.Shanghai()).AddDate(0, 0, -7).Format(counsel.DateLayout)
	ms := now.UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		terms := map[int64]*counsel.Agreement{}
		due, err := allCompliance(ctx, tx, ComplianceFilter{State: CompDue, Today: today, EndTo: soon})
		if err != nil {
			return err
		}
		for _, r := range due {
			d, err := s.judge(ctx, r, terms, today)
			if err != nil || d == nil || d.State == policy.StateMet {
				if err != nil {
					return err
				}
				continue
			}
			link := "/ledger/due"
			key := "due_soon|" + r.Village + "|" + r.RuleID + "|" + r.PeriodStart
			if err := s.notifyUsers(ctx, tx, counsel.RoleAdvisor, "", r.AdvisorID, "due_soon", i18nArgs("ledger.note_due_soon", d.VillageName, d.Reason, r.PeriodEnd), link, key, ms); err != nil {
				return err
			}
			rep.DueSoon++
		}
		missed, err := allCompliance(ctx, tx, ComplianceFilter{State: CompMissed, Today: today, EndFrom: weekAgo})
		if err != nil {
			return err
		}
		for _, r := range missed {
			d, err := s.judge(ctx, r, terms, today)
			if err != nil {
				return err
			}
			if d == nil || d.State != policy.StateMissed {
				continue
			}
			key := "overdue|" + r.Village + "|" + r.RuleID + "|" + r.PeriodStart
			text := i18nArgs("ledger.note_overdue", d.VillageName, d.AdvisorName, d.Reason)
			if err := s.notifyUsers(ctx, tx, counsel.RoleAdvisor, "", r.AdvisorID, "overdue", text, "/ledger/due", key, ms); err != nil {
				return err
			}
			if err := s.notifyUsers(ctx, tx, counsel.RoleJudicial, r.Village, 0, "overdue", text, "/ledger/duties?state=missed", key, ms); err != nil {
				return err
			}
			rep.Overdue++
		}
		pending, err := PendingByVillage(ctx, tx, now.AddDate(0, 0, -3).UnixMilli())
		if err != nil {
			return err
		}
		for v, cnt := range pending {
			key := "awaiting|" + v + "|" + today
			if err := s.notifyUsers(ctx, tx, counsel.RoleVillage, v, 0, "awaiting_confirmation", i18nArgs("ledger.note_awaiting", cnt), "/ledger/entries?status=pending", key, ms); err != nil {
				return err
			}
			rep.Awaiting++
		}
		return nil
	})
	return rep, err
}

// allCompliance reads every obligation row matching f, page by page (a
// list page holds at most 500 rows).
func allCompliance(ctx context.Context, q store.Q, f ComplianceFilter) ([]ComplianceRow, error) {
	var out []ComplianceRow
	for {
		f.Page = counsel.Page{Limit: 500, Offset: len(out)}
		rows, total, err := Compliance(ctx, q, f)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

func i18nArgs(key string, args ...any) string { return notifyText(key, args) }

// notifyUsers notifies the accounts of a role for a region (regional roles
// whose region contains it; only accounts of exactly that village for the
// village role) or of an advisor.
func (s *Service) notifyUsers(ctx context.Context, tx *store.Tx, role, region string, advisorID int64, kind, text, link, key string, at int64) error {
	ids, err := notify.Recipients(ctx, tx, role, region, advisorID)
	if err != nil {
		return err
	}
	for _, uid := range ids {
		if _, err := notify.Notify(ctx, tx, &notify.Notification{UserID: uid, Kind: kind, Title: text, Link: link, DedupKey: key, CreatedAt: at}); err != nil {
			return err
		}
	}
	return nil
}

// OverdueByTown is the weekly digest's source: the obligations of periods
// that ended unmet in the last four weeks, by town.
func (s *Service) OverdueByTown(ctx context.Context, today string) (map[string][]notify.DigestLine, error) {
	t, err := time.Parse(counsel.DateLayout, today)
	if err != nil {
		return nil, err
	}
	rows, err := allCompliance(ctx, s.DB, ComplianceFilter{State: CompMissed, Today: today,
		EndFrom: t.AddDate(0, 0, -28).Format(counsel.DateLayout)})
	if err != nil {
		return nil, err
	}
	terms := map[int64]*counsel.Agreement{}
	out := map[string][]notify.DigestLine{}
	for _, r := range rows {
		d, err := s.judge(ctx, r, terms, today)
		if err != nil {
			return nil, err
		}
		if d == nil || d.State != policy.StateMissed {
			continue
		}
		town := counsel.ParentOf(r.Village)
		out[town] = append(out[town], notify.DigestLine{Village: d.VillageName, Advisor: d.AdvisorName, Text: d.Reason})
	}
	return out, nil
}
