package selection_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/selection"
)

// hasProblem reports whether the report names kind at seq (and ballot id when nonzero).
func hasProblem(r *selection.Report, kind string, seq, id int64) bool {
	for _, p := range r.Problems {
		if p.Kind == kind && p.Seq == seq && (id == 0 || p.BallotID == id) {
			return true
		}
	}
	return false
}

func TestPublishAndTamper(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		c, ks := w.campaign()
		st := selection.StageProvince
		set := c.Settings
		set.Stages[2].Opens = "2026-06-15" // the province round's vote opens on the world's day
		if _, err := w.sel.SaveSettings(w.Ctx, w.City, c.ID, set); err != nil {
			t.Fatal(err)
		}
		// Day 1 (06-15): three voters; counts hidden until 20:00.
		var vs []*selection.Voter
		for i, p := range []string{"13800000011", "13800000012", "13800000013"} {
			vs = append(vs, w.voter(p, "10.3.0."+string(rune('1'+i)), "dev"+p))
		}
		cast := func(v *selection.Voter, k int) *selection.Ballot {
			t.Helper()
			b, err := w.sel.Cast(w.Ctx, v, c.ID, ks[k].ID, "10.3.0.9")
			if err != nil {
				t.Fatalf("cast: %v", err)
			}
			return b
		}
		cast(vs[0], 0)
		cast(vs[1], 0)
		cast(vs[2], 1)
		cast(vs[0], 1)
		if n, err := w.sel.PublishDue(w.Ctx, w.Now); err != nil || n != 0 {
			t.Fatalf("published before 20:00: %d, %v", n, err)
		}
		if p, _ := w.sel.VoteCounts(w.Ctx, c.ID, st); p != nil {
			t.Fatalf("counts visible before publication: %+v", p)
		}
		w.Now = time.Date(2026, 6, 15, 20, 0, 0, 0, cst)
		if n, err := w.sel.PublishDue(w.Ctx, w.Now); err != nil || n != 1 {
			t.Fatalf("publish at 20:00 = %d, %v", n, err)
		}
		if n, _ := w.sel.PublishDue(w.Ctx, w.Now); n != 0 {
			t.Fatalf("published twice")
		}
		p, _ := w.sel.VoteCounts(w.Ctx, c.ID, st)
		if p == nil || p.Day != "2026-06-15" || p.Seq != 4 || p.Counts[ks[0].ID] != 2 || p.Counts[ks[1].ID] != 2 {
			t.Fatalf("day 1 publication = %+v", p)
		}
		// Day 2: more ballots, one voided with a reason; published at 20:00.
		w.Now = time.Date(2026, 6, 16, 9, 0, 0, 0, cst)
		cast(vs[0], 0)
		b6 := cast(vs[1], 2)
		cast(vs[2], 0)
		if err := w.sel.VoidBallot(w.Ctx, w.City, c.ID, b6.ID, "同一设备短时间内多个号码投票"); err != nil {
			t.Fatal(err)
		}
		w.Now = time.Date(2026, 6, 16, 20, 30, 0, 0, cst)
		if n, err := w.sel.PublishDue(w.Ctx, w.Now); err != nil || n != 1 {
			t.Fatalf("publish day 2 = %d, %v", n, err)
		}
		p, _ = w.sel.VoteCounts(w.Ctx, c.ID, st)
		if p.Seq != 7 || p.Counts[ks[0].ID] != 4 || p.Counts[ks[2].ID] != 0 || p.Voided != 1 {
			t.Fatalf("day 2 publication = %+v", p)
		}
		r, err := w.sel.VerifyStage(w.Ctx, c.ID, st)
		if err != nil || !r.OK() || r.Ballots != 7 || r.Tally[ks[0].ID] != 4 || r.Tally[ks[1].ID] != 2 || r.Tally[ks[2].ID] != 0 {
			t.Fatalf("clean verify = %+v, %v", r, err)
		}
		// Anyone holding the published record recomputes the chain and the tally.
		ex, err := w.sel.ExportBallots(w.Ctx, c.ID, st)
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(ex)
		var pub selection.PublicBallots
		if err := json.Unmarshal(js, &pub); err != nil {
			t.Fatal(err)
		}
		last := pub.Published[len(pub.Published)-1]
		if strings.Contains(string(js), "10.3.0.") || strings.Contains(string(js), "1380000001") {
			t.Error("the published record holds an address or a phone")
		}
		if r := selection.Verify(pub.Ballots, last.Seq, last.Hash, pub.Published, pub.Voids); !r.OK() || r.Tally[ks[0].ID] != last.Counts[ks[0].ID] || len(pub.Ballots) != 7 {
			t.Fatalf("published record check = %+v", r)
		}
		ballots, _ := selection.Ballots(w.Ctx, w.DB, c.ID, st)
		byseq := map[int64]selection.Ballot{}
		for _, b := range ballots {
			byseq[b.Seq] = b
		}
		verify := func(what string) *selection.Report {
			t.Helper()
			r, err := w.sel.VerifyStage(w.Ctx, c.ID, st)
			if err != nil {
				t.Fatal(err)
			}
			if r.OK() {
				t.Fatalf("%s: verifier found nothing", what)
			}
			return r
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if err := w.DB.ExecRaw(w.Ctx, q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		reinsert := func(b selection.Ballot) {
			t.Helper()
			exec(`INSERT INTO sel_ballots (id, campaign_id, stage, seq, candidate_id, voter_id, category, day, slot, ip, device, cast_at, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.CampaignID, b.Stage, b.Seq, b.CandidateID, b.VoterID, b.Category, b.Day, b.Slot, b.IP, b.Device, b.CastAt, b.PrevHash, b.Hash)
		}
		clean := func(what string) {
			t.Helper()
			if r, _ := w.sel.VerifyStage(w.Ctx, c.ID, st); !r.OK() {
				t.Fatalf("after undoing %s: %+v", what, r.Problems)
			}
		}

		// Edited: ballot 3's candidate changed.
		exec(`UPDATE sel_ballots SET candidate_id = ? WHERE id = ?`, ks[0].ID, byseq[3].ID)
		r = verify("edit")
		if !hasProblem(r, selection.ProblemEdited, 3, byseq[3].ID) {
			t.Errorf("edit: %+v", r.Problems)
		}
		if !hasProblem(r, selection.ProblemTally, 4, 0) { // day 1's published counts no longer add up
			t.Errorf("edit: no tally problem: %+v", r.Problems)
		}
		exec(`UPDATE sel_ballots SET candidate_id = ? WHERE id = ?`, byseq[3].CandidateID, byseq[3].ID)
		clean("the edit")

		// Deleted: ballot 5 removed.
		exec(`DELETE FROM sel_ballots WHERE id = ?`, byseq[5].ID)
		r = verify("delete")
		if !hasProblem(r, selection.ProblemDeleted, 5, 0) {
			t.Errorf("delete: %+v", r.Problems)
		}
		reinsert(byseq[5])
		clean("the delete")

		// Deleted: the last ballot (the head still says 7).
		exec(`DELETE FROM sel_ballots WHERE id = ?`, byseq[7].ID)
		r = verify("delete last")
		if !hasProblem(r, selection.ProblemDeleted, 7, 0) {
			t.Errorf("delete last: %+v", r.Problems)
		}
		reinsert(byseq[7])
		clean("the delete of the last")

		// Deleted and renumbered to hide the gap.
		exec(`DELETE FROM sel_ballots WHERE id = ?`, byseq[2].ID)
		for s := int64(3); s <= 7; s++ {
			exec(`UPDATE sel_ballots SET seq = ? WHERE id = ?`, s-1, byseq[s].ID)
		}
		r = verify("delete renumbered")
		if !hasProblem(r, selection.ProblemDeleted, 2, 0) {
			t.Errorf("delete renumbered: %+v", r.Problems)
		}
		for s := int64(3); s <= 7; s++ {
			exec(`UPDATE sel_ballots SET seq = ? WHERE id = ?`, s+100, byseq[s].ID)
		}
		for s := int64(3); s <= 7; s++ {
			exec(`UPDATE sel_ballots SET seq = ? WHERE id = ?`, s, byseq[s].ID)
		}
		reinsert(byseq[2])
		clean("the renumbered delete")

		// Inserted past the head, with a correct hash.
		forged := byseq[7]
		forged.ID, forged.Seq, forged.CandidateID, forged.PrevHash, forged.Slot = 0, 8, ks[2].ID, byseq[7].Hash, 1
		forged.Hash = selection.BallotHash(forged.PrevHash, &forged)
		forged.ID = byseq[7].ID + 1000
		reinsert(forged)
		r = verify("insert past head")
		if !hasProblem(r, selection.ProblemInserted, 8, forged.ID) {
			t.Errorf("insert past head: %+v", r.Problems)
		}
		exec(`DELETE FROM sel_ballots WHERE id = ?`, forged.ID)
		clean("the insert past the head")

		// Inserted in the middle: everything from 4 on renumbered one up, a
		// forged ballot 4 chained to ballot 3, the head moved to match.
		for s := int64(7); s >= 4; s-- {
			exec(`UPDATE sel_ballots SET seq = ? WHERE id = ?`, s+1, byseq[s].ID)
		}
		mid := byseq[3]
		mid.Seq, mid.CandidateID, mid.PrevHash, mid.ID = 4, ks[2].ID, byseq[3].Hash, byseq[7].ID+2000
		mid.VoterID = vs[1].ID
		mid.Hash = selection.BallotHash(mid.PrevHash, &mid)
		reinsert(mid)
		exec(`UPDATE sel_heads SET seq = 8 WHERE campaign_id = ? AND stage = ?`, c.ID, st)
		r = verify("insert in the middle")
		if !hasProblem(r, selection.ProblemInserted, 4, mid.ID) {
			t.Errorf("insert in the middle: %+v", r.Problems)
		}
		for _, p := range r.Problems {
			if p.Kind == selection.ProblemEdited {
				t.Errorf("insert in the middle named an honest ballot as edited: %+v", p)
			}
		}
		if !hasProblem(r, selection.ProblemPublished, 4, 0) { // day 1's head is no longer ballot 4
			t.Errorf("insert in the middle: published head not flagged: %+v", r.Problems)
		}
		exec(`DELETE FROM sel_ballots WHERE id = ?`, mid.ID)
		for s := int64(4); s <= 7; s++ {
			exec(`UPDATE sel_ballots SET seq = ? WHERE id = ?`, s, byseq[s].ID)
		}
		exec(`UPDATE sel_heads SET seq = 7 WHERE campaign_id = ? AND stage = ?`, c.ID, st)
		clean("the insert in the middle")

		// A published count changed after the fact.
		exec(`UPDATE sel_published SET counts = ? WHERE campaign_id = ? AND day = ?`, `{"`+itoa(ks[0].ID)+`":9,"`+itoa(ks[1].ID)+`":2}`, c.ID, "2026-06-16")
		r = verify("published counts")
		if !hasProblem(r, selection.ProblemTally, 7, 0) {
			t.Errorf("published counts: %+v", r.Problems)
		}
	})
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	s := ""
	for n > 0 {
		s = string(rune('0'+n%10)) + s
		n /= 10
	}
	return s
}

func TestAnomalies(t *testing.T) {
	var bs []selection.Ballot
	// 25 ballots from one address, 30 s apart exactly, from 25 phones on one device.
	for i := 0; i < 25; i++ {
		bs = append(bs, selection.Ballot{ID: int64(i + 1), VoterID: int64(i + 1), IP: "192.0.2.7", Device: "d1", Day: "2026-06-15", CastAt: int64(1_000_000 + i*30_000)})
	}
	// Honest traffic.
	bs = append(bs, selection.Ballot{ID: 100, VoterID: 100, IP: "198.51.100.1", Device: "d2", Day: "2026-06-15", CastAt: 5_000_000})
	fs := selection.Anomalies(bs)
	kinds := map[string]string{}
	for _, f := range fs {
		kinds[f.Kind] = f.Subject
	}
	for _, k := range []string{selection.FlagIPBurst, selection.FlagRegular, selection.FlagDevice, selection.FlagCountsIP} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("no %s flag: %+v", k, fs)
		}
	}
	if kinds[selection.FlagIPBurst] != "192.0.2.7" || kinds[selection.FlagDevice] != "d1" {
		t.Errorf("subjects %v", kinds)
	}
	for _, f := range fs {
		if f.Subject == "198.51.100.1" || f.Subject == "d2" {
			t.Errorf("honest ballot flagged: %+v", f)
		}
	}
	// Irregular, slow traffic from one address is not flagged.
	var slow []selection.Ballot
	for i := 0; i < 12; i++ {
		slow = append(slow, selection.Ballot{ID: int64(i + 1), VoterID: 1, IP: "203.0.113.5", Device: "d3", CastAt: int64(i*i*97_000 + i*13_000)})
	}
	if fs := selection.Anomalies(slow); len(fs) != 0 {
		t.Errorf("slow irregular traffic flagged: %+v", fs)
	}
}
