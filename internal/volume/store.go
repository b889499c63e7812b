package volume

import (
	"context"
	"database/sql"
	"errors"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// The SQL of the volume area: the matters (一案一档, R15) and the yearly
// documents it owns, and what a volume (一村一卷, 一所一卷) gathers for a
// period besides the entries (agreements, matters, documents).

// ---- matters ----

const matterCols = `m.id, m.village_code, m.advisor_id, m.title, m.category, m.parties, m.summary, m.status, m.outcome,
	m.opened_on, m.closed_on, m.created_at, m.updated_at, r.name, a.name,
	(SELECT COUNT(*) FROM entries x WHERE x.matter_id = m.id AND x.matter_id > 0)`
const matterFrom = ` FROM matters m JOIN regions r ON r.code = m.village_code JOIN advisors a ON a.id = m.advisor_id`

func scanMatter(sc interface{ Scan(...any) error }) (*counsel.Matter, error) {
	var m counsel.Matter
	err := sc.Scan(&m.ID, &m.VillageCode, &m.AdvisorID, &m.Title, &m.Category, &m.Parties, &m.Summary, &m.Status, &m.Outcome,
		&m.OpenedOn, &m.ClosedOn, &m.CreatedAt, &m.UpdatedAt, &m.VillageName, &m.AdvisorName, &m.Entries)
	if err != nil {
		return nil, store.MapErr(err)
	}
	return &m, nil
}

// getMatter returns one matter.
func getMatter(ctx context.Context, q store.Q, id int64) (*counsel.Matter, error) {
	return scanMatter(q.Row(ctx, `SELECT `+matterCols+matterFrom+` WHERE m.id = ?`, id))
}

func matterRows(ctx context.Context, q store.Q, query string, args ...any) ([]counsel.Matter, error) {
	rows, err := q.Query(ctx, query, args...)
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
	return out, store.MapErr(rows.Err())
}

// listMatters lists matters in scope, open first.
func listMatters(ctx context.Context, q store.Q, f ledger.EntryFilter) ([]counsel.Matter, int, error) {
	var w store.Where
	w.InRange("m.village_code", f.Scope)
	if f.Village != "" {
		w.Add("m.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.Add("m.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	if f.Status != "" {
		w.Add("m.status = ?", f.Status)
	}
	if f.Q != "" {
		w.Add(`(m.title LIKE ? ESCAPE '\' OR m.parties LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q))
	}
	total, err := q.Count(ctx, `SELECT COUNT(*)`+matterFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	out, err := matterRows(ctx, q, `SELECT `+matterCols+matterFrom+w.String()+` ORDER BY m.status DESC, m.opened_on DESC, m.id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// saveMatter inserts (ID 0) or updates a matter.
func saveMatter(ctx context.Context, tx *store.Tx, m *counsel.Matter) error {
	if m.ID == 0 {
		id, err := tx.Insert(ctx, `INSERT INTO matters (village_code, advisor_id, title, category, parties, summary, status, outcome, opened_on, closed_on, created_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, m.VillageCode, m.AdvisorID, m.Title, m.Category, m.Parties, m.Summary, m.Status, m.Outcome, m.OpenedOn, m.ClosedOn, m.CreatedAt, m.UpdatedAt)
		m.ID = id
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE matters SET title = ?, category = ?, parties = ?, summary = ?, status = ?, outcome = ?, opened_on = ?, closed_on = ?, updated_at = ? WHERE id = ?`,
		m.Title, m.Category, m.Parties, m.Summary, m.Status, m.Outcome, m.OpenedOn, m.ClosedOn, m.UpdatedAt, m.ID)
	return err
}

// ---- documents ----

const docCols = `d.id, d.kind, d.village_code, d.advisor_id, d.year, d.title, d.body, d.created_by, d.created_at, d.updated_at, a.name`
const docFrom = ` FROM documents d JOIN advisors a ON a.id = d.advisor_id`

func scanDoc(sc interface{ Scan(...any) error }) (*counsel.Document, error) {
	var d counsel.Document
	if err := sc.Scan(&d.ID, &d.Kind, &d.VillageCode, &d.AdvisorID, &d.Year, &d.Title, &d.Body, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.AdvisorName); err != nil {
		return nil, store.MapErr(err)
	}
	return &d, nil
}

// getDocument returns one document.
func getDocument(ctx context.Context, q store.Q, id int64) (*counsel.Document, error) {
	return scanDoc(q.Row(ctx, `SELECT `+docCols+docFrom+` WHERE d.id = ?`, id))
}

func docRows(ctx context.Context, q store.Q, query string, args ...any) ([]counsel.Document, error) {
	rows, err := q.Query(ctx, query, args...)
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
	return out, store.MapErr(rows.Err())
}

// villageDocuments lists a village's documents of a year (0 = all years).
func villageDocuments(ctx context.Context, q store.Q, village string, year int) ([]counsel.Document, error) {
	query := `SELECT ` + docCols + docFrom + ` WHERE d.village_code = ?`
	args := []any{village}
	if year > 0 {
		query += ` AND d.year = ?`
		args = append(args, year)
	}
	return docRows(ctx, q, query+` ORDER BY d.year DESC, d.kind, d.id`, args...)
}

// saveDocument inserts or, for the same kind, village, advisor and year,
// replaces a document.
func saveDocument(ctx context.Context, tx *store.Tx, d *counsel.Document) error {
	var id int64
	err := tx.Row(ctx, `SELECT id FROM documents WHERE kind = ? AND village_code = ? AND advisor_id = ? AND year = ?`, d.Kind, d.VillageCode, d.AdvisorID, d.Year).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		d.ID, err = tx.Insert(ctx, `INSERT INTO documents (kind, village_code, advisor_id, year, title, body, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)`,
			d.Kind, d.VillageCode, d.AdvisorID, d.Year, d.Title, d.Body, d.CreatedBy, d.CreatedAt, d.UpdatedAt)
		return err
	}
	if err != nil {
		return store.MapErr(err)
	}
	d.ID = id
	_, err = tx.Exec(ctx, `UPDATE documents SET title = ?, body = ?, updated_at = ? WHERE id = ?`, d.Title, d.Body, d.UpdatedAt, id)
	return err
}

// ---- what a volume gathers ----

// volumeAgreements lists the agreements, in any status, that cover a village
// (its own, or a packaged agreement of its town) and overlap the period
// [from, to], oldest first.
func volumeAgreements(ctx context.Context, q store.Q, village, from, to string) ([]counsel.Agreement, error) {
	return registry.QueryAgreements(ctx, q, `
		WHERE (g.region_code = ? OR (g.packaged AND g.region_code = ?)) AND g.start_date <= ? AND (g.end_date = '' OR g.end_date >= ?)
		ORDER BY g.start_date, g.id`, village, counsel.ParentOf(village), to, from)
}

// providerAgreements lists a provider's agreements, in any status, that
// overlap the period, within scope ("" = anywhere), by region.
func providerAgreements(ctx context.Context, q store.Q, providerID int64, scope, from, to string) ([]counsel.Agreement, error) {
	var w store.Where
	w.Add("g.provider_id = ?", providerID)
	if scope != "" {
		// A packaged town agreement is in a village scope's town.
		lo, hi := counsel.CodeRange(scope)
		w.Add("((g.region_code BETWEEN ? AND ?) OR (g.packaged AND g.region_code = ?))", lo, hi, counsel.ParentOf(scope))
	}
	w.Add("g.start_date <= ?", to)
	w.Add("(g.end_date = '' OR g.end_date >= ?)", from)
	return registry.QueryAgreements(ctx, q, w.String()+` ORDER BY g.region_code, g.start_date, g.id`, w.Args()...)
}

// Filter narrows what a volume gathers.
type Filter struct {
	Scope      string // region subtree ("" = anywhere)
	Village    string
	ProviderID int64 // the advisor's provider
	AdvisorID  int64
	From, To   string // the period, inclusive
}

// volumeMatters lists the matters open at some time in the period (opened
// on or before its end, not closed before its start), by village and date.
func volumeMatters(ctx context.Context, q store.Q, f Filter) ([]counsel.Matter, error) {
	var w store.Where
	w.InRange("m.village_code", f.Scope)
	if f.Village != "" {
		w.Add("m.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.Add("m.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	if f.To != "" {
		w.Add("m.opened_on <= ?", f.To)
	}
	if f.From != "" {
		w.Add("(m.closed_on = '' OR m.closed_on >= ?)", f.From)
	}
	return matterRows(ctx, q, `SELECT `+matterCols+matterFrom+w.String()+` ORDER BY m.village_code, m.opened_on, m.id`, w.Args()...)
}

// volumeDocuments lists the documents of the years the period touches, by
// village, year, kind.
func volumeDocuments(ctx context.Context, q store.Q, f Filter, fromYear, toYear int) ([]counsel.Document, error) {
	var w store.Where
	w.InRange("d.village_code", f.Scope)
	if f.Village != "" {
		w.Add("d.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.Add("d.advisor_id = ?", f.AdvisorID)
	}
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	w.Add("d.year BETWEEN ? AND ?", fromYear, toYear)
	return docRows(ctx, q, `SELECT `+docCols+docFrom+w.String()+` ORDER BY d.village_code, d.year, d.kind, d.id`, w.Args()...)
}
