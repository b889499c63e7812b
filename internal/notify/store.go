package notify

import (
	"context"
	"database/sql"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The SQL of channels and the outbox, over store.Q (the read pool or a
// transaction).

const channelCols = `id, region_code, kind, name, url, secret, events, roles, enabled, created_at, updated_at`

func scanChannel(sc interface{ Scan(...any) error }) (*OutboxChannel, error) {
	var c OutboxChannel
	err := sc.Scan(&c.ID, &c.RegionCode, &c.Kind, &c.Name, &c.URL, &c.Secret, &c.Events, &c.Roles, &c.Enabled, &c.CreatedAt, &c.UpdatedAt)
	return &c, store.MapErr(err)
}

// createChannel stores a new channel and sets its ID.
func createChannel(ctx context.Context, tx *store.Tx, c *OutboxChannel) error {
	id, err := tx.Insert(ctx, `INSERT INTO outbox_channels (region_code, kind, name, url, secret, events, roles, enabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.RegionCode, c.Kind, c.Name, c.URL, c.Secret, c.Events, c.Roles, c.Enabled, c.CreatedAt, c.UpdatedAt)
	c.ID = id
	return err
}

// updateChannel stores a channel's name, URL, secret, events, roles and
// enabled flag (its region and kind never change).
func updateChannel(ctx context.Context, tx *store.Tx, c *OutboxChannel) error {
	res, err := tx.Exec(ctx, `UPDATE outbox_channels SET name = ?, url = ?, secret = ?, events = ?, roles = ?, enabled = ?, updated_at = ? WHERE id = ?`,
		c.Name, c.URL, c.Secret, c.Events, c.Roles, c.Enabled, c.UpdatedAt, c.ID)
	return affected(res, err)
}

// deleteChannel removes a channel; its messages stay in the outbox.
func deleteChannel(ctx context.Context, tx *store.Tx, id int64) error {
	res, err := tx.Exec(ctx, `DELETE FROM outbox_channels WHERE id = ?`, id)
	return affected(res, err)
}

// affected turns "no row changed" into not found.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return store.MapErr(sql.ErrNoRows)
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// ChannelByID returns one channel.
func ChannelByID(ctx context.Context, q store.Q, id int64) (*OutboxChannel, error) {
	return scanChannel(q.Row(ctx, `SELECT `+channelCols+` FROM outbox_channels WHERE id = ?`, id))
}

// ChannelsAt returns the channels of the given jurisdictions, ordered by
// region (top first), kind and id.
func ChannelsAt(ctx context.Context, q store.Q, regions ...string) ([]OutboxChannel, error) {
	if len(regions) == 0 {
		return nil, nil
	}
	args := make([]any, len(regions))
	for i, r := range regions {
		args[i] = r
	}
	rows, err := q.Query(ctx, `SELECT `+channelCols+` FROM outbox_channels WHERE region_code IN (`+placeholders(len(args))+`) ORDER BY region_code, kind, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxChannel
	for rows.Next() {
		ch, err := scanChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *ch)
	}
	return out, store.MapErr(rows.Err())
}

const outboxCols = `id, channel_id, channel_kind, region_code, event, title, body, link, dedup_key, status, attempts, next_at, locked_until, last_error, created_at, sent_at, dead_at, updated_at`

func scanOutbox(sc interface{ Scan(...any) error }) (*OutboxMessage, error) {
	var m OutboxMessage
	err := sc.Scan(&m.ID, &m.ChannelID, &m.ChannelKind, &m.RegionCode, &m.Event, &m.Title, &m.Body, &m.Link, &m.DedupKey, &m.Status,
		&m.Attempts, &m.NextAt, &m.LockedUntil, &m.LastError, &m.CreatedAt, &m.SentAt, &m.DeadAt, &m.UpdatedAt)
	return &m, store.MapErr(err)
}

// EnqueueOutbox stores a pending message unless its channel already has one
// with the same dedup key; it reports whether a row was added (and sets ID).
func EnqueueOutbox(ctx context.Context, tx *store.Tx, m *OutboxMessage) (bool, error) {
	if m.Status == "" {
		m.Status = OutboxPending
	}
	var id int64
	err := tx.Row(ctx, `INSERT INTO outbox (channel_id, channel_kind, region_code, event, title, body, link, dedup_key, status, attempts, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (channel_id, dedup_key) DO NOTHING RETURNING id`,
		m.ChannelID, m.ChannelKind, m.RegionCode, m.Event, m.Title, m.Body, m.Link, m.DedupKey, m.Status, m.NextAt, m.CreatedAt, m.CreatedAt).Scan(&id)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, store.MapErr(err)
	}
	m.ID = id
	return true, nil
}

// dueCond selects messages a worker may take at time ?: pending and due, or
// claimed by a worker whose lease ran out (it died mid-send).
const dueCond = `((status = 'pending' AND next_at <= ?) OR (status = 'sending' AND locked_until <= ?))`

// dueOutbox lists up to limit messages due at now, oldest due first.
func dueOutbox(ctx context.Context, q store.Q, now int64, limit int) ([]OutboxMessage, error) {
	return outboxList(ctx, q, `SELECT `+outboxCols+` FROM outbox WHERE `+dueCond+` ORDER BY next_at, id LIMIT ?`, now, now, limit)
}

// nextOutboxAt returns when the earliest pending message falls due (0 when
// none is pending).
func nextOutboxAt(ctx context.Context, q store.Q) (int64, error) {
	var at sql.NullInt64
	err := q.Row(ctx, `SELECT MIN(next_at) FROM outbox WHERE status = 'pending'`).Scan(&at)
	return at.Int64, store.MapErr(err)
}

// claimOutbox marks a due message as being sent until leaseUntil; it reports
// false when another worker took it first.
func claimOutbox(ctx context.Context, tx *store.Tx, id, now, leaseUntil int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE outbox SET status = 'sending', locked_until = ?, updated_at = ? WHERE id = ? AND `+dueCond,
		leaseUntil, now, id, now, now)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// outboxSent records a delivered message.
func outboxSent(ctx context.Context, tx *store.Tx, id int64, attempts int, at int64) error {
	res, err := tx.Exec(ctx, `UPDATE outbox SET status = 'sent', attempts = ?, sent_at = ?, locked_until = 0, last_error = '', updated_at = ? WHERE id = ?`,
		attempts, at, at, id)
	return affected(res, err)
}

// OutboxFailed records a failed attempt: the message is tried again at
// nextAt, or, when dead, kept as a dead letter.
func OutboxFailed(ctx context.Context, tx *store.Tx, id int64, attempts int, nextAt int64, dead bool, lastError string, at int64) error {
	status, deadAt := OutboxPending, int64(0)
	if dead {
		status, deadAt = OutboxDead, at
	}
	res, err := tx.Exec(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_at = ?, dead_at = ?, locked_until = 0, last_error = ?, updated_at = ? WHERE id = ?`,
		status, attempts, nextAt, deadAt, lastError, at, id)
	return affected(res, err)
}

// retryOutbox puts a dead (or pending) message back in the queue, due at
// now, with its attempts counted afresh; it reports false for a message that
// is being sent or was sent.
func retryOutbox(ctx context.Context, tx *store.Tx, id, now int64) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?, dead_at = 0, locked_until = 0, updated_at = ?
		WHERE id = ? AND status IN ('dead', 'pending')`, now, now, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// MessageByID returns one outbox message.
func MessageByID(ctx context.Context, q store.Q, id int64) (*OutboxMessage, error) {
	return scanOutbox(q.Row(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = ?`, id))
}

// OutboxFilter narrows the outbox list: Scope (a region subtree, "" = all),
// Status ("" = all), ChannelID (0 = all).
type OutboxFilter struct {
	Scope     string
	Status    string
	ChannelID int64
	Limit     int
	Offset    int
}

// OutboxMessages lists messages matching f, newest first, and the total.
func OutboxMessages(ctx context.Context, q store.Q, f OutboxFilter) ([]OutboxMessage, int, error) {
	var w store.Where
	w.InRange("region_code", f.Scope)
	if f.Status != "" {
		w.Add("status = ?", f.Status)
	}
	if f.ChannelID > 0 {
		w.Add("channel_id = ?", f.ChannelID)
	}
	total, err := q.Count(ctx, `SELECT COUNT(*) FROM outbox`+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	out, err := outboxList(ctx, q, `SELECT `+outboxCols+` FROM outbox`+w.String()+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(w.Args(), f.Limit, max(0, f.Offset))...)
	return out, total, err
}

// outboxCounts counts the messages of a scope by status.
func outboxCounts(ctx context.Context, q store.Q, scope string) (map[string]int, error) {
	var w store.Where
	w.InRange("region_code", scope)
	rows, err := q.Query(ctx, `SELECT status, COUNT(*) FROM outbox`+w.String()+` GROUP BY status`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, store.MapErr(err)
		}
		out[s] = n
	}
	return out, store.MapErr(rows.Err())
}

func outboxList(ctx context.Context, q store.Q, query string, args ...any) ([]OutboxMessage, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, store.MapErr(rows.Err())
}

// SplitList splits a comma- or space-separated list, dropping empty items.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' })
}

// outboxSentSince counts the messages a channel delivered after since
// (robots accept about 20 a minute).
func outboxSentSince(ctx context.Context, q store.Q, channelID, since int64) (int, error) {
	return q.Count(ctx, `SELECT COUNT(*) FROM outbox WHERE channel_id = ? AND status = 'sent' AND sent_at > ?`, channelID, since)
}

// deferOutbox releases a claimed message untried, due again at nextAt.
func deferOutbox(ctx context.Context, tx *store.Tx, id, nextAt, at int64) error {
	res, err := tx.Exec(ctx, `UPDATE outbox SET status = 'pending', next_at = ?, locked_until = 0, updated_at = ? WHERE id = ?`, nextAt, at, id)
	return affected(res, err)
}

// region reads a region of the reference table (its name and place in the
// tree; the registry owns the table).
func regionOf(ctx context.Context, q store.Q, code string) (*counsel.Region, error) {
	var r counsel.Region
	err := q.Row(ctx, `SELECT code, name, level, parent_code, kind, underdeveloped, remote FROM regions WHERE code = ?`, code).
		Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Kind, &r.Underdeveloped, &r.Remote)
	return &r, store.MapErr(err)
}
