package app

import (
	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/notify/notifyui"
	"github.com/villagecounsel/counsel/service"
)

// Features holds one instance of every feature package. Adding a capability
// is one package under internal/ plus a field here, its construction in
// NewFeatures and its entry in all.
type Features struct {
	Dash   *dash.Feature
	Notify *notifyui.Feature
}

// NewFeatures builds every feature over the service (its database, clock and
// logger), features below before the features that use them.
func NewFeatures(svc *service.Service) *Features {
	f := &Features{}
	f.Dash = dash.New(svc)
	f.Notify = notifyui.New(svc)
	return f
}

// all lists the features in the order their routes are mounted.
func (f *Features) all() []Feature {
	return []Feature{f.Dash, f.Notify}
}
