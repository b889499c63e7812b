package selection

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
)

// GenesisHash is the "previous hash" of a chain's first ballot.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// BallotHash is SHA-256 over the previous ballot's hash and the ballot's
// fields. The sequence number is not part of it: the links order the chain,
// so that a ballot slipped in (with everything after it renumbered) is named
// by the broken link around it rather than by every ballot after it.
func BallotHash(prev string, b *Ballot) string {
	var s strings.Builder
	s.WriteString(prev)
	for _, f := range []string{
		strconv.FormatInt(b.CampaignID, 10), b.Stage, strconv.FormatInt(b.CandidateID, 10), strconv.FormatInt(b.VoterID, 10),
		b.Category, b.Day, strconv.Itoa(b.Slot), strconv.FormatInt(b.CastAt, 10),
	} {
		s.WriteByte('|')
		s.WriteString(f)
	}
	h := sha256.Sum256([]byte(s.String()))
	return hex.EncodeToString(h[:])
}

// Problem is something the verifier found, naming the ballot concerned.
type Problem struct {
	Kind     string `json:"kind"` // see the Problem… constants
	Seq      int64  `json:"seq"`
	BallotID int64  `json:"ballot_id,omitempty"`
	Day      string `json:"day,omitempty"`
	Detail   string `json:"detail,omitempty"`
}

// Problem kinds.
const (
	ProblemEdited    = "edited"    // the ballot's fields no longer give its hash
	ProblemDeleted   = "deleted"   // a ballot is missing from the chain
	ProblemInserted  = "inserted"  // a ballot that was never appended by a vote
	ProblemHead      = "head"      // the chain does not end at the stored head
	ProblemPublished = "published" // the chain differs from a published head
	ProblemTally     = "tally"     // published counts differ from the ballots
)

// Report is the verifier's answer.
type Report struct {
	Ballots  int             `json:"ballots"`
	Problems []Problem       `json:"problems"`
	Tally    map[int64]int64 `json:"tally"` // counts of the valid, unvoided ballots
}

// OK reports whether nothing was found.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// Verify checks a stage's ballots (any order) against its stored head
// (headSeq, headHash), its daily publications and its voids:
//   - every ballot's hash is recomputed from its fields: a mismatch names it
//     as edited;
//   - every link is followed: a ballot whose predecessor's hash is the one
//     before that names the predecessor as inserted; a gap in the numbers,
//     or a link to a hash found nowhere, names a deleted ballot;
//   - ballots past the head are inserted; a head past the last ballot means
//     the last ones were deleted;
//   - each published head must still be in the chain with the same hash, and
//     the published counts must equal the counts recomputed from the
//     ballots up to it, less the ballots voided by then.
func Verify(ballots []Ballot, headSeq int64, headHash string, pubs []Published, voids []Void) *Report {
	bs := append([]Ballot(nil), ballots...)
	sort.Slice(bs, func(i, j int) bool { return bs[i].Seq < bs[j].Seq })
	r := &Report{Ballots: len(bs), Tally: map[int64]int64{}}
	add := func(p Problem) { r.Problems = append(r.Problems, p) }
	bySeq := map[int64]*Ballot{}
	for i := range bs {
		bySeq[bs[i].Seq] = &bs[i]
	}
	prevHash, prevSeq := GenesisHash, int64(0)
	var prev *Ballot
	for i := range bs {
		b := &bs[i]
		if b.Seq > headSeq {
			add(Problem{Kind: ProblemInserted, Seq: b.Seq, BallotID: b.ID, Day: b.Day, Detail: "past_head"})
			continue
		}
		if BallotHash(b.PrevHash, b) != b.Hash {
			add(Problem{Kind: ProblemEdited, Seq: b.Seq, BallotID: b.ID, Day: b.Day})
		}
		if b.PrevHash != prevHash {
			switch {
			case prev != nil && ((i >= 2 && b.PrevHash == bs[i-2].Hash) || (i == 1 && b.PrevHash == GenesisHash)):
				// The ballot before this one was slipped in between.
				add(Problem{Kind: ProblemInserted, Seq: prev.Seq, BallotID: prev.ID, Day: prev.Day})
			case b.Seq > prevSeq+1:
				for s := prevSeq + 1; s < b.Seq; s++ {
					add(Problem{Kind: ProblemDeleted, Seq: s})
				}
			default:
				// Renumbered to hide the gap: the ballot this one follows is gone.
				add(Problem{Kind: ProblemDeleted, Seq: b.Seq, Detail: "before"})
			}
		} else if b.Seq > prevSeq+1 {
			add(Problem{Kind: ProblemDeleted, Seq: prevSeq + 1})
		}
		prevHash, prevSeq, prev = b.Hash, b.Seq, b
	}
	if prevSeq < headSeq {
		for s := prevSeq + 1; s <= headSeq; s++ {
			add(Problem{Kind: ProblemDeleted, Seq: s})
		}
	} else if prevSeq == headSeq && prevHash != headHash && headSeq > 0 {
		add(Problem{Kind: ProblemHead, Seq: headSeq})
	}
	voidAt := map[int64]int64{}
	for _, v := range voids {
		voidAt[v.BallotID] = v.VoidedAt
	}
	for _, p := range pubs {
		if p.Seq > 0 {
			b := bySeq[p.Seq]
			if b == nil || b.Hash != p.Hash {
				add(Problem{Kind: ProblemPublished, Seq: p.Seq, Day: p.Day})
			}
		}
		got := map[int64]int64{}
		for i := range bs {
			b := &bs[i]
			if b.Seq > p.Seq {
				break
			}
			if at, ok := voidAt[b.ID]; ok && at <= p.PublishedAt {
				continue
			}
			got[b.CandidateID]++
		}
		for _, c := range unionKeys(got, p.Counts) {
			if got[c] != p.Counts[c] {
				add(Problem{Kind: ProblemTally, Seq: p.Seq, Day: p.Day, Detail: strconv.FormatInt(c, 10)})
			}
		}
	}
	for i := range bs {
		b := &bs[i]
		if _, voided := voidAt[b.ID]; !voided && b.Seq <= headSeq {
			r.Tally[b.CandidateID]++
		}
	}
	return r
}

func unionKeys(a, b map[int64]int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, m := range []map[int64]int64{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
