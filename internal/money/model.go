package money

import "github.com/villagecounsel/counsel"

// SeedFloor is the subsidy floor per village per year of seed 003 三(二)
// (原则上不低于5000元): the default standard of every jurisdiction, which a
// province or city may raise and no jurisdiction below may undercut.
const SeedFloor Fen = 500000

// Standard is a jurisdiction's own subsidy standard (per village per year).
type Standard struct {
	RegionCode   string `json:"region_code"`
	BaseFen      Fen    `json:"base_fen"`       // an ordinary village; the floor for the jurisdictions below
	CityFen      Fen    `json:"city_fen"`       // a city-level underdeveloped village (0: as BaseFen)
	CountyFen    Fen    `json:"county_fen"`     // a county-level underdeveloped village (0: as BaseFen)
	TownSharePct int    `json:"town_share_pct"` // a county's setting: the towns' share of an ordinary village's subsidy
	Note         string `json:"note,omitempty"`
	UpdatedBy    int64  `json:"updated_by"`
	UpdatedAt    int64  `json:"updated_at"`
}

// Effective is the standard in force in a jurisdiction: its own where set,
// else inherited, never below the floor its ancestors set.
type Effective struct {
	RegionCode   string    `json:"region_code"`
	Floor        Fen       `json:"floor_fen"`  // the ancestors' floor (SeedFloor at least)
	FloorFrom    string    `json:"floor_from"` // the ancestor whose standard sets the floor ("" = seed 003)
	Base         Fen       `json:"base_fen"`
	City         Fen       `json:"city_fen"`
	County       Fen       `json:"county_fen"`
	TownSharePct int       `json:"town_share_pct"`
	Own          *Standard `json:"own,omitempty"`
	// Raised is true when the jurisdiction's own standard is below a floor
	// an ancestor raised later: the floor is paid, not the own figure.
	Raised bool `json:"raised"`
}

// For returns the yearly standard for a village of an underdeveloped level
// (counsel.UnderdevelopedCity, …County or "").
func (e Effective) For(underdeveloped string) Fen {
	switch underdeveloped {
	case "city":
		return e.City
	case "county":
		return e.County
	}
	return e.Base
}

// Deduction rule kinds (seed 003 三(三): 未按要求完成服务时间和次数…予以扣减经济补贴).
const (
	RuleMissedPeriod = "missed_period" // an amount per missed duty period
	RuleHourShort    = "hour_short"    // an amount per hour short of the on-site minimum
	RuleGrade        = "grade"         // a percentage of the line for an assessment grade
)

// RuleKinds lists the deduction rule kinds in display order.
var RuleKinds = []string{RuleMissedPeriod, RuleHourShort, RuleGrade}

// DeductionRule is one of a county's deduction rules.
type DeductionRule struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Kind       string `json:"kind"`
	DutyRule   string `json:"duty_rule,omitempty"` // the duty rule's id ("" = every duty rule)
	Grade      string `json:"grade,omitempty"`     // for RuleGrade: the assessment grade it applies to
	AmountFen  Fen    `json:"amount_fen"`          // per period or per hour
	Pct        int    `json:"pct"`                 // for RuleGrade
	CapFen     Fen    `json:"cap_fen"`             // the rule's most on one line (0: no cap)
	CreatedBy  int64  `json:"created_by"`
	CreatedAt  int64  `json:"created_at"`
}

// Settlement statuses: a draft may be computed again; reviewed, then locked;
// signed off by the bureau. A locked or signed settlement changes only by a
// recorded correction.
const (
	StatusDraft    = "draft"
	StatusReviewed = "reviewed"
	StatusLocked   = "locked"
	StatusSigned   = "signed"
)

// Settlement is a county's settlement of a year (Half 0) or half-year.
type Settlement struct {
	ID          int64  `json:"id"`
	RegionCode  string `json:"region_code"`
	RegionName  string `json:"region_name,omitempty"`
	Year        int    `json:"year"`
	Half        int    `json:"half"`
	PeriodStart string `json:"period_start"`
	PeriodEnd   string `json:"period_end"`
	Status      string `json:"status"`
	ComputedOn  string `json:"computed_on"`
	CreatedBy   int64  `json:"created_by"`
	CreatedAt   int64  `json:"created_at"`
	ReviewedBy  int64  `json:"reviewed_by,omitempty"`
	ReviewedAt  int64  `json:"reviewed_at,omitempty"`
	LockedBy    int64  `json:"locked_by,omitempty"`
	LockedAt    int64  `json:"locked_at,omitempty"`
	SignedBy    int64  `json:"signed_by,omitempty"`
	SignedAt    int64  `json:"signed_at,omitempty"`
	// Read-only: the sum of the lines' amounts due.
	TotalFen Fen `json:"total_fen"`
	Lines    int `json:"lines"`
}

// Locked reports whether the settlement changes only by corrections.
func (s *Settlement) Locked() bool { return s.Status == StatusLocked || s.Status == StatusSigned }

// Payer kinds (seed 003 三(二)).
const (
	PayerCity   = "city"   // city finance: city-level underdeveloped villages
	PayerCounty = "county" // county finance: county-level underdeveloped villages and the county's part of the rest
	PayerTown   = "town"   // a town: its share of its ordinary villages
)

// Deduction is one deduction of a line, with its reason in words and the
// data behind it.
type Deduction struct {
	RuleID   int64  `json:"rule_id"`
	Kind     string `json:"kind"`
	Reason   string `json:"reason"` // "2026年第3季度到村服务 6/8 小时，扣减 500.00 元"
	Fen      Fen    `json:"fen"`
	Capped   bool   `json:"capped,omitempty"`
	Period   string `json:"period,omitempty"`
	Count    int    `json:"count,omitempty"`
	Need     int    `json:"need,omitempty"`
	Minutes  int    `json:"minutes,omitempty"`
	NeedMins int    `json:"need_minutes,omitempty"`
}

// Line is one line of a settlement: an agreement's service of a village.
type Line struct {
	ID             int64       `json:"id"`
	SettlementID   int64       `json:"settlement_id"`
	AgreementID    int64       `json:"agreement_id"`
	VillageCode    string      `json:"village_code"`
	AdvisorID      int64       `json:"advisor_id"`
	ProviderID     int64       `json:"provider_id"`
	Underdeveloped string      `json:"underdeveloped,omitempty"`
	TermStart      string      `json:"term_start"`
	TermEnd        string      `json:"term_end"`
	StandardFen    Fen         `json:"standard_fen"` // the yearly amount
	Months         int         `json:"months"`
	ProratedFen    Fen         `json:"prorated_fen"`
	DeductionFen   Fen         `json:"deduction_fen"`
	CorrectionFen  Fen         `json:"correction_fen"` // recorded corrections, added to the amount due
	DueFen         Fen         `json:"due_fen"`
	PayerKind      string      `json:"payer_kind"` // city or county
	PayerCode      string      `json:"payer_code"`
	TownFen        Fen         `json:"town_fen"` // the town's share of DueFen (ordinary villages)
	Details        []Deduction `json:"details"`

	// Read-only names.
	VillageName  string `json:"village_name,omitempty"`
	TownName     string `json:"town_name,omitempty"`
	AdvisorName  string `json:"advisor_name,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
}

// Portion is what one payer pays of a line.
type Portion struct {
	PayerKind string
	PayerCode string
	Fen       Fen
}

// Portions splits a line's amount due between its payers: the town's share
// (TownFen) and the rest for PayerCode. Their sum is DueFen to the fen.
func (l *Line) Portions() []Portion {
	out := []Portion{{PayerKind: l.PayerKind, PayerCode: l.PayerCode, Fen: l.DueFen - l.TownFen}}
	if l.TownFen != 0 {
		out = append(out, Portion{PayerKind: PayerTown, PayerCode: counsel.ParentOf(l.VillageCode), Fen: l.TownFen})
	}
	return out
}

// Correction is a recorded change of a locked settlement's line.
type Correction struct {
	ID           int64  `json:"id"`
	SettlementID int64  `json:"settlement_id"`
	LineID       int64  `json:"line_id"`
	BeforeFen    Fen    `json:"before_fen"`
	AfterFen     Fen    `json:"after_fen"`
	Reason       string `json:"reason"`
	CreatedBy    int64  `json:"created_by"`
	CreatedAt    int64  `json:"created_at"`
	VillageName  string `json:"village_name,omitempty"`
}

// PayList is a payer's payment list of a settlement.
type PayList struct {
	Settlement *Settlement `json:"settlement"`
	PayerKind  string      `json:"payer_kind"`
	PayerCode  string      `json:"payer_code"`
	PayerName  string      `json:"payer_name"`
	Rows       []PayRow    `json:"rows"`
	TotalFen   Fen         `json:"total_fen"`
	Capitals   string      `json:"total_capitals"`
}

// PayRow is one line of a payment list: what the payer pays for a village.
type PayRow struct {
	LineID       int64  `json:"line_id"`
	VillageCode  string `json:"village_code"`
	VillageName  string `json:"village_name"`
	TownName     string `json:"town_name"`
	AdvisorName  string `json:"advisor_name"`
	ProviderName string `json:"provider_name"`
	TermStart    string `json:"term_start"`
	TermEnd      string `json:"term_end"`
	Months       int    `json:"months"`
	Fen          Fen    `json:"fen"`
}

// PayerRef names a payment list of a settlement.
type PayerRef struct {
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	TotalFen Fen    `json:"total_fen"`
	Rows     int    `json:"rows"`
}
