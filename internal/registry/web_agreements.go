package registry

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// agreementRow is an agreement with whether its filing is late on today.
type agreementRow struct {
	counsel.Agreement
	IsLate bool
}

func agreementRows(gs []counsel.Agreement, today string) []agreementRow {
	out := make([]agreementRow, len(gs))
	for i := range gs {
		out[i] = agreementRow{Agreement: gs[i], IsLate: gs[i].Late(today)}
	}
	return out
}

// agreementStatusFilters are the status choices of the agreements list.
var agreementStatusFilters = append([]string{"live", "late"}, counsel.AgreementStatuses...)

// agreementListView is the agreements list.
type agreementListView struct {
	Items      []agreementRow
	Pager      web.Pager
	Q, Status  string
	Region     string
	Regions    []counsel.Region // region filter choices
	Statuses   []string
	ProviderID int64
	AdvisorID  int64
	CanCreate  bool
}

// agreementFilter reads the list filters of the agreements page.
func (pg *pages) agreementFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Today: pg.svc.Today(), Page: web.PageOf(r)}
	if s := q.Get("status"); regOneOf(s, agreementStatusFilters) {
		f.Status = s
	}
	if c := q.Get("region"); counsel.ValidCode(c) {
		f.Region = c
	}
	f.ProviderID, _ = strconv.ParseInt(q.Get("provider"), 10, 64)
	f.AdvisorID, _ = strconv.ParseInt(q.Get("advisor"), 10, 64)
	return f
}

func (pg *pages) agreementList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	f := pg.agreementFilter(r)
	l, err := pg.svc.AgreementsWhere(ctx, a, f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	av := &agreementListView{Items: agreementRows(l.Items, f.Today), Pager: regPager(r, l), Q: f.Q, Status: f.Status, Region: f.Region,
		Statuses: agreementStatusFilters, ProviderID: f.ProviderID, AdvisorID: f.AdvisorID, CanCreate: authz.CanAddAgreements(a)}
	if kids, err := pg.svc.Children(ctx, a, ""); err == nil && a.Role != counsel.RoleAdmin {
		av.Regions = kids
	}
	pg.h.Render(w, r, http.StatusOK, "agreements", pg.h.View(r, "agreements", "reg.agreements_title", av))
}

func (pg *pages) agreementXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	lang := server.Lang(r.Context())
	f := pg.agreementFilter(r)
	items, err := regAll(func(p counsel.Page) (List[counsel.Agreement], error) {
		f.Page = p
		return pg.svc.AgreementsWhere(r.Context(), a, f)
	})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	headers := []string{}
	for _, k := range []string{"col.town", "col.village", "reg.col_provider", "reg.col_advisor", "reg.start_date", "reg.end_date",
		"reg.subsidy_yuan", "reg.col_status", "reg.signed_on", "reg.filed_on", "reg.deadline", "reg.late"} {
		headers = append(headers, i18n.T(lang, k))
	}
	yes, no := i18n.T(lang, "reg.yes"), i18n.T(lang, "reg.no")
	rows := make([][]any, len(items))
	for i, g := range items {
		town, village := g.TownName, g.RegionName
		if g.Packaged {
			town, village = g.RegionName, i18n.T(lang, "reg.packaged_all")
		}
		late := no
		if g.Late(f.Today) {
			late = yes
		}
		rows[i] = []any{town, village, g.ProviderName, g.AdvisorName, g.StartDate, g.EndDate, float64(g.SubsidyFen) / 100,
			i18n.T(lang, "reg.status."+g.Status), g.SignedOn, g.FiledOn, g.Deadline, late}
	}
	title := i18n.T(lang, "reg.agreements_title")
	pg.h.SendXLSX(w, r, i18n.T(lang, "reg.agreements_file")+".xlsx", "agreements.xlsx", func(wr io.Writer) error {
		return xlsx.WriteTable(wr, title, title, headers, rows)
	})
}

// agreementView is an agreement's page.
type agreementView struct {
	G        agreementRow
	Next     []string // the moves the actor may make (filing only for those who file)
	CanWrite bool
	// ForFiling: the agreement waits for the county bureau's filing, which
	// this actor (a judicial office) cannot do.
	ForFiling bool
	Today     string
}

func (pg *pages) agreementShow(w http.ResponseWriter, r *http.Request) {
	g, ok := web.LoadByID(pg.h, w, r, pg.svc.Agreement)
	if !ok {
		return
	}
	pg.agreementPage(w, r, pg.h.View(r, "agreements", "reg.agreement_title", nil), g, http.StatusOK)
}

func (pg *pages) agreementPage(w http.ResponseWriter, r *http.Request, v *web.View, g *counsel.Agreement, status int) {
	today := pg.svc.Today()
	a := web.ActorOf(r)
	gv := &agreementView{G: agreementRow{Agreement: *g, IsLate: g.Late(today)},
		CanWrite: authz.CanWriteRegion(a, g.RegionCode), Today: today}
	for _, st := range counsel.NextStatuses(g.Status) {
		if st == counsel.AgreementFiled && !authz.CanFileAgreement(a, g.RegionCode) {
			gv.ForFiling = true
			continue
		}
		gv.Next = append(gv.Next, st)
	}
	if v.Form == nil {
		v.Form = url.Values{"day": {today}}
	}
	v.Data = gv
	pg.h.Render(w, r, status, "agreement", v)
}

func (pg *pages) agreementStatus(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	g, ok := web.LoadByID(pg.h, w, r, pg.svc.Agreement)
	if !ok {
		return
	}
	v := pg.h.View(r, "agreements", "reg.agreement_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.agreementPage(w, r, v, g, pg.h.FormFail(r, v, err))
		return
	}
	if _, err := pg.svc.MoveAgreement(ctx, a, g.ID, r.PostFormValue("status"), strings.TrimSpace(r.PostFormValue("day"))); err != nil {
		pg.agreementPage(w, r, v, g, pg.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/agreements/"+strconv.FormatInt(g.ID, 10), "saved")
}

// agreementFormView is the agreement form.
type agreementFormView struct {
	G         *counsel.Agreement // nil for a new one
	Towns     []TownGroup        // village choices; empty: a code field
	Providers []counsel.Provider
	Advisors  []counsel.Advisor
	LoadLimit int
}

func (pg *pages) agreementNew(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	if !authz.CanAddAgreements(a) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "agreements", "reg.agreement_new", nil)
	region := r.URL.Query().Get("region")
	if !counsel.ValidCode(region) {
		region = ""
	}
	set, err := pg.svc.Settings(ctx, a, region)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	today := pg.svc.Today()
	v.Form = url.Values{"start_date": {today}, "end_date": {today[:4] + "-12-31"}, "subsidy": {counsel.FormatYuan(set.DefaultSubsidyFn)}}
	switch counsel.LevelOf(region) {
	case counsel.LevelVillage:
		v.Form.Set("region_code", region)
		v.Form.Set("town_code", counsel.ParentOf(region))
	case counsel.LevelTown:
		v.Form.Set("town_code", region)
	}
	if p := r.URL.Query().Get("provider"); p != "" {
		v.Form.Set("provider_id", p)
	}
	if adv := r.URL.Query().Get("advisor"); adv != "" {
		v.Form.Set("advisor_id", adv)
	}
	pg.agreementFormPage(w, r, v, nil, region, http.StatusOK)
}

func (pg *pages) agreementEdit(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	g, ok := web.LoadByID(pg.h, w, r, pg.svc.Agreement)
	if !ok {
		return
	}
	if !authz.CanWriteRegion(a, g.RegionCode) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "agreements", "reg.agreement_edit", nil)
	v.Form = url.Values{"provider_id": {strconv.FormatInt(g.ProviderID, 10)}, "advisor_id": {strconv.FormatInt(g.AdvisorID, 10)},
		"start_date": {g.StartDate}, "end_date": {g.EndDate}, "subsidy": {counsel.FormatYuan(g.SubsidyFen)}, "note": {g.Note}}
	if g.Packaged {
		v.Form.Set("packaged", "1")
		v.Form.Set("town_code", g.RegionCode)
	} else {
		v.Form.Set("region_code", g.RegionCode)
		v.Form.Set("town_code", counsel.ParentOf(g.RegionCode))
	}
	pg.agreementFormPage(w, r, v, g, g.RegionCode, http.StatusOK)
}

// agreementFormPage renders the agreement form; region is the village or
// town the form is about, if known, which picks the county whose villages,
// providers and load limit the form offers.
func (pg *pages) agreementFormPage(w http.ResponseWriter, r *http.Request, v *web.View, g *counsel.Agreement, region string, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	fv := &agreementFormView{G: g}
	scope := ""
	switch {
	case a.Role == counsel.RoleJudicial:
		scope = a.RegionCode
	case authz.CountyBureau(a):
		scope = a.RegionCode
	case a.Role == counsel.RoleAdmin && region != "":
		scope = counsel.AncestorAt(region, counsel.LevelCounty)
	}
	if scope != "" {
		fv.Towns = pg.svc.VillageGroups(ctx, a, scope)
	}
	if ps, err := pg.svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
		fv.Providers = ps.Items
	}
	if as, err := pg.svc.Advisors(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
		for _, adv := range as.Items {
			if adv.Active || v.Val("advisor_id") == strconv.FormatInt(adv.ID, 10) {
				fv.Advisors = append(fv.Advisors, adv)
			}
		}
	}
	if set, err := pg.svc.Settings(ctx, a, region); err == nil {
		fv.LoadLimit = set.LoadLimit
	}
	v.Data = fv
	pg.h.Render(w, r, status, "agreement_form", v)
}

// agreementSave creates (POST /agreements) or updates (POST /agreements/{id})
// an agreement.
func (pg *pages) agreementSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	g := &counsel.Agreement{}
	var old *counsel.Agreement
	title := "reg.agreement_new"
	if r.PathValue("id") != "" {
		id, err := web.PathID(r)
		if err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		if old, err = pg.svc.Agreement(ctx, a, id); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		*g = *old
		title = "reg.agreement_edit"
	}
	v := pg.h.View(r, "agreements", title, nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.agreementFormPage(w, r, v, old, "", pg.h.FormFail(r, v, err))
		return
	}
	g.Packaged = r.PostFormValue("packaged") == "1"
	if g.Packaged {
		g.RegionCode = strings.TrimSpace(r.PostFormValue("town_code"))
	} else {
		g.RegionCode = strings.TrimSpace(r.PostFormValue("region_code"))
	}
	g.ProviderID = web.FormID(r, "provider_id")
	g.AdvisorID = web.FormID(r, "advisor_id")
	if g.ProviderID == 0 && g.AdvisorID > 0 {
		// No provider chosen: the advisor's own.
		if adv, err := pg.svc.Advisor(ctx, a, g.AdvisorID); err == nil {
			g.ProviderID = adv.ProviderID
		}
	}
	g.StartDate = r.PostFormValue("start_date")
	g.EndDate = r.PostFormValue("end_date")
	g.Note = r.PostFormValue("note")
	fen, ok := counsel.ParseYuan(r.PostFormValue("subsidy"))
	if !ok {
		fen = -1 // Validate reports the amount next to the field
	}
	g.SubsidyFen = fen
	if err := pg.svc.SaveAgreement(ctx, a, g); err != nil {
		status := pg.h.FormFail(r, v, err)
		if m, ok := v.Errors["region_code"]; ok && g.Packaged {
			v.Errors["town_code"] = m
		}
		pg.agreementFormPage(w, r, v, old, g.RegionCode, status)
		return
	}
	ok = old == nil
	flash := "saved"
	if ok {
		flash = "created"
	}
	web.Redirect(w, r, "/agreements/"+strconv.FormatInt(g.ID, 10), flash)
}
