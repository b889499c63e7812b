package ledger

import (
	"context"
	"database/sql"
	"errors"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// ReviewEntry records the village's confirmation or dispute of a pending
// entry and seals it in the village's review chain (see Entry.ReviewSeal);
// it reports false when the entry was no longer pending.
func ReviewEntry(ctx context.Context, tx *store.Tx, id int64, status, note string, by, at int64) (bool, error) {
	e, err := scanEntry(tx.Row(ctx, `SELECT `+entryCols+` FROM entries WHERE id = ? AND status = ?`, id, counsel.EntryPending))
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, store.MapErr(err)
	}
	e.Status, e.ReviewNote, e.ReviewedBy, e.ReviewedAt = status, note, by, at
	return sealReview(ctx, tx, e)
}

// sealReview writes e's review fields, if e is still pending, with the next
// seal of its village's review chain, and moves the chain's head.
func sealReview(ctx context.Context, tx *store.Tx, e *counsel.Entry) (bool, error) {
	q := `SELECT review_seq, review_hash FROM chain_heads WHERE village_code = ?`
	if tx.Engine() == store.Postgres {
		q += ` FOR UPDATE`
	}
	var seq int64
	var prev string
	if err := tx.Row(ctx, q, e.VillageCode).Scan(&seq, &prev); err != nil {
		return false, store.MapErr(err)
	}
	e.SealReview(seq, prev)
	res, err := tx.Exec(ctx, `UPDATE entries SET status = ?, review_note = ?, reviewed_by = ?, reviewed_at = ?, review_seq = ?, review_hash = ?
		WHERE id = ? AND status = ?`, e.Status, e.ReviewNote, e.ReviewedBy, e.ReviewedAt, e.ReviewSeq, e.ReviewHash, e.ID, counsel.EntryPending)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	return true, setReviewHead(ctx, tx, e)
}

func setReviewHead(ctx context.Context, tx *store.Tx, e *counsel.Entry) error {
	_, err := tx.Exec(ctx, `UPDATE chain_heads SET review_seq = ?, review_hash = ? WHERE village_code = ?`, e.ReviewSeq, e.ReviewHash, e.VillageCode)
	return err
}

// ConfirmBefore confirms every pending entry of services before a date,
// each sealed like a village's review (demo data only).
func ConfirmBefore(ctx context.Context, tx *store.Tx, date string, at int64) error {
	es, err := plainEntries(ctx, tx, `SELECT `+entryCols+` FROM entries WHERE status = 'pending' AND service_date < ? ORDER BY village_code, seq`, date)
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		e.Status, e.ReviewedAt = counsel.EntryConfirmed, at
		if _, err := sealReview(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
