package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openWALTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "wal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.ExecRaw(context.Background(), `CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insertScratch(ctx context.Context, tx *Tx) error {
	_, err := tx.exec(ctx, `INSERT INTO scratch (body) VALUES ('x')`)
	return err
}

// Every commit is acknowledged only after an fsync of the WAL file that
// began once the commit had returned; concurrent commits share syncs.
func TestWALSyncCoversEveryCommit(t *testing.T) {
	db := openWALTest(t)
	ctx := context.Background()
	var mu sync.Mutex
	var starts []uint64 // commits counted when each fsync began
	var synced []string
	db.wal.mu.Lock()
	db.wal.fsync = func(f *os.File) error {
		mu.Lock()
		starts = append(starts, db.wal.committed.Load())
		synced = append(synced, f.Name())
		mu.Unlock()
		time.Sleep(time.Millisecond) // a disk flush takes a while
		return f.Sync()
	}
	db.wal.mu.Unlock()
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if i%2 == 0 { // WithTx: after-commit work runs once the commit is synced
				err := db.WithTx(ctx, func(tx *Tx) error {
					tx.AfterCommit(func() {
						if _, covered := db.wal.stats(); covered == 0 {
							errs <- errors.New("after-commit function ran before any sync")
						}
					})
					return insertScratch(ctx, tx)
				})
				if err != nil {
					errs <- err
				}
				return
			}
			ticket, _, err := db.runTx(ctx, func(tx *Tx) error { return insertScratch(ctx, tx) })
			if err == nil {
				err = db.wal.wait(ticket)
			}
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ok := false
			for _, s := range starts {
				ok = ok || s >= ticket
			}
			if !ok {
				errs <- fmt.Errorf("commit %d acknowledged, but no sync began after it (syncs began at %v)", ticket, starts)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	syncs, covered := db.wal.stats()
	committed := db.wal.committed.Load()
	if covered != committed || committed < n {
		t.Fatalf("%d commits, %d covered by syncs; want all", committed, covered)
	}
	if syncs == 0 || syncs > int64(committed) {
		t.Fatalf("%d syncs for %d commits", syncs, committed)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, name := range synced {
		if filepath.Base(name) != "wal.db-wal" {
			t.Fatalf("synced %s, want the WAL file", name)
		}
	}
	t.Logf("%d commits, %d WAL syncs", committed, syncs)
}

// The writer is free while a sync is in flight: a second transaction
// commits while the first one's sync is held up, and neither is
// acknowledged until a sync covering it finishes.
func TestWALSyncOffTheWriteLock(t *testing.T) {
	db := openWALTest(t)
	ctx := context.Background()
	release := make(chan struct{})
	var once sync.Once
	unblock := func() { once.Do(func() { close(release) }) }
	defer unblock() // a failing test must not leave the sync blocked
	entered := make(chan struct{}, 16)
	db.wal.mu.Lock()
	db.wal.fsync = func(f *os.File) error {
		entered <- struct{}{}
		<-release
		return f.Sync()
	}
	db.wal.mu.Unlock()
	first := make(chan error, 1)
	go func() { first <- db.WithTx(ctx, func(tx *Tx) error { return insertScratch(ctx, tx) }) }()
	<-entered // the first commit is syncing
	done := make(chan uint64, 1)
	go func() {
		ticket, _, err := db.runTx(ctx, func(tx *Tx) error { return insertScratch(ctx, tx) })
		if err != nil {
			t.Error(err)
		}
		done <- ticket
	}()
	var ticket uint64
	select {
	case ticket = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a second transaction could not commit while the first one's WAL sync was in flight")
	}
	select {
	case err := <-first:
		t.Fatalf("first commit acknowledged before its sync finished (err %v)", err)
	default:
	}
	waited := make(chan error, 1)
	go func() { waited <- db.wal.wait(ticket) }()
	unblock()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	if _, covered := db.wal.stats(); covered < ticket {
		t.Fatalf("second commit (ticket %d) acknowledged with syncs covering %d", ticket, covered)
	}
}

// A failed fsync fails the commits waiting on it and every later one, even
// if a later fsync would succeed.
func TestWALSyncFailureIsSticky(t *testing.T) {
	db := openWALTest(t)
	ctx := context.Background()
	fail := true
	db.wal.mu.Lock()
	db.wal.fsync = func(f *os.File) error {
		if fail {
			fail = false
			return errors.New("EIO")
		}
		return f.Sync()
	}
	db.wal.mu.Unlock()
	for i := 0; i < 3; i++ {
		err := db.WithTx(ctx, func(tx *Tx) error { return insertScratch(ctx, tx) })
		if err == nil {
			t.Fatalf("commit %d: no error after a failed WAL sync", i+1)
		}
	}
	if err := db.ExecRaw(ctx, `INSERT INTO scratch (body) VALUES ('y')`); err == nil {
		t.Fatal("raw statement: no error after a failed WAL sync")
	}
}
