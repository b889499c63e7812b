package counsel

import "testing"

func TestPersonValidate(t *testing.T) {
	base := Person{VillageCode: "621025100200", Name: "张 伟", Position: "村委委员", Phone: "+86 139 0000 0001"}
	base.Normalize()
	if base.Status != PersonActive || base.Name != "张伟" || base.Phone != "13900000001" {
		t.Fatalf("Normalize: got status %q name %q phone %q, want active 张伟 13900000001", base.Status, base.Name, base.Phone)
	}
	tests := []struct {
		name   string
		edit   func(*Person)
		fields map[string]string
	}{
		{"active", func(p *Person) {}, nil},
		{"dismissed with date and reason", func(p *Person) { p.Status, p.StatusOn, p.Reason = PersonDismissed, "2026-05-01", "工作变动" }, nil},
		{"removed with date and reason", func(p *Person) { p.Status, p.StatusOn, p.Reason = PersonRemoved, "2026-05-01", "考核不合格" }, nil},
		{"dismissed without date or reason", func(p *Person) { p.Status = PersonDismissed },
			map[string]string{"status_on": "err.date", "reason": "err.required"}},
		{"removed with a bad date", func(p *Person) { p.Status, p.StatusOn, p.Reason = PersonRemoved, "2026-02-30", "违纪" },
			map[string]string{"status_on": "err.date"}},
		{"unknown status", func(p *Person) { p.Status = "retired" }, map[string]string{"status": "err.choice"}},
		{"town instead of village", func(p *Person) { p.VillageCode = "621025100000" }, map[string]string{"village_code": "err.need_village"}},
		{"no name", func(p *Person) { p.Name = " " }, map[string]string{"name": "err.required"}},
		{"bad phone", func(p *Person) { p.Phone = "12345" }, map[string]string{"phone": "err.phone"}},
		{"bad gender", func(p *Person) { p.Gender = "x" }, map[string]string{"gender": "err.choice"}},
	}
	for _, tt := range tests {
		p := base
		tt.edit(&p)
		got := fieldKeys(p.Validate())
		if len(got) != len(tt.fields) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.fields)
			continue
		}
		for f, k := range tt.fields {
			if got[f] != k {
				t.Errorf("%s: field %s got %q, want %q", tt.name, f, got[f], k)
			}
		}
	}
}

func TestCommitteePosition(t *testing.T) {
	tests := []struct {
		pos  string
		want bool
	}{
		{"党支部书记", true}, {"村委会主任", true}, {"村委委员", true}, {"居委委员", true}, {"两委成员", true},
		{"网格员", false}, {"村民代表", false}, {"人民调解员", false}, {"", false},
	}
	for _, tt := range tests {
		if got := CommitteePosition(tt.pos); got != tt.want {
			t.Errorf("CommitteePosition(%q) = %v, want %v", tt.pos, got, tt.want)
		}
	}
}

func TestActivityValidate(t *testing.T) {
	a := Activity{PairingID: 1, Kind: "mediator", Date: "2026-06-18", Note: "调解邻里纠纷"}
	if err := a.Validate(); err != nil {
		t.Fatalf("valid activity: got %v, want nil", err)
	}
	a.Kind, a.Date, a.Note = "party", "2026-6-18", ""
	got := fieldKeys(a.Validate())
	for f, k := range map[string]string{"kind": "err.choice", "date": "err.date", "note": "err.required"} {
		if got[f] != k {
			t.Errorf("bad activity field %s: got %q, want %q", f, got[f], k)
		}
	}
}
