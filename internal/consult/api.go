package api

import (
	"net/http"

	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
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

func (h *API) consultOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	pub := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		r := rt(method, pattern, name, fn)
		r.Public = true
		return r
	}
	return []Op{
		{Route: pub("POST", "/public/consultations", "public_consultation_create", h.consultCreate), Summary: "Ask a village's advisor a question (no login); notice_accepted must be the current notice version (" + service.ConsultNoticeVersion + "); limited per address and per phone; returns the ticket", Tag: "consult",
			Request: service.ConsultRequest{}, Response: service.ConsultReceipt{}},
		{Route: pub("GET", "/public/consultations/{ticket}", "public_consultation", h.consultPublic), Summary: "A consultation as its resident sees it (no login): the ticket and last4, the last four digits of the phone", Tag: "consult",
			Response: service.PublicConsult{}, Query: []string{"last4"}},
		{Route: pub("POST", "/public/consultations/{ticket}/rating", "public_consultation_rate", h.consultRate), Summary: "Rate an answered consultation once, 1–5 with an optional comment (no login)", Tag: "consult",
			Request: ConsultRatingInput{}, Response: service.PublicConsult{}},
		{Route: rt("GET", "/consultations", "consultations", h.consultList), Summary: "List consultations in scope (advisor: its own; judicial office, bureaus: their area), phones masked; status open, answered or overdue", Tag: "consult",
			Response: service.List[store.Consultation]{}, Query: []string{"status", "category", "limit", "offset"}},
		{Route: rt("GET", "/consultations/{id}", "consultation", h.consultOne), Summary: "One consultation, phone masked", Tag: "consult", Response: store.Consultation{}},
		{Route: rt("POST", "/consultations/{id}/answer", "consultation_answer", h.consultAnswer), Summary: "Answer a consultation (the advisor handling it); records a ledger entry (consultation, online)", Tag: "consult",
			Request: ConsultAnswerInput{}, Response: store.Consultation{}},
	}
}

func (h *API) consultCreate(w http.ResponseWriter, r *http.Request) {
	var in service.ConsultRequest
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	in.IP = server.ClientIP(r)
	got, err := h.svc.SubmitConsultation(r.Context(), &in)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, got)
}

func (h *API) consultPublic(w http.ResponseWriter, r *http.Request) {
	got, err := h.svc.PublicConsultation(r.Context(), r.PathValue("ticket"), r.URL.Query().Get("last4"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, got)
}

func (h *API) consultRate(w http.ResponseWriter, r *http.Request) {
	var in ConsultRatingInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	got, err := h.svc.RateConsultation(r.Context(), r.PathValue("ticket"), in.Last4, in.Rating, in.Comment, server.ClientIP(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, got)
}

func (h *API) consultList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ConsultFilter{Status: q.Get("status"), Category: q.Get("category"), Page: server.FilterOf(r).Page}
	l, err := h.svc.Consultations(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, l)
}

func (h *API) consultOne(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.svc.Consultation(r.Context(), ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, c)
}

func (h *API) consultAnswer(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in ConsultAnswerInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	c, err := h.svc.AnswerConsultation(r.Context(), ActorOf(r), id, in.Answer)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, c)
}
