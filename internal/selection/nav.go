package selection

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the selection's links in the navigation bar: the campaigns for
// the bureaus (and the village committees, which recommend), the panel's
// scoring page for everyone (panel members are accounts of any role).
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "verdict", Key: "nav.selection", Href: "/selection", Nav: "selection", Order: 90, Show: func(a *counsel.Actor) bool {
			return authz.CanSeeSelection(a) || a.Role == counsel.RoleVillage
		}},
		{Group: "verdict", Key: "nav.panel", Href: "/selection/panel", Nav: "panel", Order: 95},
	}
}
