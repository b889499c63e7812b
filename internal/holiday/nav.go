package holiday

import (
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the holiday page in the settings group: the administrator's.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "settings", Key: "nav.holidays", Href: "/holidays", Nav: "holidays", Order: 90, Show: authz.CanKeepHolidays},
	}
}
