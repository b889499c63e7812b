package notify

import (
	"context"
	"net/http"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// DeliverOutbox sends the messages due at now, one claimed message at a
// time: a success marks it sent; a failure schedules the next attempt after
// the backoff, or dead-letters it after the last attempt. err is a database
// error only (a failed send counts in failed).
func (s *Service) DeliverOutbox(ctx context.Context, now time.Time) (sent, failed int, err error) {
	opts := s.OutboxOptions()
	client := s.webhookClient(opts)
	at := now.UnixMilli()
	due, err := dueOutbox(ctx, s.DB, at, opts.Batch)
	if err != nil {
		return 0, 0, err
	}
	lease := at + (2*opts.Timeout + 30*time.Second).Milliseconds()
	for _, m := range due {
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		var claimed bool
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			claimed, err = claimOutbox(ctx, tx, m.ID, at, lease)
			return err
		})
		if err != nil {
			return sent, failed, err
		}
		if !claimed {
			continue
		}
		// Robots take about 20 messages a minute: past that, wait a minute
		// without spending an attempt.
		if n, err := outboxSentSince(ctx, s.DB, m.ChannelID, at-time.Minute.Milliseconds()); err == nil && n >= robotPerMinute {
			if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return deferOutbox(ctx, tx, m.ID, at+time.Minute.Milliseconds(), at) }); err != nil {
				return sent, failed, err
			}
			continue
		}
		attempts := m.Attempts + 1
		permanent, sendErr := s.sendOne(ctx, client, &m, now, opts)
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			if sendErr == nil {
				return outboxSent(ctx, tx, m.ID, attempts, at)
			}
			dead := permanent || attempts >= opts.MaxAttempts
			next := at + backoff(opts.Backoff, attempts).Milliseconds()
			return OutboxFailed(ctx, tx, m.ID, attempts, next, dead, truncate(sendErr.Error(), 500), at)
		})
		if err != nil {
			return sent, failed, err
		}
		if sendErr == nil {
			sent++
			continue
		}
		failed++
		s.Log.Warn("outbox: delivery failed", "id", m.ID, "channel", m.ChannelID, "attempt", attempts, "err", sendErr.Error())
	}
	return sent, failed, nil
}

// sendOne loads a message's channel and sends it; permanent reports a
// failure no retry can mend (the channel was removed or disabled).
func (s *Service) sendOne(ctx context.Context, client *http.Client, m *OutboxMessage, now time.Time, opts OutboxOptions) (permanent bool, err error) {
	ch, err := ChannelByID(ctx, s.DB, m.ChannelID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return true, errSend("channel removed")
		}
		return false, err
	}
	if !ch.Enabled {
		return true, errSend("channel disabled")
	}
	return false, sendRobot(ctx, client, ch, m, now, opts)
}

// robotPerMinute is how many messages a WeCom or DingTalk robot accepts a minute.
const robotPerMinute = 20

// backoff returns the wait after the n-th failed attempt (n ≥ 1).
func backoff(steps []time.Duration, n int) time.Duration {
	if len(steps) == 0 {
		return time.Minute
	}
	return steps[min(n, len(steps))-1]
}

// RunOutbox delivers the outbox until ctx ends: after every commit that
// enqueued a message (WakeOutbox), when the next retry falls due, and every
// Poll interval (messages enqueued by other processes).
func (s *Service) RunOutbox(ctx context.Context) error {
	opts := s.OutboxOptions()
	wake := s.outboxWake()
	for {
		sent, failed, err := s.DeliverOutbox(ctx, s.Now())
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.Log.Error("outbox: delivery round", "err", err)
		}
		wait := opts.Poll
		if err == nil && sent+failed >= opts.Batch {
			wait = 0 // more may be due
		} else if next, err := nextOutboxAt(ctx, s.DB); err == nil && next > 0 {
			if d := time.Duration(next-s.Now().UnixMilli()) * time.Millisecond; d < wait {
				wait = max(d, time.Second)
			}
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
