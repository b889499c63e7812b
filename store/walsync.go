package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// walSyncer makes SQLite commits durable off the write lock.
//
// With synchronous=FULL, SQLite syncs the WAL inside COMMIT, while the
// writer connection is held: the next group of writes waits for the disk.
// The writer connection runs synchronous=NORMAL instead (SQLite then syncs
// the WAL only before a checkpoint copies it, and the database file after)
// and this syncer makes the same fsync of the WAL file after COMMIT has
// returned, before the commit is acknowledged: WithTx and Group return only
// once a sync that started after the commit has finished. The next
// transaction runs meanwhile, and one sync covers every commit made before
// it started.
//
// Why this is as durable as FULL: a commit's frames are written to the WAL
// (with write(2)) before COMMIT returns, so an fsync of the file begun later
// puts them on disk; SQLite recovers the WAL up to the last valid commit
// frame (checksums chain the frames), so an acknowledged commit and every
// commit before it survive a power loss. A commit not yet synced may be seen
// by readers and lost with the power, but was never acknowledged, and any
// write that depends on it is acknowledged only after a later sync, which
// covers both.
//
// A failed fsync is sticky: every later commit reports it until the process
// restarts (after a failed fsync the kernel may have dropped the pages, and
// a retry could falsely succeed).
type walSyncer struct {
	path      string // the database file; the WAL is path + "-wal"
	committed atomic.Uint64

	mu      sync.Mutex
	cond    *sync.Cond
	synced  uint64
	syncing bool
	err     error
	closed  bool
	f       *os.File
	syncs   int64

	fsync func(*os.File) error // (*os.File).Sync; tests replace it
}

func newWALSyncer(path string) *walSyncer {
	w := &walSyncer{path: path, fsync: (*os.File).Sync}
	w.cond = sync.NewCond(&w.mu)
	return w
}

// commit notes a commit that COMMIT has returned from and returns its
// ticket for wait.
func (w *walSyncer) commit() uint64 {
	if w == nil {
		return 0
	}
	return w.committed.Add(1)
}

// wait returns once commit ticket t is on disk: it joins the sync in
// flight if that started after t, else runs one.
func (w *walSyncer) wait(t uint64) error {
	if w == nil || t == 0 {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.synced < t && w.err == nil {
		if w.closed {
			return errors.New("database closed")
		}
		if w.syncing {
			w.cond.Wait()
			continue
		}
		w.syncing = true
		target := w.committed.Load() // every commit up to here has written its frames
		w.mu.Unlock()
		err := w.syncWAL()
		w.mu.Lock()
		w.syncing = false
		w.syncs++
		if err != nil {
			w.err = fmt.Errorf("sync of the SQLite write-ahead log failed; restart the server: %w", err)
		} else if target > w.synced {
			w.synced = target
		}
		w.cond.Broadcast()
	}
	if w.synced >= t {
		return nil
	}
	return w.err
}

// waitAll returns once every commit so far is on disk.
func (w *walSyncer) waitAll() error {
	if w == nil {
		return nil
	}
	return w.wait(w.committed.Load())
}

// failed returns the sticky sync error, if any: writes fail fast with it
// rather than commit what could not be acknowledged.
func (w *walSyncer) failed() error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// syncWAL fsyncs the WAL file, reopening it if SQLite made a new one (it
// does not while connections are open, but a stale descriptor would sync
// nothing). On a first open it also syncs the directory, so the file's
// name survives a power loss.
func (w *walSyncer) syncWAL() error {
	name := w.path + "-wal"
	// The WAL exists from the first commit until the last connection
	// closes (Open checks the database is in WAL mode): a missing file
	// means commits are going somewhere this cannot sync.
	st, err := os.Stat(name)
	if err != nil {
		return err
	}
	if w.f != nil {
		if fst, err := w.f.Stat(); err != nil || !os.SameFile(st, fst) {
			w.f.Close()
			w.f = nil
		}
	}
	if w.f == nil {
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		if dir, err := os.Open(filepath.Dir(name)); err == nil {
			err = dir.Sync()
			dir.Close()
			if err != nil {
				f.Close()
				return err
			}
		}
		w.f = f
	}
	return w.fsync(w.f)
}

// stats returns how many syncs ran and how many commits they covered.
func (w *walSyncer) stats() (syncs int64, commits uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.syncs, w.synced
}

func (w *walSyncer) close() {
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.syncing {
		w.cond.Wait()
	}
	w.closed = true
	w.cond.Broadcast()
	if w.f != nil {
		w.f.Close()
		w.f = nil
	}
}
