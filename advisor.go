package counsel

import "strings"

// Advisor kinds (R3).
const (
	AdvisorLawyer        = "lawyer"         // 律师
	AdvisorGrassroots    = "grassroots"     // 基层法律服务工作者
	AdvisorPublicLawyer  = "public_lawyer"  // 公职律师
	AdvisorJudicialStaff = "judicial_staff" // 司法所长/司法助理员
)

// AdvisorKinds lists advisor kinds in display order.
var AdvisorKinds = []string{AdvisorLawyer, AdvisorGrassroots, AdvisorPublicLawyer, AdvisorJudicialStaff}

// Advisor is a village legal advisor (村(居)法律顾问).
type Advisor struct {
	ID         int64  `json:"id"`
	ProviderID int64  `json:"provider_id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Gender     string `json:"gender,omitempty"` // "m", "f" or ""
	LicenceNo  string `json:"licence_no"`
	Phone      string `json:"phone"`
	WeChat     string `json:"wechat"`
	Photo      string `json:"photo,omitempty"` // stored file name under the data dir
	HomeCode   string `json:"home_code,omitempty"`
	Active     bool   `json:"active"`
	CreatedAt  int64  `json:"created_at"`
	UpdatedAt  int64  `json:"updated_at"`

	// Read-only, filled by queries.
	ProviderName string `json:"provider_name,omitempty"`
	CountyCode   string `json:"county_code,omitempty"`
	Villages     int    `json:"villages"` // villages under live agreements
}

// Normalize trims and canonicalises user input in place.
func (a *Advisor) Normalize() {
	a.Name = strings.Join(strings.Fields(a.Name), "")
	a.LicenceNo = strings.ToUpper(strings.TrimSpace(a.LicenceNo))
	a.Phone = NormalizePhone(a.Phone)
	a.WeChat = strings.TrimSpace(a.WeChat)
}

// Validate checks the advisor's fields.
func (a *Advisor) Validate() error {
	var f Fields
	if !oneOf(a.Kind, AdvisorKinds) {
		f.Add("kind", "err.choice")
	}
	checkName(&f, "name", a.Name, 30)
	if a.ProviderID <= 0 {
		f.Add("provider_id", "err.required")
	}
	if a.Gender != "" && a.Gender != "m" && a.Gender != "f" {
		f.Add("gender", "err.choice")
	}
	// The licence number may be completed later (the 附件1 roster does not
	// carry it), but a number that is given must fit the advisor's kind.
	if a.LicenceNo != "" && !ValidLicence(a.Kind, a.LicenceNo) {
		f.Add("licence_no", "err.licence")
	}
	if !ValidPhone(a.Phone) {
		f.Add("phone", "err.phone")
	}
	if len(a.WeChat) > 40 {
		f.Add("wechat", "err.too_long", 40)
	}
	if a.HomeCode != "" && !ValidCode(a.HomeCode) {
		f.Add("home_code", "err.division_code")
	}
	return f.Err()
}
