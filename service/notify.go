package service

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// NotifyUsers sends one in-app notification to each account (once per
// account and key).
func NotifyUsers(ctx context.Context, tx *store.Tx, users []int64, kind, text, link, key string, at int64) error {
	seen := map[int64]bool{}
	for _, uid := range users {
		if seen[uid] {
			continue
		}
		seen[uid] = true
		if _, err := tx.Notify(ctx, &store.Notification{UserID: uid, Kind: kind, Title: text, Link: link, DedupKey: key, CreatedAt: at}); err != nil {
			return err
		}
	}
	return nil
}

// Notifications returns the actor's notifications, unread first.
func (s *Service) Notifications(ctx context.Context, a *counsel.Actor) ([]store.Notification, error) {
	if a.UserID == 0 {
		return nil, nil
	}
	return s.DB.Notifications(ctx, a.UserID, 100)
}

// UnreadCount counts the actor's unread notifications.
func (s *Service) UnreadCount(ctx context.Context, a *counsel.Actor) (int, error) {
	if a.UserID == 0 {
		return 0, nil
	}
	return s.DB.UnreadCount(ctx, a.UserID)
}

// MarkRead marks one (id > 0) or all of the actor's notifications read.
func (s *Service) MarkRead(ctx context.Context, a *counsel.Actor, id int64) error {
	if a.UserID == 0 {
		return errForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.MarkRead(ctx, a.UserID, id, s.Now().UnixMilli()) })
}
