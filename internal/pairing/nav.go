package pairing

import (
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "pairing", Key: "nav.persons", Href: "/persons", Nav: "persons", Order: 10},
		{Group: "pairing", Key: "nav.pairings", Href: "/pairings", Nav: "pairings", Order: 20},
		{Group: "pairing", Key: "nav.pairing_rules", Href: "/pairings/rules", Nav: "pairing_rules", Order: 30, Show: authz.RegionalOrAdmin},
	}
}
