package counsel

import "testing"

func TestFilingDeadline(t *testing.T) {
	tests := []struct {
		start, monthDay, want string
	}{
		{"2026-01-01", "", "2026-03-31"},
		{"2026-03-31", "", "2026-03-31"},
		{"2026-04-01", "", "2027-03-31"},
		{"2026-05-01", "", "2027-03-31"},
		{"2026-05-01", "03-31", "2027-03-31"},
		{"2026-04-01", "04-30", "2026-04-30"},
		{"2026-04-30", "04-30", "2026-04-30"},
		{"2026-05-01", "04-30", "2027-04-30"},
		{"2026-12-31", "12-31", "2026-12-31"},
		{"2026-02-30", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		if got := FilingDeadline(tt.start, tt.monthDay); got != tt.want {
			t.Errorf("FilingDeadline(%q, %q) = %q, want %q", tt.start, tt.monthDay, got, tt.want)
		}
	}
}

func TestParseYuanFormatYuan(t *testing.T) {
	tests := []struct {
		in   string
		fen  int64
		ok   bool
		back string
	}{
		{"5000", 500000, true, "5000.00"},
		{"5,000.50", 500050, true, "5000.50"},
		{"5000元", 500000, true, "5000.00"},
		{" 5000.5 ", 500050, true, "5000.50"},
		{"0.05", 5, true, "0.05"},
		{"0", 0, true, "0.00"},
		{"", 0, true, "0.00"},
		{"5.", 500, true, "5.00"},
		{"999999999.99", 99999999999, true, "999999999.99"},
		{"1234567890", 0, false, ""}, // more than 9 digits of yuan
		{"1.234", 0, false, ""},
		{"-5", 0, false, ""},
		{".5", 0, false, ""},
		{"5,000.5x", 0, false, ""},
		{"五千", 0, false, ""},
		{"1e3", 0, false, ""},
	}
	for _, tt := range tests {
		fen, ok := ParseYuan(tt.in)
		if fen != tt.fen || ok != tt.ok {
			t.Errorf("ParseYuan(%q) = %d, %v, want %d, %v", tt.in, fen, ok, tt.fen, tt.ok)
		}
		if ok {
			if got := FormatYuan(fen); got != tt.back {
				t.Errorf("FormatYuan(%d) = %q, want %q", fen, got, tt.back)
			}
		}
	}
}

func TestAgreementLate(t *testing.T) {
	tests := []struct {
		name  string
		g     Agreement
		today string
		want  bool
	}{
		{"filed on time", Agreement{Status: AgreementFiled, Deadline: "2026-03-31", FiledOn: "2026-03-20"}, "2026-06-01", false},
		{"filed on the day", Agreement{Status: AgreementFiled, Deadline: "2026-03-31", FiledOn: "2026-03-31"}, "2026-06-01", false},
		{"filed late", Agreement{Status: AgreementFiled, Deadline: "2026-03-31", FiledOn: "2026-04-15"}, "2026-06-01", true},
		{"filed late, since ended", Agreement{Status: AgreementEnded, Deadline: "2026-03-31", FiledOn: "2026-04-15"}, "2026-06-01", true},
		{"signed, deadline passed", Agreement{Status: AgreementSigned, Deadline: "2026-03-31"}, "2026-04-01", true},
		{"draft, deadline passed", Agreement{Status: AgreementDraft, Deadline: "2026-03-31"}, "2026-04-01", true},
		{"signed, deadline today", Agreement{Status: AgreementSigned, Deadline: "2026-03-31"}, "2026-03-31", false},
		{"ended unfiled", Agreement{Status: AgreementEnded, Deadline: "2026-03-31"}, "2026-06-01", false},
		{"no deadline", Agreement{Status: AgreementSigned}, "2026-06-01", false},
	}
	for _, tt := range tests {
		if got := tt.g.Late(tt.today); got != tt.want {
			t.Errorf("%s: Late(%s) = %v, want %v", tt.name, tt.today, got, tt.want)
		}
	}
}

func TestAgreementStatuses(t *testing.T) {
	moves := map[string][]string{
		AgreementDraft:    {AgreementSigned, AgreementEnded},
		AgreementSigned:   {AgreementFiled, AgreementEnded},
		AgreementFiled:    {AgreementEnded, AgreementReplaced},
		AgreementEnded:    nil,
		AgreementReplaced: nil,
	}
	for from, want := range moves {
		got := NextStatuses(from)
		if len(got) != len(want) {
			t.Errorf("NextStatuses(%s) = %v, want %v", from, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("NextStatuses(%s) = %v, want %v", from, got, want)
			}
		}
	}
	for _, s := range AgreementStatuses {
		want := s == AgreementDraft || s == AgreementSigned || s == AgreementFiled
		if got := Live(s); got != want {
			t.Errorf("Live(%s) = %v, want %v", s, got, want)
		}
	}
}

func TestAgreementValidate(t *testing.T) {
	ok := Agreement{ProviderID: 1, AdvisorID: 2, RegionCode: "621025100200", StartDate: "2026-01-01", EndDate: "2026-12-31", SubsidyFen: 500000}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid agreement: got %v, want nil", err)
	}
	tests := []struct {
		name  string
		edit  func(*Agreement)
		field string
		key   string
	}{
		{"village agreement on a town", func(g *Agreement) { g.RegionCode = "621025100000" }, "region_code", "err.need_village"},
		{"packaged on a village", func(g *Agreement) { g.Packaged = true }, "region_code", "err.need_town"},
		{"end before start", func(g *Agreement) { g.EndDate = "2025-12-31" }, "end_date", "err.end_before_start"},
		{"bad start", func(g *Agreement) { g.StartDate = "2026-13-01" }, "start_date", "err.date"},
		{"negative subsidy", func(g *Agreement) { g.SubsidyFen = -1 }, "subsidy", "err.amount"},
		{"bad status", func(g *Agreement) { g.Status = "void" }, "status", "err.choice"},
		{"no advisor", func(g *Agreement) { g.AdvisorID = 0 }, "advisor_id", "err.required"},
	}
	for _, tt := range tests {
		g := ok
		tt.edit(&g)
		got := fieldKeys(g.Validate())
		if got[tt.field] != tt.key || len(got) != 1 {
			t.Errorf("%s: got %v, want %s: %s", tt.name, got, tt.field, tt.key)
		}
	}
	town := ok
	town.Packaged, town.RegionCode = true, "621025100000"
	if err := town.Validate(); err != nil {
		t.Errorf("packaged town agreement: got %v, want nil", err)
	}
}
