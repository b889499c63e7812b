package assess

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// commendRoutes are the commendation pages (R40) and the public notice.
func (p *pages) commendRoutes() []server.Route {
	return []server.Route{
		{Method: "POST", Pattern: "/assess/rounds/{id}/commend", Name: "assess_commend", Handler: p.commend},
		{Method: "GET", Pattern: "/assess/commendations/{id}", Name: "assess_commendation", Handler: p.commendation},
		{Method: "POST", Pattern: "/assess/commendations/{id}/objections", Name: "assess_commend_object", Handler: p.commendObject},
		{Method: "POST", Pattern: "/assess/commendations/{id}/issue", Name: "assess_commend_issue", Handler: p.commendIssue},
		{Method: "GET", Pattern: "/gongshi/{id}", Name: "commend_notice", Public: true, Handler: p.notice},
	}
}

func (p *pages) commend(w http.ResponseWriter, r *http.Request) {
	var created int64
	p.roundAction(w, r, "", func(id int64) error {
		in := CommendInput{Title: r.PostFormValue("title"), Reasons: map[int64]string{}}
		in.NoticeDays, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("notice_days")))
		if in.NoticeDays == 0 {
			in.NoticeDays = -1
		}
		for _, s := range r.PostForm["advisor"] {
			adv, err := strconv.ParseInt(s, 10, 64)
			if err == nil {
				in.Reasons[adv] = r.PostFormValue("reason." + s)
			}
		}
		c, err := p.svc.Commend(r.Context(), web.ActorOf(r), id, in)
		if err == nil {
			created = c.ID
		}
		return err
	}, func() string { return "/assess/commendations/" + strconv.FormatInt(created, 10) + "?ok=as_commended" })
}

func (p *pages) commendation(w http.ResponseWriter, r *http.Request) {
	p.commendationPage(w, r, p.h.View(r, "assess", "as.cm.title", nil), http.StatusOK)
}

func (p *pages) commendationPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	c, err := p.svc.Commendation(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Data = c
	v.Title = c.Title
	p.h.Render(w, r, status, "assess_commendation", v)
}

// commendAction runs a form of the commendation page.
func (p *pages) commendAction(w http.ResponseWriter, r *http.Request, fn func(id int64) error) {
	if id, done := p.formAction(w, r, fn, "assess", "as.cm.title", p.commendationPage); done {
		web.Redirect(w, r, "/assess/commendations/"+strconv.FormatInt(id, 10), "saved")
	}
}

func (p *pages) commendObject(w http.ResponseWriter, r *http.Request) {
	p.commendAction(w, r, func(id int64) error {
		return p.svc.RecordCommendObjection(r.Context(), web.ActorOf(r), id, r.PostFormValue("body"), r.PostFormValue("handling"))
	})
}

func (p *pages) commendIssue(w http.ResponseWriter, r *http.Request) {
	p.commendAction(w, r, func(id int64) error { return p.svc.IssueCommendation(r.Context(), web.ActorOf(r), id) })
}

func (p *pages) notice(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	c, err := p.svc.PublicCommendation(r.Context(), id)
	if err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	v := p.view(r, "as.cm.notice_title")
	v.Data = c
	v.Title = c.Title
	p.pub.Render(w, r, http.StatusOK, "assess_notice", v)
}
