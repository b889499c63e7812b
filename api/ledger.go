package api

import (
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// EntryInput is a service to record (一次一记). advisor_id is only for the
// administrator; an advisor records as itself. A client_key makes a retried
// submission return the first entry instead of recording twice.
type EntryInput struct {
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id,omitempty"`
	MatterID    int64  `json:"matter_id,omitempty"`
	AmendsID    int64  `json:"amends_id,omitempty"`
	Kind        string `json:"kind"`
	Mode        string `json:"mode"`
	Date        string `json:"date"`
	StartTime   string `json:"start_time,omitempty"`
	Minutes     int    `json:"minutes"`
	Place       string `json:"place,omitempty"`
	Served      string `json:"served,omitempty"`
	Attendees   int    `json:"attendees,omitempty"`
	Content     string `json:"content"`
	Result      string `json:"result,omitempty"`
	ClientKey   string `json:"client_key,omitempty"`
}

// Review is the village committee's answer on an entry.
type Review struct {
	Status string `json:"status"` // confirmed or disputed
	Note   string `json:"note,omitempty"`
}

// PolicyRequest sets a region's own policy layer: a preset by name, or rules.
type PolicyRequest struct {
	Region string        `json:"region"`
	Preset string        `json:"preset,omitempty"` // zhengning, pairing, ningbo
	Policy policy.Policy `json:"policy"`
}

// KindRequest adds a kind of service to a region's dictionary.
type KindRequest struct {
	Region string `json:"region"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

func (h *API) ledgerOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	entryQ := []string{"q", "kind", "status", "village", "region", "from", "to", "matter", "limit", "offset"}
	return []Op{
		{Route: rt("GET", "/entries", "entries", h.entries), Summary: "List ledger entries in scope, newest first", Tag: "ledger", Response: service.List[counsel.Entry]{}, Query: entryQ},
		{Route: rt("POST", "/entries", "entry_create", h.createEntry), Summary: "Record a service; joins a group commit and answers once the entry is durable", Tag: "ledger", Request: EntryInput{}, Response: counsel.Entry{}},
		{Route: rt("GET", "/entries/{id}", "entry", Get(h, func(r *http.Request, id int64) (*counsel.Entry, error) {
			return h.svc.Entry(r.Context(), ActorOf(r), id)
		})), Summary: "One entry", Tag: "ledger", Response: counsel.Entry{}},
		{Route: rt("POST", "/entries/{id}/review", "entry_review", h.reviewEntry), Summary: "Confirm or dispute an entry (village committee)", Tag: "ledger", Request: Review{}, Response: counsel.Entry{}},
		{Route: rt("GET", "/duties", "duties", h.duties), Summary: "Obligations by village, rule and period with met/due/missed and the reason", Tag: "ledger", Response: service.List[service.Duty]{}, Query: []string{"state", "region", "limit", "offset"}},
		{Route: rt("GET", "/due", "due", h.due), Summary: "An advisor's obligations of the current periods", Tag: "ledger", Response: []service.Duty{}, Query: []string{"advisor"}},
		{Route: rt("GET", "/policy", "policy", h.policy), Summary: "A region's own policy layer and the policy in force there", Tag: "ledger", Response: service.PolicyLayer{}, Query: []string{"region"}},
		{Route: rt("PUT", "/policy", "policy_update", h.savePolicy), Summary: "Set a region's policy layer (county bureau, administrator)", Tag: "ledger", Request: PolicyRequest{}, Response: service.PolicyLayer{}},
		{Route: rt("GET", "/ledger/verify", "ledger_verify", h.verify), Summary: "Verify the hash chains of the village volumes in scope", Tag: "ledger", Response: store.VerifyResult{}, Query: []string{"region"}},
		{Route: rt("GET", "/ledger-kinds", "ledger_kinds", h.ledgerKinds), Summary: "Kinds of service in a region: built-in and added by its county", Tag: "ledger", Response: []store.LedgerKind{}, Query: []string{"region"}},
		{Route: rt("POST", "/ledger-kinds", "ledger_kind_add", h.addLedgerKind), Summary: "Add a kind of service to a county's dictionary", Tag: "ledger", Request: KindRequest{}, Response: store.LedgerKind{}},
	}
}

func (h *API) entries(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.Entries(r.Context(), ActorOf(r), server.EntryFilterOf(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, l)
}

func (h *API) createEntry(w http.ResponseWriter, r *http.Request) {
	var in EntryInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	e := &counsel.Entry{VillageCode: in.VillageCode, AdvisorID: in.AdvisorID, MatterID: in.MatterID, AmendsID: in.AmendsID,
		Kind: in.Kind, Mode: in.Mode, Date: in.Date, StartTime: in.StartTime, Minutes: in.Minutes, Place: in.Place,
		Served: in.Served, Attendees: in.Attendees, Content: in.Content, Result: in.Result, ClientKey: in.ClientKey}
	got, err := h.svc.RecordEntry(r.Context(), ActorOf(r), e)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, got)
}

func (h *API) reviewEntry(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in Review
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	e, err := h.svc.ReviewEntry(r.Context(), ActorOf(r), id, in.Status, in.Note)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, e)
}

func (h *API) duties(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ComplianceFilter{State: q.Get("state"), Scope: q.Get("region"), Page: server.FilterOf(r).Page}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	l, err := h.svc.Duties(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, l)
}

func (h *API) due(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("advisor"), 10, 64)
	d, err := h.svc.DueNow(r.Context(), ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if d == nil {
		d = []service.Duty{}
	}
	OK(w, http.StatusOK, d)
}

func (h *API) policy(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Policy(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, p)
}

func (h *API) savePolicy(w http.ResponseWriter, r *http.Request) {
	var in PolicyRequest
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	p := in.Policy
	if in.Preset != "" {
		pre, found := service.Presets()[in.Preset]
		if !found {
			h.Fail(w, r, counsel.Invalid(counsel.FieldError{Field: "preset", Key: "err.choice"}))
			return
		}
		p = pre
	}
	if err := h.svc.SavePolicy(r.Context(), ActorOf(r), in.Region, p); err != nil {
		h.Fail(w, r, err)
		return
	}
	out, err := h.svc.Policy(r.Context(), ActorOf(r), in.Region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, out)
}

func (h *API) verify(w http.ResponseWriter, r *http.Request) {
	res, err := h.svc.VerifyLedger(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, res)
}

func (h *API) ledgerKinds(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	if region == "" {
		region, _ = h.svc.HomeRegion(r.Context(), ActorOf(r))
	}
	ks, err := h.svc.LedgerKinds(r.Context(), region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, ks)
}

func (h *API) addLedgerKind(w http.ResponseWriter, r *http.Request) {
	var in KindRequest
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	k, err := h.svc.AddLedgerKind(r.Context(), ActorOf(r), in.Region, in.Name, in.NameEN)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, k)
}
