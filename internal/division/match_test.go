package division

import (
	"testing"

	counsel "github.com/villagecounsel/counsel"
)

func TestTownVillagesMatch(t *testing.T) {
	vs := []counsel.Region{
		{Code: "1", Name: "东关村委会"},
		{Code: "2", Name: "西关村委会"},
		{Code: "3", Name: "东城社区居民委员会"},
		{Code: "4", Name: "斗村村村民委员会"},
		{Code: "5", Name: "燕矶居委会"},
		{Code: "6", Name: "燕矶社区"},
		{Code: "7", Name: "燕矶村委会"},
		{Code: "8", Name: "董家庄村民委员会"},
		{Code: "9", Name: "山河镇南街社区居委会"},
		{Code: "10", Name: "多福巷居委会"},
	}
	x := NewTownVillages("山河镇", vs)
	tests := []struct {
		written   string
		want      string   // code of the one village
		ambiguous []string // or the candidates
	}{
		{"东关村委会", "1", nil},
		{"东关村", "1", nil},
		{"东关", "1", nil},
		{"东关村委员会", "1", nil},
		{"东关村民委员会", "1", nil},
		{" 东关 村 ", "1", nil},
		{"山河镇东关村", "1", nil},
		{"山河东关村委会", "1", nil},
		{"东城社区", "3", nil},
		{"东城", "3", nil},
		{"东城社区居委会", "3", nil},
		{"东城居委会", "3", nil},
		{"东城社区居民委员会", "3", nil},
		{"斗村村", "4", nil},
		{"斗村", "4", nil},
		{"斗", "4", nil},
		{"燕矶社区", "6", nil},
		{"燕矶村", "7", nil},
		{"燕矶", "", []string{"5", "6", "7"}},
		{"董家庄村委会", "8", nil},
		{"南街社区", "9", nil},
		{"山河镇南街社区", "9", nil},
		{"多福巷社区", "10", nil},
	}
	for _, tt := range tests {
		m := x.Match(tt.written)
		switch {
		case tt.want != "":
			if m.Village == nil || m.Village.Code != tt.want {
				t.Errorf("Match(%q): got %+v, want village %s", tt.written, m, tt.want)
			}
		default:
			var got []string
			for _, a := range m.Ambiguous {
				got = append(got, a.Code)
			}
			if m.Village != nil || len(got) != len(tt.ambiguous) {
				t.Errorf("Match(%q): got %+v, want ambiguous %v", tt.written, m, tt.ambiguous)
				continue
			}
			for i := range got {
				if got[i] != tt.ambiguous[i] {
					t.Errorf("Match(%q): candidates %v, want %v", tt.written, got, tt.ambiguous)
				}
			}
		}
	}

	// Nothing fits: the closest spellings are offered.
	m := x.Match("东光村")
	if m.Village != nil || len(m.Ambiguous) > 0 || len(m.Closest) == 0 || m.Closest[0].Code != "1" {
		t.Errorf("Match(东光村): got %+v, want nothing with 东关村委会 closest", m)
	}
	if m := x.Match("不存在村"); m.Village != nil || len(m.Ambiguous) > 0 || len(m.Closest) > 0 {
		t.Errorf("Match(不存在村): got %+v, want nothing and no candidates", m)
	}
	if m := x.Match(""); m.Village != nil || len(m.Ambiguous) > 0 || len(m.Closest) > 0 {
		t.Errorf("Match(\"\"): got %+v, want nothing", m)
	}
}
