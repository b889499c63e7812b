package account

import (
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// Me is the signed-in account.
type Me struct {
	User *counsel.User `json:"user"`
	Home string        `json:"home_region"`
	// CSRF is the session's token for the X-CSRF-Token header (empty with an API token).
	CSRF string `json:"csrf_token,omitempty"`
}

// NewUser is a request to create an account.
type NewUser struct {
	counsel.User
	Password string `json:"password"`
}

// TokenRequest names a new API token and its lifetime.
type TokenRequest struct {
	Name string `json:"name"`
	Days int    `json:"days,omitempty"` // 1–365, default 90
}

// TokenResponse carries a new API token, shown once.
type TokenResponse struct {
	Token     string `json:"token"`
	ExpiresAt int64  `json:"expires_at"`
}

// endpoints are the account area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops are the operations of the account area: the signed-in account, API
// tokens, accounts and the audit log.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	listQ := []string{"q", "kind", "status", "region", "limit", "offset"}
	s, a := p.svc, api.ActorOf
	return []api.Op{
		{Route: rt("GET", "/me", "me", p.me), Summary: "The signed-in account and its home region", Tag: "accounts", Response: Me{}},
		{Route: rt("POST", "/tokens", "token_create", p.createToken), Summary: "Issue an API token for the signed-in account (shown once)", Tag: "accounts", Request: TokenRequest{}, Response: TokenResponse{}},
		{Route: rt("GET", "/tokens", "tokens", p.tokens), Summary: "The signed-in account's API tokens: expiry, last use, revoked (never the token)", Tag: "accounts", Response: []APIToken{}},
		{Route: rt("DELETE", "/tokens/{id}", "token_revoke", p.revokeToken), Summary: "Revoke one of the signed-in account's API tokens", Tag: "accounts", Response: api.Done{}},
		{Route: rt("GET", "/users", "users", api.List(p.h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.User], error) {
			return s.Users(r.Context(), a(r), f)
		})), Summary: "List accounts (admin; a county bureau its county's)", Tag: "accounts", Response: registry.List[counsel.User]{}, Query: listQ},
		{Route: rt("POST", "/users", "user_create", p.createUser), Summary: "Create an account", Tag: "accounts", Request: NewUser{}, Response: counsel.User{}},
		{Route: rt("GET", "/audit", "audit", api.List(p.h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.AuditEntry], error) {
			return s.Audit(r.Context(), a(r), f)
		})), Summary: "The audit log (kind = entity, status = action)", Tag: "accounts", Response: registry.List[counsel.AuditEntry]{}, Query: append(listQ, "after", "before")},
	}
}

func (p *endpoints) me(w http.ResponseWriter, r *http.Request) {
	home, err := p.svc.svc.HomeRegion(r.Context(), api.ActorOf(r))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, Me{User: server.User(r.Context()), Home: home, CSRF: server.CSRF(r.Context())})
}

func (p *endpoints) createToken(w http.ResponseWriter, r *http.Request) {
	var req TokenRequest
	if err := api.Decode(r, &req); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	tok, err := p.svc.CreateAPIToken(r.Context(), api.ActorOf(r), req.Name, req.Days)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	resp := TokenResponse{Token: tok}
	if list, err := p.svc.APITokens(r.Context(), api.ActorOf(r)); err == nil && len(list) > 0 {
		resp.ExpiresAt = list[0].ExpiresAt
	}
	api.OK(w, http.StatusCreated, resp)
}

func (p *endpoints) tokens(w http.ResponseWriter, r *http.Request) {
	list, err := p.svc.APITokens(r.Context(), api.ActorOf(r))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if list == nil {
		list = []APIToken{}
	}
	api.OK(w, http.StatusOK, list)
}

func (p *endpoints) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err == nil {
		err = p.svc.RevokeAPIToken(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, api.Done{OK: true})
}

func (p *endpoints) createUser(w http.ResponseWriter, r *http.Request) {
	var nu NewUser
	if err := api.Decode(r, &nu); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	u := nu.User
	if err := p.svc.CreateUser(r.Context(), api.ActorOf(r), &u, nu.Password); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, u)
}
