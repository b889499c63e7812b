package assess

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// surveyPublicPages are the residents' survey pages, drawn in the public frame.
var surveyPublicPages = []string{"assess_survey", "assess_survey_done", "assess_notice"}

// surveyRoutes are the public survey (评价法律顾问) and the staff summary.
func (p *pages) surveyRoutes() []server.Route {
	pub, err := public.NewFrame(p.h, templates, surveyPublicPages...)
	if err != nil {
		panic(err) // embedded templates: a broken one is a programming error
	}
	p.pub = pub
	return []server.Route{
		{Method: "GET", Pattern: "/survey", Name: "survey", Public: true, Handler: p.survey},
		{Method: "POST", Pattern: "/survey", Name: "survey_submit", Public: true, Handler: p.surveySubmit},
		{Method: "GET", Pattern: "/assess/surveys", Name: "assess_surveys", Handler: p.surveys},
	}
}

// view is a public page with the survey's style sheet.
func (p *pages) view(r *http.Request, title string) *public.PubView {
	v := p.pub.View(r, title, nil)
	v.PrintCSS = "assess.css"
	return v
}

type surveyPage struct {
	Village   *counsel.Region
	Advisor   string
	Questions []string
	Max       int
}

func (p *pages) survey(w http.ResponseWriter, r *http.Request) {
	p.surveyForm(w, r, p.view(r, "as.sv.title"), strings.TrimSpace(r.URL.Query().Get("v")), http.StatusOK)
}

func (p *pages) surveyForm(w http.ResponseWriter, r *http.Request, v *public.PubView, code string, status int) {
	vil, va, err := p.svc.SurveyVillage(r.Context(), code)
	if err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	v.Data = &surveyPage{Village: vil, Advisor: va.AdvisorName, Questions: SurveyQuestions, Max: MaxSurveyComment}
	p.pub.Render(w, r, status, "assess_survey", v)
}

func (p *pages) surveySubmit(w http.ResponseWriter, r *http.Request) {
	v := p.view(r, "as.sv.title")
	if err := web.ParseForm(r, 1<<15); err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	in := SurveyInput{VillageCode: r.PostFormValue("village_code"), Scores: map[string]int{}, Comment: r.PostFormValue("comment"),
		Website: r.PostFormValue("website"), IP: server.ClientIP(r)}
	for _, q := range SurveyQuestions {
		in.Scores[q], _ = strconv.Atoi(r.PostFormValue("q." + q))
	}
	if err := p.svc.SubmitSurvey(r.Context(), in); err != nil {
		status := p.h.FormFail(r, v.View, err)
		code := in.VillageCode
		if _, _, err2 := p.svc.SurveyVillage(r.Context(), code); err2 != nil {
			p.pub.Fail(w, r, err)
			return
		}
		p.surveyForm(w, r, v, code, status)
		return
	}
	p.pub.Render(w, r, http.StatusOK, "assess_survey_done", p.view(r, "as.sv.done_title"))
}

type surveysView struct {
	Year, Min int
	Rows      []SurveyRow
	Short     int
}

func (p *pages) surveys(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year, _ := strconv.Atoi(q.Get("year"))
	if year == 0 {
		year = p.svc.Now().In(calendar.Shanghai).Year()
	}
	min, _ := strconv.Atoi(q.Get("min"))
	if min <= 0 || min > 1000 {
		min = DefaultSurveyMin
	}
	rows, err := p.svc.SurveyStats(r.Context(), web.ActorOf(r), year, min)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	sv := &surveysView{Year: year, Min: min, Rows: rows}
	for _, x := range rows {
		if x.Short > 0 {
			sv.Short++
		}
	}
	p.h.Render(w, r, http.StatusOK, "assess_surveys", p.h.View(r, "surveys", "as.sv.stats_title", sv))
}
