package notifyui

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "settings", Key: "nav.outbox", Href: "/outbox", Nav: "outbox", Order: 50, Show: web.Roles(counsel.RoleAdmin, counsel.RoleBureau)},
	}
}
