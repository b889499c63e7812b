package counsel

import "strings"

// Provider kinds (R2).
const (
	ProviderLawFirm        = "law_firm"             // 律师事务所
	ProviderServiceOffice  = "legal_service_office" // 基层法律服务所
	ProviderJudicialOffice = "judicial_office"      // 司法所
	ProviderLegalAid       = "legal_aid_centre"     // 法律援助中心
)

// ProviderKinds lists the provider kinds in display order.
var ProviderKinds = []string{ProviderLawFirm, ProviderServiceOffice, ProviderJudicialOffice, ProviderLegalAid}

// Provider is an organisation that supplies advisors.
type Provider struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	CreditCode string `json:"credit_code"`
	CountyCode string `json:"county_code"` // the county whose bureau keeps it
	Phone      string `json:"phone"`
	Address    string `json:"address"`
	CreatedAt  int64  `json:"created_at"`
	UpdatedAt  int64  `json:"updated_at"`
}

// Normalize trims and canonicalises user input in place.
func (p *Provider) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.CreditCode = strings.ToUpper(strings.TrimSpace(p.CreditCode))
	p.Phone = NormalizePhone(p.Phone)
	p.Address = strings.TrimSpace(p.Address)
}

// Validate checks the provider's fields.
func (p *Provider) Validate() error {
	var f Fields
	if !oneOf(p.Kind, ProviderKinds) {
		f.Add("kind", "err.choice")
	}
	checkName(&f, "name", p.Name, 100)
	// The credit code may be completed later (the 附件1 roster does not carry
	// it), but a code that is given must be valid.
	if p.CreditCode != "" && !ValidCreditCode(p.CreditCode) {
		f.Add("credit_code", "err.credit_code")
	}
	if LevelOf(p.CountyCode) != LevelCounty {
		f.Add("county_code", "err.county_code")
	}
	if p.Phone != "" && !ValidPhone(p.Phone) {
		f.Add("phone", "err.phone")
	}
	if len([]rune(p.Address)) > 200 {
		f.Add("address", "err.too_long", 200)
	}
	return f.Err()
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}
