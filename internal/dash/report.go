package dash

import (
	"context"
	"fmt"
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
)

// Reports (R26, R27): the ledger statistics table a county sends up every
// half-year, and the yearly report with the advisors' results. Like the
// dashboards they read counters only.
//
// Rows: the region's children, each with its own children under it (a
// county: towns, then villages; a province: cities, then counties). Advisor
// rows are added for a county and below. ledger_stats has no advisor
// dimension, so an advisor's services are the sum over the villages it
// served under an agreement whose term overlaps the span (a packaged town
// agreement serves every village of the town); when a village had two
// advisors in the span both rows include all of its services and the village
// is marked shared. An advisor's compliance is exact: every obligation row
// names the advisor whose agreement it was counted under.

func halfSpan(year, half int) (from, to, fromMonth, toMonth string) {
	y := fmt.Sprintf("%04d", year)
	switch half {
	case 1:
		return y + "-01-01", y + "-06-30", y + "-01", y + "-06"
	case 2:
		return y + "-07-01", y + "-12-31", y + "-07", y + "-12"
	}
	return yearSpan(year)
}

// Report returns the ledger statistics of a region ("" = the actor's home)
// for a half-year (half 1 or 2) or the whole year (half 0); year 0 is this
// year.
func (s *Service) Report(ctx context.Context, a *counsel.Actor, region string, year, half int) (*LedgerReport, error) {
	reg, err := s.dashScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	if year, err = s.dashYear(year); err != nil {
		return nil, err
	}
	if half < 0 || half > 2 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "half", Key: "err.choice"})
	}
	from, to, fm, tm := halfSpan(year, half)
	rp := &LedgerReport{Region: reg, Year: year, Half: half, From: from, To: to, Today: s.Today(), Crumbs: []DashRegion{}, Groups: []ReportGroup{}, Kinds: []DashKind{}}
	if reg.Code != "" {
		rp.Crumbs = s.crumbs(ctx, a, reg.Code)
	}
	b := reportBuilder{s: s, from: from, to: to, fm: fm, tm: tm, today: rp.Today}

	// The groups: the region's children with theirs (a village: itself).
	if reg.Level == counsel.LevelVillage {
		row, err := b.single(ctx, reg)
		if err != nil {
			return nil, err
		}
		rp.Groups = append(rp.Groups, ReportGroup{ReportRow: row})
	} else {
		kids, err := b.children(ctx, reg.Code)
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			g := ReportGroup{ReportRow: k}
			if k.Level < counsel.LevelVillage {
				if g.Rows, err = b.children(ctx, k.Code); err != nil {
					return nil, err
				}
				if len(g.Rows) > 0 {
					rp.RowLevel = g.Rows[0].Level
				}
			}
			rp.Groups = append(rp.Groups, g)
		}
	}

	// The total.
	if reg.Code == "" {
		rp.Total = ReportRow{DashRegion: reg, ByKind: map[string]DashServices{}}
		var c ledger.CompRow
		for _, g := range rp.Groups {
			for k, v := range g.ByKind {
				t := rp.Total.ByKind[k]
				t.Entries += v.Entries
				t.Minutes += v.Minutes
				t.OnsiteEntries += v.OnsiteEntries
				t.OnsiteMinutes += v.OnsiteMinutes
				rp.Total.ByKind[k] = t
			}
			c.Rules += g.Compliance.Obligations
			c.Met += g.Compliance.Met
			c.ClosedAll += g.Compliance.Closed
			c.ClosedMet += g.Compliance.ClosedMet
		}
		rp.Total.Compliance = compOf(c)
		for _, v := range rp.Total.ByKind {
			rp.Total.Services.Entries += v.Entries
			rp.Total.Services.Minutes += v.Minutes
			rp.Total.Services.OnsiteEntries += v.OnsiteEntries
			rp.Total.Services.OnsiteMinutes += v.OnsiteMinutes
		}
	} else if reg.Level == counsel.LevelVillage {
		rp.Total = rp.Groups[0].ReportRow
	} else if rp.Total, err = b.single(ctx, reg); err != nil {
		return nil, err
	}

	names, err := s.kindNames(ctx)
	if err != nil {
		return nil, err
	}
	for code, t := range rp.Total.ByKind {
		if t.Entries == 0 && t.Minutes == 0 {
			continue
		}
		l, ok := names[code]
		if !ok {
			l = policy.Label{ZH: code, EN: code}
		}
		rp.Kinds = append(rp.Kinds, DashKind{Kind: code, Name: l.ZH, NameEN: l.EN, DashServices: t})
	}
	sortKinds(rp.Kinds)

	if rp.HasAdvisors() {
		if err := b.advisors(ctx, rp); err != nil {
			return nil, err
		}
	}
	return rp, nil
}

// reportBuilder reads the counters of one report's span.
type reportBuilder struct {
	s                       *Service
	from, to, fm, tm, today string
}

// children returns the rows of the children of parent.
func (b reportBuilder) children(ctx context.Context, parent string) ([]ReportRow, error) {
	kids, err := registry.Children(ctx, b.s.DB, parent)
	if err != nil {
		return nil, err
	}
	stats, err := childKindStats(ctx, b.s.DB, parent, b.fm, b.tm)
	if err != nil {
		return nil, err
	}
	comp, err := ledger.ChildCompliance(ctx, b.s.DB, parent, b.from, b.to, b.today)
	if err != nil {
		return nil, err
	}
	out := make([]ReportRow, 0, len(kids))
	for _, k := range kids {
		row := ReportRow{DashRegion: DashRegion{Code: k.Code, Name: k.Name, Level: k.Level}, ByKind: map[string]DashServices{},
			Compliance: compOf(comp[k.Code])}
		for kind, st := range stats[k.Code] {
			var d DashServices
			d.add(st)
			row.ByKind[kind] = d
			row.Services.add(st)
		}
		out = append(out, row)
	}
	return out, nil
}

// single returns the row of one region from its own counters.
func (b reportBuilder) single(ctx context.Context, reg DashRegion) (ReportRow, error) {
	row := ReportRow{DashRegion: reg, ByKind: map[string]DashServices{}}
	stats, err := ledger.RegionStats(ctx, b.s.DB, reg.Code, b.fm, b.tm)
	if err != nil {
		return row, err
	}
	for _, st := range stats {
		d := row.ByKind[st.Kind]
		d.add(st)
		row.ByKind[st.Kind] = d
		row.Services.add(st)
	}
	comp, err := ledger.RegionCompliance(ctx, b.s.DB, reg.Code, b.from, b.to, b.today)
	if err != nil {
		return row, err
	}
	row.Compliance = compOf(comp)
	return row, nil
}

// advisors adds the advisor rows (and the advisors' names on village rows).
func (b reportBuilder) advisors(ctx context.Context, rp *LedgerReport) error {
	scope := rp.Region.Code
	lookup := scope
	if rp.Region.Level == counsel.LevelVillage {
		lookup = counsel.ParentOf(scope) // a packaged agreement lies on the town
	}
	served, err := b.s.servedVillages(ctx, lookup, b.from, b.to)
	if err != nil {
		return err
	}
	comp, err := advisorCompliance(ctx, b.s.DB, scope, b.from, b.to, b.today)
	if err != nil {
		return err
	}
	// The village rows of the report, by code.
	villages := map[string]*ReportRow{}
	for gi := range rp.Groups {
		g := &rp.Groups[gi]
		if g.Level == counsel.LevelVillage {
			villages[g.Code] = &g.ReportRow
		}
		for ri := range g.Rows {
			if g.Rows[ri].Level == counsel.LevelVillage {
				villages[g.Rows[ri].Code] = &g.Rows[ri]
			}
		}
	}
	byID := map[int64]*ReportAdvisor{}
	var order []int64
	codes := make([]string, 0, len(villages))
	for code := range villages {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		v := villages[code]
		seen := map[int64]bool{}
		var ids []int64
		for _, g := range served[code] {
			if seen[g.AdvisorID] {
				continue
			}
			seen[g.AdvisorID] = true
			ids = append(ids, g.AdvisorID)
			v.Advisors = append(v.Advisors, g.AdvisorName)
			ra := byID[g.AdvisorID]
			if ra == nil {
				ra = &ReportAdvisor{ID: g.AdvisorID, Name: g.AdvisorName, ProviderName: g.ProviderName, ByKind: map[string]DashServices{}}
				byID[g.AdvisorID] = ra
				order = append(order, g.AdvisorID)
			}
		}
		for _, id := range ids {
			ra := byID[id]
			shared := len(ids) > 1
			rp.Shared = rp.Shared || shared
			ra.Villages = append(ra.Villages, ReportVillage{Code: code, Name: v.Name, Shared: shared})
			for kind, st := range v.ByKind {
				t := ra.ByKind[kind]
				t.Entries += st.Entries
				t.Minutes += st.Minutes
				t.OnsiteEntries += st.OnsiteEntries
				t.OnsiteMinutes += st.OnsiteMinutes
				ra.ByKind[kind] = t
			}
			ra.Services.Entries += v.Services.Entries
			ra.Services.Minutes += v.Services.Minutes
			ra.Services.OnsiteEntries += v.Services.OnsiteEntries
			ra.Services.OnsiteMinutes += v.Services.OnsiteMinutes
		}
	}
	// Advisors whose obligation rows lie in scope though no agreement of
	// theirs overlaps the span any more (rare: an agreement's term edited).
	for id := range comp {
		if byID[id] == nil {
			adv, err := registry.Advisor(ctx, b.s.DB, id)
			if err != nil {
				continue
			}
			byID[id] = &ReportAdvisor{ID: id, Name: adv.Name, ProviderName: adv.ProviderName, ByKind: map[string]DashServices{}}
			order = append(order, id)
		}
	}
	for _, id := range order {
		ra := byID[id]
		ra.Compliance = compOf(comp[id])
		switch {
		case ra.Compliance.Closed == 0:
			ra.Result = AssessPending
		case ra.Compliance.ClosedMet == ra.Compliance.Closed:
			ra.Result = AssessMet
		default:
			ra.Result = AssessMissed
		}
		rp.Advisors = append(rp.Advisors, *ra)
	}
	return nil
}

// Annual returns a region's yearly report (year 0 = this year).
func (s *Service) Annual(ctx context.Context, a *counsel.Actor, region string, year int) (*AnnualReport, error) {
	d, err := s.Dashboard(ctx, a, region, year)
	if err != nil {
		return nil, err
	}
	l, err := s.Report(ctx, a, d.Region.Code, d.Year, 0)
	if err != nil {
		return nil, err
	}
	return &AnnualReport{Dashboard: d, Ledger: l}, nil
}
