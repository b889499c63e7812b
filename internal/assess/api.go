package assess

import (
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/server"
)

// endpoints are the assessment area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops are the operations of assessment rounds.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/assess/rounds", "assess_rounds", p.rounds), Summary: "Assessment rounds of the actor's county or area, newest first", Tag: "assess", Response: []Round{}},
		{Route: rt("GET", "/assess/rounds/{id}/advisors/{advisor}", "assess_advisor", p.advisorSheet),
			Summary: "An advisor's sheet in a round, item by item with the evidence behind every point (the advisor, their firm, the round's readers)", Tag: "assess", Response: SheetPage{}},
		{Route: rt("POST", "/assess/rounds/{id}/scores", "assess_score", p.score),
			Summary: "Score a hand-scored item for an advisor (only the item's scorer role, in its own area, while the round is scoring)", Tag: "assess", Request: ScoreInput{}, Response: api.Done{}},
	}
}

func (p *endpoints) rounds(w http.ResponseWriter, r *http.Request) {
	rs, err := p.svc.Rounds(r.Context(), api.ActorOf(r))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []Round{}
	}
	api.OK(w, http.StatusOK, rs)
}

func pathInt(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, counsel.ErrNotFound
	}
	return id, nil
}

func (p *endpoints) advisorSheet(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "id")
	if err == nil {
		var adv int64
		if adv, err = pathInt(r, "advisor"); err == nil {
			var sp *SheetPage
			if sp, err = p.svc.AdvisorSheet(r.Context(), api.ActorOf(r), id, adv); err == nil {
				api.OK(w, http.StatusOK, sp)
				return
			}
		}
	}
	p.h.Fail(w, r, err)
}

func (p *endpoints) score(w http.ResponseWriter, r *http.Request) {
	id, err := pathInt(r, "id")
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var in ScoreInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := p.svc.SaveScore(r.Context(), api.ActorOf(r), id, in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, api.Done{OK: true})
}
