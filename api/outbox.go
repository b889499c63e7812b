package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// Done is an empty success answer.
type Done struct {
	OK bool `json:"ok"`
}

// RevisitRoundsResponse lists rounds (bureaus, admin) or a village's own
// questionnaires.
type RevisitRoundsResponse struct {
	Rounds []store.RevisitRound `json:"rounds,omitempty"`
	Mine   []store.Revisit      `json:"mine,omitempty"`
}

// outreachOps are the operations of revisits and the publicity calendar.
func (h *API) outreachOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []Op{
		{Route: rt("GET", "/revisits", "revisits", h.revisits), Summary: "Revisit rounds (admin, bureaus) or the village committee's own questionnaires", Tag: "revisits", Response: RevisitRoundsResponse{}},
		{Route: rt("POST", "/revisits/rounds", "revisit_round_create", h.revisitRoundCreate), Summary: "Send a round of questionnaires to the county's villages that have an advisor (county bureau, admin)", Tag: "revisits",
			Request: service.RevisitRoundInput{}, Response: store.RevisitRound{}},
		{Route: rt("GET", "/revisits/summary", "revisit_summary", h.revisitSummary), Summary: "Average ratings and comments per advisor and year", Tag: "revisits", Response: []service.RevisitSummary{}, Query: []string{"year", "region"}},
		{Route: rt("GET", "/revisits/{id}", "revisit", h.revisit), Summary: "One questionnaire with its ratings", Tag: "revisits", Response: service.RevisitDetail{}},
		{Route: rt("POST", "/revisits/{id}/answer", "revisit_answer", h.revisitAnswer), Summary: "Answer a questionnaire (the village committee, once): a 1–5 rating for every question", Tag: "revisits",
			Request: service.RevisitAnswer{}, Response: service.RevisitDetail{}},
		{Route: rt("GET", "/campaigns", "campaigns", h.campaigns), Summary: "Campaign days from ?from= to ?to= (default: the next 30 days)", Tag: "campaigns", Response: []service.CampaignDay{}, Query: []string{"from", "to"}},
		{Route: rt("POST", "/campaigns", "campaign_create", h.campaignCreate), Summary: "Enter a committee election or local campaign day (county bureau, admin)", Tag: "campaigns", Request: service.CampaignInput{}, Response: store.CampaignDay{}},
		{Route: rt("DELETE", "/campaigns/{id}", "campaign_delete", h.campaignDelete), Summary: "Delete an entered campaign day", Tag: "campaigns", Response: Done{}},
	}
}

func (h *API) revisits(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	var res RevisitRoundsResponse
	var err error
	if a.Role == counsel.RoleVillage {
		res.Mine, err = h.svc.MyRevisits(r.Context(), a)
	} else {
		res.Rounds, err = h.svc.RevisitRounds(r.Context(), a)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, res)
}

func (h *API) revisitRoundCreate(w http.ResponseWriter, r *http.Request) {
	var in service.RevisitRoundInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	round, err := h.svc.SendRevisitRound(r.Context(), ActorOf(r), in)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, round)
}

func (h *API) revisitSummary(w http.ResponseWriter, r *http.Request) {
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	rows, err := h.svc.RevisitSummaries(r.Context(), ActorOf(r), strings.TrimSpace(r.URL.Query().Get("region")), year)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, rows)
}

func (h *API) revisit(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	var d *service.RevisitDetail
	if err == nil {
		d, err = h.svc.Revisit(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, d)
}

func (h *API) revisitAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	var in service.RevisitAnswer
	if err == nil {
		err = Decode(r, &in)
	}
	if err == nil {
		err = h.svc.AnswerRevisit(r.Context(), ActorOf(r), id, in)
	}
	var d *service.RevisitDetail
	if err == nil {
		d, err = h.svc.Revisit(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, d)
}

func (h *API) campaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var days []service.CampaignDay
	var err error
	if q.Get("from") == "" && q.Get("to") == "" {
		days, err = h.svc.UpcomingCampaigns(r.Context(), ActorOf(r), 30)
	} else {
		days, err = h.svc.CampaignDays(r.Context(), ActorOf(r), q.Get("from"), q.Get("to"))
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if days == nil {
		days = []service.CampaignDay{}
	}
	OK(w, http.StatusOK, days)
}

func (h *API) campaignCreate(w http.ResponseWriter, r *http.Request) {
	var in service.CampaignInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	d, err := h.svc.AddCampaignDay(r.Context(), ActorOf(r), in)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, d)
}

func (h *API) campaignDelete(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err == nil {
		err = h.svc.DeleteCampaignDay(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, Done{OK: true})
}
