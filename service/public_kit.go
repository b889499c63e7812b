package service

import (
	"context"
	"sync"

	"github.com/villagecounsel/counsel"
)

// The public boards (internal/public) show agreements, advisors and
// providers, which the registry here changes; the public feature keeps its
// boards in a cache and registers its reset with OnBoardChange, so that a
// change shows on the boards at once.

type boardHooks struct {
	mu  sync.Mutex
	fns []func()
}

// OnBoardChange adds fn to what ResetBoardCache runs.
func (s *Service) OnBoardChange(fn func()) {
	s.boardHooks.mu.Lock()
	s.boardHooks.fns = append(s.boardHooks.fns, fn)
	s.boardHooks.mu.Unlock()
}

// ResetBoardCache tells the public boards that something they show changed
// (after its commit): every cached board is dropped.
func (s *Service) ResetBoardCache() {
	s.boardHooks.mu.Lock()
	fns := s.boardHooks.fns
	s.boardHooks.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// CanReadVillage reports whether the actor may see a village's records: a
// provider or advisor the villages it serves (or has persons in), regional
// roles their subtree.
func (s *Service) CanReadVillage(ctx context.Context, a *counsel.Actor, village string) bool {
	return s.canReadVillage(ctx, a, village)
}
