package major

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "ledger", Key: "major.nav", Href: "/major", Nav: "major", Order: 60},
	}
}

// Tasks: major-matter reports past their acknowledgement deadline.
func (f *Feature) Tasks(ctx context.Context, a *counsel.Actor) ([]web.Task, error) {
	if a.Role == counsel.RoleVillage || a.Role == counsel.RoleProvider {
		return nil, nil
	}
	n, err := f.Svc.MajorOverdueCount(ctx, a)
	if err != nil || n == 0 {
		return nil, err
	}
	return []web.Task{{Key: "task.major_overdue", Count: n, Href: "/major?overdue=1", Urgent: true, Order: 30}}, nil
}
