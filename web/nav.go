package web

import (
	"context"
	"sort"

	"github.com/villagecounsel/counsel"
)

// Navigation by task. Each feature lists its links (Navigator) in one of
// the task groups below, with who may see each; the layout shows every
// signed-in user only the groups and links that are theirs. A test follows
// every link shown to every demo role and fails on a page that refuses it.

// NavGroups are the task groups in the order the bar shows them; their
// labels are the message keys "nav.group.<name>".
var NavGroups = []string{"registry", "pairing", "ledger", "public", "reports", "settings"}

// NavItem is one link of the navigation bar.
type NavItem struct {
	Group string // one of NavGroups
	Key   string // message key of the label
	Href  string
	Nav   string                      // the View.Nav value of the page it opens (marks it current)
	Order int                         // position within the group, smallest first
	Show  func(a *counsel.Actor) bool // nil: every signed-in account
}

// Navigator is implemented by features that put links in the bar.
type Navigator interface {
	Nav() []NavItem
}

// NavGroup is a group of links as one user sees it.
type NavGroup struct {
	Key     string // message key of the label
	Items   []NavItem
	Current bool // holds the page being shown
}

// Task is one piece of work waiting for the signed-in user, shown on the
// home page: a count with what it is and where to do it.
type Task struct {
	Key    string // message key; its one argument is Count
	Count  int
	Href   string
	Urgent bool // overdue or late: shown first, marked
	Order  int
}

// Tasker is implemented by features that have work to show on a user's
// home page. Tasks must be cheap (counters, indexed counts): the home page
// asks every feature on each visit.
type Tasker interface {
	Tasks(ctx context.Context, a *counsel.Actor) ([]Task, error)
}

// Roles returns a Show function for the given roles.
func Roles(roles ...string) func(a *counsel.Actor) bool {
	return func(a *counsel.Actor) bool {
		for _, r := range roles {
			if a.Role == r {
				return true
			}
		}
		return false
	}
}

// menu builds the groups one actor sees.
func (h *Web) menu(a *counsel.Actor, current string) []NavGroup {
	if a == nil {
		return nil
	}
	var out []NavGroup
	for _, g := range NavGroups {
		ng := NavGroup{Key: "nav.group." + g}
		for _, it := range h.nav {
			if it.Group != g || (it.Show != nil && !it.Show(a)) {
				continue
			}
			ng.Items = append(ng.Items, it)
			if it.Nav == current {
				ng.Current = true
			}
		}
		if len(ng.Items) > 0 {
			out = append(out, ng)
		}
	}
	return out
}

// collectNav gathers the features' links, sorted by group order and Order.
func collectNav(features []Pages) []NavItem {
	var items []NavItem
	for _, f := range features {
		if n, ok := f.(Navigator); ok {
			items = append(items, n.Nav()...)
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].Order < items[j].Order })
	return items
}

// Tasks asks every feature for the actor's waiting work, urgent first.
func (h *Web) Tasks(ctx context.Context, a *counsel.Actor) ([]Task, error) {
	var out []Task
	for _, t := range h.taskers {
		ts, err := t.Tasks(ctx, a)
		if err != nil {
			return nil, err
		}
		out = append(out, ts...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Urgent != out[j].Urgent {
			return out[i].Urgent
		}
		return out[i].Order < out[j].Order
	})
	return out, nil
}
