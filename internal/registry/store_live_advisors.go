package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// LiveAdvisors returns, per village in scope, the advisor of the live
// agreement that covers it, directly or through a packaged agreement of its
// town, chosen as LiveAgreementFor chooses: a filed one first, then signed,
// then a draft; the village's own before a packaged one; the latest start.
func LiveAdvisors(ctx context.Context, db store.Q, scope string) (map[string]VillageAdvisor, error) {
	var w store.Where
	w.Add("g.status IN " + store.LiveStatuses)
	if scope != "" {
		lo, hi := counsel.CodeRange(scope)
		cond := "(g.region_code BETWEEN ? AND ?"
		args := []any{lo, hi}
		if counsel.LevelOf(scope) == counsel.LevelVillage {
			cond += " OR (g.packaged AND g.region_code = ?)"
			args = append(args, counsel.ParentOf(scope))
		}
		w.Add(cond+")", args...)
	}
	rows, err := db.Query(ctx, `SELECT g.region_code, g.packaged, g.status, g.id, g.advisor_id, a.name,
		CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END
		FROM agreements g JOIN advisors a ON a.id = g.advisor_id`+
		w.String()+` ORDER BY g.region_code, CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END, g.start_date DESC, g.id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	own := map[string]VillageAdvisor{}
	towns := map[string]VillageAdvisor{}
	for rows.Next() {
		var code string
		var v VillageAdvisor
		if err := rows.Scan(&code, &v.Packaged, &v.Status, &v.AgreementID, &v.AdvisorID, &v.AdvisorName, &v.rank); err != nil {
			return nil, store.MapErr(err)
		}
		m := own
		if v.Packaged {
			m = towns
		}
		if _, seen := m[code]; !seen {
			m[code] = v
		}
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	if len(towns) > 0 {
		vs, err := Villages(ctx, db, scope)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			t, ok := towns[v.ParentCode]
			if !ok {
				continue
			}
			if o, ok := own[v.Code]; !ok || t.rank < o.rank {
				own[v.Code] = t
			}
		}
	}
	return own, nil
}
