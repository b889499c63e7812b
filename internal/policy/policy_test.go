package policy

import (
	"strings"
	"testing"
)

func find(sts []Status, rule, start string) (Status, bool) {
	for _, s := range sts {
		if s.RuleID == rule && s.Period.Start == start {
			return s, true
		}
	}
	return Status{}, false
}

func TestPeriods(t *testing.T) {
	tests := []struct {
		kind, date, start, end, zh, en string
	}{
		{PeriodWeek, "2026-03-18", "2026-03-16", "2026-03-22", "2026年第12周", "2026-W12"},
		{PeriodWeek, "2026-03-22", "2026-03-16", "2026-03-22", "2026年第12周", "2026-W12"},
		{PeriodWeek, "2027-01-01", "2026-12-28", "2027-01-03", "2026年第53周", "2026-W53"},
		{PeriodMonth, "2028-02-10", "2028-02-01", "2028-02-29", "2028年2月", "2028-02"},
		{PeriodQuarter, "2026-08-17", "2026-07-01", "2026-09-30", "2026年第3季度", "2026 Q3"},
		{PeriodHalf, "2026-06-30", "2026-01-01", "2026-06-30", "2026年上半年", "2026 H1"},
		{PeriodHalf, "2026-07-01", "2026-07-01", "2026-12-31", "2026年下半年", "2026 H2"},
		{PeriodYear, "2026-07-01", "2026-01-01", "2026-12-31", "2026年", "2026"},
	}
	for _, tt := range tests {
		p, ok := PeriodOf(tt.kind, tt.date)
		if !ok || p.Start != tt.start || p.End != tt.end || PeriodLabel(p, "zh") != tt.zh || PeriodLabel(p, "en") != tt.en {
			t.Errorf("PeriodOf(%s, %s) = %+v %q %q, want %s..%s %q %q", tt.kind, tt.date, p, PeriodLabel(p, "zh"), PeriodLabel(p, "en"), tt.start, tt.end, tt.zh, tt.en)
		}
	}
	if got, want := len(Periods(PeriodWeek, "2026-01-01", "2026-12-31")), 53; got != want {
		t.Errorf("weeks in 2026: got %d, want %d", got, want)
	}
	if got, want := len(Periods(PeriodQuarter, "2026-02-15", "2027-02-14")), 5; got != want {
		t.Errorf("quarters: got %d, want %d", got, want)
	}
	if got := Periods(PeriodMonth, "2026-02-01", "2026-01-01"); got != nil {
		t.Errorf("reversed range: got %v, want nil", got)
	}
	if _, ok := PeriodOf("decade", "2026-01-01"); ok {
		t.Errorf("unknown kind accepted")
	}
}

func TestEvaluateHandWorked(t *testing.T) {
	year := Term{"2026-01-01", "2026-12-31"}
	onsite := func(date string, min int) Entry { return Entry{date, KindOnsiteDuty, ModeOnsite, min} }
	remote := VillageFlags{Remote: true}
	normal := VillageFlags{}
	lecture := Entry{"2026-03-10", KindLecture, ModeOnsite, 120}

	var sessions11 []Entry
	for m := 1; m <= 12; m++ {
		min := 240
		if m == 5 {
			min = 180
		}
		sessions11 = append(sessions11, Entry{Date: "2026-" + two(m) + "-10", Kind: KindOnsiteDuty, Mode: ModeOnsite, Minutes: min})
	}
	sessions12 := append([]Entry(nil), sessions11...)
	sessions12[4].Minutes = 300

	tests := []struct {
		name      string
		p         Policy
		flags     VillageFlags
		term      Term
		entries   []Entry
		today     string
		rule      string
		start     string
		state     string
		count     int
		need      int
		reason    string // substring of Reason
		reasonEN  string // substring of ReasonEN
		partial   bool
		note      string // exact Note when partial
		wantAbsnt bool   // the rule must not produce this status
	}{
		{name: "Zhengning 7.5 h in a quarter is missed", p: Zhengning(), term: year, today: "2026-04-10",
			entries: []Entry{onsite("2026-01-05", 150), {"2026-02-05", KindMediation, ModeOnsite, 150}, {"2026-03-05", KindDoorVisit, ModeOnsite, 150}, {"2026-03-06", KindConsultation, ModePhone, 600}},
			rule:    "onsite_hours_quarter", start: "2026-01-01", state: StateMissed,
			reason: "2026年第1季度到村服务 7.5/8 小时", reasonEN: "7.5 of 8 hours in 2026 Q1"},
		{name: "Zhengning 8 h in a quarter is met", p: Zhengning(), term: year, today: "2026-04-10",
			entries: []Entry{onsite("2026-01-05", 240), {"2026-02-05", KindLecture, ModeOnsite, 240}},
			rule:    "onsite_hours_quarter", start: "2026-01-01", state: StateMet, reason: "8/8 小时"},
		{name: "Zhengning current quarter short is due", p: Zhengning(), term: year, today: "2026-05-10",
			entries: []Entry{onsite("2026-04-05", 90)},
			rule:    "onsite_hours_quarter", start: "2026-04-01", state: StateDue, reason: "本季度到村服务 1.5/8 小时", reasonEN: "this quarter"},
		{name: "Zhengning one lecture plus one publicity is met", p: Zhengning(), term: year, today: "2026-06-01",
			entries: []Entry{lecture, {"2026-05-01", KindPublicity, ModeWeChat, 30}},
			rule:    "lecture_publicity_year", start: "2026-01-01", state: StateMet, count: 2, need: 2},
		{name: "Ningbo remote village, 1 lecture a year is met", p: Ningbo(), flags: remote, term: year, today: "2027-01-05",
			entries: []Entry{lecture}, rule: "lecture_year_remote", start: "2026-01-01", state: StateMet, count: 1, need: 1,
			reason: "2026年现场法治讲座 1/1 次"},
		{name: "Ningbo normal village, 1 lecture a year misses H2", p: Ningbo(), flags: normal, term: year, today: "2027-01-05",
			entries: []Entry{lecture}, rule: "lecture_half", start: "2026-07-01", state: StateMissed, count: 0, need: 1,
			reason: "2026年下半年现场法治讲座 0/1 次"},
		{name: "Ningbo normal village has no yearly remote lecture rule", p: Ningbo(), flags: normal, term: year, today: "2027-01-05",
			rule: "lecture_year_remote", start: "2026-01-01", wantAbsnt: true},
		{name: "Ningbo remote village has no weekly duty", p: Ningbo(), flags: remote, term: year, today: "2026-03-18",
			rule: "duty_week", start: "2026-03-16", wantAbsnt: true},
		{name: "Ningbo remote village monthly duty", p: Ningbo(), flags: remote, term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-02-11", 60)}, rule: "duty_month_remote", start: "2026-02-01", state: StateMet, count: 1, need: 1},
		{name: "Ningbo weekly duty, current week due", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-03-02", 240), onsite("2026-03-09", 240)},
			rule:    "duty_week", start: "2026-03-16", state: StateDue, count: 0, need: 1,
			reason: "本周驻点值班 0/1 次，合计 0/4 小时", reasonEN: "On-site duty: 0 of 1 this week"},
		{name: "Ningbo weekly duty, past week met", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-03-02", 240), onsite("2026-03-09", 240)},
			rule:    "duty_week", start: "2026-03-02", state: StateMet, count: 1, need: 1, reason: "2026年第10周驻点值班 1/1 次"},
		{name: "Ningbo weekly duty, two short sittings make half a day", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-03-09", 120), onsite("2026-03-10", 120)},
			rule:    "duty_week", start: "2026-03-09", state: StateMet, count: 2, need: 1},
		{name: "Ningbo weekly duty, one short sitting in a past week is missed", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-03-02", 120)},
			rule:    "duty_week", start: "2026-03-02", state: StateMissed, count: 1, need: 1, reason: "合计 2/4 小时"},
		{name: "Ningbo weekly duty by phone does not count", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{{"2026-03-16", KindOnsiteDuty, ModePhone, 240}},
			rule:    "duty_week", start: "2026-03-16", state: StateDue, count: 0, need: 1},
		{name: "Ningbo week met early in the week", p: Ningbo(), term: year, today: "2026-03-16",
			entries: []Entry{onsite("2026-03-16", 240)},
			rule:    "duty_week", start: "2026-03-16", state: StateMet, count: 1, need: 1},
		{name: "Pairing: 12 sessions, one of 3 h, counts 11, missed", p: PairingPlan(), term: year, today: "2027-01-02",
			entries: sessions11, rule: "onsite_sessions_year", start: "2026-01-01", state: StateMissed, count: 11, need: 12,
			reason: "2026年到村坐班 11/12 次（每次不少于4小时）"},
		{name: "Pairing: 12 half-day sessions met", p: PairingPlan(), term: year, today: "2027-01-02",
			entries: sessions12, rule: "onsite_sessions_year", start: "2026-01-01", state: StateMet, count: 12, need: 12},
		{name: "Pairing: publicity online does not count", p: PairingPlan(), term: year, today: "2026-06-02",
			entries: []Entry{{"2026-03-01", KindPublicity, ModeWeChat, 60}, {"2026-04-01", KindPublicity, ModeOnsite, 60}},
			rule:    "publicity_year", start: "2026-01-01", state: StateDue, count: 1, need: 2, reason: "本年度现场法制宣传 1/2 次"},
		{name: "term starting mid-quarter scales the hours", p: Zhengning(), term: Term{"2026-08-17", "2027-08-16"}, today: "2026-09-01",
			entries: []Entry{onsite("2026-08-20", 120)},
			rule:    "onsite_hours_quarter", start: "2026-07-01", state: StateDue, partial: true,
			reason: "本季度到村服务 2/4 小时", note: "协议期内本季度仅覆盖 45/92 天，要求按比例折算为 4 小时"},
		{name: "scaled quarter met with 4 h", p: Zhengning(), term: Term{"2026-08-17", "2027-08-16"}, today: "2026-10-02",
			entries: []Entry{onsite("2026-08-20", 120), onsite("2026-07-20", 600), onsite("2026-09-20", 120)},
			rule:    "onsite_hours_quarter", start: "2026-07-01", state: StateMet, partial: true,
			note: "协议期内该季度仅覆盖 45/92 天，要求按比例折算为 4 小时"},
		{name: "term starting mid-year rounds the count up", p: Zhengning(), term: Term{"2026-07-01", "2027-06-30"}, today: "2027-01-03",
			entries: []Entry{{"2026-09-01", KindLecture, ModeOnsite, 60}},
			rule:    "lecture_publicity_year", start: "2026-01-01", state: StateMissed, count: 1, need: 2, partial: true,
			note: "协议期内该年度仅覆盖 184/365 天，要求按比例折算为 2 次"},
		{name: "term ending mid-quarter: missed after the term end", p: Zhengning(), term: Term{"2025-11-16", "2026-02-14"}, today: "2026-02-20",
			rule: "onsite_hours_quarter", start: "2026-01-01", state: StateMissed, partial: true,
			note: "协议期内本季度仅覆盖 45/90 天，要求按比例折算为 4 小时"},
		{name: "no period after today", p: Zhengning(), term: year, today: "2026-04-10",
			rule: "onsite_hours_quarter", start: "2026-07-01", wantAbsnt: true},
		{name: "entry after today ignored", p: Ningbo(), term: year, today: "2026-03-18",
			entries: []Entry{onsite("2026-03-20", 240)},
			rule:    "duty_week", start: "2026-03-16", state: StateDue, count: 0, need: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sts := Evaluate(tt.p, tt.flags, tt.term, tt.entries, tt.today)
			s, ok := find(sts, tt.rule, tt.start)
			if tt.wantAbsnt {
				if ok {
					t.Fatalf("got status %+v, want none", s)
				}
				return
			}
			if !ok {
				t.Fatalf("no status for %s %s in %+v", tt.rule, tt.start, sts)
			}
			if s.State != tt.state {
				t.Errorf("state: got %s, want %s (%s)", s.State, tt.state, s.Reason)
			}
			if tt.need > 0 && (s.Count != tt.count || s.Need != tt.need) {
				t.Errorf("count: got %d/%d, want %d/%d", s.Count, s.Need, tt.count, tt.need)
			}
			if !strings.Contains(s.Reason, tt.reason) {
				t.Errorf("reason: got %q, want it to contain %q", s.Reason, tt.reason)
			}
			if !strings.Contains(s.ReasonEN, tt.reasonEN) {
				t.Errorf("reason_en: got %q, want it to contain %q", s.ReasonEN, tt.reasonEN)
			}
			if s.Partial != tt.partial || (tt.partial && s.Note != tt.note) {
				t.Errorf("partial: got %v %q, want %v %q", s.Partial, s.Note, tt.partial, tt.note)
			}
		})
	}
}

func two(m int) string {
	if m < 10 {
		return "0" + string(rune('0'+m))
	}
	return "1" + string(rune('0'+m-10))
}

func TestEvaluateShape(t *testing.T) {
	year := Term{"2026-01-01", "2026-12-31"}
	tests := []struct {
		name  string
		term  Term
		today string
		want  int
	}{
		// Ningbo normal village on 2026-03-18: weeks 2025-12-29..2026-03-16 (12),
		// months Jan–Mar door visits (3), Q1 review (1), H1 lecture (1), 2026 report (1).
		{"ningbo normal Q1", year, "2026-03-18", 12 + 3 + 1 + 1 + 1},
		{"before the term", year, "2025-12-31", 0},
		{"bad today", year, "2026/03/18", 0},
		{"end before start", Term{"2026-05-01", "2026-04-01"}, "2026-06-01", 0},
		{"open-ended term", Term{"2026-01-01", ""}, "2026-03-18", 12 + 3 + 1 + 1 + 1},
	}
	for _, tt := range tests {
		if got := len(Evaluate(Ningbo(), VillageFlags{}, tt.term, nil, tt.today)); got != tt.want {
			t.Errorf("%s: got %d statuses, want %d", tt.name, got, tt.want)
		}
	}
	// Order: rule by rule, periods ascending.
	sts := Evaluate(Ningbo(), VillageFlags{}, year, nil, "2026-03-18")
	if got, want := sts[0].Period.Start, "2025-12-29"; got != want || sts[0].RuleID != "duty_week" {
		t.Errorf("first status: got %s %s, want duty_week %s", sts[0].RuleID, got, want)
	}
	if got, want := sts[0].Note, "协议期内该周仅覆盖 4/7 天，要求按比例折算为 1 次、2.5 小时"; got != want {
		t.Errorf("first week note: got %q, want %q", got, want)
	}
}

func TestResolve(t *testing.T) {
	province := Layer{Region: "620000000000", Policy: Zhengning()}
	county := Layer{Region: "621025000000", Policy: Policy{Name: "正宁县", Rules: []Rule{
		{ID: "lecture_publicity_year", Name: "讲座宣传", Kinds: []string{KindLecture}, Period: PeriodYear, MinCount: 3},
		{ID: "report_year", Name: "年度报告", Kinds: []string{KindReport}, Period: PeriodYear, MinCount: 1},
	}}}
	town := Layer{Region: "621025100000", Policy: Policy{Rules: []Rule{
		{ID: "onsite_hours_quarter", Disabled: true},
	}}}
	otherCounty := Layer{Region: "621026000000", Policy: Policy{Name: "宁县", Rules: []Rule{
		{ID: "other", Name: "x", Period: PeriodYear, MinCount: 9},
	}}}
	national := Layer{Region: "", Policy: Policy{Name: "全国", Rules: []Rule{
		{ID: "national", Name: "全国", Period: PeriodYear, MinCount: 1},
	}}}
	ids := func(p Policy) string {
		var s []string
		for _, r := range p.Rules {
			s = append(s, r.ID)
		}
		return strings.Join(s, ",")
	}
	tests := []struct {
		name     string
		layers   []Layer
		village  string
		wantIDs  string
		wantName string
		lecture  int // MinCount of lecture_publicity_year, 0 = absent
	}{
		{"province only", []Layer{province}, "621025100200", "onsite_hours_quarter,lecture_publicity_year", "正宁县村(居)法律顾问工作要求", 2},
		{"county overrides and adds", []Layer{county, province}, "621025100200", "onsite_hours_quarter,lecture_publicity_year,report_year", "正宁县", 3},
		{"town disables", []Layer{town, county, province}, "621025100200", "lecture_publicity_year,report_year", "正宁县", 3},
		{"village of another town keeps the hours rule", []Layer{town, county, province}, "621025101200", "onsite_hours_quarter,lecture_publicity_year,report_year", "正宁县", 3},
		{"other county ignored", []Layer{otherCounty, province}, "621025100200", "onsite_hours_quarter,lecture_publicity_year", "正宁县村(居)法律顾问工作要求", 2},
		{"national default under all", []Layer{province, national}, "621025100200", "national,onsite_hours_quarter,lecture_publicity_year", "正宁县村(居)法律顾问工作要求", 2},
		{"zero quota removes too", []Layer{province, {Region: "621025100200", Policy: Policy{Rules: []Rule{{ID: "lecture_publicity_year"}}}}}, "621025100200", "onsite_hours_quarter", "正宁县村(居)法律顾问工作要求", 0},
		{"no layers", nil, "621025100200", "", "", 0},
	}
	for _, tt := range tests {
		p := Resolve(tt.layers, tt.village)
		if got := ids(p); got != tt.wantIDs {
			t.Errorf("%s: got rules %q, want %q", tt.name, got, tt.wantIDs)
		}
		if p.Name != tt.wantName {
			t.Errorf("%s: got name %q, want %q", tt.name, p.Name, tt.wantName)
		}
		got := 0
		for _, r := range p.Rules {
			if r.ID == "lecture_publicity_year" {
				got = r.MinCount
			}
		}
		if got != tt.lecture {
			t.Errorf("%s: got lecture quota %d, want %d", tt.name, got, tt.lecture)
		}
	}
	// Resolve must not alias the layers' slices.
	p := Resolve([]Layer{province}, "621025100200")
	p.Rules[0].Kinds[0] = "changed"
	if got := Zhengning().Rules[0].Kinds[0]; got != KindOnsiteDuty {
		t.Errorf("preset mutated: got %q, want %q", got, KindOnsiteDuty)
	}
	if got := province.Policy.Rules[0].Kinds[0]; got != KindOnsiteDuty {
		t.Errorf("layer mutated: got %q, want %q", got, KindOnsiteDuty)
	}
}

func TestAppliesTo(t *testing.T) {
	tests := []struct {
		applies string
		flags   VillageFlags
		want    bool
	}{
		{AppliesAll, VillageFlags{Remote: true}, true},
		{AppliesRemote, VillageFlags{Remote: true}, true},
		{AppliesRemote, VillageFlags{}, false},
		{AppliesNotRemote, VillageFlags{Remote: true}, false},
		{AppliesNotRemote, VillageFlags{Underdeveloped: "city"}, true},
		{AppliesUnderdeveloped, VillageFlags{Underdeveloped: "county"}, true},
		{AppliesUnderdeveloped, VillageFlags{}, false},
		{AppliesNormal, VillageFlags{}, true},
		{AppliesNormal, VillageFlags{Underdeveloped: "city"}, false},
		{AppliesNormal, VillageFlags{Remote: true}, false},
		{"typo", VillageFlags{}, false},
	}
	for _, tt := range tests {
		if got := (Rule{Applies: tt.applies}).AppliesTo(tt.flags); got != tt.want {
			t.Errorf("AppliesTo(%q, %+v): got %v, want %v", tt.applies, tt.flags, got, tt.want)
		}
	}
}

func TestPresetsValid(t *testing.T) {
	for _, p := range []Policy{Zhengning(), PairingPlan(), Ningbo()} {
		if got := p.Validate(); len(got) != 0 {
			t.Errorf("%s: got problems %v, want none", p.Name, got)
		}
	}
	bad := Policy{Rules: []Rule{
		{ID: "a", Name: "a", Period: "decade", MinCount: 1},
		{ID: "a", Name: "a", Period: PeriodYear, MinCount: 1, Kinds: []string{"dance"}},
		{ID: "b", Name: "b", Period: PeriodYear},
	}}
	if got, want := len(bad.Validate()), 4; got != want {
		t.Errorf("bad policy: got %d problems %v, want %d", got, bad.Validate(), want)
	}
}

func TestLabels(t *testing.T) {
	for _, k := range Kinds {
		if l := KindLabels[k]; l.ZH == "" || l.EN == "" {
			t.Errorf("kind %s: got label %+v, want zh and en", k, l)
		}
	}
	for _, m := range Modes {
		if l := ModeLabels[m]; l.ZH == "" || l.EN == "" {
			t.Errorf("mode %s: got label %+v, want zh and en", m, l)
		}
	}
	if got, want := len(Kinds), 14; got != want {
		t.Errorf("kinds: got %d, want %d", got, want)
	}
	if got, want := KindLabel(KindOnsiteDuty, "zh"), "驻点值班"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := ModeLabel(ModeWeChat, "en"), "WeChat"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := KindLabel("nope", "en"), "nope"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestResolveSameNameReplaces: a preset chosen at a town replaces the
// county's rules of the same name (written with other IDs), not adds to them;
// rules of the same name within one layer (the remote and other variants)
// stay side by side.
func TestResolveSameNameReplaces(t *testing.T) {
	county := Layer{Region: "621025000000", Policy: Policy{Name: "县要求", Rules: []Rule{
		{ID: "c_sessions", Name: "到村坐班", Period: PeriodYear, MinCount: 6},
		{ID: "c_visits", Name: "入户走访", Period: PeriodMonth, MinCount: 2},
	}}}
	town := Layer{Region: "621025100000", Policy: PairingPlan()}
	p := Resolve([]Layer{county, town}, "621025100200")
	var ids []string
	for _, r := range p.Rules {
		ids = append(ids, r.ID)
	}
	want := []string{"onsite_sessions_year", "c_visits", "publicity_year"} // in the place of the rule replaced
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("town with the pairing plan under the county's rules: got %v, want %v", ids, want)
	}
	// Ningbo's two 驻点值班 rules (remote and not) come from one layer: both stay.
	p = Resolve([]Layer{{Region: "330200000000", Policy: Ningbo()}}, "330203001001")
	n := 0
	for _, r := range p.Rules {
		if r.Name == "驻点值班" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("Ningbo alone: %d rules named 驻点值班, want 2", n)
	}
	// A county's rule named like a town's preset rule is replaced by all
	// the town's rules of that name.
	county = Layer{Region: "330203000000", Policy: Policy{Rules: []Rule{{ID: "duty", Name: "驻点值班", Period: PeriodMonth, MinCount: 4}}}}
	p = Resolve([]Layer{county, {Region: "330203001000", Policy: Ningbo()}}, "330203001001")
	for _, r := range p.Rules {
		if r.ID == "duty" {
			t.Errorf("the county's 驻点值班 rule survived the town's Ningbo preset: %+v", p.Rules)
		}
	}
}
