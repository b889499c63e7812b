// Package jobs runs the server's background work: each job has a name, an
// interval and idempotent work, so a restart or a second server on the same
// PostgreSQL database does no harm.
package jobs

import (
	"context"
	"log/slog"
	"time"
)

// Job is one piece of background work.
type Job struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) (any, error)
}

// Start runs every job at once and then on its interval until ctx ends.
func Start(ctx context.Context, log *slog.Logger, js []Job) {
	for _, j := range js {
		go func(j Job) {
			t := time.NewTicker(j.Every)
			defer t.Stop()
			for {
				res, err := j.Run(ctx, time.Now())
				if err != nil && ctx.Err() == nil {
					log.Error("job failed", "job", j.Name, "err", err)
				} else if err == nil {
					log.Info("job done", "job", j.Name, "result", res)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}(j)
	}
}
