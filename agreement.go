package counsel

import (
	"fmt"
	"strings"
	"time"
)

// Agreement statuses (R4): draft → signed → filed → ended/replaced.
const (
	AgreementDraft    = "draft"
	AgreementSigned   = "signed"
	AgreementFiled    = "filed"
	AgreementEnded    = "ended"
	AgreementReplaced = "replaced"
)

// AgreementStatuses lists statuses in lifecycle order.
var AgreementStatuses = []string{AgreementDraft, AgreementSigned, AgreementFiled, AgreementEnded, AgreementReplaced}

// Live reports whether an agreement in this status binds the advisor to the
// village (it counts for the load limit and, once filed, for coverage).
func Live(status string) bool {
	return status == AgreementDraft || status == AgreementSigned || status == AgreementFiled
}

// NextStatuses gives the statuses an agreement may move to from status.
func NextStatuses(status string) []string {
	switch status {
	case AgreementDraft:
		return []string{AgreementSigned, AgreementEnded}
	case AgreementSigned:
		return []string{AgreementFiled, AgreementEnded}
	case AgreementFiled:
		return []string{AgreementEnded, AgreementReplaced}
	}
	return nil
}

// Agreement is a legal-advisor agreement (法律顾问协议) between a provider and a
// village, or a whole town under the packaged model (R7), naming the advisor.
type Agreement struct {
	ID         int64  `json:"id"`
	ProviderID int64  `json:"provider_id"`
	AdvisorID  int64  `json:"advisor_id"`
	RegionCode string `json:"region_code"` // a village, or a town when Packaged
	Packaged   bool   `json:"packaged"`
	StartDate  string `json:"start_date"`
	EndDate    string `json:"end_date"`
	SubsidyFen int64  `json:"subsidy_fen"`
	Status     string `json:"status"`
	SignedOn   string `json:"signed_on,omitempty"`
	FiledOn    string `json:"filed_on,omitempty"`
	Deadline   string `json:"filing_deadline"` // the date it had to be filed by
	Note       string `json:"note,omitempty"`
	CreatedAt  int64  `json:"created_at"`
	UpdatedAt  int64  `json:"updated_at"`

	// Read-only, filled by queries.
	RegionName   string `json:"region_name,omitempty"`
	TownName     string `json:"town_name,omitempty"`
	ProviderName string `json:"provider_name,omitempty"`
	AdvisorName  string `json:"advisor_name,omitempty"`
}

// Late reports whether the agreement was filed after its deadline, or is still
// unfiled with the deadline passed on date today (YYYY-MM-DD).
func (a *Agreement) Late(today string) bool {
	if a.Deadline == "" {
		return false
	}
	if a.FiledOn != "" {
		return a.FiledOn > a.Deadline
	}
	return Live(a.Status) && today > a.Deadline
}

// Normalize trims user input in place.
func (a *Agreement) Normalize() {
	a.RegionCode = strings.TrimSpace(a.RegionCode)
	a.StartDate = strings.TrimSpace(a.StartDate)
	a.EndDate = strings.TrimSpace(a.EndDate)
	a.Note = strings.TrimSpace(a.Note)
}

// Validate checks the agreement's own fields (not the load limit).
func (a *Agreement) Validate() error {
	var f Fields
	if a.ProviderID <= 0 {
		f.Add("provider_id", "err.required")
	}
	if a.AdvisorID <= 0 {
		f.Add("advisor_id", "err.required")
	}
	lv := LevelOf(a.RegionCode)
	switch {
	case a.Packaged && lv != LevelTown:
		f.Add("region_code", "err.need_town")
	case !a.Packaged && lv != LevelVillage:
		f.Add("region_code", "err.need_village")
	}
	if !ValidDate(a.StartDate) {
		f.Add("start_date", "err.date")
	}
	if !ValidDate(a.EndDate) {
		f.Add("end_date", "err.date")
	} else if ValidDate(a.StartDate) && a.EndDate < a.StartDate {
		f.Add("end_date", "err.end_before_start")
	}
	if a.SubsidyFen < 0 || a.SubsidyFen > 100_000_000_00 {
		f.Add("subsidy", "err.amount")
	}
	if a.Status != "" && !oneOf(a.Status, AgreementStatuses) {
		f.Add("status", "err.choice")
	}
	if len([]rune(a.Note)) > 500 {
		f.Add("note", "err.too_long", 500)
	}
	return f.Err()
}

// FilingDeadline computes the filing deadline of an agreement starting on start:
// the county's month-day (default "03-31") of the start year, or of the next
// year when the agreement starts after that day.
func FilingDeadline(start, monthDay string) string {
	t, err := time.Parse(DateLayout, start)
	if err != nil {
		return ""
	}
	if monthDay == "" {
		monthDay = "03-31"
	}
	d := fmt.Sprintf("%04d-%s", t.Year(), monthDay)
	if start > d {
		d = fmt.Sprintf("%04d-%s", t.Year()+1, monthDay)
	}
	return d
}

// ParseYuan parses an amount in yuan ("5000", "5,000.50") into fen.
func ParseYuan(s string) (int64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	s = strings.TrimSuffix(s, "元")
	if s == "" {
		return 0, true
	}
	whole, frac, _ := strings.Cut(s, ".")
	if !allDigits(whole) || len(whole) > 9 || len(frac) > 2 || (frac != "" && !allDigits(frac)) {
		return 0, false
	}
	var v int64
	for _, c := range whole {
		v = v*10 + int64(c-'0')
	}
	v *= 100
	if len(frac) >= 1 {
		v += int64(frac[0]-'0') * 10
	}
	if len(frac) == 2 {
		v += int64(frac[1] - '0')
	}
	return v, true
}

// FormatYuan formats fen as yuan with two decimals: 500000 → "5000.00".
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}
