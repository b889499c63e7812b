package money

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Settlements (结算). At year end, or per half-year where a county pays
// twice, the county bureau runs the settlement: one line per agreement and
// village it served in the period, with the standard, the months served, the
// deductions with their reasons, the amount due and who pays it. A draft is
// computed again as often as needed; it is then reviewed, locked and signed
// off. Once locked it changes only by a recorded correction.

// RunInput names a settlement: a county's year (Half 0) or half-year (1, 2).
type RunInput struct {
	RegionCode string `json:"region_code"`
	Year       int    `json:"year"`
	Half       int    `json:"half"`
}

// periodOf is the first and last day of a settlement's period.
func periodOf(year, half int) (string, string) {
	y := fmt.Sprintf("%04d", year)
	switch half {
	case 1:
		return y + "-01-01", y + "-06-30"
	case 2:
		return y + "-07-01", y + "-12-31"
	}
	return y + "-01-01", y + "-12-31"
}

// Run computes a county's settlement of a period: a new draft, or the draft
// computed again. A reviewed, locked or signed settlement is not recomputed.
func (s *Service) Run(ctx context.Context, a *counsel.Actor, in RunInput) (*Settlement, error) {
	county := strings.TrimSpace(in.RegionCode)
	if county == "" && authz.CountyBureau(a) {
		county = a.RegionCode
	}
	if !authz.CanSettle(a, county) {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	if counsel.LevelOf(county) != counsel.LevelCounty {
		f.Add("region_code", "err.money_county")
	}
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "err.range", 2000, 2100)
	}
	if in.Half < 0 || in.Half > 2 {
		f.Add("half", "err.choice")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	old, err := settlementByPeriod(ctx, s.DB, county, in.Year, in.Half)
	if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
		return nil, err
	}
	if old != nil && old.Status != StatusDraft {
		return nil, counsel.Errorf(counsel.CodeConflict, "err.money_not_draft")
	}
	from, to := periodOf(in.Year, in.Half)
	lines, err := s.computeLines(ctx, county, in.Year, from, to)
	if err != nil {
		return nil, err
	}
	now := s.Now().UnixMilli()
	st := &Settlement{RegionCode: county, Year: in.Year, Half: in.Half, PeriodStart: from, PeriodEnd: to, Status: StatusDraft,
		ComputedOn: s.Today(), CreatedBy: a.UserID, CreatedAt: now}
	for _, l := range lines {
		st.TotalFen += l.DueFen
	}
	st.Lines = len(lines)
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		action := "create"
		var before any
		if old != nil {
			action, before = "recompute", summary(old)
			st.ID = old.ID
			if _, err := tx.Exec(ctx, `DELETE FROM money_lines WHERE settlement_id = ?`, old.ID); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE money_settlements SET computed_on = ?, created_by = ?, created_at = ? WHERE id = ?`, st.ComputedOn, st.CreatedBy, st.CreatedAt, old.ID); err != nil {
				return err
			}
		} else {
			id, err := tx.Insert(ctx, `INSERT INTO money_settlements (region_code, year, half, period_start, period_end, status, computed_on, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, st.RegionCode, st.Year, st.Half, st.PeriodStart, st.PeriodEnd, st.Status, st.ComputedOn, st.CreatedBy, st.CreatedAt)
			if err != nil {
				return err
			}
			st.ID = id
		}
		if err := insertLines(ctx, tx, st.ID, lines); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, action, "settlement", st.ID, county, before, summary(st))
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// summary is what the audit log keeps of a settlement.
func summary(st *Settlement) map[string]any {
	return map[string]any{"region_code": st.RegionCode, "year": st.Year, "half": st.Half, "status": st.Status,
		"lines": st.Lines, "total_fen": st.TotalFen, "computed_on": st.ComputedOn}
}

// computeLines computes the lines of a county's period.
func (s *Service) computeLines(ctx context.Context, county string, year int, from, to string) ([]Line, error) {
	eff, err := s.Effective(ctx, county)
	if err != nil {
		return nil, err
	}
	rules, err := rulesOf(ctx, s.DB, county)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	duties, err := s.dutyResults(ctx, county, from, to, today)
	if err != nil {
		return nil, err
	}
	regions := map[string]*counsel.Region{}
	regionOf := func(code string) (*counsel.Region, error) {
		if r := regions[code]; r != nil {
			return r, nil
		}
		r, err := registry.Region(ctx, s.DB, code)
		if err != nil {
			return nil, err
		}
		regions[code] = r
		return r, nil
	}
	var out []Line
	for off := 0; ; off += 500 {
		gs, total, err := registry.Agreements(ctx, s.DB, counsel.Filter{Scope: county, Page: counsel.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, err
		}
		for i := range gs {
			g := &gs[i]
			if g.Status == counsel.AgreementDraft || g.StartDate > to || g.EndDate < from {
				continue
			}
			months := MonthsServed(g.StartDate, g.EndDate, from, to)
			if months == 0 {
				continue
			}
			villages, err := s.svc.AgreementVillages(ctx, nil, g)
			if err != nil {
				return nil, err
			}
			for _, v := range villages {
				r, err := regionOf(v.Code)
				if err != nil {
					return nil, err
				}
				in := LineInput{Months: months, Today: today, Rules: rules, Duties: duties[dutyKey{g.ID, v.Code}]}
				in.Yearly = eff.For(r.Underdeveloped)
				if !g.Packaged && g.SubsidyFen > in.Yearly {
					// The agreement promises more than the standard: it is paid.
					in.Yearly = g.SubsidyFen
				}
				if s.Grades != nil {
					if in.Grade, in.HasGrade, err = s.Grades.Grade(ctx, g.ID, v.Code, year); err != nil {
						return nil, err
					}
				}
				l := Line{AgreementID: g.ID, VillageCode: v.Code, AdvisorID: g.AdvisorID, ProviderID: g.ProviderID, Underdeveloped: r.Underdeveloped,
					TermStart: g.StartDate, TermEnd: g.EndDate, StandardFen: in.Yearly, Months: months}
				switch r.Underdeveloped {
				case counsel.UnderdevelopedCity:
					l.PayerKind, l.PayerCode = PayerCity, counsel.AncestorAt(v.Code, counsel.LevelCity)
				case counsel.UnderdevelopedCounty:
					l.PayerKind, l.PayerCode = PayerCounty, county
				default:
					l.PayerKind, l.PayerCode = PayerCounty, county
					in.TownPays, in.TownPct = true, eff.TownSharePct
				}
				am := ComputeLine(in)
				l.ProratedFen, l.DeductionFen, l.DueFen, l.TownFen, l.Details = am.Prorated, am.Deduction, am.Due, am.TownFen, am.Details
				if l.Details == nil {
					l.Details = []Deduction{}
				}
				out = append(out, l)
			}
		}
		if off+500 >= total {
			break
		}
	}
	return out, nil
}

type dutyKey struct {
	agreement int64
	village   string
}

// dutyResults reads the county's duty periods not met that ended in the
// period before today, from the ledger's counters, by agreement and village.
func (s *Service) dutyResults(ctx context.Context, county, from, to, today string) (map[dutyKey][]DutyResult, error) {
	out := map[dutyKey][]DutyResult{}
	if s.lg == nil {
		return out, nil
	}
	names := map[string]map[string]string{} // village → rule id → name
	for off := 0; ; off += 500 {
		rows, total, err := ledger.Compliance(ctx, s.DB, ledger.ComplianceFilter{Scope: county, State: ledger.CompMissed, Today: today,
			EndFrom: from, EndTo: to, Page: counsel.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			n := names[r.Village]
			if n == nil {
				p, _, err := s.lg.PolicyFor(ctx, r.Village)
				if err != nil {
					return nil, err
				}
				n = map[string]string{}
				for _, rule := range p.Rules {
					n[rule.ID] = rule.Name
				}
				names[r.Village] = n
			}
			name := n[r.RuleID]
			if name == "" {
				name = r.RuleID
			}
			k := dutyKey{r.AgreementID, r.Village}
			out[k] = append(out[k], DutyResult{RuleID: r.RuleID, RuleName: name,
				PeriodLabel: policy.PeriodLabel(policy.Period{Kind: r.PeriodKind, Start: r.PeriodStart, End: r.PeriodEnd}, "zh"),
				PeriodEnd:   r.PeriodEnd, Count: r.Count, Need: r.Need, Minutes: r.Minutes, NeedMinutes: r.NeedMinutes, Met: r.Met})
		}
		if off+500 >= total {
			break
		}
	}
	for k := range out {
		SortDuties(out[k])
	}
	return out, nil
}

// Settlements lists the settlements the actor may see, newest first.
func (s *Service) Settlements(ctx context.Context, a *counsel.Actor) ([]Settlement, error) {
	if !authz.CanReadMoney(a) {
		return nil, counsel.ErrForbidden
	}
	scope := ""
	if !authz.IsAdmin(a) {
		scope = a.RegionCode
	}
	return settlementsIn(ctx, s.DB, scope)
}

// Settlement returns a settlement with its lines and corrections.
func (s *Service) Settlement(ctx context.Context, a *counsel.Actor, id int64) (*Settlement, []Line, []Correction, error) {
	st, err := settlementByID(ctx, s.DB, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !authz.CanReadSettlement(a, st.RegionCode) {
		return nil, nil, nil, counsel.ErrNotFound
	}
	lines, err := linesOf(ctx, s.DB, id)
	if err != nil {
		return nil, nil, nil, err
	}
	cs, err := correctionsOf(ctx, s.DB, id)
	return st, lines, cs, err
}

// Settlement actions.
const (
	ActReview = "review" // draft → reviewed
	ActReopen = "reopen" // reviewed → draft
	ActLock   = "lock"   // reviewed → locked
	ActSign   = "sign"   // locked → signed
)

// Advance moves a settlement on: review, reopen, lock, sign off.
func (s *Service) Advance(ctx context.Context, a *counsel.Actor, id int64, action string) (*Settlement, error) {
	st, err := settlementByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadSettlement(a, st.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	if !authz.CanSettle(a, st.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	from, to, col := "", "", ""
	switch action {
	case ActReview:
		from, to, col = StatusDraft, StatusReviewed, "reviewed"
	case ActReopen:
		from, to = StatusReviewed, StatusDraft
	case ActLock:
		from, to, col = StatusReviewed, StatusLocked, "locked"
	case ActSign:
		from, to, col = StatusLocked, StatusSigned, "signed"
	default:
		return nil, counsel.Invalid(counsel.FieldError{Field: "action", Key: "err.choice"})
	}
	if st.Status != from {
		return nil, counsel.Errorf(counsel.CodeConflict, "err.money_status", i18nStatus(st.Status))
	}
	before := summary(st)
	now := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		q := `UPDATE money_settlements SET status = ?`
		args := []any{to}
		if col != "" {
			q += `, ` + col + `_by = ?, ` + col + `_at = ?`
			args = append(args, a.UserID, now)
		}
		res, err := tx.Exec(ctx, q+` WHERE id = ? AND status = ?`, append(args, id, from)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return counsel.Errorf(counsel.CodeConflict, "err.money_status", i18nStatus(st.Status))
		}
		st.Status = to
		return audit.Write(ctx, tx, a, action, "settlement", id, st.RegionCode, before, summary(st))
	})
	if err != nil {
		return nil, err
	}
	return settlementByID(ctx, s.DB, id)
}

// i18nStatus is the Chinese name of a status for error messages.
func i18nStatus(status string) string {
	switch status {
	case StatusDraft:
		return "草稿"
	case StatusReviewed:
		return "已审核"
	case StatusLocked:
		return "已锁定"
	case StatusSigned:
		return "已签发"
	}
	return status
}

// CorrectionInput is a correction of a locked settlement's line: the new
// amount due and why.
type CorrectionInput struct {
	LineID int64  `json:"line_id"`
	DueFen Fen    `json:"due_fen"`
	Reason string `json:"reason"`
}

// Correct changes the amount due of a line of a locked (or signed)
// settlement, recording the correction with its reason. The town's share is
// taken again from the new amount.
func (s *Service) Correct(ctx context.Context, a *counsel.Actor, id int64, in CorrectionInput) (*Correction, error) {
	st, err := settlementByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadSettlement(a, st.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	if !authz.CanSettle(a, st.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	if !st.Locked() {
		return nil, counsel.Errorf(counsel.CodeConflict, "err.money_not_locked")
	}
	l, err := lineByID(ctx, s.DB, in.LineID)
	if err != nil || l.SettlementID != id {
		return nil, counsel.Invalid(counsel.FieldError{Field: "line_id", Key: "err.reference"})
	}
	var f counsel.Fields
	if in.DueFen < 0 || in.DueFen > MaxAmount {
		f = append(f, amountErr("due_fen"))
	}
	reason := strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Add("reason", "err.required")
	case n > 200:
		f.Add("reason", "err.too_long", 200)
	}
	if in.DueFen == l.DueFen && len(f) == 0 {
		f.Add("due_fen", "err.money_same")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	eff, err := s.Effective(ctx, st.RegionCode)
	if err != nil {
		return nil, err
	}
	after := *l
	after.CorrectionFen += in.DueFen - l.DueFen
	after.DueFen = in.DueFen
	if l.Underdeveloped == "" {
		after.TownFen = Percent(in.DueFen, eff.TownSharePct)
	}
	c := &Correction{SettlementID: id, LineID: l.ID, BeforeFen: l.DueFen, AfterFen: in.DueFen, Reason: reason, CreatedBy: a.UserID, CreatedAt: s.Now().UnixMilli()}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE money_lines SET due_fen = ?, correction_fen = ?, town_fen = ? WHERE id = ?`, after.DueFen, after.CorrectionFen, after.TownFen, l.ID); err != nil {
			return err
		}
		cid, err := tx.Insert(ctx, `INSERT INTO money_corrections (settlement_id, line_id, before_fen, after_fen, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			c.SettlementID, c.LineID, c.BeforeFen, c.AfterFen, c.Reason, c.CreatedBy, c.CreatedAt)
		if err != nil {
			return err
		}
		c.ID = cid
		lineAudit := func(x *Line) map[string]any {
			return map[string]any{"settlement_id": id, "village_code": x.VillageCode, "agreement_id": x.AgreementID, "due_fen": x.DueFen,
				"correction_fen": x.CorrectionFen, "town_fen": x.TownFen}
		}
		b, af := lineAudit(l), lineAudit(&after)
		af["reason"] = reason
		return audit.Write(ctx, tx, a, "correct", "settlement_line", l.ID, st.RegionCode, b, af)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
