package assess

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/villagecounsel/counsel/store"
)

// The SQL of sheets (assess_sheets), rounds (assess_rounds), hand scores
// (assess_scores), results (assess_results) and objections
// (assess_objections). Reads run on store.Q, writes on the caller's
// transaction.

// sheetLayers returns every jurisdiction's own sheet.
func sheetLayers(ctx context.Context, q store.Q) ([]Layer, error) {
	rows, err := q.Query(ctx, `SELECT region_code, body FROM assess_sheets ORDER BY region_code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Layer
	for rows.Next() {
		var l Layer
		var body string
		if err := rows.Scan(&l.Region, &body); err != nil {
			return nil, store.MapErr(err)
		}
		if err := json.Unmarshal([]byte(body), &l.Sheet); err != nil {
			continue // a layer that no longer reads is skipped, not fatal to every sheet
		}
		out = append(out, l)
	}
	return out, store.MapErr(rows.Err())
}

// saveSheetLayer sets (body "" removes) a region's own sheet.
func saveSheetLayer(ctx context.Context, tx *store.Tx, region, body string, by, at int64) error {
	if body == "" {
		_, err := tx.Exec(ctx, `DELETE FROM assess_sheets WHERE region_code = ?`, region)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO assess_sheets (region_code, body, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		region, body, by, at)
	return err
}

const roundCols = `r.id, r.county_code, g.name, r.year, r.title, r.status, r.as_of, r.excellent, r.pass, r.basic, r.objection_days,
	r.published_on, r.objection_until, r.created_by, r.created_at, r.updated_at`

func scanRound(sc interface{ Scan(...any) error }) (*Round, error) {
	var r Round
	err := sc.Scan(&r.ID, &r.CountyCode, &r.CountyName, &r.Year, &r.Title, &r.Status, &r.AsOf, &r.Thresholds.Excellent, &r.Thresholds.Pass, &r.Thresholds.Basic,
		&r.ObjectionDays, &r.PublishedOn, &r.ObjectionUntil, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt)
	if err != nil {
		return nil, store.MapErr(err)
	}
	return &r, nil
}

// getRound returns one round.
func getRound(ctx context.Context, q store.Q, id int64) (*Round, error) {
	return scanRound(q.Row(ctx, `SELECT `+roundCols+` FROM assess_rounds r JOIN regions g ON g.code = r.county_code WHERE r.id = ?`, id))
}

// roundsIn lists the rounds of counties within scope ("" = all), newest first.
func roundsIn(ctx context.Context, q store.Q, scope string) ([]Round, error) {
	var w store.Where
	w.InRange("r.county_code", scope)
	rows, err := q.Query(ctx, `SELECT `+roundCols+` FROM assess_rounds r JOIN regions g ON g.code = r.county_code`+w.String()+
		` ORDER BY r.year DESC, r.county_code`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Round
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, store.MapErr(rows.Err())
}

// createRound stores a round and sets its ID.
func createRound(ctx context.Context, tx *store.Tx, r *Round) error {
	id, err := tx.Insert(ctx, `INSERT INTO assess_rounds (county_code, year, title, status, as_of, excellent, pass, basic, objection_days, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.CountyCode, r.Year, r.Title, r.Status, r.AsOf, r.Thresholds.Excellent, r.Thresholds.Pass, r.Thresholds.Basic, r.ObjectionDays, r.CreatedBy, r.CreatedAt, r.UpdatedAt)
	r.ID = id
	return err
}

// updateRound stores a round's status, dates and settings.
func updateRound(ctx context.Context, tx *store.Tx, r *Round) error {
	_, err := tx.Exec(ctx, `UPDATE assess_rounds SET title = ?, status = ?, as_of = ?, excellent = ?, pass = ?, basic = ?, objection_days = ?,
		published_on = ?, objection_until = ?, updated_at = ? WHERE id = ?`,
		r.Title, r.Status, r.AsOf, r.Thresholds.Excellent, r.Thresholds.Pass, r.Thresholds.Basic, r.ObjectionDays, r.PublishedOn, r.ObjectionUntil, r.UpdatedAt, r.ID)
	return err
}

// handScores returns the hand scores of an advisor in a round by item.
func handScores(ctx context.Context, q store.Q, round, advisor int64) (map[string][]HandScore, error) {
	rows, err := q.Query(ctx, `SELECT s.item_id, s.region_code, g.name, s.points, s.comment, COALESCE(u.display_name, '')
		FROM assess_scores s JOIN regions g ON g.code = s.region_code LEFT JOIN users u ON u.id = s.scored_by
		WHERE s.round_id = ? AND s.advisor_id = ? ORDER BY s.item_id, s.region_code`, round, advisor)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]HandScore{}
	for rows.Next() {
		var item string
		var h HandScore
		if err := rows.Scan(&item, &h.Region, &h.RegionName, &h.Points, &h.Comment, &h.ByName); err != nil {
			return nil, store.MapErr(err)
		}
		out[item] = append(out[item], h)
	}
	return out, store.MapErr(rows.Err())
}

// handScore returns one scorer's score, found false when none.
func handScore(ctx context.Context, q store.Q, round, advisor int64, item, region string) (HandScore, bool, error) {
	var h HandScore
	err := q.Row(ctx, `SELECT region_code, points, comment FROM assess_scores WHERE round_id = ? AND advisor_id = ? AND item_id = ? AND region_code = ?`,
		round, advisor, item, region).Scan(&h.Region, &h.Points, &h.Comment)
	if err == sql.ErrNoRows {
		return h, false, nil
	}
	return h, err == nil, store.MapErr(err)
}

// saveHandScore sets one scorer's score of an item.
func saveHandScore(ctx context.Context, tx *store.Tx, round, advisor int64, item, region string, p Points, comment string, by, at int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO assess_scores (round_id, advisor_id, item_id, region_code, points, comment, scored_by, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (round_id, advisor_id, item_id, region_code) DO UPDATE SET points = excluded.points, comment = excluded.comment,
		scored_by = excluded.scored_by, scored_at = excluded.scored_at`, round, advisor, item, region, p, comment, by, at)
	return err
}

// snapshot is what a result keeps of the scoring: the sheet's name, the
// scored items with their evidence, and the villages' facts.
type snapshot struct {
	SheetName string         `json:"sheet_name"`
	Result    Result         `json:"result"`
	Villages  []VillageFacts `json:"villages"`
}

const resultCols = `x.round_id, x.advisor_id, a.name, x.provider_id, p.name, x.total, x.max_points, x.grade, x.body, x.reason, x.updated_at`

func scanResult(sc interface{ Scan(...any) error }) (*AdvisorResult, error) {
	var r AdvisorResult
	var body string
	if err := sc.Scan(&r.RoundID, &r.AdvisorID, &r.AdvisorName, &r.ProviderID, &r.ProviderName, &r.Total, &r.Max, &r.Grade, &body, &r.Reason, &r.UpdatedAt); err != nil {
		return nil, store.MapErr(err)
	}
	var snap snapshot
	if err := json.Unmarshal([]byte(body), &snap); err != nil {
		return nil, err
	}
	r.SheetName, r.Result, r.Villages = snap.SheetName, snap.Result, snap.Villages
	return &r, nil
}

const resultFrom = ` FROM assess_results x JOIN advisors a ON a.id = x.advisor_id JOIN providers p ON p.id = x.provider_id`

// roundResults lists a round's results, best first.
func roundResults(ctx context.Context, q store.Q, round int64) ([]AdvisorResult, error) {
	rows, err := q.Query(ctx, `SELECT `+resultCols+resultFrom+` WHERE x.round_id = ? ORDER BY x.total DESC, x.advisor_id`, round)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AdvisorResult
	for rows.Next() {
		r, err := scanResult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, store.MapErr(rows.Err())
}

// getResult returns an advisor's result in a round.
func getResult(ctx context.Context, q store.Q, round, advisor int64) (*AdvisorResult, error) {
	return scanResult(q.Row(ctx, `SELECT `+resultCols+resultFrom+` WHERE x.round_id = ? AND x.advisor_id = ?`, round, advisor))
}

// saveResult stores (or replaces) an advisor's result.
func saveResult(ctx context.Context, tx *store.Tx, r *AdvisorResult, by, at int64) error {
	body, err := json.Marshal(snapshot{SheetName: r.SheetName, Result: r.Result, Villages: r.Villages})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO assess_results (round_id, advisor_id, provider_id, total, max_points, grade, body, reason, updated_by, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (round_id, advisor_id) DO UPDATE SET provider_id = excluded.provider_id, total = excluded.total, max_points = excluded.max_points,
		grade = excluded.grade, body = excluded.body, reason = excluded.reason, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		r.RoundID, r.AdvisorID, r.ProviderID, r.Total, r.Max, r.Grade, string(body), r.Reason, by, at)
	return err
}

const objectionCols = `o.id, o.round_id, o.advisor_id, a.name, o.item_id, o.body, o.filed_at, o.answer, o.answered_at`

// objections lists a round's objections (of one advisor when advisor > 0).
func objections(ctx context.Context, q store.Q, round, advisor int64) ([]Objection, error) {
	var w store.Where
	w.Add("o.round_id = ?", round)
	if advisor > 0 {
		w.Add("o.advisor_id = ?", advisor)
	}
	rows, err := q.Query(ctx, `SELECT `+objectionCols+` FROM assess_objections o JOIN advisors a ON a.id = o.advisor_id`+w.String()+` ORDER BY o.id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Objection
	for rows.Next() {
		var o Objection
		if err := rows.Scan(&o.ID, &o.RoundID, &o.AdvisorID, &o.AdvisorName, &o.ItemID, &o.Body, &o.FiledAt, &o.Answer, &o.AnsweredAt); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, o)
	}
	return out, store.MapErr(rows.Err())
}

// getObjection returns one objection.
func getObjection(ctx context.Context, q store.Q, id int64) (*Objection, error) {
	var o Objection
	err := q.Row(ctx, `SELECT `+objectionCols+` FROM assess_objections o JOIN advisors a ON a.id = o.advisor_id WHERE o.id = ?`, id).
		Scan(&o.ID, &o.RoundID, &o.AdvisorID, &o.AdvisorName, &o.ItemID, &o.Body, &o.FiledAt, &o.Answer, &o.AnsweredAt)
	if err != nil {
		return nil, store.MapErr(err)
	}
	return &o, nil
}

// createObjection stores an objection and sets its ID.
func createObjection(ctx context.Context, tx *store.Tx, o *Objection, by int64) error {
	id, err := tx.Insert(ctx, `INSERT INTO assess_objections (round_id, advisor_id, item_id, body, filed_by, filed_at) VALUES (?, ?, ?, ?, ?, ?)`,
		o.RoundID, o.AdvisorID, o.ItemID, o.Body, by, o.FiledAt)
	o.ID = id
	return err
}

// answerObjection stores the answer of an objection not answered yet; it
// reports false when it was answered already.
func answerObjection(ctx context.Context, tx *store.Tx, id int64, answer string, by, at int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE assess_objections SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND answered_at = 0`, answer, by, at, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
