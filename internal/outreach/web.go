package outreach

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the outreach area's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
}

// routes are the pages of revisits (R35) and the publicity calendar (R37).
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/revisits", Name: "revisits", Handler: p.revisits},
		{Method: "POST", Pattern: "/revisits/rounds", Name: "revisit_round_create", Handler: p.revisitRoundCreate},
		{Method: "GET", Pattern: "/revisits/rounds/{id}", Name: "revisit_round", Handler: p.revisitRound},
		{Method: "GET", Pattern: "/revisits/summary", Name: "revisit_summary", Handler: p.revisitSummary},
		{Method: "GET", Pattern: "/revisits/{id}", Name: "revisit", Handler: p.revisitPage},
		{Method: "POST", Pattern: "/revisits/{id}", Name: "revisit_answer", Handler: p.revisitAnswer},
		{Method: "GET", Pattern: "/campaigns", Name: "campaigns", Handler: p.campaigns},
		{Method: "POST", Pattern: "/campaigns", Name: "campaign_create", Handler: p.campaignCreate},
		{Method: "POST", Pattern: "/campaigns/{id}/delete", Name: "campaign_delete", Handler: p.campaignDelete},
	}
}

// ---- revisits -------------------------------------------------------------

type revisitsView struct {
	Village bool // a village committee's own list
	Mine    []Revisit
	Rounds  []RevisitRound
	CanSend bool
	Year    int
}

func (p *pages) revisits(w http.ResponseWriter, r *http.Request) {
	p.revisitsPage(w, r, p.h.View(r, "revisits", "rv.title", nil), http.StatusOK)
}

func (p *pages) revisitsPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	rv := &revisitsView{CanSend: authz.CanSendRevisits(a), Year: p.svc.Now().In(calendar.Shanghai).Year()}
	v.Data = rv
	var err error
	if a.Role == counsel.RoleVillage {
		rv.Village = true
		rv.Mine, err = p.svc.MyRevisits(ctx, a)
	} else {
		rv.Rounds, err = p.svc.RevisitRounds(ctx, a)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = map[string][]string{"year": {strconv.Itoa(rv.Year)}, "title": {i18n.T("zh", "rv.round_title_default", rv.Year)}}
	}
	p.h.Render(w, r, status, "revisits", v)
}

func (p *pages) revisitRoundCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	v := p.h.View(r, "revisits", "rv.title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	in := RevisitRoundInput{CountyCode: r.PostFormValue("county_code"), Year: year, Title: r.PostFormValue("title"), DueOn: r.PostFormValue("due_on")}
	round, err := p.svc.SendRevisitRound(ctx, a, in)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		p.revisitsPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/revisits/rounds/"+strconv.FormatInt(round.ID, 10), "rv_sent")
}

type revisitRoundView struct {
	Round *RevisitRound
	Rows  []Revisit
}

func (p *pages) revisitRound(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	round, rows, err := p.svc.RevisitRound(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "revisits", "rv.title", &revisitRoundView{Round: round, Rows: rows})
	v.Title = round.Title
	p.h.Render(w, r, http.StatusOK, "revisit_round", v)
}

type revisitSummaryView struct {
	Year      int
	Region    string
	Rows      []RevisitSummary
	Questions []string
}

func (p *pages) revisitSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if q.Get("year") == "" {
		year = p.svc.Now().In(calendar.Shanghai).Year()
	}
	region := strings.TrimSpace(q.Get("region"))
	rows, err := p.svc.RevisitSummaries(r.Context(), web.ActorOf(r), region, year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.Render(w, r, http.StatusOK, "revisit_summary", p.h.View(r, "revisits", "rv.summary_title",
		&revisitSummaryView{Year: year, Region: region, Rows: rows, Questions: RevisitQuestions}))
}

type revisitView struct {
	R         *RevisitDetail
	Questions []string
	Ratings   []int
}

// Checked reports whether rating n of question q is the chosen one.
func (rv revisitView) Checked(v *web.View, q string, n int) bool {
	if rv.R != nil && rv.R.Status == RevisitAnswered {
		return rv.R.Scores[q] == n
	}
	return v.Val("q_"+q) == strconv.Itoa(n)
}

func (p *pages) revisitPage(w http.ResponseWriter, r *http.Request) {
	p.revisitShow(w, r, p.h.View(r, "revisits", "rv.title", nil), http.StatusOK)
}

func (p *pages) revisitShow(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	d, ok := web.LoadByID(p.h, w, r, p.svc.Revisit)
	if !ok {
		return
	}
	v.Data = revisitView{R: d, Questions: RevisitQuestions, Ratings: []int{5, 4, 3, 2, 1}}
	v.Title = d.Title
	p.h.Render(w, r, status, "revisit", v)
}

func (p *pages) revisitAnswer(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	ans := RevisitAnswer{Scores: map[string]int{}, Respondent: r.PostFormValue("respondent"), Comment: r.PostFormValue("comment")}
	for _, q := range RevisitQuestions {
		if n, err := strconv.Atoi(r.PostFormValue("q_" + q)); err == nil {
			ans.Scores[q] = n
		}
	}
	err := p.svc.AnswerRevisit(r.Context(), web.ActorOf(r), id, ans)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "revisits", "rv.title", nil)
		p.revisitShow(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/revisits/"+strconv.FormatInt(id, 10), "rv_answered")
}

// ---- publicity calendar ---------------------------------------------------

type campaignsView struct {
	Days     int
	Options  []int
	Rows     []CampaignDay
	Regions  map[string]string
	CanEnter bool
	Kinds    []string
}

func (p *pages) campaigns(w http.ResponseWriter, r *http.Request) {
	p.campaignsPage(w, r, p.h.View(r, "campaigns", "cp.title", nil), http.StatusOK)
}

func (p *pages) campaignsPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if days <= 0 || days > 366 {
		days = 30
	}
	rows, err := p.svc.UpcomingCampaigns(ctx, a, days)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	cv := &campaignsView{Days: days, Options: []int{30, 60, 90, 365}, Rows: rows, Regions: map[string]string{}, CanEnter: authz.CanEnterCampaigns(a), Kinds: CampaignKinds}
	for _, d := range rows {
		if d.RegionCode != "" {
			if _, ok := cv.Regions[d.RegionCode]; !ok {
				if name := p.svc.RegionName(ctx, d.RegionCode); name != "" {
					cv.Regions[d.RegionCode] = name
				}
			}
		}
	}
	v.Data = cv
	p.h.Render(w, r, status, "campaigns", v)
}

func (p *pages) campaignCreate(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "campaigns", "cp.title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	in := CampaignInput{RegionCode: r.PostFormValue("region_code"), Day: r.PostFormValue("day"), Kind: r.PostFormValue("kind"),
		Name: r.PostFormValue("name"), Note: r.PostFormValue("note")}
	if _, err := p.svc.AddCampaignDay(r.Context(), web.ActorOf(r), in); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		p.campaignsPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/campaigns", "cp_added")
}

func (p *pages) campaignDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	if err := p.svc.DeleteCampaignDay(r.Context(), web.ActorOf(r), id); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/campaigns", "cp_deleted")
}
