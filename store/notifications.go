package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// Notification is an in-app message to one account (R23).
type Notification struct {
	ID        int64  `json:"id"`
	UserID    int64  `json:"user_id"`
	Kind      string `json:"kind"`  // due_soon, overdue, awaiting_confirmation, major_report, …
	Title     string `json:"title"` // zh text as shown
	Body      string `json:"body"`
	Link      string `json:"link"`
	DedupKey  string `json:"-"`
	CreatedAt int64  `json:"created_at"`
	ReadAt    int64  `json:"read_at"`
}

// Notify stores n unless the account already has one with the same dedup
// key; it reports whether a row was added.
func (tx *Tx) Notify(ctx context.Context, n *Notification) (bool, error) {
	if n.DedupKey == "" {
		n.DedupKey = n.Kind + "|" + n.Link
	}
	res, err := tx.exec(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, dedup_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedup_key) DO NOTHING`,
		n.UserID, n.Kind, n.Title, n.Body, n.Link, n.DedupKey, n.CreatedAt)
	if err != nil {
		return false, err
	}
	k, _ := res.RowsAffected()
	return k > 0, nil
}

// Notifications lists an account's notifications, unread first, newest first.
func (c *conn) Notifications(ctx context.Context, userID int64, limit int) ([]Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := c.query(ctx, `SELECT id, user_id, kind, title, body, link, dedup_key, created_at, read_at FROM notifications
		WHERE user_id = ? ORDER BY (CASE WHEN read_at = 0 THEN 0 ELSE 1 END), created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notification
	for rows.Next() {
		var n Notification
		if err := rows.Scan(&n.ID, &n.UserID, &n.Kind, &n.Title, &n.Body, &n.Link, &n.DedupKey, &n.CreatedAt, &n.ReadAt); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UnreadCount counts an account's unread notifications.
func (c *conn) UnreadCount(ctx context.Context, userID int64) (int, error) {
	return c.count(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, userID)
}

// MarkRead marks one (id > 0) or all of an account's notifications read.
func (tx *Tx) MarkRead(ctx context.Context, userID, id, at int64) error {
	if id > 0 {
		_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at = 0`, at, userID, id)
		return err
	}
	_, err := tx.exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`, at, userID)
	return err
}

// Recipients returns the enabled accounts of a role whose scope contains
// region (for regional roles: their region is region or an ancestor of it),
// or, for the advisor role, the accounts of advisorID.
func (c *conn) Recipients(ctx context.Context, role, region string, advisorID int64) ([]int64, error) {
	var q string
	var args []any
	if role == counsel.RoleAdvisor {
		q, args = `SELECT id FROM users WHERE role = ? AND advisor_id = ? AND NOT disabled`, []any{role, advisorID}
	} else {
		var codes []any
		for _, a := range counsel.Ancestors(region) {
			codes = append(codes, a)
		}
		codes = append(codes, region)
		q = `SELECT id FROM users WHERE role = ? AND NOT disabled AND region_code IN (` + placeholders(len(codes)) + `)`
		args = append([]any{role}, codes...)
	}
	rows, err := c.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

func placeholders(n int) string {
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}
