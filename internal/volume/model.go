package volume

import (
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

// Limits of matters and documents.
const (
	MaxMatterTitle   = 200
	MaxMatterParties = 400
	MaxMatterText    = 4000
	MaxDocTitle      = 200
	MaxDocBody       = 20000
	// MaxVolumeEntries bounds the entries of one volume; a longer period
	// must be split.
	MaxVolumeEntries = 20000
	// MinDocYear is the earliest year a document may be filed for.
	MinDocYear = 2000
)

// DocKinds lists the document kinds of a volume.
var DocKinds = []string{counsel.DocPlan, counsel.DocImprovement}

// ValidDocKind reports whether k is a document kind.
func ValidDocKind(k string) bool { return k == counsel.DocPlan || k == counsel.DocImprovement }

// VolumeAdvisor is an advisor who served a village in a volume's period.
type VolumeAdvisor struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Provider string `json:"provider"`
	From     string `json:"from,omitempty"` // the agreements' term within the volume
	To       string `json:"to,omitempty"`
}

// KindTotal is the counted entries of one kind.
type KindTotal struct {
	Kind          string `json:"kind"`
	Entries       int    `json:"entries"`
	Minutes       int    `json:"minutes"`
	OnsiteMinutes int    `json:"onsite_minutes"`
}

// VolumeTotals sums a volume's entries. An entry counts unless another entry
// amends it or the village disputed it; every entry stays listed.
type VolumeTotals struct {
	Entries       int         `json:"entries"` // all listed
	Counted       int         `json:"counted"`
	Minutes       int         `json:"minutes"` // of the counted
	OnsiteMinutes int         `json:"onsite_minutes"`
	Pending       int         `json:"pending"`
	Confirmed     int         `json:"confirmed"`
	Disputed      int         `json:"disputed"`
	Amended       int         `json:"amended"`  // replaced by a later entry
	Amending      int         `json:"amending"` // corrections of earlier entries
	ByKind        []KindTotal `json:"by_kind"`
}

// EntryCounts reports whether an entry counts toward a volume's totals.
func EntryCounts(e *counsel.Entry) bool { return e.AmendedBy == 0 && e.Status != counsel.EntryDisputed }

// volumeTotals sums entries as a volume counts them.
func volumeTotals(es []counsel.Entry) VolumeTotals {
	var t VolumeTotals
	by := map[string]*KindTotal{}
	for i := range es {
		e := &es[i]
		t.Entries++
		switch e.Status {
		case counsel.EntryPending:
			t.Pending++
		case counsel.EntryConfirmed:
			t.Confirmed++
		case counsel.EntryDisputed:
			t.Disputed++
		}
		if e.AmendedBy != 0 {
			t.Amended++
		}
		if e.AmendsID != 0 {
			t.Amending++
		}
		if !EntryCounts(e) {
			continue
		}
		k := by[e.Kind]
		if k == nil {
			k = &KindTotal{Kind: e.Kind}
			by[e.Kind] = k
		}
		k.Entries++
		k.Minutes += e.Minutes
		t.Counted++
		t.Minutes += e.Minutes
		if e.Mode == policy.ModeOnsite {
			k.OnsiteMinutes += e.Minutes
			t.OnsiteMinutes += e.Minutes
		}
	}
	order := map[string]int{}
	for i, k := range policy.Kinds {
		order[k] = i
	}
	t.ByKind = []KindTotal{}
	for _, k := range by {
		t.ByKind = append(t.ByKind, *k)
	}
	sort.Slice(t.ByKind, func(i, j int) bool {
		a, aok := order[t.ByKind[i].Kind]
		b, bok := order[t.ByKind[j].Kind]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return aok
		}
		return t.ByKind[i].Kind < t.ByKind[j].Kind
	})
	return t
}

// Volume is a village's volume (一村一卷) for a period: the advisors and
// agreements, the yearly documents, the legal matters and every entry in
// chain order with its totals.
type Volume struct {
	Village    counsel.Region      `json:"village"`
	Path       []counsel.Region    `json:"path"`  // province … town
	Place      string              `json:"place"` // the full name, province down
	From       string              `json:"from"`
	To         string              `json:"to"`
	Advisors   []VolumeAdvisor     `json:"advisors"`
	Agreements []counsel.Agreement `json:"agreements"`
	Documents  []counsel.Document  `json:"documents"`
	Matters    []counsel.Matter    `json:"matters"`
	Entries    []counsel.Entry     `json:"entries"`
	Totals     VolumeTotals        `json:"totals"`
	// Narrowed: a provider or advisor sees only its own work in the volume.
	Narrowed bool `json:"narrowed"`
}

// VolumeSection is one village of a provider's volume.
type VolumeSection struct {
	Village    counsel.Region      `json:"village"`
	TownName   string              `json:"town_name"`
	Agreements []counsel.Agreement `json:"agreements"`
	Documents  []counsel.Document  `json:"documents"`
	Matters    []counsel.Matter    `json:"matters"`
	Entries    []counsel.Entry     `json:"entries"`
	Totals     VolumeTotals        `json:"totals"`
}

// ProviderVolume is a provider's volume (一所一卷) for a period: its
// agreements and, village by village, its documents, matters and entries.
type ProviderVolume struct {
	Provider   counsel.Provider    `json:"provider"`
	From       string              `json:"from"`
	To         string              `json:"to"`
	Agreements []counsel.Agreement `json:"agreements"`
	Sections   []VolumeSection     `json:"sections"`
	Totals     VolumeTotals        `json:"totals"`
	// Scope is the region the volume is confined to ("" = everywhere the
	// provider served); Narrowed: an advisor sees only its own work.
	Scope    string `json:"scope,omitempty"`
	Narrowed bool   `json:"narrowed"`
}
