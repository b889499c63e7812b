package pairing

import (
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// endpoints are the 1+N area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops are the operations of the 1+N area: persons, pairings, activity
// records and the 1+N rule. (The 附件1 import stays in api.)
func (e *endpoints) ops() []api.Op {
	s, h := e.svc, e.h
	a := api.ActorOf
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	listQ := []string{"q", "kind", "status", "region", "limit", "offset"}
	return []api.Op{
		{Route: rt("GET", "/persons", "persons", api.List(h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.Person], error) {
			return s.Persons(r.Context(), a(r), f)
		})), Summary: "List legal-literate persons", Tag: "1+N", Response: registry.List[counsel.Person]{}, Query: listQ},
		{Route: rt("POST", "/persons", "person_create", api.Save(h, func(v *counsel.Person, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Person) error { return s.SavePerson(r.Context(), a(r), v) })), Summary: "Create a legal-literate person", Tag: "1+N", Request: counsel.Person{}, Response: counsel.Person{}},
		{Route: rt("GET", "/persons/{id}", "person", api.Get(h, func(r *http.Request, id int64) (*counsel.Person, error) { return s.Person(r.Context(), a(r), id) })), Summary: "One legal-literate person", Tag: "1+N", Response: counsel.Person{}},
		{Route: rt("PUT", "/persons/{id}", "person_update", api.Save(h, func(v *counsel.Person, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Person) error { return s.SavePerson(r.Context(), a(r), v) })), Summary: "Update a person; status dismissed/removed needs status_on and reason", Tag: "1+N", Request: counsel.Person{}, Response: counsel.Person{}},

		{Route: rt("GET", "/pairings", "pairings", api.List(h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.Pairing], error) {
			return s.Pairings(r.Context(), a(r), f)
		})), Summary: "List 1+N pairings (status=current for those not ended)", Tag: "1+N", Response: registry.List[counsel.Pairing]{}, Query: listQ},
		{Route: rt("POST", "/pairings", "pairing_create", api.Save(h, func(v *counsel.Pairing, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Pairing) error { return s.SavePairing(r.Context(), a(r), v) })), Summary: "Pair the village's advisor with a legal-literate person", Tag: "1+N", Request: counsel.Pairing{}, Response: counsel.Pairing{}},
		{Route: rt("GET", "/pairings/{id}", "pairing", api.Get(h, func(r *http.Request, id int64) (PairingDetail, error) {
			q, acts, err := s.Pairing(r.Context(), a(r), id)
			if acts == nil {
				acts = []counsel.Activity{}
			}
			return PairingDetail{q, acts}, err
		})), Summary: "One pairing with its activity records", Tag: "1+N", Response: PairingDetail{}},
		{Route: rt("PUT", "/pairings/{id}", "pairing_update", api.Save(h, func(v *counsel.Pairing, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Pairing) error { return s.SavePairing(r.Context(), a(r), v) })), Summary: "Update a pairing's dates, evaluation and remarks", Tag: "1+N", Request: counsel.Pairing{}, Response: counsel.Pairing{}},
		{Route: rt("POST", "/pairings/{id}/activities", "activity_create", e.addActivity), Summary: "Record an activity (one of the six duties)", Tag: "1+N", Request: counsel.Activity{}, Response: counsel.Activity{}},
		{Route: rt("GET", "/pairing-rules", "pairing_rules", e.rules), Summary: "The 1+N rule per village: paired 两委 members against the minimum and deadline", Tag: "1+N", Response: []counsel.PairingRule{}, Query: []string{"region"}},
	}
}

func (e *endpoints) addActivity(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	var act counsel.Activity
	if err := api.Decode(r, &act); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	act.ID, act.PairingID = 0, id
	if err := e.svc.AddActivity(r.Context(), api.ActorOf(r), &act); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, act)
}

func (e *endpoints) rules(w http.ResponseWriter, r *http.Request) {
	rules, err := e.svc.PairingRules(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, rules)
}
