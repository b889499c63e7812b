package selection

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the rules of the annual selection (R41–R46).
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Sender sends the voters' one-time codes.
	Sender sms.Sender
	// Cal is the official calendar of the 公示 periods.
	Cal *calendar.Calendar
	// Ledger reads the on-site time and lectures shown next to each name.
	Ledger *ledger.Service
	svc    *registry.Service
}

// NewService builds the selection service over the layered service, with
// the SMS sender the environment names (the demo log sender by default).
func NewService(svc *registry.Service, lg *ledger.Service) *Service {
	sender, err := sms.FromEnv(svc.Log)
	if err != nil {
		svc.Log.Error("selection: sms sender", "err", err)
		sender = sms.NewLog(svc.Log)
	}
	return &Service{DB: svc.DB, Log: svc.Log, Sender: sender, Cal: calendar.New(nil), Ledger: lg, svc: svc}
}

// Now is the layered service's clock.
func (s *Service) Now() time.Time { return s.svc.Now() }

// Today is the date today in China.
func (s *Service) Today() string { return s.svc.Today() }

// seesCampaign: the administrator, and bureaus whose area contains the
// campaign's region or lies within it (a county bureau takes part in its
// province's campaign).
func seesCampaign(a *counsel.Actor, c *Campaign) bool {
	if authz.IsAdmin(a) {
		return true
	}
	if a.Role == counsel.RoleVillage {
		return counsel.Within(a.RegionCode, c.RegionCode)
	}
	return a.Role == counsel.RoleBureau && (counsel.Within(c.RegionCode, a.RegionCode) || counsel.Within(a.RegionCode, c.RegionCode))
}

// CampaignInput is a new campaign.
type CampaignInput struct {
	RegionCode string
	Year       int
	Title      string
}

// CreateCampaign starts a campaign of a region with seed 004's settings for
// the year.
func (s *Service) CreateCampaign(ctx context.Context, a *counsel.Actor, in CampaignInput) (*Campaign, error) {
	in.RegionCode, in.Title = strings.TrimSpace(in.RegionCode), strings.TrimSpace(in.Title)
	if in.RegionCode == "" && a.Role == counsel.RoleBureau {
		in.RegionCode = a.RegionCode
	}
	var f counsel.Fields
	if lv := counsel.LevelOf(in.RegionCode); !counsel.ValidCode(in.RegionCode) || lv < counsel.LevelProvince || lv > counsel.LevelCounty {
		f.Add("region_code", "sel.err_region")
	}
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "sel.err_year")
	}
	if n := len([]rune(in.Title)); n < 2 || n > 80 {
		f.Add("title", "sel.err_title")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !authz.CanRunSelection(a, in.RegionCode) {
		return nil, counsel.OutOfScope("region_code")
	}
	now := s.Now().UnixMilli()
	c := &Campaign{RegionCode: in.RegionCode, Year: in.Year, Title: in.Title, Settings: Default004(in.Year), CreatedBy: a.Username, CreatedAt: now, UpdatedAt: now}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := insertCampaign(ctx, tx, c); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "sel_campaign", c.ID, c.RegionCode, nil, map[string]any{"year": c.Year, "title": c.Title})
	})
	if err != nil {
		return nil, err
	}
	return CampaignByID(ctx, s.DB, c.ID)
}

// Campaigns lists the campaigns the actor sees.
func (s *Service) Campaigns(ctx context.Context, a *counsel.Actor) ([]Campaign, error) {
	all, err := listCampaigns(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var out []Campaign
	for _, c := range all {
		if seesCampaign(a, &c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// Campaign reads a campaign the actor sees.
func (s *Service) Campaign(ctx context.Context, a *counsel.Actor, id int64) (*Campaign, error) {
	c, err := CampaignByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !seesCampaign(a, c) {
		return nil, counsel.ErrNotFound
	}
	return c, nil
}

// SaveSettings replaces a campaign's settings after checking them.
func (s *Service) SaveSettings(ctx context.Context, a *counsel.Actor, id int64, set Settings) (*Campaign, error) {
	c, err := s.Campaign(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	if err := set.Validate(); err != nil {
		return nil, err
	}
	if len(set.Stages) != len(c.Settings.Stages) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "stages", Key: "sel.err_stage_set"})
	}
	for i := range set.Stages {
		if set.Stages[i].Key != c.Settings.Stages[i].Key {
			return nil, counsel.Invalid(counsel.FieldError{Field: "stages", Key: "sel.err_stage_set"})
		}
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := updateSettings(ctx, tx, id, set, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "settings", "sel_campaign", id, c.RegionCode, c.Settings, set)
	})
	if err != nil {
		return nil, err
	}
	return CampaignByID(ctx, s.DB, id)
}

// CandidateInput puts an advisor on a stage.
type CandidateInput struct {
	Stage     string
	AdvisorID int64
	Category  string
	Profile   string
}

// AddCandidate puts an advisor on a stage of a campaign: by the bureau of
// the advisor's county or above, within the campaign's region.
func (s *Service) AddCandidate(ctx context.Context, a *counsel.Actor, campaignID int64, in CandidateInput) (*Candidate, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	in.Category, in.Profile = strings.TrimSpace(in.Category), strings.TrimSpace(in.Profile)
	var f counsel.Fields
	if _, ok := c.Settings.Stage(in.Stage); !ok {
		f.Add("stage", "err.choice")
	}
	if n := len([]rune(in.Category)); n > 20 {
		f.Add("category", "sel.err_category")
	}
	if n := len([]rune(in.Profile)); n > 2*c.Settings.ProfileChars {
		f.Add("profile", "sel.err_profile", c.Settings.ProfileChars)
	}
	adv, err := registry.Advisor(ctx, s.DB, in.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			f.Add("advisor_id", "sel.err_advisor")
			return nil, f.Err()
		}
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	county := adv.CountyCode
	if county == "" {
		p, err := registry.Provider(ctx, s.DB, adv.ProviderID)
		if err != nil {
			return nil, err
		}
		county = p.CountyCode
	}
	if !counsel.Within(county, c.RegionCode) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "sel.err_advisor_region"})
	}
	if !authz.CanNominate(a, county) {
		return nil, counsel.OutOfScope("advisor_id")
	}
	if in.Category == "" {
		in.Category = adv.Kind
	}
	k := &Candidate{CampaignID: c.ID, Stage: in.Stage, AdvisorID: adv.ID, CountyCode: county, Category: in.Category, Profile: in.Profile,
		Status: CandidateActive, CreatedAt: s.Now().UnixMilli()}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := insertCandidate(ctx, tx, k); err != nil {
			if counsel.ErrorCode(err) == counsel.CodeConflict {
				return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "sel.err_candidate_twice"})
			}
			return err
		}
		return audit.Write(ctx, tx, a, "nominate", "sel_candidate", k.ID, county, nil, map[string]any{"campaign": c.ID, "stage": k.Stage, "advisor": adv.ID})
	})
	if err != nil {
		return nil, err
	}
	return CandidateByID(ctx, s.DB, k.ID)
}

func authzRun(a *counsel.Actor, c *Campaign) bool { return authz.CanRunSelection(a, c.RegionCode) }
