package consult

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// Online consultation (我要问, R33): the residents' pages in the public
// frame (ask, receipt, status and rating; no account) and the staff pages
// (list, detail, answer, the audited view of the whole phone number).

// consultPublicPages are the residents' pages, drawn in the public frame.
var consultPublicPages = []string{"consult_ask", "consult_done", "consult_status"}

// pages holds the page handlers.
type pages struct {
	h   *web.Web
	pub *public.Frame
	s   *Service
}

func (f *Feature) pageRoutes(h *web.Web) []server.Route {
	pub, err := public.NewFrame(h, templates, consultPublicPages...)
	if err != nil {
		// The templates are embedded: a broken one is a programming error.
		panic(err)
	}
	c := &pages{h: h, pub: pub, s: f.s}
	return []server.Route{
		{Method: "GET", Pattern: "/consult", Name: "consult_ask", Public: true, Handler: c.ask},
		{Method: "POST", Pattern: "/consult", Name: "consult_submit", Public: true, Handler: c.submit},
		{Method: "GET", Pattern: "/consult/status", Name: "consult_status", Public: true, Handler: c.status},
		{Method: "POST", Pattern: "/consult/status", Name: "consult_lookup", Public: true, Handler: c.lookup},
		{Method: "POST", Pattern: "/consult/rate", Name: "consult_rate", Public: true, Handler: c.rate},

		{Method: "GET", Pattern: "/consultations", Name: "consultations", Handler: c.consultList},
		{Method: "GET", Pattern: "/consultations/{id}", Name: "consultation", Handler: c.consultShow},
		{Method: "POST", Pattern: "/consultations/{id}/answer", Name: "consultation_answer", Handler: c.consultAnswer},
		{Method: "POST", Pattern: "/consultations/{id}/phone", Name: "consultation_phone", Handler: c.consultPhone},
	}
}

// consultView is a public page with the consultation's style sheet.
func (c *pages) consultView(r *http.Request, title string, data any) *public.PubView {
	v := c.pub.View(r, title, data)
	v.PrintCSS = "consult.css" // an extra style sheet of the frame, for every medium
	return v
}

// searchHit is a village found by the form's search.
type searchHit struct {
	Code, Name, Where string
}

// consultAskPage is the form: first the village (search), then the question.
type consultAskPage struct {
	Village    *public.Board // the chosen village ("" until chosen)
	Q          string
	Searched   bool
	Hits       []searchHit
	Categories []string
	Notice     string
	Max        int
	Workdays   int
}

func (c *pages) askPage(w http.ResponseWriter, r *http.Request, v *public.PubView, code string, status int) {
	d := &consultAskPage{Categories: ConsultCategories, Notice: ConsultNoticeVersion, Max: MaxConsultQuestion,
		Workdays: ConsultWorkdays}
	if code != "" {
		b, err := c.s.Board(r.Context(), code)
		if err != nil {
			c.pub.Fail(w, r, err)
			return
		}
		d.Village = b
	} else {
		d.Q = strings.TrimSpace(r.URL.Query().Get("q"))
		d.Searched = d.Q != ""
		hits, err := c.s.SearchVillages(r.Context(), d.Q)
		if err != nil {
			c.pub.Fail(w, r, err)
			return
		}
		for _, h := range hits {
			d.Hits = append(d.Hits, searchHit{Code: h.Code, Name: h.Name, Where: strings.TrimSpace(h.CountyName + " " + h.TownName)})
		}
	}
	v.Data = d
	c.pub.Render(w, r, status, "consult_ask", v)
}

func (c *pages) ask(w http.ResponseWriter, r *http.Request) {
	c.askPage(w, r, c.consultView(r, "consult.ask_title", nil), strings.TrimSpace(r.URL.Query().Get("v")), http.StatusOK)
}

func (c *pages) submit(w http.ResponseWriter, r *http.Request) {
	v := c.consultView(r, "consult.ask_title", nil)
	if err := web.ParseForm(r, 1<<15); err != nil {
		c.pub.Fail(w, r, err)
		return
	}
	f := r.PostForm
	req := &ConsultRequest{VillageCode: f.Get("village_code"), Category: f.Get("category"), Question: f.Get("question"),
		Name: f.Get("name"), Phone: f.Get("phone"), Notice: f.Get("notice_accepted"), Website: f.Get("website"), IP: server.ClientIP(r)}
	got, err := c.s.SubmitConsultation(r.Context(), req)
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
	c.pub.Render(w, r, http.StatusOK, "consult_done", dv)
}

// consultStatusPage is the status page: a lookup form and, once found, the
// consultation with its rating form.
type consultStatusPage struct {
	Ticket, Last4 string
	Asked         bool
	C             *PublicConsult
	NotFound      bool
	Thanks        bool
}

func (c *pages) statusPage(w http.ResponseWriter, r *http.Request, v *public.PubView, d *consultStatusPage, status int) {
	if d.Asked && d.C == nil {
		pc, err := c.s.PublicConsultation(r.Context(), d.Ticket, d.Last4, server.ClientIP(r))
		switch {
		case counsel.ErrorCode(err) == counsel.CodeInvalid:
			// Throttled: said next to the form, nothing looked up.
			status = c.h.FormFail(r, v.View, err)
		case err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound:
			c.pub.Fail(w, r, err)
			return
		default:
			d.C, d.NotFound = pc, pc == nil
			if d.NotFound && status == http.StatusOK {
				status = http.StatusNotFound
			}
		}
	}
	v.Data = d
	c.pub.Render(w, r, status, "consult_status", v)
}

// status shows the lookup form, the ticket filled in from the receipt's
// link; the last four digits never travel in an address (they would stay
// in logs and the browser's history): the lookup is a POST.
func (c *pages) status(w http.ResponseWriter, r *http.Request) {
	d := &consultStatusPage{Ticket: NormalizeTicket(r.URL.Query().Get("ticket"))}
	c.statusPage(w, r, c.consultView(r, "consult.status_title", nil), d, http.StatusOK)
}

// lookup answers the lookup form (throttled per ticket and per source).
func (c *pages) lookup(w http.ResponseWriter, r *http.Request) {
	v := c.consultView(r, "consult.status_title", nil)
	if err := web.ParseForm(r, 1<<12); err != nil {
		c.pub.Fail(w, r, err)
		return
	}
	d := &consultStatusPage{Ticket: NormalizeTicket(r.PostFormValue("ticket")), Last4: strings.TrimSpace(r.PostFormValue("last4")), Asked: true}
	c.statusPage(w, r, v, d, http.StatusOK)
}

func (c *pages) rate(w http.ResponseWriter, r *http.Request) {
	v := c.consultView(r, "consult.status_title", nil)
	if err := web.ParseForm(r, 1<<14); err != nil {
		c.pub.Fail(w, r, err)
		return
	}
	f := r.PostForm
	d := &consultStatusPage{Ticket: NormalizeTicket(f.Get("ticket")), Last4: strings.TrimSpace(f.Get("last4")), Asked: true}
	rating, _ := strconv.Atoi(f.Get("rating"))
	pc, err := c.s.RateConsultation(r.Context(), d.Ticket, d.Last4, rating, f.Get("comment"), server.ClientIP(r))
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
var consultStatuses = []string{ConsultOpen, ConsultOverdue, ConsultAnswered}

type consultListView struct {
	Items      []Consultation
	Pager      web.Pager
	Status     string
	Category   string
	Statuses   []string
	Categories []string
	Now        int64
	Workdays   int
}

func (c *pages) consultList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ConsultFilter{Page: web.PageOf(r)}
	if s := q.Get("status"); slices.Contains(consultStatuses, s) {
		f.Status = s
	}
	if cat := q.Get("category"); ValidConsultCategory(cat) {
		f.Category = cat
	}
	l, err := c.s.Consultations(r.Context(), web.ActorOf(r), f)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	d := &consultListView{Items: l.Items, Pager: web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()},
		Status: f.Status, Category: f.Category, Statuses: consultStatuses,
		Categories: ConsultCategories, Now: c.s.Now().UnixMilli(), Workdays: ConsultWorkdays}
	v := c.h.View(r, "consult", "consult.list_title", d)
	v.WarnHolidays(c.s.Svc.UncoveredYears(r.Context()))
	c.h.Render(w, r, http.StatusOK, "consult_list", v)
}

type consultShowView struct {
	C         *Consultation
	Handles   bool   // the advisor handling it: answers, may see the phone
	FullPhone string // the whole number, after the audited action
	Overdue   bool
	// DueUncertain: the deadline was counted over a year the holiday
	// table does not cover.
	DueUncertain bool
}

func (c *pages) consultPage(w http.ResponseWriter, r *http.Request, v *web.View, full string, status int) {
	id, err := web.PathID(r)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	a := web.ActorOf(r)
	x, err := c.s.Consultation(r.Context(), a, id)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	v.Data = &consultShowView{C: x, Handles: HandlesConsult(a, x), FullPhone: full,
		Overdue: x.Status == ConsultOpen && x.DueAt <= c.s.Now().UnixMilli(), DueUncertain: c.s.DueUncertain(r.Context(), x)}
	v.WarnHolidays(c.s.Svc.UncoveredYears(r.Context()))
	c.h.Render(w, r, status, "consult_show", v)
}

func (c *pages) consultShow(w http.ResponseWriter, r *http.Request) {
	c.consultPage(w, r, c.h.View(r, "consult", "consult.detail", nil), "", http.StatusOK)
}

func (c *pages) consultAnswer(w http.ResponseWriter, r *http.Request) {
	v := c.h.View(r, "consult", "consult.detail", nil)
	id, err := web.PathID(r)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		c.consultPage(w, r, v, "", c.h.FormFail(r, v, err))
		return
	}
	if _, err := c.s.AnswerConsultation(r.Context(), web.ActorOf(r), id, r.PostFormValue("answer")); err != nil {
		if code := counsel.ErrorCode(err); code == counsel.CodeNotFound || code == counsel.CodeForbidden {
			c.h.Fail(w, r, err)
			return
		}
		c.consultPage(w, r, v, "", c.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/consultations/"+strconv.FormatInt(id, 10), "consult_answered")
}

// consultPhone shows the whole phone number to the advisor handling the
// consultation; the service audits each view.
func (c *pages) consultPhone(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	full, err := c.s.ConsultationPhone(r.Context(), web.ActorOf(r), id)
	if err != nil {
		c.h.Fail(w, r, err)
		return
	}
	v := c.h.View(r, "consult", "consult.detail", nil)
	v.Form = url.Values{}
	c.consultPage(w, r, v, full, http.StatusOK)
}
