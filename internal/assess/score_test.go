package assess

import (
	"errors"
	"fmt"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

const village = "110101001001"

// item returns the preset's item by ID.
func item(t *testing.T, s Sheet, id string) Item {
	t.Helper()
	for _, it := range s.Items {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("sheet %q has no item %q", s.Name, id)
	return Item{}
}

// visitedMonths is a village served all of 2026 with an on-site door visit
// in the first n months.
func visitedMonths(n int) VillageFacts {
	v := VillageFacts{Code: village, Name: "东村", TermStart: "2026-01-01", TermEnd: "2026-12-31", Months: map[string]map[string]KindCount{}}
	for m := 1; m <= n; m++ {
		v.Months[fmt.Sprintf("2026-%02d", m)] = map[string]KindCount{policy.KindDoorVisit: {Entries: 1, Onsite: 1}}
	}
	return v
}

// The hand-worked example: 10 of 12 monthly visits loses 2 points
// ("每月不少于一次到村服务，12分，每少一次扣1分"), read from the counters.
func TestTenOfTwelveMonthlyVisitsLosesTwo(t *testing.T) {
	it := item(t, County100(), "monthly_visit")
	f := Facts{Year: 2026, AsOf: "2027-01-05", Villages: []VillageFacts{visitedMonths(10)}}
	r := ScoreItem(it, f)
	if r.Lost != Pt(2) || r.Score != Pt(10) {
		t.Fatalf("lost %s, score %s; want 2 and 10", r.Lost, r.Score)
	}
	var missed []string
	for _, e := range r.Evidence {
		if e.Key == "as.ev.month_missed" {
			missed = append(missed, e.Args[1].(string))
		}
	}
	if fmt.Sprint(missed) != "[2026年11月 2026年12月]" {
		t.Errorf("missed months %v, want November and December", missed)
	}
	// A visit made online does not count as on site.
	f.Villages[0].Months["2026-11"] = map[string]KindCount{policy.KindDoorVisit: {Entries: 1}}
	if r := ScoreItem(it, f); r.Lost != Pt(2) {
		t.Errorf("online visit: lost %s, want 2", r.Lost)
	}
	// Mid-December, December is still running: only November is missed.
	f.AsOf = "2026-12-15"
	if r := ScoreItem(it, f); r.Lost != Pt(1) {
		t.Errorf("as of mid-December: lost %s, want 1", r.Lost)
	}
}

// The same example through the duty rules: 12 monthly door-visit
// obligations, 10 met, 2 missed (六个一: 每月一次上门走访, 每少一次扣1分).
func TestMissedDutyPeriodsDeduct(t *testing.T) {
	it := item(t, Ningbo(), "door_visit")
	var ps []PeriodFact
	for m := 1; m <= 12; m++ {
		per, _ := policy.PeriodOf(policy.PeriodMonth, fmt.Sprintf("2026-%02d-01", m))
		ps = append(ps, PeriodFact{Village: village, VillageName: "东村", RuleID: "door_visit_month", RuleName: "入户走访",
			Kind: per.Kind, Start: per.Start, End: per.End, Need: 1, Count: 1, Met: m <= 10})
	}
	ps[11].Count = 0
	ps[10].Count = 0
	// Another rule's periods do not count for this item.
	ps = append(ps, PeriodFact{Village: village, RuleID: "duty_week", Start: "2026-01-05", End: "2026-01-11"})
	r := ScoreItem(it, Facts{Year: 2026, AsOf: "2027-01-05", Periods: ps})
	if r.Lost != Pt(2) || r.Score != Pt(10) {
		t.Fatalf("lost %s, score %s; want 2 and 10", r.Lost, r.Score)
	}
	last := r.Evidence[len(r.Evidence)-1]
	if last.Key != "as.ev.periods" || fmt.Sprint(last.Args) != "[12 10 2 0]" {
		t.Errorf("summary %s %v, want 12 periods, 10 met, 2 missed, 0 open", last.Key, last.Args)
	}
	// December not over yet: open, not missed.
	r = ScoreItem(it, Facts{Year: 2026, AsOf: "2026-12-20", Periods: ps})
	if r.Lost != Pt(1) {
		t.Errorf("as of 20 December: lost %s, want 1", r.Lost)
	}
	// No obligation of the rule at all: nothing to deduct, and it says so.
	r = ScoreItem(it, Facts{Year: 2026, AsOf: "2027-01-05"})
	if r.Lost != 0 || r.Evidence[0].Key != "as.ev.no_periods" {
		t.Errorf("no periods: lost %s, evidence %v", r.Lost, r.Evidence)
	}
}

// Half a point a missed week, capped at the item's 20 points.
func TestDeductionsCapAtItemPoints(t *testing.T) {
	it := item(t, Ningbo(), "duty")
	var ps []PeriodFact
	for _, w := range policy.Periods(policy.PeriodWeek, "2026-01-01", "2026-12-31") {
		ps = append(ps, PeriodFact{Village: village, RuleID: "duty_week", Kind: w.Kind, Start: w.Start, End: w.End, Need: 1})
	}
	r := ScoreItem(it, Facts{AsOf: "2026-03-01", Periods: ps})
	// 8 weeks ended before 1 March (the first from 29 December); the week ending on 1 March still runs.
	if r.Lost != Points(5*8) || r.Capped {
		t.Errorf("by March: lost %s capped %v, want 4 uncapped", r.Lost, r.Capped)
	}
	r = ScoreItem(it, Facts{AsOf: "2027-01-10", Periods: ps})
	if r.Score != 0 || r.Lost != Pt(20) || !r.Capped {
		t.Errorf("whole year missed: score %s lost %s capped %v, want 0, 20, capped", r.Score, r.Lost, r.Capped)
	}
}

// A missing annual plan loses 3 ("未制定年度服务计划扣3分").
func TestMissingAnnualPlanLosesThree(t *testing.T) {
	it := item(t, County100(), "plan")
	v := visitedMonths(12)
	r := ScoreItem(it, Facts{AsOf: "2026-12-31", Villages: []VillageFacts{v}})
	if r.Lost != Pt(3) || r.Score != 0 || r.Evidence[0].Key != "as.ev.no_doc_plan" {
		t.Fatalf("no plan: lost %s score %s evidence %v; want 3, 0, as.ev.no_doc_plan", r.Lost, r.Score, r.Evidence)
	}
	v.Docs = map[string]string{counsel.DocPlan: "2026-01-10"}
	if r := ScoreItem(it, Facts{AsOf: "2026-12-31", Villages: []VillageFacts{v}}); r.Lost != 0 || r.Score != Pt(3) {
		t.Errorf("with a plan: lost %s score %s, want 0 and 3", r.Lost, r.Score)
	}
}

// A board last updated 200 days ago loses 3; no board loses 5; one updated
// 100 days ago loses nothing ("无公示牌扣5分，未及时更新扣3分").
func TestBoardAge(t *testing.T) {
	it := item(t, County100(), "board")
	cases := []struct {
		name    string
		has     bool
		updated string
		lost    Points
		key     string
	}{
		{"200 days ago", true, "2026-05-17", Pt(3), "as.ev.board_stale"},
		{"100 days ago", true, "2026-08-25", 0, "as.ev.board_ok"},
		{"no board", false, "", Pt(5), "as.ev.no_board"},
	}
	for _, c := range cases {
		v := VillageFacts{Code: village, Name: "东村", HasBoard: c.has, BoardUpdatedOn: c.updated}
		r := ScoreItem(it, Facts{AsOf: "2026-12-03", Villages: []VillageFacts{v}})
		if r.Lost != c.lost || r.Evidence[0].Key != c.key {
			t.Errorf("%s: lost %s (%s), want %s (%s)", c.name, r.Lost, r.Evidence[0].Key, c.lost, c.key)
		}
	}
	if d := daysBetween("2026-05-17", "2026-12-03"); d != 200 {
		t.Errorf("days between 17 May and 3 Dec = %d, want 200", d)
	}
}

func TestKindCountAndWeChat(t *testing.T) {
	s := County100()
	v := visitedMonths(12) // 12 door visits
	v.Months["2026-03"][policy.KindLecture] = KindCount{Entries: 1}
	r := ScoreItem(item(t, s, "work_log"), Facts{Villages: []VillageFacts{v}})
	if r.Lost != Pt(11) { // 13 entries of 24
		t.Errorf("work log: lost %s, want 11", r.Lost)
	}
	r = ScoreItem(item(t, s, "lectures"), Facts{Villages: []VillageFacts{v}})
	if r.Lost != Pt(5) { // 1 lecture of 2
		t.Errorf("lectures: lost %s, want 5", r.Lost)
	}
	w := item(t, s, "wechat")
	for _, c := range []struct {
		has, valid bool
		lost       Points
	}{{false, false, Pt(5)}, {true, false, Pt(2)}, {true, true, 0}} {
		v.HasGroup, v.GroupQRValid = c.has, c.valid
		if r := ScoreItem(w, Facts{Villages: []VillageFacts{v}}); r.Lost != c.lost {
			t.Errorf("group %v qr %v: lost %s, want %s", c.has, c.valid, r.Lost, c.lost)
		}
	}
}

// Hand scores: pending until scored, then the average of the scorers'
// scores (two village committees of one advisor), rounded to a tenth.
func TestHandScores(t *testing.T) {
	it := item(t, County100(), "village")
	r := ScoreItem(it, Facts{})
	if !r.Pending || r.Score != 0 {
		t.Fatalf("unscored: pending %v score %s", r.Pending, r.Score)
	}
	r = ScoreItem(it, Facts{Scores: map[string][]HandScore{"village": {{Region: village, Points: Pt(14)}, {Region: "110101001002", Points: 125}}}})
	if r.Pending || r.Score != 133 { // (14 + 12.5) / 2 = 13.25 → 13.3
		t.Errorf("two scores: pending %v score %s, want 13.3", r.Pending, r.Score)
	}
}

func TestPresetsAreSound(t *testing.T) {
	for key, s := range Presets() {
		if errs := s.Validate(); len(errs) > 0 {
			t.Errorf("%s: %v", key, errs)
		}
		if s.Total() != Pt(100) {
			t.Errorf("%s totals %s, want 100", key, s.Total())
		}
	}
	if len(PresetKeys) != len(Presets()) {
		t.Errorf("PresetKeys %v does not list every preset", PresetKeys)
	}
}

// The sheet is inherited down the tree like the duty rules.
func TestResolveInherits(t *testing.T) {
	county, town := "110101000000", "110101001000"
	layers := []Layer{
		{Region: town, Sheet: Sheet{Items: []Item{{ID: "plan", Disabled: true}, {ID: "extra", Name: "调解", Points: Pt(5), Method: MethodScorer, Scorer: ScorerTown}}}},
		{Region: county, Sheet: County100()},
		{Region: county, Sheet: Sheet{Name: "某县考评表", Items: []Item{{ID: "board", Name: "公示牌", Points: Pt(6), Method: MethodBoard, Days: 90, Deduct: Pt(2)}}}},
		{Region: "120101000000", Sheet: Ningbo()}, // another county: ignored
	}
	s := Resolve(layers, village)
	if s.Name != "某县考评表" {
		t.Errorf("name %q", s.Name)
	}
	var ids []string
	for _, it := range s.Items {
		ids = append(ids, it.ID)
	}
	if fmt.Sprint(ids) != "[monthly_visit board work_log lectures improvement wechat village town inspection bureau extra]" {
		t.Errorf("items %v", ids)
	}
	if b := s.Items[1]; b.Points != Pt(6) || b.Days != 90 {
		t.Errorf("board not replaced in place: %+v", b)
	}
	if got := Resolve(layers, "110101002001"); len(got.Items) != 11 || got.Items[1].ID != "plan" {
		t.Errorf("a village of another town keeps the county sheet: %d items", len(got.Items))
	}
}

func TestSheetValidate(t *testing.T) {
	s := Sheet{Items: []Item{
		{ID: "a", Name: "甲", Points: Pt(101), Method: MethodScorer, Scorer: ScorerVillage},
		{ID: "a", Name: "乙", Points: Pt(5), Method: MethodDocument, DocKind: "x", Deduct: Pt(1)},
		{ID: "c", Name: "丙", Points: Pt(5), Method: "guess"},
	}}
	got := map[string]bool{}
	for _, e := range s.Validate() {
		got[e.Field+" "+e.Key] = true
	}
	for _, want := range []string{"items.0.points as.err.item_points", "items.1.doc_kind as.err.doc_kind", "items.1.id as.err.item_dup", "items.2.method as.err.method"} {
		if !got[want] {
			t.Errorf("missing %s in %v", want, got)
		}
	}
}

func TestPoints(t *testing.T) {
	for in, want := range map[string]Points{"12": 120, "0.5": 5, "11.5": 115, " 3 ": 30} {
		if p, ok := ParsePoints(in); !ok || p != want {
			t.Errorf("ParsePoints(%q) = %d %v, want %d", in, p, ok, want)
		}
	}
	for _, bad := range []string{"", "1.25", "x", "NaN", "1e9"} {
		if _, ok := ParsePoints(bad); ok {
			t.Errorf("ParsePoints(%q) accepted", bad)
		}
	}
	if Points(115).String() != "11.5" || Pt(-2).String() != "-2" {
		t.Errorf("String: %s %s", Points(115), Pt(-2))
	}
}

func TestThresholds(t *testing.T) {
	if err := DefaultThresholds.Validate(); err != nil {
		t.Fatal(err)
	}
	err := Thresholds{Excellent: Pt(80), Pass: Pt(85), Basic: Pt(60)}.Validate()
	var e *counsel.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Key != "as.err.threshold_overlap" {
		t.Fatalf("overlap: %v", err)
	}
	if err := (Thresholds{Excellent: Pt(90), Pass: Pt(60), Basic: Pt(60)}).Validate(); err == nil {
		t.Error("equal bands accepted")
	}
	th := DefaultThresholds
	for _, c := range []struct {
		total, max Points
		want       string
	}{{Pt(90), Pt(100), GradeExcellent}, {895, Pt(100), GradePass}, {Pt(75), Pt(100), GradePass}, {Pt(60), Pt(100), GradeBasic}, {595, Pt(100), GradeFail},
		{Pt(72), Pt(80), GradeExcellent}, {Pt(71), Pt(80), GradePass}} {
		if g := th.GradeOf(c.total, c.max); g != c.want {
			t.Errorf("GradeOf(%s/%s) = %s, want %s", c.total, c.max, g, c.want)
		}
	}
}

// Inspection findings: a point a problem found, nothing for a clean visit.
func TestInspectionFindings(t *testing.T) {
	it := item(t, County100(), "inspection")
	f := Facts{Findings: []FindingFact{
		{Village: village, VillageName: "东村", On: "2026-05-10", Title: "随机抽查", Problems: []string{"board", "on_duty"}},
		{Village: village, VillageName: "东村", On: "2026-09-10", Title: "暗访"},
	}}
	r := ScoreItem(it, f)
	if r.Lost != Pt(2) || r.Score != Pt(2) || r.Evidence[0].Key != "as.ev.inspected_problems" || r.Evidence[1].Key != "as.ev.inspected_ok" {
		t.Errorf("lost %s score %s evidence %v; want 2 lost", r.Lost, r.Score, r.Evidence)
	}
	if r := ScoreItem(it, Facts{}); r.Lost != 0 || r.Evidence[0].Key != "as.ev.not_inspected" {
		t.Errorf("not inspected: %+v", r)
	}
}

// The residents' survey: points × average / 5; a village short of the
// minimum is named; no answer at all scores nothing.
func TestSurveyItem(t *testing.T) {
	it := item(t, Ningbo(), "residents") // 16 points, 20 answers a village
	f := Facts{Surveys: []SurveyFact{
		{Village: village, VillageName: "东村", Count: 20, Sum: 20 * 4 * 4},      // all 4s
		{Village: "110101001002", VillageName: "西村", Count: 5, Sum: 5 * 4 * 5}, // all 5s
	}}
	r := ScoreItem(it, f)
	// (320 + 100) / (25 × 4 × 5) = 0.84 → 13.44 → 13.4
	if r.Score != 134 || r.Pending {
		t.Errorf("score %s, want 13.4", r.Score)
	}
	var short []any
	for _, e := range r.Evidence {
		if e.Key == "as.ev.survey_short" {
			short = e.Args
		}
	}
	if fmt.Sprint(short) != "[西村 5 20]" {
		t.Errorf("short village %v, want 西村 with 5 of 20", short)
	}
	if r := ScoreItem(it, Facts{}); r.Score != 0 || r.Evidence[0].Key != "as.ev.no_survey" {
		t.Errorf("no answers: %+v", r)
	}
}
