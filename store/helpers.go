package store

import (
	"database/sql"

	"github.com/villagecounsel/counsel"
)

// AfterCommit registers fn to run once tx has committed (never when it rolls
// back). Under Group a call whose savepoint was rolled back still runs its
// functions when the shared transaction commits, so fn must be a hint (like
// waking a worker that then reads the database), never an effect of its own.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }

// mustAffect turns an UPDATE or DELETE that touched no row into not found.
func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return nil
}
