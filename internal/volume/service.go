package volume

import (
	"context"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the rules of the volume area: matters, documents and the
// volumes. Rules still in the layered service (the ledger's kinds, an
// advisor's provider, a provider's scope, today) are asked of Svc.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock; it follows the layered service's unless replaced.
	Now func() time.Time
	Svc *registry.Service
	// Ledger is the ledger: its entries, kinds and who serves a village.
	Ledger *ledger.Service
}

// NewService builds the volume rules over the layered service.
func NewService(svc *registry.Service, lg *ledger.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, Now: func() time.Time { return svc.Now() }, Svc: svc, Ledger: lg}
}

// Town is a town's villages, for the choosers.
type Town struct {
	Code, Name string
	Villages   []counsel.Region
}

// ServedTowns lists the villages of the agreements a provider or advisor
// sees (liveOnly: of live agreements only), grouped by town: a packaged
// agreement serves every village of its town (R7, AgreementVillages).
func (s *Service) ServedTowns(ctx context.Context, a *counsel.Actor, liveOnly bool) ([]Town, error) {
	f := counsel.Filter{Page: counsel.Page{Limit: 500}}
	if liveOnly {
		f.Status = "live"
	}
	gs, err := s.Svc.Agreements(ctx, a, f)
	if err != nil {
		return nil, err
	}
	towns := map[string]*Town{}
	seen := map[string]bool{}
	for i := range gs.Items {
		g := &gs.Items[i]
		vs, err := s.Svc.AgreementVillages(ctx, nil, g)
		if err != nil {
			continue
		}
		town, townName := counsel.ParentOf(g.RegionCode), g.TownName
		if g.Packaged {
			town, townName = g.RegionCode, g.RegionName
		}
		for _, v := range vs {
			if seen[v.Code] {
				continue
			}
			seen[v.Code] = true
			t := towns[town]
			if t == nil {
				t = &Town{Code: town, Name: townName}
				towns[town] = t
			}
			t.Villages = append(t.Villages, v)
		}
	}
	out := make([]Town, 0, len(towns))
	for _, t := range towns {
		sort.Slice(t.Villages, func(i, j int) bool { return t.Villages[i].Code < t.Villages[j].Code })
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Village returns a village (or any region) by code, for choosers and forms.
func (s *Service) Village(ctx context.Context, code string) (*counsel.Region, error) {
	return registry.Region(ctx, s.DB, code)
}

// VolumePeriod checks a volume's period; empty bounds default to the
// current year.
func VolumePeriod(from, to, today string) (string, string, error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" {
		from = today[:4] + "-01-01"
	}
	if to == "" {
		// The end of the year the period starts in.
		to = today[:4] + "-12-31"
		if counsel.ValidDate(from) {
			to = from[:4] + "-12-31"
		}
	}
	var fs []counsel.FieldError
	if !counsel.ValidDate(from) {
		fs = append(fs, counsel.FieldError{Field: "from", Key: "err.date"})
	}
	if !counsel.ValidDate(to) {
		fs = append(fs, counsel.FieldError{Field: "to", Key: "err.date"})
	} else if counsel.ValidDate(from) && to < from {
		fs = append(fs, counsel.FieldError{Field: "to", Key: "err.end_before_start"})
	}
	if len(fs) > 0 {
		return "", "", counsel.Invalid(fs...)
	}
	return from, to, nil
}

func yearOf(date string) int {
	y, _ := strconv.Atoi(date[:4])
	return y
}

// servesVillage reports whether an advisor (advisorID > 0) or a provider
// ever had an agreement covering a village.
func (s *Service) servesVillage(ctx context.Context, village string, providerID, advisorID int64) (bool, error) {
	gs, err := volumeAgreements(ctx, s.DB, village, "0000-01-01", "9999-12-31")
	if err != nil {
		return false, err
	}
	for _, g := range gs {
		if advisorID > 0 && g.AdvisorID == advisorID || advisorID == 0 && g.ProviderID == providerID {
			return true, nil
		}
	}
	return false, nil
}

// volumeEntries loads the entries of a volume in chain order, refusing a
// period with more than MaxVolumeEntries.
func (s *Service) volumeEntries(ctx context.Context, f ledger.EntryFilter) ([]counsel.Entry, error) {
	n, err := ledger.CountEntries(ctx, s.DB, f)
	if err != nil {
		return nil, err
	}
	if n > MaxVolumeEntries {
		return nil, counsel.Invalid(counsel.FieldError{Field: "from", Key: "volume.err_too_many", Args: []any{n, MaxVolumeEntries}})
	}
	es, err := ledger.VolumeEntries(ctx, s.DB, f)
	if es == nil {
		es = []counsel.Entry{}
	}
	return es, err
}

// regionPath returns the regions above code, from the province down.
func (s *Service) regionPath(ctx context.Context, code string) []counsel.Region {
	out := []counsel.Region{}
	for _, c := range counsel.Ancestors(code) {
		if r, err := registry.Region(ctx, s.DB, c); err == nil {
			out = append(out, *r)
		}
	}
	return out
}

// volumeAdvisors lists the advisors of a village's agreements and entries.
func volumeAdvisors(gs []counsel.Agreement, es []counsel.Entry, from, to string) []VolumeAdvisor {
	out := []VolumeAdvisor{}
	idx := map[int64]int{}
	for _, g := range gs {
		start, end := max(g.StartDate, from), to
		if g.EndDate != "" {
			end = min(g.EndDate, to)
		}
		if i, ok := idx[g.AdvisorID]; ok {
			out[i].From, out[i].To = min(out[i].From, start), max(out[i].To, end)
			continue
		}
		idx[g.AdvisorID] = len(out)
		out = append(out, VolumeAdvisor{ID: g.AdvisorID, Name: g.AdvisorName, Provider: g.ProviderName, From: start, To: end})
	}
	for _, e := range es {
		if _, ok := idx[e.AdvisorID]; !ok {
			idx[e.AdvisorID] = len(out)
			out = append(out, VolumeAdvisor{ID: e.AdvisorID, Name: e.AdvisorName})
		}
	}
	return out
}

// Volume returns a village's volume for [from, to] (empty: the current
// year). Regional actors see the whole volume of a village in their area; a
// provider or advisor that ever served the village sees its own work in it.
func (s *Service) Volume(ctx context.Context, a *counsel.Actor, village, from, to string) (*Volume, error) {
	if !isVillage(village) {
		return nil, counsel.ErrNotFound
	}
	// A volume is printed and kept: show nothing a power cut could still undo.
	if err := s.DB.WaitDurable(); err != nil {
		return nil, err
	}
	v := &Volume{}
	f := ledger.EntryFilter{Village: village}
	vf := Filter{Village: village}
	switch a.Role {
	case counsel.RoleProvider, counsel.RoleAdvisor:
		ok, err := s.servesVillage(ctx, village, a.ProviderID, a.AdvisorID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, counsel.ErrNotFound
		}
		v.Narrowed = true
		if a.Role == counsel.RoleProvider {
			f.ProviderID, vf.ProviderID = a.ProviderID, a.ProviderID
		} else {
			f.AdvisorID, vf.AdvisorID = a.AdvisorID, a.AdvisorID
		}
	default:
		if !authz.CanReadRegion(a, village) {
			return nil, counsel.ErrNotFound
		}
	}
	r, err := registry.Region(ctx, s.DB, village)
	if err != nil {
		return nil, err
	}
	if v.From, v.To, err = VolumePeriod(from, to, s.Svc.Today()); err != nil {
		return nil, err
	}
	v.Village, v.Path = *r, s.regionPath(ctx, village)
	v.Place = placeOf(v.Path, r.Name)
	f.From, f.To, vf.From, vf.To = v.From, v.To, v.From, v.To
	if v.Entries, err = s.volumeEntries(ctx, f); err != nil {
		return nil, err
	}
	gs, err := volumeAgreements(ctx, s.DB, village, v.From, v.To)
	if err != nil {
		return nil, err
	}
	v.Agreements = []counsel.Agreement{}
	for _, g := range gs {
		if authz.CanReadAgreement(a, &g) {
			v.Agreements = append(v.Agreements, g)
		}
	}
	if v.Documents, err = volumeDocuments(ctx, s.DB, vf, yearOf(v.From), yearOf(v.To)); err != nil {
		return nil, err
	}
	if v.Matters, err = volumeMatters(ctx, s.DB, vf); err != nil {
		return nil, err
	}
	if v.Documents == nil {
		v.Documents = []counsel.Document{}
	}
	if v.Matters == nil {
		v.Matters = []counsel.Matter{}
	}
	v.Advisors = volumeAdvisors(v.Agreements, v.Entries, v.From, v.To)
	v.Totals = volumeTotals(v.Entries)
	return v, nil
}

// ProviderVolume returns a provider's volume for [from, to] (empty: the
// current year). A bureau or judicial office sees the provider's work within
// its area; the provider all of it; an advisor of the provider its own.
func (s *Service) ProviderVolume(ctx context.Context, a *counsel.Actor, providerID int64, from, to string) (*ProviderVolume, error) {
	p, err := s.Svc.Provider(ctx, a, providerID)
	if err != nil {
		return nil, err
	}
	if err := s.DB.WaitDurable(); err != nil { // printed and kept, as Volume
		return nil, err
	}
	pv := &ProviderVolume{Provider: *p}
	if pv.From, pv.To, err = VolumePeriod(from, to, s.Svc.Today()); err != nil {
		return nil, err
	}
	if authz.Regional(a) {
		pv.Scope = a.RegionCode
	}
	var advisorID int64
	if a.Role == counsel.RoleAdvisor {
		advisorID, pv.Narrowed = a.AdvisorID, true
	}
	es, err := s.volumeEntries(ctx, ledger.EntryFilter{Scope: pv.Scope, ProviderID: p.ID, AdvisorID: advisorID, From: pv.From, To: pv.To})
	if err != nil {
		return nil, err
	}
	gs, err := providerAgreements(ctx, s.DB, p.ID, pv.Scope, pv.From, pv.To)
	if err != nil {
		return nil, err
	}
	vf := Filter{Scope: pv.Scope, ProviderID: p.ID, AdvisorID: advisorID, From: pv.From, To: pv.To}
	ms, err := volumeMatters(ctx, s.DB, vf)
	if err != nil {
		return nil, err
	}
	ds, err := volumeDocuments(ctx, s.DB, vf, yearOf(pv.From), yearOf(pv.To))
	if err != nil {
		return nil, err
	}
	pv.Agreements = []counsel.Agreement{}
	sections := map[string]*VolumeSection{}
	section := func(code string) *VolumeSection {
		if sec, ok := sections[code]; ok {
			return sec
		}
		sec := &VolumeSection{Village: counsel.Region{Code: code}, Agreements: []counsel.Agreement{}, Documents: []counsel.Document{},
			Matters: []counsel.Matter{}, Entries: []counsel.Entry{}}
		sections[code] = sec
		return sec
	}
	for _, g := range gs {
		if advisorID > 0 && g.AdvisorID != advisorID {
			continue
		}
		pv.Agreements = append(pv.Agreements, g)
		if !g.Packaged {
			sec := section(g.RegionCode)
			sec.Agreements = append(sec.Agreements, g)
		}
	}
	for _, e := range es {
		sec := section(e.VillageCode)
		sec.Entries = append(sec.Entries, e)
	}
	for _, m := range ms {
		sec := section(m.VillageCode)
		sec.Matters = append(sec.Matters, m)
	}
	for _, d := range ds {
		sec := section(d.VillageCode)
		sec.Documents = append(sec.Documents, d)
	}
	codes := make([]string, 0, len(sections))
	for c := range sections {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := map[string]string{}
	name := func(code string) string {
		if n, ok := names[code]; ok {
			return n
		}
		n := code
		if r, err := registry.Region(ctx, s.DB, code); err == nil {
			n = r.Name
		}
		names[code] = n
		return n
	}
	pv.Sections = make([]VolumeSection, 0, len(codes))
	for _, c := range codes {
		sec := sections[c]
		if r, err := registry.Region(ctx, s.DB, c); err == nil {
			sec.Village = *r
		}
		sec.TownName = name(counsel.ParentOf(c))
		sec.Totals = volumeTotals(sec.Entries)
		pv.Sections = append(pv.Sections, *sec)
	}
	pv.Totals = volumeTotals(es)
	return pv, nil
}

// PlaceName is a region's full name from the province down, e.g.
// "甘肃省庆阳市正宁县山河镇东关村委会" (for printed headings).
func (s *Service) PlaceName(ctx context.Context, code string) string {
	r, err := registry.Region(ctx, s.DB, code)
	if err != nil {
		return code
	}
	return placeOf(s.regionPath(ctx, code), r.Name)
}

func placeOf(path []counsel.Region, last string) string {
	var b strings.Builder
	for _, r := range path {
		b.WriteString(r.Name)
	}
	b.WriteString(last)
	return b.String()
}

func isVillage(code string) bool {
	return counsel.ValidCode(code) && counsel.LevelOf(code) == counsel.LevelVillage
}
