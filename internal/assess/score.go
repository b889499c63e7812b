package assess

import (
	"sort"
	"time"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/policy"
)

// Facts is what the data says of one advisor's year, gathered from the
// other features (the ledger's obligations and counters, the volumes'
// documents, the boards and groups) and the hand scores: everything Score
// needs and nothing else, so scoring is pure.
type Facts struct {
	AdvisorID int64  `json:"advisor_id"`
	Year      int    `json:"year"`
	AsOf      string `json:"as_of"` // YYYY-MM-DD: periods and months ending before it are closed
	Villages  []VillageFacts
	// Periods are the ledger's obligations of the advisor's villages in the
	// year, every rule.
	Periods []PeriodFact
	// Surveys are the residents' answers by village.
	Surveys []SurveyFact
	// Findings are the inspections of the advisor's villages in the year.
	Findings []FindingFact
	// Scores are the hand scores entered for the advisor, by item ID.
	Scores map[string][]HandScore
}

// VillageFacts is one village the advisor served in the year.
type VillageFacts struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	TermStart string `json:"term_start"` // the served part of the year
	TermEnd   string `json:"term_end"`
	// Months holds the ledger's counters of the village by month ("2026-03")
	// and kind.
	Months map[string]map[string]KindCount `json:"months"`
	// Docs are the year's documents filed by the advisor (kind → filed on).
	Docs map[string]string `json:"docs"`

	HasBoard       bool   `json:"has_board"`
	BoardUpdatedOn string `json:"board_updated_on"`
	HasGroup       bool   `json:"has_group"`
	GroupQRValid   bool   `json:"group_qr_valid"`
}

// KindCount is the counters of one kind in one month.
type KindCount struct {
	Entries int `json:"entries"`
	Onsite  int `json:"onsite"`
}

// PeriodFact is one obligation: a village, a duty rule, a period, what was
// done against what was needed.
type PeriodFact struct {
	Village     string `json:"village"`
	VillageName string `json:"village_name"`
	RuleID      string `json:"rule_id"`
	RuleName    string `json:"rule_name"`
	Kind        string `json:"period_kind"`
	Start       string `json:"start"`
	End         string `json:"end"`
	Count       int    `json:"count"`
	Need        int    `json:"need"`
	Minutes     int    `json:"minutes"`
	NeedMinutes int    `json:"need_minutes"`
	Met         bool   `json:"met"`
}

// FindingFact is one inspection visit at a village: when, and the checks
// found with a problem.
type FindingFact struct {
	Village     string   `json:"village"`
	VillageName string   `json:"village_name"`
	On          string   `json:"on"`
	Title       string   `json:"title"`
	Problems    []string `json:"problems"`
}

// HandScore is one scorer's score of an item.
type HandScore struct {
	Region     string `json:"region"` // the village, town or county scored for
	RegionName string `json:"region_name"`
	Points     Points `json:"points"`
	Comment    string `json:"comment"`
	ByName     string `json:"by_name"`
}

// Evidence is one line of what is behind an item's score: a message key
// of this feature with its arguments, and the points it cost.
type Evidence struct {
	Key     string `json:"key"`
	Args    []any  `json:"args"`
	Lost    Points `json:"lost"`
	Village string `json:"village,omitempty"`
	// Link leads to the records behind the line (the ledger's duties,
	// the village's volume).
	Link string `json:"link,omitempty"`
}

// ItemResult is an item's score with its evidence.
type ItemResult struct {
	Item     Item       `json:"item"`
	Score    Points     `json:"score"`
	Lost     Points     `json:"lost"`
	Pending  bool       `json:"pending"` // a hand-scored item nobody has scored yet
	Capped   bool       `json:"capped"`  // deductions reached the item's points
	Evidence []Evidence `json:"evidence"`
}

// Result is a whole sheet scored.
type Result struct {
	Items   []ItemResult `json:"items"`
	Total   Points       `json:"total"`
	Max     Points       `json:"max"`
	Pending int          `json:"pending"` // items not scored yet
}

// Score scores every item of the sheet against the facts.
func Score(s Sheet, f Facts) Result {
	var r Result
	for _, it := range s.Items {
		ir := ScoreItem(it, f)
		r.Items = append(r.Items, ir)
		r.Total += ir.Score
		r.Max += it.Points
		if ir.Pending {
			r.Pending++
		}
	}
	return r
}

// ScoreItem scores one item: the data methods deduct from the item's
// points down to zero; a hand-scored item takes the average of its scores.
func ScoreItem(it Item, f Facts) ItemResult {
	ir := ItemResult{Item: it}
	var lost Points
	deduct := func(e Evidence) {
		lost += e.Lost
		ir.Evidence = append(ir.Evidence, e)
	}
	switch it.Method {
	case MethodDutyRule:
		scoreDuty(it, f, deduct)
	case MethodMonthly:
		scoreMonthly(it, f, deduct)
	case MethodKindCount:
		for _, v := range f.Villages {
			n := 0
			for _, kinds := range v.Months {
				n += countKinds(kinds, it.Kinds, it.Onsite)
			}
			if n >= it.MinCount {
				deduct(Evidence{Key: "as.ev.count_ok", Args: []any{v.Name, n, it.MinCount}, Village: v.Code})
				continue
			}
			short := it.MinCount - n
			deduct(Evidence{Key: "as.ev.count_short", Args: []any{v.Name, n, it.MinCount, short}, Lost: Points(short) * it.PerMiss, Village: v.Code})
		}
	case MethodDocument:
		for _, v := range f.Villages {
			if on, ok := v.Docs[it.DocKind]; ok {
				deduct(Evidence{Key: "as.ev.doc_" + it.DocKind, Args: []any{v.Name, on}, Village: v.Code})
			} else {
				deduct(Evidence{Key: "as.ev.no_doc_" + it.DocKind, Args: []any{v.Name}, Lost: it.Deduct, Village: v.Code})
			}
		}
	case MethodBoard:
		for _, v := range f.Villages {
			switch age := daysBetween(v.BoardUpdatedOn, f.AsOf); {
			case !v.HasBoard:
				deduct(Evidence{Key: "as.ev.no_board", Args: []any{v.Name}, Lost: it.DeductMissing, Village: v.Code})
			case age > it.Days:
				deduct(Evidence{Key: "as.ev.board_stale", Args: []any{v.Name, v.BoardUpdatedOn, age, it.Days}, Lost: it.Deduct, Village: v.Code})
			default:
				deduct(Evidence{Key: "as.ev.board_ok", Args: []any{v.Name, v.BoardUpdatedOn}, Village: v.Code})
			}
		}
	case MethodWeChat:
		for _, v := range f.Villages {
			switch {
			case !v.HasGroup:
				deduct(Evidence{Key: "as.ev.no_group", Args: []any{v.Name}, Lost: it.DeductMissing, Village: v.Code})
			case !v.GroupQRValid:
				deduct(Evidence{Key: "as.ev.qr_expired", Args: []any{v.Name}, Lost: it.Deduct, Village: v.Code})
			default:
				deduct(Evidence{Key: "as.ev.group_ok", Args: []any{v.Name}, Village: v.Code})
			}
		}
	case MethodSurvey:
		// Points × average rating / 5 over every answer of every village;
		// a village short of MinCount answers is named.
		n, sum := 0, 0
		for _, x := range f.Surveys {
			n, sum = n+x.Count, sum+x.Sum
			deduct(Evidence{Key: "as.ev.survey", Args: []any{x.VillageName, x.Count, x.AverageText()}, Village: x.Village})
			if x.Count < it.MinCount {
				deduct(Evidence{Key: "as.ev.survey_short", Args: []any{x.VillageName, x.Count, it.MinCount}, Village: x.Village})
			}
		}
		if n == 0 {
			deduct(Evidence{Key: "as.ev.no_survey", Args: []any{}, Lost: it.Points})
			break
		}
		// score = points × sum / (n × questions × 5), rounded half up to a tenth.
		den := int64(n * len(SurveyQuestions) * 5)
		score := Points((2*int64(it.Points)*int64(sum) + den) / (2 * den))
		lost = it.Points - score
	case MethodInspection:
		for _, x := range f.Findings {
			if len(x.Problems) == 0 {
				deduct(Evidence{Key: "as.ev.inspected_ok", Args: []any{x.VillageName, x.On, x.Title}, Village: x.Village})
				continue
			}
			deduct(Evidence{Key: "as.ev.inspected_problems", Args: []any{x.VillageName, x.On, x.Title, len(x.Problems)}, Lost: Points(len(x.Problems)) * it.PerMiss, Village: x.Village})
		}
		if len(f.Findings) == 0 {
			deduct(Evidence{Key: "as.ev.not_inspected", Args: []any{}})
		}
	case MethodScorer:
		hs := f.Scores[it.ID]
		if len(hs) == 0 {
			ir.Pending = true
			ir.Evidence = append(ir.Evidence, Evidence{Key: "as.ev.not_scored", Args: []any{}})
			return ir
		}
		var sum Points
		for _, h := range hs {
			sum += h.Points
			ir.Evidence = append(ir.Evidence, Evidence{Key: "as.ev.hand", Args: []any{h.RegionName, h.Points.String(), h.Comment}, Village: h.Region})
		}
		ir.Score = avg(sum, len(hs))
		if ir.Score > it.Points {
			ir.Score = it.Points
		}
		ir.Lost = it.Points - ir.Score
		return ir
	}
	if lost >= it.Points {
		ir.Capped = lost > it.Points
		lost = it.Points
	}
	ir.Lost, ir.Score = lost, it.Points-lost
	return ir
}

// avg is sum/n rounded half up to a tenth.
func avg(sum Points, n int) Points {
	return Points((2*int(sum) + n) / (2 * n))
}

// scoreDuty deducts PerMiss for every missed obligation period of the
// item's rules; periods still running (ending on or after AsOf) and met
// ones cost nothing.
func scoreDuty(it Item, f Facts, deduct func(Evidence)) {
	met, missed, open := 0, 0, 0
	var rows []PeriodFact
	for _, p := range f.Periods {
		if oneOf(p.RuleID, it.RuleIDs) {
			rows = append(rows, p)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Village != rows[j].Village {
			return rows[i].Village < rows[j].Village
		}
		return rows[i].Start < rows[j].Start
	})
	for _, p := range rows {
		switch {
		case p.Met:
			met++
		case p.End >= f.AsOf:
			open++
		default:
			missed++
			deduct(Evidence{Key: "as.ev.period_missed", Args: []any{p.VillageName, p.RuleName, policy.PeriodLabel(policy.Period{Kind: p.Kind, Start: p.Start, End: p.End}, "zh"), p.Count, p.Need},
				Lost: it.PerMiss, Village: p.Village, Link: "/ledger/duties?village=" + p.Village + "&state=missed"})
		}
	}
	if len(rows) == 0 {
		deduct(Evidence{Key: "as.ev.no_periods", Args: []any{}})
		return
	}
	deduct(Evidence{Key: "as.ev.periods", Args: []any{len(rows), met, missed, open}})
}

// scoreMonthly deducts PerMiss for every closed month of a village's served
// term without a qualifying entry.
func scoreMonthly(it Item, f Facts, deduct func(Evidence)) {
	for _, v := range f.Villages {
		done, need := 0, 0
		for _, m := range calendar.Periods(calendar.Month, v.TermStart, v.TermEnd) {
			if m.End >= f.AsOf {
				continue // still running: nothing missed yet
			}
			need++
			if countKinds(v.Months[m.Start[:7]], it.Kinds, it.Onsite) > 0 {
				done++
				continue
			}
			deduct(Evidence{Key: "as.ev.month_missed", Args: []any{v.Name, policy.PeriodLabel(m, "zh")}, Lost: it.PerMiss, Village: v.Code})
		}
		deduct(Evidence{Key: "as.ev.months", Args: []any{v.Name, done, need}, Village: v.Code})
	}
}

func countKinds(months map[string]KindCount, kinds []string, onsite bool) int {
	n := 0
	for k, c := range months {
		if len(kinds) > 0 && !oneOf(k, kinds) {
			continue
		}
		if onsite {
			n += c.Onsite
		} else {
			n += c.Entries
		}
	}
	return n
}

// daysBetween is the number of days from a to b (dates), 0 when either is
// malformed.
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(calendar.DateLayout, a)
	tb, err2 := time.Parse(calendar.DateLayout, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}

// Text is the evidence line in lang.
func (e Evidence) Text(lang string) string { return i18n.T(lang, e.Key, e.Args...) }
