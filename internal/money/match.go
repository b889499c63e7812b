package money

import (
	"fmt"
	"sort"
	"strings"

	"github.com/villagecounsel/counsel"
)

// Matching suggestions (R48, seed 003 二(一), 二(五)): a pure function that
// proposes an advisor for each village of a matching round. It is not yet
// wired to a page; the clerk's accept/edit/reject screen is still to come.
//
// The rules, in order of weight:
//   - the load limit is never exceeded: an advisor's load counts the
//     agreements already in force with the new term (Load) plus what this
//     round suggests;
//   - villages are served in this order: city-level underdeveloped, then
//     county-level underdeveloped, then the rest (by code), so the strongest
//     advisors go to underdeveloped villages first (003 二(五));
//   - a pair assessed 合格 last year is kept together (seed 001);
//   - then the higher-rated advisor (Rating: last year's assessment, years
//     served, on-site hours, as the caller scores them);
//   - then the nearer one: living in the village, in its town, in its county
//     (003 二(一): 优先聘请生活在本村(社区)或周边村(社区)的律师);
//   - ties go to the lower advisor id, so a suggestion is repeatable.

// MatchVillage is a village of a matching round.
type MatchVillage struct {
	Code           string
	Name           string
	Underdeveloped string // "city", "county" or ""
	LastAdvisorID  int64  // last year's advisor, 0 if none
	LastQualified  bool   // last year's advisor was assessed 合格
}

// MatchAdvisor is an advisor offered in a matching round.
type MatchAdvisor struct {
	ID       int64
	Name     string
	HomeCode string // where the advisor lives (a village or town code), "" if unknown
	Rating   int    // higher is stronger
	Load     int    // agreements already in force with the new term
}

// Suggestion is the advisor proposed for a village, with the reason in words.
type Suggestion struct {
	Village   string
	AdvisorID int64 // 0: nobody left under the load limit
	Reason    string
}

// Suggest proposes an advisor for every village without exceeding limit
// villages per advisor.
func Suggest(villages []MatchVillage, advisors []MatchAdvisor, limit int) []Suggestion {
	vs := append([]MatchVillage(nil), villages...)
	rank := func(u string) int {
		switch u {
		case counsel.UnderdevelopedCity:
			return 0
		case counsel.UnderdevelopedCounty:
			return 1
		}
		return 2
	}
	sort.SliceStable(vs, func(i, j int) bool {
		if rank(vs[i].Underdeveloped) != rank(vs[j].Underdeveloped) {
			return rank(vs[i].Underdeveloped) < rank(vs[j].Underdeveloped)
		}
		return vs[i].Code < vs[j].Code
	})
	load := map[int64]int{}
	for _, a := range advisors {
		load[a.ID] = a.Load
	}
	out := make([]Suggestion, 0, len(vs))
	for _, v := range vs {
		best := -1
		var bestKey [4]int
		for i, a := range advisors {
			if load[a.ID] >= limit {
				continue
			}
			keep := 0
			if v.LastQualified && v.LastAdvisorID == a.ID {
				keep = 1
			}
			key := [4]int{keep, a.Rating, nearness(a.HomeCode, v.Code), -int(a.ID)}
			if best < 0 || less(bestKey, key) {
				best, bestKey = i, key
			}
		}
		if best < 0 {
			out = append(out, Suggestion{Village: v.Code, Reason: fmt.Sprintf("%s：所有法律顾问均已达到%d个村的上限，需另行安排", v.Name, limit)})
			continue
		}
		a := advisors[best]
		load[a.ID]++
		var why []string
		if bestKey[0] == 1 {
			why = append(why, "上年度考核合格，建议继续聘任")
		}
		if v.Underdeveloped != "" {
			why = append(why, "欠发达村优先安排评价较高的法律顾问")
		}
		switch bestKey[2] {
		case 3:
			why = append(why, "居住在本村（社区）")
		case 2:
			why = append(why, "居住在本乡镇（街道）")
		case 1:
			why = append(why, "居住在本区县")
		}
		why = append(why, fmt.Sprintf("评分%d，本轮后承担%d个村（上限%d）", a.Rating, load[a.ID], limit))
		out = append(out, Suggestion{Village: v.Code, AdvisorID: a.ID, Reason: v.Name + "：建议" + a.Name + "，" + strings.Join(why, "；")})
	}
	return out
}

// nearness is 3 when the advisor lives in the village, 2 in its town, 1 in
// its county, 0 otherwise or unknown.
func nearness(home, village string) int {
	if home == "" {
		return 0
	}
	switch {
	case home == village:
		return 3
	case counsel.AncestorAt(home, counsel.LevelTown) == counsel.AncestorAt(village, counsel.LevelTown):
		return 2
	case counsel.AncestorAt(home, counsel.LevelCounty) == counsel.AncestorAt(village, counsel.LevelCounty):
		return 1
	}
	return 0
}

func less(a, b [4]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
