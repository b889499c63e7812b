package assess

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// inspectRoutes are the pages of inspections and rectification orders.
func (p *pages) inspectRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/inspections", Name: "inspections", Handler: p.inspections},
		{Method: "POST", Pattern: "/inspections", Name: "inspection_create", Handler: p.inspectionCreate},
		{Method: "GET", Pattern: "/inspections/{id}", Name: "inspection", Handler: p.inspection},
		{Method: "GET", Pattern: "/inspections/visits/{id}", Name: "inspection_visit", Handler: p.visit},
		{Method: "POST", Pattern: "/inspections/visits/{id}", Name: "inspection_visit_save", Handler: p.visitSave},
		{Method: "POST", Pattern: "/inspections/visits/{id}/rectify", Name: "inspection_rectify", Handler: p.rectify},
		{Method: "POST", Pattern: "/rectifications/{id}/close", Name: "rectification_close", Handler: p.rectClose},
	}
}

type inspectionsView struct {
	Plans   []Inspection
	Orders  []Rectification
	CanSee  bool
	CanPlan bool
	Kinds   []string
}

func (p *pages) inspections(w http.ResponseWriter, r *http.Request) {
	p.inspectionsPage(w, r, p.h.View(r, "inspections", "as.in.title", nil), http.StatusOK)
}

func (p *pages) inspectionsPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	iv := &inspectionsView{CanSee: authz.CanSeeInspections(a), Kinds: InspectKinds,
		CanPlan: authz.IsAdmin(a) || authz.CountyBureau(a) || a.Role == counsel.RoleJudicial}
	v.Data = iv
	var err error
	if iv.CanSee {
		if iv.Plans, err = p.svc.Inspections(ctx, a); err != nil {
			p.h.Fail(w, r, err)
			return
		}
	}
	if iv.Orders, err = p.svc.Rectifications(ctx, a); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = url.Values{"kind": {InspectRandom}, "sample_size": {"5"}, "planned_on": {p.svc.Today()}, "region_code": {a.RegionCode}}
	}
	p.h.Render(w, r, status, "assess_inspections", v)
}

func (p *pages) inspectionCreate(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	n, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("sample_size")))
	in := InspectionInput{RegionCode: r.PostFormValue("region_code"), Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"),
		Seed: r.PostFormValue("seed"), SampleSize: n, PlannedOn: strings.TrimSpace(r.PostFormValue("planned_on"))}
	got, err := p.svc.PlanInspection(r.Context(), web.ActorOf(r), in)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "inspections", "as.in.title", nil)
		p.inspectionsPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/inspections/"+strconv.FormatInt(got.ID, 10), "as_planned")
}

func (p *pages) inspection(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	in, err := p.svc.Inspection(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "inspections", "as.in.title", in)
	v.Title = in.Title
	p.h.Render(w, r, http.StatusOK, "assess_inspection", v)
}

type visitView struct {
	*VisitDetail
	Checks []string
}

func (p *pages) visit(w http.ResponseWriter, r *http.Request) {
	p.visitPage(w, r, p.h.View(r, "inspections", "as.in.visit", nil), http.StatusOK)
}

func (p *pages) visitPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d, err := p.svc.Visit(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = url.Values{"note": {d.Visit.Note}}
		for _, c := range Checks {
			v.Form.Set("check."+c, d.Visit.Checklist[c])
		}
	}
	v.Data = &visitView{VisitDetail: d, Checks: Checks}
	v.Title = d.Visit.VillageName + " · " + d.Inspection.Title
	p.h.Render(w, r, status, "assess_visit", v)
}

// visitAction runs a form of the visit page and shows it again on error.
func (p *pages) visitAction(w http.ResponseWriter, r *http.Request, ok string, fn func(id int64) error) {
	id, ok2 := p.formAction(w, r, fn, "inspections", "as.in.visit", p.visitPage)
	if ok2 {
		web.Redirect(w, r, "/inspections/visits/"+strconv.FormatInt(id, 10), ok)
	}
}

func (p *pages) visitSave(w http.ResponseWriter, r *http.Request) {
	p.visitAction(w, r, "saved", func(id int64) error {
		list := map[string]string{}
		for _, c := range Checks {
			list[c] = r.PostFormValue("check." + c)
		}
		return p.svc.RecordFindings(r.Context(), web.ActorOf(r), id, list, r.PostFormValue("note"))
	})
}

func (p *pages) rectify(w http.ResponseWriter, r *http.Request) {
	p.visitAction(w, r, "as_ordered", func(id int64) error {
		_, err := p.svc.OrderRectification(r.Context(), web.ActorOf(r), id, r.PostFormValue("issue"), r.PostFormValue("due_on"))
		return err
	})
}

func (p *pages) rectClose(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := p.svc.CloseRectification(r.Context(), web.ActorOf(r), id, r.PostFormValue("closed_note")); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "inspections", "as.in.title", nil)
		p.inspectionsPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/inspections#orders", "saved")
}
