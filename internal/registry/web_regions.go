package registry

import (
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// regionsView is the page of a region above the village level (or of the
// whole tree for the administrator) and of a region search.
type regionsView struct {
	Region   *counsel.Region // nil: the top of the tree
	Crumbs   []counsel.Region
	Q        string
	Results  []regionHit
	Searched bool
	Children []regionChild
	// Coverage numbers are shown when the actor may read coverage.
	HasCoverage bool
	Total       CoverageRow
	IsTown      bool
	CanWrite    bool // may create agreements here
}

// regionHit is a search result with the name of its parent.
type regionHit struct {
	counsel.Region
	ParentName string
}

// regionChild is a row of a region's child list.
type regionChild struct {
	counsel.Region
	Villages, Covered int
	Rate              float64
	Agreement         *counsel.Agreement // a town's village: its live agreement
	IsCovered         bool
}

// villageView is a village's page.
type villageView struct {
	Region     counsel.Region
	Crumbs     []counsel.Region
	Agreements []agreementRow
	Advisors   []counsel.Advisor
	Covered    bool
	CanFlags   bool
	CanWrite   bool
}

func (pg *pages) regionList(w http.ResponseWriter, r *http.Request) {
	home, err := pg.svc.HomeRegion(r.Context(), web.ActorOf(r))
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pg.regionPage(w, r, home)
}

func (pg *pages) regionShow(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !counsel.ValidCode(code) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeNotFound, "err.not_found"))
		return
	}
	pg.regionPage(w, r, code)
}

// regionPage shows a region: its children with coverage, or a village's own
// page; with ?q= it also searches the actor's regions by name.
func (pg *pages) regionPage(w http.ResponseWriter, r *http.Request, code string) {
	ctx, a := r.Context(), web.ActorOf(r)
	var reg *counsel.Region
	if code != "" {
		var err error
		if reg, err = pg.svc.Region(ctx, a, code); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	hx := r.Header.Get("HX-Request") == "true"
	if reg != nil && reg.Level == counsel.LevelVillage && q == "" && !hx {
		v := pg.h.View(r, "regions", "reg.village_title", nil)
		pg.villagePage(w, r, v, reg, http.StatusOK)
		return
	}
	rv := regionsView{Region: reg, Q: q}
	v := pg.h.View(r, "regions", "reg.regions_title", &rv)
	if reg != nil {
		v.Title = reg.Name
	}
	if q != "" {
		rv.Searched = true
		hits, err := pg.svc.SearchRegions(ctx, a, q, 50)
		if err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		rv.Results = pg.regionHits(ctx, a, hits)
	}
	if hx {
		// Live search: only the results (the "partial" template).
		pg.h.Render(w, r, http.StatusOK, "regions", v)
		return
	}
	if reg != nil && reg.Level == counsel.LevelVillage {
		// A village actor searching from its own page: results, no tree.
		rv.Crumbs = pg.regionCrumbs(ctx, a, reg.Code)
		pg.h.Render(w, r, http.StatusOK, "regions", v)
		return
	}
	kids, err := pg.svc.Children(ctx, a, code)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	rv.Children = make([]regionChild, len(kids))
	for i, k := range kids {
		rv.Children[i] = regionChild{Region: k}
	}
	if reg != nil {
		rv.Crumbs = pg.regionCrumbs(ctx, a, reg.Code)
		rv.IsTown = reg.Level == counsel.LevelTown
		rv.CanWrite = authz.CanWriteRegion(a, reg.Code)
		if rows, err := pg.svc.Coverage(ctx, a, reg.Code); err == nil {
			rv.HasCoverage = true
			pg.fillCoverage(&rv, rows)
			if rv.IsTown {
				pg.fillTownVillages(ctx, a, &rv)
			}
		} else if counsel.ErrorCode(err) != counsel.CodeForbidden {
			pg.h.Fail(w, r, err)
			return
		}
	}
	pg.h.Render(w, r, http.StatusOK, "regions", v)
}

// fillCoverage adds up the coverage rows (one per town) onto the children
// they lie in, and into the region's total.
func (pg *pages) fillCoverage(rv *regionsView, rows []CoverageRow) {
	idx := map[string]int{}
	for i, c := range rv.Children {
		idx[c.Code] = i
	}
	for _, row := range rows {
		rv.Total.Villages += row.Villages
		rv.Total.Covered += row.Covered
		for i := range rv.Children {
			c := &rv.Children[i]
			if c.Level < counsel.LevelVillage && counsel.Within(row.Code, c.Code) {
				c.Villages += row.Villages
				c.Covered += row.Covered
				break
			}
		}
	}
	if rv.Total.Villages > 0 {
		rv.Total.Rate = float64(rv.Total.Covered) / float64(rv.Total.Villages)
	}
	for i := range rv.Children {
		c := &rv.Children[i]
		if c.Villages > 0 {
			c.Rate = float64(c.Covered) / float64(c.Villages)
		}
	}
}

// fillTownVillages marks a town's villages covered or not and attaches each
// one's live agreement.
func (pg *pages) fillTownVillages(ctx context.Context, a *counsel.Actor, rv *regionsView) {
	unc, err := pg.svc.Uncovered(ctx, a, rv.Region.Code)
	if err != nil {
		return
	}
	open := map[string]bool{}
	for _, u := range unc {
		open[u.Code] = true
	}
	live, err := pg.svc.AgreementsWhere(ctx, a, counsel.Filter{Region: rv.Region.Code, Status: "live", Page: counsel.Page{Limit: 500}})
	if err != nil {
		return
	}
	var town *counsel.Agreement
	byVillage := map[string]*counsel.Agreement{}
	for i := range live.Items {
		g := &live.Items[i]
		if g.Packaged {
			if town == nil {
				town = g
			}
			continue
		}
		if prev := byVillage[g.RegionCode]; prev == nil || regStatusRank(g.Status) < regStatusRank(prev.Status) {
			byVillage[g.RegionCode] = g
		}
	}
	for i := range rv.Children {
		c := &rv.Children[i]
		c.IsCovered = !open[c.Code]
		c.Agreement = byVillage[c.Code]
		if c.Agreement == nil {
			c.Agreement = town
		}
	}
}

// regStatusRank orders live statuses, the most advanced first.
func regStatusRank(s string) int {
	switch s {
	case counsel.AgreementFiled:
		return 0
	case counsel.AgreementSigned:
		return 1
	}
	return 2
}

// regionHits adds the parent's name to search results.
func (pg *pages) regionHits(ctx context.Context, a *counsel.Actor, rs []counsel.Region) []regionHit {
	names := map[string]string{}
	out := make([]regionHit, len(rs))
	for i, reg := range rs {
		out[i].Region = reg
		if reg.ParentCode == "" {
			continue
		}
		n, ok := names[reg.ParentCode]
		if !ok {
			if p, err := pg.svc.Region(ctx, a, reg.ParentCode); err == nil {
				n = p.Name
			}
			names[reg.ParentCode] = n
		}
		out[i].ParentName = n
	}
	return out
}

// regionCrumbs returns the ancestors of code the actor may see, from the top.
func (pg *pages) regionCrumbs(ctx context.Context, a *counsel.Actor, code string) []counsel.Region {
	var out []counsel.Region
	seen := map[string]bool{code: true}
	for lv := counsel.LevelProvince; lv < counsel.LevelOf(code); lv++ {
		anc := counsel.AncestorAt(code, lv)
		if seen[anc] || counsel.LevelOf(anc) != lv {
			continue
		}
		seen[anc] = true
		if reg, err := pg.svc.Region(ctx, a, anc); err == nil {
			out = append(out, *reg)
		}
	}
	return out
}

// villagePage renders a village's page with status (a failed flags form
// keeps v's input and errors).
func (pg *pages) villagePage(w http.ResponseWriter, r *http.Request, v *web.View, reg *counsel.Region, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	vv := &villageView{Region: *reg, Crumbs: pg.regionCrumbs(ctx, a, reg.Code),
		CanFlags: authz.CanManageRegistry(a) && (a.Role == counsel.RoleAdmin || counsel.Within(reg.Code, a.RegionCode)),
		CanWrite: authz.CanWriteRegion(a, reg.Code)}
	v.Data = vv
	v.Title = reg.Name
	if v.Form == nil {
		v.Form = map[string][]string{"underdeveloped": {reg.Underdeveloped}}
		if reg.Remote {
			v.Form.Set("remote", "1")
		}
	}
	today := pg.svc.Today()
	var live []counsel.Agreement
	own, err := pg.svc.AgreementsWhere(ctx, a, counsel.Filter{Region: reg.Code, Status: "live", Page: counsel.Page{Limit: 100}})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	live = append(live, own.Items...)
	if town := reg.ParentCode; town != "" {
		if tl, err := pg.svc.AgreementsWhere(ctx, a, counsel.Filter{Region: town, Status: "live", Page: counsel.Page{Limit: 100}}); err == nil {
			for _, g := range tl.Items {
				if g.Packaged && g.RegionCode == town {
					live = append(live, g)
				}
			}
		}
	}
	seen := map[int64]bool{}
	for _, g := range live {
		vv.Agreements = append(vv.Agreements, agreementRow{Agreement: g, IsLate: g.Late(today)})
		if g.Status == counsel.AgreementFiled && g.StartDate <= today && g.EndDate >= today {
			vv.Covered = true
		}
		if seen[g.AdvisorID] {
			continue
		}
		seen[g.AdvisorID] = true
		if adv, err := pg.svc.Advisor(ctx, a, g.AdvisorID); err == nil {
			vv.Advisors = append(vv.Advisors, *adv)
		}
	}
	pg.h.Render(w, r, status, "village", v)
}

func (pg *pages) regionFlags(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	code := r.PathValue("code")
	reg, err := pg.svc.Region(ctx, a, code)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "regions", "reg.village_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.villagePage(w, r, v, reg, pg.h.FormFail(r, v, err))
		return
	}
	err = pg.svc.SetVillageFlags(ctx, a, code, r.PostFormValue("underdeveloped"), r.PostFormValue("remote") == "1")
	if err != nil {
		pg.villagePage(w, r, v, reg, pg.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/regions/"+code, "saved")
}

// coverageView is the coverage page of a region.
type coverageView struct {
	Region    *counsel.Region
	Crumbs    []counsel.Region
	Rows      []CoverageRow
	Total     CoverageRow
	Uncovered []regionHit
	Query     string
}

// coverageData gathers coverage by town and the uncovered villages of the
// region asked for (?region=, default the actor's home).
func (pg *pages) coverageData(r *http.Request) (*coverageView, error) {
	ctx, a := r.Context(), web.ActorOf(r)
	code := strings.TrimSpace(r.URL.Query().Get("region"))
	cv := &coverageView{Query: code}
	rows, err := pg.svc.Coverage(ctx, a, code)
	if err != nil {
		return nil, err
	}
	unc, err := pg.svc.Uncovered(ctx, a, code)
	if err != nil {
		return nil, err
	}
	if code == "" {
		code, _ = pg.svc.HomeRegion(ctx, a)
	}
	if code != "" {
		if cv.Region, err = pg.svc.Region(ctx, a, code); err != nil {
			return nil, err
		}
		cv.Crumbs = pg.regionCrumbs(ctx, a, code)
	}
	cv.Rows = rows
	names := map[string]string{}
	for _, row := range rows {
		cv.Total.Villages += row.Villages
		cv.Total.Covered += row.Covered
		names[row.Code] = row.Name
	}
	if cv.Total.Villages > 0 {
		cv.Total.Rate = float64(cv.Total.Covered) / float64(cv.Total.Villages)
	}
	for _, u := range unc {
		cv.Uncovered = append(cv.Uncovered, regionHit{Region: u, ParentName: names[u.ParentCode]})
	}
	return cv, nil
}

func (pg *pages) coverage(w http.ResponseWriter, r *http.Request) {
	cv, err := pg.coverageData(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "coverage", "reg.coverage_title", cv)
	pg.h.Render(w, r, http.StatusOK, "coverage", v)
}

func (pg *pages) coverageXLSX(w http.ResponseWriter, r *http.Request) {
	cv, err := pg.coverageData(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	missing := map[string][]string{}
	for _, u := range cv.Uncovered {
		missing[u.ParentCode] = append(missing[u.ParentCode], u.Name)
	}
	pct := func(f float64) string { return strconv.FormatFloat(f*100, 'f', 1, 64) + "%" }
	rows := make([][]any, 0, len(cv.Rows)+1)
	for _, row := range cv.Rows {
		rows = append(rows, []any{row.Name, row.Villages, row.Covered, pct(row.Rate), strings.Join(missing[row.Code], "、")})
	}
	rows = append(rows, []any{i18n.T(lang, "reg.total"), cv.Total.Villages, cv.Total.Covered, pct(cv.Total.Rate), nil})
	headers := []string{i18n.T(lang, "col.town"), i18n.T(lang, "col.villages"), i18n.T(lang, "col.covered"), i18n.T(lang, "col.rate"), i18n.T(lang, "reg.col_uncovered")}
	title := i18n.T(lang, "reg.coverage_title")
	if cv.Region != nil {
		title = cv.Region.Name + " " + title
	}
	name := i18n.T(lang, "reg.coverage_title") + ".xlsx"
	pg.h.SendXLSX(w, r, name, "coverage.xlsx", func(wr io.Writer) error {
		return xlsx.WriteTable(wr, i18n.T(lang, "reg.coverage_title"), title, headers, rows)
	})
}
