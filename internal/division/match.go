package division

import (
	"strings"
	"unicode"
	"unicode/utf8"

	counsel "github.com/villagecounsel/counsel"
)

// Village names are written many ways. The statistical data says
// 小寺头村民委员会, 多福巷社区居委会 or 斗村村村民委员会; a clerk writes 小寺头村,
// 小寺头, 多福巷社区, 榆林子镇小寺头村 or 斗村. A name is reduced to its core (the
// name without the committee suffix, the 村/社区 marker and the town's name in
// front) and its class (村 or 社区/居); names are matched on the core within
// one town, and the class and exact spelling break ties.

// committee suffixes, longest first, with the class each implies.
var committees = []struct{ suffix, class string }{
	{"社区居民委员会", classUrban},
	{"社区居委员会", classUrban},
	{"社区居委会", classUrban},
	{"村民委员会", classRural},
	{"居民委员会", classUrban},
	{"牧民委员会", "牧"},
	{"家属委员会", "家"},
	{"管理委员会", "管"},
	{"村委员会", classRural},
	{"居委员会", classUrban},
	{"社区居委", classUrban},
	{"村委会", classRural},
	{"居委会", classUrban},
	{"牧委会", "牧"},
	{"家委会", "家"},
	{"管委会", "管"},
	{"委员会", ""},
	{"村委", classRural},
	{"居委", classUrban},
}

const (
	classRural = "村"
	classUrban = "社区"
)

// parsedName is a name reduced for matching.
type parsedName struct {
	norm  string // the name without spaces, brackets made half-width
	core  string // without committee suffix and trailing 村/社区 markers
	class string // 村, 社区, another committee kind, or "" when the name says none
}

// normName removes spaces and makes brackets half-width, so that
// "东关村 委会" and "某社区（虚拟）" compare as written.
func normName(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func parseName(s string) parsedName {
	p := parsedName{norm: normName(s)}
	n := p.norm
	for _, c := range committees {
		if strings.HasSuffix(n, c.suffix) && len(n) > len(c.suffix) {
			n, p.class = strings.TrimSuffix(n, c.suffix), c.class
			break
		}
	}
	// Trailing markers: 斗村村(村民委员会) and 斗村 share the core 斗; 多福巷社区 is 多福巷.
	for {
		switch {
		case strings.HasSuffix(n, "社区") && len(n) > len("社区"):
			n = strings.TrimSuffix(n, "社区")
			if p.class == "" {
				p.class = classUrban
			}
			continue
		case strings.HasSuffix(n, "村") && len(n) > len("村"):
			n = strings.TrimSuffix(n, "村")
			if p.class == "" {
				p.class = classRural
			}
			continue
		}
		break
	}
	p.core = n
	return p
}

// townPrefixes are the ways a town's name is written in front of a village's:
// 山河镇 and 山河 for 山河镇, 东华门街道 and 东华门 for 东华门街道.
func townPrefixes(town string) []string {
	t := normName(town)
	if t == "" {
		return nil
	}
	out := []string{t}
	if k := counsel.NameKey(t); k != "" && k != t {
		out = append(out, k)
	}
	if strings.HasSuffix(t, "街道") {
		out = append(out, t+"办事处")
	}
	return out
}

// stripTown returns s without the town's name in front, or "" when s does
// not start with it (or is nothing else).
func stripTown(s string, prefixes []string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return strings.TrimPrefix(s, p)
		}
	}
	return ""
}

// TownVillages indexes one town's villages for matching names as written.
type TownVillages struct {
	town     string
	prefixes []string
	vs       []counsel.Region
	parsed   []parsedName
	byBase   map[string][]int // the name and its forms without the committee suffix → villages
	byWeak   map[string][]int // those forms with the 村/社区 the suffix implies → villages
	byCore   map[string][]int // core, also of the name without the town in front → villages
}

// bases are the spellings of a name that count as the name itself: the full
// name, and the name without its committee suffix with and without the
// 村/社区 it implies (东关村委会: 东关村委会, 东关, 东关村; 门头村社区居委会:
// 门头村社区居委会, 门头村, 门头村社区).
// The second list holds the spellings with a 村/社区 the name implies but
// does not contain (东关社区 for 东关居委会): they fit less well than a name as
// it stands (燕矶社区 is the village named so, not 燕矶居委会).
func bases(norm string) (strong, weak []string) {
	strong = []string{norm, ShortForm(norm), counsel.ShortName(norm)}
	for _, c := range committees {
		if strings.HasSuffix(norm, c.suffix) && len(norm) > len(c.suffix) {
			b := strings.TrimSuffix(norm, c.suffix)
			strong = append(strong, b)
			if c.class != "" && !strings.HasSuffix(b, c.class) {
				weak = append(weak, b+c.class)
			}
			break
		}
	}
	return strong, weak
}

// NewTownVillages indexes the villages of the town named town.
func NewTownVillages(town string, villages []counsel.Region) *TownVillages {
	x := &TownVillages{town: town, prefixes: townPrefixes(town), vs: villages,
		parsed: make([]parsedName, len(villages)),
		byBase: map[string][]int{}, byWeak: map[string][]int{}, byCore: map[string][]int{}}
	for i, v := range villages {
		p := parseName(v.Name)
		x.parsed[i] = p
		strong, weak := bases(p.norm)
		for _, b := range strong {
			if b != "" {
				x.byBase[b] = append(x.byBase[b], i)
			}
		}
		for _, b := range weak {
			x.byWeak[b] = append(x.byWeak[b], i)
		}
		x.byCore[p.core] = append(x.byCore[p.core], i)
		if s := stripTown(p.norm, x.prefixes); s != "" {
			if b := parseName(s).core; b != p.core {
				x.byCore[b] = append(x.byCore[b], i)
			}
		}
	}
	return x
}

// Match is the outcome of matching a name as written.
type Match struct {
	Village   *counsel.Region  // the one village the name means; nil otherwise
	Ambiguous []counsel.Region // when the name fits several villages equally well
	Closest   []counsel.Region // when nothing fits: at most three villages spelled most alike
}

// Match finds the village a name written by people means: the full official
// name, the name without its committee suffix (东关村 for 东关村委会, 多福巷社区
// or 多福巷 for 多福巷社区居委会, 东关村委员会), with or without the town's name in
// front. When several villages fit, the one whose spelling or class (村 or
// 社区) agrees best with what was written wins; when several fit equally
// well Ambiguous lists them, and when none fits Closest lists the nearest.
func (x *TownVillages) Match(written string) Match {
	w := parseName(written)
	if w.norm == "" {
		return Match{}
	}
	readings := []parsedName{w}
	if s := stripTown(w.norm, x.prefixes); s != "" {
		readings = append(readings, parseName(s))
	}
	// Levels of fit, best first: the name or one of its short forms as
	// written; a short form with the 村/社区 its suffix implies; the same core
	// and class; the same core, class not written; the same core, another
	// class.
	var levels [5][]int
	for _, r := range readings {
		levels[0] = append(levels[0], x.byBase[r.norm]...)
		levels[1] = append(levels[1], x.byWeak[r.norm]...)
		for _, i := range x.byCore[r.core] {
			l := 4
			switch c := x.parsed[i].class; {
			case r.class != "" && r.class == c:
				l = 2
			case r.class == "":
				l = 3
			}
			levels[l] = append(levels[l], i)
		}
	}
	for _, ids := range levels {
		if ids = dedupe(ids); len(ids) > 0 {
			return x.result(ids)
		}
	}
	return Match{Closest: x.closest(w)}
}

func (x *TownVillages) result(ids []int) Match {
	ids = dedupe(ids)
	if len(ids) == 1 {
		v := x.vs[ids[0]]
		return Match{Village: &v}
	}
	m := Match{}
	for _, i := range ids {
		m.Ambiguous = append(m.Ambiguous, x.vs[i])
	}
	return m
}

func dedupe(ids []int) []int {
	if len(ids) < 2 {
		return ids
	}
	seen := map[int]bool{}
	out := ids[:0:0]
	for _, i := range ids {
		if !seen[i] {
			seen[i] = true
			out = append(out, i)
		}
	}
	return out
}

// closest returns up to three villages whose core is spelled most like the
// written one: at most a third of the characters different (at least one),
// or one containing the other; of those, the ones nearest, and among equally
// near ones those of the class written (村 or 社区).
func (x *TownVillages) closest(w parsedName) []counsel.Region {
	if s := stripTown(w.norm, x.prefixes); s != "" {
		w = parseName(s)
	}
	core := w.core
	n := utf8.RuneCountInString(core)
	limit := max(n/3, 1)
	best := -1
	var ids []int
	for i, p := range x.parsed {
		d := editDistance(core, p.core)
		if d > limit && !(n >= 2 && (strings.Contains(p.core, core) || strings.Contains(core, p.core) && utf8.RuneCountInString(p.core) >= 2)) {
			continue
		}
		score := 2 * d
		if w.class != "" && w.class != p.class {
			score++
		}
		switch {
		case best < 0 || score < best:
			best, ids = score, []int{i}
		case score == best:
			ids = append(ids, i)
		}
	}
	var out []counsel.Region
	for k := 0; k < len(ids) && k < 3; k++ {
		out = append(out, x.vs[ids[k]])
	}
	return out
}

// editDistance is the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			c := prev[j-1]
			if ra[i-1] != rb[j-1] {
				c++
			}
			c = min(c, prev[j]+1, cur[j-1]+1)
			cur[j] = c
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ShortForm is the name with its committee suffix removed (东关村委会 → 东关,
// 多福巷社区居委会 → 多福巷), the "short name" the national measurement writes.
func ShortForm(name string) string {
	n := normName(name)
	for _, s := range []string{"社区居民委员会", "社区居委会", "村民委员会", "居民委员会", "村委员会", "村委会", "居委会", "社区", "村"} {
		if strings.HasSuffix(n, s) && len(n) > len(s) {
			return strings.TrimSuffix(n, s)
		}
	}
	return n
}
