package counsel

import (
	"strings"
	"testing"
)

// creditCode completes 17 characters with their GB 32100 check character.
func creditCode(t testing.TB, first17 string) string {
	t.Helper()
	c := CreditCheckChar(first17)
	if c == 0 {
		t.Fatalf("CreditCheckChar(%q) = 0, want a check character", first17)
	}
	return first17 + string(c)
}

// fieldKeys maps the field errors of err to their keys ("" key set when err
// is not a validation error).
func fieldKeys(err error) map[string]string {
	out := map[string]string{}
	if err == nil {
		return out
	}
	e, ok := err.(*Error)
	if !ok {
		out[""] = err.Error()
		return out
	}
	for _, f := range e.Fields {
		out[f.Field] = f.Key
	}
	return out
}

func TestCreditCheckCharKnownCodes(t *testing.T) {
	// Published codes whose check characters are known.
	for _, code := range []string{
		"91350100M000100Y43", // 福建 sample of GB 32100 guidance
		"91110000802100433B", // 北京 enterprise
	} {
		if got := CreditCheckChar(code[:17]); got != code[17] {
			t.Errorf("CreditCheckChar(%q) = %q, want %q", code[:17], got, code[17])
		}
		if !ValidCreditCode(code) {
			t.Errorf("ValidCreditCode(%q) = false, want true", code)
		}
	}
}

func TestValidCreditCode(t *testing.T) {
	lawFirm := creditCode(t, "31621025MD1234567")       // 律师事务所 in 正宁县
	serviceOffice := creditCode(t, "39340202HX7654321") // 基层法律服务所 in 镜湖区
	organ := creditCode(t, "11621025013925012")         // 司法所 (organ)
	wrong := func(s string) string {
		// Any other character of the set is a wrong check character.
		for _, c := range []byte(creditChars) {
			if c != s[17] {
				return s[:17] + string(c)
			}
		}
		return s
	}
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"law firm", lawFirm, true},
		{"service office", serviceOffice, true},
		{"organ", organ, true},
		{"wrong check char", wrong(lawFirm), false},
		{"wrong check char 2", wrong(organ), false},
		{"lower case", strings.ToLower(serviceOffice), false},
		{"17 chars", lawFirm[:17], false},
		{"19 chars", lawFirm + "0", false},
		{"empty", "", false},
		{"letter in division code", "31621A25MD123456" + "7X", false},
		{"spaces", " " + lawFirm[:17], false},
	}
	for _, c := range "IOSVZ" {
		// A forbidden letter in the body, with the check character computed
		// as if it were a digit: still invalid.
		body := lawFirm[:10] + string(c) + lawFirm[11:17]
		tests = append(tests, struct {
			name string
			in   string
			want bool
		}{"forbidden " + string(c), body + string(lawFirm[17]), false})
		tests = append(tests, struct {
			name string
			in   string
			want bool
		}{"forbidden check " + string(c), lawFirm[:17] + string(c), false})
		if got := CreditCheckChar(body); got != 0 {
			t.Errorf("CreditCheckChar(%q) = %q, want 0 for the forbidden letter %c", body, got, c)
		}
	}
	for _, tt := range tests {
		if got := ValidCreditCode(tt.in); got != tt.want {
			t.Errorf("%s: ValidCreditCode(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
	if got := CreditCheckChar("123"); got != 0 {
		t.Errorf("CreditCheckChar(short) = %q, want 0", got)
	}
}

func TestNormalizeAndValidPhone(t *testing.T) {
	tests := []struct {
		in, norm string
		valid    bool
	}{
		{"13800138000", "13800138000", true},
		{"138 0013 8000", "13800138000", true},
		{"138-0013-8000", "13800138000", true},
		{"+86 138 0013 8000", "13800138000", true},
		{"+86-13800138000", "13800138000", true},
		{"8613800138000", "13800138000", true},
		{"+86 8613800138000", "13800138000", true}, // pasted twice: stays stable
		{"  19912345678 ", "19912345678", true},
		{"１３８００１３８０００", "13800138000", true},
		{"0943-1234567", "0943-1234567", true},
		{"0943－1234567", "0943-1234567", true},
		{"(0943) 1234567", "09431234567", true},
		{"0943 1234567", "09431234567", true},
		{"010-12345678", "010-12345678", true},
		{"0553-1234567-801", "0553-1234567-801", true},
		{"-0943-1234567-", "0943-1234567", true},
		{"12345", "12345", false},
		{"1380013800", "1380013800", false},       // 10 digits
		{"12800138000", "12800138000", false},     // 12x is no mobile prefix
		{"23800138000", "23800138000", false},     // no leading 1 or 0
		{"138001380001", "138001380001", false},   // 12 digits
		{"0943-123456", "0943-123456", false},     // 6-digit number
		{"0943-01234567", "0943-01234567", false}, // number starts with 0
		{"00943-1234567", "00943-1234567", false}, // area code too long
		{"0043-1234567", "0043-1234567", false},   // area code 00…
		{"0943-1234567-1234567", "0943-1234567-1234567", false},
		{"0943-1234567-8-9", "0943-1234567-8-9", false},
		{"tel", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got := NormalizePhone(tt.in)
		if got != tt.norm {
			t.Errorf("NormalizePhone(%q) = %q, want %q", tt.in, got, tt.norm)
		}
		if v := ValidPhone(got); v != tt.valid {
			t.Errorf("ValidPhone(%q) = %v, want %v", got, v, tt.valid)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13800138000", "138****8000"},
		{"0943-1234567", "0943****567"},
		{"09431234567", "0943****567"},
		{"010-12345678", "0101****678"},
		{"12345", "*****"},
		{"", ""},
	}
	for _, tt := range tests {
		got := MaskPhone(tt.in)
		if got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if d := strings.ReplaceAll(tt.in, "-", ""); len(d) >= 7 && strings.Contains(got, d) {
			t.Errorf("MaskPhone(%q) = %q still holds the whole number", tt.in, got)
		}
	}
	// An extension keeps four hidden digits too.
	if got := MaskPhone("0553-1234567-801"); strings.Contains(got, "05531234567") || strings.Count(got, "*") != 4 {
		t.Errorf("MaskPhone(extension) = %q, want 4 hidden digits", got)
	}
	if got, want := MaskID("621025199001011234"), "621025********1234"; got != want {
		t.Errorf("MaskID = %q, want %q", got, want)
	}
	if got, want := MaskID("short"), "*****"; got != want {
		t.Errorf("MaskID(short) = %q, want %q", got, want)
	}
}

func TestValidLicence(t *testing.T) {
	tests := []struct {
		kind, no string
		want     bool
	}{
		{AdvisorLawyer, "16210201510123456", true},
		{AdvisorLawyer, "1621020151012345", false},   // 16 digits
		{AdvisorLawyer, "162102015101234567", false}, // 18 digits
		{AdvisorLawyer, "1621020151012345A", false},
		{AdvisorLawyer, "", false},
		{AdvisorPublicLawyer, "26210201510123456", true},
		{AdvisorPublicLawyer, "2621020151012345", false},
		{AdvisorGrassroots, "36210123456", true},
		{AdvisorGrassroots, "GS123456", true},
		{AdvisorGrassroots, "12345", false},                 // too short
		{AdvisorGrassroots, "123456789012345678901", false}, // 21
		{AdvisorGrassroots, "3621-0123", false},
		{AdvisorGrassroots, "", false},
		{AdvisorJudicialStaff, "", true},
		{AdvisorJudicialStaff, "SF621025", true},
		{AdvisorJudicialStaff, "SF1", false},
		{"notary", "16210201510123456", false},
	}
	for _, tt := range tests {
		if got := ValidLicence(tt.kind, tt.no); got != tt.want {
			t.Errorf("ValidLicence(%q, %q) = %v, want %v", tt.kind, tt.no, got, tt.want)
		}
	}
}

func TestAdvisorValidate(t *testing.T) {
	ok := Advisor{ProviderID: 1, Kind: AdvisorLawyer, Name: "王 伟", LicenceNo: " 16210201510123456 ", Phone: "138 0013 8000"}
	ok.Normalize()
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid advisor: got %v, want nil", err)
	}
	if ok.Name != "王伟" || ok.Phone != "13800138000" {
		t.Errorf("Normalize: got name %q phone %q, want 王伟 13800138000", ok.Name, ok.Phone)
	}
	bad := Advisor{Kind: "judge", Name: "", LicenceNo: "123", Phone: "12", Gender: "x", HomeCode: "62"}
	got := fieldKeys(bad.Validate())
	for field, key := range map[string]string{"kind": "err.choice", "name": "err.required", "provider_id": "err.required", "phone": "err.phone", "gender": "err.choice", "home_code": "err.division_code"} {
		if got[field] != key {
			t.Errorf("bad advisor field %s: got %q, want %q", field, got[field], key)
		}
	}
	// The licence number of a lawyer may be left for later, not be wrong.
	later := Advisor{ProviderID: 1, Kind: AdvisorLawyer, Name: "李娜", Phone: "13900000000"}
	if err := later.Validate(); err != nil {
		t.Errorf("advisor without licence: got %v, want nil", err)
	}
	later.LicenceNo = "123"
	if got := fieldKeys(later.Validate())["licence_no"]; got != "err.licence" {
		t.Errorf("lawyer with short licence: got %q, want err.licence", got)
	}
}

func TestProviderValidate(t *testing.T) {
	p := Provider{Kind: ProviderLawFirm, Name: " 甘肃正义律师事务所 ", CreditCode: strings.ToLower(creditCode(t, "31621025MD1234567")), CountyCode: "621025000000", Phone: "0934 5123456"}
	p.Normalize()
	if err := p.Validate(); err != nil {
		t.Fatalf("valid provider: got %v, want nil", err)
	}
	if p.Name != "甘肃正义律师事务所" || !ValidCreditCode(p.CreditCode) {
		t.Errorf("Normalize: got name %q code %q", p.Name, p.CreditCode)
	}
	bad := Provider{Kind: "bank", CreditCode: "31621025MD12345670", CountyCode: "621025100000", Phone: "1"}
	got := fieldKeys(bad.Validate())
	for field, key := range map[string]string{"kind": "err.choice", "name": "err.required", "credit_code": "err.credit_code", "county_code": "err.county_code", "phone": "err.phone"} {
		if got[field] != key {
			t.Errorf("bad provider field %s: got %q, want %q", field, got[field], key)
		}
	}
}

func TestSettingsValidate(t *testing.T) {
	def := DefaultSettings()
	if err := def.Validate(); err != nil {
		t.Fatalf("DefaultSettings().Validate() = %v, want nil", err)
	}
	if def.LoadLimit != 5 || def.FilingMonthDay != "03-31" || def.PairingMin != 3 || def.DefaultSubsidyFn != 500000 {
		t.Errorf("DefaultSettings = %+v, want the seeds' 5, 03-31, 3, 5000 yuan", def)
	}
	tests := []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"load 0", func(s *Settings) { s.LoadLimit = 0 }, "load_limit"},
		{"load 101", func(s *Settings) { s.LoadLimit = 101 }, "load_limit"},
		{"month-day short", func(s *Settings) { s.FilingMonthDay = "3-31" }, "filing_month_day"},
		{"month-day 02-30", func(s *Settings) { s.FilingMonthDay = "02-30" }, "filing_month_day"},
		{"month-day 13-01", func(s *Settings) { s.FilingMonthDay = "13-01" }, "filing_month_day"},
		{"month-day empty", func(s *Settings) { s.FilingMonthDay = "" }, "filing_month_day"},
		{"pairing min -1", func(s *Settings) { s.PairingMin = -1 }, "pairing_min"},
		{"pairing min 51", func(s *Settings) { s.PairingMin = 51 }, "pairing_min"},
		{"pairing deadline", func(s *Settings) { s.PairingDeadline = "2024-06-31" }, "pairing_deadline"},
		{"subsidy", func(s *Settings) { s.DefaultSubsidyFn = -1 }, "default_subsidy_fen"},
		{"ok: limit 1", func(s *Settings) { s.LoadLimit = 1 }, ""},
		{"ok: 04-30", func(s *Settings) { s.FilingMonthDay = "04-30" }, ""},
		{"ok: 02-29", func(s *Settings) { s.FilingMonthDay = "02-29" }, ""},
		{"ok: min 0", func(s *Settings) { s.PairingMin = 0 }, ""},
	}
	for _, tt := range tests {
		s := DefaultSettings()
		tt.edit(&s)
		got := fieldKeys(s.Validate())
		if tt.field == "" {
			if len(got) != 0 {
				t.Errorf("%s: got errors %v, want none", tt.name, got)
			}
			continue
		}
		if _, ok := got[tt.field]; !ok || len(got) != 1 {
			t.Errorf("%s: got errors %v, want one on %s", tt.name, got, tt.field)
		}
	}
}

func TestUserValidateAndPassword(t *testing.T) {
	tests := []struct {
		name  string
		u     User
		field string
	}{
		{"admin", User{Username: "admin", DisplayName: "管理员", Role: RoleAdmin}, ""},
		{"county bureau", User{Username: "zn-bureau", DisplayName: "正宁县司法局", Role: RoleBureau, RegionCode: "621025000000"}, ""},
		{"city bureau", User{Username: "zn.city", DisplayName: "市局", Role: RoleBureau, RegionCode: "621000000000"}, ""},
		{"bureau on a town", User{Username: "b_1", DisplayName: "x", Role: RoleBureau, RegionCode: "621025100000"}, "region_code"},
		{"judicial on a county", User{Username: "j_1", DisplayName: "x", Role: RoleJudicial, RegionCode: "621025000000"}, "region_code"},
		{"village on a town", User{Username: "v_1", DisplayName: "x", Role: RoleVillage, RegionCode: "621025100000"}, "region_code"},
		{"provider without id", User{Username: "p_1", DisplayName: "x", Role: RoleProvider}, "provider_id"},
		{"advisor without id", User{Username: "a_1", DisplayName: "x", Role: RoleAdvisor}, "advisor_id"},
		{"short username", User{Username: "ab", DisplayName: "x", Role: RoleAdmin}, "username"},
		{"upper-case username is lowered", User{Username: " Admin ", DisplayName: "x", Role: RoleAdmin}, ""},
		{"username with a space", User{Username: "ad min", DisplayName: "x", Role: RoleAdmin}, "username"},
		{"chinese username", User{Username: "管理员", DisplayName: "x", Role: RoleAdmin}, "username"},
		{"bad role", User{Username: "abc", DisplayName: "x", Role: "root"}, "role"},
		{"bad phone", User{Username: "abc", DisplayName: "x", Role: RoleAdmin, Phone: "123"}, "phone"},
	}
	for _, tt := range tests {
		u := tt.u
		u.Normalize()
		got := fieldKeys(u.Validate())
		if tt.field == "" && len(got) != 0 || tt.field != "" && (len(got) != 1 || got[tt.field] == "") {
			t.Errorf("%s: got errors %v, want %q", tt.name, got, tt.field)
		}
	}
	// The password policy lives in internal/account (policy_test.go).
}
