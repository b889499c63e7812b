package ledger

// HoldVerify takes the verifier's one slot, so a run started now waits
// (shows as running) until release is called.
func HoldVerify(s *Service) (release func()) {
	s.verify.slot <- struct{}{}
	return func() { <-s.verify.slot }
}
