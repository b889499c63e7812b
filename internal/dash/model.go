package dash

import (
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
)

// DashRegion names a region on a dashboard or report.
type DashRegion struct {
	Code  string        `json:"code"` // "" = the whole country
	Name  string        `json:"name"`
	Level counsel.Level `json:"level"`
}

// DashCompliance is an obligation tally (village × rule × period). The
// compliance rate counts only periods that have ended; the periods still
// running give the progress so far.
type DashCompliance struct {
	Obligations int64    `json:"obligations"`
	Met         int64    `json:"met"`
	Closed      int64    `json:"closed"`     // obligations of ended periods
	ClosedMet   int64    `json:"closed_met"` // … met
	Rate        *float64 `json:"rate"`       // ClosedMet / Closed; null before any period ended
	Open        int64    `json:"open"`       // obligations of running periods
	OpenMet     int64    `json:"open_met"`
	Progress    *float64 `json:"progress"` // OpenMet / Open; null when none runs
}

func compOf(r ledger.CompRow) DashCompliance {
	c := DashCompliance{Obligations: r.Rules, Met: r.Met, Closed: r.ClosedAll, ClosedMet: r.ClosedMet,
		Open: r.Rules - r.ClosedAll, OpenMet: r.Met - r.ClosedMet}
	c.Rate = ratio(c.ClosedMet, c.Closed)
	c.Progress = ratio(c.OpenMet, c.Open)
	return c
}

func ratio(a, b int64) *float64 {
	if b <= 0 {
		return nil
	}
	f := float64(a) / float64(b)
	return &f
}

// RatePct is the compliance rate as "87.5%", "" when no period has ended.
func (c DashCompliance) RatePct() string { return pctOf(c.Rate) }

// ProgressPct is the running periods' progress as "50.0%", "" when none runs.
func (c DashCompliance) ProgressPct() string { return pctOf(c.Progress) }

// Missed counts the obligations of ended periods that were not met.
func (c DashCompliance) Missed() int64 { return c.Closed - c.ClosedMet }

func pctOf(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f*100, 'f', 1, 64) + "%"
}

// DashServices are service totals.
type DashServices struct {
	Entries       int64 `json:"entries"`
	Minutes       int64 `json:"minutes"`
	OnsiteEntries int64 `json:"onsite_entries"`
	OnsiteMinutes int64 `json:"onsite_minutes"`
}

func (d *DashServices) add(s ledger.StatRow) {
	d.Entries += s.Entries
	d.Minutes += s.Minutes
	d.OnsiteEntries += s.OnsiteEntries
	d.OnsiteMinutes += s.OnsiteMinutes
}

// Hours is Minutes in hours with one decimal ("12.5").
func (d DashServices) Hours() string { return hoursOf(d.Minutes) }

// OnsiteHours is OnsiteMinutes in hours with one decimal.
func (d DashServices) OnsiteHours() string { return hoursOf(d.OnsiteMinutes) }

func hoursOf(min int64) string { return strconv.FormatFloat(float64(min)/60, 'f', 1, 64) }

// DashCoverage is how many villages have a filed agreement in force today.
type DashCoverage struct {
	Villages int      `json:"villages"`
	Covered  int      `json:"covered"`
	Rate     *float64 `json:"rate"` // null without villages
}

// RatePct is the coverage rate as "87.5%".
func (c DashCoverage) RatePct() string { return pctOf(c.Rate) }

// DashKind is one service kind's totals.
type DashKind struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	DashServices
}

// Label is the kind's name in lang.
func (k DashKind) Label(lang string) string {
	if lang == "en" && k.NameEN != "" {
		return k.NameEN
	}
	return k.Name
}

// DashMonth is one month's totals.
type DashMonth struct {
	Month string `json:"month"` // YYYY-MM
	DashServices
}

// DashChild is one child region's row with its drill-down numbers.
type DashChild struct {
	DashRegion
	Coverage   DashCoverage   `json:"coverage"`
	Services   DashServices   `json:"services"`
	Compliance DashCompliance `json:"compliance"`
}

// DashAdvisor is an advisor serving a village during the year, with the
// obligations its rows name.
type DashAdvisor struct {
	ID           int64          `json:"id"`
	Name         string         `json:"name"`
	ProviderName string         `json:"provider_name"`
	AgreementID  int64          `json:"agreement_id"`
	Status       string         `json:"agreement_status"`
	StartDate    string         `json:"start_date"`
	EndDate      string         `json:"end_date"`
	Compliance   DashCompliance `json:"compliance"`
}

// Dashboard is a region's dashboard for a year: the page and
// GET /api/v1/dashboard show the same value.
type Dashboard struct {
	Region     DashRegion     `json:"region"`
	Crumbs     []DashRegion   `json:"crumbs"` // the ancestors the actor may open, from the top
	Year       int            `json:"year"`
	From       string         `json:"from"` // the year's first and last day
	To         string         `json:"to"`
	Today      string         `json:"today"`
	Coverage   DashCoverage   `json:"coverage"`
	CoveredAt  int64          `json:"coverage_at"` // when coverage was counted (unix ms; cached up to a minute)
	Services   DashServices   `json:"services"`
	Compliance DashCompliance `json:"compliance"`
	ByKind     []DashKind     `json:"by_kind"`
	ByMonth    []DashMonth    `json:"by_month"`
	ChildLevel counsel.Level  `json:"child_level,omitempty"`
	Children   []DashChild    `json:"children"`
	// At village level: the advisors who served it and its obligations.
	Advisors []DashAdvisor `json:"advisors,omitempty"`
	Duties   []ledger.Duty `json:"duties,omitempty"`
}

// MinYear and MaxYear bound the years dashboards and reports accept.
const (
	MinYear = 2000
	MaxYear = 2100
)

// ReportRow is one region's line of a report.
type ReportRow struct {
	DashRegion
	Services   DashServices            `json:"services"`
	ByKind     map[string]DashServices `json:"by_kind"`
	Compliance DashCompliance          `json:"compliance"`
	Advisors   []string                `json:"advisors,omitempty"` // villages: who served it in the span
}

// Kind returns the row's totals of one kind (zero when none).
func (r ReportRow) Kind(kind string) DashServices { return r.ByKind[kind] }

// ReportGroup is a child region's subtotal with its own children's rows.
type ReportGroup struct {
	ReportRow
	Rows []ReportRow `json:"rows"`
}

// ReportVillage is a village an advisor served, Shared when another advisor
// served it too in the span.
type ReportVillage struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Shared bool   `json:"shared,omitempty"`
}

// Assessment results of an advisor for a span.
const (
	AssessMet     = "met"     // every obligation of ended periods met
	AssessMissed  = "missed"  // some were not
	AssessPending = "pending" // no obligation has ended yet
)

// ReportAdvisor is an advisor's line: the villages it served, their services
// and its obligations.
type ReportAdvisor struct {
	ID           int64                   `json:"id"`
	Name         string                  `json:"name"`
	ProviderName string                  `json:"provider_name"`
	Villages     []ReportVillage         `json:"villages"`
	Services     DashServices            `json:"services"`
	ByKind       map[string]DashServices `json:"by_kind"`
	Compliance   DashCompliance          `json:"compliance"`
	Result       string                  `json:"result"` // met, missed or pending
}

// Kind returns the advisor's totals of one kind.
func (r ReportAdvisor) Kind(kind string) DashServices { return r.ByKind[kind] }

// LedgerReport is the ledger statistics table of a region for a half-year
// (R26) or a year (R27).
type LedgerReport struct {
	Region   DashRegion      `json:"region"`
	Crumbs   []DashRegion    `json:"crumbs"`
	Year     int             `json:"year"`
	Half     int             `json:"half"` // 1 = January–June, 2 = July–December, 0 = the whole year
	From     string          `json:"from"`
	To       string          `json:"to"`
	Today    string          `json:"today"`
	Kinds    []DashKind      `json:"kinds"` // the kind columns: every kind with services in the span, with the region's totals
	Groups   []ReportGroup   `json:"groups"`
	Total    ReportRow       `json:"total"`
	Advisors []ReportAdvisor `json:"advisors,omitempty"` // county level and below
	// RowLevel is the level of the groups' rows (0 when groups have none).
	RowLevel counsel.Level `json:"row_level,omitempty"`
	Shared   bool          `json:"shared,omitempty"` // some village had two advisors
}

// HasAdvisors reports whether the report lists advisors (county and below).
func (r *LedgerReport) HasAdvisors() bool {
	return r.Region.Code != "" && r.Region.Level >= counsel.LevelCounty
}

// AnnualReport is the yearly written report of a region (R27): the year's
// dashboard numbers and the ledger statistics with the advisors' results.
type AnnualReport struct {
	Dashboard *Dashboard    `json:"dashboard"`
	Ledger    *LedgerReport `json:"ledger"`
}
