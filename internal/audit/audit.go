// Package audit writes the audit log: who did what to which record, in the
// same transaction as the change, with personal data masked field by field
// (a whole phone number never reaches the log).
package audit

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// Write writes an audit entry in tx; before and after are marshalled to JSON
// with phone numbers masked.
func Write(ctx context.Context, tx *store.Tx, a *counsel.Actor, action, entity string, id int64, scope string, before, after any) error {
	return Append(ctx, tx, Entry(a, action, entity, id, scope, before, after))
}

// Append inserts an audit entry in tx, stamping its time and setting its ID.
func Append(ctx context.Context, tx *store.Tx, e *counsel.AuditEntry) error {
	e.At = store.Now()
	if e.RequestID == "" {
		e.RequestID = counsel.RequestIDFrom(ctx)
	}
	id, err := tx.Insert(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.At, e.UserID, e.Username, e.Action, e.Entity, e.EntityID, e.IP, e.Before, e.After, e.Scope, e.RequestID)
	e.ID = id
	return err
}

// Entry builds the audit entry of a change without writing it (for writes
// that queue their audit rows to the commit).
func Entry(a *counsel.Actor, action, entity string, id int64, scope string, before, after any) *counsel.AuditEntry {
	e := &counsel.AuditEntry{UserID: a.UserID, Username: a.Username, Action: action, Entity: entity, IP: a.IP, Scope: scope,
		Before: maskedJSON(before), After: maskedJSON(after)}
	if id != 0 {
		e.EntityID = strconv.FormatInt(id, 10)
	}
	return e
}

// maskedJSON marshals v with every "phone" field masked, so the audit log
// never holds a whole phone number.
func maskedJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return string(b)
	}
	for k, val := range m {
		if s, ok := val.(string); ok && (k == "phone" || k == "advisor_phone" || k == "person_phone") && s != "" {
			m[k] = counsel.MaskPhone(s)
		}
	}
	b, _ = json.Marshal(m)
	return string(b)
}

// Page is one page of the audit log with its neighbours' cursors and the
// total (exact up to store.CountCap, else Capped).
type Page struct {
	Items      []counsel.AuditEntry
	Total      int
	Capped     bool
	Next, Prev string
}

// List reads one page of audit entries (see ListPage) and the total.
func List(ctx context.Context, q store.Q, f counsel.Filter) ([]counsel.AuditEntry, int, error) {
	p, err := ListPage(ctx, q, f)
	return p.Items, p.Total, err
}

// ListPage reads audit entries in a scope (entries with an empty scope, such
// as logins, are included only for an unscoped reader), newest first, one
// page by cursor (f.After, f.Before: ids) or from the top. f.Kind filters by
// entity, f.Status by action, f.Q by username or entity id. Who may read
// which scope is the caller's rule.
func ListPage(ctx context.Context, q store.Q, f counsel.Filter) (Page, error) {
	w := auditWhere(f, false)
	total, capped, err := store.CountUpTo(ctx, q, `SELECT 1 FROM audit_log`+w.String(), store.CountCap, w.Args()...)
	if err != nil {
		return Page{}, err
	}
	items, next, prev, err := store.SeekPage(f.Page, "", "id", nil, auditKey, auditReader(ctx, q, f))
	if items == nil {
		items = []counsel.AuditEntry{}
	}
	return Page{Items: items, Total: total, Capped: capped, Next: next, Prev: prev}, err
}

// Each calls fn for every audit entry List would list, newest first, reading
// by pages (for exports).
func Each(ctx context.Context, q store.Q, f counsel.Filter, fn func(counsel.AuditEntry) error) error {
	return store.SeekEach(1000, "", "id", auditKey, auditReader(ctx, q, f), fn)
}

func auditKey(e counsel.AuditEntry) store.SeekKey { return store.SeekKey{ID: e.ID} }

func auditWhere(f counsel.Filter, ordered bool) store.Where {
	var w store.Where
	if ordered && f.Scope != "" && counsel.LevelOf(f.Scope) <= counsel.LevelCounty {
		// read in id order, filtering: the scope index would sort the whole scope
		lo, hi := counsel.CodeRange(f.Scope)
		w.Add("(scope || '') BETWEEN ? AND ?", lo, hi)
	} else {
		w.InRange("scope", f.Scope)
	}
	if f.Kind != "" {
		w.Add("entity = ?", f.Kind)
	}
	if f.Status != "" {
		w.Add("action = ?", f.Status)
	}
	if f.Q != "" {
		w.Add(`(username LIKE ? ESCAPE '\' OR entity_id = ?)`, store.Like(f.Q), f.Q)
	}
	return w
}

func auditReader(ctx context.Context, q store.Q, f counsel.Filter) store.SeekRead[counsel.AuditEntry] {
	return func(cond string, args []any, asc bool, limit, offset int) ([]counsel.AuditEntry, error) {
		w := auditWhere(f, true)
		if cond != "" {
			w.Add(cond, args...)
		}
		order := " ORDER BY id DESC"
		if asc {
			order = " ORDER BY id"
		}
		return readAudit(ctx, q, `SELECT id, at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope, request_id FROM audit_log`+w.String()+order+` LIMIT ? OFFSET ?`, append(w.Args(), limit, offset)...)
	}
}

func readAudit(ctx context.Context, q store.Q, query string, args ...any) ([]counsel.AuditEntry, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.AuditEntry
	for rows.Next() {
		var e counsel.AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.UserID, &e.Username, &e.Action, &e.Entity, &e.EntityID, &e.IP, &e.Before, &e.After, &e.Scope, &e.RequestID); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, e)
	}
	return out, store.MapErr(rows.Err())
}
