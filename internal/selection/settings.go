package selection

import (
	"github.com/villagecounsel/counsel"
)

// Stage keys: the rounds of seed 004 (常司发〔2022〕21号), from the district's
// initial round to the province's decision.
const (
	StageDistrict = "district" // 转市、区初评 (April): 述职述评 + online vote, about 8% go on
	StageCity     = "city"     // 市局推选 (May): panel 70% + vote 30%, 公示, top 41 go on
	StageProvince = "province" // 省厅评定 (June): province 30% + city 40% + vote 30%
)

// Score components: where one weighted part of a stage's total comes from.
const (
	CompReport   = "report"   // 述职述评: the panel's scores (mean of the members' submitted scores)
	CompVote     = "vote"     // 网络投票: the stage's online vote, scaled to 100 for the most voted
	CompPrior    = "prior"    // the candidate's total in the stage before (the city score in the province round)
	CompProvince = "province" // the province's assessment from the year's service data, entered by the bureau
)

// Components lists the score components in display order.
var Components = []string{CompReport, CompVote, CompPrior, CompProvince}

// Tie rules at a cut: what happens when candidates with equal totals straddle
// the last place that goes on.
const (
	// TieBreakThenAll breaks ties by the components in the stage's tie-break
	// order; candidates still equal on every one of them all go on, and the
	// list is flagged for the bureau, which confirms it.
	TieBreakThenAll = "break_then_all"
	// TieAll lets every candidate tied at the cut go on, flagged.
	TieAll = "all"
)

// Weight is one component's share of a stage's total, in percent.
type Weight struct {
	Component string `json:"component"`
	Percent   int    `json:"percent"`
}

// Quota is a district's fixed number of places (004 附件1), overriding the
// share when the campaign has a table.
type Quota struct {
	CountyCode string `json:"county_code"`
	Places     int    `json:"places"`
}

// StageSettings are one round's rules.
type StageSettings struct {
	Key   string        `json:"key"`
	Level counsel.Level `json:"level"` // the level that runs the round: county, city, province
	Opens string        `json:"opens"` // first day of the round (YYYY-MM-DD)
	// Closes is the last day of the round's vote and scoring.
	Closes  string   `json:"closes"`
	Weights []Weight `json:"weights"`
	// ShareBP is the share of each district's advisors that go on, in basis
	// points (800 = 8%), rounded half up, at least one place per district
	// that has advisors; 0 when the round cuts by TopN instead.
	ShareBP int     `json:"share_bp"`
	Quotas  []Quota `json:"quotas,omitempty"`
	// TopN is how many go on from the whole round (41 in the city round).
	TopN int `json:"top_n"`
	// Commend is how many of the final ranking are proposed for 通报表扬
	// after a 公示 (100 in seed 004); province round only.
	Commend int `json:"commend"`
	// TieRule and TieBreak decide ties at the cut (see TieBreakThenAll).
	TieRule  string   `json:"tie_rule"`
	TieBreak []string `json:"tie_break"`
	// PanelMax is the highest score a panel member may give.
	PanelMax int `json:"panel_max"`
	// Vote says whether the round has a public vote.
	Vote bool `json:"vote"`
}

// VoteRules are the public vote's rules, defaulting to what national
// campaigns publish.
type VoteRules struct {
	// PerCandidatePerDay is how many votes a verified voter may give one
	// candidate on one day.
	PerCandidatePerDay int `json:"per_candidate_per_day"`
	// MaxPerCategoryPerDay is how many different candidates of one category
	// a voter may vote for on one day.
	MaxPerCategoryPerDay int `json:"max_per_category_per_day"`
	// PublishHour is the hour (China time) at which the counts and the
	// chain head are published each day; the counts are hidden before.
	PublishHour int `json:"publish_hour"`
	// CodeMinutes is how long an SMS code is valid.
	CodeMinutes int `json:"code_minutes"`
}

// Settings are a campaign's rules. Default004 gives seed 004's.
type Settings struct {
	Year int `json:"year"`
	// CutoffDate is the date at which an advisor must have served ≥
	// MinServiceYears (至2022年1月1日, 担任…不少于1年).
	CutoffDate      string `json:"cutoff_date"`
	MinServiceYears int    `json:"min_service_years"`
	// AssessYears are the years whose practice assessment must be passed
	// (2019–2021 年度执业考核合格).
	AssessYears []int `json:"assess_years"`
	// NoticeWorkdays is the minimum 公示 length in working days.
	NoticeWorkdays int             `json:"notice_workdays"`
	Stages         []StageSettings `json:"stages"`
	Vote           VoteRules       `json:"vote"`
	// Deadlines of the materials (R46).
	ProfileDue   string `json:"profile_due"`   // 事迹简介 (~150 characters): 4月30日
	FormsDue     string `json:"forms_due"`     // 附件3, 附件4: 5月31日
	PhotosDue    string `json:"photos_due"`    // 图片资料: 7月20日
	ProfileChars int    `json:"profile_chars"` // about 150
}

// Default004 returns the settings of seed 004 (常州市司法局, 2022) moved to
// year: the district round in April (report + vote, about 8% go on), the
// city round in May (panel 70% + vote 30%, top 41), the province round in
// June (province 30% + city 40% + vote 30%, top 100 commended), a 公示 of 5
// working days, the cut-off on 1 January of the year and the assessments of
// the three years before.
func Default004(year int) Settings {
	y := func(md string) string { return itoa4(year) + "-" + md }
	// The seed names no weights for the district round ("结合述职情况和网络投票
	// 结果"); the city round's 70/30 is used until the district sets its own.
	return Settings{
		Year:            year,
		CutoffDate:      y("01-01"),
		MinServiceYears: 1,
		AssessYears:     []int{year - 3, year - 2, year - 1},
		NoticeWorkdays:  5,
		Stages: []StageSettings{
			{Key: StageDistrict, Level: counsel.LevelCounty, Opens: y("04-01"), Closes: y("04-30"),
				Weights: []Weight{{CompReport, 70}, {CompVote, 30}}, ShareBP: 800,
				TieRule: TieBreakThenAll, TieBreak: []string{CompReport, CompVote}, PanelMax: 100, Vote: true},
			{Key: StageCity, Level: counsel.LevelCity, Opens: y("05-01"), Closes: y("05-31"),
				Weights: []Weight{{CompReport, 70}, {CompVote, 30}}, TopN: 41,
				TieRule: TieBreakThenAll, TieBreak: []string{CompReport, CompVote}, PanelMax: 100, Vote: true},
			{Key: StageProvince, Level: counsel.LevelProvince, Opens: y("06-01"), Closes: y("06-30"),
				Weights: []Weight{{CompProvince, 30}, {CompPrior, 40}, {CompVote, 30}}, Commend: 100,
				TieRule: TieBreakThenAll, TieBreak: []string{CompPrior, CompProvince, CompVote}, PanelMax: 100, Vote: true},
		},
		Vote:         VoteRules{PerCandidatePerDay: 1, MaxPerCategoryPerDay: 10, PublishHour: 20, CodeMinutes: 5},
		ProfileDue:   y("04-30"),
		FormsDue:     y("05-31"),
		PhotosDue:    y("07-20"),
		ProfileChars: 150,
	}
}

func itoa4(n int) string {
	b := []byte{'0', '0', '0', '0'}
	for i := 3; i >= 0 && n > 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}

// Stage returns the settings of a stage by key.
func (s *Settings) Stage(key string) (*StageSettings, bool) {
	for i := range s.Stages {
		if s.Stages[i].Key == key {
			return &s.Stages[i], true
		}
	}
	return nil, false
}

// Weight returns a component's weight in percent (0 when not part of the
// stage).
func (st *StageSettings) Weight(component string) int {
	for _, w := range st.Weights {
		if w.Component == component {
			return w.Percent
		}
	}
	return 0
}

// Validate checks the settings: weights of every stage sum to 100, known
// components, dates in order, positive limits.
func (s *Settings) Validate() error {
	var f counsel.Fields
	if s.Year < 2000 || s.Year > 2100 {
		f.Add("year", "sel.err_year")
	}
	if !counsel.ValidDate(s.CutoffDate) {
		f.Add("cutoff_date", "err.date")
	}
	if s.MinServiceYears < 0 || s.MinServiceYears > 10 {
		f.Add("min_service_years", "sel.err_range", 0, 10)
	}
	if s.NoticeWorkdays < 1 || s.NoticeWorkdays > 30 {
		f.Add("notice_workdays", "sel.err_range", 1, 30)
	}
	if s.Vote.PerCandidatePerDay < 1 || s.Vote.PerCandidatePerDay > 10 {
		f.Add("per_candidate_per_day", "sel.err_range", 1, 10)
	}
	if s.Vote.MaxPerCategoryPerDay < 1 || s.Vote.MaxPerCategoryPerDay > 1000 {
		f.Add("max_per_category_per_day", "sel.err_range", 1, 1000)
	}
	if s.Vote.PublishHour < 0 || s.Vote.PublishHour > 23 {
		f.Add("publish_hour", "sel.err_range", 0, 23)
	}
	if s.Vote.CodeMinutes < 1 || s.Vote.CodeMinutes > 30 {
		f.Add("code_minutes", "sel.err_range", 1, 30)
	}
	if len(s.Stages) == 0 {
		f.Add("stages", "err.required")
	}
	prev := ""
	for i, st := range s.Stages {
		sum := 0
		for _, w := range st.Weights {
			if !contains(Components, w.Component) || w.Percent < 0 {
				f.Add("weights", "sel.err_component")
			}
			sum += w.Percent
		}
		if sum != 100 {
			f.Add("weights", "sel.err_weights", st.Key, sum)
		}
		if !counsel.ValidDate(st.Opens) || !counsel.ValidDate(st.Closes) || st.Closes < st.Opens || st.Opens <= prev {
			f.Add("stages", "sel.err_stage_dates", st.Key)
		}
		prev = st.Closes
		if i == 0 && st.Weight(CompPrior) > 0 {
			f.Add("weights", "sel.err_prior_first")
		}
		if st.ShareBP < 0 || st.ShareBP > 10000 || st.TopN < 0 || st.Commend < 0 || (st.PanelMax < 1 || st.PanelMax > 1000) {
			f.Add("stages", "sel.err_stage_limits", st.Key)
		}
	}
	return f.Err()
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// SharePct shows ShareBP as a percentage: 800 → "8", 750 → "7.5".
func (st *StageSettings) SharePct() string {
	whole, frac := st.ShareBP/100, st.ShareBP%100
	if frac == 0 {
		return itoa(whole)
	}
	s := itoa(whole) + "." + itoa4(frac)[2:]
	for s[len(s)-1] == '0' {
		s = s[:len(s)-1]
	}
	return s
}

func itoa(n int) string {
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
