package major

import (
	"context"
	"sort"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// EscalateMajorReports raises every report still waiting for acknowledgement
// past its deadline at now: one period late it goes to the county bureau,
// two periods late to the city bureau. Each raise records a timeline event,
// an audit entry and notifies the accounts of that level. It is idempotent:
// a second run at the same time changes nothing. It returns how many reports
// it raised.
func (s *Service) EscalateMajorReports(ctx context.Context, now time.Time) (int, error) {
	ms := now.UnixMilli()
	waiting, err := awaiting(ctx, s.DB, ms, counsel.MajorLevelCity, 100000)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range waiting {
		m := &waiting[i]
		hours := m.AckHours
		if hours < 1 {
			hours = counsel.DefaultMajorAckHours
		}
		period := int64(hours) * int64(time.Hour/time.Millisecond)
		target := int((ms - m.SubmittedAt) / period)
		if target > counsel.MajorLevelCity {
			target = counsel.MajorLevelCity
		}
		if target <= m.Level {
			continue
		}
		raised := false
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			ok, err := escalateReport(ctx, tx, m.ID, m.Level, target, ms)
			if err != nil || !ok {
				return err
			}
			raised = true
			for lv := m.Level + 1; lv <= target; lv++ {
				if err := addEvent(ctx, tx, &counsel.MajorEvent{ReportID: m.ID, Kind: counsel.MajorEscalated, Level: lv,
					Username: counsel.System.Username, At: ms}); err != nil {
					return err
				}
				region := counsel.AncestorAt(m.VillageCode, counsel.LevelCounty)
				if lv == counsel.MajorLevelCity {
					region = counsel.AncestorAt(m.VillageCode, counsel.LevelCity)
				}
				users, err := accountsAt(ctx, tx, counsel.RoleBureau, region)
				if err != nil {
					return err
				}
				text := i18n.T("zh", "major.note_escalated", i18n.T("zh", "major.level."+itoa(int64(lv))), m.VillageName, m.Title, hours*lv)
				evKey := itoa(m.ID) + "|" + itoa(int64(lv))
				key := notify.EventMajorEscalation + "|" + evKey // the outbox's in-app key: one notification per account
				if err := notify.Users(ctx, tx, users, "major_overdue", text, majorLink(m.ID), key, ms); err != nil {
					return err
				}
				// The channels of the level it reached (WeCom/DingTalk robots,
				// in-app roles) hear of it too, after the commit.
				if _, err := s.Svc.Notify.EnqueueEvent(ctx, tx, region, notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: text,
					Text: text + "\n" + i18n.T("zh", "major.cat."+m.Category) + "：" + m.Title, Link: majorLink(m.ID), Key: evKey}); err != nil {
					return err
				}
			}
			return audit.Write(ctx, tx, counsel.System, "escalate", "major_report", m.ID, m.VillageCode,
				map[string]any{"level": m.Level}, map[string]any{"level": target})
		})
		if err != nil {
			return n, err
		}
		if raised {
			n++
		}
	}
	return n, nil
}

// MajorDeadlineOf returns the deadline in force for a region the actor may
// read (its county's; the default above county level).
func (s *Service) MajorDeadlineOf(ctx context.Context, a *counsel.Actor, region string) (*MajorDeadline, error) {
	home, err := s.Svc.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = home
	}
	if region != "" && !counsel.ValidCode(region) {
		return nil, counsel.ErrNotFound
	}
	if region != "" && !authz.IsAdmin(a) && !counsel.Within(region, home) && !counsel.Within(home, region) {
		return nil, counsel.ErrNotFound
	}
	d := &MajorDeadline{AckHours: counsel.DefaultMajorAckHours}
	if region == "" || counsel.LevelOf(region) < counsel.LevelCounty {
		return d, nil
	}
	d.Region = counsel.AncestorAt(region, counsel.LevelCounty)
	d.AckHours, d.Set, err = ackHours(ctx, s.DB, d.Region)
	return d, err
}

// SaveMajorDeadline sets a county's acknowledgement deadline in hours (the
// county bureau for its county, the administrator for any county). Reports
// already submitted keep the deadline they were given.
func (s *Service) SaveMajorDeadline(ctx context.Context, a *counsel.Actor, region string, hours int) error {
	if !(authz.IsAdmin(a) || authz.CountyBureau(a) && region == a.RegionCode) {
		if authz.CountyBureau(a) {
			return counsel.OutOfScope("region")
		}
		return counsel.ErrForbidden
	}
	if !counsel.ValidCode(region) || counsel.LevelOf(region) != counsel.LevelCounty {
		return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.county_code"})
	}
	if hours < 1 || hours > counsel.MaxMajorAckHours {
		return counsel.Invalid(counsel.FieldError{Field: "ack_hours", Key: "err.range", Args: []any{1, counsel.MaxMajorAckHours}})
	}
	if _, err := registry.Region(ctx, s.DB, region); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.county_code"})
		}
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, set, err := ackHours(ctx, tx, region)
		if err != nil {
			return err
		}
		var old any
		if set {
			old = map[string]any{"ack_hours": before}
		}
		if err := saveAckHours(ctx, tx, region, hours, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "major_settings", 0, region, old, map[string]any{"ack_hours": hours})
	})
}

// MajorVillages returns the villages an advisor may report for today: those
// of its live agreements in force and of its provider's packaged town
// agreements. Other roles get none (their forms take a village code).
func (s *Service) MajorVillages(ctx context.Context, a *counsel.Actor) ([]counsel.Region, error) {
	if a.Role != counsel.RoleAdvisor {
		return nil, nil
	}
	adv, err := registry.Advisor(ctx, s.DB, a.AdvisorID)
	if err != nil {
		return nil, err
	}
	today := s.Svc.Today()
	all := counsel.Page{Limit: 500}
	own, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{AdvisorID: adv.ID, Status: "live", Page: all})
	if err != nil {
		return nil, err
	}
	firm, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{ProviderID: adv.ProviderID, Status: "live", Page: all})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []counsel.Region
	for _, g := range append(own, firm...) {
		if g.StartDate > today || g.EndDate != "" && g.EndDate < today || !g.Packaged && g.AdvisorID != adv.ID {
			continue
		}
		if !g.Packaged {
			if !seen[g.RegionCode] {
				seen[g.RegionCode] = true
				out = append(out, counsel.Region{Code: g.RegionCode, Name: g.RegionName, Level: counsel.LevelVillage, ParentCode: counsel.ParentOf(g.RegionCode)})
			}
			continue
		}
		vs, err := registry.Villages(ctx, s.DB, g.RegionCode)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if !seen[v.Code] {
				seen[v.Code] = true
				out = append(out, v)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
