package api

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
)

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
		{Route: rt("GET", "/regions", "regions", h.regions), Summary: "Child regions of ?parent= (default: the home region), or a name search with ?q=", Tag: "regions", Response: []counsel.Region{}, Query: []string{"parent", "q"}},
		{Route: rt("GET", "/regions/{code}", "region", h.region), Summary: "One region", Tag: "regions", Response: counsel.Region{}},
		{Route: rt("PATCH", "/regions/{code}", "region_flags", h.regionFlags), Summary: "Set a village's underdeveloped and remote flags", Tag: "regions", Request: Flags{}, Response: counsel.Region{}},
		{Route: rt("GET", "/coverage", "coverage", h.coverage), Summary: "Coverage by town: villages with a filed agreement in force", Tag: "regions", Response: CoverageResponse{}, Query: []string{"region"}},
		{Route: rt("GET", "/coverage/uncovered", "uncovered", h.uncovered), Summary: "Villages without a filed agreement in force", Tag: "regions", Response: []counsel.Region{}, Query: []string{"region"}},

		{Route: rt("GET", "/providers", "providers", List(h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.Provider], error) {
			return s.Providers(r.Context(), a(r), f)
		})), Summary: "List providers", Tag: "providers", Response: registry.List[counsel.Provider]{}, Query: listQ},
		{Route: rt("POST", "/providers", "provider_create", Save(h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Create a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},
		{Route: rt("GET", "/providers/{id}", "provider", Get(h, func(r *http.Request, id int64) (*counsel.Provider, error) { return s.Provider(r.Context(), a(r), id) })), Summary: "One provider", Tag: "providers", Response: counsel.Provider{}},
		{Route: rt("PUT", "/providers/{id}", "provider_update", Save(h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Update a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},

		{Route: rt("GET", "/advisors", "advisors", List(h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.Advisor], error) {
			return s.Advisors(r.Context(), a(r), f)
		})), Summary: "List advisors", Tag: "advisors", Response: registry.List[counsel.Advisor]{}, Query: listQ},
		{Route: rt("POST", "/advisors", "advisor_create", Save(h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Create an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},
		{Route: rt("GET", "/advisors/{id}", "advisor", Get(h, func(r *http.Request, id int64) (*counsel.Advisor, error) { return s.Advisor(r.Context(), a(r), id) })), Summary: "One advisor", Tag: "advisors", Response: counsel.Advisor{}},
		{Route: rt("PUT", "/advisors/{id}", "advisor_update", Save(h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Update an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},

		{Route: rt("GET", "/agreements", "agreements", List(h, func(r *http.Request, f counsel.Filter) (registry.List[counsel.Agreement], error) {
			f.Today = s.Today()
			return s.Agreements(r.Context(), a(r), f)
		})), Summary: "List agreements (status may be live or late)", Tag: "agreements", Response: registry.List[counsel.Agreement]{}, Query: listQ},
		{Route: rt("POST", "/agreements", "agreement_create", Save(h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Create an agreement (a draft unless status is given); enforces the load limit", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("GET", "/agreements/{id}", "agreement", Get(h, func(r *http.Request, id int64) (*counsel.Agreement, error) { return s.Agreement(r.Context(), a(r), id) })), Summary: "One agreement", Tag: "agreements", Response: counsel.Agreement{}},
		{Route: rt("PUT", "/agreements/{id}", "agreement_update", Save(h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Update an agreement", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("POST", "/agreements/{id}/status", "agreement_status", h.moveAgreement), Summary: "Move an agreement: signed, filed, ended or replaced", Tag: "agreements", Request: StatusMove{}, Response: counsel.Agreement{}},

		{Route: rt("POST", "/imports/pairings", "import_pairings", h.importPairings), Summary: "Import a 附件1 table (xlsx or csv body, or multipart field file); any bad row imports nothing", Tag: "1+N", Request: "binary", Response: registry.ImportResult{}, Query: []string{"region"}},

		{Route: rt("GET", "/settings", "settings", h.settings), Summary: "Settings in force for a region", Tag: "settings", Response: counsel.Settings{}, Query: []string{"region"}},
		{Route: rt("PUT", "/settings", "settings_update", h.saveSettings), Summary: "Set a county's settings", Tag: "settings", Request: SettingsRequest{}, Response: counsel.Settings{}},
	}
	// Each later area keeps its operations in its own file.
	return ops
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
