package selection_test

// The selection tests run on every configured engine against the shared
// test world (internal/testworld), with the selection service over it and
// the demo SMS sender, whose last code per phone the tests read.

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/internal/testworld"
)

type svcWorld struct {
	*testworld.World
	sel    *selection.Service
	sender *sms.Log
}

func swEngines(t *testing.T, fn func(t *testing.T, w *svcWorld)) {
	t.Helper()
	testworld.Engines(t, func(t *testing.T, tw *testworld.World) {
		s := selection.NewService(tw.Svc, tw.Lg)
		l := sms.NewLog(nil)
		s.Sender = l
		fn(t, &svcWorld{World: tw, sel: s, sender: l})
	})
}

// campaign makes the city's 2026 campaign with ZA1, ZA2, ZA3 in the province
// round (whose vote is open on the world's day, 2026-06-15).
func (w *svcWorld) campaign() (*selection.Campaign, []*selection.Candidate) {
	w.T.Helper()
	c, err := w.sel.CreateCampaign(w.Ctx, w.City, selection.CampaignInput{RegionCode: testworld.ZNCity, Year: 2026, Title: "2026年度村（社区）法律顾问评选"})
	if err != nil {
		w.T.Fatalf("create campaign: %v", err)
	}
	var ks []*selection.Candidate
	for _, adv := range []*counsel.Advisor{w.ZA1, w.ZA2, w.ZA3} {
		k, err := w.sel.AddCandidate(w.Ctx, w.ZNBureau, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: adv.ID, Category: "lawyer"})
		if err != nil {
			w.T.Fatalf("candidate %s: %v", adv.Name, err)
		}
		ks = append(ks, k)
	}
	return c, ks
}

// voter proves phone with the code the sender got and returns the voter.
func (w *svcWorld) voter(phone, ip, device string) *selection.Voter {
	w.T.Helper()
	if err := w.sel.RequestCode(w.Ctx, phone, ip); err != nil {
		w.T.Fatalf("code for %s: %v", phone, err)
	}
	tok, err := w.sel.VerifyCode(w.Ctx, phone, w.sender.Peek(phone), ip, device)
	if err != nil {
		w.T.Fatalf("verify %s: %v", phone, err)
	}
	v, err := w.sel.VoterBySession(w.Ctx, tok)
	if err != nil || v == nil {
		w.T.Fatalf("session of %s: %v, %v", phone, v, err)
	}
	return v
}
