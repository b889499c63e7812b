package ledger

import "github.com/villagecounsel/counsel"

// EntryFilter narrows an entry list.
type EntryFilter struct {
	Scope      string // region subtree
	ProviderID int64
	AdvisorID  int64
	Village    string
	MatterID   int64
	Kind       string
	Status     string
	From, To   string // service dates, inclusive
	Q          string
	counsel.Page
}
