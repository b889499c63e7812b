package dash

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "reports", Key: "nav.dashboard", Href: "/dashboard", Nav: "dashboard", Order: 10, Show: authz.RegionalOrAdmin},
		{Group: "reports", Key: "nav.reports_ledger", Href: "/reports/ledger", Nav: "reports_ledger", Order: 20, Show: web.Roles(counsel.RoleAdmin, counsel.RoleBureau)},
		{Group: "reports", Key: "nav.reports_annual", Href: "/reports/annual", Nav: "reports_annual", Order: 40, Show: authz.RegionalOrAdmin},
	}
}
