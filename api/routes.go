package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// Me is the signed-in account.
type Me struct {
	User *counsel.User `json:"user"`
	Home string        `json:"home_region"`
	// CSRF is the session's token for the X-CSRF-Token header (empty with an API token).
	CSRF string `json:"csrf_token,omitempty"`
}

// Flags are a village's editable flags.
type Flags struct {
	Underdeveloped string `json:"underdeveloped"`
	Remote         bool   `json:"remote"`
}

// StatusMove asks to move an agreement to its next status.
type StatusMove struct {
	Status string `json:"status"`
	Day    string `json:"day,omitempty"`
}

// PairingDetail is a pairing with its activity records.
type PairingDetail struct {
	Pairing    *counsel.Pairing   `json:"pairing"`
	Activities []counsel.Activity `json:"activities"`
}

// NewUser is a request to create an account.
type NewUser struct {
	counsel.User
	Password string `json:"password"`
}

// TokenRequest names a new API token.
type TokenRequest struct {
	Name string `json:"name"`
}

// TokenResponse carries a new API token, shown once.
type TokenResponse struct {
	Token string `json:"token"`
}

// CoverageResponse is coverage by town with the totals.
type CoverageResponse struct {
	Towns    []store.CoverageRow `json:"towns"`
	Villages int                 `json:"villages"`
	Covered  int                 `json:"covered"`
	Rate     float64             `json:"rate"`
}

// SettingsRequest sets a county's settings.
type SettingsRequest struct {
	Region   string           `json:"region"`
	Settings counsel.Settings `json:"settings"`
}

func (h *API) operations() []Op {
	s := h.svc
	a := ActorOf
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	listQ := []string{"q", "kind", "status", "region", "limit", "offset"}
	ops := []Op{
		{Route: rt("GET", "/me", "me", h.me), Summary: "The signed-in account and its home region", Tag: "accounts", Response: Me{}},
		{Route: rt("POST", "/tokens", "token_create", h.createToken), Summary: "Issue an API token for the signed-in account (shown once)", Tag: "accounts", Request: TokenRequest{}, Response: TokenResponse{}},

		{Route: rt("GET", "/regions", "regions", h.regions), Summary: "Child regions of ?parent= (default: the home region), or a name search with ?q=", Tag: "regions", Response: []counsel.Region{}, Query: []string{"parent", "q"}},
		{Route: rt("GET", "/regions/{code}", "region", h.region), Summary: "One region", Tag: "regions", Response: counsel.Region{}},
		{Route: rt("PATCH", "/regions/{code}", "region_flags", h.regionFlags), Summary: "Set a village's underdeveloped and remote flags", Tag: "regions", Request: Flags{}, Response: counsel.Region{}},
		{Route: rt("GET", "/coverage", "coverage", h.coverage), Summary: "Coverage by town: villages with a filed agreement in force", Tag: "regions", Response: CoverageResponse{}, Query: []string{"region"}},
		{Route: rt("GET", "/coverage/uncovered", "uncovered", h.uncovered), Summary: "Villages without a filed agreement in force", Tag: "regions", Response: []counsel.Region{}, Query: []string{"region"}},

		{Route: rt("GET", "/providers", "providers", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.Provider], error) {
			return s.Providers(r.Context(), a(r), f)
		})), Summary: "List providers", Tag: "providers", Response: service.List[counsel.Provider]{}, Query: listQ},
		{Route: rt("POST", "/providers", "provider_create", Save(h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Create a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},
		{Route: rt("GET", "/providers/{id}", "provider", Get(h, func(r *http.Request, id int64) (*counsel.Provider, error) { return s.Provider(r.Context(), a(r), id) })), Summary: "One provider", Tag: "providers", Response: counsel.Provider{}},
		{Route: rt("PUT", "/providers/{id}", "provider_update", Save(h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Update a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},

		{Route: rt("GET", "/advisors", "advisors", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.Advisor], error) {
			return s.Advisors(r.Context(), a(r), f)
		})), Summary: "List advisors", Tag: "advisors", Response: service.List[counsel.Advisor]{}, Query: listQ},
		{Route: rt("POST", "/advisors", "advisor_create", Save(h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Create an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},
		{Route: rt("GET", "/advisors/{id}", "advisor", Get(h, func(r *http.Request, id int64) (*counsel.Advisor, error) { return s.Advisor(r.Context(), a(r), id) })), Summary: "One advisor", Tag: "advisors", Response: counsel.Advisor{}},
		{Route: rt("PUT", "/advisors/{id}", "advisor_update", Save(h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Update an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},

		{Route: rt("GET", "/agreements", "agreements", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.Agreement], error) {
			f.Today = s.Today()
			return s.Agreements(r.Context(), a(r), f)
		})), Summary: "List agreements (status may be live or late)", Tag: "agreements", Response: service.List[counsel.Agreement]{}, Query: listQ},
		{Route: rt("POST", "/agreements", "agreement_create", Save(h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Create an agreement (a draft unless status is given); enforces the load limit", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("GET", "/agreements/{id}", "agreement", Get(h, func(r *http.Request, id int64) (*counsel.Agreement, error) { return s.Agreement(r.Context(), a(r), id) })), Summary: "One agreement", Tag: "agreements", Response: counsel.Agreement{}},
		{Route: rt("PUT", "/agreements/{id}", "agreement_update", Save(h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Update an agreement", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("POST", "/agreements/{id}/status", "agreement_status", h.moveAgreement), Summary: "Move an agreement: signed, filed, ended or replaced", Tag: "agreements", Request: StatusMove{}, Response: counsel.Agreement{}},

		{Route: rt("GET", "/persons", "persons", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.Person], error) {
			return s.Persons(r.Context(), a(r), f)
		})), Summary: "List legal-literate persons", Tag: "1+N", Response: service.List[counsel.Person]{}, Query: listQ},
		{Route: rt("POST", "/persons", "person_create", Save(h, func(v *counsel.Person, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Person) error { return s.SavePerson(r.Context(), a(r), v) })), Summary: "Create a legal-literate person", Tag: "1+N", Request: counsel.Person{}, Response: counsel.Person{}},
		{Route: rt("GET", "/persons/{id}", "person", Get(h, func(r *http.Request, id int64) (*counsel.Person, error) { return s.Person(r.Context(), a(r), id) })), Summary: "One legal-literate person", Tag: "1+N", Response: counsel.Person{}},
		{Route: rt("PUT", "/persons/{id}", "person_update", Save(h, func(v *counsel.Person, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Person) error { return s.SavePerson(r.Context(), a(r), v) })), Summary: "Update a person; status dismissed/removed needs status_on and reason", Tag: "1+N", Request: counsel.Person{}, Response: counsel.Person{}},

		{Route: rt("GET", "/pairings", "pairings", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.Pairing], error) {
			return s.Pairings(r.Context(), a(r), f)
		})), Summary: "List 1+N pairings (status=current for those not ended)", Tag: "1+N", Response: service.List[counsel.Pairing]{}, Query: listQ},
		{Route: rt("POST", "/pairings", "pairing_create", Save(h, func(v *counsel.Pairing, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Pairing) error { return s.SavePairing(r.Context(), a(r), v) })), Summary: "Pair the village's advisor with a legal-literate person", Tag: "1+N", Request: counsel.Pairing{}, Response: counsel.Pairing{}},
		{Route: rt("GET", "/pairings/{id}", "pairing", Get(h, func(r *http.Request, id int64) (PairingDetail, error) {
			q, acts, err := s.Pairing(r.Context(), a(r), id)
			if acts == nil {
				acts = []counsel.Activity{}
			}
			return PairingDetail{q, acts}, err
		})), Summary: "One pairing with its activity records", Tag: "1+N", Response: PairingDetail{}},
		{Route: rt("PUT", "/pairings/{id}", "pairing_update", Save(h, func(v *counsel.Pairing, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Pairing) error { return s.SavePairing(r.Context(), a(r), v) })), Summary: "Update a pairing's dates, evaluation and remarks", Tag: "1+N", Request: counsel.Pairing{}, Response: counsel.Pairing{}},
		{Route: rt("POST", "/pairings/{id}/activities", "activity_create", h.addActivity), Summary: "Record an activity (one of the six duties)", Tag: "1+N", Request: counsel.Activity{}, Response: counsel.Activity{}},
		{Route: rt("GET", "/pairing-rules", "pairing_rules", h.rules), Summary: "The 1+N rule per village: paired 两委 members against the minimum and deadline", Tag: "1+N", Response: []counsel.PairingRule{}, Query: []string{"region"}},
		{Route: rt("POST", "/imports/pairings", "import_pairings", h.importPairings), Summary: "Import a 附件1 table (xlsx or csv body, or multipart field file); any bad row imports nothing", Tag: "1+N", Request: "binary", Response: service.ImportResult{}, Query: []string{"region"}},

		{Route: rt("GET", "/users", "users", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.User], error) {
			return s.Users(r.Context(), a(r), f)
		})), Summary: "List accounts (admin; a county bureau its county's)", Tag: "accounts", Response: service.List[counsel.User]{}, Query: listQ},
		{Route: rt("POST", "/users", "user_create", h.createUser), Summary: "Create an account", Tag: "accounts", Request: NewUser{}, Response: counsel.User{}},
		{Route: rt("GET", "/audit", "audit", List(h, func(r *http.Request, f store.Filter) (service.List[counsel.AuditEntry], error) {
			return s.Audit(r.Context(), a(r), f)
		})), Summary: "The audit log (kind = entity, status = action)", Tag: "accounts", Response: service.List[counsel.AuditEntry]{}, Query: listQ},
		{Route: rt("GET", "/settings", "settings", h.settings), Summary: "Settings in force for a region", Tag: "settings", Response: counsel.Settings{}, Query: []string{"region"}},
		{Route: rt("PUT", "/settings", "settings_update", h.saveSettings), Summary: "Set a county's settings", Tag: "settings", Request: SettingsRequest{}, Response: counsel.Settings{}},
	}
	// Each later area keeps its operations in its own file.
	ops = append(ops, h.notificationOps()...)
	ops = append(ops, h.publicOps()...)
	ops = append(ops, h.outboxOps()...)
	return ops
}

func (h *API) me(w http.ResponseWriter, r *http.Request) {
	home, err := h.svc.HomeRegion(r.Context(), ActorOf(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, Me{User: server.User(r.Context()), Home: home, CSRF: server.CSRF(r.Context())})
}

func (h *API) createToken(w http.ResponseWriter, r *http.Request) {
	var req TokenRequest
	if err := Decode(r, &req); err != nil {
		h.Fail(w, r, err)
		return
	}
	tok, err := h.svc.CreateAPIToken(r.Context(), ActorOf(r), req.Name)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, TokenResponse{Token: tok})
}

func (h *API) regions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var rs []counsel.Region
	var err error
	if s := strings.TrimSpace(q.Get("q")); s != "" {
		rs, err = h.svc.SearchRegions(r.Context(), ActorOf(r), s, 50)
	} else {
		rs, err = h.svc.Children(r.Context(), ActorOf(r), q.Get("parent"))
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []counsel.Region{}
	}
	OK(w, http.StatusOK, rs)
}

func (h *API) region(w http.ResponseWriter, r *http.Request) {
	reg, err := h.svc.Region(r.Context(), ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, reg)
}

func (h *API) regionFlags(w http.ResponseWriter, r *http.Request) {
	var f Flags
	if err := Decode(r, &f); err != nil {
		h.Fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if err := h.svc.SetVillageFlags(r.Context(), ActorOf(r), code, f.Underdeveloped, f.Remote); err != nil {
		h.Fail(w, r, err)
		return
	}
	h.region(w, r)
}

func (h *API) coverage(w http.ResponseWriter, r *http.Request) {
	rows, err := h.svc.Coverage(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	res := CoverageResponse{Towns: rows}
	if res.Towns == nil {
		res.Towns = []store.CoverageRow{}
	}
	for _, t := range rows {
		res.Villages += t.Villages
		res.Covered += t.Covered
	}
	if res.Villages > 0 {
		res.Rate = float64(res.Covered) / float64(res.Villages)
	}
	OK(w, http.StatusOK, res)
}

func (h *API) uncovered(w http.ResponseWriter, r *http.Request) {
	rs, err := h.svc.Uncovered(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []counsel.Region{}
	}
	OK(w, http.StatusOK, rs)
}

func (h *API) moveAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var m StatusMove
	if err := Decode(r, &m); err != nil {
		h.Fail(w, r, err)
		return
	}
	g, err := h.svc.MoveAgreement(r.Context(), ActorOf(r), id, m.Status, m.Day)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, g)
}

func (h *API) addActivity(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var act counsel.Activity
	if err := Decode(r, &act); err != nil {
		h.Fail(w, r, err)
		return
	}
	act.ID, act.PairingID = 0, id
	if err := h.svc.AddActivity(r.Context(), ActorOf(r), &act); err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, act)
}

func (h *API) rules(w http.ResponseWriter, r *http.Request) {
	rules, err := h.svc.PairingRules(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, rules)
}

// importPairings reads the upload as multipart field "file" or as the raw
// body; CSV is recognised by name or content type, anything else is xlsx.
func (h *API) importPairings(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	name := r.URL.Query().Get("filename")
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "err.file"))
			return
		}
		defer f.Close()
		body, name, ct = f, hdr.Filename, hdr.Header.Get("Content-Type")
	}
	data, err := io.ReadAll(io.LimitReader(body, server.MaxBody))
	if err != nil || len(data) == 0 {
		h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "err.file"))
		return
	}
	var rows []xlsx.PairingRow
	var perrs []counsel.FieldError
	if strings.HasSuffix(strings.ToLower(name), ".csv") || strings.Contains(ct, "csv") {
		rows, perrs, err = xlsx.ReadAttachment1CSV(bytes.NewReader(data))
	} else {
		rows, perrs, err = xlsx.ReadAttachment1(bytes.NewReader(data))
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	res, err := h.svc.ImportPairings(r.Context(), ActorOf(r), r.URL.Query().Get("region"), rows, perrs)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, res)
}

func (h *API) createUser(w http.ResponseWriter, r *http.Request) {
	var nu NewUser
	if err := Decode(r, &nu); err != nil {
		h.Fail(w, r, err)
		return
	}
	u := nu.User
	if err := h.svc.CreateUser(r.Context(), ActorOf(r), &u, nu.Password); err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, u)
}

func (h *API) settings(w http.ResponseWriter, r *http.Request) {
	set, err := h.svc.Settings(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, set)
}

func (h *API) saveSettings(w http.ResponseWriter, r *http.Request) {
	var req SettingsRequest
	if err := Decode(r, &req); err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := h.svc.SaveSettings(r.Context(), ActorOf(r), req.Region, req.Settings); err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, req.Settings)
}
