package store

import (
	"strings"

	"github.com/villagecounsel/counsel"
)

// where builds a WHERE clause from parts joined by AND.
type where struct {
	parts []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.parts = append(w.parts, cond)
	w.args = append(w.args, args...)
}

// inRange restricts col to the subtree of scope (index-friendly range).
func (w *where) inRange(col, scope string) {
	if scope == "" {
		return
	}
	lo, hi := counsel.CodeRange(scope)
	w.add(col+" BETWEEN ? AND ?", lo, hi)
}

func (w *where) String() string {
	if len(w.parts) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.parts, " AND ")
}

// liveStatuses is the SQL list of statuses that bind an advisor to a village.
const liveStatuses = "('draft','signed','filed')"

// LiveStatuses is liveStatuses for feature packages' SQL.
const LiveStatuses = liveStatuses

// servedBy returns a condition that the village in column col is served by a
// live agreement of the advisor (advisorID > 0) or the provider, including a
// town-wide packaged agreement.
func servedBy(col string, providerID, advisorID int64) (string, []any) {
	who, id := "provider_id", providerID
	if advisorID > 0 {
		who, id = "advisor_id", advisorID
	}
	return "EXISTS (SELECT 1 FROM agreements sa WHERE sa." + who + " = ? AND sa.status IN " + liveStatuses +
		" AND (sa.region_code = " + col + " OR (sa.packaged AND substr(sa.region_code, 1, 9) = substr(" + col + ", 1, 9))))", []any{id}
}
