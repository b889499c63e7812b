package outreach

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/server"
)

// endpoints are the outreach area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// RevisitRoundsResponse lists rounds (bureaus, admin) or a village's own
// questionnaires.
type RevisitRoundsResponse struct {
	Rounds []RevisitRound `json:"rounds,omitempty"`
	Mine   []Revisit      `json:"mine,omitempty"`
}

// ops are the operations of revisits and the publicity calendar.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/revisits", "revisits", p.revisits), Summary: "Revisit rounds (admin, bureaus) or the village committee's own questionnaires", Tag: "revisits", Response: RevisitRoundsResponse{}},
		{Route: rt("POST", "/revisits/rounds", "revisit_round_create", p.revisitRoundCreate), Summary: "Send a round of questionnaires to the county's villages that have an advisor (county bureau, admin)", Tag: "revisits",
			Request: RevisitRoundInput{}, Response: RevisitRound{}},
		{Route: rt("GET", "/revisits/summary", "revisit_summary", p.revisitSummary), Summary: "Average ratings and comments per advisor and year", Tag: "revisits", Response: []RevisitSummary{}, Query: []string{"year", "region"}},
		{Route: rt("GET", "/revisits/{id}", "revisit", p.revisit), Summary: "One questionnaire with its ratings", Tag: "revisits", Response: RevisitDetail{}},
		{Route: rt("POST", "/revisits/{id}/answer", "revisit_answer", p.revisitAnswer), Summary: "Answer a questionnaire (the village committee, once): a 1–5 rating for every question", Tag: "revisits",
			Request: RevisitAnswer{}, Response: RevisitDetail{}},
		{Route: rt("GET", "/campaigns", "campaigns", p.campaigns), Summary: "Campaign days from ?from= to ?to= (default: the next 30 days)", Tag: "campaigns", Response: []CampaignDay{}, Query: []string{"from", "to"}},
		// The entered day (EnteredDay, store.CampaignDay before the move) has
		// always been documented under the calendar day's schema name
		// CampaignDay, which the two types shared; kept so the document stays
		// the same.
		{Route: rt("POST", "/campaigns", "campaign_create", p.campaignCreate), Summary: "Enter a committee election or local campaign day (county bureau, admin)", Tag: "campaigns", Request: CampaignInput{}, Response: CampaignDay{}},
		{Route: rt("DELETE", "/campaigns/{id}", "campaign_delete", p.campaignDelete), Summary: "Delete an entered campaign day", Tag: "campaigns", Response: api.Done{}},
	}
}

func (p *endpoints) revisits(w http.ResponseWriter, r *http.Request) {
	a := api.ActorOf(r)
	var res RevisitRoundsResponse
	var err error
	if a.Role == counsel.RoleVillage {
		res.Mine, err = p.svc.MyRevisits(r.Context(), a)
	} else {
		res.Rounds, err = p.svc.RevisitRounds(r.Context(), a)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, res)
}

func (p *endpoints) revisitRoundCreate(w http.ResponseWriter, r *http.Request) {
	var in RevisitRoundInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	round, err := p.svc.SendRevisitRound(r.Context(), api.ActorOf(r), in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, round)
}

func (p *endpoints) revisitSummary(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	rows, err := p.svc.RevisitSummaries(r.Context(), api.ActorOf(r), strings.TrimSpace(r.URL.Query().Get("region")), year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, rows)
}

func (p *endpoints) revisit(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	var d *RevisitDetail
	if err == nil {
		d, err = p.svc.Revisit(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, d)
}

func (p *endpoints) revisitAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	var in RevisitAnswer
	if err == nil {
		err = api.Decode(r, &in)
	}
	if err == nil {
		err = p.svc.AnswerRevisit(r.Context(), api.ActorOf(r), id, in)
	}
	var d *RevisitDetail
	if err == nil {
		d, err = p.svc.Revisit(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, d)
}

func (p *endpoints) campaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var days []CampaignDay
	var err error
	if q.Get("from") == "" && q.Get("to") == "" {
		days, err = p.svc.UpcomingCampaigns(r.Context(), api.ActorOf(r), 30)
	} else {
		days, err = p.svc.CampaignDays(r.Context(), api.ActorOf(r), q.Get("from"), q.Get("to"))
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if days == nil {
		days = []CampaignDay{}
	}
	api.OK(w, http.StatusOK, days)
}

func (p *endpoints) campaignCreate(w http.ResponseWriter, r *http.Request) {
	var in CampaignInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d, err := p.svc.AddCampaignDay(r.Context(), api.ActorOf(r), in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, d)
}

func (p *endpoints) campaignDelete(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err == nil {
		err = p.svc.DeleteCampaignDay(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, api.Done{OK: true})
}
