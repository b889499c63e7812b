// Package api serves the JSON API under /api/v1 and its OpenAPI 3 document.
// Authentication is the browser session (with the X-CSRF-Token header on
// changes) or an API token ("Authorization: Bearer vc_…").
package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
)

// API holds the JSON handlers.
type API struct {
	srv *server.Server
	ops []Op
}

// Op is an API route with what the OpenAPI document says about it.
type Op struct {
	server.Route
	Summary  string
	Tag      string
	Request  any // a value of the request body type, nil for none
	Response any // a value of the response body type
	Query    []string
}

// Endpoints is a feature's part of the API: its operations, built on h.
type Endpoints interface {
	Operations(h *API) []Op
}

// Mount adds the API routes to srv, then each feature's.
func Mount(srv *server.Server, features ...Endpoints) *API {
	h := &API{srv: srv}
	for _, f := range features {
		h.ops = append(h.ops, f.Operations(h)...)
	}
	for _, o := range h.ops {
		srv.Add(o.Route)
	}
	srv.Add(server.Route{Method: "GET", Pattern: "/api/v1/openapi.json", Name: "api_openapi", Public: true, API: true, Handler: h.openapi})
	return h
}

// Operations lists the API operations (for tests).
func (h *API) Operations() []server.Route {
	out := make([]server.Route, len(h.ops))
	for i, o := range h.ops {
		out[i] = o.Route
	}
	return out
}

func (h *API) Fail(w http.ResponseWriter, r *http.Request, err error) { h.srv.Error(w, r, true, err) }

func OK(w http.ResponseWriter, status int, v any) { server.WriteJSON(w, status, v) }

var errBadJSON = counsel.Errorf(counsel.CodeInvalid, "err.bad_request")

// decode reads a JSON body strictly into v.
func Decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) && ute.Field != "" {
			return counsel.Invalid(counsel.FieldError{Field: ute.Field, Key: "err.bad_request"})
		}
		return errBadJSON
	}
	return nil
}

func ActorOf(r *http.Request) *counsel.Actor { return counsel.ActorFrom(r.Context()) }

func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return id, nil
}

// list adapts a service list method (one page of a list) to a handler.
func List[L any](h *API, fn func(r *http.Request, f counsel.Filter) (L, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, err := fn(r, server.FilterOf(r))
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		OK(w, http.StatusOK, l)
	}
}

// get adapts a service get-by-id method to a handler.
func Get[T any](h *API, fn func(r *http.Request, id int64) (T, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := PathID(r)
		if err == nil {
			var v T
			if v, err = fn(r, id); err == nil {
				OK(w, http.StatusOK, v)
				return
			}
		}
		h.Fail(w, r, err)
	}
}

// save adapts a service save method: create (no {id}, 201) or update (200).
func Save[T any](h *API, setID func(*T, int64), fn func(r *http.Request, v *T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v T
		if err := Decode(r, &v); err != nil {
			h.Fail(w, r, err)
			return
		}
		status := http.StatusCreated
		if r.PathValue("id") != "" {
			id, err := PathID(r)
			if err != nil {
				h.Fail(w, r, err)
				return
			}
			setID(&v, id)
			status = http.StatusOK
		} else {
			setID(&v, 0)
		}
		if err := fn(r, &v); err != nil {
			h.Fail(w, r, err)
			return
		}
		OK(w, status, v)
	}
}
