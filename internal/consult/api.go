package consult

import (
	"net/http"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// Online consultation (我要问, R33): residents ask without an account and
// follow the answer with the ticket and the phone's last four digits; the
// village's advisor answers.

// ConsultRatingInput is a resident's rating of an answer.
type ConsultRatingInput struct {
	Last4   string `json:"last4"`
	Rating  int    `json:"rating"` // 1–5
	Comment string `json:"comment,omitempty"`
}

// ConsultAnswerInput is the advisor's answer.
type ConsultAnswerInput struct {
	Answer string `json:"answer"`
}

// endpoints holds the API handlers.
type endpoints struct {
	h *api.API
	s *Service
}

func (f *Feature) operations(a *api.API) []api.Op {
	h := &endpoints{h: a, s: f.s}
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	pub := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		r := rt(method, pattern, name, fn)
		r.Public = true
		return r
	}
	return []api.Op{
		{Route: pub("POST", "/public/consultations", "public_consultation_create", h.consultCreate), Summary: "Ask a village's advisor a question (no login); notice_accepted must be the current notice version (" + ConsultNoticeVersion + "); limited per address and per phone; returns the ticket", Tag: "consult",
			Request: ConsultRequest{}, Response: ConsultReceipt{}},
		{Route: pub("POST", "/public/consultations/{ticket}/status", "public_consultation", h.consultPublic), Summary: "A consultation as its resident sees it (no login): the ticket and, in the body, last4, the last four digits of the phone; throttled per ticket and per address", Tag: "consult",
			Request: ConsultLookup{}, Response: PublicConsult{}},
		{Route: pub("POST", "/public/consultations/{ticket}/rating", "public_consultation_rate", h.consultRate), Summary: "Rate an answered consultation once, 1–5 with an optional comment (no login)", Tag: "consult",
			Request: ConsultRatingInput{}, Response: PublicConsult{}},
		{Route: rt("GET", "/consultations", "consultations", h.consultList), Summary: "List consultations in scope (advisor: its own; judicial office, bureaus: their area), phones masked; status open, answered or overdue", Tag: "consult",
			Response: registry.List[Consultation]{}, Query: []string{"status", "category", "limit", "offset"}},
		{Route: rt("GET", "/consultations/{id}", "consultation", h.consultOne), Summary: "One consultation, phone masked", Tag: "consult", Response: Consultation{}},
		{Route: rt("POST", "/consultations/{id}/answer", "consultation_answer", h.consultAnswer), Summary: "Answer a consultation (the advisor handling it); records a ledger entry (consultation, online)", Tag: "consult",
			Request: ConsultAnswerInput{}, Response: Consultation{}},
	}
}

func (h *endpoints) consultCreate(w http.ResponseWriter, r *http.Request) {
	var in ConsultRequest
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	in.IP = server.ClientIP(r)
	got, err := h.s.SubmitConsultation(r.Context(), &in)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, got)
}

// ConsultLookup proves a resident's consultation: the last four digits of
// the phone it was asked with.
type ConsultLookup struct {
	Last4 string `json:"last4"`
}

func (h *endpoints) consultPublic(w http.ResponseWriter, r *http.Request) {
	var in ConsultLookup
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	got, err := h.s.PublicConsultation(r.Context(), r.PathValue("ticket"), in.Last4, server.ClientIP(r))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, got)
}

func (h *endpoints) consultRate(w http.ResponseWriter, r *http.Request) {
	var in ConsultRatingInput
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	got, err := h.s.RateConsultation(r.Context(), r.PathValue("ticket"), in.Last4, in.Rating, in.Comment, server.ClientIP(r))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, got)
}

func (h *endpoints) consultList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ConsultFilter{Status: q.Get("status"), Category: q.Get("category"), Page: server.FilterOf(r).Page}
	l, err := h.s.Consultations(r.Context(), api.ActorOf(r), f)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (h *endpoints) consultOne(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	c, err := h.s.Consultation(r.Context(), api.ActorOf(r), id)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, c)
}

func (h *endpoints) consultAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	var in ConsultAnswerInput
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	c, err := h.s.AnswerConsultation(r.Context(), api.ActorOf(r), id, in.Answer)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, c)
}
