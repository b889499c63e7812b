package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The checkpointer, not the writer, copies committed pages into the database
// file: well below the writer's 64 MB automatic checkpoint, the file grows
// by what was committed, and statements prepared once serve every
// transaction on the writer.
func TestCheckpointerCopiesWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ckpt.db")
	db, err := Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.ExecRaw(ctx, `CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	size := func() int64 {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	before := size()
	body := strings.Repeat("台账", 1000) // 6 KB
	for i := 0; i < 40; i++ {
		err := db.WithTx(ctx, func(tx *Tx) error {
			for j := 0; j < 10; j++ {
				if _, err := tx.exec(ctx, `INSERT INTO scratch (body) VALUES (?)`, body); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(db.wstmts.m); n != 1 {
		t.Errorf("writer statements: got %d prepared, want 1 (prepared once, reused by 40 transactions)", n)
	}
	want := before + 400*6000
	deadline := time.Now().Add(5 * time.Second)
	for size() < want && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if got := size(); got < want {
		t.Errorf("database file: %d bytes 5 s after 2.4 MB were committed (was %d), want at least %d: nothing checkpointed", got, before, want)
	}
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM scratch`).Scan(&n); err != nil || n != 400 {
		t.Errorf("rows: got %d, %v, want 400", n, err)
	}
}

// A transaction that needs a statement not yet prepared must not wait on a
// concurrent WithTx that is preparing statements for the writer (which
// waits for the connection the transaction holds): a regression test for a
// deadlock.
func TestWriterStatementsNoDeadlock(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "stmts.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Closed only on success: after a deadlock Close would wait forever.
	if err := db.ExecRaw(ctx, `CREATE TABLE scratch (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	// A first transaction asks for a statement: it is prepared before the next.
	if err := db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO scratch (n) VALUES (?)`, 1)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	holding, goOn := make(chan struct{}), make(chan struct{})
	done := make(chan error, 2)
	go func() { // A: holds the writer, then needs a new statement
		done <- db.WithTx(ctx, func(tx *Tx) error {
			// A statement new to the writer: B will prepare it.
			if _, err := tx.exec(ctx, `DELETE FROM scratch WHERE n < ?`, 0); err != nil {
				return err
			}
			close(holding)
			<-goOn
			_, err := tx.exec(ctx, `UPDATE scratch SET n = n + ? WHERE id = ?`, 1, 1)
			return err
		})
	}()
	<-holding
	go func() { // B: prepares the wanted statement, waiting for A's connection
		done <- db.WithTx(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `INSERT INTO scratch (n) VALUES (?)`, 2)
			return err
		})
	}()
	time.Sleep(200 * time.Millisecond)
	close(goOn)
	for i := 0; i < 2; i++ {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("concurrent transactions still waiting after 10 s: deadlock")
		}
	}
	db.Close()
}
