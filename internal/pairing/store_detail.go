package pairing

import (
	"context"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const detailCols = `q.id, q.advisor_id, q.person_id, q.village_code, q.paired_on, q.ended_on, q.evaluation, q.remarks, q.created_at, a.name, x.name, r.name, x.committee, x.status` +
	`, t.code, t.name, p.name, a.phone, a.photo, x.position, x.phone, x.photo`

const detailFrom = ` FROM pairings q JOIN advisors a ON a.id = q.advisor_id JOIN persons x ON x.id = q.person_id JOIN regions r ON r.code = q.village_code` +
	` JOIN regions t ON t.code = r.parent_code JOIN providers p ON p.id = a.provider_id`

func scanDetail(sc interface{ Scan(...any) error }) (*Detail, error) {
	var d Detail
	q := &d.Pairing
	err := sc.Scan(&q.ID, &q.AdvisorID, &q.PersonID, &q.VillageCode, &q.PairedOn, &q.EndedOn, &q.Evaluation, &q.Remarks, &q.CreatedAt,
		&q.AdvisorName, &q.PersonName, &q.VillageName, &q.Committee, &q.PersonStatus,
		&d.TownCode, &d.TownName, &d.ProviderName, &d.AdvisorPhone, &d.AdvisorPhoto, &d.Position, &d.PersonPhone, &d.PersonPhoto)
	return &d, store.MapErr(err)
}

// listDetails lists pairings matching f (as store Pairings does: Scope,
// Region, ProviderID, AdvisorID, Status "current", Q) with their details,
// ordered by village and advisor as the 附件1 table groups them (then by
// pairing date, an order that is the same on both engines, unlike names),
// and the total. A zero page limit returns every row.
func listDetails(ctx context.Context, db store.Q, f counsel.Filter) ([]Detail, int, error) {
	var w store.Where
	w.InRange("q.village_code", f.Scope)
	w.InRange("q.village_code", f.Region)
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("q.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "current":
		w.Add("q.ended_on = ''")
	case "ended":
		w.Add("q.ended_on <> ''")
	}
	if f.Q != "" {
		l := store.Like(f.Q)
		w.Add(`(a.name LIKE ? ESCAPE '\' OR x.name LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\' OR t.name LIKE ? ESCAPE '\')`, l, l, l, l)
	}
	total, err := db.Count(ctx, `SELECT COUNT(*)`+detailFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page
	if p.Limit <= 0 {
		p.Limit = 1 << 30
	}
	rows, err := db.Query(ctx, `SELECT `+detailCols+detailFrom+w.String()+
		` ORDER BY q.village_code, q.advisor_id, q.paired_on, q.id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, max(0, p.Offset))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Detail
	for rows.Next() {
		d, err := scanDetail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *d)
	}
	return out, total, store.MapErr(rows.Err())
}

// loadDetail returns one pairing with its details.
func loadDetail(ctx context.Context, db store.Q, id int64) (*Detail, error) {
	return scanDetail(db.Row(ctx, `SELECT `+detailCols+detailFrom+` WHERE q.id = ?`, id))
}

// activitiesOf returns the activity records of several pairings, each list
// oldest first.
func activitiesOf(ctx context.Context, db store.Q, pairingIDs []int64) (map[int64][]counsel.Activity, error) {
	out := map[int64][]counsel.Activity{}
	const chunk = 500
	for len(pairingIDs) > 0 {
		n := min(chunk, len(pairingIDs))
		ids := pairingIDs[:n]
		pairingIDs = pairingIDs[n:]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		rows, err := db.Query(ctx, `SELECT id, pairing_id, kind, day, note, created_at FROM activities WHERE pairing_id IN (`+marks+`) ORDER BY pairing_id, day, id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a counsel.Activity
			if err := rows.Scan(&a.ID, &a.PairingID, &a.Kind, &a.Date, &a.Note, &a.CreatedAt); err != nil {
				rows.Close()
				return nil, store.MapErr(err)
			}
			out[a.PairingID] = append(out[a.PairingID], a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, store.MapErr(err)
		}
	}
	return out, nil
}
