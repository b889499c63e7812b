package ledger

import (
	"context"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Verification of a big area runs in the background, towns in parallel on
// every core (a town's villages are checked in one snapshot; villages are
// independent), with its progress on the page and the last result of each
// area kept for whoever opens the page next (in memory: a restart forgets
// it, the volumes do not change by restarting).

// VerifyRun is one verification of an area: running, or done with its result.
type VerifyRun struct {
	Scope      string        `json:"scope"`
	By         string        `json:"by"`
	StartedAt  time.Time     `json:"started_at"`
	FinishedAt time.Time     `json:"finished_at"`
	Towns      int           `json:"towns"`
	TownsDone  int           `json:"towns_done"`
	Entries    int           `json:"entries"` // verified so far
	Result     *VerifyResult `json:"result,omitempty"`
	Err        string        `json:"error,omitempty"`
	done       chan struct{}
}

// Running reports whether the run is not finished.
func (r *VerifyRun) Running() bool { return r.FinishedAt.IsZero() }

// Rate is the entries verified per second.
func (r *VerifyRun) Rate() int {
	end := r.FinishedAt
	if end.IsZero() {
		end = time.Now()
	}
	if s := end.Sub(r.StartedAt).Seconds(); s > 0 {
		return int(float64(r.Entries) / s)
	}
	return 0
}

// verifier keeps the runs, one at a time (each uses every core).
type verifier struct {
	mu   sync.Mutex
	runs map[string]*VerifyRun // by scope: running or the last one
	slot chan struct{}
}

func newVerifier() *verifier {
	return &verifier{runs: map[string]*VerifyRun{}, slot: make(chan struct{}, 1)}
}

// verifyScope checks the actor may verify and narrows scope to its area.
func verifyScope(a *counsel.Actor, scope string) (string, error) {
	if scope != "" && !counsel.ValidCode(scope) {
		return "", counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	if a != nil {
		if !authz.CanVerifyLedger(a) {
			return "", counsel.ErrForbidden
		}
		if b := registry.BaseFilter(a); b.Scope != "" && (scope == "" || !counsel.Within(scope, b.Scope)) {
			scope = b.Scope
		}
	}
	return scope, nil
}

// StartVerify starts verifying the actor's area (or scope within it) in the
// background, or returns the run already going for that area.
func (s *Service) StartVerify(ctx context.Context, a *counsel.Actor, scope string) (*VerifyRun, error) {
	scope, err := verifyScope(a, scope)
	if err != nil {
		return nil, err
	}
	v := s.verify
	v.mu.Lock()
	defer v.mu.Unlock()
	if r := v.runs[scope]; r != nil && r.Running() {
		return r.snapshot(), nil
	}
	r := &VerifyRun{Scope: scope, StartedAt: time.Now(), done: make(chan struct{})}
	if a != nil {
		r.By = a.Username
	}
	v.runs[scope] = r
	go s.runVerify(r)
	return r.snapshot(), nil
}

// LastVerify returns the running or last run of the actor's area (or scope
// within it), nil when none.
func (s *Service) LastVerify(a *counsel.Actor, scope string) (*VerifyRun, error) {
	scope, err := verifyScope(a, scope)
	if err != nil {
		return nil, err
	}
	s.verify.mu.Lock()
	defer s.verify.mu.Unlock()
	if r := s.verify.runs[scope]; r != nil {
		return r.snapshot(), nil
	}
	return nil, nil
}

// WaitVerify waits up to d for the run of scope to finish and returns its
// state then.
func (s *Service) WaitVerify(ctx context.Context, a *counsel.Actor, scope string, d time.Duration) (*VerifyRun, error) {
	scope, err := verifyScope(a, scope)
	if err != nil {
		return nil, err
	}
	s.verify.mu.Lock()
	r := s.verify.runs[scope]
	s.verify.mu.Unlock()
	if r == nil {
		return nil, nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-r.done:
	case <-t.C:
	case <-ctx.Done():
	}
	return s.LastVerify(a, scope)
}

// snapshot copies the run under the verifier's lock.
func (r *VerifyRun) snapshot() *VerifyRun {
	c := *r
	return &c
}

func (s *Service) runVerify(r *VerifyRun) {
	v := s.verify
	v.slot <- struct{}{}
	defer func() { <-v.slot }()
	ctx := context.Background()
	res, err := s.verifyParallel(ctx, r.Scope, func(towns, done, entries int) {
		v.mu.Lock()
		r.Towns, r.TownsDone, r.Entries = towns, done, entries
		v.mu.Unlock()
	})
	if err == nil {
		s.nameProblems(ctx, res)
	}
	v.mu.Lock()
	r.FinishedAt = time.Now()
	if err != nil {
		r.Err = err.Error()
		s.Log.Error("ledger verification", "scope", r.Scope, "err", err)
	} else {
		r.Result = res
		r.Entries = res.Entries
	}
	v.mu.Unlock()
	close(r.done)
}

// verifyParallel verifies the villages of scope town by town, one town per
// core at a time; progress gets the towns, the towns done and the entries
// verified so far.
func (s *Service) verifyParallel(ctx context.Context, scope string, progress func(towns, done, entries int)) (*VerifyResult, error) {
	var chunks []string
	if scope != "" && counsel.LevelOf(scope) >= counsel.LevelTown {
		chunks = []string{scope}
	} else {
		var w store.Where
		w.Add("level = ?", int(counsel.LevelTown))
		w.InRange("code", scope)
		rows, err := s.DB.Query(ctx, `SELECT code FROM regions`+w.String()+` ORDER BY code`, w.Args()...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return nil, store.MapErr(err)
			}
			chunks = append(chunks, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, store.MapErr(err)
		}
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan string)
	var mu sync.Mutex
	total := &VerifyResult{}
	done := 0
	var firstErr error
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for town := range jobs {
				res, err := VerifyChains(ctx, s.DB, town)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					total.Villages += res.Villages
					total.Entries += res.Entries
					total.Reviews += res.Reviews
					total.Problems = append(total.Problems, res.Problems...)
				}
				done++
				if progress != nil {
					progress(len(chunks), done, total.Entries)
				}
				mu.Unlock()
			}
		}()
	}
	for _, c := range chunks {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed {
			break
		}
		jobs <- c
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	sort.Slice(total.Problems, func(i, j int) bool { return total.Problems[i].Village < total.Problems[j].Village })
	return total, nil
}

// nameProblems fills in the villages' names.
func (s *Service) nameProblems(ctx context.Context, res *VerifyResult) {
	for i := range res.Problems {
		p := &res.Problems[i]
		if r, err := registry.Region(ctx, s.DB, p.Village); err == nil {
			p.VillageName = r.Name
		}
	}
}
