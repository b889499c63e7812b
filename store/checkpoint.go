package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"
)

// checkpointer copies committed WAL pages into the SQLite database file on a
// connection of its own, so the writer does not: SQLite's automatic
// checkpoint runs inside the committing writer and stalls every write
// queued behind it. Passive checkpoints never block the writer or readers.
// The WAL is restarted from its start only when a checkpoint has caught up
// with it, which a busy writer rarely lets a concurrent checkpoint do; the
// writer's own automatic checkpoint at 64 MB (wal_autocheckpoint) is the
// backstop that bounds the file, and by then it has little left to copy.
// Durability is unchanged: a commit is durable when its WAL frames are
// synced (by walSyncer), before any checkpoint; this connection runs
// synchronous=FULL, so a checkpoint syncs the WAL before copying it and the
// database file after.
type checkpointer struct {
	db      *sql.DB
	commits atomic.Int64
	quit    chan struct{}
	wg      sync.WaitGroup
}

// checkpointEvery is how often the checkpointer looks for new commits.
const checkpointEvery = 250 * time.Millisecond

func startCheckpointer(dsn string) (*checkpointer, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	c := &checkpointer{db: db, quit: make(chan struct{})}
	c.wg.Add(1)
	go c.loop()
	return c, nil
}

// committed notes a commit.
func (c *checkpointer) committed() {
	if c != nil {
		c.commits.Add(1)
	}
}

func (c *checkpointer) loop() {
	defer c.wg.Done()
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	var seen int64
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
		}
		n := c.commits.Load()
		if n == seen {
			continue
		}
		seen = n
		// A failure (a busy database) is retried at the next tick.
		_, _ = c.db.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	close(c.quit)
	c.wg.Wait()
	c.db.Close()
}
