package assess

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "verdict", Key: "nav.assess", Href: "/assess", Nav: "assess", Order: 60},
		{Group: "verdict", Key: "nav.inspections", Href: "/inspections", Nav: "inspections", Order: 70, Show: func(a *counsel.Actor) bool {
			return a.Role != counsel.RoleVillage
		}},
		{Group: "verdict", Key: "as.sv.stats_title", Href: "/assess/surveys", Nav: "surveys", Order: 80, Show: authz.CanSeeInspections},
	}
}
