package ledger

import (
	"context"
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// syncAgreement keeps the obligation rows of an agreement's villages in step
// with the agreement, in the transaction that saves it (registered with
// registry.OnAgreementSaved): once an agreement binds (signed or filed),
// every period from its start to today has its rows, whenever it was
// entered; when its term, village, advisor or model changes, its villages
// are counted again under the new term, so rows of periods it no longer
// covers go and partial periods are prorated as the recount prorates them.
// Ending or replacing an agreement keeps its history. The region totals are
// kept by subtracting the rows dropped and adding those made.
func (s *Service) syncAgreement(ctx context.Context, tx *store.Tx, before, after *counsel.Agreement) error {
	if !periodsChange(before, after) {
		return nil
	}
	var villages []string
	seen := map[string]bool{}
	for _, g := range []*counsel.Agreement{before, after} {
		if g == nil {
			continue
		}
		vs, err := s.svc.AgreementVillages(ctx, tx, g)
		if err != nil {
			return err
		}
		for _, v := range vs {
			if !seen[v.Code] {
				seen[v.Code] = true
				villages = append(villages, v.Code)
			}
		}
	}
	sort.Strings(villages)
	today := s.svc.Today()
	for _, v := range villages {
		gs, err := registry.QueryAgreements(ctx, tx, ` WHERE g.status IN `+store.LiveStatuses+` AND (g.region_code = ? OR (g.packaged AND g.region_code = ?)) ORDER BY g.id`,
			v, counsel.ParentOf(v))
		if err != nil {
			return err
		}
		if err := uncountObligations(ctx, tx, v); err != nil {
			return err
		}
		if err := s.recountIn(ctx, tx, v, gs, today); err != nil {
			return err
		}
	}
	return nil
}

// periodsChange reports whether saving an agreement changes which
// obligation rows its villages should have: it begins to bind (signed or
// filed), or it binds and its term, place, model or advisor changed.
func periodsChange(before, after *counsel.Agreement) bool {
	binds := func(g *counsel.Agreement) bool {
		return g.Status == counsel.AgreementSigned || g.Status == counsel.AgreementFiled
	}
	if !binds(after) {
		return false
	}
	if before == nil || !binds(before) {
		return true
	}
	return before.StartDate != after.StartDate || before.EndDate != after.EndDate || before.RegionCode != after.RegionCode ||
		before.Packaged != after.Packaged || before.AdvisorID != after.AdvisorID
}

// uncountObligations takes a village's obligation rows out of the region
// totals (before recountIn drops and remakes them).
func uncountObligations(ctx context.Context, tx *store.Tx, village string) error {
	rows, err := tx.Query(ctx, `SELECT period_kind, period_start, period_end, met FROM compliance WHERE village_code = ?`, village)
	if err != nil {
		return err
	}
	type row struct {
		kind, start, end string
		met              bool
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.kind, &r.start, &r.end, &r.met); err != nil {
			rows.Close()
			return store.MapErr(err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.MapErr(err)
	}
	acc := accOf(tx)
	for _, r := range all {
		met := 0
		if r.met {
			met = -1
		}
		acc.addCompliance(village, policyPeriod(r.kind, r.start, r.end), -1, met)
	}
	return nil
}
