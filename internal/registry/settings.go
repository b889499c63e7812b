package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Settings returns the settings in force for a region the actor may read.
func (s *Service) Settings(ctx context.Context, a *counsel.Actor, region string) (counsel.Settings, error) {
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return counsel.Settings{}, err
	}
	if region == "" {
		region = home
	}
	if region == "" {
		return counsel.DefaultSettings(), nil
	}
	if !authz.IsAdmin(a) && !counsel.Within(region, home) && !counsel.Within(home, region) {
		return counsel.Settings{}, counsel.ErrNotFound
	}
	return Settings(ctx, s.DB, region)
}

// SaveSettings stores a county's settings (county bureau or admin).
func (s *Service) SaveSettings(ctx context.Context, a *counsel.Actor, region string, set counsel.Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	if !(authz.IsAdmin(a) && counsel.ValidCode(region) || authz.CountyBureau(a) && region == a.RegionCode) {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := Settings(ctx, tx, region)
		if err != nil {
			return err
		}
		if err := SaveSettings(ctx, tx, region, set); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "settings", 0, region, before, set)
	})
}

// Counts are the numbers on the home page.
type Counts struct {
	Villages   int `json:"villages"`
	Covered    int `json:"covered"`
	Providers  int `json:"providers"`
	Advisors   int `json:"advisors"`
	Agreements int `json:"agreements"`
	Persons    int `json:"persons"`
	Pairings   int `json:"pairings"`
	LateFiling int `json:"late_filings"`
	RuleMet    int `json:"pairing_rule_met"`
}
