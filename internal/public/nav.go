package public

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "public", Key: "nav.boards", Href: "/boards", Nav: "boards", Order: 10, Show: func(a *counsel.Actor) bool { return a.Role != counsel.RoleVillage }},
	}
}
