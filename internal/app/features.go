package app

import (
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/holiday"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/major"
	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/notify/notifyui"
	"github.com/villagecounsel/counsel/internal/outreach"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/setup"
	"github.com/villagecounsel/counsel/internal/volume"
)

// Features holds one instance of every feature package. Adding a capability
// is one package under internal/ plus a field here, its construction in
// NewFeatures and its entry in all.
type Features struct {
	Registry *registry.Feature
	Dash     *dash.Feature
	Major    *major.Feature
	Consult  *consult.Feature
	Volume   *volume.Feature
	Outreach *outreach.Feature
	Notify   *notifyui.Feature
	Public   *public.Feature
	Pairing  *pairing.Feature
	Account  *account.Feature
	Ledger   *ledger.Feature
	Setup    *setup.Feature
	Holiday  *holiday.Feature
	Money    *money.Feature
}

// NewFeatures builds every feature over the service (its database, clock and
// logger), features below before the features that use them.
func NewFeatures(svc *registry.Service) *Features {
	f := &Features{}
	f.Registry = registry.NewFeature(svc)
	f.Holiday = holiday.New(svc)
	f.Ledger = ledger.New(svc)
	f.Dash = dash.New(svc, f.Ledger.Svc)
	f.Major = major.New(svc)
	f.Public = public.New(svc)
	f.Consult = consult.New(svc, f.Public.Svc, f.Ledger.Svc)
	f.Volume = volume.New(svc, f.Ledger.Svc)
	f.Outreach = outreach.New(svc)
	f.Notify = notifyui.New(svc, f.Ledger.Svc.OverdueByTown)
	f.Pairing = pairing.New(svc)
	f.Account = account.New(svc)
	f.Setup = setup.New(svc, f.Account.Svc)
	f.Money = money.New(svc, f.Ledger.Svc)
	return f
}

// all lists the features in the order their routes are mounted.
func (f *Features) all() []Feature {
	return []Feature{f.Registry, f.Dash, f.Major, f.Consult, f.Volume, f.Outreach, f.Notify, f.Public, f.Pairing, f.Account, f.Ledger, f.Setup, f.Holiday, f.Money}
}
