package dash

import (
	"net/http"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/server"
)

// endpoints are the dash area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops are the operations of the dash area: the dashboard and the
// reports, the same values the pages show.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/dashboard", "dashboard", p.dashboard), Summary: "A region's dashboard for a year: coverage, services by kind and month, on-site hours, compliance, child regions for drill-down (a village: its advisors and obligations). Counters only; coverage is cached up to a minute", Tag: "dashboards", Response: Dashboard{}, Query: []string{"region", "year"}},
		{Route: rt("GET", "/reports/ledger", "report_ledger", p.reportLedger), Summary: "Ledger statistics of a region for a half-year (half=1|2) or the year (half=0): child and grandchild region rows, advisor rows for a county and below", Tag: "dashboards", Response: LedgerReport{}, Query: []string{"region", "year", "half"}},
		{Route: rt("GET", "/reports/annual", "report_annual", p.reportAnnual), Summary: "A region's yearly report: the year's dashboard and ledger statistics with the advisors' results", Tag: "dashboards", Response: AnnualReport{}, Query: []string{"region", "year"}},
	}
}

func (p *endpoints) dashboard(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := dashParams(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d, err := p.svc.Dashboard(r.Context(), api.ActorOf(r), region, year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, d)
}

func (p *endpoints) reportLedger(w http.ResponseWriter, r *http.Request) {
	region, year, half, err := dashParams(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	rp, err := p.svc.Report(r.Context(), api.ActorOf(r), region, year, half)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, rp)
}

func (p *endpoints) reportAnnual(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := dashParams(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	rp, err := p.svc.Annual(r.Context(), api.ActorOf(r), region, year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, rp)
}
