package selection

import (
	"fmt"
	"sort"
)

// Scores are kept as integers so that ties are exact: a component score in
// hundredths of a point (0–10000 for 0–100), a stage total in ten-thousandths
// (the sum of component score × percent), never a float.

// Note is an explanation as a message key and its arguments, rendered in the
// reader's language.
type Note struct {
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Entrant is a candidate with their component scores (hundredths of a point).
type Entrant struct {
	ID     int64            `json:"id"`
	Name   string           `json:"name"`
	County string           `json:"county"`
	Scores map[string]int64 `json:"scores"`
}

// Part is one component's contribution to a total.
type Part struct {
	Component string `json:"component"`
	Score     int64  `json:"score"`   // hundredths of a point
	Percent   int    `json:"percent"` // weight
	Points    int64  `json:"points"`  // Score × Percent, ten-thousandths of a point
}

// Ranked is an entrant placed in a stage's ranking.
type Ranked struct {
	Entrant
	Parts []Part `json:"parts"`
	Total int64  `json:"total"` // ten-thousandths of a point
	Rank  int    `json:"rank"`  // 1-based; entrants equal on every ranking key share a rank
	// TieBroken: another entrant has the same total and the tie-break
	// components decided the order.
	TieBroken bool `json:"tie_broken"`
	// TieAtCut: equal on every key with someone on the other side of the
	// cut, so every one of them goes on and the bureau must confirm.
	TieAtCut bool `json:"tie_at_cut"`
	GoesOn   bool `json:"goes_on"`
	Why      Note `json:"why"`
}

// Total is the weighted total of scores under a stage's weights, in
// ten-thousandths of a point.
func Total(st *StageSettings, scores map[string]int64) int64 {
	var t int64
	for _, w := range st.Weights {
		t += scores[w.Component] * int64(w.Percent)
	}
	return t
}

// VoteScores scales vote counts to component scores: the most voted
// candidate gets 100 points and the others in proportion (rounded down to a
// hundredth); with no votes at all everyone gets 0.
func VoteScores(votes map[int64]int) map[int64]int64 {
	max := 0
	for _, v := range votes {
		if v > max {
			max = v
		}
	}
	out := make(map[int64]int64, len(votes))
	for id, v := range votes {
		if max > 0 {
			out[id] = int64(v) * 10000 / int64(max)
		} else {
			out[id] = 0
		}
	}
	return out
}

// PanelScore is the mean of the members' submitted scores in hundredths of
// a point, rounded half up; ok is false when nobody has submitted.
func PanelScore(scores []int64) (mean int64, ok bool) {
	if len(scores) == 0 {
		return 0, false
	}
	var sum int64
	for _, s := range scores {
		sum += s
	}
	n := int64(len(scores))
	return (2*sum + n) / (2 * n), true
}

// Rank orders entrants by total, then (under TieBreakThenAll) by the stage's
// tie-break components, highest first; entrants equal on every key share a
// rank (1, 2, 2, 4). The order among fully equal entrants is by id, only to
// keep lists stable.
func Rank(st *StageSettings, es []Entrant) []Ranked {
	out := make([]Ranked, len(es))
	for i, e := range es {
		r := Ranked{Entrant: e, Total: Total(st, e.Scores)}
		for _, w := range st.Weights {
			s := e.Scores[w.Component]
			r.Parts = append(r.Parts, Part{Component: w.Component, Score: s, Percent: w.Percent, Points: s * int64(w.Percent)})
		}
		out[i] = r
	}
	cmp := func(a, b *Ranked) int { // >0 when a ranks before b
		if a.Total != b.Total {
			return sign(a.Total - b.Total)
		}
		if st.TieRule == TieBreakThenAll {
			for _, c := range st.TieBreak {
				if d := a.Scores[c] - b.Scores[c]; d != 0 {
					return sign(d)
				}
			}
		}
		return 0
	}
	sort.SliceStable(out, func(i, j int) bool {
		if c := cmp(&out[i], &out[j]); c != 0 {
			return c > 0
		}
		return out[i].ID < out[j].ID
	})
	for i := range out {
		if i > 0 && cmp(&out[i-1], &out[i]) == 0 {
			out[i].Rank = out[i-1].Rank
		} else {
			out[i].Rank = i + 1
		}
		if (i > 0 && out[i-1].Total == out[i].Total) || (i+1 < len(out) && out[i+1].Total == out[i].Total) {
			out[i].TieBroken = true
		}
	}
	for i := range out {
		// TieBroken only where the tie-break actually decided: a shared rank is a tie left standing.
		if out[i].TieBroken && sharesRank(out, i) && !brokenWithAnyone(out, i) {
			out[i].TieBroken = false
		}
	}
	return out
}

func sharesRank(rs []Ranked, i int) bool {
	return (i > 0 && rs[i-1].Rank == rs[i].Rank) || (i+1 < len(rs) && rs[i+1].Rank == rs[i].Rank)
}

// brokenWithAnyone reports whether some entrant with the same total has a
// different rank.
func brokenWithAnyone(rs []Ranked, i int) bool {
	for j := range rs {
		if j != i && rs[j].Total == rs[i].Total && rs[j].Rank != rs[i].Rank {
			return true
		}
	}
	return false
}

func sign(n int64) int {
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}

// Cut marks who goes on from a ranking with places places: everyone whose
// rank is within the places. When entrants equal on every key straddle the
// last place, all of them go on and are marked TieAtCut (the list then has
// more than places names and the bureau confirms it). It returns how many go
// on. Every entrant gets the reason in words.
func Cut(rs []Ranked, places int) int {
	n := 0
	for i := range rs {
		r := &rs[i]
		r.GoesOn = r.Rank <= places
		if r.GoesOn {
			n++
		}
	}
	for i := range rs {
		r := &rs[i]
		tied := 0
		for j := range rs {
			if rs[j].Rank == r.Rank {
				tied++
			}
		}
		r.TieAtCut = r.GoesOn && r.Rank+tied-1 > places
		switch {
		case r.TieAtCut:
			r.Why = Note{Key: "sel.why_tie_cut", Args: []any{tied, r.Rank, places}}
		case r.GoesOn && r.TieBroken:
			r.Why = Note{Key: "sel.why_in_tiebreak", Args: []any{r.Rank, places}}
		case r.GoesOn:
			r.Why = Note{Key: "sel.why_in", Args: []any{r.Rank, places}}
		case r.TieBroken:
			r.Why = Note{Key: "sel.why_out_tiebreak", Args: []any{r.Rank, places}}
		default:
			r.Why = Note{Key: "sel.why_out", Args: []any{r.Rank, places}}
		}
	}
	return n
}

// Places is how many of a district's candidates go on from a round that
// cuts by share: the district's row of the quota table (004 附件1) when the
// campaign has one, otherwise ShareBP of the district's advisors rounded
// half up ("约8%"), and at least one place when the district has advisors.
func Places(st *StageSettings, county string, advisors int) int {
	for _, q := range st.Quotas {
		if q.CountyCode == county {
			return q.Places
		}
	}
	if st.ShareBP <= 0 {
		return st.TopN
	}
	if advisors <= 0 {
		return 0
	}
	p := (advisors*st.ShareBP + 5000) / 10000
	if p < 1 {
		p = 1
	}
	return p
}

// RankStage ranks a stage: per district when it cuts by share (each
// district against its own places, from advisors by county), otherwise the
// whole stage against TopN (or, in the last round, the Commend places; 0 =
// nobody is cut). The result is in district
// order then rank.
func RankStage(st *StageSettings, es []Entrant, advisors map[string]int) []Ranked {
	if st.ShareBP <= 0 && len(st.Quotas) == 0 {
		rs := Rank(st, es)
		places := st.TopN
		if places <= 0 {
			places = st.Commend // the last round: the top N proposed for 通报表扬
		}
		if places <= 0 {
			places = len(rs)
		}
		Cut(rs, places)
		return rs
	}
	by := map[string][]Entrant{}
	var counties []string
	for _, e := range es {
		if _, ok := by[e.County]; !ok {
			counties = append(counties, e.County)
		}
		by[e.County] = append(by[e.County], e)
	}
	sort.Strings(counties)
	var out []Ranked
	for _, c := range counties {
		rs := Rank(st, by[c])
		Cut(rs, Places(st, c, advisors[c]))
		out = append(out, rs...)
	}
	return out
}

// FormatScore shows hundredths of a point as "87.65".
func FormatScore(centi int64) string { return fmt.Sprintf("%d.%02d", centi/100, centi%100) }

// FormatTotal shows a total (ten-thousandths) with four decimals, so that
// what separates two totals is visible: "77.5000".
func FormatTotal(t int64) string { return fmt.Sprintf("%d.%04d", t/10000, t%10000) }
