package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "registry", Key: "nav.regions", Href: "/regions", Nav: "regions", Order: 10},
		{Group: "registry", Key: "nav.providers", Href: "/providers", Nav: "providers", Order: 20, Show: func(a *counsel.Actor) bool { return a.Role != counsel.RoleVillage }},
		{Group: "registry", Key: "nav.advisors", Href: "/advisors", Nav: "advisors", Order: 30},
		{Group: "registry", Key: "nav.agreements", Href: "/agreements", Nav: "agreements", Order: 40},
		{Group: "registry", Key: "nav.import", Href: "/import", Nav: "import", Order: 50, Show: func(a *counsel.Actor) bool {
			return authz.IsAdmin(a) || authz.CountyBureau(a) || a.Role == counsel.RoleJudicial
		}},
		{Group: "reports", Key: "nav.coverage", Href: "/coverage", Nav: "coverage", Order: 30, Show: authz.RegionalOrAdmin},
		{Group: "settings", Key: "nav.settings", Href: "/settings", Nav: "settings", Order: 20},
	}
}

// Tasks: the county bureau's agreements waiting to be filed, and for the
// bureau and the town office the agreements late for filing.
func (f *Feature) Tasks(ctx context.Context, a *counsel.Actor) ([]web.Task, error) {
	var out []web.Task
	if authz.IsAdmin(a) || authz.CountyBureau(a) {
		l, err := f.Svc.Agreements(ctx, a, counsel.Filter{Status: counsel.AgreementSigned, Page: counsel.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if l.Total > 0 {
			out = append(out, web.Task{Key: "task.to_file", Count: l.Total, Href: "/agreements?status=" + counsel.AgreementSigned, Order: 10})
		}
	}
	if authz.IsAdmin(a) || a.Role == counsel.RoleBureau || a.Role == counsel.RoleJudicial {
		l, err := f.Svc.Agreements(ctx, a, counsel.Filter{Status: "late", Today: f.Svc.Today(), Page: counsel.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if l.Total > 0 {
			out = append(out, web.Task{Key: "task.late_filing", Count: l.Total, Href: "/agreements?status=late", Urgent: true, Order: 11})
		}
	}
	return out, nil
}
