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
	return tx.AppendAudit(ctx, Entry(a, action, entity, id, scope, before, after))
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
