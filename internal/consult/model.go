package consult

import "github.com/villagecounsel/counsel"

// Consultation statuses.
const (
	ConsultOpen     = "open"
	ConsultAnswered = "answered"
)

// ConsultOverdue is the status filter value of open consultations past
// their deadline.
const ConsultOverdue = "overdue"

// Consultation is one question of a resident.
type Consultation struct {
	ID            int64  `json:"id"`
	Ticket        string `json:"ticket"`
	VillageCode   string `json:"village_code"`
	AdvisorID     int64  `json:"advisor_id"`
	Category      string `json:"category"`
	Question      string `json:"question"`
	Name          string `json:"name"`
	Phone         string `json:"phone"`
	NoticeVersion string `json:"notice_version"`
	Status        string `json:"status"`
	DueAt         int64  `json:"due_at"`
	EscalatedAt   int64  `json:"escalated_at"`
	Answer        string `json:"answer"`
	AnsweredBy    int64  `json:"answered_by"`
	AnsweredAt    int64  `json:"answered_at"`
	EntryID       int64  `json:"entry_id"`
	Rating        int    `json:"rating"`
	RatingComment string `json:"rating_comment"`
	RatedAt       int64  `json:"rated_at"`
	CreatedAt     int64  `json:"created_at"`
	UpdatedAt     int64  `json:"updated_at"`

	// Read-only context filled by queries.
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	AdvisorName string `json:"advisor_name"`
}

// ConsultFilter narrows a consultation list: Scope is a region subtree,
// AdvisorID an advisor's tickets; Status a status or "overdue" (open past
// its deadline at Now).
type ConsultFilter struct {
	Scope     string
	Village   string
	AdvisorID int64
	Status    string
	Category  string
	Now       int64
	counsel.Page
}

// ConsultRequest is what a resident submits.
type ConsultRequest struct {
	VillageCode string `json:"village_code"`
	Category    string `json:"category"`
	Question    string `json:"question"`
	Name        string `json:"name"`
	Phone       string `json:"phone"`
	// Notice is the version of the personal-information notice the resident
	// accepted; it must be the current one.
	Notice string `json:"notice_accepted"`
	// Website is the honeypot: people leave it empty (it is hidden); a
	// filled one is a robot and is silently discarded.
	Website string `json:"website,omitempty"`
	IP      string `json:"-"`
}

// ConsultReceipt is what the resident gets back.
type ConsultReceipt struct {
	Ticket string `json:"ticket"`
	DueOn  string `json:"due_on"` // the date the answer is due by (China)
	// DueUncertain: the deadline crosses a year the holiday table does not
	// cover, so it was counted Monday to Friday and may move.
	DueUncertain bool   `json:"due_uncertain,omitempty"`
	Village      string `json:"village"`
}

// PublicConsult is a consultation as its resident sees it.
type PublicConsult struct {
	Ticket        string `json:"ticket"`
	Village       string `json:"village"`
	Category      string `json:"category"`
	Question      string `json:"question"`
	Status        string `json:"status"`
	AskedOn       string `json:"asked_on"`
	DueOn         string `json:"due_on"`
	DueUncertain  bool   `json:"due_uncertain,omitempty"` // see ConsultReceipt
	Answer        string `json:"answer,omitempty"`
	AnsweredOn    string `json:"answered_on,omitempty"`
	AdvisorName   string `json:"advisor_name,omitempty"`
	Rating        int    `json:"rating,omitempty"`
	RatingComment string `json:"rating_comment,omitempty"`
	CanRate       bool   `json:"can_rate"`
	Phone         string `json:"phone"` // masked
}
