package assess

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

// Points are assessment points in tenths, so that deductions of half a point
// ("每少一次扣0.5分") add up exactly. JSON and forms carry them as decimal
// numbers ("12", "0.5").
type Points int

// Pt is n whole points.
func Pt(n int) Points { return Points(n * 10) }

// String writes p as a decimal: "12", "11.5", "-2".
func (p Points) String() string {
	if p%10 == 0 {
		return strconv.Itoa(int(p) / 10)
	}
	return strconv.FormatFloat(float64(p)/10, 'f', 1, 64)
}

// ParsePoints reads a decimal with at most one digit after the point.
func ParsePoints(s string) (Points, bool) {
	s = strings.TrimSpace(s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e6 {
		return 0, false
	}
	t := math.Round(f * 10)
	if math.Abs(t-f*10) > 1e-6 {
		return 0, false
	}
	return Points(t), true
}

// MarshalJSON writes p as a JSON number.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a JSON number with at most one decimal.
func (p *Points) UnmarshalJSON(b []byte) error {
	var f json.Number
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	v, ok := ParsePoints(f.String())
	if !ok {
		return fmt.Errorf("points %s: at most one decimal", f)
	}
	*p = v
	return nil
}

// How an item is scored. The data methods are computed from other features'
// records for the advisor's villages and year; MethodScorer items are scored
// by hand by the named scorer role, each in their own scope.
const (
	// MethodDutyRule: every missed period of the duty rules RuleIDs (the
	// ledger's obligations, R22) costs PerMiss ("每少一次扣1分").
	MethodDutyRule = "duty_rule"
	// MethodMonthly: every month of the served term without an entry of
	// Kinds (on site when Onsite) costs PerMiss ("每月不少于一次到村服务，每少
	// 一次扣1分"), read from the ledger's counters by village and month.
	MethodMonthly = "monthly"
	// MethodKindCount: at least MinCount entries of Kinds a village a year;
	// each one short costs PerMiss ("工作日志一次一记").
	MethodKindCount = "kind_count"
	// MethodDocument: a village without the year's document DocKind (the
	// annual plan, the improvement report) costs Deduct ("未制定年度服务计划
	// 扣3分").
	MethodDocument = "document"
	// MethodBoard: a village without a public board costs DeductMissing, a
	// board not updated within Days costs Deduct ("无公示牌扣5分，未及时更新扣3分").
	MethodBoard = "board"
	// MethodWeChat: a village without a registered service group costs
	// DeductMissing; one whose QR code has expired costs Deduct.
	MethodWeChat = "wechat"
	// MethodInspection: every problem an inspection found at one of the
	// advisor's villages in the year costs PerMiss (R25: 随机检查、暗访).
	MethodInspection = "inspection"
	// MethodSurvey: the residents' survey, Points × the average rating / 5;
	// villages with fewer than MinCount answers are named.
	MethodSurvey = "survey"
	// MethodScorer: scored by hand by Scorer (village committee, town office
	// or bureau panel); several scores (one per village, one per town) are
	// averaged.
	MethodScorer = "scorer"
)

// Methods lists the scoring methods in form order.
var Methods = []string{MethodDutyRule, MethodMonthly, MethodKindCount, MethodDocument, MethodBoard, MethodWeChat, MethodInspection, MethodSurvey, MethodScorer}

// Scorer roles of MethodScorer items.
const (
	ScorerVillage = counsel.RoleVillage  // 村(居)委会
	ScorerTown    = counsel.RoleJudicial // 司法所
	ScorerBureau  = counsel.RoleBureau   // 县司法局考核组
)

// Scorers lists the scorer roles.
var Scorers = []string{ScorerVillage, ScorerTown, ScorerBureau}

// Item is one line of an assessment sheet: what is assessed, for how many
// points, the standard in words and how it is scored.
type Item struct {
	ID       string `json:"id"`
	Name     string `json:"name"`     // zh: "到村服务"
	Standard string `json:"standard"` // zh, as the sheet prints it
	Points   Points `json:"points"`   // the item's maximum
	Method   string `json:"method"`

	RuleIDs       []string `json:"rule_ids,omitempty"`       // MethodDutyRule
	Kinds         []string `json:"kinds,omitempty"`          // MethodMonthly, MethodKindCount (empty = any)
	Onsite        bool     `json:"onsite,omitempty"`         // MethodMonthly, MethodKindCount: on-site entries only
	MinCount      int      `json:"min_count,omitempty"`      // MethodKindCount: per village and year
	DocKind       string   `json:"doc_kind,omitempty"`       // MethodDocument: plan, improvement
	Days          int      `json:"days,omitempty"`           // MethodBoard: updated within
	PerMiss       Points   `json:"per_miss,omitempty"`       // per missed period, month or count
	Deduct        Points   `json:"deduct,omitempty"`         // document missing, board stale, QR expired
	DeductMissing Points   `json:"deduct_missing,omitempty"` // no board, no group
	Scorer        string   `json:"scorer,omitempty"`         // MethodScorer

	// Disabled, set in a lower layer, removes the inherited item with the
	// same ID.
	Disabled bool `json:"disabled,omitempty"`
}

// Sheet is a named list of items (村(社区)法律顾问工作考评表).
type Sheet struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Total is the sum of the items' points.
func (s Sheet) Total() Points {
	var t Points
	for _, it := range s.Items {
		t += it.Points
	}
	return t
}

// Layer is the sheet a jurisdiction sets for its subtree.
type Layer struct {
	Region string `json:"region"`
	Sheet  Sheet  `json:"sheet"`
}

// Resolve returns the sheet binding a village, like the duty rules
// (policy.Resolve): layers whose region contains the village apply from the
// top down; a lower item with an inherited ID replaces it in place, a lower
// item with Disabled removes it, new IDs are appended in layer order; the
// name is the deepest non-empty one.
func Resolve(layers []Layer, village string) Sheet {
	var use []Layer
	for _, l := range layers {
		if l.Region == "" || counsel.Within(village, l.Region) {
			use = append(use, l)
		}
	}
	sort.SliceStable(use, func(i, j int) bool { return levelOf(use[i].Region) < levelOf(use[j].Region) })
	var out Sheet
	for _, l := range use {
		if l.Sheet.Name != "" {
			out.Name = l.Sheet.Name
		}
		for _, it := range l.Sheet.Items {
			i := indexOf(out.Items, it.ID)
			switch {
			case i >= 0 && it.Disabled:
				out.Items = append(out.Items[:i], out.Items[i+1:]...)
			case i >= 0:
				out.Items[i] = cloneItem(it)
			case !it.Disabled:
				out.Items = append(out.Items, cloneItem(it))
			}
		}
	}
	return out
}

func indexOf(items []Item, id string) int {
	for i := range items {
		if items[i].ID == id {
			return i
		}
	}
	return -1
}

func levelOf(code string) int {
	if code == "" {
		return 0
	}
	return int(counsel.LevelOf(code))
}

func cloneItem(it Item) Item {
	it.RuleIDs = append([]string(nil), it.RuleIDs...)
	it.Kinds = append([]string(nil), it.Kinds...)
	return it
}

// Validate returns the problems of the item as field errors (message keys
// of this feature), empty when it is sound. Field names are prefixed with
// prefix ("items.3.").
func (it Item) Validate(prefix string) []counsel.FieldError {
	var f []counsel.FieldError
	add := func(field, key string, args ...any) {
		f = append(f, counsel.FieldError{Field: prefix + field, Key: key, Args: args})
	}
	if it.ID == "" || len(it.ID) > 40 || strings.ContainsAny(it.ID, " \t\n/?&") {
		add("id", "as.err.item_id")
	}
	if it.Disabled {
		return f
	}
	if n := len([]rune(strings.TrimSpace(it.Name))); n == 0 || n > 60 {
		add("name", "as.err.item_name")
	}
	if len([]rune(it.Standard)) > 500 {
		add("standard", "as.err.standard_long")
	}
	if it.Points <= 0 || it.Points > Pt(100) {
		add("points", "as.err.item_points")
	}
	if it.PerMiss < 0 || it.Deduct < 0 || it.DeductMissing < 0 {
		add("per_miss", "as.err.negative")
	}
	for _, k := range it.Kinds {
		if !policy.ValidKind(k) {
			add("kinds", "as.err.kind", k)
		}
	}
	switch it.Method {
	case MethodDutyRule:
		if len(it.RuleIDs) == 0 {
			add("rule_ids", "as.err.rule_ids")
		}
		if it.PerMiss <= 0 {
			add("per_miss", "as.err.per_miss")
		}
	case MethodMonthly, MethodInspection:
		if it.PerMiss <= 0 {
			add("per_miss", "as.err.per_miss")
		}
	case MethodKindCount:
		if it.MinCount <= 0 || it.MinCount > 1000 {
			add("min_count", "as.err.min_count")
		}
		if it.PerMiss <= 0 {
			add("per_miss", "as.err.per_miss")
		}
	case MethodDocument:
		if it.DocKind != counsel.DocPlan && it.DocKind != counsel.DocImprovement {
			add("doc_kind", "as.err.doc_kind")
		}
		if it.Deduct <= 0 {
			add("deduct", "as.err.deduct")
		}
	case MethodBoard:
		if it.Days <= 0 || it.Days > 3660 {
			add("days", "as.err.days")
		}
		if it.Deduct <= 0 && it.DeductMissing <= 0 {
			add("deduct", "as.err.deduct")
		}
	case MethodWeChat:
		if it.Deduct <= 0 && it.DeductMissing <= 0 {
			add("deduct", "as.err.deduct")
		}
	case MethodSurvey:
		if it.MinCount < 0 || it.MinCount > 1000 {
			add("min_count", "as.err.min_count")
		}
	case MethodScorer:
		if !oneOf(it.Scorer, Scorers) {
			add("scorer", "as.err.scorer")
		}
	default:
		add("method", "as.err.method")
	}
	return f
}

// Validate returns the problems of every item and duplicate IDs.
func (s Sheet) Validate() []counsel.FieldError {
	var out []counsel.FieldError
	if n := len([]rune(strings.TrimSpace(s.Name))); n > 100 {
		out = append(out, counsel.FieldError{Field: "name", Key: "as.err.sheet_name"})
	}
	if len(s.Items) > 100 {
		out = append(out, counsel.FieldError{Field: "items", Key: "as.err.too_many_items"})
	}
	seen := map[string]bool{}
	for i, it := range s.Items {
		p := "items." + strconv.Itoa(i) + "."
		out = append(out, it.Validate(p)...)
		if seen[it.ID] {
			out = append(out, counsel.FieldError{Field: p + "id", Key: "as.err.item_dup", Args: []any{it.ID}})
		}
		seen[it.ID] = true
	}
	return out
}

func oneOf(v string, list []string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
