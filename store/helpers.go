package store

// AfterCommit registers fn to run once tx has committed (never when it rolls
// back). Under Group a call whose savepoint was rolled back still runs its
// functions when the shared transaction commits, so fn must be a hint (like
// waking a worker that then reads the database), never an effect of its own.
func (tx *Tx) AfterCommit(fn func()) { tx.after = append(tx.after, fn) }
