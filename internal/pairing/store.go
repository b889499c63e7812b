package pairing

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The 1+N feature's own SQL. The person and pairing rows the layered service
// shares (create, read, list) live in internal/registry/store_persons.go.

// updatePairing saves a pairing's editable fields.
func updatePairing(ctx context.Context, q store.Q, p *counsel.Pairing) error {
	res, err := q.Exec(ctx, `UPDATE pairings SET paired_on = ?, ended_on = ?, evaluation = ?, remarks = ? WHERE id = ?`, p.PairedOn, p.EndedOn, p.Evaluation, p.Remarks, p.ID)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// endPairingsOfPerson ends a person's current pairings on day (dismissal, removal).
func endPairingsOfPerson(ctx context.Context, q store.Q, personID int64, day string) error {
	_, err := q.Exec(ctx, `UPDATE pairings SET ended_on = ? WHERE person_id = ? AND ended_on = ''`, day, personID)
	return err
}

// pairingCounts returns, per village in scope, the number of current pairings
// with active persons and how many of them are 两委 members.
func pairingCounts(ctx context.Context, q store.Q, scope string) (map[string][2]int, error) {
	var w store.Where
	w.InRange("q.village_code", scope)
	w.Add("q.ended_on = ''")
	w.Add("x.status = 'active'")
	rows, err := q.Query(ctx, `SELECT q.village_code, COUNT(*), SUM(CASE WHEN x.committee THEN 1 ELSE 0 END)
		FROM pairings q JOIN persons x ON x.id = q.person_id`+w.String()+` GROUP BY q.village_code`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]int{}
	for rows.Next() {
		var code string
		var total, committee int
		if err := rows.Scan(&code, &total, &committee); err != nil {
			return nil, store.MapErr(err)
		}
		out[code] = [2]int{total, committee}
	}
	return out, store.MapErr(rows.Err())
}

// createActivity inserts an activity record of a pairing.
func createActivity(ctx context.Context, tx *store.Tx, a *counsel.Activity) error {
	a.CreatedAt = store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO activities (pairing_id, kind, day, note, created_at) VALUES (?, ?, ?, ?, ?)`, a.PairingID, a.Kind, a.Date, a.Note, a.CreatedAt)
	a.ID = id
	return err
}

// Activities lists the activity records of a pairing, oldest first.
func Activities(ctx context.Context, q store.Q, pairingID int64) ([]counsel.Activity, error) {
	rows, err := q.Query(ctx, `SELECT id, pairing_id, kind, day, note, created_at FROM activities WHERE pairing_id = ? ORDER BY day, id`, pairingID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Activity
	for rows.Next() {
		var a counsel.Activity
		if err := rows.Scan(&a.ID, &a.PairingID, &a.Kind, &a.Date, &a.Note, &a.CreatedAt); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, a)
	}
	return out, store.MapErr(rows.Err())
}
