package assess

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/volume"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the rules of assessment sheets and rounds. It reads the
// other features only through their Go APIs: the ledger's obligations and
// counters, the volumes' documents, the public boards.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	svc *registry.Service
	lg  *ledger.Service
	vol *volume.Service
	pub *public.Service
	cal *calendar.Calendar
	// limit is the survey form's per-address limit (in the process).
	limit surveyLimiter
}

// NewService builds the assessment service over the features it reads.
func NewService(svc *registry.Service, lg *ledger.Service, vol *volume.Service, pub *public.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, svc: svc, lg: lg, vol: vol, pub: pub, cal: calendar.New(nil)}
}

// Now is the layered service's clock.
func (s *Service) Now() time.Time { return s.svc.Now() }

// Today is the date today in China.
func (s *Service) Today() string { return s.svc.Today() }

// SheetView is a region's own sheet layer and the sheet in force there.
type SheetView struct {
	Region   string `json:"region"`
	Own      Sheet  `json:"own"`
	HasOwn   bool   `json:"has_own"`
	Resolved Sheet  `json:"resolved"`
	CanEdit  bool   `json:"can_edit"`
}

// Sheet returns the layer set on a region and the sheet binding it. Sheets
// of the actor's area and above it are readable by every signed-in role
// with an area (advisors and firms read their county's).
func (s *Service) Sheet(ctx context.Context, a *counsel.Actor, region string) (*SheetView, error) {
	home, err := s.svc.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = home
	}
	if region == "" {
		return &SheetView{Resolved: County100(), CanEdit: false}, nil
	}
	if !counsel.ValidCode(region) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.required"})
	}
	if !authz.CanReadSheet(a, home, region) {
		return nil, counsel.ErrNotFound
	}
	layers, err := sheetLayers(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	v := &SheetView{Region: region, Resolved: Resolve(layers, region), CanEdit: authz.CanEditSheet(a, region)}
	for _, l := range layers {
		if l.Region == region {
			v.Own, v.HasOwn = l.Sheet, true
		}
	}
	return v, nil
}

// SheetFor returns the sheet binding a village (the county-style preset
// when no jurisdiction above it set one).
func (s *Service) SheetFor(ctx context.Context, village string) (Sheet, error) {
	layers, err := sheetLayers(ctx, s.DB)
	if err != nil {
		return Sheet{}, err
	}
	sh := Resolve(layers, village)
	if len(sh.Items) == 0 {
		return County100(), nil
	}
	return sh, nil
}

// SaveSheet sets (an empty sheet removes) a region's own layer: county
// bureaus their county and below, the administrator any region. Bad items
// are refused with their fields and nothing is written.
func (s *Service) SaveSheet(ctx context.Context, a *counsel.Actor, region string, sh Sheet) error {
	if !counsel.ValidCode(region) {
		return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.required"})
	}
	if !authz.CanEditSheet(a, region) {
		return counsel.OutOfScope("region")
	}
	if errs := sh.Validate(); len(errs) > 0 {
		return counsel.Invalid(errs...)
	}
	body := ""
	if sh.Name != "" || len(sh.Items) > 0 {
		b, err := json.Marshal(sh)
		if err != nil {
			return err
		}
		body = string(b)
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := saveSheetLayer(ctx, tx, region, body, a.UserID, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "assess_sheet", 0, region, nil, sh)
	})
}

// served is one village an advisor served in a year and the served part.
type served struct {
	code, name, from, to string
	providerID           int64
}

// servedVillages returns the villages an advisor served in a county in a
// year under signed, filed or ended agreements, with the served part of the
// year (several agreements of one village are joined).
func (s *Service) servedVillages(ctx context.Context, county string, advisorID int64, year int) ([]served, error) {
	y := strconv.Itoa(year)
	from, to := y+"-01-01", y+"-12-31"
	by := map[string]*served{}
	for off := 0; ; off += 500 {
		gs, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{Scope: county, AdvisorID: advisorID, Page: counsel.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, err
		}
		for i := range gs {
			g := &gs[i]
			if g.Status != counsel.AgreementSigned && g.Status != counsel.AgreementFiled && g.Status != counsel.AgreementEnded {
				continue
			}
			if g.StartDate > to || (g.EndDate != "" && g.EndDate < from) {
				continue
			}
			start, end := maxStr(g.StartDate, from), to
			if g.EndDate != "" && g.EndDate < to {
				end = g.EndDate
			}
			vs, err := s.svc.AgreementVillages(ctx, nil, g)
			if err != nil {
				return nil, err
			}
			for _, v := range vs {
				if sv, ok := by[v.Code]; ok {
					sv.from, sv.to = minStr(sv.from, start), maxStr(sv.to, end)
					continue
				}
				by[v.Code] = &served{code: v.Code, name: v.Name, from: start, to: end, providerID: g.ProviderID}
			}
		}
		if len(gs) < 500 {
			break
		}
	}
	out := make([]served, 0, len(by))
	for _, v := range by {
		out = append(out, *v)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].code < out[j].code })
	return out, nil
}

// Facts gathers what the data says of an advisor's year in a county, as of
// a date: obligations from the ledger's compliance rows, services from the
// ledger's counters by village and month, documents from the volumes, the
// boards and groups from the public side. It never reads raw ledger rows.
func (s *Service) Facts(ctx context.Context, county string, advisorID int64, year int, asOf string) (Facts, int64, error) {
	f := Facts{AdvisorID: advisorID, Year: year, AsOf: asOf}
	vs, err := s.servedVillages(ctx, county, advisorID, year)
	if err != nil {
		return f, 0, err
	}
	var provider int64
	y := strconv.Itoa(year)
	for _, v := range vs {
		provider = v.providerID
		vf := VillageFacts{Code: v.code, Name: v.name, TermStart: v.from, TermEnd: v.to, Months: map[string]map[string]KindCount{}, Docs: map[string]string{}}
		stats, err := ledger.RegionStats(ctx, s.DB, v.code, v.from[:7], v.to[:7])
		if err != nil {
			return f, 0, err
		}
		for _, st := range stats {
			if vf.Months[st.Month] == nil {
				vf.Months[st.Month] = map[string]KindCount{}
			}
			vf.Months[st.Month][st.Kind] = KindCount{Entries: int(st.Entries), Onsite: int(st.OnsiteEntries)}
		}
		for _, kind := range []string{counsel.DocPlan, counsel.DocImprovement} {
			d, err := s.vol.DocumentFor(ctx, counsel.System, advisorID, v.code, kind, year)
			if err != nil {
				return f, 0, err
			}
			if d != nil {
				vf.Docs[kind] = time.UnixMilli(d.CreatedAt).In(shanghai).Format(counsel.DateLayout)
			}
		}
		if b, err := s.pub.PublicBoard(ctx, v.code); err == nil && b != nil {
			vf.HasBoard = b.Advisor != nil
			vf.BoardUpdatedOn = b.UpdatedOn
			if b.Group != nil {
				vf.HasGroup, vf.GroupQRValid = true, b.Group.QRValid
			}
		} else if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
			return f, 0, err
		}
		f.Villages = append(f.Villages, vf)

		names := map[string]string{}
		if p, _, err := s.lg.PolicyFor(ctx, v.code); err == nil {
			for _, r := range p.Rules {
				names[r.ID] = r.Name
			}
		}
		for off := 0; ; off += 500 {
			rows, _, err := ledger.Compliance(ctx, s.DB, ledger.ComplianceFilter{Village: v.code, AdvisorID: advisorID, EndFrom: y + "-01-01", EndTo: y + "-12-31",
				Page: counsel.Page{Limit: 500, Offset: off}})
			if err != nil {
				return f, 0, err
			}
			for _, r := range rows {
				name := names[r.RuleID]
				if name == "" {
					name = r.RuleID
				}
				f.Periods = append(f.Periods, PeriodFact{Village: r.Village, VillageName: r.VillageName, RuleID: r.RuleID, RuleName: name,
					Kind: r.PeriodKind, Start: r.PeriodStart, End: r.PeriodEnd, Count: r.Count, Need: r.Need, Minutes: r.Minutes, NeedMinutes: r.NeedMinutes, Met: r.Met})
			}
			if len(rows) < 500 {
				break
			}
		}
	}
	if f.Surveys, err = surveyFacts(ctx, s.DB, advisorID, year); err != nil {
		return f, 0, err
	}
	if f.Findings, err = findingsOf(ctx, s.DB, advisorID, y+"-01-01", y+"-12-31"); err != nil {
		return f, 0, err
	}
	return f, provider, nil
}

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return l
}()

func maxStr(a, b string) string {
	if a > b {
		return a
	}
	return b
}

func minStr(a, b string) string {
	if a < b {
		return a
	}
	return b
}
