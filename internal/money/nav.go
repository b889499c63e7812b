package money

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's link in the task groups of the navigation bar:
// the money pages for the administrator and bureaus, and a finance bureau's
// payment lists.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "reports", Key: "money.nav", Href: "/money", Nav: "money", Order: 60, Show: func(a *counsel.Actor) bool {
			return authz.CanReadMoney(a) || a.Role == counsel.RoleFinance
		}},
	}
}
