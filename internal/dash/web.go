package dash

import (
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the dash area's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
}

// routes are the pages of the dash area: the dashboard (R24) and the
// reports (R26, R27) as printable pages and xlsx.
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/dashboard", Name: "dashboard", Handler: p.dashPage},
		{Method: "GET", Pattern: "/reports/ledger", Name: "report_ledger", Handler: p.reportLedgerPage},
		{Method: "GET", Pattern: "/reports/ledger.xlsx", Name: "report_ledger_xlsx", Handler: p.reportLedgerXLSX},
		{Method: "GET", Pattern: "/reports/annual", Name: "report_annual", Handler: p.reportAnnualPage},
		{Method: "GET", Pattern: "/reports/annual.xlsx", Name: "report_annual_xlsx", Handler: p.reportAnnualXLSX},
	}
}

// dashView is the dashboard page.
type dashView struct {
	D          *Dashboard
	Name       string // the region's name ("全国" for the whole country)
	Years      []int
	Chart      dashChart // the charts' data for dash.js
	HasComp    bool      // some obligation in the year
	HasKids    bool
	KidLevel   string // the children's level name
	EntriesURL string
	Half       int // the half-year the report link opens
}

// dashChart is what dash.js draws, labels translated.
type dashChart struct {
	Text             map[string]string `json:"text"`
	Kinds            []string          `json:"kinds"`
	KindEntries      []int64           `json:"kind_entries"`
	KindHours        []float64         `json:"kind_hours"`
	Months           []string          `json:"months"`
	MonthEntries     []*float64        `json:"month_entries"` // null for months still to come
	MonthHours       []*float64        `json:"month_hours"`
	MonthOnsiteHours []*float64        `json:"month_onsite_hours"`
	Children         []string          `json:"children"`
	ChildRate        []*float64        `json:"child_rate"`     // percent, null before any period ended
	ChildProgress    []*float64        `json:"child_progress"` // percent, null when none runs
}

func hours1(min int64) float64 { return math.Round(float64(min)/6) / 10 }

func pct1(f *float64) *float64 {
	if f == nil {
		return nil
	}
	v := math.Round(*f*1000) / 10
	return &v
}

// monthLabel names month m (1–12) in lang.
func monthLabel(lang string, m int) string {
	if lang == "en" {
		return time.Month(m).String()[:3]
	}
	return strconv.Itoa(m) + "月"
}

// regionName is a dashboard region's name, the whole country for "".
func regionName(lang string, r DashRegion) string {
	if r.Code == "" {
		return i18n.T(lang, "dash.country")
	}
	return r.Name
}

// yearChoices lists this year and the five before (and y if elsewhere).
func (p *pages) yearChoices(y int) []int {
	now, _ := strconv.Atoi(p.svc.Today()[:4])
	var out []int
	for i := now; i >= now-5; i-- {
		out = append(out, i)
	}
	if y > now || y < now-5 {
		out = append(out, y)
	}
	return out
}

// currentHalf is the half-year of today (1 or 2).
func (p *pages) currentHalf() int {
	if p.svc.Today()[5:7] <= "06" {
		return 1
	}
	return 2
}

func (p *pages) dashPage(w http.ResponseWriter, r *http.Request) {
	region, year, _, err := dashParams(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d, err := p.svc.Dashboard(r.Context(), web.ActorOf(r), region, year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	v := dashView{D: d, Name: regionName(lang, d.Region), Years: p.yearChoices(d.Year), HasKids: len(d.Children) > 0,
		HasComp: d.Compliance.Obligations > 0, Half: p.currentHalf()}
	if v.HasKids {
		v.KidLevel = i18n.T(lang, "level."+strconv.Itoa(int(d.ChildLevel)))
	}
	if d.Region.Code != "" {
		key := "region"
		if d.Region.Level == counsel.LevelVillage {
			key = "village"
		}
		v.EntriesURL = "/ledger/entries?" + key + "=" + d.Region.Code + "&from=" + d.From + "&to=" + d.To
	}
	c := dashChart{Text: map[string]string{
		"entries": i18n.T(lang, "dash.col_entries"), "hours": i18n.T(lang, "dash.col_hours"),
		"onsite_hours": i18n.T(lang, "dash.col_onsite_hours"), "rate": i18n.T(lang, "dash.col_rate"),
		"progress": i18n.T(lang, "dash.col_progress"), "percent": "%",
	}}
	for _, k := range d.ByKind {
		c.Kinds = append(c.Kinds, k.Label(lang))
		c.KindEntries = append(c.KindEntries, k.Entries)
		c.KindHours = append(c.KindHours, hours1(k.Minutes))
	}
	thisMonth := d.Today[:7]
	for i, m := range d.ByMonth {
		c.Months = append(c.Months, monthLabel(lang, i+1))
		if m.Month > thisMonth {
			c.MonthEntries = append(c.MonthEntries, nil)
			c.MonthHours = append(c.MonthHours, nil)
			c.MonthOnsiteHours = append(c.MonthOnsiteHours, nil)
			continue
		}
		n, hrs, on := float64(m.Entries), hours1(m.Minutes), hours1(m.OnsiteMinutes)
		c.MonthEntries = append(c.MonthEntries, &n)
		c.MonthHours = append(c.MonthHours, &hrs)
		c.MonthOnsiteHours = append(c.MonthOnsiteHours, &on)
	}
	for _, k := range d.Children {
		c.Children = append(c.Children, k.Name)
		c.ChildRate = append(c.ChildRate, pct1(k.Compliance.Rate))
		c.ChildProgress = append(c.ChildProgress, pct1(k.Compliance.Progress))
	}
	v.Chart = c
	view := p.h.View(r, "dashboard", "dash.title", v)
	view.Title = v.Name + " · " + view.Title
	p.h.Render(w, r, http.StatusOK, "dash", view)
}
