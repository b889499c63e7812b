package store

import (
	"context"
	"database/sql"

	"github.com/villagecounsel/counsel"
)

// Major-matter reports (R18): the reports, their timeline and each county's
// acknowledgement deadline.

const majorCols = `m.id, m.village_code, m.advisor_id, m.provider_id, m.category, m.title, m.facts, m.occurred_on, m.people, m.suggestion,
	m.status, m.level, m.ack_hours, m.ack_due_at, m.submitted_at, m.acknowledged_at, m.acknowledged_by, m.escalated_at, m.follow_ups,
	m.closed_at, m.closed_by, m.outcome, m.client_key, m.created_by, m.created_at, m.updated_at,
	r.name, COALESCE(t.name, ''), a.name, COALESCE(p.name, '')`

const majorFrom = ` FROM major_reports m JOIN regions r ON r.code = m.village_code
	LEFT JOIN regions t ON t.code = r.parent_code
	JOIN advisors a ON a.id = m.advisor_id LEFT JOIN providers p ON p.id = m.provider_id`

func scanMajor(sc interface{ Scan(...any) error }) (*counsel.MajorReport, error) {
	var m counsel.MajorReport
	err := sc.Scan(&m.ID, &m.VillageCode, &m.AdvisorID, &m.ProviderID, &m.Category, &m.Title, &m.Facts, &m.OccurredOn, &m.People, &m.Suggestion,
		&m.Status, &m.Level, &m.AckHours, &m.AckDueAt, &m.SubmittedAt, &m.AcknowledgedAt, &m.AcknowledgedBy, &m.EscalatedAt, &m.FollowUps,
		&m.ClosedAt, &m.ClosedBy, &m.Outcome, &m.ClientKey, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt,
		&m.VillageName, &m.TownName, &m.AdvisorName, &m.ProviderName)
	return &m, mapErr(err)
}

// CreateMajorReport inserts a report and sets its ID; the caller sets the
// times, the status and the deadline.
func (tx *Tx) CreateMajorReport(ctx context.Context, m *counsel.MajorReport) error {
	id, err := tx.insert(ctx, `INSERT INTO major_reports (village_code, advisor_id, provider_id, category, title, facts, occurred_on, people, suggestion,
		status, level, ack_hours, ack_due_at, submitted_at, client_key, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.VillageCode, m.AdvisorID, m.ProviderID, m.Category, m.Title, m.Facts, m.OccurredOn, m.People, m.Suggestion,
		m.Status, m.Level, m.AckHours, m.AckDueAt, m.SubmittedAt, m.ClientKey, m.CreatedBy, m.CreatedAt, m.UpdatedAt)
	m.ID = id
	return err
}

// AddMajorEvent appends a step to a report's timeline and sets its ID.
func (tx *Tx) AddMajorEvent(ctx context.Context, e *counsel.MajorEvent) error {
	id, err := tx.insert(ctx, `INSERT INTO major_events (report_id, kind, level, note, user_id, username, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.ReportID, e.Kind, e.Level, e.Note, e.UserID, e.Username, e.At)
	e.ID = id
	return err
}

// majorChanged reports whether an UPDATE touched a row.
func majorChanged(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// AcknowledgeMajorReport marks a submitted report acknowledged; it reports
// false when the report was not (or no longer) submitted.
func (tx *Tx) AcknowledgeMajorReport(ctx context.Context, id, userID, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE major_reports SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ?
		WHERE id = ? AND status = 'submitted'`, at, userID, at, id))
}

// FollowUpMajorReport records a follow-up of an acknowledged or followed-up
// report; false when the report is in neither status.
func (tx *Tx) FollowUpMajorReport(ctx context.Context, id, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE major_reports SET status = 'followed_up', follow_ups = follow_ups + 1, updated_at = ?
		WHERE id = ? AND status IN ('acknowledged', 'followed_up')`, at, id))
}

// CloseMajorReport closes an acknowledged or followed-up report with its
// outcome; false when the report is in neither status.
func (tx *Tx) CloseMajorReport(ctx context.Context, id int64, outcome string, userID, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE major_reports SET status = 'closed', outcome = ?, closed_at = ?, closed_by = ?, updated_at = ?
		WHERE id = ? AND status IN ('acknowledged', 'followed_up')`, outcome, at, userID, at, id))
}

// EscalateMajorReport raises a still-submitted report from level from to
// level to; false when it was acknowledged or escalated meanwhile.
func (tx *Tx) EscalateMajorReport(ctx context.Context, id int64, from, to int, at int64) (bool, error) {
	return majorChanged(tx.exec(ctx, `UPDATE major_reports SET level = ?, escalated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'submitted' AND level = ?`, to, at, at, id, from))
}

// MajorReport returns one report.
func (c *conn) MajorReport(ctx context.Context, id int64) (*counsel.MajorReport, error) {
	return scanMajor(c.row(ctx, `SELECT `+majorCols+majorFrom+` WHERE m.id = ?`, id))
}

// MajorReportByClientKey finds the report an account submitted with a
// client key (a retried submission from a phone).
func (c *conn) MajorReportByClientKey(ctx context.Context, userID int64, key string) (*counsel.MajorReport, error) {
	return scanMajor(c.row(ctx, `SELECT `+majorCols+majorFrom+` WHERE m.created_by = ? AND m.client_key = ?`, userID, key))
}

// MajorFilter narrows a report list. Scope is a region subtree; ProviderID
// and AdvisorID narrow to a provider's or an advisor's reports. Status may
// be a status or "open" (not closed). Overdue keeps the reports submitted
// and past their deadline at Now (unix ms).
type MajorFilter struct {
	Scope      string
	Region     string // an extra subtree chosen by the user
	Village    string
	ProviderID int64
	AdvisorID  int64
	Status     string
	Category   string
	Overdue    bool
	Now        int64
	Q          string
	counsel.Page
}

// MajorOpen is the status filter value for reports not closed.
const MajorOpen = "open"

func majorWhere(f MajorFilter) where {
	var w where
	w.inRange("m.village_code", f.Scope)
	w.inRange("m.village_code", f.Region)
	if f.Village != "" {
		w.add("m.village_code = ?", f.Village)
	}
	if f.ProviderID > 0 {
		w.add("m.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.add("m.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "":
	case MajorOpen:
		w.add("m.status <> 'closed'")
	default:
		w.add("m.status = ?", f.Status)
	}
	if f.Category != "" {
		w.add("m.category = ?", f.Category)
	}
	if f.Overdue {
		w.add("m.status = 'submitted' AND m.ack_due_at <= ?", f.Now)
	}
	if f.Q != "" {
		w.add(`(m.title LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q), like(f.Q))
	}
	return w
}

// MajorReports lists the reports matching f, open ones first and newest
// first within each, and the total.
func (c *conn) MajorReports(ctx context.Context, f MajorFilter) ([]counsel.MajorReport, int, error) {
	w := majorWhere(f)
	total, err := c.count(ctx, `SELECT COUNT(*)`+majorFrom+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT `+majorCols+majorFrom+w.String()+
		` ORDER BY CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END, m.submitted_at DESC, m.id DESC LIMIT ? OFFSET ?`,
		append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.MajorReport
	for rows.Next() {
		m, err := scanMajor(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *m)
	}
	return out, total, mapErr(rows.Err())
}

// MajorEvents returns a report's timeline, oldest first.
func (c *conn) MajorEvents(ctx context.Context, reportID int64) ([]counsel.MajorEvent, error) {
	rows, err := c.query(ctx, `SELECT e.id, e.report_id, e.kind, e.level, e.note, e.user_id, e.username, e.at, COALESCE(u.display_name, '')
		FROM major_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.report_id = ? ORDER BY e.at, e.id`, reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.MajorEvent
	for rows.Next() {
		var e counsel.MajorEvent
		if err := rows.Scan(&e.ID, &e.ReportID, &e.Kind, &e.Level, &e.Note, &e.UserID, &e.Username, &e.At, &e.UserName); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}

// MajorAwaiting lists up to limit reports still waiting for acknowledgement
// past their deadline at now and not yet at level maxLevel, oldest first.
func (c *conn) MajorAwaiting(ctx context.Context, now int64, maxLevel, limit int) ([]counsel.MajorReport, error) {
	rows, err := c.query(ctx, `SELECT `+majorCols+majorFrom+` WHERE m.status = 'submitted' AND m.ack_due_at <= ? AND m.level < ?
		ORDER BY m.ack_due_at, m.id LIMIT ?`, now, maxLevel, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.MajorReport
	for rows.Next() {
		m, err := scanMajor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, mapErr(rows.Err())
}

// MajorAckHours returns a county's acknowledgement deadline in hours and
// whether the county set one.
func (c *conn) MajorAckHours(ctx context.Context, county string) (int, bool, error) {
	var h int
	err := c.row(ctx, `SELECT ack_hours FROM major_settings WHERE region_code = ?`, county).Scan(&h)
	if err == sql.ErrNoRows {
		return counsel.DefaultMajorAckHours, false, nil
	}
	if err != nil {
		return 0, false, mapErr(err)
	}
	return h, true, nil
}

// SaveMajorAckHours sets a county's acknowledgement deadline.
func (tx *Tx) SaveMajorAckHours(ctx context.Context, county string, hours int, at int64) error {
	_, err := tx.exec(ctx, `INSERT INTO major_settings (region_code, ack_hours, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET ack_hours = excluded.ack_hours, updated_at = excluded.updated_at`, county, hours, at)
	return err
}

// MajorAccountsAt returns the enabled accounts of a role whose scope is exactly
// region (not an ancestor of it): whom a report escalated to that level
// notifies.
func (c *conn) MajorAccountsAt(ctx context.Context, role, region string) ([]int64, error) {
	rows, err := c.query(ctx, `SELECT id FROM users WHERE role = ? AND region_code = ? AND NOT disabled ORDER BY id`, role, region)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, id)
	}
	return out, mapErr(rows.Err())
}
