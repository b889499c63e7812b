package consult

import (
	"context"
	"database/sql"

	"github.com/villagecounsel/counsel/store"
)

// The consultations table: a resident's question to a village's advisor,
// its answer, escalation and rating. Names come from the reference tables
// (regions, advisors).

const consultCols = `c.id, c.ticket, c.village_code, c.advisor_id, c.category, c.question, c.name, c.phone, c.notice_version, c.status,
	c.due_at, c.escalated_at, c.answer, c.answered_by, c.answered_at, c.entry_id, c.rating, c.rating_comment, c.rated_at, c.created_at, c.updated_at,
	r.name, COALESCE(t.name, ''), COALESCE(a.name, '')`

const consultFrom = ` FROM consultations c JOIN regions r ON r.code = c.village_code
	LEFT JOIN regions t ON t.code = r.parent_code LEFT JOIN advisors a ON a.id = c.advisor_id`

func scanConsult(sc interface{ Scan(...any) error }) (*Consultation, error) {
	var c Consultation
	err := sc.Scan(&c.ID, &c.Ticket, &c.VillageCode, &c.AdvisorID, &c.Category, &c.Question, &c.Name, &c.Phone, &c.NoticeVersion, &c.Status,
		&c.DueAt, &c.EscalatedAt, &c.Answer, &c.AnsweredBy, &c.AnsweredAt, &c.EntryID, &c.Rating, &c.RatingComment, &c.RatedAt, &c.CreatedAt, &c.UpdatedAt,
		&c.VillageName, &c.TownName, &c.AdvisorName)
	return &c, store.MapErr(err)
}

// CreateConsultation inserts a consultation and sets its ID; the caller
// fills every field (ticket, status, deadline, times).
func CreateConsultation(ctx context.Context, tx *store.Tx, c *Consultation) error {
	id, err := tx.Insert(ctx, `INSERT INTO consultations (ticket, village_code, advisor_id, category, question, name, phone, notice_version, status,
		due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Ticket, c.VillageCode, c.AdvisorID, c.Category, c.Question, c.Name, c.Phone, c.NoticeVersion, c.Status, c.DueAt, c.CreatedAt, c.UpdatedAt)
	c.ID = id
	return err
}

// AnswerConsultation records the answer of an open consultation; false when
// it was answered meanwhile.
func AnswerConsultation(ctx context.Context, tx *store.Tx, id int64, answer string, userID, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE consultations SET status = 'answered', answer = ?, answered_by = ?, answered_at = ?, updated_at = ?
		WHERE id = ? AND status = 'open'`, answer, userID, at, at, id))
}

// setConsultationEntry links an answered consultation to its ledger entry.
func setConsultationEntry(ctx context.Context, tx *store.Tx, id, entryID, at int64) error {
	_, err := tx.Exec(ctx, `UPDATE consultations SET entry_id = ?, updated_at = ? WHERE id = ?`, entryID, at, id)
	return err
}

// rateConsultation records the resident's rating of an answered, not yet
// rated consultation; false otherwise.
func rateConsultation(ctx context.Context, tx *store.Tx, id int64, rating int, comment string, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE consultations SET rating = ?, rating_comment = ?, rated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'answered' AND rating = 0`, rating, comment, at, at, id))
}

// escalateConsultation marks an open, not yet escalated consultation
// escalated; false when it was answered or escalated meanwhile.
func escalateConsultation(ctx context.Context, tx *store.Tx, id, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE consultations SET escalated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'open' AND escalated_at = 0`, at, at, id))
}

// consultationByID returns one consultation by ID.
func consultationByID(ctx context.Context, q store.Q, id int64) (*Consultation, error) {
	return scanConsult(q.Row(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.id = ?`, id))
}

// ConsultationByTicket returns one consultation by its ticket.
func ConsultationByTicket(ctx context.Context, q store.Q, ticket string) (*Consultation, error) {
	return scanConsult(q.Row(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.ticket = ?`, ticket))
}

// consultationsByPhoneSince counts the consultations asked from a phone
// number since a time (unix ms), for the per-phone limit.
func consultationsByPhoneSince(ctx context.Context, q store.Q, phone string, since int64) (int, error) {
	return q.Count(ctx, `SELECT COUNT(*) FROM consultations WHERE phone = ? AND created_at >= ?`, phone, since)
}

func consultWhere(f ConsultFilter) store.Where {
	var w store.Where
	w.InRange("c.village_code", f.Scope)
	if f.Village != "" {
		w.Add("c.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.Add("c.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "":
	case ConsultOverdue:
		w.Add("c.status = 'open' AND c.due_at <= ?", f.Now)
	default:
		w.Add("c.status = ?", f.Status)
	}
	if f.Category != "" {
		w.Add("c.category = ?", f.Category)
	}
	return w
}

// listConsultations lists the consultations matching f, open ones first and
// oldest deadline first among them, then newest answered, and the total.
func listConsultations(ctx context.Context, q store.Q, f ConsultFilter) ([]Consultation, int, error) {
	w := consultWhere(f)
	total, err := q.Count(ctx, `SELECT COUNT(*)`+consultFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := q.Query(ctx, `SELECT `+consultCols+consultFrom+w.String()+
		` ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, CASE WHEN c.status = 'open' THEN c.due_at ELSE -c.answered_at END, c.id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	out, err := scanConsults(rows)
	return out, total, err
}

// consultationsDue lists up to limit open consultations past their deadline
// at now and not yet escalated, oldest deadline first.
func consultationsDue(ctx context.Context, q store.Q, now int64, limit int) ([]Consultation, error) {
	rows, err := q.Query(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.status = 'open' AND c.escalated_at = 0 AND c.due_at <= ?
		ORDER BY c.due_at, c.id LIMIT ?`, now, limit)
	if err != nil {
		return nil, err
	}
	return scanConsults(rows)
}

func scanConsults(rows *sql.Rows) ([]Consultation, error) {
	defer rows.Close()
	var out []Consultation
	for rows.Next() {
		x, err := scanConsult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *x)
	}
	return out, store.MapErr(rows.Err())
}
