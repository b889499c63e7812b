package registry

import "github.com/villagecounsel/counsel"

// The registry's own row types; its records (counsel.Region, Provider,
// Advisor, Agreement, Person, Pairing, Settings) are kernel types many
// features share.

// CoverageRow is one town's coverage: villages, and those with a filed agreement.
type CoverageRow struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Villages int     `json:"villages"`
	Covered  int     `json:"covered"`
	Rate     float64 `json:"rate"`
}

// VillageAdvisor is the advisor serving a village under a live agreement.
type VillageAdvisor struct {
	AdvisorID   int64
	AdvisorName string
	AgreementID int64
	Status      string
	Packaged    bool
	rank        int
}

// TownGroup is a town with its villages, for village selects.
type TownGroup struct {
	Town     counsel.Region
	Villages []counsel.Region
}
