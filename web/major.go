package web

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// majorRoutes are the pages of the major area: major-matter reports (R18).
func (h *Web) majorRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/major", Name: "major_list", Handler: h.majorList},
		{Method: "POST", Pattern: "/major/settings", Name: "major_settings", Handler: h.majorSettings},
		{Method: "GET", Pattern: "/major/new", Name: "major_new", Handler: h.majorNew},
		{Method: "POST", Pattern: "/major", Name: "major_create", Handler: h.majorCreate},
		{Method: "GET", Pattern: "/major/{id}", Name: "major_show", Handler: h.majorShow},
		{Method: "POST", Pattern: "/major/{id}/acknowledge", Name: "major_acknowledge", Handler: h.majorStep(counsel.MajorAcknowledged)},
		{Method: "POST", Pattern: "/major/{id}/follow-up", Name: "major_follow_up", Handler: h.majorStep(counsel.MajorFollowedUp)},
		{Method: "POST", Pattern: "/major/{id}/close", Name: "major_close", Handler: h.majorStep(counsel.MajorClosed)},
	}
}

// majorStatusFilters are the status choices of the list.
var majorStatusFilters = append([]string{store.MajorOpen}, counsel.MajorStatuses...)

// majorListView is the reports list with its filters and, for the county
// bureau and the administrator, the deadline form.
type majorListView struct {
	Items          []counsel.MajorReport
	Pager          Pager
	Q, Status      string
	Category       string
	Overdue        bool
	Region         string
	Regions        []counsel.Region
	Statuses       []string
	Categories     []string
	OverdueCount   int
	CanSubmit      bool
	Deadline       *service.MajorDeadline
	CanSetDeadline bool
	IsAdmin        bool
}

// majorFilter reads the list filters.
func majorFilter(r *http.Request) store.MajorFilter {
	q := r.URL.Query()
	f := store.MajorFilter{Q: strings.TrimSpace(q.Get("q")), Overdue: q.Get("overdue") == "1", Page: PageOf(r)}
	if s := q.Get("status"); regOneOf(s, majorStatusFilters) {
		f.Status = s
	}
	if c := q.Get("category"); regOneOf(c, counsel.MajorCategories) {
		f.Category = c
	}
	if c := q.Get("region"); counsel.ValidCode(c) {
		f.Region = c
	}
	return f
}

func (h *Web) majorList(w http.ResponseWriter, r *http.Request) {
	h.majorListPage(w, r, h.View(r, "major", "major.list_title", nil), http.StatusOK)
}

func (h *Web) majorListPage(w http.ResponseWriter, r *http.Request, v *View, status int) {
	ctx, a := r.Context(), ActorOf(r)
	f := majorFilter(r)
	l, err := h.svc.MajorReports(ctx, a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	lv := &majorListView{Items: l.Items, Pager: regPager(r, l), Q: f.Q, Status: f.Status, Category: f.Category, Overdue: f.Overdue,
		Region: f.Region, Statuses: majorStatusFilters, Categories: counsel.MajorCategories, CanSubmit: authz.CanSubmitMajor(a),
		CanSetDeadline: authz.CanSetMajorDeadline(a), IsAdmin: a.Role == counsel.RoleAdmin}
	if lv.OverdueCount, err = h.svc.MajorOverdueCount(ctx, a); err != nil {
		h.Fail(w, r, err)
		return
	}
	if lv.Deadline, err = h.svc.MajorDeadlineOf(ctx, a, ""); err != nil {
		h.Fail(w, r, err)
		return
	}
	if a.Role == counsel.RoleBureau || a.Role == counsel.RoleJudicial {
		if kids, err := h.svc.Children(ctx, a, ""); err == nil {
			lv.Regions = kids
		}
	}
	if v.Form == nil {
		v.Form = url.Values{"ack_hours": {strconv.Itoa(lv.Deadline.AckHours)}, "region": {lv.Deadline.Region}}
	}
	v.Data = lv
	h.Render(w, r, status, "major_list", v)
}

// majorSettings saves a county's acknowledgement deadline.
func (h *Web) majorSettings(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	if !authz.CanSetMajorDeadline(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "major", "major.list_title", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.majorListPage(w, r, v, h.FormFail(r, v, err))
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
	if err := h.svc.SaveMajorDeadline(ctx, a, region, hours); err != nil {
		h.majorListPage(w, r, v, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/major", "major_settings")
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

func (h *Web) majorNew(w http.ResponseWriter, r *http.Request) {
	if !authz.CanSubmitMajor(ActorOf(r)) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "major", "major.new_title", nil)
	v.Form = url.Values{"occurred_on": {h.svc.Today()}, "people": {"0"}, "client_key": {majorClientKey()}}
	if c := r.URL.Query().Get("village"); counsel.ValidCode(c) {
		v.Form.Set("village_code", c)
	}
	h.majorFormPage(w, r, v, http.StatusOK)
}

func (h *Web) majorFormPage(w http.ResponseWriter, r *http.Request, v *View, status int) {
	ctx, a := r.Context(), ActorOf(r)
	fv := &majorFormView{Categories: counsel.MajorCategories, IsAdmin: a.Role == counsel.RoleAdmin}
	vs, err := h.svc.MajorVillages(ctx, a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	fv.Villages = vs
	if len(vs) == 1 && v.Val("village_code") == "" {
		v.Form.Set("village_code", vs[0].Code)
	}
	if fv.IsAdmin {
		if as, err := h.svc.Advisors(ctx, a, store.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
			for _, adv := range as.Items {
				if adv.Active {
					fv.Advisors = append(fv.Advisors, adv)
				}
			}
		}
	}
	v.Data = fv
	h.Render(w, r, status, "major_form", v)
}

func (h *Web) majorCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	if !authz.CanSubmitMajor(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "major", "major.new_title", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.majorFormPage(w, r, v, h.FormFail(r, v, err))
		return
	}
	m := &counsel.MajorReport{VillageCode: r.PostFormValue("village_code"), AdvisorID: FormID(r, "advisor_id"),
		Category: r.PostFormValue("category"), Title: r.PostFormValue("title"), Facts: r.PostFormValue("facts"),
		OccurredOn: r.PostFormValue("occurred_on"), Suggestion: r.PostFormValue("suggestion"), ClientKey: r.PostFormValue("client_key")}
	if p := strings.TrimSpace(r.PostFormValue("people")); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			n = -1 // reported next to the field
		}
		m.People = n
	}
	got, err := h.svc.SubmitMajorReport(ctx, a, m)
	if err != nil {
		status := h.FormFail(r, v, err)
		if v.Form.Get("client_key") == "" {
			v.Form.Set("client_key", majorClientKey())
		}
		h.majorFormPage(w, r, v, status)
		return
	}
	Redirect(w, r, "/major/"+strconv.FormatInt(got.ID, 10), "major_submitted")
}

// majorView is a report's page.
type majorView struct {
	M         *counsel.MajorReport
	Events    []counsel.MajorEvent
	Next      []string // the steps the actor may take now
	CanHandle bool
	Failed    string // the step whose form failed
}

func (h *Web) majorShow(w http.ResponseWriter, r *http.Request) {
	m, ok := LoadByID(h, w, r, h.svc.MajorReport)
	if !ok {
		return
	}
	h.majorPage(w, r, h.View(r, "major", "major.detail", nil), m, "", http.StatusOK)
}

func (h *Web) majorPage(w http.ResponseWriter, r *http.Request, v *View, m *counsel.MajorReport, failed string, status int) {
	ctx, a := r.Context(), ActorOf(r)
	evs, err := h.svc.MajorEvents(ctx, a, m.ID)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	mv := &majorView{M: m, Events: evs, CanHandle: authz.CanHandleMajor(a, m.VillageCode), Failed: failed}
	if mv.CanHandle {
		mv.Next = service.MajorNextSteps(m.Status)
	}
	v.Data = mv
	h.Render(w, r, status, "major", v)
}

// majorStep handles one of the step forms of a report's page.
func (h *Web) majorStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, a := r.Context(), ActorOf(r)
		m, ok := LoadByID(h, w, r, h.svc.MajorReport)
		if !ok {
			return
		}
		v := h.View(r, "major", "major.detail", nil)
		if err := ParseForm(r, 1<<16); err != nil {
			h.majorPage(w, r, v, m, step, h.FormFail(r, v, err))
			return
		}
		var err error
		note := r.PostFormValue("note")
		switch step {
		case counsel.MajorAcknowledged:
			_, err = h.svc.AcknowledgeMajorReport(ctx, a, m.ID, note)
		case counsel.MajorFollowedUp:
			_, err = h.svc.FollowUpMajorReport(ctx, a, m.ID, note)
		default:
			_, err = h.svc.CloseMajorReport(ctx, a, m.ID, note)
		}
		if err != nil {
			h.majorPage(w, r, v, m, step, h.FormFail(r, v, err))
			return
		}
		Redirect(w, r, "/major/"+strconv.FormatInt(m.ID, 10), "major_"+step)
	}
}
