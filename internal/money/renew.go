package money

import (
	"context"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// The January intake's bulk renewal (seed 001: 考核合格的可以续聘; seed 003:
// 签订相对长期的法律服务合同): the county bureau picks last year's
// agreements and renews them for a new term, each with the same advisor,
// provider and village, as drafts to be signed and filed. All or nothing:
// one agreement refused (the load limit, an advisor no longer active)
// renews none, and the error names its row.

// RenewInput is a bulk renewal.
type RenewInput struct {
	RegionCode string  `json:"region_code"` // the county
	IDs        []int64 `json:"ids"`
	StartDate  string  `json:"start_date"`
	EndDate    string  `json:"end_date"`
	SubsidyFen Fen     `json:"subsidy_fen"` // 0: each keeps its amount
}

// Renewable lists a county's agreements of a year that bound (signed,
// filed, ended or replaced with a term ending in that year), by village.
func (s *Service) Renewable(ctx context.Context, a *counsel.Actor, county string, year int) ([]counsel.Agreement, error) {
	if !authz.CanFileAgreement(a, county) || counsel.LevelOf(county) != counsel.LevelCounty {
		return nil, counsel.ErrForbidden
	}
	y := strconv.Itoa(year)
	return registry.QueryAgreements(ctx, s.DB, ` WHERE g.region_code BETWEEN ? AND ? AND g.status <> 'draft' AND g.end_date BETWEEN ? AND ?
		ORDER BY g.region_code, g.end_date, g.id LIMIT 5000`, lo(county), hi(county), y+"-01-01", y+"-12-31")
}

func lo(scope string) string { l, _ := counsel.CodeRange(scope); return l }
func hi(scope string) string { _, h := counsel.CodeRange(scope); return h }

// Renew renews the chosen agreements for a new term, all or nothing.
func (s *Service) Renew(ctx context.Context, a *counsel.Actor, in RenewInput) ([]counsel.Agreement, error) {
	county := strings.TrimSpace(in.RegionCode)
	if county == "" && authz.CountyBureau(a) {
		county = a.RegionCode
	}
	if counsel.LevelOf(county) != counsel.LevelCounty || !authz.CanFileAgreement(a, county) {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	switch {
	case !counsel.ValidDate(in.StartDate):
		f.Add("start_date", "err.date")
	case !counsel.ValidDate(in.EndDate):
		f.Add("end_date", "err.date")
	case in.EndDate < in.StartDate:
		f.Add("end_date", "err.money_term")
	}
	if len(in.IDs) == 0 {
		f.Add("ids", "err.money_none_chosen")
	}
	if in.SubsidyFen < 0 || in.SubsidyFen > MaxAmount {
		f = append(f, amountErr("subsidy_fen"))
	} else if in.SubsidyFen > 0 {
		eff, err := s.Effective(ctx, county)
		if err != nil {
			return nil, err
		}
		if in.SubsidyFen < eff.Floor {
			f.Add("subsidy_fen", "err.money_below_seed", yuanArg(eff.Floor))
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out []counsel.Agreement
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		seen := map[int64]bool{}
		for i, id := range in.IDs {
			row := i + 1
			old, err := registry.Agreement(ctx, tx, id)
			if err != nil || !counsel.Within(old.RegionCode, county) || seen[id] {
				return counsel.Invalid(counsel.FieldError{Row: row, Field: "ids", Key: "err.reference"})
			}
			seen[id] = true
			if old.Status == counsel.AgreementDraft {
				return counsel.Invalid(counsel.FieldError{Row: row, Field: "ids", Key: "err.money_renew_draft", Args: []any{old.RegionName}})
			}
			g := counsel.Agreement{ProviderID: old.ProviderID, AdvisorID: old.AdvisorID, RegionCode: old.RegionCode, Packaged: old.Packaged,
				StartDate: in.StartDate, EndDate: in.EndDate, SubsidyFen: old.SubsidyFen, Status: counsel.AgreementDraft,
				Note: clip("续聘协议"+itoa(old.ID), 200)}
			if in.SubsidyFen > 0 {
				g.SubsidyFen = in.SubsidyFen
			}
			if err := s.svc.SaveAgreementIn(ctx, tx, a, &g); err != nil {
				var fe counsel.FieldError
				if e, ok := err.(*counsel.Error); ok && len(e.Fields) > 0 {
					fe = e.Fields[0]
				} else if ok {
					fe = counsel.FieldError{Key: e.Key, Args: e.Args}
				} else {
					return err
				}
				return counsel.Invalid(counsel.FieldError{Row: row, Field: "ids", Key: "err.money_renew_row", Args: []any{old.RegionName, old.AdvisorName, i18n.T("zh", fe.Key, fe.Args...)}})
			}
			out = append(out, g)
		}
		return audit.Write(ctx, tx, a, "renew", "agreement", 0, county, map[string]any{"ids": in.IDs},
			map[string]any{"count": len(out), "start_date": in.StartDate, "end_date": in.EndDate, "subsidy_fen": in.SubsidyFen})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
