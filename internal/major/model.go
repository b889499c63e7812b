package major

import "github.com/villagecounsel/counsel"

// The report and its timeline are counsel.MajorReport and counsel.MajorEvent
// (the module root: authz reads them); the types here only this feature uses.

// Filter narrows a report list. Scope is a region subtree; ProviderID and
// AdvisorID narrow to a provider's or an advisor's reports. Status may be a
// status or "open" (not closed). Overdue keeps the reports submitted and
// past their deadline at Now (unix ms).
type Filter struct {
	Scope      string
	Region     string // an extra subtree chosen by the user
	Village    string
	ProviderID int64
	AdvisorID  int64
	Status     string
	Category   string
	Overdue    bool
	Now        int64
	Q          string
	counsel.Page
}

// Open is the status filter value for reports not closed.
const Open = "open"

// MajorDeadline is a county's acknowledgement deadline.
type MajorDeadline struct {
	Region   string `json:"region"` // the county ("" above county level: the default)
	AckHours int    `json:"ack_hours"`
	Set      bool   `json:"set"` // false: the default
}
