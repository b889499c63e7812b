package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/villagecounsel/counsel/internal/app"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
)

// serviceJobs is the background work still on the layered service; the
// features' own jobs come from app.Features.
func serviceJobs(svc *registry.Service) []jobs.Job {
	return []jobs.Job{}
}

// runJobs starts the outbox worker, which delivers robot messages after each
// commit, and every job.
func runJobs(ctx context.Context, svc *registry.Service, feats *app.Features, log *slog.Logger) {
	go func() {
		if err := svc.Notify.RunOutbox(ctx); err != nil && ctx.Err() == nil {
			log.Error("outbox worker stopped", "err", err)
		}
	}()
	jobs.Start(ctx, log, append(serviceJobs(svc), feats.Jobs()...))
}

// ledgerCmd is `counsel ledger verify|recount`.
func ledgerCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	usage := errors.New("usage: counsel ledger verify [-region CODE] | counsel ledger recount [-check]")
	if len(args) == 0 {
		return usage
	}
	sub, rest := args[0], args[1:]
	fs := newFlags("counsel ledger "+sub, stderr)
	region := fs.String("region", "", "only this region's villages (12-digit code)")
	check := fs.Bool("check", false, "only compare the counters with a recount; change nothing")
	cfg, err := loadConfig(fs, rest, getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := ledger.NewService(registry.New(db, slog.New(slog.NewTextHandler(stderr, nil)), registry.DefaultConfig()))
	switch sub {
	case "verify":
		res, err := svc.VerifyLedger(ctx, nil, *region)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "checked %d entries and %d village reviews in %d village volumes\n", res.Entries, res.Reviews, res.Villages)
		if len(res.Problems) == 0 {
			fmt.Fprintln(stdout, "ok: every chain verifies")
			return nil
		}
		for _, p := range res.Problems {
			b, _ := json.Marshal(p)
			fmt.Fprintf(stdout, "BROKEN village %s at seq %d (entry %d): %s — %s %s\n", p.Village, p.Seq, p.EntryID, p.Kind, p.Detail, b)
		}
		return fmt.Errorf("%d village volume(s) fail verification", len(res.Problems))
	case "recount":
		diffs, err := svc.Recount(ctx, *check)
		if err != nil {
			return err
		}
		if len(diffs) == 0 {
			fmt.Fprintln(stdout, "ok: the counters equal a recount of the ledger")
			return nil
		}
		fmt.Fprintln(stdout, strings.Join(diffs, "\n"))
		if *check {
			return fmt.Errorf("%d counter rows differ from a recount", len(diffs))
		}
		fmt.Fprintf(stdout, "recounted: %d counter rows corrected\n", len(diffs))
		return nil
	}
	return usage
}
