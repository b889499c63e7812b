package notify

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// Notify stores n unless the account already has one with the same dedup
// key; it reports whether a row was added.
func Notify(ctx context.Context, tx *store.Tx, n *Notification) (bool, error) {
	if n.DedupKey == "" {
		n.DedupKey = n.Kind + "|" + n.Link
	}
	res, err := tx.Exec(ctx, `INSERT INTO notifications (user_id, kind, title, body, link, dedup_key, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, dedup_key) DO NOTHING`,
		n.UserID, n.Kind, n.Title, n.Body, n.Link, n.DedupKey, n.CreatedAt)
	if err != nil {
		return false, err
	}
	k, _ := res.RowsAffected()
	return k > 0, nil
}

// NotificationsOf lists an account's notifications, unread first, newest first.
func NotificationsOf(ctx context.Context, q store.Q, userID int64, limit int) ([]Notification, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := q.Query(ctx, `SELECT id, user_id, kind, title, body, link, dedup_key, created_at, read_at FROM notifications
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

// unreadCount counts an account's unread notifications.
func unreadCount(ctx context.Context, q store.Q, userID int64) (int, error) {
	return q.Count(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at = 0`, userID)
}

// markRead marks one (id > 0) or all of an account's notifications read.
func markRead(ctx context.Context, tx *store.Tx, userID, id, at int64) error {
	if id > 0 {
		_, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND id = ? AND read_at = 0`, at, userID, id)
		return err
	}
	_, err := tx.Exec(ctx, `UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at = 0`, at, userID)
	return err
}

// Recipients returns the enabled accounts of a role whose scope contains
// region (for regional roles: their region is region or an ancestor of it),
// or, for the advisor role, the accounts of advisorID.
func Recipients(ctx context.Context, q store.Q, role, region string, advisorID int64) ([]int64, error) {
	var sql string
	var args []any
	if role == counsel.RoleAdvisor {
		sql, args = `SELECT id FROM users WHERE role = ? AND advisor_id = ? AND NOT disabled`, []any{role, advisorID}
	} else {
		var codes []any
		for _, a := range counsel.Ancestors(region) {
			codes = append(codes, a)
		}
		codes = append(codes, region)
		sql = `SELECT id FROM users WHERE role = ? AND NOT disabled AND region_code IN (` + placeholders(len(codes)) + `)`
		args = append([]any{role}, codes...)
	}
	return userIDs(ctx, q, sql+` ORDER BY id`, args...)
}

// UsersAt returns the enabled accounts of a role whose scope is exactly one
// of codes (not an ancestor of them, unlike Recipients).
func UsersAt(ctx context.Context, q store.Q, role string, codes ...string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := []any{role}
	for _, code := range codes {
		args = append(args, code)
	}
	return userIDs(ctx, q, `SELECT id FROM users WHERE role = ? AND NOT disabled AND region_code IN (`+placeholders(len(codes))+`) ORDER BY id`, args...)
}

func userIDs(ctx context.Context, q store.Q, query string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, query, args...)
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

// Notifications returns the actor's notifications (R23), unread first.
func (s *Service) Notifications(ctx context.Context, a *counsel.Actor) ([]Notification, error) {
	if a.UserID == 0 {
		return nil, nil
	}
	return NotificationsOf(ctx, s.DB, a.UserID, 100)
}

// UnreadCount counts the actor's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, a *counsel.Actor) (int, error) {
	if a.UserID == 0 {
		return 0, nil
	}
	return unreadCount(ctx, s.DB, a.UserID)
}

// MarkRead marks one (id > 0) or all of the actor's notifications read.
func (s *Service) MarkRead(ctx context.Context, a *counsel.Actor, id int64) error {
	if a.UserID == 0 {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return markRead(ctx, tx, a.UserID, id, s.Now().UnixMilli()) })
}
