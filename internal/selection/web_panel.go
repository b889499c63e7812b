package selection

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// Eligibility (R41), recommendations, the sanctions register and panel
// scoring pages.

func (p *pages) moreRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/selection/{id}/eligibility", Name: "selection_eligibility", Handler: p.eligibility},
		{Method: "POST", Pattern: "/selection/{id}/recommend", Name: "selection_recommend", Handler: p.recommend},
		{Method: "POST", Pattern: "/selection/{id}/sanctions", Name: "selection_sanction", Handler: p.sanction},
		{Method: "POST", Pattern: "/selection/{id}/assessments", Name: "selection_assessment", Handler: p.assessment},
		{Method: "POST", Pattern: "/selection/{id}/panel", Name: "selection_panel_add", Handler: p.panelAdd},
		{Method: "GET", Pattern: "/selection/panel", Name: "selection_panel", Handler: p.panel},
		{Method: "POST", Pattern: "/selection/{id}/materials", Name: "selection_material", Handler: p.material},
		{Method: "POST", Pattern: "/selection/{id}/objections/{oid}/answer", Name: "selection_answer", Handler: p.answer},
		{Method: "POST", Pattern: "/selection/panel/{member}/scores", Name: "selection_panel_score", Handler: p.panelScore},
	}
}

type eligibilityView struct {
	dates
	C         *Campaign
	County    string
	Rows      []Eligibility
	CanRecord bool
	Kinds     []string
}

// Why is a check's reason in the reader's language.
func (ev *eligibilityView) Why(lang string, n Note) string { return (&campaignView{}).Why(lang, n) }

// Hours shows minutes as hours with one decimal.
func (ev *eligibilityView) Hours(min int) string {
	return strconv.FormatFloat(float64(min)/60, 'f', 1, 64)
}

func (p *pages) eligibility(w http.ResponseWriter, r *http.Request) {
	c, ok := p.loadCampaign(w, r)
	if !ok {
		return
	}
	p.eligibilityPage(w, r, c, p.h.View(r, "selection", "sel.elig_title", nil), strings.TrimSpace(r.URL.Query().Get("county")), http.StatusOK)
}

func (p *pages) eligibilityPage(w http.ResponseWriter, r *http.Request, c *Campaign, v *web.View, county string, status int) {
	a := web.ActorOf(r)
	if !authz.CanSeeSelection(a) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	if county == "" && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty {
		county = a.RegionCode
	}
	d := &eligibilityView{C: c, County: county, CanRecord: county != "" && authz.CanNominate(a, county), Kinds: SanctionKinds}
	if county != "" {
		rows, err := p.s.EligibilityOf(r.Context(), a, c.ID, county)
		if err != nil {
			if k := counsel.ErrorCode(err); k != counsel.CodeInvalid && k != counsel.CodeForbidden {
				p.h.Fail(w, r, err)
				return
			}
			status = p.h.FormFail(r, v, err)
		}
		d.Rows = rows
	}
	v.Data = d
	v.Title = c.Title
	p.h.Render(w, r, status, "selection_eligibility", v)
}

func (p *pages) recommend(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if _, err := p.s.Recommend(r.Context(), web.ActorOf(r), id); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			v := p.h.View(r, "selection", "sel.title", nil)
			p.listPage(w, r, v, p.h.FormFail(r, v, err))
			return
		}
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/selection", "sel_recommended")
}

func (p *pages) eligibilityFail(w http.ResponseWriter, r *http.Request, c *Campaign, err error) {
	switch counsel.ErrorCode(err) {
	case counsel.CodeInvalid, counsel.CodeForbidden:
		v := p.h.View(r, "selection", "sel.elig_title", nil)
		status := p.h.FormFail(r, v, err)
		p.eligibilityPage(w, r, c, v, r.PostFormValue("county"), status)
	default:
		p.h.Fail(w, r, err)
	}
}

func (p *pages) sanction(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	adv, _ := strconv.ParseInt(strings.TrimSpace(f.Get("advisor_id")), 10, 64)
	x := Sanction{AdvisorID: adv, Kind: f.Get("kind"), DecidedOn: f.Get("decided_on"), Authority: f.Get("authority"), Note: f.Get("note")}
	if err := p.s.RecordSanction(r.Context(), web.ActorOf(r), x); err != nil {
		p.eligibilityFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, "/selection/"+strconv.FormatInt(c.ID, 10)+"/eligibility?county="+f.Get("county"), "saved")
}

func (p *pages) assessment(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	adv, _ := strconv.ParseInt(strings.TrimSpace(f.Get("advisor_id")), 10, 64)
	year, _ := strconv.Atoi(strings.TrimSpace(f.Get("year")))
	if err := p.s.RecordAssessment(r.Context(), web.ActorOf(r), adv, year, f.Get("passed") == "1"); err != nil {
		p.eligibilityFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, "/selection/"+strconv.FormatInt(c.ID, 10)+"/eligibility?county="+f.Get("county"), "saved")
}

func (p *pages) panelAdd(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	if err := p.s.AddPanelMember(r.Context(), web.ActorOf(r), c.ID, f.Get("stage"), f.Get("username"), f.Get("title")); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, f.Get("stage")), "sel_member_added")
}

type panelView struct {
	dates
	Seats  []Membership
	Seat   *Membership
	Rows   []SheetRow
	Max    int
	Member int64
}

func (p *pages) panel(w http.ResponseWriter, r *http.Request) {
	mid, _ := strconv.ParseInt(r.URL.Query().Get("seat"), 10, 64)
	p.panelPage(w, r, p.h.View(r, "panel", "sel.panel_title", nil), mid, http.StatusOK)
}

func (p *pages) panelPage(w http.ResponseWriter, r *http.Request, v *web.View, mid int64, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	seats, err := p.s.MyPanels(ctx, a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d := &panelView{Seats: seats}
	if mid == 0 && len(seats) > 0 {
		mid = seats[0].ID
	}
	if mid > 0 {
		seat, rows, max, err := p.s.Sheet(ctx, a, mid)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		d.Seat, d.Rows, d.Max, d.Member = seat, rows, max, mid
	}
	v.Data = d
	p.h.Render(w, r, status, "selection_panel", v)
}

func (p *pages) panelScore(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	mid, err := strconv.ParseInt(r.PathValue("member"), 10, 64)
	if err != nil {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	f := r.PostForm
	kid, _ := strconv.ParseInt(f.Get("candidate_id"), 10, 64)
	if err := p.s.SaveScore(r.Context(), web.ActorOf(r), mid, kid, f.Get("score"), f.Get("submit") == "1"); err != nil {
		switch counsel.ErrorCode(err) {
		case counsel.CodeInvalid, counsel.CodeConflict:
			v := p.h.View(r, "panel", "sel.panel_title", nil)
			p.panelPage(w, r, v, mid, p.h.FormFail(r, v, err))
		default:
			p.h.Fail(w, r, err)
		}
		return
	}
	web.Redirect(w, r, "/selection/panel?seat="+strconv.FormatInt(mid, 10), "saved")
}

func (p *pages) material(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	if err := p.s.SubmitMaterial(r.Context(), web.ActorOf(r), c.ID, strings.TrimSpace(f.Get("county")), f.Get("kind"), f.Get("note")); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, f.Get("stage"))+"#materials-h", "sel_material")
}

func (p *pages) answer(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	oid, err := strconv.ParseInt(r.PathValue("oid"), 10, 64)
	if err != nil {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	if err := p.s.AnswerObjection(r.Context(), web.ActorOf(r), c.ID, oid, r.PostFormValue("answer")); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, r.PostFormValue("stage")), "sel_answered")
}
