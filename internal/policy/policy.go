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
// A lower layer's rule with the same ID as an inherited one replaces it in
// place; a lower rule with Disabled set, or with neither MinCount nor
// MinTotalMinutes, removes it (and is itself dropped). New IDs are appended in
// layer order. The name is the deepest non-empty layer name. Layers outside
// the village's subtree are ignored; two layers on the same region apply in
// the given order.
func Resolve(layers []Layer, village string) Policy {
	var use []Layer
	for _, l := range layers {
		if l.Region == "" || counsel.Within(village, l.Region) {
			use = append(use, l)
		}
	}
	sort.SliceStable(use, func(i, j int) bool { return levelOf(use[i].Region) < levelOf(use[j].Region) })
	var out Policy
	idx := map[string]int{}
	for _, l := range use {
		if l.Policy.Name != "" {
			out.Name = l.Policy.Name
		}
		for _, r := range l.Policy.Rules {
			remove := r.Disabled || (r.MinCount == 0 && r.MinTotalMinutes == 0)
			if i, ok := idx[r.ID]; ok {
				if remove {
					out.Rules = append(out.Rules[:i], out.Rules[i+1:]...)
					delete(idx, r.ID)
					for id, j := range idx {
						if j > i {
							idx[id] = j - 1
						}
					}
				} else {
					out.Rules[i] = clone(r)
				}
				continue
			}
			if remove {
				continue
			}
			idx[r.ID] = len(out.Rules)
			out.Rules = append(out.Rules, clone(r))
		}
	}
	return out
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
