package ledger

import (
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
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

// endpoints are the ledger's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops are the ledger's operations of the JSON API.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	entryQ := []string{"q", "kind", "status", "village", "region", "from", "to", "matter", "limit", "offset", "after", "before"}
	return []api.Op{
		{Route: rt("GET", "/entries", "entries", p.entries), Summary: "List ledger entries in scope, newest first", Tag: "ledger", Response: registry.List[counsel.Entry]{}, Query: entryQ},
		{Route: rt("POST", "/entries", "entry_create", p.createEntry), Summary: "Record a service; joins a group commit and answers once the entry is durable", Tag: "ledger", Request: EntryInput{}, Response: counsel.Entry{}},
		{Route: rt("GET", "/entries/{id}", "entry", api.Get(p.h, func(r *http.Request, id int64) (*counsel.Entry, error) {
			return p.svc.Entry(r.Context(), api.ActorOf(r), id)
		})), Summary: "One entry", Tag: "ledger", Response: counsel.Entry{}},
		{Route: rt("POST", "/entries/{id}/review", "entry_review", p.reviewEntry), Summary: "Confirm or dispute an entry (village committee)", Tag: "ledger", Request: Review{}, Response: counsel.Entry{}},
		{Route: rt("GET", "/duties", "duties", p.duties), Summary: "Obligations by village, rule and period with met/due/missed and the reason", Tag: "ledger", Response: registry.List[Duty]{}, Query: []string{"state", "region", "limit", "offset"}},
		{Route: rt("GET", "/due", "due", p.due), Summary: "An advisor's obligations of the current periods", Tag: "ledger", Response: []Duty{}, Query: []string{"advisor"}},
		{Route: rt("GET", "/policy", "policy", p.policy), Summary: "A region's own policy layer and the policy in force there", Tag: "ledger", Response: PolicyLayer{}, Query: []string{"region"}},
		{Route: rt("PUT", "/policy", "policy_update", p.savePolicy), Summary: "Set a region's policy layer (county bureau, administrator)", Tag: "ledger", Request: PolicyRequest{}, Response: PolicyLayer{}},
		{Route: rt("GET", "/ledger/verify", "ledger_verify", p.verify), Summary: "Verify the hash chains of the village volumes in scope", Tag: "ledger", Response: VerifyResult{}, Query: []string{"region"}},
		{Route: rt("GET", "/ledger-kinds", "ledger_kinds", p.ledgerKinds), Summary: "Kinds of service in a region: built-in and added by its county", Tag: "ledger", Response: []LedgerKind{}, Query: []string{"region"}},
		{Route: rt("POST", "/ledger-kinds", "ledger_kind_add", p.addLedgerKind), Summary: "Add a kind of service to a county's dictionary", Tag: "ledger", Request: KindRequest{}, Response: LedgerKind{}},
	}
}

func (p *endpoints) entries(w http.ResponseWriter, r *http.Request) {
	l, err := p.svc.Entries(r.Context(), api.ActorOf(r), entryFilterOf(r))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (p *endpoints) createEntry(w http.ResponseWriter, r *http.Request) {
	var in EntryInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	e := &counsel.Entry{VillageCode: in.VillageCode, AdvisorID: in.AdvisorID, MatterID: in.MatterID, AmendsID: in.AmendsID,
		Kind: in.Kind, Mode: in.Mode, Date: in.Date, StartTime: in.StartTime, Minutes: in.Minutes, Place: in.Place,
		Served: in.Served, Attendees: in.Attendees, Content: in.Content, Result: in.Result, ClientKey: in.ClientKey}
	got, err := p.svc.RecordEntry(r.Context(), api.ActorOf(r), e)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, got)
}

func (p *endpoints) reviewEntry(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var in Review
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	e, err := p.svc.ReviewEntry(r.Context(), api.ActorOf(r), id, in.Status, in.Note)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, e)
}

func (p *endpoints) duties(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ComplianceFilter{State: q.Get("state"), Scope: q.Get("region"), Page: server.FilterOf(r).Page}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	l, err := p.svc.Duties(r.Context(), api.ActorOf(r), f)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (p *endpoints) due(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("advisor"), 10, 64)
	d, err := p.svc.DueNow(r.Context(), api.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if d == nil {
		d = []Duty{}
	}
	api.OK(w, http.StatusOK, d)
}

func (p *endpoints) policy(w http.ResponseWriter, r *http.Request) {
	l, err := p.svc.Policy(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (p *endpoints) savePolicy(w http.ResponseWriter, r *http.Request) {
	var in PolicyRequest
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	pol := in.Policy
	if in.Preset != "" {
		pre, found := Presets()[in.Preset]
		if !found {
			p.h.Fail(w, r, counsel.Invalid(counsel.FieldError{Field: "preset", Key: "err.choice"}))
			return
		}
		pol = pre
	}
	if err := p.svc.SavePolicy(r.Context(), api.ActorOf(r), in.Region, pol); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	out, err := p.svc.Policy(r.Context(), api.ActorOf(r), in.Region)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, out)
}

func (p *endpoints) verify(w http.ResponseWriter, r *http.Request) {
	res, err := p.svc.VerifyLedger(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, res)
}

func (p *endpoints) ledgerKinds(w http.ResponseWriter, r *http.Request) {
	region := r.URL.Query().Get("region")
	if region == "" {
		region, _ = p.svc.svc.HomeRegion(r.Context(), api.ActorOf(r))
	}
	ks, err := p.svc.LedgerKinds(r.Context(), region)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, ks)
}

func (p *endpoints) addLedgerKind(w http.ResponseWriter, r *http.Request) {
	var in KindRequest
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	k, err := p.svc.AddLedgerKind(r.Context(), api.ActorOf(r), in.Region, in.Name, in.NameEN)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, k)
}
