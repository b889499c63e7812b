package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// dashOps are the operations of the dash area: the dashboard and the
// reports, the same values the pages show.
func (h *API) dashOps() []op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []op{
		{Route: rt("GET", "/dashboard", "dashboard", h.dashboard), Summary: "A region's dashboard for a year: coverage, services by kind and month, on-site hours, compliance, child regions for drill-down (a village: its advisors and obligations). Counters only; coverage is cached up to a minute", Tag: "dashboards", Response: service.Dashboard{}, Query: []string{"region", "year"}},
		{Route: rt("GET", "/reports/ledger", "report_ledger", h.reportLedger), Summary: "Ledger statistics of a region for a half-year (half=1|2) or the year (half=0): child and grandchild region rows, advisor rows for a county and below", Tag: "dashboards", Response: service.LedgerReport{}, Query: []string{"region", "year", "half"}},
		{Route: rt("GET", "/reports/annual", "report_annual", h.reportAnnual), Summary: "A region's yearly report: the year's dashboard and ledger statistics with the advisors' results", Tag: "dashboards", Response: service.AnnualReport{}, Query: []string{"region", "year"}},
	}
}

// DashParams reads ?region=, ?year= and ?half= of a dashboard or report
// (year and half 0 when absent).
func DashParams(r *http.Request) (region string, year, half int, err error) {
	q := r.URL.Query()
	region = strings.TrimSpace(q.Get("region"))
	if s := strings.TrimSpace(q.Get("year")); s != "" {
		if year, err = strconv.Atoi(s); err != nil || year == 0 {
			return "", 0, 0, counsel.Invalid(counsel.FieldError{Field: "year", Key: "dash.err_year", Args: []any{service.MinYear, service.MaxYear}})
		}
	}
	if s := strings.TrimSpace(q.Get("half")); s != "" {
		if half, err = strconv.Atoi(s); err != nil {
			return "", 0, 0, counsel.Invalid(counsel.FieldError{Field: "half", Key: "err.choice"})
		}
	}
	return region, year, half, nil
}

func (h *API) dashboard(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := DashParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d, err := h.svc.Dashboard(r.Context(), actor(r), region, year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ok(w, http.StatusOK, d)
}

func (h *API) reportLedger(w http.ResponseWriter, r *http.Request) {
	region, year, half, err := DashParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rp, err := h.svc.Report(r.Context(), actor(r), region, year, half)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ok(w, http.StatusOK, rp)
}

func (h *API) reportAnnual(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := DashParams(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rp, err := h.svc.Annual(r.Context(), actor(r), region, year)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	ok(w, http.StatusOK, rp)
}
