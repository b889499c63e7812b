package selection

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the staff pages of the selection.
type pages struct {
	h *web.Web
	s *Service
}

func staffRoutes(h *web.Web, s *Service) []server.Route {
	p := &pages{h: h, s: s}
	routes := []server.Route{
		{Method: "GET", Pattern: "/selection", Name: "selection", Handler: p.list},
		{Method: "POST", Pattern: "/selection", Name: "selection_create", Handler: p.create},
		{Method: "GET", Pattern: "/selection/{id}", Name: "selection_campaign", Handler: p.campaign},
		{Method: "POST", Pattern: "/selection/{id}/candidates", Name: "selection_nominate", Handler: p.nominate},
		{Method: "POST", Pattern: "/selection/{id}/scores", Name: "selection_score", Handler: p.score},
		{Method: "POST", Pattern: "/selection/{id}/lists", Name: "selection_publish_list", Handler: p.publishList},
		{Method: "POST", Pattern: "/selection/{id}/lists/confirm", Name: "selection_confirm_list", Handler: p.confirmList},
		{Method: "GET", Pattern: "/selection/{id}/vote", Name: "selection_vote", Handler: p.vote},
		{Method: "POST", Pattern: "/selection/{id}/void", Name: "selection_void", Handler: p.void},
		{Method: "POST", Pattern: "/selection/{id}/flags", Name: "selection_scan", Handler: p.scan},
	}
	return append(routes, p.moreRoutes()...)
}

func forbidUnlessStaff(p *pages, w http.ResponseWriter, r *http.Request) bool {
	if !authz.CanSeeSelection(web.ActorOf(r)) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return false
	}
	return true
}

type listView struct {
	dates
	Campaigns []Campaign
	CanCreate bool
	Village   bool // a village committee: recommends its advisor
	Year      int
}

func (p *pages) list(w http.ResponseWriter, r *http.Request) {
	p.listPage(w, r, p.h.View(r, "selection", "sel.title", nil), http.StatusOK)
}

func (p *pages) listPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	a := web.ActorOf(r)
	if a.Role != counsel.RoleVillage && !forbidUnlessStaff(p, w, r) {
		return
	}
	cs, err := p.s.Campaigns(r.Context(), a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	year := p.s.Now().Year()
	v.Data = &listView{Campaigns: cs, CanCreate: authz.CanSeeSelection(a), Village: a.Role == counsel.RoleVillage, Year: year}
	if v.Form == nil {
		v.Form = map[string][]string{"year": {strconv.Itoa(year)}, "region_code": {a.RegionCode}}
	}
	p.h.Render(w, r, status, "selection", v)
}

func (p *pages) create(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<14); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	c, err := p.s.CreateCampaign(r.Context(), web.ActorOf(r), CampaignInput{RegionCode: r.PostFormValue("region_code"), Year: year, Title: r.PostFormValue("title")})
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid && counsel.ErrorCode(err) != counsel.CodeForbidden {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "selection", "sel.title", nil)
		p.listPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/selection/"+strconv.FormatInt(c.ID, 10), "sel_created")
}

// campaignView is a campaign's page: its settings and one stage's ranking.
type campaignView struct {
	dates
	C          *Campaign
	Stage      string
	R          *StageRanking
	CanRun     bool
	Notice     Notice // what a 公示 published today would be
	Today      string
	Stages     []string
	Weights    []Weight
	Materials  []MaterialRow
	Objections []Objection
}

// Why is a ranking's explanation in the reader's language.
func (cv *campaignView) Why(lang string, n Note) string { return i18n.T(lang, n.Key, n.Args...) }

// Name is a ranked candidate's record.
func (cv *campaignView) Name(id int64) Candidate { return cv.R.Names[id] }

func (p *pages) loadCampaign(w http.ResponseWriter, r *http.Request) (*Campaign, bool) {
	if !forbidUnlessStaff(p, w, r) {
		return nil, false
	}
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return nil, false
	}
	c, err := p.s.Campaign(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return nil, false
	}
	return c, true
}

func (p *pages) campaign(w http.ResponseWriter, r *http.Request) {
	c, ok := p.loadCampaign(w, r)
	if !ok {
		return
	}
	p.campaignPage(w, r, c, p.h.View(r, "selection", "sel.title", nil), r.URL.Query().Get("stage"), http.StatusOK)
}

func (p *pages) campaignPage(w http.ResponseWriter, r *http.Request, c *Campaign, v *web.View, stage string, status int) {
	if _, ok := c.Settings.Stage(stage); !ok {
		stage = c.Settings.Stages[0].Key
		if st, ok := VotingStage(c, p.s.Today()); ok {
			stage = st.Key
		}
	}
	rk, err := p.s.Ranking(r.Context(), c, stage)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	cv := &campaignView{C: c, Stage: stage, R: rk, CanRun: authz.CanRunSelection(web.ActorOf(r), c.RegionCode), Today: p.s.Today()}
	for _, st := range c.Settings.Stages {
		cv.Stages = append(cv.Stages, st.Key)
	}
	cv.Notice, _ = NoticePeriod(p.s.Cal, cv.Today, c.Settings.NoticeWorkdays)
	if cv.Objections, err = p.s.Objections(r.Context(), c.ID, stage); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if cv.Materials, err = p.s.Materials(r.Context(), c); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Data = cv
	v.Title = c.Title
	p.h.Render(w, r, status, "selection_campaign", v)
}

// formFail re-renders the campaign page with the form's error.
func (p *pages) formFail(w http.ResponseWriter, r *http.Request, c *Campaign, err error) {
	switch counsel.ErrorCode(err) {
	case counsel.CodeInvalid, counsel.CodeConflict, counsel.CodeForbidden:
		v := p.h.View(r, "selection", "sel.title", nil)
		status := p.h.FormFail(r, v, err)
		p.campaignPage(w, r, c, v, r.PostFormValue("stage"), status)
	default:
		p.h.Fail(w, r, err)
	}
}

func (p *pages) post(w http.ResponseWriter, r *http.Request) (*Campaign, bool) {
	if err := web.ParseForm(r, 1<<14); err != nil {
		p.h.Fail(w, r, err)
		return nil, false
	}
	return p.loadCampaign(w, r)
}

func back(c *Campaign, stage string) string {
	return "/selection/" + strconv.FormatInt(c.ID, 10) + "?stage=" + stage
}

func (p *pages) nominate(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	adv, _ := strconv.ParseInt(strings.TrimSpace(f.Get("advisor_id")), 10, 64)
	if _, err := p.s.AddCandidate(r.Context(), web.ActorOf(r), c.ID, CandidateInput{Stage: f.Get("stage"), AdvisorID: adv, Category: f.Get("category"), Profile: f.Get("profile")}); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, f.Get("stage")), "sel_nominated")
}

func (p *pages) score(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	kid, _ := strconv.ParseInt(f.Get("candidate_id"), 10, 64)
	if err := p.s.EnterScore(r.Context(), web.ActorOf(r), kid, CompProvince, f.Get("score")); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, f.Get("stage")), "saved")
}

func (p *pages) publishList(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	if _, err := p.s.PublishList(r.Context(), web.ActorOf(r), c.ID, f.Get("stage"), strings.TrimSpace(f.Get("notice_start"))); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, f.Get("stage")), "sel_list_published")
}

func (p *pages) confirmList(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	if err := p.s.ConfirmList(r.Context(), web.ActorOf(r), c.ID, r.PostFormValue("stage")); err != nil {
		p.formFail(w, r, c, err)
		return
	}
	web.Redirect(w, r, back(c, r.PostFormValue("stage")), "sel_list_confirmed")
}

// voteView is the bureau's view of a stage's vote: the verifier's report,
// the flags, the voids and the publications.
type voteView struct {
	dates
	C      *Campaign
	Stage  string
	Stages []string
	Report *Report
	Flags  []Flag
	Voids  []Void
	Pubs   []Published
	Names  map[int64]string
	CanRun bool
	Today  string
}

// Problem is a verifier's finding in the reader's language.
func (d *voteView) Problem(lang string, p Problem) string {
	switch p.Kind {
	case ProblemEdited, ProblemInserted:
		return i18n.T(lang, "sel.problem."+p.Kind, p.Seq, p.BallotID)
	case ProblemPublished:
		return i18n.T(lang, "sel.problem.published", DateCN(p.Day), p.Seq)
	case ProblemTally:
		id, _ := strconv.ParseInt(p.Detail, 10, 64)
		return i18n.T(lang, "sel.problem.tally", DateCN(p.Day), d.Names[id])
	}
	return i18n.T(lang, "sel.problem."+p.Kind, p.Seq)
}

func (p *pages) vote(w http.ResponseWriter, r *http.Request) {
	c, ok := p.loadCampaign(w, r)
	if !ok {
		return
	}
	p.votePage(w, r, c, p.h.View(r, "selection", "sel.vote_monitor", nil), r.URL.Query().Get("stage"), http.StatusOK)
}

func (p *pages) votePage(w http.ResponseWriter, r *http.Request, c *Campaign, v *web.View, stage string, status int) {
	ctx := r.Context()
	if _, ok := c.Settings.Stage(stage); !ok {
		stage = c.Settings.Stages[0].Key
		if st, ok := VotingStage(c, p.s.Today()); ok {
			stage = st.Key
		}
	}
	d := &voteView{C: c, Stage: stage, Names: map[int64]string{}, CanRun: authz.CanRunSelection(web.ActorOf(r), c.RegionCode), Today: p.s.Today()}
	for _, st := range c.Settings.Stages {
		d.Stages = append(d.Stages, st.Key)
	}
	var err error
	if d.Report, err = p.s.VerifyStage(ctx, c.ID, stage); err == nil {
		if d.Flags, err = Flags(ctx, p.s.DB, c.ID, stage); err == nil {
			if d.Voids, err = Voids(ctx, p.s.DB, c.ID, stage); err == nil {
				d.Pubs, err = PublishedDays(ctx, p.s.DB, c.ID, stage)
			}
		}
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ks, err := Candidates(ctx, p.s.DB, c.ID, stage)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	for _, k := range ks {
		d.Names[k.ID] = k.AdvisorName
	}
	v.Data = d
	v.Title = c.Title
	p.h.Render(w, r, status, "selection_vote", v)
}

func (p *pages) void(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	f := r.PostForm
	bid, _ := strconv.ParseInt(strings.TrimSpace(f.Get("ballot_id")), 10, 64)
	if err := p.s.VoidBallot(r.Context(), web.ActorOf(r), c.ID, bid, f.Get("reason")); err != nil {
		if k := counsel.ErrorCode(err); k == counsel.CodeInvalid || k == counsel.CodeForbidden {
			v := p.h.View(r, "selection", "sel.vote_monitor", nil)
			p.votePage(w, r, c, v, f.Get("stage"), p.h.FormFail(r, v, err))
			return
		}
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/selection/"+strconv.FormatInt(c.ID, 10)+"/vote?stage="+f.Get("stage"), "sel_voided")
}

func (p *pages) scan(w http.ResponseWriter, r *http.Request) {
	c, ok := p.post(w, r)
	if !ok {
		return
	}
	if !authz.CanRunSelection(web.ActorOf(r), c.RegionCode) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	f := r.PostForm
	day := strings.TrimSpace(f.Get("day"))
	if day == "" {
		day = p.s.Today()
	}
	if !counsel.ValidDate(day) {
		v := p.h.View(r, "selection", "sel.vote_monitor", nil)
		p.votePage(w, r, c, v, f.Get("stage"), p.h.FormFail(r, v, counsel.Invalid(counsel.FieldError{Field: "day", Key: "err.date"})))
		return
	}
	if _, err := p.s.ScanFlags(r.Context(), c.ID, f.Get("stage"), day); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/selection/"+strconv.FormatInt(c.ID, 10)+"/vote?stage="+f.Get("stage"), "sel_scanned")
}
