package store

import (
	"context"
	"strings"
	"sync"
)

// Accumulator is a feature's part of a write transaction: changes it keeps
// in memory while the transaction runs and writes at commit (say counters
// summed over many writes, written once). runTx flushes every part before
// COMMIT. In a group commit retried with a savepoint per write, each write
// runs on a Fork of every part, merged into it when the write succeeds and
// dropped when it fails.
type Accumulator interface {
	// Flush writes what the part holds, in tx, before the commit.
	Flush(ctx context.Context, tx *Tx) error
	// Fork returns a child collecting one write's changes; it may read
	// through to its parent.
	Fork() Accumulator
	// Merge folds a child made by Fork into the part.
	Merge(child Accumulator)
}

// part is one registered accumulator, in the order parts were made (which is
// the order they are flushed in).
type part struct {
	key any
	acc Accumulator
}

// Part returns the transaction's part under key, made with newFn on first
// use. Keys are comparable values private to the feature (an unexported type).
func (tx *Tx) Part(key any, newFn func() Accumulator) Accumulator {
	for _, p := range tx.parts {
		if p.key == key {
			return p.acc
		}
	}
	a := newFn()
	tx.parts = append(tx.parts, part{key, a})
	return a
}

// DropPart discards the part under key and what it held.
func (tx *Tx) DropPart(key any) {
	for i, p := range tx.parts {
		if p.key == key {
			tx.parts = append(tx.parts[:i:i], tx.parts[i+1:]...)
			return
		}
	}
}

// Flush writes what every part accumulated so far and drops them (runTx
// does this before committing); later writes start new parts.
func (tx *Tx) Flush(ctx context.Context) error {
	parts := tx.parts
	tx.parts = nil
	for _, p := range parts {
		if err := p.acc.Flush(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

// forkParts gives the transaction a child of every part for one write and
// returns the parents, for joinParts.
func (tx *Tx) forkParts() []part {
	saved := tx.parts
	tx.parts = make([]part, len(saved))
	for i, p := range saved {
		tx.parts[i] = part{p.key, p.acc.Fork()}
	}
	return saved
}

// joinParts ends a write begun with forkParts: with ok, each child is merged
// into its parent (and parts the write made are kept); without, they are
// dropped.
func (tx *Tx) joinParts(saved []part, ok bool) {
	children := tx.parts
	tx.parts = saved
	if !ok {
		return
	}
	for _, c := range children {
		found := false
		for _, p := range saved {
			if p.key == c.key {
				p.acc.Merge(c.acc)
				found = true
				break
			}
		}
		if !found {
			tx.parts = append(tx.parts, c)
		}
	}
}

// Engine is the transaction's database engine (SQLite or Postgres).
func (tx *Tx) Engine() string { return tx.engine }

// GroupHook prepares a group commit's transaction before its writes run:
// keys are the writes' keys (see Group) and n how many writes share the
// transaction (0 when the group runs again write by write).
type GroupHook func(ctx context.Context, tx *Tx, keys []string, n int) error

// OnGroup sets the hook under name that prepares every group commit's
// transaction (setting a name again replaces its hook).
func (db *DB) OnGroup(name string, fn GroupHook) {
	g := &db.group
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range g.hooks {
		if g.hooks[i].name == name {
			g.hooks[i].fn = fn
			return
		}
	}
	g.hooks = append(g.hooks, namedHook{name, fn})
}

type namedHook struct {
	name string
	fn   GroupHook
}

func (db *DB) groupHooks() []GroupHook {
	g := &db.group
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]GroupHook, len(g.hooks))
	for i, h := range g.hooks {
		out[i] = h.fn
	}
	return out
}

// rowChunks are the row counts of the multi-row statements ExecRows runs:
// few distinct statement texts, so prepared statements are reused.
var rowChunks = []int{64, 16, 4, 1}

// ExecRows runs head + tuple×n + tail for rows, n rows at a time with n
// taken greedily from rowChunks. Keys must be unique within rows (an upsert
// may not touch a row twice).
func (tx *Tx) ExecRows(ctx context.Context, head, tuple, tail string, rows [][]any) error {
	for len(rows) > 0 {
		n := 1
		for _, c := range rowChunks {
			if c <= len(rows) {
				n = c
				break
			}
		}
		q := rowsSQL(head, tuple, tail, n)
		args := make([]any, 0, n*len(rows[0]))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// rowsSQL builds (and remembers) a multi-row statement's text.
func rowsSQL(head, tuple, tail string, n int) string {
	k := rowsKey{head, n}
	rowsSQLMu.Lock()
	defer rowsSQLMu.Unlock()
	if q, ok := rowsSQLCache[k]; ok {
		return q
	}
	var b strings.Builder
	b.WriteString(head)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	b.WriteString(tail)
	rowsSQLCache[k] = b.String()
	return b.String()
}

type rowsKey struct {
	head string
	n    int
}

var (
	rowsSQLMu    sync.Mutex
	rowsSQLCache = map[rowsKey]string{}
)
