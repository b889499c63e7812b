package dash

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The reports' tables are built once here as a model (headers and rows of
// text and typed values) that both the printable page and the xlsx render,
// so the two always show the same numbers.

// rpTable is a report table.
type rpTable struct {
	Caption string
	Lead    []string
	Groups  []xlsx.ColumnGroup
	Rows    []rpRow
}

// rpRow is a row: leading cells, then values. Class is rp-sub (subtotal) or
// rp-total; Span merges that many leading cells (the total's label).
type rpRow struct {
	Lead  []string
	Vals  []rpVal
	Class string
	Span  int
}

// rpVal is a value cell: Text for the page, X for the workbook.
type rpVal struct {
	Text string
	X    any
}

// LeadCells are the leading cells after a spanning label.
func (r rpRow) LeadCells() []string {
	if r.Span > 1 && r.Span <= len(r.Lead) {
		return r.Lead[r.Span:]
	}
	return r.Lead[min(1, len(r.Lead)):]
}

// First is the first leading cell.
func (r rpRow) First() string {
	if len(r.Lead) == 0 {
		return ""
	}
	return r.Lead[0]
}

func (t *rpTable) sheet(name, title string, notes, footer []string) xlsx.ReportSheet {
	s := xlsx.ReportSheet{Name: name, Title: title, Notes: notes, Lead: t.Lead, Groups: t.Groups, Footer: footer}
	for _, r := range t.Rows {
		l := xlsx.ReportLine{Lead: r.Lead, Strong: r.Class != "", Span: r.Span}
		for _, v := range r.Vals {
			l.Values = append(l.Values, v.X)
		}
		s.Rows = append(s.Rows, l)
	}
	return s
}

func intVal(n int64) rpVal { return rpVal{Text: strconv.FormatInt(n, 10), X: n} }

func hoursVal(min int64) rpVal {
	return rpVal{Text: strconv.FormatFloat(float64(min)/60, 'f', 1, 64), X: xlsx.Hours(float64(min) / 60)}
}

func rateVal(f *float64) rpVal {
	if f == nil {
		return rpVal{Text: "—", X: "—"}
	}
	return rpVal{Text: strconv.FormatFloat(*f*100, 'f', 1, 64) + "%", X: xlsx.Percent(*f)}
}

// valueGroups are the value columns of a ledger table: totals, on site,
// each kind, obligations.
func valueGroups(lang string, kinds []DashKind) []xlsx.ColumnGroup {
	cnt, hrs := i18n.T(lang, "dash.col_count"), i18n.T(lang, "dash.col_hours_short")
	gs := []xlsx.ColumnGroup{
		{Name: i18n.T(lang, "dash.col_total"), Cols: []string{cnt, hrs}},
		{Name: i18n.T(lang, "dash.col_onsite"), Cols: []string{cnt, hrs}},
	}
	for _, k := range kinds {
		gs = append(gs, xlsx.ColumnGroup{Name: k.Label(lang), Cols: []string{cnt, hrs}})
	}
	return append(gs, xlsx.ColumnGroup{Name: i18n.T(lang, "dash.col_obligations"), Cols: []string{
		i18n.T(lang, "dash.col_closed"), i18n.T(lang, "dash.col_closed_met"), i18n.T(lang, "dash.col_rate"),
		i18n.T(lang, "dash.col_open"), i18n.T(lang, "dash.col_open_met")}})
}

func values(kinds []DashKind, s DashServices, byKind map[string]DashServices, c DashCompliance) []rpVal {
	v := []rpVal{intVal(s.Entries), hoursVal(s.Minutes), intVal(s.OnsiteEntries), hoursVal(s.OnsiteMinutes)}
	for _, k := range kinds {
		ks := byKind[k.Kind]
		v = append(v, intVal(ks.Entries), hoursVal(ks.Minutes))
	}
	return append(v, intVal(c.Closed), intVal(c.ClosedMet), rateVal(c.Rate), intVal(c.Open), intVal(c.OpenMet))
}

// levelLabel names a level.
func levelLabel(lang string, lv counsel.Level) string {
	return i18n.T(lang, "level."+strconv.Itoa(int(lv)))
}

// regionTable is the report's table of regions: each child with its
// subtotal, its own children under it, and the total.
func regionTable(lang string, rp *LedgerReport) *rpTable {
	t := &rpTable{Caption: i18n.T(lang, "dash.rp_regions")}
	groupLevel := rp.Region.Level + 1
	if len(rp.Groups) > 0 {
		groupLevel = rp.Groups[0].Level
	}
	t.Lead = []string{i18n.T(lang, "dash.col_no"), levelLabel(lang, groupLevel)}
	if rp.RowLevel != 0 {
		t.Lead = append(t.Lead, levelLabel(lang, rp.RowLevel))
	}
	withAdv := rp.HasAdvisors()
	if withAdv {
		t.Lead = append(t.Lead, i18n.T(lang, "dash.col_advisor"))
	}
	t.Groups = valueGroups(lang, rp.Kinds)
	nLead := len(t.Lead)
	for i, g := range rp.Groups {
		lead := []string{strconv.Itoa(i + 1), g.Name}
		if rp.RowLevel != 0 {
			lead = append(lead, "")
		}
		if withAdv {
			lead = append(lead, strings.Join(g.Advisors, "、"))
		}
		class := ""
		if len(g.Rows) > 0 {
			class = "rp-sub"
		}
		t.Rows = append(t.Rows, rpRow{Lead: lead, Vals: values(rp.Kinds, g.Services, g.ByKind, g.Compliance), Class: class})
		for _, r := range g.Rows {
			lead := []string{"", "", r.Name}
			if withAdv {
				lead = append(lead, strings.Join(r.Advisors, "、"))
			}
			t.Rows = append(t.Rows, rpRow{Lead: lead, Vals: values(rp.Kinds, r.Services, r.ByKind, r.Compliance)})
		}
	}
	total := make([]string, nLead)
	total[0] = i18n.T(lang, "dash.total")
	t.Rows = append(t.Rows, rpRow{Lead: total, Span: nLead, Class: "rp-total",
		Vals: values(rp.Kinds, rp.Total.Services, rp.Total.ByKind, rp.Total.Compliance)})
	return t
}

// advisorTable is the report's table of advisors.
func advisorTable(lang string, rp *LedgerReport) *rpTable {
	t := &rpTable{Caption: i18n.T(lang, "dash.rp_advisors"),
		Lead: []string{i18n.T(lang, "dash.col_no"), i18n.T(lang, "dash.col_advisor"), i18n.T(lang, "dash.col_provider"), i18n.T(lang, "dash.col_villages")}}
	t.Groups = append(valueGroups(lang, rp.Kinds), xlsx.ColumnGroup{Cols: []string{i18n.T(lang, "dash.col_result")}})
	for i, a := range rp.Advisors {
		var vs []string
		for _, v := range a.Villages {
			n := v.Name
			if v.Shared {
				n += "*"
			}
			vs = append(vs, n)
		}
		res := i18n.T(lang, "dash.result."+a.Result)
		if a.Result == AssessMissed {
			res = i18n.T(lang, "dash.result_missed_n", a.Compliance.Missed())
		}
		vals := append(values(rp.Kinds, a.Services, a.ByKind, a.Compliance), rpVal{Text: res, X: res})
		t.Rows = append(t.Rows, rpRow{Lead: []string{strconv.Itoa(i + 1), a.Name, a.ProviderName, strings.Join(vs, "、")}, Vals: vals})
	}
	return t
}

// spanText names a report's span: "2026年上半年（2026-01-01至2026-06-30）".
func spanText(lang string, year, half int, from, to string) string {
	return i18n.T(lang, "dash.span."+strconv.Itoa(half), year) + i18n.T(lang, "dash.span_dates", from, to)
}

// reportView is a printable ledger statistics page.
type reportView struct {
	R        *LedgerReport
	Name     string
	Heading  string
	Span     string
	Unit     string // the reporting unit
	Regions  *rpTable
	Advisors *rpTable
	Notes    []string
	Years    []int
	XLSX     string
	Back     string
}

// reportQuery is the query string of a report's links.
func reportQuery(code string, year, half int, withHalf bool) string {
	q := "year=" + strconv.Itoa(year)
	if code != "" {
		q = "region=" + code + "&" + q
	}
	if withHalf {
		q += "&half=" + strconv.Itoa(half)
	}
	return q
}

// reportNotes are the footnotes of a ledger report.
func reportNotes(lang string, rp *LedgerReport) []string {
	notes := []string{i18n.T(lang, "dash.note_counters"), i18n.T(lang, "dash.note_obligations", rp.Today)}
	if rp.HasAdvisors() {
		notes = append(notes, i18n.T(lang, "dash.note_advisors"))
		if rp.Shared {
			notes = append(notes, i18n.T(lang, "dash.note_shared"))
		}
	}
	return notes
}

func (p *pages) ledgerReport(r *http.Request) (*LedgerReport, error) {
	region, year, half, err := dashParams(r)
	if err != nil {
		return nil, err
	}
	if !r.URL.Query().Has("half") {
		half = p.currentHalf()
	}
	return p.svc.Report(r.Context(), web.ActorOf(r), region, year, half)
}

func (p *pages) reportLedgerView(r *http.Request, rp *LedgerReport) *reportView {
	lang := server.Lang(r.Context())
	name := regionName(lang, rp.Region)
	v := &reportView{R: rp, Name: name, Span: spanText(lang, rp.Year, rp.Half, rp.From, rp.To),
		Heading: i18n.T(lang, "dash.rp_ledger_title", name), Unit: p.reportUnit(r),
		Regions: regionTable(lang, rp), Notes: reportNotes(lang, rp), Years: p.yearChoices(rp.Year),
		XLSX: "/reports/ledger.xlsx?" + reportQuery(rp.Region.Code, rp.Year, rp.Half, true),
		Back: "/dashboard?" + reportQuery(rp.Region.Code, rp.Year, 0, false)}
	if rp.HasAdvisors() {
		v.Advisors = advisorTable(lang, rp)
	}
	return v
}

// reportUnit is the signed-in user's display name, the reporting unit
// written on the forms.
func (p *pages) reportUnit(r *http.Request) string {
	if u := server.User(r.Context()); u != nil {
		return u.DisplayName
	}
	return ""
}

func (p *pages) reportLedgerPage(w http.ResponseWriter, r *http.Request) {
	rp, err := p.ledgerReport(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := p.reportLedgerView(r, rp)
	view := p.h.View(r, "reports_ledger", "dash.rp_ledger", v)
	view.Title = v.Heading
	p.h.Render(w, r, http.StatusOK, "report_ledger", view)
}

func (p *pages) reportLedgerXLSX(w http.ResponseWriter, r *http.Request) {
	rp, err := p.ledgerReport(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	v := p.reportLedgerView(r, rp)
	notes := []string{i18n.T(lang, "dash.rp_span", v.Span), i18n.T(lang, "dash.rp_made", v.Unit, rp.Today)}
	sheets := []xlsx.ReportSheet{v.Regions.sheet(i18n.T(lang, "dash.sheet_regions"), v.Heading, notes, v.Notes)}
	if v.Advisors != nil {
		sheets = append(sheets, v.Advisors.sheet(i18n.T(lang, "dash.sheet_advisors"), v.Heading+" · "+v.Advisors.Caption, notes, v.Notes))
	}
	name := v.Heading + " " + v.Span + ".xlsx"
	ascii := fmt.Sprintf("ledger-report-%d-h%d.xlsx", rp.Year, rp.Half)
	p.h.SendXLSX(w, r, name, ascii, func(wr io.Writer) error { return xlsx.WriteReport(wr, sheets...) })
}
