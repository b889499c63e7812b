package selection_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/internal/testworld"
)

var cst = time.FixedZone("CST", 8*3600)

func ballotCount(t *testing.T, w *svcWorld) int {
	t.Helper()
	n, err := w.DB.Count(w.Ctx, `SELECT COUNT(*) FROM sel_ballots`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCodes(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		testworld.WantField(t, "bad phone", w.sel.RequestCode(w.Ctx, "1380000", "10.1.1.1"), "phone", "sel.err_phone")
		if err := w.sel.RequestCode(w.Ctx, "138 0000 1111", "10.1.1.1"); err != nil {
			t.Fatal(err)
		}
		code := w.sender.Peek("13800001111")
		if len(code) != 6 {
			t.Fatalf("code %q", code)
		}
		// The code is kept only as a salted hash.
		n, _ := w.DB.Count(w.Ctx, `SELECT COUNT(*) FROM sel_codes WHERE code_hash LIKE ?`, "%"+code+"%")
		if n != 0 {
			t.Error("the code is stored in clear")
		}
		// A second code within a minute is refused.
		testworld.WantField(t, "too soon", w.sel.RequestCode(w.Ctx, "13800001111", "10.1.1.1"), "phone", "sel.err_code_wait")
		// A wrong code is counted and writes no session.
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		_, err := w.sel.VerifyCode(w.Ctx, "13800001111", wrong, "10.1.1.1", "dev1")
		testworld.WantField(t, "wrong code", err, "code", "sel.err_code")
		if n, _ := w.DB.Count(w.Ctx, `SELECT COUNT(*) FROM sel_sessions`); n != 0 {
			t.Errorf("%d sessions after a wrong code", n)
		}
		// Expired after the campaign's 5 minutes.
		w.Now = w.Now.Add(6 * time.Minute)
		_, err = w.sel.VerifyCode(w.Ctx, "13800001111", code, "10.1.1.1", "dev1")
		testworld.WantField(t, "expired code", err, "code", "sel.err_code_expired")
		// A fresh code works once.
		if err := w.sel.RequestCode(w.Ctx, "13800001111", "10.1.1.1"); err != nil {
			t.Fatal(err)
		}
		code = w.sender.Peek("13800001111")
		tok, err := w.sel.VerifyCode(w.Ctx, "13800001111", code, "10.1.1.1", "dev1")
		if err != nil || len(tok) != 64 {
			t.Fatalf("verify: %q %v", tok, err)
		}
		_, err = w.sel.VerifyCode(w.Ctx, "13800001111", code, "10.1.1.1", "dev1")
		testworld.WantField(t, "used code", err, "code", "sel.err_code_used")
		// Five guesses spend a code.
		w.Now = w.Now.Add(2 * time.Minute)
		if err := w.sel.RequestCode(w.Ctx, "13800001111", "10.1.1.1"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < selection.CodeAttempts; i++ {
			_, _ = w.sel.VerifyCode(w.Ctx, "13800001111", wrong, "10.1.1.1", "dev1")
		}
		_, err = w.sel.VerifyCode(w.Ctx, "13800001111", w.sender.Peek("13800001111"), "10.1.1.1", "dev1")
		testworld.WantField(t, "guessed out", err, "code", "sel.err_code_attempts")
		// Per phone: five an hour (three so far).
		for i := 0; i < 2; i++ {
			w.Now = w.Now.Add(61 * time.Second)
			if err := w.sel.RequestCode(w.Ctx, "13800001111", "10.1.1.2"); err != nil {
				t.Fatalf("code %d: %v", i, err)
			}
		}
		w.Now = w.Now.Add(61 * time.Second)
		testworld.WantField(t, "phone limit", w.sel.RequestCode(w.Ctx, "13800001111", "10.1.1.3"), "phone", "sel.err_code_phone_limit")
		// Per address: twenty an hour across phones.
		for i := 0; i < selection.CodesPerIP; i++ {
			if err := w.sel.RequestCode(w.Ctx, fmt.Sprintf("1390000%04d", i), "10.9.9.9"); err != nil {
				t.Fatalf("ip code %d: %v", i, err)
			}
		}
		testworld.WantField(t, "ip limit", w.sel.RequestCode(w.Ctx, "13700000000", "10.9.9.9"), "phone", "sel.err_code_ip_limit")
		// An unknown session is no voter.
		if v, err := w.sel.VoterBySession(w.Ctx, "00"+tok[2:]); v != nil || err != nil {
			t.Errorf("forged session = %v, %v", v, err)
		}
	})
}

func TestVoteRules(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, ks := w.campaign()
		v := w.voter("13800001111", "10.1.1.1", "dev1")
		b, err := w.sel.Cast(w.Ctx, v, c.ID, ks[0].ID, "10.1.1.1")
		if err != nil || b.Seq != 1 || b.PrevHash != selection.GenesisHash || b.Day != "2026-06-15" {
			t.Fatalf("first vote = %+v, %v", b, err)
		}
		_, err = w.sel.Cast(w.Ctx, v, c.ID, ks[0].ID, "10.1.1.1")
		testworld.WantCode(t, "second vote the same day", err, counsel.CodeConflict)
		// Another candidate is fine; a candidate of another stage is not.
		if _, err := w.sel.Cast(w.Ctx, v, c.ID, ks[1].ID, "10.1.1.1"); err != nil {
			t.Fatal(err)
		}
		other, err := w.sel.AddCandidate(w.Ctx, w.ZNBureau, c.ID, selection.CandidateInput{Stage: selection.StageCity, AdvisorID: w.ZA1.ID})
		if err != nil {
			t.Fatal(err)
		}
		before := ballotCount(t, w)
		_, err = w.sel.Cast(w.Ctx, v, c.ID, other.ID, "10.1.1.1")
		testworld.WantField(t, "candidate not in the stage", err, "candidate_id", "sel.err_not_candidate")
		// At most N candidates per category a day.
		set := c.Settings
		set.Vote.MaxPerCategoryPerDay = 2
		if _, err := w.sel.SaveSettings(w.Ctx, w.City, c.ID, set); err != nil {
			t.Fatal(err)
		}
		_, err = w.sel.Cast(w.Ctx, v, c.ID, ks[2].ID, "10.1.1.1")
		testworld.WantCode(t, "third candidate of the category", err, counsel.CodeConflict)
		// Nobody unverified; nothing outside the window.
		_, err = w.sel.Cast(w.Ctx, nil, c.ID, ks[2].ID, "10.1.1.1")
		testworld.WantCode(t, "unverified", err, counsel.CodeUnauthorized)
		if n := ballotCount(t, w); n != before {
			t.Errorf("refused votes wrote ballots: %d → %d", before, n)
		}
		// The next day the voter may vote again.
		w.Now = w.Now.Add(24 * time.Hour)
		if b, err := w.sel.Cast(w.Ctx, v, c.ID, ks[0].ID, "10.1.1.1"); err != nil || b.Day != "2026-06-16" || b.Seq != 3 {
			t.Fatalf("next day = %+v, %v", b, err)
		}
		w.Now = time.Date(2026, 7, 1, 9, 0, 0, 0, cst)
		_, err = w.sel.Cast(w.Ctx, v, c.ID, ks[1].ID, "10.1.1.1")
		testworld.WantField(t, "after the vote closed", err, "candidate_id", "sel.err_vote_closed")
		// A county bureau cannot nominate another county's advisor; nobody outside the campaign's region.
		_, err = w.sel.AddCandidate(w.Ctx, w.JHBureau, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: w.JA1.ID})
		testworld.WantCode(t, "other county's campaign", err, counsel.CodeNotFound)
	})
}

// 100 concurrent votes from one voter for one candidate on one day: exactly one counts.
func TestConcurrentVotesOneCounts(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, ks := w.campaign()
		v := w.voter("13800002222", "10.2.2.2", "dev2")
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts, others := 0, 0, []error{}
		start := make(chan struct{})
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := w.sel.Cast(w.Ctx, v, c.ID, ks[0].ID, "10.2.2.2")
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case counsel.ErrorCode(err) == counsel.CodeConflict:
					conflicts++
				default:
					others = append(others, err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if ok != 1 || conflicts != 99 || len(others) > 0 {
			t.Fatalf("ok %d, conflicts %d, other errors %v; want 1 and 99", ok, conflicts, others)
		}
		if n := ballotCount(t, w); n != 1 {
			t.Fatalf("%d ballots stored, want 1", n)
		}
		r, err := w.sel.VerifyStage(w.Ctx, c.ID, selection.StageProvince)
		if err != nil || !r.OK() || r.Tally[ks[0].ID] != 1 {
			t.Fatalf("verify = %+v, %v", r, err)
		}
	})
}
