package counsel

import (
	"fmt"
	"strings"
	"testing"
)

func TestLevelOf(t *testing.T) {
	tests := []struct {
		code string
		want Level
	}{
		{"620000000000", LevelProvince}, // 甘肃省
		{"621000000000", LevelCity},     // 庆阳市
		{"621025000000", LevelCounty},   // 正宁县
		{"621025100000", LevelTown},     // 山河镇
		{"621025100200", LevelVillage},  // 东关村委会
		{"621025100001", LevelVillage},  // 东城社区居民委员会
		{"340202001000", LevelTown},     // 镜湖区 street
		// Cities without counties put towns under the city (东莞 4419).
		{"441900003000", LevelTown},
		{"441900003001", LevelVillage},
		{"442000100000", LevelTown}, // 中山
		// Inconsistent codes: a zero part above a non-zero one.
		{"620025000000", 0}, // county without a city
		{"000000000001", 0},
		{"621025000200", 0}, // village without a town
		{"440000003000", 0}, // town without city
		{"441900000001", 0}, // village without town in a county-less city
		{"000000000000", 0},
		// Wrong lengths.
		{"62102510020", 0},
		{"6210251002000", 0},
		{"", 0},
	}
	for _, tt := range tests {
		if got := LevelOf(tt.code); got != tt.want {
			t.Errorf("LevelOf(%q) = %d, want %d", tt.code, got, tt.want)
		}
		if got, want := ValidCode(tt.code), tt.want != 0; got != want {
			t.Errorf("ValidCode(%q) = %v, want %v", tt.code, got, want)
		}
	}
	if ValidCode("62102510020a") {
		t.Errorf("ValidCode with a letter = true, want false")
	}
}

func TestRegionTree(t *testing.T) {
	tests := []struct {
		code, prefix, parent string
	}{
		{"620000000000", "62", ""},
		{"621000000000", "6210", "620000000000"},
		{"621025000000", "621025", "621000000000"},
		{"621025100000", "621025100", "621025000000"},
		{"621025100200", "621025100200", "621025100000"},
		{"441900003000", "441900003", "441900000000"}, // town's parent is the city
		{"441900003001", "441900003001", "441900003000"},
	}
	for _, tt := range tests {
		if got := Prefix(tt.code); got != tt.prefix {
			t.Errorf("Prefix(%q) = %q, want %q", tt.code, got, tt.prefix)
		}
		if got := ParentOf(tt.code); got != tt.parent {
			t.Errorf("ParentOf(%q) = %q, want %q", tt.code, got, tt.parent)
		}
		if tt.parent != "" && !Within(tt.code, tt.parent) {
			t.Errorf("Within(%q, %q) = false, want true", tt.code, tt.parent)
		}
	}
	within := []struct {
		code, scope string
		want        bool
	}{
		{"621025100200", "621025000000", true},
		{"621025100200", "621000000000", true},
		{"621025100200", "621025100200", true},
		{"621025101200", "621025100000", false},
		{"340202001001", "621025000000", false},
		{"621025100200", "", false},
		{"621026000000", "621025000000", false},
	}
	for _, tt := range within {
		if got := Within(tt.code, tt.scope); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.code, tt.scope, got, tt.want)
		}
	}
	if got, want := AncestorAt("621025100200", LevelCounty), "621025000000"; got != want {
		t.Errorf("AncestorAt county = %q, want %q", got, want)
	}
	if got, want := AncestorAt("621025100200", LevelTown), "621025100000"; got != want {
		t.Errorf("AncestorAt town = %q, want %q", got, want)
	}
	if got := AncestorAt("6210", LevelTown); got != "" {
		t.Errorf("AncestorAt(short) = %q, want empty", got)
	}
	lo, hi := CodeRange("621025100000")
	if lo != "621025100000" || hi != "621025100999" {
		t.Errorf("CodeRange(town) = %q, %q, want 621025100000, 621025100999", lo, hi)
	}
	// A longer string is not a code: a range nothing falls in, no panic.
	if lo, hi := CodeRange("62102510000100"); lo != hi || strings.HasPrefix(lo, "6") {
		t.Errorf("CodeRange(14 digits) = %q, %q, want an empty range", lo, hi)
	}
	if got, want := Pad("6210"), "621000000000"; got != want {
		t.Errorf("Pad = %q, want %q", got, want)
	}
	if got := VillageKindOf("621025100001"); got != KindCommunity {
		t.Errorf("VillageKindOf(001) = %q, want community", got)
	}
	if got := VillageKindOf("621025100200"); got != KindVillage {
		t.Errorf("VillageKindOf(200) = %q, want village", got)
	}
}

func TestNameKeyAndShortName(t *testing.T) {
	tests := []struct {
		name, short, key string
	}{
		{"小寺头村委会", "小寺头村", "小寺头"},
		{"小寺头村", "小寺头村", "小寺头"},
		{"小寺头", "小寺头", "小寺头"},
		{"小寺头村民委员会", "小寺头村", "小寺头"},
		{"东城社区居民委员会", "东城社区", "东城"},
		{"东城社区居委会", "东城社区", "东城"},
		{"东城社区", "东城社区", "东城"},
		{"王家村村委会", "王家村", "王家"},
		{"山河镇", "山河镇", "山河"},
		{"五顷塬回族乡", "五顷塬回族乡", "五顷塬回族"},
		{"城关街道办事处", "城关街道办事处", "城关"},
		{"赭山街道", "赭山街道", "赭山"},
		{" 小寺头 村 ", " 小寺头 村 ", "小寺头"},
		{"村", "村", "村"},
	}
	for _, tt := range tests {
		if got := ShortName(tt.name); got != tt.short {
			t.Errorf("ShortName(%q) = %q, want %q", tt.name, got, tt.short)
		}
		if got := NameKey(tt.name); got != tt.key {
			t.Errorf("NameKey(%q) = %q, want %q", tt.name, got, tt.key)
		}
	}
}

func TestAncestors(t *testing.T) {
	got := Ancestors("621025100201")
	want := []string{"620000000000", "621000000000", "621025000000", "621025100000"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("Ancestors = %v, want %v", got, want)
	}
	if a := Ancestors("620000000000"); len(a) != 0 {
		t.Fatalf("province ancestors = %v", a)
	}
}
