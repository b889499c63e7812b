package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// Online consultation (我要问, R33): the residents' pages in the public
// frame (ask, receipt, status and rating; no account) and the staff pages
// (list, detail, answer, the audited view of the whole phone number).

// consultPublicPages are the residents' pages, drawn in the public frame.
var consultPublicPages = []string{"consult_ask", "consult_done", "consult_status", "public_search"} // public_search: the frame's error page

func (h *Web) consultRoutes() []server.Route {
	p := &publicSite{h: h, pages: map[string]*template.Template{}}
	for _, name := range consultPublicPages {
		t, err := template.New(name).Funcs(h.funcs()).ParseFS(files, "templates/public_frame.html", "templates/"+name+".html")
		if err != nil {
			panic(fmt.Sprintf("web: template %s: %v", name, err))
		}
		p.pages[name] = t
	}
	c := &consultSite{p}
	return []server.Route{
		{Method: "GET", Pattern: "/consult", Name: "consult_ask", Public: true, Handler: c.ask},
		{Method: "POST", Pattern: "/consult", Name: "consult_submit", Public: true, Handler: c.submit},
		{Method: "GET", Pattern: "/consult/status", Name: "consult_status", Public: true, Handler: c.status},
		{Method: "POST", Pattern: "/consult/rate", Name: "consult_rate", Public: true, Handler: c.rate},

		{Method: "GET", Pattern: "/consultations", Name: "consultations", Handler: h.consultList},
		{Method: "GET", Pattern: "/consultations/{id}", Name: "consultation", Handler: h.consultShow},
		{Method: "POST", Pattern: "/consultations/{id}/answer", Name: "consultation_answer", Handler: h.consultAnswer},
		{Method: "POST", Pattern: "/consultations/{id}/phone", Name: "consultation_phone", Handler: h.consultPhone},
	}
}

type consultSite struct{ *publicSite }

// consultView is a public page with the consultation's style sheet.
func (c *consultSite) consultView(r *http.Request, title string, data any) *pubView {
	v := c.view(r, title, data)
	v.PrintCSS = "consult.css" // an extra style sheet of the frame, for every medium
	return v
}

// consultAskPage is the form: first the village (search), then the question.
type consultAskPage struct {
	Village    *service.Board // the chosen village ("" until chosen)
	Q          string
	Searched   bool
	Hits       []pubSearchHit
	Categories []string
	Notice     string
	Max        int
	Workdays   int
}

func (c *consultSite) askPage(w http.ResponseWriter, r *http.Request, v *pubView, code string, status int) {
	d := &consultAskPage{Categories: service.ConsultCategories, Notice: service.ConsultNoticeVersion, Max: service.MaxConsultQuestion,
		Workdays: service.ConsultWorkdays}
	if code != "" {
		b, err := c.h.svc.PublicBoard(r.Context(), code)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		d.Village = b
	} else {
		d.Q = strings.TrimSpace(r.URL.Query().Get("q"))
		d.Searched = d.Q != ""
		hits, err := c.h.svc.PublicSearch(r.Context(), d.Q)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		for _, h := range hits {
			d.Hits = append(d.Hits, pubSearchHit{Code: h.Code, Name: h.Name, Where: strings.TrimSpace(h.CountyName + " " + h.TownName)})
		}
	}
	v.Data = d
	c.render(w, r, status, "consult_ask", v)
}

func (c *consultSite) ask(w http.ResponseWriter, r *http.Request) {
	c.askPage(w, r, c.consultView(r, "consult.ask_title", nil), strings.TrimSpace(r.URL.Query().Get("v")), http.StatusOK)
}

func (c *consultSite) submit(w http.ResponseWriter, r *http.Request) {
	v := c.consultView(r, "consult.ask_title", nil)
	if err := ParseForm(r, 1<<15); err != nil {
		c.fail(w, r, err)
		return
	}
	f := r.PostForm
	req := &service.ConsultRequest{VillageCode: f.Get("village_code"), Category: f.Get("category"), Question: f.Get("question"),
		Name: f.Get("name"), Phone: f.Get("phone"), Notice: f.Get("notice_accepted"), Website: f.Get("website"), IP: server.ClientIP(r)}
	got, err := c.h.svc.SubmitConsultation(r.Context(), req)
	if err != nil {
		status := c.h.FormFail(r, v.View, err)
		code := req.VillageCode
		if !counsel.ValidCode(code) {
			code = ""
		}
		c.askPage(w, r, v, code, status)
		return
	}
	dv := c.consultView(r, "consult.done_title", got)
	c.render(w, r, http.StatusOK, "consult_done", dv)
}

// consultStatusPage is the status page: a lookup form and, once found, the
// consultation with its rating form.
type consultStatusPage struct {
	Ticket, Last4 string
	Asked         bool
	C             *service.PublicConsult
	NotFound      bool
	Thanks        bool
}

func (c *consultSite) statusPage(w http.ResponseWriter, r *http.Request, v *pubView, d *consultStatusPage, status int) {
	if d.Asked && d.C == nil {
		pc, err := c.h.svc.PublicConsultation(r.Context(), d.Ticket, d.Last4)
		if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
			c.fail(w, r, err)
			return
		}
		d.C, d.NotFound = pc, pc == nil
		if d.NotFound && status == http.StatusOK {
			status = http.StatusNotFound
		}
	}
	v.Data = d
	c.render(w, r, status, "consult_status", v)
}

func (c *consultSite) status(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := &consultStatusPage{Ticket: service.NormalizeTicket(q.Get("ticket")), Last4: strings.TrimSpace(q.Get("last4"))}
	d.Asked = d.Ticket != "" || d.Last4 != ""
	c.statusPage(w, r, c.consultView(r, "consult.status_title", nil), d, http.StatusOK)
}

func (c *consultSite) rate(w http.ResponseWriter, r *http.Request) {
	v := c.consultView(r, "consult.status_title", nil)
	if err := ParseForm(r, 1<<14); err != nil {
		c.fail(w, r, err)
		return
	}
	f := r.PostForm
	d := &consultStatusPage{Ticket: service.NormalizeTicket(f.Get("ticket")), Last4: strings.TrimSpace(f.Get("last4")), Asked: true}
	rating, _ := strconv.Atoi(f.Get("rating"))
	pc, err := c.h.svc.RateConsultation(r.Context(), d.Ticket, d.Last4, rating, f.Get("comment"), server.ClientIP(r))
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			c.statusPage(w, r, v, d, http.StatusNotFound)
			return
		}
		status := c.h.FormFail(r, v.View, err)
		c.statusPage(w, r, v, d, status)
		return
	}
	d.C, d.Thanks = pc, true
	c.statusPage(w, r, v, d, http.StatusOK)
}

// ---- staff ------------------------------------------------------------------

// consultStatuses are the status choices of the staff list.
var consultStatuses = []string{store.ConsultOpen, store.ConsultOverdue, store.ConsultAnswered}

type consultListView struct {
	Items      []store.Consultation
	Pager      Pager
	Status     string
	Category   string
	Statuses   []string
	Categories []string
	Now        int64
	Workdays   int
}

func (h *Web) consultList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ConsultFilter{Page: PageOf(r)}
	if s := q.Get("status"); regOneOf(s, consultStatuses) {
		f.Status = s
	}
	if c := q.Get("category"); service.ValidConsultCategory(c) {
		f.Category = c
	}
	l, err := h.svc.Consultations(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	d := &consultListView{Items: l.Items, Pager: regPager(r, l), Status: f.Status, Category: f.Category, Statuses: consultStatuses,
		Categories: service.ConsultCategories, Now: h.svc.Now().UnixMilli(), Workdays: service.ConsultWorkdays}
	h.Render(w, r, http.StatusOK, "consult_list", h.View(r, "consult", "consult.list_title", d))
}

type consultShowView struct {
	C         *store.Consultation
	Handles   bool   // the advisor handling it: answers, may see the phone
	FullPhone string // the whole number, after the audited action
	Overdue   bool
}

func (h *Web) consultPage(w http.ResponseWriter, r *http.Request, v *View, full string, status int) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	a := ActorOf(r)
	c, err := h.svc.Consultation(r.Context(), a, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v.Data = &consultShowView{C: c, Handles: service.HandlesConsult(a, c), FullPhone: full,
		Overdue: c.Status == store.ConsultOpen && c.DueAt <= h.svc.Now().UnixMilli()}
	h.Render(w, r, status, "consult_show", v)
}

func (h *Web) consultShow(w http.ResponseWriter, r *http.Request) {
	h.consultPage(w, r, h.View(r, "consult", "consult.detail", nil), "", http.StatusOK)
}

func (h *Web) consultAnswer(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "consult", "consult.detail", nil)
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := ParseForm(r, 1<<16); err != nil {
		h.consultPage(w, r, v, "", h.FormFail(r, v, err))
		return
	}
	if _, err := h.svc.AnswerConsultation(r.Context(), ActorOf(r), id, r.PostFormValue("answer")); err != nil {
		if c := counsel.ErrorCode(err); c == counsel.CodeNotFound || c == counsel.CodeForbidden {
			h.Fail(w, r, err)
			return
		}
		h.consultPage(w, r, v, "", h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/consultations/"+strconv.FormatInt(id, 10), "consult_answered")
}

// consultPhone shows the whole phone number to the advisor handling the
// consultation; the service audits each view.
func (h *Web) consultPhone(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	full, err := h.svc.ConsultationPhone(r.Context(), ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "consult", "consult.detail", nil)
	v.Form = url.Values{}
	h.consultPage(w, r, v, full, http.StatusOK)
}
