package consult

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// Nav lists the feature's links in the task groups of the navigation bar.
func (f *Feature) Nav() []web.NavItem {
	return []web.NavItem{
		{Group: "public", Key: "consult.nav", Href: "/consultations", Nav: "consult", Order: 20, Show: authz.CanSeeConsultations},
	}
}

// Tasks: questions waiting for an answer, and those past their deadline.
func (f *Feature) Tasks(ctx context.Context, a *counsel.Actor) ([]web.Task, error) {
	if !authz.CanSeeConsultations(a) {
		return nil, nil
	}
	var out []web.Task
	for _, st := range []string{ConsultOverdue, ConsultOpen} {
		l, err := f.s.Consultations(ctx, a, ConsultFilter{Status: st, Page: counsel.Page{Limit: 1}})
		if err != nil {
			return nil, err
		}
		if l.Total == 0 {
			continue
		}
		if st == ConsultOverdue {
			out = append(out, web.Task{Key: "task.consult_overdue", Count: l.Total, Href: "/consultations?status=" + st, Urgent: true, Order: 40})
		} else {
			out = append(out, web.Task{Key: "task.consult_open", Count: l.Total, Href: "/consultations?status=" + st, Order: 41})
		}
	}
	return out, nil
}
