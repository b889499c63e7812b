package counsel

import "testing"

// The hash formats are stored in every volume: a change to them would make
// every existing chain fail verification. These values were computed by the
// first implementation (before the shared fieldHash).
func TestHashFormatsPinned(t *testing.T) {
	e := Entry{VillageCode: "621025100001", Seq: 3, AdvisorID: 7, ProviderID: 2, AgreementID: 5, Kind: "onsite_duty", Mode: "onsite",
		Date: "2026-06-01", StartTime: "09:00", Minutes: 240, Place: "村委会", Served: "村民", Attendees: 12, Content: "驻点值班",
		CreatedBy: 9, CreatedAt: 1780000000000, PrevHash: GenesisHash}
	e.Hash = e.ChainHash()
	if want := "f43ccb3e76d2c1916f67d020a6f76e7f029e33aa34d72233461fbf461b6b458f"; e.Hash != want {
		t.Errorf("ChainHash = %s, want %s", e.Hash, want)
	}
	e.Status, e.ReviewNote, e.ReviewedBy, e.ReviewedAt, e.ReviewSeq = EntryDisputed, "当天未到村", 11, 1780000001000, 1
	if got, want := e.ReviewSeal(GenesisHash), "29dc031f458107c91774f2442e70643fc76ed6e29a30f0acfa3deac21635f6e9"; got != want {
		t.Errorf("ReviewSeal = %s, want %s", got, want)
	}
	e.ReviewNote = "当天已到村"
	if e.ReviewSeal(GenesisHash) == "29dc031f458107c91774f2442e70643fc76ed6e29a30f0acfa3deac21635f6e9" {
		t.Error("the seal does not cover the review note")
	}
}
