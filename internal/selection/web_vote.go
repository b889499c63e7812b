package selection

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The public vote (R43): pages in the public frame (phone first, care mode,
// screen readers), no account; a voter proves a phone with an SMS code and
// gets a session cookie for the vote pages.

// Cookies of the vote pages.
const (
	VoterCookie  = "vc_voter" // the voter's session token
	DeviceCookie = "vc_dev"   // a random id per browser, for the "many phones from one device" flag
)

var votePublicPages = []string{"vote_list", "vote_page", "vote_results"}

type votePages struct {
	h   *web.Web
	pub *public.Frame
	s   *Service
}

func voteRoutes(h *web.Web, s *Service) []server.Route {
	pub, err := public.NewFrame(h, templates, votePublicPages...)
	if err != nil {
		panic(err) // embedded templates: a broken one is a programming error
	}
	p := &votePages{h: h, pub: pub, s: s}
	return []server.Route{
		{Method: "GET", Pattern: "/vote", Name: "vote_list", Public: true, Handler: p.list},
		{Method: "GET", Pattern: "/vote/{id}", Name: "vote_page", Public: true, Handler: p.page},
		{Method: "POST", Pattern: "/vote/{id}/code", Name: "vote_code", Public: true, Handler: p.code},
		{Method: "POST", Pattern: "/vote/{id}/verify", Name: "vote_verify", Public: true, Handler: p.verify},
		{Method: "POST", Pattern: "/vote/{id}/cast", Name: "vote_cast", Public: true, Handler: p.cast},
		{Method: "GET", Pattern: "/vote/{id}/results", Name: "vote_results", Public: true, Handler: p.results},
		{Method: "GET", Pattern: "/vote/{id}/ballots", Name: "vote_ballots", Public: true, Handler: p.ballots},
		{Method: "POST", Pattern: "/vote/{id}/objection", Name: "vote_objection", Public: true, Handler: p.object},
	}
}

func (p *votePages) view(r *http.Request, title string, data any) *public.PubView {
	v := p.pub.View(r, title, data)
	v.PrintCSS = "consult.css" // the public forms' style sheet
	return v
}

// openCampaign is a campaign with the stage whose vote is open today.
type openCampaign struct {
	C     Campaign
	Stage *StageSettings
}

type voteListPage struct {
	dates
	Open []openCampaign
	All  []Campaign
}

func (p *votePages) list(w http.ResponseWriter, r *http.Request) {
	cs, err := listCampaigns(r.Context(), p.s.DB)
	if err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	d := &voteListPage{All: cs}
	today := p.s.Today()
	for _, c := range cs {
		if st, ok := VotingStage(&c, today); ok {
			d.Open = append(d.Open, openCampaign{C: c, Stage: st})
		}
	}
	p.pub.Render(w, r, http.StatusOK, "vote_list", p.view(r, "sel.vote_title", d))
}

// votePage is a campaign's vote page.
type votePage struct {
	dates
	C          *Campaign
	Stage      *StageSettings // the stage whose vote is open, nil when none
	Candidates []Candidate
	Voted      map[int64]bool // candidates this voter voted for today
	Voter      string         // the verified phone, masked ("" = not verified)
	Phone      string         // the phone typed, on the code form
	CodeSent   bool
	DemoCode   string // the demo sender's code, shown only with the demo sender
	Pub        *Published
	Today      string
	Rules      VoteRules
}

func (p *votePages) load(w http.ResponseWriter, r *http.Request) (*Campaign, bool) {
	id, err := web.PathID(r)
	if err != nil {
		p.pub.Fail(w, r, err)
		return nil, false
	}
	c, err := CampaignByID(r.Context(), p.s.DB, id)
	if err != nil {
		p.pub.Fail(w, r, err)
		return nil, false
	}
	return c, true
}

func (p *votePages) voter(r *http.Request) *Voter {
	ck, err := r.Cookie(VoterCookie)
	if err != nil {
		return nil
	}
	v, err := p.s.VoterBySession(r.Context(), ck.Value)
	if err != nil {
		p.s.Log.Warn("selection: voter session", "err", err)
		return nil
	}
	return v
}

// device returns the browser's device id, setting one when missing.
func device(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(DeviceCookie); err == nil && len(ck.Value) == 32 {
		return ck.Value
	}
	id := randomHex(16)
	http.SetCookie(w, &http.Cookie{Name: DeviceCookie, Value: id, Path: "/vote", MaxAge: 400 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	return id
}

func (p *votePages) render(w http.ResponseWriter, r *http.Request, c *Campaign, v *public.PubView, d *votePage, status int) {
	ctx := r.Context()
	d.C, d.Today, d.Rules = c, p.s.Today(), c.Settings.Vote
	if st, ok := VotingStage(c, d.Today); ok {
		d.Stage = st
		ks, err := Candidates(ctx, p.s.DB, c.ID, st.Key)
		if err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		for _, k := range ks {
			if k.Status == CandidateActive {
				d.Candidates = append(d.Candidates, k)
			}
		}
		if d.Pub, err = p.s.VoteCounts(ctx, c.ID, st.Key); err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		if vt := p.voter(r); vt != nil {
			d.Voter = sms.MaskPhone(vt.Phone)
			d.Voted = map[int64]bool{}
			bs, err := ballotsWhere(ctx, p.s.DB, `campaign_id = ? AND stage = ? AND voter_id = ? AND day = ?`, c.ID, st.Key, vt.ID, d.Today)
			if err != nil {
				p.pub.Fail(w, r, err)
				return
			}
			for _, b := range bs {
				d.Voted[b.CandidateID] = true
			}
		}
	}
	v.Data = d
	v.Title = c.Title
	p.pub.Render(w, r, status, "vote_page", v)
}

func (p *votePages) page(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	device(w, r)
	p.render(w, r, c, p.view(r, "sel.vote_title", nil), &votePage{}, http.StatusOK)
}

func (p *votePages) code(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	v := p.view(r, "sel.vote_title", nil)
	phone := normalizePhone(r.PostFormValue("phone"))
	d := &votePage{Phone: phone}
	if err := p.s.RequestCode(r.Context(), phone, server.ClientIP(r)); err != nil {
		status := p.h.FormFail(r, v.View, err)
		p.render(w, r, c, v, d, status)
		return
	}
	d.CodeSent = true
	if demo, ok := p.s.Sender.(*sms.Log); ok {
		d.DemoCode = demo.Peek(phone)
	}
	p.render(w, r, c, v, d, http.StatusOK)
}

func (p *votePages) verify(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	v := p.view(r, "sel.vote_title", nil)
	phone := normalizePhone(r.PostFormValue("phone"))
	tok, err := p.s.VerifyCode(r.Context(), phone, r.PostFormValue("code"), server.ClientIP(r), device(w, r))
	if err != nil {
		status := p.h.FormFail(r, v.View, err)
		p.render(w, r, c, v, &votePage{Phone: phone, CodeSent: true}, status)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: VoterCookie, Value: tok, Path: "/vote", MaxAge: int(SessionLife.Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/vote/"+strconv.FormatInt(c.ID, 10)+"?ok=sel_verified#candidates", http.StatusSeeOther)
}

func (p *votePages) cast(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	v := p.view(r, "sel.vote_title", nil)
	kid, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("candidate_id")), 10, 64)
	if _, err := p.s.Cast(r.Context(), p.voter(r), c.ID, kid, server.ClientIP(r)); err != nil {
		status := p.h.FormFail(r, v.View, err)
		p.render(w, r, c, v, &votePage{}, status)
		return
	}
	http.Redirect(w, r, "/vote/"+strconv.FormatInt(c.ID, 10)+"?ok=sel_voted#candidates", http.StatusSeeOther)
}

// resultsStage is one stage's publications with its candidates' names.
type resultsStage struct {
	Stage *StageSettings
	Pubs  []Published
	Names map[int64]string
	Voids []Void
	Last  *Published
	Rows  []resultRow
}

type resultRow struct {
	Name  string
	Votes int64
}

type voteResultsPage struct {
	dates
	C       *Campaign
	Stages  []resultsStage
	Notices []noticeStage
	Thanks  bool
}

// noticeStage is a stage's list on (or after) its 公示, with the objections.
type noticeStage struct {
	Stage      *StageSettings
	List       *StageList
	Open       bool // the notice runs today: objections are taken
	Objections []Objection
}

func (p *votePages) results(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	p.resultsPage(w, r, c, p.view(r, "sel.results_title", nil), &voteResultsPage{}, http.StatusOK)
}

func (p *votePages) resultsPage(w http.ResponseWriter, r *http.Request, c *Campaign, v *public.PubView, d *voteResultsPage, status int) {
	ctx := r.Context()
	d.C = c
	today := p.s.Today()
	for i := range c.Settings.Stages {
		st := &c.Settings.Stages[i]
		l, err := p.s.stageList(ctx, c.ID, st.Key)
		if err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		if l == nil {
			continue
		}
		ns := noticeStage{Stage: st, List: l, Open: today >= l.Notice.Start && today <= l.Notice.End}
		if ns.Objections, err = p.s.Objections(ctx, c.ID, st.Key); err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		d.Notices = append(d.Notices, ns)
	}
	for i := range c.Settings.Stages {
		st := &c.Settings.Stages[i]
		pubs, err := PublishedDays(ctx, p.s.DB, c.ID, st.Key)
		if err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		if len(pubs) == 0 {
			continue
		}
		rs := resultsStage{Stage: st, Pubs: pubs, Names: map[int64]string{}, Last: &pubs[len(pubs)-1]}
		ks, err := Candidates(ctx, p.s.DB, c.ID, st.Key)
		if err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		for _, k := range ks {
			rs.Names[k.ID] = k.AdvisorName
			rs.Rows = append(rs.Rows, resultRow{Name: k.AdvisorName, Votes: rs.Last.Counts[k.ID]})
		}
		if rs.Voids, err = Voids(ctx, p.s.DB, c.ID, st.Key); err != nil {
			p.pub.Fail(w, r, err)
			return
		}
		d.Stages = append(d.Stages, rs)
	}
	v.Data = d
	p.pub.Render(w, r, status, "vote_results", v)
}

func (p *votePages) object(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	if err := web.ParseForm(r, 1<<14); err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	f := r.PostForm
	kid, _ := strconv.ParseInt(strings.TrimSpace(f.Get("candidate_id")), 10, 64)
	v := p.view(r, "sel.results_title", nil)
	d := &voteResultsPage{}
	status := http.StatusOK
	if err := p.s.Object(r.Context(), c.ID, f.Get("stage"), kid, f.Get("body"), f.Get("contact"), server.ClientIP(r)); err != nil {
		status = p.h.FormFail(r, v.View, err)
	} else {
		d.Thanks = true
	}
	p.resultsPage(w, r, c, v, d, status)
}

// PublicBallots is the published record of a round's vote, for anyone to
// check: the daily publications, the ballots up to the latest published
// head (never the live ones: counts stay hidden until published) and the
// voids with their reasons. Voters appear by number only; with these fields
// BallotHash recomputes every hash and Verify the whole chain.
type PublicBallots struct {
	CampaignID int64       `json:"campaign_id"`
	Stage      string      `json:"stage"`
	Published  []Published `json:"published"`
	Ballots    []Ballot    `json:"ballots"`
	Voids      []Void      `json:"voids"`
}

// ExportBallots reads a round's published record.
func (s *Service) ExportBallots(ctx context.Context, campaignID int64, stage string) (*PublicBallots, error) {
	out := &PublicBallots{CampaignID: campaignID, Stage: stage, Ballots: []Ballot{}, Voids: []Void{}}
	var err error
	if out.Published, err = PublishedDays(ctx, s.DB, campaignID, stage); err != nil {
		return nil, err
	}
	if len(out.Published) == 0 {
		return out, nil
	}
	last := out.Published[len(out.Published)-1]
	bs, err := ballotsWhere(ctx, s.DB, `campaign_id = ? AND stage = ? AND seq <= ?`, campaignID, stage, last.Seq)
	if err != nil {
		return nil, err
	}
	out.Ballots = append(out.Ballots, bs...)
	vs, err := Voids(ctx, s.DB, campaignID, stage)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Seq <= last.Seq && v.VoidedAt <= last.PublishedAt {
			out.Voids = append(out.Voids, v)
		}
	}
	return out, nil
}

func (p *votePages) ballots(w http.ResponseWriter, r *http.Request) {
	c, ok := p.load(w, r)
	if !ok {
		return
	}
	stage := r.URL.Query().Get("stage")
	if _, ok := c.Settings.Stage(stage); !ok {
		stage = c.Settings.Stages[len(c.Settings.Stages)-1].Key
	}
	out, err := p.s.ExportBallots(r.Context(), c.ID, stage)
	if err != nil {
		p.pub.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(out)
}
