package counsel

import "strings"

// Level is a level of the jurisdiction tree.
type Level int

// Levels of the jurisdiction tree, from the top.
const (
	LevelProvince Level = 1
	LevelCity     Level = 2
	LevelCounty   Level = 3
	LevelTown     Level = 4
	LevelVillage  Level = 5
)

// prefixLen is the number of significant digits of a code at each level.
var prefixLen = [...]int{0, 2, 4, 6, 9, 12}

// Village kinds follow the statistical code: 001–199 are residents' committees
// (居委会, urban communities), 200–399 villagers' committees (村委会).
const (
	KindCommunity = "community" // 居委会
	KindVillage   = "village"   // 村委会
)

// Underdeveloped levels (市级/县级欠发达村, seed 003).
const (
	UnderdevelopedNone   = ""
	UnderdevelopedCity   = "city"
	UnderdevelopedCounty = "county"
)

// Region is a node of the jurisdiction tree keyed by its 12-digit statistical
// division code.
type Region struct {
	Code           string `json:"code"`
	Name           string `json:"name"`
	Level          Level  `json:"level"`
	ParentCode     string `json:"parent_code,omitempty"`
	Kind           string `json:"kind,omitempty"`           // villages only
	Underdeveloped string `json:"underdeveloped,omitempty"` // villages only
	Remote         bool   `json:"remote"`
}

// ValidCode reports whether code is a well-formed 12-digit division code whose
// zero parts are consistent with its level (no village digits under a zero town).
func ValidCode(code string) bool {
	if len(code) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return LevelOf(code) != 0
}

// LevelOf returns the level of a 12-digit code: the deepest non-zero part,
// or 0 when a part above it is zero (inconsistent code).
func LevelOf(code string) Level {
	if len(code) != 12 {
		return 0
	}
	deepest := Level(0)
	for l := LevelProvince; l <= LevelVillage; l++ {
		if strings.Trim(code[prefixLen[l-1]:prefixLen[l]], "0") != "" {
			deepest = l
		}
	}
	for l := LevelProvince; l < deepest; l++ {
		// Cities without counties (东莞 4419, 中山 4420, 儋州 4604) put their
		// towns directly under the city with a zero county part.
		if l == LevelCounty && deepest > LevelCounty {
			continue
		}
		if strings.Trim(code[prefixLen[l-1]:prefixLen[l]], "0") == "" {
			return 0
		}
	}
	return deepest
}

// Prefix returns the significant digits of code at its own level.
func Prefix(code string) string {
	lv := LevelOf(code)
	if lv == 0 {
		return code
	}
	return code[:prefixLen[lv]]
}

// ParentOf returns the code of the parent region, "" for a province.
func ParentOf(code string) string {
	lv := LevelOf(code)
	if lv <= LevelProvince {
		return ""
	}
	return Pad(code[:prefixLen[lv-1]])
}

// AncestorAt returns the code of code's ancestor at level lv (itself if equal).
func AncestorAt(code string, lv Level) string {
	if lv < LevelProvince || lv > LevelVillage || len(code) != 12 {
		return ""
	}
	return Pad(code[:prefixLen[lv]])
}

// Pad right-pads a short code (2, 4, 6 or 9 digits) with zeros to 12 digits.
func Pad(code string) string {
	if len(code) >= 12 {
		return code
	}
	return code + strings.Repeat("0", 12-len(code))
}

// Within reports whether code lies in the subtree rooted at scope.
func Within(code, scope string) bool {
	if scope == "" {
		return false
	}
	return strings.HasPrefix(code, Prefix(scope))
}

// CodeRange returns the inclusive range of 12-digit codes in scope's subtree,
// for index-friendly range queries on both engines.
func CodeRange(scope string) (lo, hi string) {
	p := Prefix(scope)
	if len(p) > 12 {
		// Not a division code: a range no code falls in (never a panic).
		return "~", "~"
	}
	return p + strings.Repeat("0", 12-len(p)), p + strings.Repeat("9", 12-len(p))
}

// VillageKindOf derives the committee kind from a village code.
func VillageKindOf(code string) string {
	if len(code) != 12 {
		return ""
	}
	if code[9] == '0' || code[9] == '1' {
		return KindCommunity
	}
	return KindVillage
}

// ShortName drops the committee suffix people leave out when they write a
// village's name: 小寺头村委会 → 小寺头村, 东城社区居民委员会 → 东城社区.
func ShortName(name string) string {
	for _, suf := range []string{"村民委员会", "居民委员会", "村委员会", "村委会", "居委会"} {
		if strings.HasSuffix(name, suf) {
			base := strings.TrimSuffix(name, suf)
			if suf == "村民委员会" || suf == "村委员会" || suf == "村委会" {
				if !strings.HasSuffix(base, "村") {
					base += "村"
				}
			}
			return base
		}
	}
	return name
}

// NameKey normalises a village or town name for matching what a clerk typed
// against the division data: 小寺头村, 小寺头村委会 and 小寺头 all give 小寺头.
func NameKey(name string) string {
	n := strings.Join(strings.Fields(name), "")
	n = ShortName(n)
	for _, suf := range []string{"社区", "村", "街道办事处", "街道", "镇", "乡"} {
		if strings.HasSuffix(n, suf) && len(n) > len(suf) {
			return strings.TrimSuffix(n, suf)
		}
	}
	return n
}

// Ancestors returns the codes of code's ancestors from the province down to
// its parent (a city without counties has no county ancestor).
func Ancestors(code string) []string {
	var out []string
	for p := ParentOf(code); p != "" && p != code; p = ParentOf(p) {
		out = append(out, p)
		code = p
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
