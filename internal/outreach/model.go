package outreach

// Revisit statuses.
const (
	RevisitSent     = "sent"
	RevisitAnswered = "answered"
)

// RevisitRound is a round of revisits a county sends (R35).
type RevisitRound struct {
	ID         int64  `json:"id"`
	CountyCode string `json:"county_code"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	DueOn      string `json:"due_on"`
	CreatedBy  int64  `json:"created_by"`
	CreatedAt  int64  `json:"created_at"`
	// Filled by revisitRounds.
	Total    int `json:"total"`
	Answered int `json:"answered"`
}

// Revisit is one questionnaire: a village committee about its advisor.
type Revisit struct {
	ID          int64  `json:"id"`
	RoundID     int64  `json:"round_id"`
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id"`
	Year        int    `json:"year"`
	Status      string `json:"status"`
	Respondent  string `json:"respondent"`
	Comment     string `json:"comment"`
	AnsweredBy  int64  `json:"answered_by"`
	AnsweredAt  int64  `json:"answered_at"`
	CreatedAt   int64  `json:"created_at"`
	// Joined.
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	AdvisorName string `json:"advisor_name"`
	Title       string `json:"title"`
	DueOn       string `json:"due_on"`
}

// RevisitFilter narrows the questionnaires: a round, a village subtree, an
// advisor, a year (0 = any).
type RevisitFilter struct {
	RoundID   int64
	Scope     string
	AdvisorID int64
	Year      int
	Status    string
}

// RevisitTotal is the sum and count of one question's ratings of an advisor
// in a year.
type RevisitTotal struct {
	AdvisorID int64
	Year      int
	Question  string
	Sum       int
	Count     int
}

// RevisitRoundInput asks for a round of revisits of a county.
type RevisitRoundInput struct {
	CountyCode string `json:"county_code"`
	Year       int    `json:"year"`
	Title      string `json:"title"`
	DueOn      string `json:"due_on"`
}

// RevisitDetail is a questionnaire with its ratings.
type RevisitDetail struct {
	Revisit
	Scores    map[string]int `json:"scores"`
	CanAnswer bool           `json:"can_answer"`
}

// RevisitAnswer is a village committee's answer.
type RevisitAnswer struct {
	Scores     map[string]int `json:"scores"` // question → 1..5, every question
	Respondent string         `json:"respondent"`
	Comment    string         `json:"comment"`
}

// RevisitSummary is what the village committees said of one advisor in one
// year: the average of each question, the overall average of all ratings,
// and the comments.
type RevisitSummary struct {
	AdvisorID   int64              `json:"advisor_id"`
	AdvisorName string             `json:"advisor_name"`
	Provider    string             `json:"provider"`
	Year        int                `json:"year"`
	Sent        int                `json:"sent"`
	Answered    int                `json:"answered"`
	Averages    map[string]float64 `json:"averages"` // question → average rating
	Average     float64            `json:"average"`  // of all ratings
	Comments    []RevisitComment   `json:"comments"`
}

// RevisitComment is one village's comment.
type RevisitComment struct {
	Village string `json:"village"`
	Text    string `json:"text"`
}

// Campaign kinds: the fixed national days, and the days a jurisdiction
// enters (committee elections, local campaigns).
const (
	CampaignNational = "national"
	CampaignElection = "election"
	CampaignLocal    = "local"
)

// CampaignKinds are the kinds a jurisdiction may enter.
var CampaignKinds = []string{CampaignElection, CampaignLocal}

// CampaignDay is a publicity day of the calendar (R37, seed 003: 宪法日、禁毒日、
// 妇女节、重阳节 and the committee elections).
type CampaignDay struct {
	Date       string `json:"date"`                  // YYYY-MM-DD
	Key        string `json:"key,omitempty"`         // national days: constitution, anti_drug, womens_day, double_ninth
	Kind       string `json:"kind"`                  // national, election, local
	Name       string `json:"name"`                  // zh
	Theme      string `json:"theme,omitempty"`       // suggested topic (zh), national days
	ID         int64  `json:"id,omitempty"`          // an entered day's id
	RegionCode string `json:"region_code,omitempty"` // an entered day's region
	Note       string `json:"note,omitempty"`
	DaysLeft   int    `json:"days_left"` // from the day asked about
}

// EnteredDay is a publicity day a jurisdiction entered (a committee
// election, a local campaign), as stored in campaign_days; the national days
// live in code (R37). It was store.CampaignDay before the move.
type EnteredDay struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Day        string `json:"day"`
	Kind       string `json:"kind"` // election, local
	Name       string `json:"name"`
	Note       string `json:"note"`
	CreatedBy  int64  `json:"created_by"`
	CreatedAt  int64  `json:"created_at"`
}

// CampaignInput enters a day for a jurisdiction.
type CampaignInput struct {
	RegionCode string `json:"region_code"`
	Day        string `json:"day"`
	Kind       string `json:"kind"` // election, local
	Name       string `json:"name"`
	Note       string `json:"note"`
}
