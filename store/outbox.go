package store

import (
	"context"
	"database/sql"
	"strings"
)

// AfterCommit registers fn to run once tx has committed (never when it rolls
// back). Under Group a call whose savepoint was rolled back still runs its
// functions when the shared transaction commits, so fn must be a hint (like
// waking a worker that then reads the database), never an effect of its own.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// Channel kinds.
const (
	ChannelInApp    = "inapp"
	ChannelWeCom    = "wecom"
	ChannelDingTalk = "dingtalk"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
)

// OutboxChannel is a notification channel of a jurisdiction. URL and Secret
// are secrets: they never leave the service whole (see service.ChannelView).
type OutboxChannel struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	URL        string `json:"-"`
	Secret     string `json:"-"`
	Events     string `json:"events"` // comma-separated event kinds, "" = all
	Roles      string `json:"roles"`  // in-app: space-separated roles notified
	Enabled    bool   `json:"enabled"`
	CreatedAt  int64  `json:"created_at"`
	UpdatedAt  int64  `json:"updated_at"`
}

const channelCols = `id, region_code, kind, name, url, secret, events, roles, enabled, created_at, updated_at`

func scanChannel(sc interface{ Scan(...any) error }) (*OutboxChannel, error) {
	var c OutboxChannel
	err := sc.Scan(&c.ID, &c.RegionCode, &c.Kind, &c.Name, &c.URL, &c.Secret, &c.Events, &c.Roles, &c.Enabled, &c.CreatedAt, &c.UpdatedAt)
	return &c, mapErr(err)
}

// CreateChannel stores a new channel and sets its ID.
func (tx *Tx) CreateChannel(ctx context.Context, c *OutboxChannel) error {
	id, err := tx.insert(ctx, `INSERT INTO outbox_channels (region_code, kind, name, url, secret, events, roles, enabled, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.RegionCode, c.Kind, c.Name, c.URL, c.Secret, c.Events, c.Roles, c.Enabled, c.CreatedAt, c.UpdatedAt)
	c.ID = id
	return err
}

// UpdateChannel stores a channel's name, URL, secret, events, roles and
// enabled flag (its region and kind never change).
func (tx *Tx) UpdateChannel(ctx context.Context, c *OutboxChannel) error {
	res, err := tx.exec(ctx, `UPDATE outbox_channels SET name = ?, url = ?, secret = ?, events = ?, roles = ?, enabled = ?, updated_at = ? WHERE id = ?`,
		c.Name, c.URL, c.Secret, c.Events, c.Roles, c.Enabled, c.UpdatedAt, c.ID)
	return affected(res, err)
}

// DeleteChannel removes a channel; its messages stay in the outbox.
func (tx *Tx) DeleteChannel(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM outbox_channels WHERE id = ?`, id)
	return affected(res, err)
}

// affected turns "no row changed" into not found.
func affected(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return mapErr(sql.ErrNoRows)
	}
	return nil
}

// Channel returns one channel.
func (c *conn) Channel(ctx context.Context, id int64) (*OutboxChannel, error) {
	return scanChannel(c.row(ctx, `SELECT `+channelCols+` FROM outbox_channels WHERE id = ?`, id))
}

// Channels returns the channels of the given jurisdictions, ordered by
// region (top first), kind and id.
func (c *conn) Channels(ctx context.Context, regions ...string) ([]OutboxChannel, error) {
	if len(regions) == 0 {
		return nil, nil
	}
	args := make([]any, len(regions))
	for i, r := range regions {
		args[i] = r
	}
	rows, err := c.query(ctx, `SELECT `+channelCols+` FROM outbox_channels WHERE region_code IN (`+placeholders(len(args))+`) ORDER BY region_code, kind, id`, args...)
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
	return out, mapErr(rows.Err())
}

// OutboxMessage is one message for one robot channel.
type OutboxMessage struct {
	ID          int64  `json:"id"`
	ChannelID   int64  `json:"channel_id"`
	ChannelKind string `json:"channel_kind"`
	RegionCode  string `json:"region_code"`
	Event       string `json:"event"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	Link        string `json:"link"`
	DedupKey    string `json:"-"`
	Status      string `json:"status"`
	Attempts    int    `json:"attempts"`
	NextAt      int64  `json:"next_at"`
	LockedUntil int64  `json:"-"`
	LastError   string `json:"last_error"`
	CreatedAt   int64  `json:"created_at"`
	SentAt      int64  `json:"sent_at"`
	DeadAt      int64  `json:"dead_at"`
	UpdatedAt   int64  `json:"updated_at"`
}

const outboxCols = `id, channel_id, channel_kind, region_code, event, title, body, link, dedup_key, status, attempts, next_at, locked_until, last_error, created_at, sent_at, dead_at, updated_at`

func scanOutbox(sc interface{ Scan(...any) error }) (*OutboxMessage, error) {
	var m OutboxMessage
	err := sc.Scan(&m.ID, &m.ChannelID, &m.ChannelKind, &m.RegionCode, &m.Event, &m.Title, &m.Body, &m.Link, &m.DedupKey, &m.Status,
		&m.Attempts, &m.NextAt, &m.LockedUntil, &m.LastError, &m.CreatedAt, &m.SentAt, &m.DeadAt, &m.UpdatedAt)
	return &m, mapErr(err)
}

// EnqueueOutbox stores a pending message unless its channel already has one
// with the same dedup key; it reports whether a row was added (and sets ID).
func (tx *Tx) EnqueueOutbox(ctx context.Context, m *OutboxMessage) (bool, error) {
	if m.Status == "" {
		m.Status = OutboxPending
	}
	var id int64
	err := tx.row(ctx, `INSERT INTO outbox (channel_id, channel_kind, region_code, event, title, body, link, dedup_key, status, attempts, next_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (channel_id, dedup_key) DO NOTHING RETURNING id`,
		m.ChannelID, m.ChannelKind, m.RegionCode, m.Event, m.Title, m.Body, m.Link, m.DedupKey, m.Status, m.NextAt, m.CreatedAt, m.CreatedAt).Scan(&id)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	m.ID = id
	return true, nil
}

// dueCond selects messages a worker may take at time ?: pending and due, or
// claimed by a worker whose lease ran out (it died mid-send).
const dueCond = `((status = 'pending' AND next_at <= ?) OR (status = 'sending' AND locked_until <= ?))`

// DueOutbox lists up to limit messages due at now, oldest due first.
func (c *conn) DueOutbox(ctx context.Context, now int64, limit int) ([]OutboxMessage, error) {
	return c.outboxList(ctx, `SELECT `+outboxCols+` FROM outbox WHERE `+dueCond+` ORDER BY next_at, id LIMIT ?`, now, now, limit)
}

// NextOutboxAt returns when the earliest pending message falls due (0 when
// none is pending).
func (c *conn) NextOutboxAt(ctx context.Context) (int64, error) {
	var at sql.NullInt64
	err := c.row(ctx, `SELECT MIN(next_at) FROM outbox WHERE status = 'pending'`).Scan(&at)
	return at.Int64, mapErr(err)
}

// ClaimOutbox marks a due message as being sent until leaseUntil; it reports
// false when another worker took it first.
func (tx *Tx) ClaimOutbox(ctx context.Context, id, now, leaseUntil int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE outbox SET status = 'sending', locked_until = ?, updated_at = ? WHERE id = ? AND `+dueCond,
		leaseUntil, now, id, now, now)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// OutboxSent records a delivered message.
func (tx *Tx) OutboxSent(ctx context.Context, id int64, attempts int, at int64) error {
	res, err := tx.exec(ctx, `UPDATE outbox SET status = 'sent', attempts = ?, sent_at = ?, locked_until = 0, last_error = '', updated_at = ? WHERE id = ?`,
		attempts, at, at, id)
	return affected(res, err)
}

// OutboxFailed records a failed attempt: the message is tried again at
// nextAt, or, when dead, kept as a dead letter.
func (tx *Tx) OutboxFailed(ctx context.Context, id int64, attempts int, nextAt int64, dead bool, lastError string, at int64) error {
	status, deadAt := OutboxPending, int64(0)
	if dead {
		status, deadAt = OutboxDead, at
	}
	res, err := tx.exec(ctx, `UPDATE outbox SET status = ?, attempts = ?, next_at = ?, dead_at = ?, locked_until = 0, last_error = ?, updated_at = ? WHERE id = ?`,
		status, attempts, nextAt, deadAt, lastError, at, id)
	return affected(res, err)
}

// RetryOutbox puts a dead (or pending) message back in the queue, due at
// now, with its attempts counted afresh; it reports false for a message that
// is being sent or was sent.
func (tx *Tx) RetryOutbox(ctx context.Context, id, now int64) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE outbox SET status = 'pending', attempts = 0, next_at = ?, dead_at = 0, locked_until = 0, updated_at = ?
		WHERE id = ? AND status IN ('dead', 'pending')`, now, now, id)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// OutboxMessage returns one message.
func (c *conn) OutboxMessage(ctx context.Context, id int64) (*OutboxMessage, error) {
	return scanOutbox(c.row(ctx, `SELECT `+outboxCols+` FROM outbox WHERE id = ?`, id))
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
func (c *conn) OutboxMessages(ctx context.Context, f OutboxFilter) ([]OutboxMessage, int, error) {
	var w where
	w.inRange("region_code", f.Scope)
	if f.Status != "" {
		w.add("status = ?", f.Status)
	}
	if f.ChannelID > 0 {
		w.add("channel_id = ?", f.ChannelID)
	}
	total, err := c.count(ctx, `SELECT COUNT(*) FROM outbox`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	out, err := c.outboxList(ctx, `SELECT `+outboxCols+` FROM outbox`+w.String()+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
		append(w.args, f.Limit, max(0, f.Offset))...)
	return out, total, err
}

// OutboxCounts counts the messages of a scope by status.
func (c *conn) OutboxCounts(ctx context.Context, scope string) (map[string]int, error) {
	var w where
	w.inRange("region_code", scope)
	rows, err := c.query(ctx, `SELECT status, COUNT(*) FROM outbox`+w.String()+` GROUP BY status`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, mapErr(err)
		}
		out[s] = n
	}
	return out, mapErr(rows.Err())
}

func (c *conn) outboxList(ctx context.Context, q string, args ...any) ([]OutboxMessage, error) {
	rows, err := c.query(ctx, q, args...)
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
	return out, mapErr(rows.Err())
}

// SplitList splits a comma- or space-separated list, dropping empty items.
func SplitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '，' })
}

// UsersAt returns the enabled accounts of a role whose scope is exactly one
// of codes (not an ancestor of them, unlike Recipients).
func (c *conn) UsersAt(ctx context.Context, role string, codes ...string) ([]int64, error) {
	if len(codes) == 0 {
		return nil, nil
	}
	args := []any{role}
	for _, code := range codes {
		args = append(args, code)
	}
	rows, err := c.query(ctx, `SELECT id FROM users WHERE role = ? AND NOT disabled AND region_code IN (`+placeholders(len(codes))+`) ORDER BY id`, args...)
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

// OutboxSentSince counts the messages a channel delivered after since
// (robots accept about 20 a minute).
func (c *conn) OutboxSentSince(ctx context.Context, channelID, since int64) (int, error) {
	return c.count(ctx, `SELECT COUNT(*) FROM outbox WHERE channel_id = ? AND status = 'sent' AND sent_at > ?`, channelID, since)
}

// DeferOutbox releases a claimed message untried, due again at nextAt.
func (tx *Tx) DeferOutbox(ctx context.Context, id, nextAt, at int64) error {
	res, err := tx.exec(ctx, `UPDATE outbox SET status = 'pending', next_at = ?, locked_until = 0, updated_at = ? WHERE id = ?`, nextAt, at, id)
	return affected(res, err)
}
