package api

import (
	"net/http"

	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// dashOps are the operations of the dash area: the dashboard and the
// reports, the same values the pages show.
func (h *API) dashOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []Op{
		{Route: rt("GET", "/dashboard", "dashboard", h.dashboard), Summary: "A region's dashboard for a year: coverage, services by kind and month, on-site hours, compliance, child regions for drill-down (a village: its advisors and obligations). Counters only; coverage is cached up to a minute", Tag: "dashboards", Response: service.Dashboard{}, Query: []string{"region", "year"}},
		{Route: rt("GET", "/reports/ledger", "report_ledger", h.reportLedger), Summary: "Ledger statistics of a region for a half-year (half=1|2) or the year (half=0): child and grandchild region rows, advisor rows for a county and below", Tag: "dashboards", Response: service.LedgerReport{}, Query: []string{"region", "year", "half"}},
		{Route: rt("GET", "/reports/annual", "report_annual", h.reportAnnual), Summary: "A region's yearly report: the year's dashboard and ledger statistics with the advisors' results", Tag: "dashboards", Response: service.AnnualReport{}, Query: []string{"region", "year"}},
	}
}

func (h *API) dashboard(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := server.DashParams(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	d, err := h.svc.Dashboard(r.Context(), ActorOf(r), region, year)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, d)
}

func (h *API) reportLedger(w http.ResponseWriter, r *http.Request) {
	region, year, half, err := server.DashParams(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	rp, err := h.svc.Report(r.Context(), ActorOf(r), region, year, half)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, rp)
}

func (h *API) reportAnnual(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := server.DashParams(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	rp, err := h.svc.Annual(r.Context(), ActorOf(r), region, year)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, rp)
}
