package volume

import (
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// MatterInput opens a legal matter's file (一案一档). An advisor opens files
// for villages it serves on opened_on (default today); advisor_id is for the
// administrator only.
type MatterInput struct {
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id,omitempty"`
	Title       string `json:"title"`
	Category    string `json:"category"` // a service kind, e.g. mediation, legal_aid, drafting
	Parties     string `json:"parties,omitempty"`
	Summary     string `json:"summary,omitempty"`
	OpenedOn    string `json:"opened_on,omitempty"`
}

// MatterUpdate replaces a matter's editable fields (its village and advisor
// never change). status "closed" needs the outcome (closed_on defaults to
// today); "open" reopens; empty keeps the current status.
type MatterUpdate struct {
	Title    string `json:"title"`
	Category string `json:"category"`
	Parties  string `json:"parties"`
	Summary  string `json:"summary"`
	OpenedOn string `json:"opened_on"`
	Status   string `json:"status,omitempty"`
	Outcome  string `json:"outcome,omitempty"`
	ClosedOn string `json:"closed_on,omitempty"`
}

// DocumentInput files a yearly document in a village's volume: kind "plan"
// (年度服务计划) or "improvement" (法治提升建议报告). A second one of the same
// kind, village, advisor and year replaces the first (200 instead of 201).
// Without a title the default one is used; advisor_id is for the
// administrator only.
type DocumentInput struct {
	Kind        string `json:"kind"`
	VillageCode string `json:"village_code"`
	Year        int    `json:"year"`
	AdvisorID   int64  `json:"advisor_id,omitempty"`
	Title       string `json:"title,omitempty"`
	Body        string `json:"body"`
}

// Operations lists the volume area's JSON operations.
func (f *Feature) Operations(h *api.API) []api.Op {
	o := &ops{API: h, vol: f.svc}
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/matters", "matters", o.matters), Summary: "List legal matter files (一案一档) in scope, open first", Tag: "volumes",
			Response: registry.List[counsel.Matter]{}, Query: []string{"q", "status", "village", "region", "limit", "offset"}},
		{Route: rt("POST", "/matters", "matter_create", o.createMatter), Summary: "Open a legal matter's file (advisor for a village it serves; administrator for an advisor)", Tag: "volumes",
			Request: MatterInput{}, Response: counsel.Matter{}},
		{Route: rt("GET", "/matters/{id}", "matter", api.Get(h, func(r *http.Request, id int64) (*counsel.Matter, error) {
			return o.vol.Matter(r.Context(), api.ActorOf(r), id)
		})),
			Summary: "One matter file (its entries: GET /entries?matter={id})", Tag: "volumes", Response: counsel.Matter{}},
		{Route: rt("PUT", "/matters/{id}", "matter_update", o.updateMatter), Summary: "Change, close (with the outcome) or reopen a matter file (its advisor, administrator)", Tag: "volumes",
			Request: MatterUpdate{}, Response: counsel.Matter{}},
		{Route: rt("POST", "/documents", "document_save", o.saveDocument), Summary: "File a village's yearly service plan or improvement report (advisor for a village it served that year; administrator for an advisor)", Tag: "volumes",
			Request: DocumentInput{}, Response: counsel.Document{}},
		{Route: rt("GET", "/documents/{id}", "document", api.Get(h, func(r *http.Request, id int64) (*counsel.Document, error) {
			return o.vol.Document(r.Context(), api.ActorOf(r), id)
		})),
			Summary: "One yearly document", Tag: "volumes", Response: counsel.Document{}},
		{Route: rt("GET", "/volumes/{village}", "volume", o.volume), Summary: "A village's volume (一村一卷) for a period (default the current year): advisors, agreements, documents, matters, entries in chain order and totals", Tag: "volumes",
			Response: Volume{}, Query: []string{"from", "to"}},
	}
}

// ops are the volume area's JSON handlers.
type ops struct {
	*api.API
	vol *Service
}

func (h *ops) matters(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := ledger.EntryFilter{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Village: q.Get("village"), Scope: q.Get("region"), Page: server.FilterOf(r).Page}
	if f.Village != "" && !counsel.ValidCode(f.Village) {
		f.Village = "999999999999"
	}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = "999999999999"
	}
	l, err := h.vol.Matters(r.Context(), api.ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (h *ops) createMatter(w http.ResponseWriter, r *http.Request) {
	var in MatterInput
	if err := api.Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	m := &counsel.Matter{VillageCode: in.VillageCode, AdvisorID: in.AdvisorID, Title: in.Title, Category: in.Category,
		Parties: in.Parties, Summary: in.Summary, OpenedOn: in.OpenedOn}
	if err := h.vol.SaveMatter(r.Context(), api.ActorOf(r), m); err != nil {
		h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, m)
}

func (h *ops) updateMatter(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	var in MatterUpdate
	if err := api.Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	m, err := h.vol.Matter(r.Context(), api.ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	m.Title, m.Category, m.Parties, m.Summary, m.OpenedOn = in.Title, in.Category, in.Parties, in.Summary, in.OpenedOn
	if in.Status != "" {
		m.Status = in.Status
	}
	if m.Status == counsel.MatterClosed {
		m.Outcome, m.ClosedOn = in.Outcome, in.ClosedOn
	}
	if err := h.vol.SaveMatter(r.Context(), api.ActorOf(r), m); err != nil {
		h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, m)
}

func (h *ops) saveDocument(w http.ResponseWriter, r *http.Request) {
	var in DocumentInput
	if err := api.Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	d := &counsel.Document{Kind: in.Kind, VillageCode: in.VillageCode, Year: in.Year, AdvisorID: in.AdvisorID, Title: in.Title, Body: in.Body}
	if err := h.vol.SaveDocument(r.Context(), api.ActorOf(r), d); err != nil {
		h.Fail(w, r, err)
		return
	}
	status := http.StatusCreated
	if d.UpdatedAt != d.CreatedAt {
		status = http.StatusOK
	}
	api.OK(w, status, d)
}

func (h *ops) volume(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := h.vol.Volume(r.Context(), api.ActorOf(r), r.PathValue("village"), q.Get("from"), q.Get("to"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, v)
}
