package money

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Deduction rules a county sets (seed 003 三(三)): so much per missed duty
// period, so much per hour short of the on-site minimum, a percentage for an
// assessment grade; each with an optional cap per line.

// Rules lists a county's deduction rules for those who may read its money.
func (s *Service) Rules(ctx context.Context, a *counsel.Actor, county string) ([]DeductionRule, error) {
	if !authz.CanReadSettlement(a, county) {
		return nil, counsel.ErrForbidden
	}
	return rulesOf(ctx, s.DB, county)
}

// AddRule adds a deduction rule to a county.
func (s *Service) AddRule(ctx context.Context, a *counsel.Actor, r DeductionRule) (*DeductionRule, error) {
	r.RegionCode = strings.TrimSpace(r.RegionCode)
	if r.RegionCode == "" && authz.CountyBureau(a) {
		r.RegionCode = a.RegionCode
	}
	if !authz.CanSettle(a, r.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	if counsel.LevelOf(r.RegionCode) != counsel.LevelCounty {
		f.Add("region_code", "err.money_county")
	}
	r.DutyRule, r.Grade = strings.TrimSpace(r.DutyRule), strings.TrimSpace(r.Grade)
	switch r.Kind {
	case RuleMissedPeriod, RuleHourShort:
		if r.AmountFen <= 0 || r.AmountFen > MaxAmount {
			f = append(f, amountErr("amount_fen"))
		}
		r.Grade, r.Pct = "", 0
	case RuleGrade:
		if r.Grade == "" {
			f.Add("grade", "err.required")
		}
		if r.Pct < 1 || r.Pct > 100 {
			f.Add("pct", "err.range", 1, 100)
		}
		r.AmountFen, r.DutyRule = 0, ""
	default:
		f.Add("kind", "err.choice")
	}
	if utf8.RuneCountInString(r.DutyRule) > 40 {
		f.Add("duty_rule", "err.too_long", 40)
	}
	if utf8.RuneCountInString(r.Grade) > 20 {
		f.Add("grade", "err.too_long", 20)
	}
	if r.CapFen < 0 || r.CapFen > MaxAmount {
		f = append(f, amountErr("cap_fen"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	r.CreatedBy, r.CreatedAt = a.UserID, s.Now().UnixMilli()
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO money_rules (region_code, kind, duty_rule, grade, amount_fen, pct, cap_fen, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.RegionCode, r.Kind, r.DutyRule, r.Grade, r.AmountFen, r.Pct, r.CapFen, r.CreatedBy, r.CreatedAt)
		if err != nil {
			return err
		}
		r.ID = id
		return audit.Write(ctx, tx, a, "create", "deduction_rule", id, r.RegionCode, nil, r)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// DeleteRule removes a deduction rule (settlements already computed keep
// their lines; a draft computed again no longer applies it).
func (s *Service) DeleteRule(ctx context.Context, a *counsel.Actor, id int64) error {
	r, err := ruleByID(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if !authz.CanReadSettlement(a, r.RegionCode) {
		return counsel.ErrNotFound
	}
	if !authz.CanSettle(a, r.RegionCode) {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM money_rules WHERE id = ?`, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "delete", "deduction_rule", id, r.RegionCode, r, nil)
	})
}

const ruleCols = `id, region_code, kind, duty_rule, grade, amount_fen, pct, cap_fen, created_by, created_at`

func scanRule(sc interface{ Scan(...any) error }) (*DeductionRule, error) {
	var r DeductionRule
	if err := sc.Scan(&r.ID, &r.RegionCode, &r.Kind, &r.DutyRule, &r.Grade, &r.AmountFen, &r.Pct, &r.CapFen, &r.CreatedBy, &r.CreatedAt); err != nil {
		return nil, store.MapErr(err)
	}
	return &r, nil
}

func ruleByID(ctx context.Context, q store.Q, id int64) (*DeductionRule, error) {
	return scanRule(q.Row(ctx, `SELECT `+ruleCols+` FROM money_rules WHERE id = ?`, id))
}

func rulesOf(ctx context.Context, q store.Q, county string) ([]DeductionRule, error) {
	rows, err := q.Query(ctx, `SELECT `+ruleCols+` FROM money_rules WHERE region_code = ? ORDER BY id`, county)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DeductionRule{}
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, store.MapErr(rows.Err())
}
