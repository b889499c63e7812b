package counsel

import (
	"strings"
	"unicode/utf8"
)

// Major-matter categories: the five kinds of matter an advisor must report
// to the bureau at once (重大事项报告制度, seed 002 五、3).
const (
	MajorCollectiveSuit     = "collective_suit_petition" // 涉及集体诉讼或上访的案件
	MajorBusinessDecision   = "major_business_decision"  // 涉及重大经营决策和涉及面广、影响大的涉法问题
	MajorIllegalInstability = "illegal_act_instability"  // 涉及因违法行为，可能引发不稳定因素的事项
	MajorEmergency          = "major_emergency"          // 涉及重大突发事件
	MajorOtherStability     = "other_stability"          // 涉及影响稳定的其他重大事项
)

// MajorCategories lists the categories in the seed's order.
var MajorCategories = []string{MajorCollectiveSuit, MajorBusinessDecision, MajorIllegalInstability, MajorEmergency, MajorOtherStability}

// Major-matter report statuses: submitted → acknowledged → followed_up (may
// repeat) → closed.
const (
	MajorSubmitted    = "submitted"
	MajorAcknowledged = "acknowledged"
	MajorFollowedUp   = "followed_up"
	MajorClosed       = "closed"
)

// MajorStatuses lists the statuses in flow order.
var MajorStatuses = []string{MajorSubmitted, MajorAcknowledged, MajorFollowedUp, MajorClosed}

// Event kinds of a report's timeline: the statuses and escalation.
const MajorEscalated = "escalated"

// Escalation levels: whom an unacknowledged report waits on.
const (
	MajorLevelTown   = 0 // the town judicial office
	MajorLevelCounty = 1 // the county bureau, after one deadline passed
	MajorLevelCity   = 2 // the city bureau, after a second deadline passed
)

// DefaultMajorAckHours is the default acknowledgement deadline in hours.
const DefaultMajorAckHours = 24

// MaxMajorAckHours bounds the deadline a county may set (30 days).
const MaxMajorAckHours = 720

// Limits of a report's fields.
const (
	MaxMajorTitle  = 100
	MaxMajorText   = 4000
	MaxMajorNote   = 2000
	MaxMajorPeople = 1000000
)

// MajorReport is one major-matter report (重大事项报告, R18).
type MajorReport struct {
	ID             int64  `json:"id"`
	VillageCode    string `json:"village_code"`
	AdvisorID      int64  `json:"advisor_id"`
	ProviderID     int64  `json:"provider_id"`
	Category       string `json:"category"`
	Title          string `json:"title"`
	Facts          string `json:"facts"`
	OccurredOn     string `json:"occurred_on"` // YYYY-MM-DD
	People         int    `json:"people"`      // people involved
	Suggestion     string `json:"suggestion"`  // the advisor's suggested action
	Status         string `json:"status"`
	Level          int    `json:"level"`     // escalation level (MajorLevel…)
	AckHours       int    `json:"ack_hours"` // the deadline in force when submitted
	AckDueAt       int64  `json:"ack_due_at"`
	SubmittedAt    int64  `json:"submitted_at"`
	AcknowledgedAt int64  `json:"acknowledged_at,omitempty"`
	AcknowledgedBy int64  `json:"acknowledged_by,omitempty"`
	EscalatedAt    int64  `json:"escalated_at,omitempty"`
	FollowUps      int    `json:"follow_ups"`
	ClosedAt       int64  `json:"closed_at,omitempty"`
	ClosedBy       int64  `json:"closed_by,omitempty"`
	Outcome        string `json:"outcome,omitempty"`
	ClientKey      string `json:"client_key,omitempty"`
	CreatedBy      int64  `json:"created_by"`
	CreatedAt      int64  `json:"created_at"`
	UpdatedAt      int64  `json:"updated_at"`

	// Read-only context filled by queries and the service.
	VillageName  string `json:"village_name,omitempty"`
	TownName     string `json:"town_name,omitempty"`
	AdvisorName  string `json:"advisor_name,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	Overdue      bool   `json:"overdue"` // submitted and past its acknowledgement deadline
}

// OverdueAt reports whether the report waits for acknowledgement past its
// deadline at the time nowMs (unix milliseconds).
func (r *MajorReport) OverdueAt(nowMs int64) bool {
	return r.Status == MajorSubmitted && r.AckDueAt > 0 && nowMs >= r.AckDueAt
}

// Open reports whether the report is not closed.
func (r *MajorReport) Open() bool { return r.Status != MajorClosed }

// MajorEvent is one step of a report's timeline.
type MajorEvent struct {
	ID       int64  `json:"id"`
	ReportID int64  `json:"report_id"`
	Kind     string `json:"kind"` // a status or MajorEscalated
	Level    int    `json:"level"`
	Note     string `json:"note,omitempty"`
	UserID   int64  `json:"user_id,omitempty"`
	Username string `json:"username"`
	At       int64  `json:"at"`

	UserName string `json:"user_name,omitempty"` // display name of the account
}

// Normalize trims user input in place.
func (r *MajorReport) Normalize() {
	for _, p := range []*string{&r.VillageCode, &r.Category, &r.Title, &r.Facts, &r.OccurredOn, &r.Suggestion, &r.ClientKey} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate checks the fields the advisor types; today bounds the date.
func (r *MajorReport) Validate(today string) error {
	var f Fields
	if !ValidCode(r.VillageCode) || LevelOf(r.VillageCode) != LevelVillage {
		f.Add("village_code", "err.need_village")
	}
	if !oneOf(r.Category, MajorCategories) {
		f.Add("category", "major.err_category")
	}
	switch {
	case r.Title == "":
		f.Add("title", "err.required")
	case utf8.RuneCountInString(r.Title) > MaxMajorTitle:
		f.Add("title", "err.too_long", MaxMajorTitle)
	}
	switch {
	case r.Facts == "":
		f.Add("facts", "err.required")
	case utf8.RuneCountInString(r.Facts) > MaxMajorText:
		f.Add("facts", "err.too_long", MaxMajorText)
	}
	switch {
	case r.OccurredOn == "":
		f.Add("occurred_on", "err.required")
	case !ValidDate(r.OccurredOn):
		f.Add("occurred_on", "err.date")
	case today != "" && r.OccurredOn > today:
		f.Add("occurred_on", "major.err_future")
	}
	if r.People < 0 || r.People > MaxMajorPeople {
		f.Add("people", "err.range", 0, MaxMajorPeople)
	}
	if utf8.RuneCountInString(r.Suggestion) > MaxMajorNote {
		f.Add("suggestion", "err.too_long", MaxMajorNote)
	}
	if len(r.ClientKey) > 64 {
		f.Add("client_key", "err.too_long", 64)
	}
	return f.Err()
}
