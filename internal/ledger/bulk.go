package ledger

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// ImportEntries appends already-checked entries in one transaction through
// the same chain and counter code as RecordEntry, for data migrations and
// the benchmark's dataset. Each entry must carry its AgreementID, found in
// agreements; no scope checks or validation are done here (callers are
// trusted code, not users), and nothing is audited.
func (s *Service) ImportEntries(ctx context.Context, es []*counsel.Entry, agreements map[int64]*counsel.Agreement) error {
	type key struct {
		village string
		g       int64
	}
	obls := map[key][]Obligation{}
	for _, e := range es {
		k := key{e.VillageCode, e.AgreementID}
		if _, ok := obls[k]; ok {
			continue
		}
		g := agreements[e.AgreementID]
		if g == nil {
			return counsel.Errorf(counsel.CodeInvalid, "err.not_found")
		}
		o, err := s.obligations(ctx, e.VillageCode, g)
		if err != nil {
			return err
		}
		obls[k] = o
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, e := range es {
			if e.Status == "" {
				e.Status = counsel.EntryPending
			}
			if err := AppendEntry(ctx, tx, e, obls[key{e.VillageCode, e.AgreementID}]); err != nil {
				return err
			}
		}
		return nil
	})
}
