package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/villagecounsel/counsel"
)

// ReviewEntry records the village's confirmation or dispute of a pending
// entry and seals it in the village's review chain (see Entry.ReviewSeal);
// it reports false when the entry was no longer pending.
func (tx *Tx) ReviewEntry(ctx context.Context, id int64, status, note string, by, at int64) (bool, error) {
	e, err := scanEntry(tx.row(ctx, `SELECT `+entryCols+` FROM entries WHERE id = ? AND status = ?`, id, counsel.EntryPending))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, mapErr(err)
	}
	e.Status, e.ReviewNote, e.ReviewedBy, e.ReviewedAt = status, note, by, at
	return tx.sealReview(ctx, e)
}

// sealReview writes e's review fields, if e is still pending, with the next
// seal of its village's review chain, and moves the chain's head.
func (tx *Tx) sealReview(ctx context.Context, e *counsel.Entry) (bool, error) {
	q := `SELECT review_seq, review_hash FROM chain_heads WHERE village_code = ?`
	if tx.engine == Postgres {
		q += ` FOR UPDATE`
	}
	var seq int64
	var prev string
	if err := tx.row(ctx, q, e.VillageCode).Scan(&seq, &prev); err != nil {
		return false, mapErr(err)
	}
	seal(e, seq, prev)
	res, err := tx.exec(ctx, `UPDATE entries SET status = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?, review_seq = ?, review_hash = ?
		WHERE id = ? AND status = ?`, e.Status, e.ReviewNote, e.ReviewedBy, e.ReviewedAt, e.ReviewSeq, e.ReviewHash, e.ID, counsel.EntryPending)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, tx.setReviewHead(ctx, e)
}

// seal makes e the review after (seq, prev), the village's last one.
func seal(e *counsel.Entry, seq int64, prev string) {
	if seq == 0 {
		prev = counsel.GenesisHash
	}
	e.ReviewSeq = seq + 1
	e.ReviewHash = e.ReviewSeal(prev)
}

func (tx *Tx) setReviewHead(ctx context.Context, e *counsel.Entry) error {
	_, err := tx.exec(ctx, `UPDATE chain_heads SET review_seq = ?, review_hash = ? WHERE village_code = ?`, e.ReviewSeq, e.ReviewHash, e.VillageCode)
	return err
}

// ConfirmBefore confirms every pending entry of services before a date,
// each sealed like a village's review (demo data only).
func (tx *Tx) ConfirmBefore(ctx context.Context, date string, at int64) error {
	es, err := tx.plainEntries(ctx, `SELECT `+entryCols+` FROM entries WHERE status = 'pending' AND service_date < ? ORDER BY village_code, seq`, date)
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		e.Status, e.ReviewedAt = counsel.EntryConfirmed, at
		if _, err := tx.sealReview(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// sealReviews seals the reviews made before migration 9 (which added the
// seals): per village, in order of review time, starting at the genesis.
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
		es, err := tx.plainEntries(ctx, `SELECT `+entryCols+` FROM entries WHERE village_code = ? AND status <> 'pending' ORDER BY reviewed_at, id`, v)
		if err != nil {
			return err
		}
		var seq int64
		var prev string
		rows := make([][]any, 0, len(es))
		for i := range es {
			e := &es[i]
			seal(e, seq, prev)
			seq, prev = e.ReviewSeq, e.ReviewHash
			rows = append(rows, []any{e.ID, e.ReviewSeq, e.ReviewHash})
		}
		// A few multi-row statements per village, not one per review.
		if err := tx.execRows(ctx, `UPDATE entries SET review_seq = v.column2, review_hash = v.column3 FROM (VALUES `,
			`(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT))`, `) AS v WHERE entries.id = v.column1`, rows); err != nil {
			return err
		}
		if len(es) > 0 {
			if err := tx.setReviewHead(ctx, &es[len(es)-1]); err != nil {
				return err
			}
		}
	}
	return nil
}
