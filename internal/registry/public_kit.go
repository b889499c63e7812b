package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// The public boards (internal/public) show agreements, advisors and
// providers, which the registry here changes; the public feature keeps its
// boards in a cache and registers its reset with OnBoardChange, so that a
// change shows on the boards at once.

// OnBoardChange adds fn to what ResetBoardCache runs.
func (s *Service) OnBoardChange(fn func()) { s.boardHooks.add(fn) }

// ResetBoardCache tells the public boards that something they show changed
// (after its commit): every cached board is dropped.
func (s *Service) ResetBoardCache() { s.boardHooks.run() }

// CanReadVillage reports whether the actor may see a village's records: a
// provider or advisor the villages it serves (or has persons in), regional
// roles their subtree.
func (s *Service) CanReadVillage(ctx context.Context, a *counsel.Actor, village string) bool {
	return s.canReadVillage(ctx, a, village)
}
