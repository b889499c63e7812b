package ledger

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "ledger", Key: "nav.ledger", Href: "/ledger/entries", Nav: "ledger", Order: 10},
		{Group: "ledger", Key: "nav.due", Href: "/ledger/due", Nav: "due", Order: 20, Show: web.Roles(counsel.RoleAdvisor)},
		{Group: "ledger", Key: "nav.duties", Href: "/ledger/duties", Nav: "duties", Order: 20, Show: func(a *counsel.Actor) bool { return a.Role != counsel.RoleAdvisor }},
		{Group: "ledger", Key: "nav.verify", Href: "/ledger/verify", Nav: "verify", Order: 80, Show: authz.CanVerifyLedger},
		{Group: "settings", Key: "nav.policy", Href: "/ledger/policy", Nav: "policy", Order: 10},
	}
}

// Tasks: the advisor's duties still open in the current periods, the
// village's entries to confirm, and the town office's and county bureau's
// overdue duties.
func (f *Feature) Tasks(ctx context.Context, a *counsel.Actor) ([]web.Task, error) {
	var out []web.Task
	switch {
	case a.Role == counsel.RoleAdvisor:
		ds, err := f.Svc.DueNow(ctx, a, a.AdvisorID)
		if err != nil {
			return nil, err
		}
		open := 0
		for _, d := range ds {
			if d.State != policy.StateMet {
				open++
			}
		}
		if open > 0 {
			out = append(out, web.Task{Key: "task.due_now", Count: open, Href: "/ledger/due", Order: 1})
		}
	case a.Role == counsel.RoleVillage:
		l, err := f.Svc.Entries(ctx, a, EntryFilter{Status: counsel.EntryPending, Page: counsel.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if l.Total > 0 {
			out = append(out, web.Task{Key: "task.to_confirm", Count: l.Total, Href: "/ledger/entries?status=" + counsel.EntryPending, Order: 1})
		}
	case a.Role == counsel.RoleJudicial || authz.CountyBureau(a):
		l, err := f.Svc.Duties(ctx, a, ComplianceFilter{State: CompMissed, Page: counsel.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if l.Total > 0 {
			out = append(out, web.Task{Key: "task.duties_missed", Count: l.Total, Href: "/ledger/duties?state=" + CompMissed, Urgent: true, Order: 20})
		}
	}
	return out, nil
}
