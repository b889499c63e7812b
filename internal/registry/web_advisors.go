package registry

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/web"
)

// advisorListView is the advisors list.
type advisorListView struct {
	Items      []counsel.Advisor
	Pager      web.Pager
	Q, Kind    string
	ProviderID int64
	Providers  []counsel.Provider
	Kinds      []string
	CanCreate  bool
	CanImport  bool
}

// advisorFilter reads the list filters of the advisors page.
func advisorFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: web.PageOf(r)}
	if k := q.Get("kind"); regOneOf(k, counsel.AdvisorKinds) {
		f.Kind = k
	}
	f.ProviderID, _ = strconv.ParseInt(q.Get("provider"), 10, 64)
	return f
}

// regCanAddAdvisors reports whether the actor may create advisors.
func regCanAddAdvisors(a *counsel.Actor) bool {
	return authz.CanManageRegistry(a) || a.Role == counsel.RoleProvider
}

func (pg *pages) advisorList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	f := advisorFilter(r)
	l, err := pg.svc.AdvisorsWhere(ctx, a, f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	av := &advisorListView{Items: l.Items, Pager: regPager(r, l), Q: f.Q, Kind: f.Kind, ProviderID: f.ProviderID,
		Kinds: counsel.AdvisorKinds, CanCreate: regCanAddAdvisors(a), CanImport: authz.CanManageRegistry(a)}
	if ps, err := pg.svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
		av.Providers = ps.Items
	}
	pg.h.Render(w, r, http.StatusOK, "advisors", pg.h.View(r, "advisors", "reg.advisors_title", av))
}

func (pg *pages) advisorXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := advisorFilter(r)
	items, err := regAll(func(p counsel.Page) (List[counsel.Advisor], error) {
		f.Page = p
		return pg.svc.AdvisorsWhere(r.Context(), a, f)
	})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	rows := make([]xlsx.AdvisorRow, len(items))
	for i, adv := range items {
		rows[i] = xlsx.AdvisorRow{Advisor: adv}
	}
	pg.h.SendXLSX(w, r, "村(居)法律顾问名册.xlsx", "advisors.xlsx", func(wr io.Writer) error { return xlsx.WriteAdvisors(wr, rows) })
}

// advisorView is an advisor's page.
type advisorView struct {
	A          *counsel.Advisor
	Home       *counsel.Region
	Agreements []agreementRow
	Villages   []agreementRow // live agreements: the villages served
	CanEdit    bool
}

func (pg *pages) advisorShow(w http.ResponseWriter, r *http.Request) {
	adv, ok := web.LoadByID(pg.h, w, r, pg.svc.Advisor)
	if !ok {
		return
	}
	pg.advisorPage(w, r, pg.h.View(r, "advisors", "reg.advisor_title", nil), adv, http.StatusOK)
}

// advisorPage renders an advisor's page with status (a failed photo upload
// shows its error there).
func (pg *pages) advisorPage(w http.ResponseWriter, r *http.Request, v *web.View, adv *counsel.Advisor, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	av := &advisorView{A: adv, CanEdit: authz.CanEditAdvisor(a, adv)}
	if adv.HomeCode != "" {
		av.Home, _ = pg.svc.Region(ctx, a, adv.HomeCode)
	}
	gs, err := pg.svc.AgreementsWhere(ctx, a, counsel.Filter{AdvisorID: adv.ID, Page: counsel.Page{Limit: 200}})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	av.Agreements = agreementRows(gs.Items, pg.svc.Today())
	for _, g := range av.Agreements {
		if counsel.Live(g.Status) {
			av.Villages = append(av.Villages, g)
		}
	}
	v.Data = av
	v.Title = adv.Name
	pg.h.Render(w, r, status, "advisor", v)
}

// advisorFormView is the advisor form.
type advisorFormView struct {
	A         *counsel.Advisor // nil for a new one
	Providers []counsel.Provider
	Kinds     []string
	Towns     []TownGroup // home village choices, empty: a code field
	SelfOnly  bool        // an advisor edits its own contact details
}

func (pg *pages) advisorNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if !regCanAddAdvisors(a) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "advisors", "reg.advisor_new", nil)
	v.Form = url.Values{"kind": {counsel.AdvisorLawyer}, "active": {"1"}, "provider_id": {r.URL.Query().Get("provider")}}
	pg.advisorFormPage(w, r, v, nil, http.StatusOK)
}

func (pg *pages) advisorEdit(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	adv, ok := web.LoadByID(pg.h, w, r, pg.svc.Advisor)
	if !ok {
		return
	}
	if !authz.CanEditAdvisor(a, adv) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "advisors", "reg.advisor_edit", nil)
	v.Form = url.Values{"provider_id": {strconv.FormatInt(adv.ProviderID, 10)}, "kind": {adv.Kind}, "name": {adv.Name},
		"gender": {adv.Gender}, "licence_no": {adv.LicenceNo}, "phone": {adv.Phone}, "wechat": {adv.WeChat}, "home_code": {adv.HomeCode}}
	if adv.Active {
		v.Form.Set("active", "1")
	}
	pg.advisorFormPage(w, r, v, adv, http.StatusOK)
}

func (pg *pages) advisorFormPage(w http.ResponseWriter, r *http.Request, v *web.View, adv *counsel.Advisor, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	fv := &advisorFormView{A: adv, Kinds: counsel.AdvisorKinds, SelfOnly: a.Role == counsel.RoleAdvisor}
	if !fv.SelfOnly {
		if ps, err := pg.svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
			fv.Providers = ps.Items
		}
	}
	county := ""
	if adv != nil {
		county = adv.CountyCode
	} else if home, err := pg.svc.HomeRegion(ctx, a); err == nil {
		county = counsel.AncestorAt(home, counsel.LevelCounty)
	}
	if county != "" && a.Role != counsel.RoleJudicial && a.Role != counsel.RoleVillage {
		fv.Towns = pg.svc.VillageGroups(ctx, a, county)
	}
	v.Data = fv
	pg.h.Render(w, r, status, "advisor_form", v)
}

// advisorSave creates (POST /advisors) or updates (POST /advisors/{id}) an
// advisor. Only the fields the form carries are changed, so an advisor's own
// contact form leaves the rest alone.
func (pg *pages) advisorSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	adv := &counsel.Advisor{Active: true}
	var old *counsel.Advisor
	title := "reg.advisor_new"
	if r.PathValue("id") != "" {
		id, err := web.PathID(r)
		if err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		if old, err = pg.svc.Advisor(ctx, a, id); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		*adv = *old
		title = "reg.advisor_edit"
	}
	v := pg.h.View(r, "advisors", title, nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.advisorFormPage(w, r, v, old, pg.h.FormFail(r, v, err))
		return
	}
	set := func(field string, dst *string) {
		if _, ok := r.PostForm[field]; ok {
			*dst = r.PostFormValue(field)
		}
	}
	if _, ok := r.PostForm["provider_id"]; ok {
		adv.ProviderID = web.FormID(r, "provider_id")
	}
	set("kind", &adv.Kind)
	set("name", &adv.Name)
	set("gender", &adv.Gender)
	set("licence_no", &adv.LicenceNo)
	set("phone", &adv.Phone)
	set("wechat", &adv.WeChat)
	set("home_code", &adv.HomeCode)
	adv.HomeCode = strings.TrimSpace(adv.HomeCode)
	if r.PostFormValue("has_active") == "1" {
		adv.Active = r.PostFormValue("active") == "1"
	}
	if err := pg.svc.SaveAdvisor(ctx, a, adv); err != nil {
		pg.advisorFormPage(w, r, v, old, pg.h.FormFail(r, v, err))
		return
	}
	ok := "saved"
	if old == nil {
		ok = "created"
	}
	web.Redirect(w, r, "/advisors/"+strconv.FormatInt(adv.ID, 10), ok)
}

func (pg *pages) advisorPhotoUpload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	adv, ok := web.LoadByID(pg.h, w, r, pg.svc.Advisor)
	if !ok {
		return
	}
	v := pg.h.View(r, "advisors", "reg.advisor_title", nil)
	name, err := pg.h.StorePhoto(r)
	if err == nil {
		upd := *adv
		upd.Photo = name
		if err = pg.svc.SaveAdvisor(ctx, a, &upd); err != nil {
			_ = os.Remove(filepath.Join(pg.h.PhotoDir(), name))
		}
	}
	if err != nil {
		pg.advisorPage(w, r, v, adv, pg.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/advisors/"+strconv.FormatInt(adv.ID, 10), "saved")
}

// advisorPhoto serves an advisor's photo to those who may see the advisor.
func (pg *pages) advisorPhoto(w http.ResponseWriter, r *http.Request) {
	adv, ok := web.LoadByID(pg.h, w, r, pg.svc.Advisor)
	if !ok {
		return
	}
	pg.h.ServePhoto(w, r, adv.Photo, "advisor-"+strconv.FormatInt(adv.ID, 10))
}
