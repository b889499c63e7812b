package major

import (
	"context"
	"database/sql"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// Major-matter reports (R18): the reports, their timeline and each county's
// acknowledgement deadline.

const majorCols = `m.id, m.village_code, m.advisor_id, m.provider_id, m.category, m.title, m.facts, m.occurred_on, m.people, m.suggestion,
	m.status, m.level, m.ack_hours, m.ack_due_at, m.submitted_at, m.acknowledged_at, m.acknowledged_by, m.escalated_at, m.follow_ups,
	m.closed_at, m.closed_by, m.outcome, m.client_key, m.created_by, m.created_at, m.updated_at,
	r.name, COALESCE(t.name, ''), a.name, COALESCE(p.name, '')`

const majorFromSQL = ` FROM major_reports m JOIN regions r ON r.code = m.village_code
	LEFT JOIN regions t ON t.code = r.parent_code
	JOIN advisors a ON a.id = m.advisor_id LEFT JOIN providers p ON p.id = m.provider_id`

func scanMajor(sc interface{ Scan(...any) error }) (*counsel.MajorReport, error) {
	var m counsel.MajorReport
	err := sc.Scan(&m.ID, &m.VillageCode, &m.AdvisorID, &m.ProviderID, &m.Category, &m.Title, &m.Facts, &m.OccurredOn, &m.People, &m.Suggestion,
		&m.Status, &m.Level, &m.AckHours, &m.AckDueAt, &m.SubmittedAt, &m.AcknowledgedAt, &m.AcknowledgedBy, &m.EscalatedAt, &m.FollowUps,
		&m.ClosedAt, &m.ClosedBy, &m.Outcome, &m.ClientKey, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt,
		&m.VillageName, &m.TownName, &m.AdvisorName, &m.ProviderName)
	return &m, store.MapErr(err)
}

// createReport inserts a report and sets its ID; the caller sets the
// times, the status and the deadline.
func createReport(ctx context.Context, tx *store.Tx, m *counsel.MajorReport) error {
	id, err := tx.Insert(ctx, `INSERT INTO major_reports (village_code, advisor_id, provider_id, category, title, facts, occurred_on, people, suggestion,
		status, level, ack_hours, ack_due_at, submitted_at, client_key, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.VillageCode, m.AdvisorID, m.ProviderID, m.Category, m.Title, m.Facts, m.OccurredOn, m.People, m.Suggestion,
		m.Status, m.Level, m.AckHours, m.AckDueAt, m.SubmittedAt, m.ClientKey, m.CreatedBy, m.CreatedAt, m.UpdatedAt)
	m.ID = id
	return err
}

// addEvent appends a step to a report's timeline and sets its ID.
func addEvent(ctx context.Context, tx *store.Tx, e *counsel.MajorEvent) error {
	id, err := tx.Insert(ctx, `INSERT INTO major_events (report_id, kind, level, note, user_id, username, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		e.ReportID, e.Kind, e.Level, e.Note, e.UserID, e.Username, e.At)
	e.ID = id
	return err
}

// acknowledgeReport marks a submitted report acknowledged; it reports
// false when the report was not (or no longer) submitted.
func acknowledgeReport(ctx context.Context, tx *store.Tx, id, userID, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE major_reports SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, updated_at = ?
		WHERE id = ? AND status = 'submitted'`, at, userID, at, id))
}

// followUpReport records a follow-up of an acknowledged or followed-up
// report; false when the report is in neither status.
func followUpReport(ctx context.Context, tx *store.Tx, id, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE major_reports SET status = 'followed_up', follow_ups = follow_ups + 1, updated_at = ?
		WHERE id = ? AND status IN ('acknowledged', 'followed_up')`, at, id))
}

// closeReport closes an acknowledged or followed-up report with its
// outcome; false when the report is in neither status.
func closeReport(ctx context.Context, tx *store.Tx, id int64, outcome string, userID, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE major_reports SET status = 'closed', outcome = ?, closed_at = ?, closed_by = ?, updated_at = ?
		WHERE id = ? AND status IN ('acknowledged', 'followed_up')`, outcome, at, userID, at, id))
}

// escalateReport raises a still-submitted report from level from to
// level to; false when it was acknowledged or escalated meanwhile.
func escalateReport(ctx context.Context, tx *store.Tx, id int64, from, to int, at int64) (bool, error) {
	return store.Changed(tx.Exec(ctx, `UPDATE major_reports SET level = ?, escalated_at = ?, updated_at = ?
		WHERE id = ? AND status = 'submitted' AND level = ?`, to, at, at, id, from))
}

// loadReport returns one report.
func loadReport(ctx context.Context, c store.Q, id int64) (*counsel.MajorReport, error) {
	return scanMajor(c.Row(ctx, `SELECT `+majorCols+majorFromSQL+` WHERE m.id = ?`, id))
}

// reportByClientKey finds the report an account submitted with a
// client key (a retried submission from a phone).
func reportByClientKey(ctx context.Context, c store.Q, userID int64, key string) (*counsel.MajorReport, error) {
	return scanMajor(c.Row(ctx, `SELECT `+majorCols+majorFromSQL+` WHERE m.created_by = ? AND m.client_key = ?`, userID, key))
}

func majorWhere(f Filter) *store.Where {
	w := &store.Where{}
	w.InRange("m.village_code", f.Scope)
	w.InRange("m.village_code", f.Region)
	if f.Village != "" {
		w.Add("m.village_code = ?", f.Village)
	}
	if f.ProviderID > 0 {
		w.Add("m.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("m.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "":
	case Open:
		w.Add("m.status <> 'closed'")
	default:
		w.Add("m.status = ?", f.Status)
	}
	if f.Category != "" {
		w.Add("m.category = ?", f.Category)
	}
	if f.Overdue {
		w.Add("m.status = 'submitted' AND m.ack_due_at <= ?", f.Now)
	}
	if f.Q != "" {
		w.Add(`(m.title LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\' OR a.name LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q), store.Like(f.Q))
	}
	return w
}

// listReports lists the reports matching f, open ones first and newest
// first within each, and the total.
func listReports(ctx context.Context, c store.Q, f Filter) ([]counsel.MajorReport, int, error) {
	w := majorWhere(f)
	total, err := c.Count(ctx, `SELECT COUNT(*)`+majorFromSQL+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.Query(ctx, `SELECT `+majorCols+majorFromSQL+w.String()+
		` ORDER BY CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END, m.submitted_at DESC, m.id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), p.Limit, p.Offset)...)
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
	return out, total, store.MapErr(rows.Err())
}

// listEvents returns a report's timeline, oldest first.
func listEvents(ctx context.Context, c store.Q, reportID int64) ([]counsel.MajorEvent, error) {
	rows, err := c.Query(ctx, `SELECT e.id, e.report_id, e.kind, e.level, e.note, e.user_id, e.username, e.at, COALESCE(u.display_name, '')
		FROM major_events e LEFT JOIN users u ON u.id = e.user_id WHERE e.report_id = ? ORDER BY e.at, e.id`, reportID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.MajorEvent
	for rows.Next() {
		var e counsel.MajorEvent
		if err := rows.Scan(&e.ID, &e.ReportID, &e.Kind, &e.Level, &e.Note, &e.UserID, &e.Username, &e.At, &e.UserName); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, e)
	}
	return out, store.MapErr(rows.Err())
}

// awaiting lists up to limit reports still waiting for acknowledgement
// past their deadline at now and not yet at level maxLevel, oldest first.
func awaiting(ctx context.Context, c store.Q, now int64, maxLevel, limit int) ([]counsel.MajorReport, error) {
	rows, err := c.Query(ctx, `SELECT `+majorCols+majorFromSQL+` WHERE m.status = 'submitted' AND m.ack_due_at <= ? AND m.level < ?
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
	return out, store.MapErr(rows.Err())
}

// ackHours returns a county's acknowledgement deadline in hours and
// whether the county set one.
func ackHours(ctx context.Context, c store.Q, county string) (int, bool, error) {
	var h int
	err := c.Row(ctx, `SELECT ack_hours FROM major_settings WHERE region_code = ?`, county).Scan(&h)
	if err == sql.ErrNoRows {
		return counsel.DefaultMajorAckHours, false, nil
	}
	if err != nil {
		return 0, false, store.MapErr(err)
	}
	return h, true, nil
}

// saveAckHours sets a county's acknowledgement deadline.
func saveAckHours(ctx context.Context, tx *store.Tx, county string, hours int, at int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO major_settings (region_code, ack_hours, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET ack_hours = excluded.ack_hours, updated_at = excluded.updated_at`, county, hours, at)
	return err
}

// accountsAt returns the enabled accounts of a role whose scope is exactly
// region (not an ancestor of it): whom a report escalated to that level
// notifies.
func accountsAt(ctx context.Context, c store.Q, role, region string) ([]int64, error) {
	rows, err := c.Query(ctx, `SELECT id FROM users WHERE role = ? AND region_code = ? AND NOT disabled ORDER BY id`, role, region)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, id)
	}
	return out, store.MapErr(rows.Err())
}
