package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const agreementCols = `g.id, g.provider_id, g.advisor_id, g.region_code, g.packaged, g.start_date, g.end_date, g.subsidy_fen, g.status,
	g.signed_on, g.filed_on, g.deadline, g.note, g.created_at, g.updated_at, r.name, COALESCE(t.name, ''), p.name, a.name`

const agreementFrom = ` FROM agreements g JOIN regions r ON r.code = g.region_code
	LEFT JOIN regions t ON t.code = r.parent_code AND r.level = 5
	JOIN providers p ON p.id = g.provider_id JOIN advisors a ON a.id = g.advisor_id`

// QueryAgreements lists agreements with their names (village, town,
// provider, advisor) for a feature's own query: tail follows the FROM clause
// (" WHERE … ORDER BY …", aliases g for the agreement, r its region).
func QueryAgreements(ctx context.Context, q store.Q, tail string, args ...any) ([]counsel.Agreement, error) {
	rows, err := q.Query(ctx, `SELECT `+agreementCols+agreementFrom+tail, args...)
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
	return out, store.MapErr(rows.Err())
}

func scanAgreement(sc interface{ Scan(...any) error }) (*counsel.Agreement, error) {
	var g counsel.Agreement
	err := sc.Scan(&g.ID, &g.ProviderID, &g.AdvisorID, &g.RegionCode, &g.Packaged, &g.StartDate, &g.EndDate, &g.SubsidyFen, &g.Status,
		&g.SignedOn, &g.FiledOn, &g.Deadline, &g.Note, &g.CreatedAt, &g.UpdatedAt, &g.RegionName, &g.TownName, &g.ProviderName, &g.AdvisorName)
	return &g, store.MapErr(err)
}

// CreateAgreement inserts an agreement and sets its ID.
func CreateAgreement(ctx context.Context, tx *store.Tx, g *counsel.Agreement) error {
	g.CreatedAt, g.UpdatedAt = store.Now(), store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO agreements (provider_id, advisor_id, region_code, packaged, start_date, end_date, subsidy_fen, status, signed_on, filed_on, deadline, note, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		g.ProviderID, g.AdvisorID, g.RegionCode, g.Packaged, g.StartDate, g.EndDate, g.SubsidyFen, g.Status, g.SignedOn, g.FiledOn, g.Deadline, g.Note, g.CreatedAt, g.UpdatedAt)
	g.ID = id
	return err
}

// UpdateAgreement saves an agreement's fields.
func UpdateAgreement(ctx context.Context, tx *store.Tx, g *counsel.Agreement) error {
	g.UpdatedAt = store.Now()
	res, err := tx.Exec(ctx, `UPDATE agreements SET provider_id = ?, advisor_id = ?, region_code = ?, packaged = ?, start_date = ?, end_date = ?, subsidy_fen = ?, status = ?,
		signed_on = ?, filed_on = ?, deadline = ?, note = ?, updated_at = ? WHERE id = ?`,
		g.ProviderID, g.AdvisorID, g.RegionCode, g.Packaged, g.StartDate, g.EndDate, g.SubsidyFen, g.Status, g.SignedOn, g.FiledOn, g.Deadline, g.Note, g.UpdatedAt, g.ID)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// Agreement returns one agreement.
func Agreement(ctx context.Context, db store.Q, id int64) (*counsel.Agreement, error) {
	return scanAgreement(db.Row(ctx, `SELECT `+agreementCols+agreementFrom+` WHERE g.id = ?`, id))
}

func agreementWhere(f counsel.Filter) store.Where {
	var w store.Where
	w.InRange("g.region_code", f.Scope)
	w.InRange("g.region_code", f.Region)
	if f.ProviderID > 0 {
		w.Add("g.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("g.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "":
	case "late":
		w.Add("((g.filed_on <> '' AND g.filed_on > g.deadline) OR (g.filed_on = '' AND g.status IN "+store.LiveStatuses+" AND g.deadline < ?))", f.Today)
	case "live":
		w.Add("g.status IN " + store.LiveStatuses)
	default:
		w.Add("g.status = ?", f.Status)
	}
	if f.Q != "" {
		w.Add(`(r.name LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q), store.Like(f.Q))
	}
	return w
}

// Agreements lists agreements matching f and the total count.
func Agreements(ctx context.Context, db store.Q, f counsel.Filter) ([]counsel.Agreement, int, error) {
	w := agreementWhere(f)
	total, err := db.Count(ctx, `SELECT COUNT(*)`+agreementFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := db.Query(ctx, `SELECT `+agreementCols+agreementFrom+w.String()+` ORDER BY g.region_code, g.start_date DESC, g.id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Agreement
	for rows.Next() {
		g, err := scanAgreement(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *g)
	}
	return out, total, store.MapErr(rows.Err())
}

// LiveAgreementFor returns the live agreement that covers a village, directly
// or through a packaged town agreement, preferring a filed one; not found if none.
func LiveAgreementFor(ctx context.Context, db store.Q, village string) (*counsel.Agreement, error) {
	return scanAgreement(db.Row(ctx, `SELECT `+agreementCols+agreementFrom+`
		WHERE g.status IN `+store.LiveStatuses+` AND (g.region_code = ? OR (g.packaged AND g.region_code = ?))
		ORDER BY CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END, g.packaged, g.start_date DESC LIMIT 1`,
		village, counsel.ParentOf(village)))
}

// Coverage counts, per town in scope, the villages covered by a filed agreement
// (their own, or a packaged one of their town) on date day.
func Coverage(ctx context.Context, db store.Q, scope, day string) ([]CoverageRow, error) {
	var w store.Where
	w.InRange("v.code", scope)
	w.Add("v.level = 5")
	args := append([]any{day, day}, w.Args()...)
	rows, err := db.Query(ctx, `SELECT t.code, t.name, COUNT(*),
		SUM(CASE WHEN EXISTS (SELECT 1 FROM agreements g WHERE g.status = 'filed' AND g.start_date <= ? AND g.end_date >= ?
			AND (g.region_code = v.code OR (g.packaged AND g.region_code = v.parent_code))) THEN 1 ELSE 0 END)
		FROM regions v JOIN regions t ON t.code = v.parent_code`+w.String()+`
		GROUP BY t.code, t.name ORDER BY t.code`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CoverageRow
	for rows.Next() {
		var r CoverageRow
		if err := rows.Scan(&r.Code, &r.Name, &r.Villages, &r.Covered); err != nil {
			return nil, store.MapErr(err)
		}
		if r.Villages > 0 {
			r.Rate = float64(r.Covered) / float64(r.Villages)
		}
		out = append(out, r)
	}
	return out, store.MapErr(rows.Err())
}

// Uncovered lists villages in scope without a filed agreement in force on day.
func Uncovered(ctx context.Context, db store.Q, scope, day string) ([]counsel.Region, error) {
	var w store.Where
	w.InRange("v.code", scope)
	w.Add("v.level = 5")
	w.Add(`NOT EXISTS (SELECT 1 FROM agreements g WHERE g.status = 'filed' AND g.start_date <= ? AND g.end_date >= ?
			AND (g.region_code = v.code OR (g.packaged AND g.region_code = v.parent_code)))`, day, day)
	return queryRegions(ctx, db, `SELECT v.code, v.name, v.level, v.parent_code, v.kind, v.underdeveloped, v.remote FROM regions v`+w.String()+` ORDER BY v.code`, w.Args()...)
}

// AgreementForEntry returns the live agreement under which an advisor serves
// a village on a date: the advisor's own, or a packaged town agreement of the
// advisor's provider. Not found if none.
func AgreementForEntry(ctx context.Context, db store.Q, advisorID, providerID int64, village, date string) (*counsel.Agreement, error) {
	gs, err := AgreementsForEntry(ctx, db, advisorID, providerID, village)
	if err != nil {
		return nil, err
	}
	if g := PickAgreement(gs, date); g != nil {
		return g, nil
	}
	return nil, counsel.Errorf(counsel.CodeNotFound, "err.not_found")
}

// AgreementsForEntry returns the live agreements under which an advisor may
// serve a village: its own for the village, and its provider's packaged
// agreements for the village's town (two index lookups).
func AgreementsForEntry(ctx context.Context, db store.Q, advisorID, providerID int64, village string) ([]counsel.Agreement, error) {
	var out []counsel.Agreement
	for _, q := range []struct {
		where string
		args  []any
	}{
		{` WHERE g.advisor_id = ? AND g.region_code = ? AND g.status IN ` + store.LiveStatuses, []any{advisorID, village}},
		{` WHERE g.region_code = ? AND g.packaged AND g.provider_id = ? AND g.status IN ` + store.LiveStatuses, []any{counsel.ParentOf(village), providerID}},
	} {
		rows, err := db.Query(ctx, `SELECT `+agreementCols+agreementFrom+q.where, q.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			g, err := scanAgreement(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, *g)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, store.MapErr(err)
		}
	}
	return out, nil
}

// PickAgreement returns the agreement in force on date among gs: filed before
// signed before draft, the advisor's own before a packaged one.
func PickAgreement(gs []counsel.Agreement, date string) *counsel.Agreement {
	rank := map[string]int{counsel.AgreementFiled: 0, counsel.AgreementSigned: 1, counsel.AgreementDraft: 2}
	var best *counsel.Agreement
	for i := range gs {
		g := &gs[i]
		r, live := rank[g.Status]
		if !live || g.StartDate > date || (g.EndDate != "" && g.EndDate < date) {
			continue
		}
		if best == nil || r < rank[best.Status] || (r == rank[best.Status] && !g.Packaged && best.Packaged) {
			best = g
		}
	}
	return best
}
