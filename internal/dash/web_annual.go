package dash

import (
	"fmt"
	"io"
	"net/http"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The yearly report (R27) as a printable page and xlsx, built from the same
// tables as the ledger statistics (web_report.go).

// annualView is the printable yearly report.
type annualView struct {
	A        *AnnualReport
	D        *Dashboard
	R        *LedgerReport
	Name     string
	Heading  string
	Unit     string
	Kinds    *rpTable
	Months   *rpTable
	Regions  *rpTable
	Advisors *rpTable
	Notes    []string
	Years    []int
	XLSX     string
	Back     string
	// Results counts the advisors by result.
	Met, Missed, Pending int
}

// serviceGroups are the columns of the by-kind and by-month tables.
func serviceGroups(lang string) []xlsx.ColumnGroup {
	cnt, hrs := i18n.T(lang, "dash.col_count"), i18n.T(lang, "dash.col_hours_short")
	return []xlsx.ColumnGroup{
		{Name: i18n.T(lang, "dash.col_total"), Cols: []string{cnt, hrs}},
		{Name: i18n.T(lang, "dash.col_onsite"), Cols: []string{cnt, hrs}},
	}
}

func serviceVals(s DashServices) []rpVal {
	return []rpVal{intVal(s.Entries), hoursVal(s.Minutes), intVal(s.OnsiteEntries), hoursVal(s.OnsiteMinutes)}
}

func (p *pages) annualView(r *http.Request) (*annualView, error) {
	region, year, _, err := dashParams(r)
	if err != nil {
		return nil, err
	}
	a, err := p.svc.Annual(r.Context(), web.ActorOf(r), region, year)
	if err != nil {
		return nil, err
	}
	lang := server.Lang(r.Context())
	d, rp := a.Dashboard, a.Ledger
	name := regionName(lang, d.Region)
	v := &annualView{A: a, D: d, R: rp, Name: name, Heading: i18n.T(lang, "dash.rp_annual_title", name, d.Year), Unit: p.reportUnit(r),
		Regions: regionTable(lang, rp), Notes: reportNotes(lang, rp), Years: p.yearChoices(d.Year),
		XLSX: "/reports/annual.xlsx?" + reportQuery(d.Region.Code, d.Year, 0, false),
		Back: "/dashboard?" + reportQuery(d.Region.Code, d.Year, 0, false)}
	v.Kinds = &rpTable{Caption: i18n.T(lang, "dash.chart_kind"), Lead: []string{i18n.T(lang, "dash.col_kind")}, Groups: serviceGroups(lang)}
	for _, k := range d.ByKind {
		v.Kinds.Rows = append(v.Kinds.Rows, rpRow{Lead: []string{k.Label(lang)}, Vals: serviceVals(k.DashServices)})
	}
	v.Kinds.Rows = append(v.Kinds.Rows, rpRow{Lead: []string{i18n.T(lang, "dash.total")}, Vals: serviceVals(d.Services), Class: "rp-total"})
	v.Months = &rpTable{Caption: i18n.T(lang, "dash.chart_month"), Lead: []string{i18n.T(lang, "dash.col_month")}, Groups: serviceGroups(lang)}
	for i, m := range d.ByMonth {
		v.Months.Rows = append(v.Months.Rows, rpRow{Lead: []string{monthLabel(lang, i+1)}, Vals: serviceVals(m.DashServices)})
	}
	v.Months.Rows = append(v.Months.Rows, rpRow{Lead: []string{i18n.T(lang, "dash.total")}, Vals: serviceVals(d.Services), Class: "rp-total"})
	if rp.HasAdvisors() {
		v.Advisors = advisorTable(lang, rp)
		for _, ad := range rp.Advisors {
			switch ad.Result {
			case AssessMet:
				v.Met++
			case AssessMissed:
				v.Missed++
			default:
				v.Pending++
			}
		}
	}
	return v, nil
}

func (p *pages) reportAnnualPage(w http.ResponseWriter, r *http.Request) {
	v, err := p.annualView(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	view := p.h.View(r, "reports_annual", "dash.rp_annual", v)
	view.Title = v.Heading
	p.h.Render(w, r, http.StatusOK, "report_annual", view)
}

func (p *pages) reportAnnualXLSX(w http.ResponseWriter, r *http.Request) {
	v, err := p.annualView(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	d := v.D
	notes := []string{i18n.T(lang, "dash.rp_made", v.Unit, d.Today)}
	sum := &rpTable{Lead: []string{i18n.T(lang, "dash.col_item")}, Groups: []xlsx.ColumnGroup{{Cols: []string{i18n.T(lang, "dash.col_value")}}}}
	add := func(key string, val rpVal) {
		sum.Rows = append(sum.Rows, rpRow{Lead: []string{i18n.T(lang, key)}, Vals: []rpVal{val}})
	}
	add("dash.tile_villages", intVal(int64(d.Coverage.Villages)))
	add("dash.sum_covered", intVal(int64(d.Coverage.Covered)))
	add("dash.tile_coverage", rateVal(d.Coverage.Rate))
	add("dash.tile_entries", intVal(d.Services.Entries))
	add("dash.sum_hours", hoursVal(d.Services.Minutes))
	add("dash.sum_onsite_entries", intVal(d.Services.OnsiteEntries))
	add("dash.tile_onsite", hoursVal(d.Services.OnsiteMinutes))
	add("dash.col_closed", intVal(d.Compliance.Closed))
	add("dash.col_closed_met", intVal(d.Compliance.ClosedMet))
	add("dash.tile_rate", rateVal(d.Compliance.Rate))
	add("dash.col_open", intVal(d.Compliance.Open))
	add("dash.col_open_met", intVal(d.Compliance.OpenMet))
	if v.Advisors != nil {
		add("dash.sum_advisors", intVal(int64(len(v.R.Advisors))))
		add("dash.result.met", intVal(int64(v.Met)))
		add("dash.result.missed", intVal(int64(v.Missed)))
		add("dash.result.pending", intVal(int64(v.Pending)))
	}
	sheets := []xlsx.ReportSheet{
		sum.sheet(i18n.T(lang, "dash.sheet_summary"), v.Heading, notes, []string{i18n.T(lang, "dash.coverage_hint", d.Today)}),
		v.Kinds.sheet(i18n.T(lang, "dash.sheet_kinds"), v.Heading+" · "+v.Kinds.Caption, notes, nil),
		v.Months.sheet(i18n.T(lang, "dash.sheet_months"), v.Heading+" · "+v.Months.Caption, notes, nil),
		v.Regions.sheet(i18n.T(lang, "dash.sheet_regions"), v.Heading+" · "+v.Regions.Caption, notes, v.Notes),
	}
	if v.Advisors != nil {
		sheets = append(sheets, v.Advisors.sheet(i18n.T(lang, "dash.sheet_advisors"), v.Heading+" · "+v.Advisors.Caption, notes, v.Notes))
	}
	ascii := fmt.Sprintf("annual-report-%d.xlsx", d.Year)
	p.h.SendXLSX(w, r, v.Heading+".xlsx", ascii, func(wr io.Writer) error { return xlsx.WriteReport(wr, sheets...) })
}
