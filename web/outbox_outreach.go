package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// outreachRoutes are the pages of revisits (R35) and the publicity calendar (R37).
func (h *Web) outreachRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/revisits", Name: "revisits", Handler: h.revisits},
		{Method: "POST", Pattern: "/revisits/rounds", Name: "revisit_round_create", Handler: h.revisitRoundCreate},
		{Method: "GET", Pattern: "/revisits/rounds/{id}", Name: "revisit_round", Handler: h.revisitRound},
		{Method: "GET", Pattern: "/revisits/summary", Name: "revisit_summary", Handler: h.revisitSummary},
		{Method: "GET", Pattern: "/revisits/{id}", Name: "revisit", Handler: h.revisitPage},
		{Method: "POST", Pattern: "/revisits/{id}", Name: "revisit_answer", Handler: h.revisitAnswer},
		{Method: "GET", Pattern: "/campaigns", Name: "campaigns", Handler: h.campaigns},
		{Method: "POST", Pattern: "/campaigns", Name: "campaign_create", Handler: h.campaignCreate},
		{Method: "POST", Pattern: "/campaigns/{id}/delete", Name: "campaign_delete", Handler: h.campaignDelete},
	}
}

// ---- revisits -------------------------------------------------------------

type revisitsView struct {
	Village bool // a village committee's own list
	Mine    []store.Revisit
	Rounds  []store.RevisitRound
	CanSend bool
	Year    int
}

func (h *Web) revisits(w http.ResponseWriter, r *http.Request) {
	h.revisitsPage(w, r, h.View(r, "revisits", "rv.title", nil), http.StatusOK)
}

func (h *Web) revisitsPage(w http.ResponseWriter, r *http.Request, v *View, status int) {
	ctx, a := r.Context(), ActorOf(r)
	rv := &revisitsView{CanSend: authz.CanSendRevisits(a), Year: h.svc.Now().In(shanghai).Year()}
	v.Data = rv
	var err error
	if a.Role == counsel.RoleVillage {
		rv.Village = true
		rv.Mine, err = h.svc.MyRevisits(ctx, a)
	} else {
		rv.Rounds, err = h.svc.RevisitRounds(ctx, a)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = map[string][]string{"year": {strconv.Itoa(rv.Year)}, "title": {i18n.T("zh", "rv.round_title_default", rv.Year)}}
	}
	h.Render(w, r, status, "revisits", v)
}

func (h *Web) revisitRoundCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	v := h.View(r, "revisits", "rv.title", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.Fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	in := service.RevisitRoundInput{CountyCode: r.PostFormValue("county_code"), Year: year, Title: r.PostFormValue("title"), DueOn: r.PostFormValue("due_on")}
	round, err := h.svc.SendRevisitRound(ctx, a, in)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			h.Fail(w, r, err)
			return
		}
		h.revisitsPage(w, r, v, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/revisits/rounds/"+strconv.FormatInt(round.ID, 10), "rv_sent")
}

type revisitRoundView struct {
	Round *store.RevisitRound
	Rows  []store.Revisit
}

func (h *Web) revisitRound(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	round, rows, err := h.svc.RevisitRound(r.Context(), ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "revisits", "rv.title", &revisitRoundView{Round: round, Rows: rows})
	v.Title = round.Title
	h.Render(w, r, http.StatusOK, "revisit_round", v)
}

type revisitSummaryView struct {
	Year      int
	Region    string
	Rows      []service.RevisitSummary
	Questions []string
}

func (h *Web) revisitSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if q.Get("year") == "" {
		year = h.svc.Now().In(shanghai).Year()
	}
	region := strings.TrimSpace(q.Get("region"))
	rows, err := h.svc.RevisitSummaries(r.Context(), ActorOf(r), region, year)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "revisit_summary", h.View(r, "revisits", "rv.summary_title",
		&revisitSummaryView{Year: year, Region: region, Rows: rows, Questions: service.RevisitQuestions}))
}

type revisitView struct {
	R         *service.RevisitDetail
	Questions []string
	Ratings   []int
}

// Checked reports whether rating n of question q is the chosen one.
func (rv revisitView) Checked(v *View, q string, n int) bool {
	if rv.R != nil && rv.R.Status == store.RevisitAnswered {
		return rv.R.Scores[q] == n
	}
	return v.Val("q_"+q) == strconv.Itoa(n)
}

func (h *Web) revisitPage(w http.ResponseWriter, r *http.Request) {
	h.revisitShow(w, r, h.View(r, "revisits", "rv.title", nil), http.StatusOK)
}

func (h *Web) revisitShow(w http.ResponseWriter, r *http.Request, v *View, status int) {
	d, ok := LoadByID(h, w, r, h.svc.Revisit)
	if !ok {
		return
	}
	v.Data = revisitView{R: d, Questions: service.RevisitQuestions, Ratings: []int{5, 4, 3, 2, 1}}
	v.Title = d.Title
	h.Render(w, r, status, "revisit", v)
}

func (h *Web) revisitAnswer(w http.ResponseWriter, r *http.Request) {
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	ans := service.RevisitAnswer{Scores: map[string]int{}, Respondent: r.PostFormValue("respondent"), Comment: r.PostFormValue("comment")}
	for _, q := range service.RevisitQuestions {
		if n, err := strconv.Atoi(r.PostFormValue("q_" + q)); err == nil {
			ans.Scores[q] = n
		}
	}
	err := h.svc.AnswerRevisit(r.Context(), ActorOf(r), id, ans)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			h.Fail(w, r, err)
			return
		}
		v := h.View(r, "revisits", "rv.title", nil)
		h.revisitShow(w, r, v, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/revisits/"+strconv.FormatInt(id, 10), "rv_answered")
}

// ---- publicity calendar ---------------------------------------------------

type campaignsView struct {
	Days     int
	Options  []int
	Rows     []service.CampaignDay
	Regions  map[string]string
	CanEnter bool
	Kinds    []string
}

func (h *Web) campaigns(w http.ResponseWriter, r *http.Request) {
	h.campaignsPage(w, r, h.View(r, "campaigns", "cp.title", nil), http.StatusOK)
}

func (h *Web) campaignsPage(w http.ResponseWriter, r *http.Request, v *View, status int) {
	ctx, a := r.Context(), ActorOf(r)
	days, _ := strconv.Atoi(r.URL.Query().Get("days"))
	if days <= 0 || days > 366 {
		days = 30
	}
	rows, err := h.svc.UpcomingCampaigns(ctx, a, days)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	cv := &campaignsView{Days: days, Options: []int{30, 60, 90, 365}, Rows: rows, Regions: map[string]string{}, CanEnter: authz.CanEnterCampaigns(a), Kinds: service.CampaignKinds}
	for _, d := range rows {
		if d.RegionCode != "" {
			if _, ok := cv.Regions[d.RegionCode]; !ok {
				if reg, err := h.svc.DB.Region(ctx, d.RegionCode); err == nil {
					cv.Regions[d.RegionCode] = reg.Name
				}
			}
		}
	}
	v.Data = cv
	h.Render(w, r, status, "campaigns", v)
}

func (h *Web) campaignCreate(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "campaigns", "cp.title", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.Fail(w, r, err)
		return
	}
	in := service.CampaignInput{RegionCode: r.PostFormValue("region_code"), Day: r.PostFormValue("day"), Kind: r.PostFormValue("kind"),
		Name: r.PostFormValue("name"), Note: r.PostFormValue("note")}
	if _, err := h.svc.AddCampaignDay(r.Context(), ActorOf(r), in); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			h.Fail(w, r, err)
			return
		}
		h.campaignsPage(w, r, v, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/campaigns", "cp_added")
}

func (h *Web) campaignDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	if err := h.svc.DeleteCampaignDay(r.Context(), ActorOf(r), id); err != nil {
		h.Fail(w, r, err)
		return
	}
	Redirect(w, r, "/campaigns", "cp_deleted")
}
