package outreach

import (
	"context"
	"database/sql"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The SQL of revisits (revisit_rounds, revisits, revisit_scores) and of the
// entered campaign days (campaign_days). Reads run on store.Q, writes on the
// caller's transaction.

// createRevisitRound stores a round and sets its ID.
func createRevisitRound(ctx context.Context, tx *store.Tx, r *RevisitRound) error {
	id, err := tx.Insert(ctx, `INSERT INTO revisit_rounds (county_code, year, title, due_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.CountyCode, r.Year, r.Title, r.DueOn, r.CreatedBy, r.CreatedAt)
	r.ID = id
	return err
}

// createRevisit stores a questionnaire and sets its ID.
func createRevisit(ctx context.Context, tx *store.Tx, v *Revisit) error {
	if v.Status == "" {
		v.Status = RevisitSent
	}
	id, err := tx.Insert(ctx, `INSERT INTO revisits (round_id, village_code, advisor_id, year, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		v.RoundID, v.VillageCode, v.AdvisorID, v.Year, v.Status, v.CreatedAt)
	v.ID = id
	return err
}

// answerRevisit stores the answers of a questionnaire still waiting for
// them; it reports false when it was answered already.
func answerRevisit(ctx context.Context, tx *store.Tx, id int64, scores map[string]int, respondent, comment string, by, at int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE revisits SET status = 'answered', respondent = ?, comment = ?, answered_by = ?, answered_at = ? WHERE id = ? AND status = 'sent'`,
		respondent, comment, by, at, id)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for q, s := range scores {
		if _, err := tx.Exec(ctx, `INSERT INTO revisit_scores (revisit_id, question, score) VALUES (?, ?, ?)`, id, q, s); err != nil {
			return false, err
		}
	}
	return true, nil
}

// revisitRound returns one round with its counts.
func revisitRound(ctx context.Context, q store.Q, id int64) (*RevisitRound, error) {
	rs, err := revisitRoundsWhere(ctx, q, ` WHERE r.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, store.MapErr(sql.ErrNoRows)
	}
	return &rs[0], nil
}

// revisitRounds lists the rounds of counties in scope ("" = all), newest first.
func revisitRounds(ctx context.Context, q store.Q, scope string) ([]RevisitRound, error) {
	var w store.Where
	w.InRange("r.county_code", scope)
	return revisitRoundsWhere(ctx, q, w.String(), w.Args()...)
}

func revisitRoundsWhere(ctx context.Context, q store.Q, cond string, args ...any) ([]RevisitRound, error) {
	rows, err := q.Query(ctx, `SELECT r.id, r.county_code, r.year, r.title, r.due_on, r.created_by, r.created_at,
		(SELECT COUNT(*) FROM revisits v WHERE v.round_id = r.id),
		(SELECT COUNT(*) FROM revisits v WHERE v.round_id = r.id AND v.status = 'answered')
		FROM revisit_rounds r`+cond+` ORDER BY r.created_at DESC, r.id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RevisitRound
	for rows.Next() {
		var r RevisitRound
		if err := rows.Scan(&r.ID, &r.CountyCode, &r.Year, &r.Title, &r.DueOn, &r.CreatedBy, &r.CreatedAt, &r.Total, &r.Answered); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, r)
	}
	return out, store.MapErr(rows.Err())
}

const revisitCols = `v.id, v.round_id, v.village_code, v.advisor_id, v.year, v.status, v.respondent, v.comment, v.answered_by, v.answered_at, v.created_at,
	g.name, t.name, a.name, r.title, r.due_on`

const revisitFrom = ` FROM revisits v JOIN revisit_rounds r ON r.id = v.round_id JOIN regions g ON g.code = v.village_code
	JOIN regions t ON t.code = g.parent_code JOIN advisors a ON a.id = v.advisor_id`

// revisits lists questionnaires matching f, by village within a round and
// newest round first.
func revisits(ctx context.Context, q store.Q, f RevisitFilter) ([]Revisit, error) {
	var w store.Where
	if f.RoundID > 0 {
		w.Add("v.round_id = ?", f.RoundID)
	}
	w.InRange("v.village_code", f.Scope)
	if f.AdvisorID > 0 {
		w.Add("v.advisor_id = ?", f.AdvisorID)
	}
	if f.Year > 0 {
		w.Add("v.year = ?", f.Year)
	}
	if f.Status != "" {
		w.Add("v.status = ?", f.Status)
	}
	rows, err := q.Query(ctx, `SELECT `+revisitCols+revisitFrom+w.String()+` ORDER BY v.round_id DESC, v.village_code, v.id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Revisit
	for rows.Next() {
		v, err := scanRevisit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, store.MapErr(rows.Err())
}

func scanRevisit(sc interface{ Scan(...any) error }) (*Revisit, error) {
	var v Revisit
	err := sc.Scan(&v.ID, &v.RoundID, &v.VillageCode, &v.AdvisorID, &v.Year, &v.Status, &v.Respondent, &v.Comment, &v.AnsweredBy, &v.AnsweredAt, &v.CreatedAt,
		&v.VillageName, &v.TownName, &v.AdvisorName, &v.Title, &v.DueOn)
	return &v, store.MapErr(err)
}

// revisit returns one questionnaire.
func revisit(ctx context.Context, q store.Q, id int64) (*Revisit, error) {
	return scanRevisit(q.Row(ctx, `SELECT `+revisitCols+revisitFrom+` WHERE v.id = ?`, id))
}

// revisitScores returns the ratings of a questionnaire by question.
func revisitScores(ctx context.Context, q store.Q, id int64) (map[string]int, error) {
	rows, err := q.Query(ctx, `SELECT question, score FROM revisit_scores WHERE revisit_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var qu string
		var s int
		if err := rows.Scan(&qu, &s); err != nil {
			return nil, store.MapErr(err)
		}
		out[qu] = s
	}
	return out, store.MapErr(rows.Err())
}

// revisitTotals sums the ratings of answered questionnaires of villages in
// scope, by advisor, year and question (year 0 = every year).
func revisitTotals(ctx context.Context, q store.Q, scope string, year int) ([]RevisitTotal, error) {
	var w store.Where
	w.InRange("v.village_code", scope)
	if year > 0 {
		w.Add("v.year = ?", year)
	}
	w.Add("v.status = 'answered'")
	rows, err := q.Query(ctx, `SELECT v.advisor_id, v.year, s.question, SUM(s.score), COUNT(*) FROM revisit_scores s JOIN revisits v ON v.id = s.revisit_id`+
		w.String()+` GROUP BY v.advisor_id, v.year, s.question ORDER BY v.advisor_id, v.year, s.question`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RevisitTotal
	for rows.Next() {
		var t RevisitTotal
		if err := rows.Scan(&t.AdvisorID, &t.Year, &t.Question, &t.Sum, &t.Count); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, t)
	}
	return out, store.MapErr(rows.Err())
}

// ---- campaign days ----------------------------------------------------------

// createEnteredDay stores a day and sets its ID.
func createEnteredDay(ctx context.Context, tx *store.Tx, d *EnteredDay) error {
	id, err := tx.Insert(ctx, `INSERT INTO campaign_days (region_code, day, kind, name, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.RegionCode, d.Day, d.Kind, d.Name, d.Note, d.CreatedBy, d.CreatedAt)
	d.ID = id
	return err
}

// deleteEnteredDay removes a day (not found when there is none).
func deleteEnteredDay(ctx context.Context, tx *store.Tx, id int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM campaign_days WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.MapErr(sql.ErrNoRows)
	}
	return nil
}

const campaignCols = `id, region_code, day, kind, name, note, created_by, created_at`

// enteredDay returns one day.
func enteredDay(ctx context.Context, q store.Q, id int64) (*EnteredDay, error) {
	var d EnteredDay
	err := q.Row(ctx, `SELECT `+campaignCols+` FROM campaign_days WHERE id = ?`, id).
		Scan(&d.ID, &d.RegionCode, &d.Day, &d.Kind, &d.Name, &d.Note, &d.CreatedBy, &d.CreatedAt)
	return &d, store.MapErr(err)
}

// enteredDays lists the entered days from from to to (inclusive,
// YYYY-MM-DD) of the regions in scope's subtree or named in also (the
// ancestors of scope), by day.
func enteredDays(ctx context.Context, q store.Q, scope string, also []string, from, to string) ([]EnteredDay, error) {
	var w store.Where
	w.Add("day BETWEEN ? AND ?", from, to)
	if scope != "" {
		lo, hi := counsel.CodeRange(scope)
		cond := "(region_code BETWEEN ? AND ?"
		args := []any{lo, hi}
		if len(also) > 0 {
			cond += " OR region_code IN (" + strings.TrimSuffix(strings.Repeat("?,", len(also)), ",") + ")"
			for _, a := range also {
				args = append(args, a)
			}
		}
		w.Add(cond+")", args...)
	}
	rows, err := q.Query(ctx, `SELECT `+campaignCols+` FROM campaign_days`+w.String()+` ORDER BY day, region_code, id`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EnteredDay
	for rows.Next() {
		var d EnteredDay
		if err := rows.Scan(&d.ID, &d.RegionCode, &d.Day, &d.Kind, &d.Name, &d.Note, &d.CreatedBy, &d.CreatedAt); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, d)
	}
	return out, store.MapErr(rows.Err())
}
