package account

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "settings", Key: "nav.users", Href: "/users", Nav: "users", Order: 30, Show: web.Roles(counsel.RoleAdmin, counsel.RoleBureau)},
		{Group: "settings", Key: "nav.audit", Href: "/audit", Nav: "audit", Order: 40, Show: web.Roles(counsel.RoleAdmin, counsel.RoleBureau)},
	}
}
