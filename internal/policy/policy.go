package policy

import (
	"sort"

	"github.com/villagecounsel/counsel"
)

// Applies values: which villages a rule binds.
const (
	AppliesAll            = ""               // every village
	AppliesRemote         = "remote"         // 偏远山区村 only
	AppliesNotRemote      = "not_remote"     // all but remote villages
	AppliesUnderdeveloped = "underdeveloped" // 市级或县级欠发达村
	AppliesNormal         = "normal"         // neither remote nor underdeveloped
)

// Rule is one quota: at least MinCount qualifying entries and/or at least
// MinTotalMinutes of qualifying service in every Period.
//
// An entry qualifies when its kind is in Kinds (empty = any kind), its mode is
// in Modes (empty = any mode) and it lasted at least MinEntryMinutes (0 = any
// length). A short entry is ignored entirely: it adds neither to the count nor
// to the minutes. A rule with both MinCount and MinTotalMinutes needs both.
type Rule struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`              // zh, used in reasons: "驻点值班"
	NameEN          string   `json:"name_en,omitempty"` // en, used in reasons: "On-site duty"
	Kinds           []string `json:"kinds,omitempty"`
	Modes           []string `json:"modes,omitempty"`
	Period          string   `json:"period"` // week month quarter half year
	MinCount        int      `json:"min_count,omitempty"`
	MinEntryMinutes int      `json:"min_entry_minutes,omitempty"`
	MinTotalMinutes int      `json:"min_total_minutes,omitempty"`
	Applies         string   `json:"applies,omitempty"`
	// Disabled, set in a lower layer, removes the inherited rule with the same
	// ID (see Resolve).
	Disabled bool   `json:"disabled,omitempty"`
	Source   string `json:"source,omitempty"` // where the quota comes from, e.g. "正宁县司法局〔2024〕"
}

// Policy is a named set of rules.
type Policy struct {
	Name  string `json:"name"`
	Rules []Rule `json:"rules"`
}

// Layer is the policy a jurisdiction sets for its subtree. Region is a
// 12-digit division code (province, city, county, town or village); "" is a
// national default below every other layer.
type Layer struct {
	Region string `json:"region"`
	Policy Policy `json:"policy"`
}

// Resolve returns the policy binding village: the layers whose region contains
// the village are applied from the top (province) down to the village itself.
// A lower layer's rule replaces the inherited rules with the same ID and
// those with the same (Chinese) name, so that a preset chosen at a town
// replaces, not adds to, the county's rules of that name; rules of one name
// within one layer (a remote and a normal variant) stay side by side. The
// replacement takes the place of the first rule it replaces. A lower rule
// with Disabled set, or with neither MinCount nor MinTotalMinutes, removes
// the inherited rule with its ID (and is itself dropped). New rules are
// appended in layer order. The name is the deepest non-empty layer name.
// Layers outside the village's subtree are ignored; two layers on the same
// region apply in the given order.
func Resolve(layers []Layer, village string) Policy {
	var use []Layer
	for _, l := range layers {
		if l.Region == "" || counsel.Within(village, l.Region) {
			use = append(use, l)
		}
	}
	sort.SliceStable(use, func(i, j int) bool { return levelOf(use[i].Region) < levelOf(use[j].Region) })
	var out Policy
	for _, l := range use {
		if l.Policy.Name != "" {
			out.Name = l.Policy.Name
		}
		out.Rules = applyLayer(out.Rules, l.Policy.Rules)
	}
	return out
}

// applyLayer applies one layer's rules over the inherited ones.
func applyLayer(inherited, rules []Rule) []Rule {
	names := map[string]bool{}
	ids := map[string]bool{}
	for _, r := range rules {
		ids[r.ID] = true
		if !r.Disabled && r.Name != "" && (r.MinCount > 0 || r.MinTotalMinutes > 0) {
			names[r.Name] = true
		}
	}
	// A replaced rule leaves a placeholder where the first rule replacing it
	// goes; rules replacing nothing go to the end.
	var out []Rule
	placed := map[string]int{} // id or "name:"+name → index in out of its first replaced rule
	for _, r := range inherited {
		switch {
		case ids[r.ID]:
			if _, ok := placed[r.ID]; !ok {
				placed[r.ID] = len(out)
				out = append(out, Rule{}) // placeholder
			}
		case names[r.Name]:
			if _, ok := placed["name:"+r.Name]; !ok {
				placed["name:"+r.Name] = len(out)
				out = append(out, Rule{})
			}
		default:
			out = append(out, r)
		}
	}
	var tail []Rule
	filled := map[int]bool{}
	for _, r := range rules {
		if r.Disabled || (r.MinCount == 0 && r.MinTotalMinutes == 0) {
			continue
		}
		i, ok := placed[r.ID]
		if !ok || filled[i] {
			i, ok = placed["name:"+r.Name]
		}
		if ok && !filled[i] {
			out[i], filled[i] = clone(r), true
			continue
		}
		tail = append(tail, clone(r))
	}
	kept := out[:0]
	for i, r := range out {
		if r.ID == "" && !filled[i] {
			continue // a placeholder nothing filled: the rule was removed
		}
		kept = append(kept, r)
	}
	return append(kept, tail...)
}

func levelOf(code string) int {
	if code == "" {
		return 0
	}
	return int(counsel.LevelOf(code))
}

func clone(r Rule) Rule {
	r.Kinds = append([]string(nil), r.Kinds...)
	r.Modes = append([]string(nil), r.Modes...)
	return r
}

// VillageFlags are the village attributes rules may depend on.
type VillageFlags struct {
	Remote         bool   `json:"remote"`
	Underdeveloped string `json:"underdeveloped,omitempty"` // counsel.UnderdevelopedCity / County / ""
}

// FlagsOf returns the flags of a village region.
func FlagsOf(r counsel.Region) VillageFlags {
	return VillageFlags{Remote: r.Remote, Underdeveloped: r.Underdeveloped}
}

// AppliesTo reports whether r binds a village with flags f. An unknown
// Applies value binds nobody (fail closed would mark villages missed for a
// typo; fail open hides it, so Validate reports it instead).
func (r Rule) AppliesTo(f VillageFlags) bool {
	switch r.Applies {
	case AppliesAll:
		return true
	case AppliesRemote:
		return f.Remote
	case AppliesNotRemote:
		return !f.Remote
	case AppliesUnderdeveloped:
		return f.Underdeveloped != counsel.UnderdevelopedNone
	case AppliesNormal:
		return !f.Remote && f.Underdeveloped == counsel.UnderdevelopedNone
	}
	return false
}

// Validate reports the first problem of r as a message key-ish string, or "".
func (r Rule) Validate() string {
	switch {
	case r.ID == "":
		return "id required"
	case r.Disabled:
		return ""
	case r.Name == "":
		return "name required"
	case !ValidPeriodKind(r.Period):
		return "unknown period " + r.Period
	case r.MinCount < 0 || r.MinTotalMinutes < 0 || r.MinEntryMinutes < 0:
		return "negative quota"
	case r.MinCount == 0 && r.MinTotalMinutes == 0:
		return "min_count or min_total_minutes required"
	}
	switch r.Applies {
	case AppliesAll, AppliesRemote, AppliesNotRemote, AppliesUnderdeveloped, AppliesNormal:
	default:
		return "unknown applies " + r.Applies
	}
	for _, k := range r.Kinds {
		if !ValidKind(k) {
			return "unknown kind " + k
		}
	}
	for _, m := range r.Modes {
		if !ValidMode(m) {
			return "unknown mode " + m
		}
	}
	return ""
}

// Validate returns the problems of p's rules ("rule id: problem"), including
// duplicate IDs.
func (p Policy) Validate() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range p.Rules {
		if msg := r.Validate(); msg != "" {
			out = append(out, r.ID+": "+msg)
		}
		if seen[r.ID] {
			out = append(out, r.ID+": duplicate id")
		}
		seen[r.ID] = true
	}
	return out
}
