package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// The queries of the volumes (一村一卷, 一所一卷, R15): what a volume gathers
// for a period besides the entries (agreements, matters, documents).

// VolumeAgreements lists the agreements, in any status, that cover a village
// (its own, or a packaged agreement of its town) and overlap the period
// [from, to], oldest first.
func (c *conn) VolumeAgreements(ctx context.Context, village, from, to string) ([]counsel.Agreement, error) {
	return c.agreementRows(ctx, `SELECT `+agreementCols+agreementFrom+`
		WHERE (g.region_code = ? OR (g.packaged AND g.region_code = ?)) AND g.start_date <= ? AND (g.end_date = '' OR g.end_date >= ?)
		ORDER BY g.start_date, g.id`, village, counsel.ParentOf(village), to, from)
}

// ProviderAgreements lists a provider's agreements, in any status, that
// overlap the period, within scope ("" = anywhere), by region.
func (c *conn) ProviderAgreements(ctx context.Context, providerID int64, scope, from, to string) ([]counsel.Agreement, error) {
	var w where
	w.add("g.provider_id = ?", providerID)
	if scope != "" {
		// A packaged town agreement is in a village scope's town.
		lo, hi := counsel.CodeRange(scope)
		w.add("((g.region_code BETWEEN ? AND ?) OR (g.packaged AND g.region_code = ?))", lo, hi, counsel.ParentOf(scope))
	}
	w.add("g.start_date <= ?", to)
	w.add("(g.end_date = '' OR g.end_date >= ?)", from)
	return c.agreementRows(ctx, `SELECT `+agreementCols+agreementFrom+w.String()+` ORDER BY g.region_code, g.start_date, g.id`, w.args...)
}

func (c *conn) agreementRows(ctx context.Context, q string, args ...any) ([]counsel.Agreement, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Agreement
	for rows.Next() {
		g, err := scanAgreement(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *g)
	}
	return out, mapErr(rows.Err())
}

// VolumeFilter narrows what a volume gathers.
type VolumeFilter struct {
	Scope      string // region subtree ("" = anywhere)
	Village    string
	ProviderID int64 // the advisor's provider
	AdvisorID  int64
	From, To   string // the period, inclusive
}

// VolumeMatters lists the matters open at some time in the period (opened
// on or before its end, not closed before its start), by village and date.
func (c *conn) VolumeMatters(ctx context.Context, f VolumeFilter) ([]counsel.Matter, error) {
	var w where
	w.inRange("m.village_code", f.Scope)
	if f.Village != "" {
		w.add("m.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.add("m.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.add("a.provider_id = ?", f.ProviderID)
	}
	if f.To != "" {
		w.add("m.opened_on <= ?", f.To)
	}
	if f.From != "" {
		w.add("(m.closed_on = '' OR m.closed_on >= ?)", f.From)
	}
	rows, err := c.query(ctx, `SELECT `+matterCols+matterFrom+w.String()+` ORDER BY m.village_code, m.opened_on, m.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Matter
	for rows.Next() {
		m, err := scanMatter(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, mapErr(rows.Err())
}

// VolumeDocuments lists the documents of the years the period touches, by
// village, year, kind.
func (c *conn) VolumeDocuments(ctx context.Context, f VolumeFilter, fromYear, toYear int) ([]counsel.Document, error) {
	var w where
	w.inRange("d.village_code", f.Scope)
	if f.Village != "" {
		w.add("d.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.add("d.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.add("a.provider_id = ?", f.ProviderID)
	}
	w.add("d.year BETWEEN ? AND ?", fromYear, toYear)
	rows, err := c.query(ctx, `SELECT `+docCols+` FROM documents d JOIN advisors a ON a.id = d.advisor_id`+w.String()+
		` ORDER BY d.village_code, d.year, d.kind, d.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Document
	for rows.Next() {
		d, err := scanDoc(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, mapErr(rows.Err())
}

// CountEntries counts the entries matching f (for bounding a volume).
func (c *conn) CountEntries(ctx context.Context, f EntryFilter) (int, error) {
	w := entryWhere(f)
	if f.Q == "" {
		// Without a text search every condition is on the entries alone.
		return c.count(ctx, `SELECT COUNT(*) FROM entries e`+w.String(), w.args...)
	}
	return c.count(ctx, `SELECT COUNT(*)`+entryFrom+w.String(), w.args...)
}
