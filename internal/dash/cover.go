package dash

import (
	"context"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
)

// Coverage (villages with a filed agreement in force today) is counted from
// the registry, which for a province means an EXISTS over 20,000 villages:
// too slow to run for every dashboard view. The dashboards keep it per region
// in memory for coverTTL. A stale entry is served at once while one
// goroutine recounts it, so a page waits only for the very first count of a
// region (or when the day changes); a region whose ancestor's rows are fresh
// is answered from them (drilling down costs nothing).

// coverTTL is how long a coverage count is served without recounting.
const coverTTL = 60 * time.Second

// coverKeep is how long an unused entry stays in memory.
const coverKeep = 10 * coverTTL

// coverState holds the dashboards' coverage cache (see Service.cover).
type coverState struct {
	mu    sync.Mutex
	cover map[string]*coverEntry // region ("" = everything) → coverage by town
}

type coverEntry struct {
	day        string
	at         time.Time // when rows were counted
	used       time.Time // last served
	rows       []registry.CoverageRow
	err        error
	ready      chan struct{} // closed once the first count is done
	refreshing bool
}

func (e *coverEntry) loaded() bool {
	select {
	case <-e.ready:
		return true
	default:
		return false
	}
}

// dashCoverage returns coverage by town of scope ("" = everything) on day,
// and when it was counted.
func (s *Service) dashCoverage(ctx context.Context, scope, day string) ([]registry.CoverageRow, time.Time, error) {
	if counsel.LevelOf(scope) == counsel.LevelVillage {
		// One village: a single indexed lookup, not worth caching.
		covered, err := coveredVillages(ctx, s.DB, scope, day)
		if err != nil {
			return nil, time.Time{}, err
		}
		row := registry.CoverageRow{Code: counsel.ParentOf(scope), Villages: 1}
		if covered[scope] {
			row.Covered, row.Rate = 1, 1
		}
		return []registry.CoverageRow{row}, time.Now(), nil
	}
	st := &s.cover
	now := time.Now()
	st.mu.Lock()
	if st.cover == nil {
		st.cover = map[string]*coverEntry{}
	}
	// A fresh count of the region or of an ancestor answers at once.
	keys := []string{scope}
	if scope != "" {
		anc := counsel.Ancestors(scope)
		for i := len(anc) - 1; i >= 0; i-- {
			keys = append(keys, anc[i])
		}
		keys = append(keys, "")
	}
	for _, k := range keys {
		e := st.cover[k]
		if e == nil || !e.loaded() || e.err != nil || e.day != day || now.Sub(e.at) >= coverTTL {
			continue
		}
		e.used = now
		rows, at := e.rows, e.at
		st.mu.Unlock()
		if k == scope {
			return rows, at, nil
		}
		return coverWithin(rows, scope), at, nil
	}
	e := st.cover[scope]
	if e != nil && e.loaded() && e.err == nil && e.day == day {
		// Stale: serve it and recount in the background.
		e.used = now
		if !e.refreshing {
			e.refreshing = true
			go s.recountCoverage(scope, day, e)
		}
		rows, at := e.rows, e.at
		st.mu.Unlock()
		return rows, at, nil
	}
	if e != nil && !e.loaded() && e.day == day {
		// Someone is counting it: wait for that.
		st.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, time.Time{}, ctx.Err()
		}
		return e.rows, e.at, e.err
	}
	e = &coverEntry{day: day, used: now, ready: make(chan struct{})}
	st.cover[scope] = e
	s.evictCoverage(now)
	st.mu.Unlock()

	rows, err := registry.Coverage(ctx, s.DB, scope, day)
	st.mu.Lock()
	e.rows, e.err, e.at = rows, err, time.Now()
	if err != nil && st.cover[scope] == e {
		delete(st.cover, scope) // the next request tries again
	}
	close(e.ready)
	st.mu.Unlock()
	return rows, e.at, err
}

// recountCoverage refreshes a stale entry (in its own goroutine, not bound
// to the request that noticed it).
func (s *Service) recountCoverage(scope, day string, e *coverEntry) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rows, err := registry.Coverage(ctx, s.DB, scope, day)
	st := &s.cover
	st.mu.Lock()
	defer st.mu.Unlock()
	e.refreshing = false
	if err != nil {
		s.Log.Warn("coverage recount failed", "region", scope, "err", err)
		return
	}
	e.rows, e.at = rows, time.Now()
}

// evictCoverage drops entries unused for coverKeep (caller holds the lock).
func (s *Service) evictCoverage(now time.Time) {
	for k, e := range s.cover.cover {
		if e.loaded() && !e.refreshing && now.Sub(e.used) > coverKeep {
			delete(s.cover.cover, k)
		}
	}
}

// ResetCoverageCache forgets every cached coverage count (after a change
// that must show at once, and in tests).
func (s *Service) ResetCoverageCache() {
	s.cover.mu.Lock()
	s.cover.cover = nil
	s.cover.mu.Unlock()
}

// coverWithin keeps the town rows inside scope.
func coverWithin(rows []registry.CoverageRow, scope string) []registry.CoverageRow {
	var out []registry.CoverageRow
	for _, r := range rows {
		if counsel.Within(r.Code, scope) {
			out = append(out, r)
		}
	}
	return out
}
