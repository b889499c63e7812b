package major

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the HTML pages of major-matter reports (R18).
type pages struct {
	h   *web.Web
	svc *Service
}

// routes lists the pages.
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/major", Name: "major_list", Handler: p.majorList},
		{Method: "GET", Pattern: "/major.xlsx", Name: "major_xlsx", Handler: p.majorXLSX},
		{Method: "POST", Pattern: "/major/settings", Name: "major_settings", Handler: p.majorSettings},
		{Method: "GET", Pattern: "/major/new", Name: "major_new", Handler: p.majorNew},
		{Method: "POST", Pattern: "/major", Name: "major_create", Handler: p.majorCreate},
		{Method: "GET", Pattern: "/major/{id}", Name: "major_show", Handler: p.majorShow},
		{Method: "POST", Pattern: "/major/{id}/acknowledge", Name: "major_acknowledge", Handler: p.majorStep(counsel.MajorAcknowledged)},
		{Method: "POST", Pattern: "/major/{id}/follow-up", Name: "major_follow_up", Handler: p.majorStep(counsel.MajorFollowedUp)},
		{Method: "POST", Pattern: "/major/{id}/close", Name: "major_close", Handler: p.majorStep(counsel.MajorClosed)},
	}
}

// majorStatusFilters are the status choices of the list.
var majorStatusFilters = append([]string{Open}, counsel.MajorStatuses...)

// majorListView is the reports list with its filters and, for the county
// bureau and the administrator, the deadline form.
type majorListView struct {
	Export         string // the export link with the filters on screen
	Items          []counsel.MajorReport
	Pager          web.Pager
	Q, Status      string
	Category       string
	Overdue        bool
	Region         string
	Regions        []counsel.Region
	Statuses       []string
	Categories     []string
	OverdueCount   int
	CanSubmit      bool
	Deadline       *MajorDeadline
	CanSetDeadline bool
	IsAdmin        bool
}

// majorFilter reads the list filters.
func majorFilter(r *http.Request) Filter {
	q := r.URL.Query()
	f := Filter{Q: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1", Page: web.PageOf(r)}
	if s := q.Get("status"); slices.Contains(majorStatusFilters, s) {
		f.Status = s
	}
	if c := q.Get("category"); slices.Contains(counsel.MajorCategories, c) {
		f.Category = c
	}
	if c := q.Get("region"); counsel.ValidCode(c) {
		f.Region = c
	}
	return f
}

func (p *pages) majorList(w http.ResponseWriter, r *http.Request) {
	p.majorListPage(w, r, p.h.View(r, "major", "major.list_title", nil), http.StatusOK)
}

func (p *pages) majorListPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	f := majorFilter(r)
	l, err := p.svc.MajorReports(ctx, a, f)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lv := &majorListView{Items: l.Items, Pager: web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}, Q: f.Q, Status: f.Status, Category: f.Category, Overdue: f.Overdue,
		Region: f.Region, Statuses: majorStatusFilters, Categories: counsel.MajorCategories, CanSubmit: authz.CanSubmitMajor(a),
		CanSetDeadline: authz.CanSetMajorDeadline(a), IsAdmin: a.Role == counsel.RoleAdmin, Export: "/major.xlsx" + web.ExportQuery(r.URL.Query())}
	if lv.OverdueCount, err = p.svc.MajorOverdueCount(ctx, a); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if lv.Deadline, err = p.svc.MajorDeadlineOf(ctx, a, ""); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if a.Role == counsel.RoleBureau || a.Role == counsel.RoleJudicial {
		if kids, err := p.svc.Svc.Children(ctx, a, ""); err == nil {
			lv.Regions = kids
		}
	}
	if v.Form == nil {
		v.Form = url.Values{"ack_hours": {strconv.Itoa(lv.Deadline.AckHours)}, "region": {lv.Deadline.Region}}
	}
	v.Data = lv
	p.h.Render(w, r, status, "major_list", v)
}

// majorSettings saves a county's acknowledgement deadline.
func (p *pages) majorSettings(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	if !authz.CanSetMajorDeadline(a) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := p.h.View(r, "major", "major.list_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.majorListPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	region := strings.TrimSpace(r.PostFormValue("region"))
	if a.Role == counsel.RoleBureau {
		region = a.RegionCode
	}
	hours, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("ack_hours")))
	if err != nil {
		hours = -1 // reported next to the field
	}
	if err := p.svc.SaveMajorDeadline(ctx, a, region, hours); err != nil {
		p.majorListPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/major", "major_settings")
}

// majorFormView is the new-report form.
type majorFormView struct {
	Villages   []counsel.Region  // the advisor's villages
	Advisors   []counsel.Advisor // the administrator's choice of advisor
	Categories []string
	IsAdmin    bool
}

// majorClientKey is a fresh key that makes a resubmitted form idempotent.
func majorClientKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (p *pages) majorNew(w http.ResponseWriter, r *http.Request) {
	if !authz.CanSubmitMajor(web.ActorOf(r)) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := p.h.View(r, "major", "major.new_title", nil)
	v.Form = url.Values{"occurred_on": {p.svc.Svc.Today()}, "people": {"0"}, "client_key": {majorClientKey()}}
	if c := r.URL.Query().Get("village"); counsel.ValidCode(c) {
		v.Form.Set("village_code", c)
	}
	p.majorFormPage(w, r, v, http.StatusOK)
}

func (p *pages) majorFormPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	fv := &majorFormView{Categories: counsel.MajorCategories, IsAdmin: a.Role == counsel.RoleAdmin}
	vs, err := p.svc.MajorVillages(ctx, a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	fv.Villages = vs
	if len(vs) == 1 && v.Val("village_code") == "" {
		v.Form.Set("village_code", vs[0].Code)
	}
	if fv.IsAdmin {
		if as, err := p.svc.Svc.Advisors(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
			for _, adv := range as.Items {
				if adv.Active {
					fv.Advisors = append(fv.Advisors, adv)
				}
			}
		}
	}
	v.Data = fv
	p.h.Render(w, r, status, "major_form", v)
}

func (p *pages) majorCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	if !authz.CanSubmitMajor(a) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := p.h.View(r, "major", "major.new_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.majorFormPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	m := &counsel.MajorReport{VillageCode: r.PostFormValue("village_code"), AdvisorID: web.FormID(r, "advisor_id"),
		Category: r.PostFormValue("category"), Title: r.PostFormValue("title"), Facts: r.PostFormValue("facts"),
		OccurredOn: r.PostFormValue("occurred_on"), Suggestion: r.PostFormValue("suggestion"), ClientKey: r.PostFormValue("client_key")}
	if p := strings.TrimSpace(r.PostFormValue("people")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			n = -1 // reported next to the field
		}
		m.People = n
	}
	got, err := p.svc.SubmitMajorReport(ctx, a, m)
	if err != nil {
		status := p.h.FormFail(r, v, err)
		if v.Form.Get("client_key") == "" {
			v.Form.Set("client_key", majorClientKey())
		}
		p.majorFormPage(w, r, v, status)
		return
	}
	web.Redirect(w, r, "/major/"+strconv.FormatInt(got.ID, 10), "major_submitted")
}

// majorView is a report's page.
type majorView struct {
	M         *counsel.MajorReport
	Events    []counsel.MajorEvent
	Next      []string // the steps the actor may take now
	CanHandle bool
	Failed    string // the step whose form failed
}

func (p *pages) majorShow(w http.ResponseWriter, r *http.Request) {
	m, ok := web.LoadByID(p.h, w, r, p.svc.MajorReport)
	if !ok {
		return
	}
	p.majorPage(w, r, p.h.View(r, "major", "major.detail", nil), m, "", http.StatusOK)
}

func (p *pages) majorPage(w http.ResponseWriter, r *http.Request, v *web.View, m *counsel.MajorReport, failed string, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	evs, err := p.svc.MajorEvents(ctx, a, m.ID)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	mv := &majorView{M: m, Events: evs, CanHandle: authz.CanHandleMajor(a, m.VillageCode), Failed: failed}
	if mv.CanHandle {
		mv.Next = NextSteps(m.Status)
	}
	v.Data = mv
	p.h.Render(w, r, status, "major", v)
}

// majorStep handles one of the step forms of a report's page.
func (p *pages) majorStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, a := r.Context(), web.ActorOf(r)
		m, ok := web.LoadByID(p.h, w, r, p.svc.MajorReport)
		if !ok {
			return
		}
		v := p.h.View(r, "major", "major.detail", nil)
		if err := web.ParseForm(r, 1<<16); err != nil {
			p.majorPage(w, r, v, m, step, p.h.FormFail(r, v, err))
			return
		}
		var err error
		note := r.PostFormValue("note")
		switch step {
		case counsel.MajorAcknowledged:
			_, err = p.svc.AcknowledgeMajorReport(ctx, a, m.ID, note)
		case counsel.MajorFollowedUp:
			_, err = p.svc.FollowUpMajorReport(ctx, a, m.ID, note)
		default:
			_, err = p.svc.CloseMajorReport(ctx, a, m.ID, note)
		}
		if err != nil {
			p.majorPage(w, r, v, m, step, p.h.FormFail(r, v, err))
			return
		}
		web.Redirect(w, r, "/major/"+strconv.FormatInt(m.ID, 10), "major_"+step)
	}
}
