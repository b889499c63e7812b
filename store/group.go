package store

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// maxGroup bounds how many writes share one transaction.
const maxGroup = 256

type groupJob struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

type groupState struct {
	stats GroupStats
	mu    sync.Mutex // guards stats
	once  sync.Once
	ch    chan *groupJob
	quit  chan struct{}
	wg    sync.WaitGroup
}

// Group runs fn in a write transaction shared with other concurrent Group
// calls (group commit): one goroutine takes every waiting call, runs each in
// one transaction, and commits them together, so a burst of writes costs one
// durable commit (one fsync) instead of one each. Group returns only after
// the shared commit: a nil error means fn's writes are durable. If fn fails,
// the group is run again with a savepoint per call, so only fn's writes are
// dropped and the others commit; fn must therefore be safe to run twice. If
// the commit fails, every call in the group gets the error.
func (db *DB) Group(ctx context.Context, fn func(tx *Tx) error) error {
	g := &db.group
	g.once.Do(func() {
		g.ch = make(chan *groupJob, maxGroup)
		g.quit = make(chan struct{})
		g.wg.Add(1)
		go db.groupLoop()
	})
	job := &groupJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.ch <- job:
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
}

func (db *DB) groupLoop() {
	g := &db.group
	defer g.wg.Done()
	for {
		var first *groupJob
		select {
		case first = <-g.ch:
		case <-g.quit:
			// Fail whatever is still queued.
			for {
				select {
				case j := <-g.ch:
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
			case j := <-g.ch:
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
	Busy                    time.Duration
}

// GroupStats returns the group-commit statistics so far.
func (db *DB) GroupStats() GroupStats {
	g := &db.group
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.stats
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
	err := db.WithTx(ctx, func(tx *Tx) error {
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
	if err == errRetry {
		retried = true
		for i := range results {
			results[i] = nil
		}
		err = db.WithTx(ctx, func(tx *Tx) error {
			total := newAcc()
			for i, j := range batch {
				if err := j.ctx.Err(); err != nil {
					results[i] = err
					continue
				}
				if _, err := tx.exec(ctx, `SAVEPOINT g`); err != nil {
					return err
				}
				tx.acc = newAcc()
				tx.acc.parent = total
				if err := j.fn(tx); err != nil {
					results[i] = err
					if _, err := tx.exec(ctx, `ROLLBACK TO SAVEPOINT g`); err != nil {
						return err
					}
				} else {
					total.merge(tx.acc)
				}
				if _, err := tx.exec(ctx, `RELEASE SAVEPOINT g`); err != nil {
					return err
				}
			}
			tx.acc = total
			return nil
		})
	}
	for i, j := range batch {
		switch {
		case results[i] != nil:
			j.done <- results[i]
		case err != nil:
			j.done <- err
		default:
			j.done <- nil
		}
	}
}
