package store

import (
	"context"
	"database/sql"
)

// Revisit statuses.
const (
	RevisitSent     = "sent"
	RevisitAnswered = "answered"
)

// RevisitRound is a round of revisits a county sends (R35).
type RevisitRound struct {
	ID         int64  `json:"id"`
	CountyCode string `json:"county_code"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	DueOn      string `json:"due_on"`
	CreatedBy  int64  `json:"created_by"`
	CreatedAt  int64  `json:"created_at"`
	// Filled by RevisitRounds.
	Total    int `json:"total"`
	Answered int `json:"answered"`
}

// Revisit is one questionnaire: a village committee about its advisor.
type Revisit struct {
	ID          int64  `json:"id"`
	RoundID     int64  `json:"round_id"`
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id"`
	Year        int    `json:"year"`
	Status      string `json:"status"`
	Respondent  string `json:"respondent"`
	Comment     string `json:"comment"`
	AnsweredBy  int64  `json:"answered_by"`
	AnsweredAt  int64  `json:"answered_at"`
	CreatedAt   int64  `json:"created_at"`
	// Joined.
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	AdvisorName string `json:"advisor_name"`
	Title       string `json:"title"`
	DueOn       string `json:"due_on"`
}

// CreateRevisitRound stores a round and sets its ID.
func (tx *Tx) CreateRevisitRound(ctx context.Context, r *RevisitRound) error {
	id, err := tx.insert(ctx, `INSERT INTO revisit_rounds (county_code, year, title, due_on, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		r.CountyCode, r.Year, r.Title, r.DueOn, r.CreatedBy, r.CreatedAt)
	r.ID = id
	return err
}

// CreateRevisit stores a questionnaire and sets its ID.
func (tx *Tx) CreateRevisit(ctx context.Context, v *Revisit) error {
	if v.Status == "" {
		v.Status = RevisitSent
	}
	id, err := tx.insert(ctx, `INSERT INTO revisits (round_id, village_code, advisor_id, year, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		v.RoundID, v.VillageCode, v.AdvisorID, v.Year, v.Status, v.CreatedAt)
	v.ID = id
	return err
}

// AnswerRevisit stores the answers of a questionnaire still waiting for
// them; it reports false when it was answered already.
func (tx *Tx) AnswerRevisit(ctx context.Context, id int64, scores map[string]int, respondent, comment string, by, at int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE revisits SET status = 'answered', respondent = ?, comment = ?, answered_by = ?, answered_at = ? WHERE id = ? AND status = 'sent'`,
		respondent, comment, by, at, id)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for q, s := range scores {
		if _, err := tx.exec(ctx, `INSERT INTO revisit_scores (revisit_id, question, score) VALUES (?, ?, ?)`, id, q, s); err != nil {
			return false, err
		}
	}
	return true, nil
}

// RevisitRound returns one round with its counts.
func (c *conn) RevisitRound(ctx context.Context, id int64) (*RevisitRound, error) {
	rs, err := c.revisitRounds(ctx, ` WHERE r.id = ?`, id)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, mapErr(sql.ErrNoRows)
	}
	return &rs[0], nil
}

// RevisitRounds lists the rounds of counties in scope ("" = all), newest first.
func (c *conn) RevisitRounds(ctx context.Context, scope string) ([]RevisitRound, error) {
	var w where
	w.inRange("r.county_code", scope)
	return c.revisitRounds(ctx, w.String(), w.args...)
}

func (c *conn) revisitRounds(ctx context.Context, cond string, args ...any) ([]RevisitRound, error) {
	rows, err := c.query(ctx, `SELECT r.id, r.county_code, r.year, r.title, r.due_on, r.created_by, r.created_at,
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
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	return out, mapErr(rows.Err())
}

const revisitCols = `v.id, v.round_id, v.village_code, v.advisor_id, v.year, v.status, v.respondent, v.comment, v.answered_by, v.answered_at, v.created_at,
	g.name, t.name, a.name, r.title, r.due_on`

const revisitFrom = ` FROM revisits v JOIN revisit_rounds r ON r.id = v.round_id JOIN regions g ON g.code = v.village_code
	JOIN regions t ON t.code = g.parent_code JOIN advisors a ON a.id = v.advisor_id`

// RevisitFilter narrows the questionnaires: a round, a village subtree, an
// advisor, a year (0 = any).
type RevisitFilter struct {
	RoundID   int64
	Scope     string
	AdvisorID int64
	Year      int
	Status    string
}

// Revisits lists questionnaires matching f, by village within a round and
// newest round first.
func (c *conn) Revisits(ctx context.Context, f RevisitFilter) ([]Revisit, error) {
	var w where
	if f.RoundID > 0 {
		w.add("v.round_id = ?", f.RoundID)
	}
	w.inRange("v.village_code", f.Scope)
	if f.AdvisorID > 0 {
		w.add("v.advisor_id = ?", f.AdvisorID)
	}
	if f.Year > 0 {
		w.add("v.year = ?", f.Year)
	}
	if f.Status != "" {
		w.add("v.status = ?", f.Status)
	}
	rows, err := c.query(ctx, `SELECT `+revisitCols+revisitFrom+w.String()+` ORDER BY v.round_id DESC, v.village_code, v.id`, w.args...)
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
	return out, mapErr(rows.Err())
}

func scanRevisit(sc interface{ Scan(...any) error }) (*Revisit, error) {
	var v Revisit
	err := sc.Scan(&v.ID, &v.RoundID, &v.VillageCode, &v.AdvisorID, &v.Year, &v.Status, &v.Respondent, &v.Comment, &v.AnsweredBy, &v.AnsweredAt, &v.CreatedAt,
		&v.VillageName, &v.TownName, &v.AdvisorName, &v.Title, &v.DueOn)
	return &v, mapErr(err)
}

// Revisit returns one questionnaire.
func (c *conn) Revisit(ctx context.Context, id int64) (*Revisit, error) {
	return scanRevisit(c.row(ctx, `SELECT `+revisitCols+revisitFrom+` WHERE v.id = ?`, id))
}

// RevisitScores returns the ratings of a questionnaire by question.
func (c *conn) RevisitScores(ctx context.Context, id int64) (map[string]int, error) {
	rows, err := c.query(ctx, `SELECT question, score FROM revisit_scores WHERE revisit_id = ?`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var q string
		var s int
		if err := rows.Scan(&q, &s); err != nil {
			return nil, mapErr(err)
		}
		out[q] = s
	}
	return out, mapErr(rows.Err())
}

// RevisitTotal is the sum and count of one question's ratings of an advisor
// in a year.
type RevisitTotal struct {
	AdvisorID int64
	Year      int
	Question  string
	Sum       int
	Count     int
}

// RevisitTotals sums the ratings of answered questionnaires of villages in
// scope, by advisor, year and question (year 0 = every year).
func (c *conn) RevisitTotals(ctx context.Context, scope string, year int) ([]RevisitTotal, error) {
	var w where
	w.inRange("v.village_code", scope)
	if year > 0 {
		w.add("v.year = ?", year)
	}
	w.add("v.status = 'answered'")
	rows, err := c.query(ctx, `SELECT v.advisor_id, v.year, s.question, SUM(s.score), COUNT(*) FROM revisit_scores s JOIN revisits v ON v.id = s.revisit_id`+
		w.String()+` GROUP BY v.advisor_id, v.year, s.question ORDER BY v.advisor_id, v.year, s.question`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RevisitTotal
	for rows.Next() {
		var t RevisitTotal
		if err := rows.Scan(&t.AdvisorID, &t.Year, &t.Question, &t.Sum, &t.Count); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, mapErr(rows.Err())
}
