package store

import (
	"context"
	"database/sql"

	"github.com/villagecounsel/counsel"
)

// Snapshot runs fn on a read transaction: every query fn makes sees the one
// snapshot (repeatable read on PostgreSQL; SQLite's read transactions are
// snapshots already).
func (db *DB) Snapshot(ctx context.Context, fn func(q Q) error) error {
	var opts *sql.TxOptions
	if db.Engine == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	return fn(&conn{q: tx, engine: db.Engine})
}

// SealReviews is migration 9's Go step, exported for the ledger's tests: it
// seals the reviews made before migration 9 (which added the seals), per
// village in order of review time starting at the genesis (see
// Entry.SealReview), and moves each village's review head.
func SealReviews(ctx context.Context, tx *Tx) error { return sealReviews(ctx, tx) }

// sealCols are the entry columns a review seal covers (see Entry.ReviewSeal).
const sealCols = `id, village_code, seq, hash, status, review_note, reviewed_by, reviewed_at`

func sealReviews(ctx context.Context, tx *Tx) error {
	var villages []string
	rows, err := tx.query(ctx, `SELECT DISTINCT village_code FROM entries WHERE status <> 'pending' ORDER BY village_code`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return mapErr(err)
		}
		villages = append(villages, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	for _, v := range villages {
		es, err := sealEntries(ctx, tx, v)
		if err != nil {
			return err
		}
		var seq int64
		var prev string
		rows := make([][]any, 0, len(es))
		for i := range es {
			e := &es[i]
			e.SealReview(seq, prev)
			seq, prev = e.ReviewSeq, e.ReviewHash
			rows = append(rows, []any{e.ID, e.ReviewSeq, e.ReviewHash})
		}
		// A few multi-row statements per village, not one per review.
		if err := tx.ExecRows(ctx, `UPDATE entries SET review_seq = v.column2, review_hash = v.column3 FROM (VALUES `,
			`(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))`, `) AS v WHERE entries.id = v.column1`, rows); err != nil {
			return err
		}
		if len(es) > 0 {
			last := es[len(es)-1]
			if _, err := tx.exec(ctx, `UPDATE chain_heads SET review_seq = ?, review_hash = ? WHERE village_code = ?`, last.ReviewSeq, last.ReviewHash, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// sealEntries reads a village's reviewed entries in order of review time,
// with the columns their seals cover.
func sealEntries(ctx context.Context, tx *Tx, village string) ([]counsel.Entry, error) {
	rows, err := tx.query(ctx, `SELECT `+sealCols+` FROM entries WHERE village_code = ? AND status <> 'pending' ORDER BY reviewed_at, id`, village)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Entry
	for rows.Next() {
		var e counsel.Entry
		if err := rows.Scan(&e.ID, &e.VillageCode, &e.Seq, &e.Hash, &e.Status, &e.ReviewNote, &e.ReviewedBy, &e.ReviewedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, e)
	}
	return out, mapErr(rows.Err())
}
