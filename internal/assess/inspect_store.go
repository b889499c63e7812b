package assess

import (
	"context"
	"encoding/json"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The SQL of inspections, their visits and rectification orders.

const inspectionCols = `i.id, i.region_code, g.name, i.kind, i.title, i.seed, i.sample_size, i.planned_on, i.created_by, i.created_at`

func scanInspection(sc interface{ Scan(...any) error }) (*Inspection, error) {
	var in Inspection
	if err := sc.Scan(&in.ID, &in.RegionCode, &in.RegionName, &in.Kind, &in.Title, &in.Seed, &in.SampleSize, &in.PlannedOn, &in.CreatedBy, &in.CreatedAt); err != nil {
		return nil, store.MapErr(err)
	}
	return &in, nil
}

func createInspection(ctx context.Context, tx *store.Tx, in *Inspection) error {
	id, err := tx.Insert(ctx, `INSERT INTO inspections (region_code, kind, title, seed, sample_size, planned_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		in.RegionCode, in.Kind, in.Title, in.Seed, in.SampleSize, in.PlannedOn, in.CreatedBy, in.CreatedAt)
	in.ID = id
	return err
}

func getInspection(ctx context.Context, q store.Q, id int64) (*Inspection, error) {
	return scanInspection(q.Row(ctx, `SELECT `+inspectionCols+` FROM inspections i JOIN regions g ON g.code = i.region_code WHERE i.id = ?`, id))
}

// inspectionsIn lists the plans of regions within scope or containing it
// ("" = all), newest first.
func inspectionsIn(ctx context.Context, q store.Q, scope string) ([]Inspection, error) {
	var w store.Where
	if scope != "" {
		lo, hi := counsel.CodeRange(scope)
		codes := append(counsel.Ancestors(scope), scope)
		args := []any{lo, hi}
		in := ""
		for i, c := range codes {
			if i > 0 {
				in += ", "
			}
			in += "?"
			args = append(args, c)
		}
		w.Add("(i.region_code BETWEEN ? AND ? OR i.region_code IN ("+in+"))", args...)
	}
	rows, err := q.Query(ctx, `SELECT `+inspectionCols+` FROM inspections i JOIN regions g ON g.code = i.region_code`+w.String()+` ORDER BY i.planned_on DESC, i.id DESC`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Inspection
	for rows.Next() {
		in, err := scanInspection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *in)
	}
	return out, store.MapErr(rows.Err())
}

func createVisit(ctx context.Context, tx *store.Tx, inspection int64, village string, advisor int64) error {
	_, err := tx.Insert(ctx, `INSERT INTO inspection_visits (inspection_id, village_code, advisor_id, status) VALUES (?, ?, ?, ?)`, inspection, village, advisor, VisitPlanned)
	return err
}

const visitCols = `v.id, v.inspection_id, v.village_code, g.name, v.advisor_id, COALESCE(a.name, ''), v.status, v.checklist, v.note, v.inspected_at`
const visitFrom = ` FROM inspection_visits v JOIN regions g ON g.code = v.village_code LEFT JOIN advisors a ON a.id = v.advisor_id`

func scanVisit(sc interface{ Scan(...any) error }) (*Visit, error) {
	var v Visit
	var list string
	if err := sc.Scan(&v.ID, &v.InspectionID, &v.VillageCode, &v.VillageName, &v.AdvisorID, &v.AdvisorName, &v.Status, &list, &v.Note, &v.InspectedAt); err != nil {
		return nil, store.MapErr(err)
	}
	v.Checklist = map[string]string{}
	if list != "" {
		_ = json.Unmarshal([]byte(list), &v.Checklist)
	}
	return &v, nil
}

func getVisit(ctx context.Context, q store.Q, id int64) (*Visit, error) {
	return scanVisit(q.Row(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.id = ?`, id))
}

func visitsOf(ctx context.Context, q store.Q, inspection int64) ([]Visit, error) {
	rows, err := q.Query(ctx, `SELECT `+visitCols+visitFrom+` WHERE v.inspection_id = ? ORDER BY v.village_code`, inspection)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Visit
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, store.MapErr(rows.Err())
}

func saveFindings(ctx context.Context, tx *store.Tx, id int64, checklist map[string]string, note string, by, at int64) error {
	b, err := json.Marshal(checklist)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE inspection_visits SET status = ?, checklist = ?, note = ?, inspected_by = ?, inspected_at = ? WHERE id = ?`,
		VisitDone, string(b), note, by, at, id)
	return err
}

// RectFilter narrows rectification orders.
type RectFilter struct {
	InspectionID int64
	VisitID      int64
	ProviderID   int64
	AdvisorID    int64
	Scope        string
}

const rectCols = `r.id, r.visit_id, v.inspection_id, r.village_code, g.name, r.advisor_id, COALESCE(a.name, ''), r.provider_id, r.issue, r.due_on, r.status,
	r.closed_note, r.created_at, r.closed_at`
const rectFrom = ` FROM rectifications r JOIN inspection_visits v ON v.id = r.visit_id JOIN regions g ON g.code = r.village_code LEFT JOIN advisors a ON a.id = r.advisor_id`

func scanRect(sc interface{ Scan(...any) error }) (*Rectification, error) {
	var o Rectification
	if err := sc.Scan(&o.ID, &o.VisitID, &o.InspectionID, &o.VillageCode, &o.VillageName, &o.AdvisorID, &o.AdvisorName, &o.ProviderID, &o.Issue, &o.DueOn, &o.Status,
		&o.ClosedNote, &o.CreatedAt, &o.ClosedAt); err != nil {
		return nil, store.MapErr(err)
	}
	return &o, nil
}

func rectifications(ctx context.Context, q store.Q, f RectFilter) ([]Rectification, error) {
	var w store.Where
	if f.InspectionID > 0 {
		w.Add("v.inspection_id = ?", f.InspectionID)
	}
	if f.VisitID > 0 {
		w.Add("r.visit_id = ?", f.VisitID)
	}
	if f.ProviderID > 0 {
		w.Add("r.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("r.advisor_id = ?", f.AdvisorID)
	}
	w.InRange("r.village_code", f.Scope)
	rows, err := q.Query(ctx, `SELECT `+rectCols+rectFrom+w.String()+` ORDER BY CASE r.status WHEN 'open' THEN 0 ELSE 1 END, r.due_on, r.id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rectification
	for rows.Next() {
		o, err := scanRect(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *o)
	}
	return out, store.MapErr(rows.Err())
}

func getRectification(ctx context.Context, q store.Q, id int64) (*Rectification, error) {
	return scanRect(q.Row(ctx, `SELECT `+rectCols+rectFrom+` WHERE r.id = ?`, id))
}

func createRectification(ctx context.Context, tx *store.Tx, o *Rectification, by int64) error {
	id, err := tx.Insert(ctx, `INSERT INTO rectifications (visit_id, village_code, advisor_id, provider_id, issue, due_on, status, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, o.VisitID, o.VillageCode, o.AdvisorID, o.ProviderID, o.Issue, o.DueOn, o.Status, by, o.CreatedAt)
	o.ID = id
	return err
}

func closeRectification(ctx context.Context, tx *store.Tx, id int64, note string, by, at int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE rectifications SET status = ?, closed_note = ?, closed_by = ?, closed_at = ? WHERE id = ? AND status = ?`,
		RectClosed, note, by, at, id, RectOpen)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// findingsOf returns the inspected visits of an advisor's villages planned
// in [from, to], oldest first.
func findingsOf(ctx context.Context, q store.Q, advisor int64, from, to string) ([]FindingFact, error) {
	rows, err := q.Query(ctx, `SELECT v.village_code, g.name, i.planned_on, i.title, v.checklist FROM inspection_visits v
		JOIN inspections i ON i.id = v.inspection_id JOIN regions g ON g.code = v.village_code
		WHERE v.advisor_id = ? AND v.status = ? AND i.planned_on >= ? AND i.planned_on <= ? ORDER BY i.planned_on, v.id`, advisor, VisitDone, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []FindingFact
	for rows.Next() {
		var x FindingFact
		var list string
		if err := rows.Scan(&x.Village, &x.VillageName, &x.On, &x.Title, &list); err != nil {
			return nil, store.MapErr(err)
		}
		m := map[string]string{}
		_ = json.Unmarshal([]byte(list), &m)
		for _, c := range Checks {
			if m[c] == FindingProblem {
				x.Problems = append(x.Problems, c)
			}
		}
		out = append(out, x)
	}
	return out, store.MapErr(rows.Err())
}
