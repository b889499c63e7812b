package ledger

import (
	"context"
	"fmt"
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

func policyPeriod(kind, start, end string) policy.Period {
	return policy.Period{Kind: kind, Start: start, End: end}
}

// StatRow is services of a region in a month of one kind.
type StatRow struct {
	Region        string `json:"region_code,omitempty"`
	Month         string `json:"month,omitempty"`
	Kind          string `json:"kind,omitempty"`
	Entries       int64  `json:"entries"`
	Minutes       int64  `json:"minutes"`
	OnsiteEntries int64  `json:"onsite_entries"`
	OnsiteMinutes int64  `json:"onsite_minutes"`
}

// RegionStats returns a region's services by month and kind in [fromMonth,
// toMonth] ("YYYY-MM"), from the counters.
func RegionStats(ctx context.Context, c store.Q, region, fromMonth, toMonth string) ([]StatRow, error) {
	rows, err := c.Query(ctx, `SELECT month, kind, entries, minutes, onsite_entries, onsite_minutes FROM ledger_stats
		WHERE region_code = ? AND month >= ? AND month <= ? ORDER BY month, kind`, region, fromMonth, toMonth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StatRow
	for rows.Next() {
		var s StatRow
		if err := rows.Scan(&s.Month, &s.Kind, &s.Entries, &s.Minutes, &s.OnsiteEntries, &s.OnsiteMinutes); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, s)
	}
	return out, store.MapErr(rows.Err())
}

// ChildStats returns, for each child region of parent ("" = provinces), its
// service totals in [fromMonth, toMonth].
func ChildStats(ctx context.Context, c store.Q, parent, fromMonth, toMonth string) (map[string]StatRow, error) {
	rows, err := c.Query(ctx, `SELECT region_code, SUM(entries), SUM(minutes), SUM(onsite_entries), SUM(onsite_minutes) FROM ledger_stats
		WHERE parent_code = ? AND month >= ? AND month <= ? GROUP BY region_code`, parent, fromMonth, toMonth)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]StatRow{}
	for rows.Next() {
		var s StatRow
		if err := rows.Scan(&s.Region, &s.Entries, &s.Minutes, &s.OnsiteEntries, &s.OnsiteMinutes); err != nil {
			return nil, store.MapErr(err)
		}
		out[s.Region] = s
	}
	return out, store.MapErr(rows.Err())
}

// CompRow is obligation totals: how many village × rule × period obligations
// there are and how many are met, split by whether the period has ended.
type CompRow struct {
	Region     string `json:"region_code,omitempty"`
	Rules      int64  `json:"rules"`
	Met        int64  `json:"met"`
	ClosedAll  int64  `json:"closed"`     // obligations of ended periods
	ClosedMet  int64  `json:"closed_met"` // … met
	OpenMissed int64  `json:"-"`
}

// RegionCompliance sums a region's obligations of periods starting in
// [from, to]; periods ending before today count as closed.
func RegionCompliance(ctx context.Context, c store.Q, region, from, to, today string) (CompRow, error) {
	var r CompRow
	err := c.Row(ctx, `SELECT COALESCE(SUM(rules),0), COALESCE(SUM(met),0),
		COALESCE(SUM(CASE WHEN period_end < ? THEN rules ELSE 0 END),0), COALESCE(SUM(CASE WHEN period_end < ? THEN met ELSE 0 END),0)
		FROM compliance_stats WHERE region_code = ? AND period_start >= ? AND period_start <= ?`, today, today, region, from, to).
		Scan(&r.Rules, &r.Met, &r.ClosedAll, &r.ClosedMet)
	r.Region = region
	return r, store.MapErr(err)
}

// ChildCompliance is RegionCompliance for every child of parent.
func ChildCompliance(ctx context.Context, c store.Q, parent, from, to, today string) (map[string]CompRow, error) {
	rows, err := c.Query(ctx, `SELECT region_code, SUM(rules), SUM(met),
		SUM(CASE WHEN period_end < ? THEN rules ELSE 0 END), SUM(CASE WHEN period_end < ? THEN met ELSE 0 END)
		FROM compliance_stats WHERE parent_code = ? AND period_start >= ? AND period_start <= ? GROUP BY region_code`, today, today, parent, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]CompRow{}
	for rows.Next() {
		var r CompRow
		if err := rows.Scan(&r.Region, &r.Rules, &r.Met, &r.ClosedAll, &r.ClosedMet); err != nil {
			return nil, store.MapErr(err)
		}
		out[r.Region] = r
	}
	return out, store.MapErr(rows.Err())
}

// Obligation row states for ComplianceFilter.
const (
	CompMet    = "met"
	CompDue    = "due"    // not met, period not ended
	CompMissed = "missed" // not met, period ended
)

// ComplianceRow is one village × rule × period with its counts.
type ComplianceRow struct {
	Village     string `json:"village_code"`
	VillageName string `json:"village_name"`
	RuleID      string `json:"rule_id"`
	PeriodKind  string `json:"period_kind"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	AdvisorID   int64  `json:"advisor_id"`
	AdvisorName string `json:"advisor_name"`
	AgreementID int64  `json:"agreement_id"`
	Count       int    `json:"count"`
	Minutes     int    `json:"minutes"`
	Need        int    `json:"need"`
	NeedMinutes int    `json:"need_minutes"`
	Met         bool   `json:"met"`
}

// ComplianceFilter narrows obligation rows.
type ComplianceFilter struct {
	Scope      string
	Village    string
	AdvisorID  int64
	ProviderID int64
	State      string // met, due, missed or ""
	Today      string // for State
	EndFrom    string // period_end >= EndFrom
	EndTo      string // period_end <= EndTo
	StartTo    string // period_start <= StartTo
	counsel.Page
	noCount bool // an export's pages: the total is not wanted
}

// Compliance lists obligation rows, most urgent first (earliest period end).
func Compliance(ctx context.Context, c store.Q, f ComplianceFilter) ([]ComplianceRow, int, error) {
	var w store.Where
	w.InRange("c.village_code", f.Scope)
	if f.Village != "" {
		w.Add("c.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.Add("c.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	switch f.State {
	case CompMet:
		w.Add("c.met")
	case CompDue:
		w.Add("NOT c.met AND c.period_end >= ?", f.Today)
	case CompMissed:
		w.Add("NOT c.met AND c.period_end < ?", f.Today)
	}
	if f.EndFrom != "" {
		w.Add("c.period_end >= ?", f.EndFrom)
	}
	if f.EndTo != "" {
		w.Add("c.period_end <= ?", f.EndTo)
	}
	if f.StartTo != "" {
		w.Add("c.period_start <= ?", f.StartTo)
	}
	from := ` FROM compliance c JOIN regions r ON r.code = c.village_code JOIN advisors a ON a.id = c.advisor_id`
	total := 0
	if !f.noCount {
		var err error
		if total, err = c.Count(ctx, `SELECT COUNT(*)`+from+w.String(), w.Args()...); err != nil {
			return nil, 0, err
		}
	}
	p := f.Page.Clamp()
	rows, err := c.Query(ctx, `SELECT c.village_code, r.name, c.rule_id, c.period_kind, c.period_start, c.period_end, c.advisor_id, a.name,
		c.agreement_id, c.cnt, c.minutes, c.need, c.need_minutes, c.met`+from+w.String()+
		` ORDER BY c.period_end, c.village_code, c.rule_id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []ComplianceRow
	for rows.Next() {
		var r ComplianceRow
		if err := rows.Scan(&r.Village, &r.VillageName, &r.RuleID, &r.PeriodKind, &r.PeriodStart, &r.PeriodEnd, &r.AdvisorID, &r.AdvisorName,
			&r.AgreementID, &r.Count, &r.Minutes, &r.Need, &r.NeedMinutes, &r.Met); err != nil {
			return nil, 0, store.MapErr(err)
		}
		out = append(out, r)
	}
	return out, total, store.MapErr(rows.Err())
}

// ResetCounters empties the service counters and zeroes the obligation rows
// (keeping them, so periods with nothing recorded stay due or missed), before
// a recount; RebuildComplianceStats then redoes the region totals.
func ResetCounters(ctx context.Context, tx *store.Tx) error {
	for _, q := range []string{`DELETE FROM ledger_stats`, `DELETE FROM compliance_stats`, `UPDATE compliance SET cnt = 0, minutes = 0, met = FALSE`} {
		if _, err := tx.Exec(ctx, q); err != nil {
			return err
		}
	}
	tx.DropPart(accKey{})
	return nil
}

// RebuildComplianceStats recomputes the region obligation totals from the
// obligation rows (discarding totals accumulated in this transaction).
func RebuildComplianceStats(ctx context.Context, tx *store.Tx) error {
	acc := accOf(tx)
	acc.comp = map[compKey]*compVal{}
	if _, err := tx.Exec(ctx, `DELETE FROM compliance_stats`); err != nil {
		return err
	}
	type row struct {
		v          string
		kind, s, e string
		met        bool
	}
	rows, err := tx.Query(ctx, `SELECT village_code, period_kind, period_start, period_end, met FROM compliance`)
	if err != nil {
		return err
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.v, &r.kind, &r.s, &r.e, &r.met); err != nil {
			rows.Close()
			return store.MapErr(err)
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.MapErr(err)
	}
	for _, r := range all {
		met := 0
		if r.met {
			met = 1
		}
		acc.addCompliance(r.v, policyPeriod(r.kind, r.s, r.e), 1, met)
	}
	return nil
}

// CountedEntries pages through the entries that count (neither disputed nor
// amended) in id order, after afterID.
func CountedEntries(ctx context.Context, c store.Q, afterID int64, limit int) ([]counsel.Entry, error) {
	return plainEntries(ctx, c, `SELECT `+entryCols+` FROM entries e WHERE e.id > ? AND e.status <> ?
		AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0) ORDER BY e.id LIMIT ?`, afterID, counsel.EntryDisputed, limit)
}

// CountedEntriesIn pages through the entries that count of the villages in
// a region, by village and seq, after (village, seq).
func CountedEntriesIn(ctx context.Context, c store.Q, region, afterVillage string, afterSeq int64, limit int) ([]counsel.Entry, error) {
	lo, hi := counsel.CodeRange(region)
	return plainEntries(ctx, c, `SELECT `+entryCols+` FROM entries e WHERE e.village_code BETWEEN ? AND ?
		AND (e.village_code > ? OR e.village_code = ? AND e.seq > ?) AND e.status <> ?
		AND NOT EXISTS (SELECT 1 FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0) ORDER BY e.village_code, e.seq LIMIT ?`,
		lo, hi, afterVillage, afterVillage, afterSeq, counsel.EntryDisputed, limit)
}

// DeleteObligations deletes the obligation rows of the villages in a region
// (to count them again under changed rules).
func DeleteObligations(ctx context.Context, tx *store.Tx, region string) error {
	lo, hi := counsel.CodeRange(region)
	_, err := tx.Exec(ctx, `DELETE FROM compliance WHERE village_code BETWEEN ? AND ?`, lo, hi)
	return err
}

// plainEntries runs a query selecting entryCols and scans the entries.
func plainEntries(ctx context.Context, c store.Q, q string, args ...any) ([]counsel.Entry, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, *e)
	}
	return out, store.MapErr(rows.Err())
}

// CounterSnapshot renders every counter row as text, for comparing the kept
// counters with a recount.
func CounterSnapshot(ctx context.Context, c store.Q) ([]string, error) {
	var out []string
	for _, q := range []string{
		`SELECT 'S|' || region_code || '|' || month || '|' || kind, entries, minutes, onsite_entries, onsite_minutes, 0 FROM ledger_stats WHERE entries <> 0 OR minutes <> 0`,
		`SELECT 'C|' || village_code || '|' || rule_id || '|' || period_start, cnt, minutes, need, need_minutes, CASE WHEN met THEN 1 ELSE 0 END FROM compliance`,
		`SELECT 'R|' || region_code || '|' || period_kind || '|' || period_start, rules, met, 0, 0, 0 FROM compliance_stats WHERE rules <> 0 OR met <> 0`,
	} {
		rows, err := c.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k string
			var a, b, d, e, f int64
			if err := rows.Scan(&k, &a, &b, &d, &e, &f); err != nil {
				rows.Close()
				return nil, store.MapErr(err)
			}
			out = append(out, fmt.Sprintf("%s=%d,%d,%d,%d,%d", k, a, b, d, e, f))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, store.MapErr(err)
		}
	}
	sort.Strings(out)
	return out, nil
}

// PendingByVillage counts, per village, entries still awaiting confirmation
// that were recorded before the given time (unix ms).
func PendingByVillage(ctx context.Context, c store.Q, before int64) (map[string]int, error) {
	rows, err := c.Query(ctx, `SELECT village_code, COUNT(*) FROM entries WHERE status = 'pending' AND created_at < ? GROUP BY village_code`, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, store.MapErr(err)
		}
		out[v] = n
	}
	return out, store.MapErr(rows.Err())
}
