package notify

import (
	"context"

	"github.com/villagecounsel/counsel/store"
)

// Users sends one in-app notification to each account (once per
// account and key).
func Users(ctx context.Context, tx *store.Tx, users []int64, kind, text, link, key string, at int64) error {
	seen := map[int64]bool{}
	for _, uid := range users {
		if seen[uid] {
			continue
		}
		seen[uid] = true
		if _, err := Notify(ctx, tx, &Notification{UserID: uid, Kind: kind, Title: text, Link: link, DedupKey: key, CreatedAt: at}); err != nil {
			return err
		}
	}
	return nil
}
