package counsel

// Filter narrows a list. Scope is a region code: only rows whose region lies in
// its subtree are returned. ProviderID and AdvisorID narrow to what a provider
// or an advisor serves. The zero Filter returns everything.
type Filter struct {
	Scope      string
	ProviderID int64
	AdvisorID  int64
	Q          string // free-text search
	Kind       string
	Status     string
	Region     string // an extra region subtree (a user's filter within scope)
	Today      string // the date Status "late" is judged on
	Page
}
