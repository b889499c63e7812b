package outreach

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "public", Key: "nav.campaigns", Href: "/campaigns", Nav: "campaigns", Order: 30},
		{Group: "public", Key: "nav.revisits", Href: "/revisits", Nav: "revisits", Order: 40, Show: func(a *counsel.Actor) bool {
			return authz.IsAdmin(a) || a.Role == counsel.RoleBureau || a.Role == counsel.RoleVillage
		}},
	}
}
