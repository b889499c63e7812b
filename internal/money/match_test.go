package money

import (
	"fmt"
	"strings"
	"testing"
)

// TestSuggestUnderdevelopedGetsStronger: of two otherwise equal advisors,
// the underdeveloped village gets the higher-rated one, even when it comes
// later in code order.
func TestSuggestUnderdevelopedGetsStronger(t *testing.T) {
	villages := []MatchVillage{
		{Code: "621025100200", Name: "东关村"},
		{Code: "621025100201", Name: "西关村", Underdeveloped: "county"},
	}
	advisors := []MatchAdvisor{{ID: 1, Name: "甲", Rating: 60}, {ID: 2, Name: "乙", Rating: 90}}
	got := Suggest(villages, advisors, 1)
	by := map[string]Suggestion{}
	for _, s := range got {
		by[s.Village] = s
	}
	if by["621025100201"].AdvisorID != 2 || by["621025100200"].AdvisorID != 1 {
		t.Fatalf("suggestions: %+v", got)
	}
	if !strings.Contains(by["621025100201"].Reason, "欠发达村优先安排评价较高的法律顾问") {
		t.Errorf("reason: %q", by["621025100201"].Reason)
	}
}

func TestSuggestKeepsQualifiedPairAndNearby(t *testing.T) {
	villages := []MatchVillage{{Code: "621025100200", Name: "东关村", LastAdvisorID: 1, LastQualified: true}, {Code: "621025101200", Name: "小寺头村"}}
	advisors := []MatchAdvisor{{ID: 1, Name: "甲", Rating: 50}, {ID: 2, Name: "乙", Rating: 70, HomeCode: "621025100000"}, {ID: 3, Name: "丙", Rating: 70, HomeCode: "621025101203"}}
	got := Suggest(villages, advisors, 5)
	if got[0].AdvisorID != 1 || !strings.Contains(got[0].Reason, "上年度考核合格，建议继续聘任") {
		t.Errorf("qualified pair: %+v", got[0])
	}
	if got[1].AdvisorID != 3 || !strings.Contains(got[1].Reason, "居住在本乡镇（街道）") {
		t.Errorf("nearby: %+v", got[1])
	}
}

// TestSuggestNeverExceedsLoad checks the load limit over a county-sized
// round: 300 villages, 70 advisors some of whom already serve villages.
func TestSuggestNeverExceedsLoad(t *testing.T) {
	var vs []MatchVillage
	for i := 0; i < 300; i++ {
		u := []string{"", "", "county", "city"}[i%4]
		vs = append(vs, MatchVillage{Code: fmt.Sprintf("621025%03d%03d", 100+i/20, 200+i%20), Name: fmt.Sprint("村", i), Underdeveloped: u, LastAdvisorID: int64(i%70 + 1), LastQualified: i%3 == 0})
	}
	var as []MatchAdvisor
	for i := 1; i <= 70; i++ {
		as = append(as, MatchAdvisor{ID: int64(i), Name: fmt.Sprint("顾问", i), Rating: i % 10, Load: i % 3})
	}
	got := Suggest(vs, as, 5)
	load := map[int64]int{}
	for _, a := range as {
		load[a.ID] = a.Load
	}
	unassigned := 0
	for _, s := range got {
		if s.AdvisorID == 0 {
			unassigned++
			continue
		}
		load[s.AdvisorID]++
	}
	for id, n := range load {
		if n > 5 {
			t.Errorf("advisor %d has %d villages, over the limit of 5", id, n)
		}
	}
	// capacity is 70×5 less the loads already carried (24 advisors with 1,
	// 23 with 2: 70) = 280 places
	if len(got) != 300 || unassigned != 300-280 {
		t.Errorf("%d suggestions, %d unassigned; want 300 and 20", len(got), unassigned)
	}
}
