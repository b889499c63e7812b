package registry

import (
	"context"
	"sync"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// hooks are callbacks a feature registers so that the layered service can
// tell it of a change without importing it (the arrows stay one-way).
type hooks struct {
	mu  sync.Mutex
	fns []func()
}

func (h *hooks) add(fn func()) {
	h.mu.Lock()
	h.fns = append(h.fns, fn)
	h.mu.Unlock()
}

func (h *hooks) run() {
	h.mu.Lock()
	fns := h.fns
	h.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

// AgreementHook is told, inside the transaction that saves an agreement,
// what the agreement was (nil when new) and what it is now. An error rolls
// the save back.
type AgreementHook func(ctx context.Context, tx *store.Tx, before, after *counsel.Agreement) error

// agreementHooks are the AgreementHooks features registered.
type agreementHooks struct {
	mu  sync.Mutex
	fns []AgreementHook
}

// OnAgreementSaved adds fn to what runs in the transaction of every
// agreement change (create, edit, status move): the ledger registers the
// creation and removal of the agreement's duty periods.
func (s *Service) OnAgreementSaved(fn AgreementHook) {
	s.agreementHooks.mu.Lock()
	s.agreementHooks.fns = append(s.agreementHooks.fns, fn)
	s.agreementHooks.mu.Unlock()
}

// agreementSaved runs the agreement hooks in tx.
func (s *Service) agreementSaved(ctx context.Context, tx *store.Tx, before, after *counsel.Agreement) error {
	s.agreementHooks.mu.Lock()
	fns := s.agreementHooks.fns
	s.agreementHooks.mu.Unlock()
	for _, fn := range fns {
		if err := fn(ctx, tx, before, after); err != nil {
			return err
		}
	}
	return nil
}
