package dash

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Dashboards (R24) read only counters: ledger_stats (services by region,
// month and kind), compliance_stats (obligations by region and period) and,
// at village level, the village's obligation rows. Coverage comes from a
// per-region cache (cover.go). No dashboard reads raw ledger rows.
//
// Who sees a dashboard: the administrator any region (no region = the whole
// country), bureaus and judicial offices their subtree, a village committee
// its own village. Providers and advisors have no region scope; they are
// refused (their own obligations are on the advisor's due page).

// Service holds the dashboards' and reports' rules and the coverage cache.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// svc is the layered service: ledger status (Duties), read scopes and
	// the clock (Today) live there.
	svc   *registry.Service
	lg    *ledger.Service // the ledger: duties and their status
	cover coverState
}

// NewService builds the dash service over the layered service (its
// database, logger and clock).
func NewService(svc *registry.Service, lg *ledger.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, svc: svc, lg: lg}
}

// Today is the date today in China (the layered service's clock).
func (s *Service) Today() string { return s.svc.Today() }

// dashScope resolves the region a dashboard or report is asked for: ""
// means the actor's home (the whole country for the administrator).
func (s *Service) dashScope(ctx context.Context, a *counsel.Actor, region string) (DashRegion, error) {
	if a.Role == counsel.RoleProvider || a.Role == counsel.RoleAdvisor {
		return DashRegion{}, counsel.ErrForbidden
	}
	code, err := s.svc.ReadScope(ctx, a, region)
	if err != nil {
		return DashRegion{}, err
	}
	if code == "" {
		if !authz.IsAdmin(a) {
			return DashRegion{}, counsel.ErrForbidden
		}
		return DashRegion{}, nil
	}
	r, err := registry.Region(ctx, s.DB, code)
	if err != nil {
		return DashRegion{}, err
	}
	return DashRegion{Code: r.Code, Name: r.Name, Level: r.Level}, nil
}

// dashYear checks a year (0 = this year).
func (s *Service) dashYear(year int) (int, error) {
	if year == 0 {
		y, _ := strconv.Atoi(s.Today()[:4])
		return y, nil
	}
	if year < MinYear || year > MaxYear {
		return 0, counsel.Invalid(counsel.FieldError{Field: "year", Key: "dash.err_year", Args: []any{MinYear, MaxYear}})
	}
	return year, nil
}

// crumbs returns the ancestors of code the actor may read, from the top.
func (s *Service) crumbs(ctx context.Context, a *counsel.Actor, code string) []DashRegion {
	out := []DashRegion{}
	for _, anc := range counsel.Ancestors(code) {
		if !authz.IsAdmin(a) && !authz.CanReadRegion(a, anc) {
			continue
		}
		if r, err := registry.Region(ctx, s.DB, anc); err == nil {
			out = append(out, DashRegion{Code: r.Code, Name: r.Name, Level: r.Level})
		}
	}
	return out
}

// kindNames returns the display names of every kind: the built-in ones and
// those counties added.
func (s *Service) kindNames(ctx context.Context) (map[string]policy.Label, error) {
	out := make(map[string]policy.Label, len(policy.KindLabels))
	for k, l := range policy.KindLabels {
		out[k] = l
	}
	extra, err := ledger.AllLedgerKinds(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	for code, k := range extra {
		if _, ok := out[code]; !ok {
			out[code] = policy.Label{ZH: k.Name, EN: k.NameEN}
		}
	}
	return out, nil
}

// sortKinds orders kind totals: built-in kinds in display order, then added
// kinds by code.
func sortKinds(ks []DashKind) {
	order := map[string]int{}
	for i, k := range policy.Kinds {
		order[k] = i + 1
	}
	sort.Slice(ks, func(i, j int) bool {
		oi, oj := order[ks[i].Kind], order[ks[j].Kind]
		if oi == 0 {
			oi = 1 << 20
		}
		if oj == 0 {
			oj = 1 << 20
		}
		if oi != oj {
			return oi < oj
		}
		return ks[i].Kind < ks[j].Kind
	})
}

func yearSpan(year int) (from, to, fromMonth, toMonth string) {
	y := fmt.Sprintf("%04d", year)
	return y + "-01-01", y + "-12-31", y + "-01", y + "-12"
}

// Dashboard returns a region's dashboard for a year (0 = this year; region
// "" = the actor's home). It is the single entry point of the dashboard page
// and GET /api/v1/dashboard.
func (s *Service) Dashboard(ctx context.Context, a *counsel.Actor, region string, year int) (*Dashboard, error) {
	reg, err := s.dashScope(ctx, a, region)
	if err != nil {
		return nil, err
	}
	if year, err = s.dashYear(year); err != nil {
		return nil, err
	}
	today := s.Today()
	from, to, fm, tm := yearSpan(year)
	d := &Dashboard{Region: reg, Year: year, From: from, To: to, Today: today, Crumbs: []DashRegion{}, Children: []DashChild{}, ByKind: []DashKind{}}
	if reg.Code != "" {
		d.Crumbs = s.crumbs(ctx, a, reg.Code)
	}
	names, err := s.kindNames(ctx)
	if err != nil {
		return nil, err
	}

	// Services by month and kind.
	var rows []ledger.StatRow
	if reg.Code == "" {
		rows, err = childMonthKindStats(ctx, s.DB, "", fm, tm)
	} else {
		rows, err = ledger.RegionStats(ctx, s.DB, reg.Code, fm, tm)
	}
	if err != nil {
		return nil, err
	}
	months := map[string]*DashMonth{}
	for m := 1; m <= 12; m++ {
		dm := DashMonth{Month: fmt.Sprintf("%04d-%02d", year, m)}
		d.ByMonth = append(d.ByMonth, dm)
	}
	for i := range d.ByMonth {
		months[d.ByMonth[i].Month] = &d.ByMonth[i]
	}
	kinds := map[string]*DashServices{}
	for _, r := range rows {
		if m := months[r.Month]; m != nil {
			m.add(r)
		}
		k := kinds[r.Kind]
		if k == nil {
			k = &DashServices{}
			kinds[r.Kind] = k
		}
		k.add(r)
		d.Services.add(r)
	}
	for code, t := range kinds {
		if t.Entries == 0 && t.Minutes == 0 {
			continue
		}
		l, ok := names[code]
		if !ok {
			l = policy.Label{ZH: code, EN: code}
		}
		d.ByKind = append(d.ByKind, DashKind{Kind: code, Name: l.ZH, NameEN: l.EN, DashServices: *t})
	}
	sortKinds(d.ByKind)

	// Compliance of the region and of its children.
	var comp ledger.CompRow
	childComp, err := ledger.ChildCompliance(ctx, s.DB, reg.Code, from, to, today)
	if err != nil {
		return nil, err
	}
	if reg.Code == "" {
		for _, c := range childComp {
			comp.Rules += c.Rules
			comp.Met += c.Met
			comp.ClosedAll += c.ClosedAll
			comp.ClosedMet += c.ClosedMet
		}
	} else if comp, err = ledger.RegionCompliance(ctx, s.DB, reg.Code, from, to, today); err != nil {
		return nil, err
	}
	d.Compliance = compOf(comp)

	// Coverage.
	cov, at, err := s.dashCoverage(ctx, reg.Code, today)
	if err != nil {
		return nil, err
	}
	d.CoveredAt = at.UnixMilli()
	for _, t := range cov {
		d.Coverage.Villages += t.Villages
		d.Coverage.Covered += t.Covered
	}
	d.Coverage.Rate = ratio(int64(d.Coverage.Covered), int64(d.Coverage.Villages))

	if reg.Level == counsel.LevelVillage {
		if err := s.dashVillage(ctx, a, d); err != nil {
			return nil, err
		}
		return d, nil
	}

	// Children: names, services, compliance, coverage.
	kids, err := registry.Children(ctx, s.DB, reg.Code)
	if err != nil {
		return nil, err
	}
	childStats, err := ledger.ChildStats(ctx, s.DB, reg.Code, fm, tm)
	if err != nil {
		return nil, err
	}
	idx := map[string]int{}
	for _, k := range kids {
		c := DashChild{DashRegion: DashRegion{Code: k.Code, Name: k.Name, Level: k.Level}, Compliance: compOf(childComp[k.Code])}
		c.Services.add(childStats[k.Code])
		idx[k.Code] = len(d.Children)
		d.Children = append(d.Children, c)
		d.ChildLevel = k.Level
	}
	if reg.Level == counsel.LevelTown {
		covered, err := coveredVillages(ctx, s.DB, reg.Code, today)
		if err != nil {
			return nil, err
		}
		for i := range d.Children {
			c := &d.Children[i]
			c.Coverage.Villages = 1
			if covered[c.Code] {
				c.Coverage.Covered = 1
			}
		}
	} else {
		for _, t := range cov {
			if i, ok := childIndex(idx, t.Code); ok {
				d.Children[i].Coverage.Villages += t.Villages
				d.Children[i].Coverage.Covered += t.Covered
			}
		}
	}
	for i := range d.Children {
		c := &d.Children[i].Coverage
		c.Rate = ratio(int64(c.Covered), int64(c.Villages))
	}
	return d, nil
}

// childIndex finds the child (in idx: code → index) a town lies in.
func childIndex(idx map[string]int, town string) (int, bool) {
	for lv := counsel.LevelProvince; lv <= counsel.LevelTown; lv++ {
		if i, ok := idx[counsel.AncestorAt(town, lv)]; ok {
			return i, true
		}
	}
	return 0, false
}

// dashVillage adds a village's advisors of the year and its obligations.
func (s *Service) dashVillage(ctx context.Context, a *counsel.Actor, d *Dashboard) error {
	v := d.Region.Code
	served, err := s.servedVillages(ctx, counsel.ParentOf(v), d.From, d.To)
	if err != nil {
		return err
	}
	comp, err := advisorCompliance(ctx, s.DB, v, d.From, d.To, d.Today)
	if err != nil {
		return err
	}
	for _, sv := range served[v] {
		d.Advisors = append(d.Advisors, DashAdvisor{ID: sv.AdvisorID, Name: sv.AdvisorName, ProviderName: sv.ProviderName,
			AgreementID: sv.AgreementID, Status: sv.Status, StartDate: sv.StartDate, EndDate: sv.EndDate, Compliance: compOf(comp[sv.AdvisorID])})
	}
	duties, err := s.lg.Duties(ctx, a, ledger.ComplianceFilter{Village: v, EndFrom: d.From, StartTo: d.To, Page: counsel.Page{Limit: 1000}})
	if err != nil {
		return err
	}
	d.Duties = duties.Items
	// Most recent periods first: what is running now, then what just ended.
	sort.SliceStable(d.Duties, func(i, j int) bool { return d.Duties[i].Period.End > d.Duties[j].Period.End })
	return nil
}

// servedVillages maps each village of scope to the agreements under which
// it was served during [from, to] (a packaged town agreement serves every
// village of its town).
func (s *Service) servedVillages(ctx context.Context, scope, from, to string) (map[string][]Served, error) {
	sv, err := servedIn(ctx, s.DB, scope, from, to)
	if err != nil {
		return nil, err
	}
	out := map[string][]Served{}
	var towns map[string][]counsel.Region
	for _, g := range sv {
		if !g.Packaged {
			out[g.Region] = append(out[g.Region], g)
			continue
		}
		if towns == nil {
			towns = map[string][]counsel.Region{}
		}
		vs, ok := towns[g.Region]
		if !ok {
			if vs, err = registry.Children(ctx, s.DB, g.Region); err != nil {
				return nil, err
			}
			towns[g.Region] = vs
		}
		for _, v := range vs {
			out[v.Code] = append(out[v.Code], g)
		}
	}
	return out, nil
}
