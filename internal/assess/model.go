package assess

// Round statuses: scorers score while "scoring"; "published" fixes the
// results and opens the objection window; "final" closes the round.
const (
	RoundScoring   = "scoring"
	RoundPublished = "published"
	RoundFinal     = "final"
)

// DefaultObjectionDays is the objection window in working days.
const DefaultObjectionDays = 5

// Round is a county's assessment of its advisors for a year (R38).
type Round struct {
	ID             int64      `json:"id"`
	CountyCode     string     `json:"county_code"`
	CountyName     string     `json:"county_name"`
	Year           int        `json:"year"`
	Title          string     `json:"title"`
	Status         string     `json:"status"`
	AsOf           string     `json:"as_of"` // the date results were fixed on (publication)
	Thresholds     Thresholds `json:"thresholds"`
	ObjectionDays  int        `json:"objection_days"`
	PublishedOn    string     `json:"published_on"`
	ObjectionUntil string     `json:"objection_until"`
	CreatedBy      int64      `json:"created_by"`
	CreatedAt      int64      `json:"created_at"`
	UpdatedAt      int64      `json:"updated_at"`
}

// RoundInput opens a round.
type RoundInput struct {
	CountyCode    string     `json:"county_code"`
	Year          int        `json:"year"`
	Title         string     `json:"title"`
	Thresholds    Thresholds `json:"thresholds"`
	ObjectionDays int        `json:"objection_days"`
}

// AdvisorResult is one advisor's scored sheet in a round.
type AdvisorResult struct {
	RoundID      int64          `json:"round_id"`
	AdvisorID    int64          `json:"advisor_id"`
	AdvisorName  string         `json:"advisor_name"`
	ProviderID   int64          `json:"provider_id"`
	ProviderName string         `json:"provider_name"`
	Total        Points         `json:"total"`
	Max          Points         `json:"max"`
	Grade        string         `json:"grade"`
	Reason       string         `json:"reason"` // why a published result was changed
	UpdatedAt    int64          `json:"updated_at"`
	SheetName    string         `json:"sheet_name"`
	Result       Result         `json:"result"`
	Villages     []VillageFacts `json:"villages"`
}

// Objection is an advisor's objection to an item of their published result
// and the bureau's answer.
type Objection struct {
	ID          int64  `json:"id"`
	RoundID     int64  `json:"round_id"`
	AdvisorID   int64  `json:"advisor_id"`
	AdvisorName string `json:"advisor_name"`
	ItemID      string `json:"item_id"`
	Body        string `json:"body"`
	FiledAt     int64  `json:"filed_at"`
	Answer      string `json:"answer"`
	AnsweredAt  int64  `json:"answered_at"`
}
