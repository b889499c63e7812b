package volume

import (
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "ledger", Key: "nav.volume", Href: "/ledger/volume", Nav: "volume", Order: 40},
		{Group: "ledger", Key: "nav.matters", Href: "/ledger/matters", Nav: "matters", Order: 50},
	}
}
