package selection

import (
	"testing"

	"github.com/villagecounsel/counsel/internal/calendar"
)

// Seed 004's numbers (常司发〔2022〕21号) as tests.

func TestDefault004Valid(t *testing.T) {
	s := Default004(2022)
	if err := s.Validate(); err != nil {
		t.Fatalf("seed 004 settings invalid: %v", err)
	}
	city, _ := s.Stage(StageCity)
	if city.Weight(CompReport) != 70 || city.Weight(CompVote) != 30 || city.TopN != 41 {
		t.Errorf("city round = %+v, want report 70, vote 30, top 41", city)
	}
	prov, _ := s.Stage(StageProvince)
	if prov.Weight(CompProvince) != 30 || prov.Weight(CompPrior) != 40 || prov.Weight(CompVote) != 30 || prov.Commend != 100 {
		t.Errorf("province round = %+v, want 30/40/30, commend 100", prov)
	}
	if s.CutoffDate != "2022-01-01" || len(s.AssessYears) != 3 || s.AssessYears[0] != 2019 || s.NoticeWorkdays != 5 {
		t.Errorf("cut-off %s, assess %v, notice %d; want 2022-01-01, 2019–2021, 5", s.CutoffDate, s.AssessYears, s.NoticeWorkdays)
	}
	if s.ProfileDue != "2022-04-30" || s.FormsDue != "2022-05-31" || s.PhotosDue != "2022-07-20" {
		t.Errorf("deadlines %s %s %s", s.ProfileDue, s.FormsDue, s.PhotosDue)
	}
	bad := Default004(2022)
	bad.Stages[1].Weights = []Weight{{CompReport, 70}, {CompVote, 20}}
	if err := bad.Validate(); err == nil {
		t.Error("weights summing to 90 accepted")
	}
}

// The city round: 述职 70% + 网络投票 30%.
func TestCityWeights7030(t *testing.T) {
	s := Default004(2022)
	city, _ := s.Stage(StageCity)
	// 述职 85.50, vote 60.00 → 85.50×0.7 + 60×0.3 = 59.85 + 18 = 77.85
	got := Total(city, map[string]int64{CompReport: 8550, CompVote: 6000})
	if got != 778500 || FormatTotal(got) != "77.8500" {
		t.Errorf("70/30 total = %d (%s), want 778500 (77.8500)", got, FormatTotal(got))
	}
	// The province's assessment is no part of the city round.
	if got2 := Total(city, map[string]int64{CompReport: 8550, CompVote: 6000, CompProvince: 10000}); got2 != got {
		t.Errorf("city total moved with a province score: %d", got2)
	}
}

// The province round: 省厅考核 30% + 市级得分 40% + 网络投票 30%.
func TestProvinceWeights304030(t *testing.T) {
	s := Default004(2022)
	prov, _ := s.Stage(StageProvince)
	// province 90, city 77.85, vote 50 → 27 + 31.14 + 15 = 73.14
	got := Total(prov, map[string]int64{CompProvince: 9000, CompPrior: 7785, CompVote: 5000})
	if got != 731400 {
		t.Errorf("30/40/30 total = %s, want 73.1400", FormatTotal(got))
	}
}

func TestVoteScores(t *testing.T) {
	got := VoteScores(map[int64]int{1: 400, 2: 300, 3: 0, 4: 133})
	want := map[int64]int64{1: 10000, 2: 7500, 3: 0, 4: 3325}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("vote score of %d = %d, want %d", id, got[id], w)
		}
	}
	if z := VoteScores(map[int64]int{1: 0}); z[1] != 0 {
		t.Errorf("no votes → %d, want 0", z[1])
	}
}

func TestPanelScore(t *testing.T) {
	if m, ok := PanelScore([]int64{9000, 8500, 8000}); !ok || m != 8500 {
		t.Errorf("mean = %d %v, want 8500", m, ok)
	}
	if m, _ := PanelScore([]int64{9000, 8001}); m != 8501 { // 8500.5 → 8501
		t.Errorf("mean half up = %d, want 8501", m)
	}
	if _, ok := PanelScore(nil); ok {
		t.Error("mean of nobody ok")
	}
}

// 按本地村（社区）法律顾问总数约8%的比例: rounded half up, at least one place,
// the 附件1 table first.
func TestPlaces8Percent(t *testing.T) {
	s := Default004(2022)
	d, _ := s.Stage(StageDistrict)
	for _, c := range []struct{ advisors, want int }{
		{100, 8}, {25, 2}, {31, 2}, {32, 3}, // 2.48 → 2, 2.56 → 3
		{50, 4}, {56, 4}, {57, 5}, // 4.48 → 4, 4.56 → 5
		{6, 1}, {12, 1}, {19, 2}, // 0.48 → at least 1; 0.96 → 1; 1.52 → 2
		{0, 0},
	} {
		if got := Places(d, "320402000000", c.advisors); got != c.want {
			t.Errorf("places of %d advisors = %d, want %d", c.advisors, got, c.want)
		}
	}
	d.Quotas = []Quota{{CountyCode: "320402000000", Places: 7}}
	if got := Places(d, "320402000000", 32); got != 7 {
		t.Errorf("附件1 row ignored: %d, want 7", got)
	}
	if got := Places(d, "320404000000", 32); got != 3 {
		t.Errorf("district without a row = %d, want 3", got)
	}
}

// The top-41 cut of the city round, with a tie at 41.
func TestTop41TieAt41(t *testing.T) {
	s := Default004(2022)
	city, _ := s.Stage(StageCity)
	var es []Entrant
	// 40 clear candidates: report 99.00 down to 60.00, vote 50.
	for i := 0; i < 40; i++ {
		es = append(es, Entrant{ID: int64(i + 1), Scores: map[string]int64{CompReport: int64(9900 - i*100), CompVote: 5000}})
	}
	// Two at 41 with the same total 50.00: A report 50/vote 50, B report 40/vote 73.33…
	// A: 5000×70 + 5000×30 = 500000; B: 4000×70 + 7333×30 = 499990 — not equal; use exact pairs:
	// A: report 6000, vote 2000 → 420000+60000 = 480000
	// B: report 5700, vote 2700 → 399000+81000 = 480000
	es = append(es, Entrant{ID: 41, Name: "A", Scores: map[string]int64{CompReport: 6000, CompVote: 2000}})
	es = append(es, Entrant{ID: 42, Name: "B", Scores: map[string]int64{CompReport: 5700, CompVote: 2700}})
	es = append(es, Entrant{ID: 43, Scores: map[string]int64{CompReport: 1000, CompVote: 1000}})
	rs := RankStage(city, es, nil)
	byID := map[int64]Ranked{}
	for _, r := range rs {
		byID[r.ID] = r
	}
	a, b := byID[41], byID[42]
	if a.Total != b.Total || a.Total != 480000 {
		t.Fatalf("tie totals %d %d, want 480000", a.Total, b.Total)
	}
	// The tie is broken by the 述职 score (the heavier part): A is 41st and goes on, B 42nd does not.
	if a.Rank != 41 || !a.GoesOn || !a.TieBroken || a.Why.Key != "sel.why_in_tiebreak" {
		t.Errorf("A = rank %d, on %v, broken %v, why %s; want 41, on, broken", a.Rank, a.GoesOn, a.TieBroken, a.Why.Key)
	}
	if b.Rank != 42 || b.GoesOn || b.Why.Key != "sel.why_out_tiebreak" {
		t.Errorf("B = rank %d, on %v, why %s; want 42, out", b.Rank, b.GoesOn, b.Why.Key)
	}
	on := 0
	for _, r := range rs {
		if r.GoesOn {
			on++
		}
	}
	if on != 41 {
		t.Errorf("%d go on, want 41", on)
	}

	// Equal on every key: both share rank 41, both go on, flagged for the bureau.
	es[41].Scores = map[string]int64{CompReport: 6000, CompVote: 2000}
	rs = RankStage(city, es, nil)
	on = 0
	for _, r := range rs {
		if r.GoesOn {
			on++
		}
		if r.ID == 41 || r.ID == 42 {
			if r.Rank != 41 || !r.GoesOn || !r.TieAtCut || r.Why.Key != "sel.why_tie_cut" {
				t.Errorf("full tie %d = rank %d on %v cut %v why %s", r.ID, r.Rank, r.GoesOn, r.TieAtCut, r.Why.Key)
			}
		} else if r.TieAtCut {
			t.Errorf("%d flagged at the cut", r.ID)
		}
	}
	if on != 42 {
		t.Errorf("full tie: %d go on, want 42 (both tied at 41)", on)
	}

	// Rule "all": the totals alone decide; the first tie at 41 lets both on.
	city.TieRule = TieAll
	es[41].Scores = map[string]int64{CompReport: 5700, CompVote: 2700}
	rs = RankStage(city, es, nil)
	for _, r := range rs {
		if (r.ID == 41 || r.ID == 42) && (r.Rank != 41 || !r.TieAtCut) {
			t.Errorf("rule all: %d rank %d cut %v, want 41, flagged", r.ID, r.Rank, r.TieAtCut)
		}
	}
}

// The district round cuts each district against its own places.
func TestDistrictCut(t *testing.T) {
	s := Default004(2022)
	d, _ := s.Stage(StageDistrict)
	var es []Entrant
	for i := 0; i < 5; i++ {
		es = append(es, Entrant{ID: int64(10 + i), County: "A", Scores: map[string]int64{CompReport: int64(9000 - i*500), CompVote: 5000}})
		es = append(es, Entrant{ID: int64(20 + i), County: "B", Scores: map[string]int64{CompReport: int64(8000 - i*500), CompVote: 5000}})
	}
	rs := RankStage(d, es, map[string]int{"A": 32, "B": 12}) // 3 and 1 places
	on := map[string]int{}
	for _, r := range rs {
		if r.GoesOn {
			on[r.County]++
		}
	}
	if on["A"] != 3 || on["B"] != 1 {
		t.Errorf("go on A %d B %d, want 3 and 1", on["A"], on["B"])
	}
}

// 公示 of five working days posted on the Friday before the National Day.
func TestNoticeOverNationalDay(t *testing.T) {
	cal := calendar.New(nil)
	for _, c := range []struct{ start, end, next string }{
		// 2022: 10-01..10-07 off, Sat 10-08 and Sun 10-09 make-up working days.
		{"2022-09-30", "2022-10-12", "2022-10-13"},
		// 2025: 10-01..10-08 off (国庆+中秋), Sat 10-11 a make-up working day;
		// the Friday before is 09-26, Sun 09-28 a make-up working day.
		{"2025-09-26", "2025-10-10", "2025-10-11"}, // 09-28, 09-29, 09-30, 10-09, 10-10
		// An ordinary week: Monday → next Monday.
		{"2022-06-06", "2022-06-13", "2022-06-14"},
		// 2022 Dragon Boat Festival: 06-03 (Fri) off.
		{"2022-05-30", "2022-06-07", "2022-06-08"}, // 05-31, 06-01, 06-02, 06-06, 06-07
	} {
		n, err := NoticePeriod(cal, c.start, 5)
		if err != nil || n.End != c.end || n.NextOpens != c.next {
			t.Errorf("公示 from %s = %+v, %v; want end %s, next %s", c.start, n, err, c.end, c.next)
		}
	}
	n, _ := NoticePeriod(cal, "2022-09-30", 5)
	if n.Over("2022-10-12") || !n.Over("2022-10-13") {
		t.Error("Over wrong on the last day or the day after")
	}
	if _, err := NoticePeriod(cal, "2022-9-30", 5); err == nil {
		t.Error("bad date accepted")
	}
}
