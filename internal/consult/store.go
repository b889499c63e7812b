package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// Online consultations (我要问, R33): a resident's question to a village's
// advisor, its answer, escalation and rating.

// Consultation statuses.
const (
	ConsultOpen     = "open"
	ConsultAnswered = "answered"
)

// Consultation is one question of a resident.
type Consultation struct {
	ID            int64  `json:"id"`
	Ticket        string `json:"ticket"`
	VillageCode   string `json:"village_code"`
	AdvisorID     int64  `json:"advisor_id"`
	Category      string `json:"category"`
	Question      string `json:"question"`
	Name          string `json:"name"`
	Phone         string `json:"phone"`
	NoticeVersion string `json:"notice_version"`
	Status        string `json:"status"`
	DueAt         int64  `json:"due_at"`
	EscalatedAt   int64  `json:"escalated_at"`
	Answer        string `json:"answer"`
	AnsweredBy    int64  `json:"answered_by"`
	AnsweredAt    int64  `json:"answered_at"`
	EntryID       int64  `json:"entry_id"`
	Rating        int    `json:"rating"`
	RatingComment string `json:"rating_comment"`
	RatedAt       int64  `json:"rated_at"`
	CreatedAt     int64  `json:"created_at"`
	UpdatedAt     int64  `json:"updated_at"`

	// Read-only context filled by queries.
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	AdvisorName string `json:"advisor_name"`
}

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
	return &c, mapErr(err)
}

// CreateConsultation inserts a consultation and sets its ID; the caller
// fills every field (ticket, status, deadline, times).
func (tx *Tx) CreateConsultation(ctx context.Context, c *Consultation) error {
	id, err := tx.insert(ctx, `INSERT INTO consultations (ticket, village_code, advisor_id, category, question, name, phone, notice_version, status,
		due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Ticket, c.VillageCode, c.AdvisorID, c.Category, c.Question, c.Name, c.Phone, c.NoticeVersion, c.Status, c.DueAt, c.CreatedAt, c.UpdatedAt)
	c.ID = id
	return err
}

// AnswerConsultation records the answer of an open consultation; false when
// it was answered meanwhile.
func (tx *Tx) AnswerConsultation(ctx context.Context, id int64, answer string, userID, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE consultations SET status = 'answered', answer = ?, answered_by = ?, answered_at = ?, updated_at = ?
		WHERE id = ? AND status = 'open'`, answer, userID, at, at, id))
}

// SetConsultationEntry links an answered consultation to its ledger entry.
func (tx *Tx) SetConsultationEntry(ctx context.Context, id, entryID, at int64) error {
	_, err := tx.exec(ctx, `UPDATE consultations SET entry_id = ?, updated_at = ? WHERE id = ?`, entryID, at, id)
	return err
}

// RateConsultation records the resident's rating of an answered, not yet
// rated consultation; false otherwise.
func (tx *Tx) RateConsultation(ctx context.Context, id int64, rating int, comment string, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE consultations SET rating = ?, rating_comment = ?, rated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'answered' AND rating = 0`, rating, comment, at, at, id))
}

// EscalateConsultation marks an open, not yet escalated consultation
// escalated; false when it was answered or escalated meanwhile.
func (tx *Tx) EscalateConsultation(ctx context.Context, id, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE consultations SET escalated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'open' AND escalated_at = 0`, at, at, id))
}

// Consultation returns one consultation by ID.
func (c *conn) Consultation(ctx context.Context, id int64) (*Consultation, error) {
	return scanConsult(c.row(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.id = ?`, id))
}

// ConsultationByTicket returns one consultation by its ticket.
func (c *conn) ConsultationByTicket(ctx context.Context, ticket string) (*Consultation, error) {
	return scanConsult(c.row(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.ticket = ?`, ticket))
}

// ConsultationsByPhoneSince counts the consultations asked from a phone
// number since a time (unix ms), for the per-phone limit.
func (c *conn) ConsultationsByPhoneSince(ctx context.Context, phone string, since int64) (int, error) {
	return c.count(ctx, `SELECT COUNT(*) FROM consultations WHERE phone = ? AND created_at >= ?`, phone, since)
}

// ConsultFilter narrows a consultation list: Scope is a region subtree,
// AdvisorID an advisor's tickets; Status a status or "overdue" (open past
// its deadline at Now).
type ConsultFilter struct {
	Scope     string
	Village   string
	AdvisorID int64
	Status    string
	Category  string
	Now       int64
	counsel.Page
}

// ConsultOverdue is the status filter value of open consultations past
// their deadline.
const ConsultOverdue = "overdue"

func consultWhere(f ConsultFilter) where {
	var w where
	w.inRange("c.village_code", f.Scope)
	if f.Village != "" {
		w.add("c.village_code = ?", f.Village)
	}
	if f.AdvisorID > 0 {
		w.add("c.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "":
	case ConsultOverdue:
		w.add("c.status = 'open' AND c.due_at <= ?", f.Now)
	default:
		w.add("c.status = ?", f.Status)
	}
	if f.Category != "" {
		w.add("c.category = ?", f.Category)
	}
	return w
}

// Consultations lists the consultations matching f, open ones first and
// oldest deadline first among them, then newest answered, and the total.
func (c *conn) Consultations(ctx context.Context, f ConsultFilter) ([]Consultation, int, error) {
	w := consultWhere(f)
	total, err := c.count(ctx, `SELECT COUNT(*)`+consultFrom+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT `+consultCols+consultFrom+w.String()+
		` ORDER BY CASE WHEN c.status = 'open' THEN 0 ELSE 1 END, CASE WHEN c.status = 'open' THEN c.due_at ELSE -c.answered_at END, c.id DESC LIMIT ? OFFSET ?`,
		append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Consultation
	for rows.Next() {
		x, err := scanConsult(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *x)
	}
	return out, total, mapErr(rows.Err())
}

// ConsultationsDue lists up to limit open consultations past their deadline
// at now and not yet escalated, oldest deadline first.
func (c *conn) ConsultationsDue(ctx context.Context, now int64, limit int) ([]Consultation, error) {
	rows, err := c.query(ctx, `SELECT `+consultCols+consultFrom+` WHERE c.status = 'open' AND c.escalated_at = 0 AND c.due_at <= ?
		ORDER BY c.due_at, c.id LIMIT ?`, now, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Consultation
	for rows.Next() {
		x, err := scanConsult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *x)
	}
	return out, mapErr(rows.Err())
}
