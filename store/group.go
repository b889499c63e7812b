package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"sync"
	"time"
)

// maxGroup bounds how many writes share one transaction.
const maxGroup = 256

type groupJob struct {
	key  string
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

// pgLanes is how many group-commit writers run on PostgreSQL; each takes
// the writes of a fixed share of the villages, so two lanes never touch the
// same chain head. Measured on the benchmark (2,000 villages): 1 lane 2,516
// entries/s, 2 lanes 1,945, 4 lanes 1,502 — the lanes share the town,
// county and province counter rows and wait for each other's locks until
// commit, so more lanes only add waiting. Splitting those rows into
// per-lane shards would be the way to use more.
const pgLanes = 1

type groupState struct {
	stats GroupStats
	mu    sync.Mutex // guards stats
	once  sync.Once
	lanes []chan *groupJob
	quit  chan struct{}
	wg    sync.WaitGroup
	acks  sync.WaitGroup // groups committed, waiting for their WAL sync
	hooks []namedHook    // prepare each group's transaction (see OnGroup); guarded by mu
}

// Group runs fn in a write transaction shared with other concurrent Group
// calls (group commit): one goroutine takes every waiting call, runs each in
// one transaction, and commits them together, so a burst of writes costs one
// durable commit (one fsync) instead of one each. Group returns only after
// the shared commit is durable: a nil error means fn's writes are on disk.
// On SQLite the goroutine starts the next group while the WAL is synced
// (see walSyncer). If fn fails,
// the group is run again with a savepoint per call, so only fn's writes are
// dropped and the others commit; fn must therefore be safe to run twice. If
// the commit fails, every call in the group gets the error.
//
// key names what fn appends to (the ledger: a village's chain, or ""): the
// group's hooks (see OnGroup) get the keys of all its writes before running
// them (the ledger reads their chain heads in one statement), and writes
// with the same key always share a lane, so they apply in the order they
// arrive.
func (db *DB) Group(ctx context.Context, key string, fn func(tx *Tx) error) error {
	g := &db.group
	g.once.Do(func() {
		n := 1
		if db.Engine == Postgres {
			n = pgLanes
		}
		g.quit = make(chan struct{})
		for i := 0; i < n; i++ {
			ch := make(chan *groupJob, maxGroup)
			g.lanes = append(g.lanes, ch)
			g.wg.Add(1)
			go db.groupLoop(ch)
		}
	})
	job := &groupJob{key: key, ctx: ctx, fn: fn, done: make(chan error, 1)}
	ch := g.lanes[0]
	if len(g.lanes) > 1 {
		h := fnv.New32a()
		h.Write([]byte(key))
		ch = g.lanes[h.Sum32()%uint32(len(g.lanes))]
	}
	select {
	case ch <- job:
	case <-g.quit:
		return fmt.Errorf("database closed")
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once queued, the job may commit: wait for the outcome whatever ctx says.
	return <-job.done
}

func (db *DB) stopGroup() {
	g := &db.group
	if g.quit == nil {
		return
	}
	select {
	case <-g.quit:
	default:
		close(g.quit)
	}
	g.wg.Wait()
	g.acks.Wait()
}

func (db *DB) groupLoop(ch chan *groupJob) {
	g := &db.group
	defer g.wg.Done()
	for {
		var first *groupJob
		select {
		case first = <-ch:
		case <-g.quit:
			// Fail whatever is still queued.
			for {
				select {
				case j := <-ch:
					j.done <- fmt.Errorf("database closed")
				default:
					return
				}
			}
		}
		batch := []*groupJob{first}
	fill:
		for len(batch) < maxGroup {
			select {
			case j := <-ch:
				batch = append(batch, j)
			default:
				break fill
			}
		}
		db.runGroup(batch)
	}
}

// GroupStats describes the group commits so far: how many, how many writes
// they carried, and the writer's time spent on them.
type GroupStats struct {
	Groups, Writes, Retries int64
	Busy                    time.Duration // summed over the lanes
	Lanes                   int
}

// GroupStats returns the group-commit statistics so far.
func (db *DB) GroupStats() GroupStats {
	g := &db.group
	g.mu.Lock()
	defer g.mu.Unlock()
	st := g.stats
	st.Lanes = len(g.lanes)
	return st
}

func (db *DB) runGroup(batch []*groupJob) {
	t0 := time.Now()
	retried := false
	defer func() {
		g := &db.group
		g.mu.Lock()
		g.stats.Groups++
		g.stats.Writes += int64(len(batch))
		g.stats.Busy += time.Since(t0)
		if retried {
			g.stats.Retries++
		}
		g.mu.Unlock()
	}()
	results := make([]error, len(batch))
	ctx := context.Background()
	// First try: every write in one transaction without savepoints (writes
	// are checked before they get here, so failures are rare). If one fails,
	// the transaction is rolled back and the group runs again with a
	// savepoint per write, so only the failing write is dropped.
	errRetry := fmt.Errorf("retry with savepoints")
	keys := make([]string, len(batch))
	for i, j := range batch {
		keys[i] = j.key
	}
	hooks := db.groupHooks()
	ticket, after, err := db.runTx(ctx, func(tx *Tx) error {
		for _, h := range hooks {
			if err := h(ctx, tx, keys, len(batch)); err != nil {
				return err
			}
		}
		for i, j := range batch {
			if err := j.ctx.Err(); err != nil {
				results[i] = err
				return errRetry
			}
			if err := j.fn(tx); err != nil {
				results[i] = err
				if len(batch) == 1 {
					return err
				}
				return errRetry
			}
		}
		return nil
	})
	// A failure outside the writes (the deferred rows' flush, say a client
	// key already taken) is also retried write by write.
	if err == errRetry || err != nil && len(batch) > 1 {
		retried = true
		for i := range results {
			results[i] = nil
		}
		ticket, after, err = db.runTx(ctx, func(tx *Tx) error {
			for _, h := range hooks {
				if err := h(ctx, tx, keys, 0); err != nil {
					return err
				}
			}
			for i, j := range batch {
				if err := j.ctx.Err(); err != nil {
					results[i] = err
					continue
				}
				if _, err := tx.exec(ctx, `SAVEPOINT g`); err != nil {
					return err
				}
				saved := tx.forkParts()
				if err := j.fn(tx); err != nil {
					results[i] = err
					tx.joinParts(saved, false)
					if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT g`); err != nil {
						return err
					}
				} else {
					tx.joinParts(saved, true)
				}
				if _, err := tx.exec(ctx, `RELEASE SAVEPOINT g`); err != nil {
					return err
				}
			}
			return nil
		})
	}
	deliver := func(syncErr error) {
		if err == nil && syncErr == nil {
			for _, f := range after {
				f()
			}
		}
		for i, j := range batch {
			switch {
			case results[i] != nil:
				j.done <- results[i]
			case err != nil:
				j.done <- err
			default:
				j.done <- syncErr
			}
		}
	}
	if err != nil || ticket == 0 {
		deliver(nil)
		return
	}
	// SQLite: acknowledge once the WAL is synced, while this lane goes on
	// with the next group (see walSyncer).
	db.group.acks.Add(1)
	go func() {
		defer db.group.acks.Done()
		deliver(db.wal.wait(ticket))
	}()
}
