package dash

import (
	"context"

	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/store"
)

// The queries of dashboards and reports read only the counters
// (ledger_stats, compliance_stats, compliance) and the registry, never the
// raw ledger rows. The counters' own readers (store.RegionStats, ChildStats,
// RegionCompliance, ChildCompliance) stay with the ledger that writes them.

// childKindStats returns, for each child region of parent ("" = provinces),
// its service totals by kind in [fromMonth, toMonth]: region → kind → totals.
func childKindStats(ctx context.Context, q store.Q, parent, fromMonth, toMonth string) (map[string]map[string]ledger.StatRow, error) {
	rows, err := q.Query(ctx, `SELECT region_code, kind, SUM(entries), SUM(minutes), SUM(onsite_entries), SUM(onsite_minutes) FROM ledger_stats
		WHERE parent_code = ? AND month >= ? AND month <= ? GROUP BY region_code, kind`, parent, fromMonth, toMonth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]ledger.StatRow{}
	for rows.Next() {
		var s ledger.StatRow
		if err := rows.Scan(&s.Region, &s.Kind, &s.Entries, &s.Minutes, &s.OnsiteEntries, &s.OnsiteMinutes); err != nil {
			return nil, store.MapErr(err)
		}
		if out[s.Region] == nil {
			out[s.Region] = map[string]ledger.StatRow{}
		}
		out[s.Region][s.Kind] = s
	}
	return out, store.MapErr(rows.Err())
}

// childMonthKindStats sums the children of parent by month and kind: the
// statistics of a region that has no counter rows of its own (the whole
// country, parent "").
func childMonthKindStats(ctx context.Context, q store.Q, parent, fromMonth, toMonth string) ([]ledger.StatRow, error) {
	rows, err := q.Query(ctx, `SELECT month, kind, SUM(entries), SUM(minutes), SUM(onsite_entries), SUM(onsite_minutes) FROM ledger_stats
		WHERE parent_code = ? AND month >= ? AND month <= ? GROUP BY month, kind ORDER BY month, kind`, parent, fromMonth, toMonth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ledger.StatRow
	for rows.Next() {
		var s ledger.StatRow
		if err := rows.Scan(&s.Month, &s.Kind, &s.Entries, &s.Minutes, &s.OnsiteEntries, &s.OnsiteMinutes); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, s)
	}
	return out, store.MapErr(rows.Err())
}

// advisorCompliance sums the obligations of the villages in scope by the
// advisor each obligation row names, for periods starting in [from, to];
// periods ending before today count as closed.
func advisorCompliance(ctx context.Context, q store.Q, scope, from, to, today string) (map[int64]ledger.CompRow, error) {
	var w store.Where
	w.InRange("village_code", scope)
	w.Add("period_start >= ? AND period_start <= ?", from, to)
	rows, err := q.Query(ctx, `SELECT advisor_id, COUNT(*), SUM(CASE WHEN met THEN 1 ELSE 0 END),
		SUM(CASE WHEN period_end < ? THEN 1 ELSE 0 END), SUM(CASE WHEN period_end < ? AND met THEN 1 ELSE 0 END)
		FROM compliance`+w.String()+` GROUP BY advisor_id`, append([]any{today, today}, w.Args()...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]ledger.CompRow{}
	for rows.Next() {
		var id int64
		var r ledger.CompRow
		if err := rows.Scan(&id, &r.Rules, &r.Met, &r.ClosedAll, &r.ClosedMet); err != nil {
			return nil, store.MapErr(err)
		}
		out[id] = r
	}
	return out, store.MapErr(rows.Err())
}

// Served is an agreement of an advisor for a village or (packaged) a town
// whose term overlaps a span of dates: who served where, for reports.
type Served struct {
	AgreementID  int64  `json:"agreement_id"`
	AdvisorID    int64  `json:"advisor_id"`
	AdvisorName  string `json:"advisor_name"`
	ProviderID   int64  `json:"provider_id"`
	ProviderName string `json:"provider_name"`
	Region       string `json:"region_code"`
	Packaged     bool   `json:"packaged"`
	Status       string `json:"status"`
	StartDate    string `json:"start_date"`
	EndDate      string `json:"end_date"`
}

// servedIn lists the agreements in scope, in any status, whose term overlaps
// [from, to]: every agreement under which entries of the span can have been
// recorded (an advisor may record under a draft, and an agreement ended or
// replaced since still covers the entries of its term).
func servedIn(ctx context.Context, q store.Q, scope, from, to string) ([]Served, error) {
	var w store.Where
	w.InRange("g.region_code", scope)
	w.Add("g.start_date <= ? AND (g.end_date = '' OR g.end_date >= ?)", to, from)
	rows, err := q.Query(ctx, `SELECT g.id, g.advisor_id, a.name, g.provider_id, p.name, g.region_code, g.packaged, g.status, g.start_date, g.end_date
		FROM agreements g JOIN advisors a ON a.id = g.advisor_id JOIN providers p ON p.id = g.provider_id`+w.String()+
		` ORDER BY g.region_code, g.start_date, g.id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Served
	for rows.Next() {
		var s Served
		if err := rows.Scan(&s.AgreementID, &s.AdvisorID, &s.AdvisorName, &s.ProviderID, &s.ProviderName, &s.Region, &s.Packaged,
			&s.Status, &s.StartDate, &s.EndDate); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, s)
	}
	return out, store.MapErr(rows.Err())
}

// coveredVillages returns the villages of a town (or any scope) covered on
// day by a filed agreement, their own or a packaged one of their town.
func coveredVillages(ctx context.Context, q store.Q, scope, day string) (map[string]bool, error) {
	var w store.Where
	w.InRange("v.code", scope)
	w.Add("v.level = 5")
	w.Add(`EXISTS (SELECT 1 FROM agreements g WHERE g.status = 'filed' AND g.start_date <= ? AND g.end_date >= ?
			AND (g.region_code = v.code OR (g.packaged AND g.region_code = v.parent_code)))`, day, day)
	rows, err := q.Query(ctx, `SELECT v.code FROM regions v`+w.String(), w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, store.MapErr(err)
		}
		out[code] = true
	}
	return out, store.MapErr(rows.Err())
}
