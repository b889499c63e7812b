package registry

import (
	"bytes"
	"io"
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
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
	Towns    []CoverageRow `json:"towns"`
	Villages int           `json:"villages"`
	Covered  int           `json:"covered"`
	Rate     float64       `json:"rate"`
}

// SettingsRequest sets a county's settings.
type SettingsRequest struct {
	Region   string           `json:"region"`
	Settings counsel.Settings `json:"settings"`
}

// endpoints are the JSON operations of the registry.
type endpoints struct {
	h   *api.API
	svc *Service
}

func (e *endpoints) ops() []api.Op {
	s := e.svc
	a := api.ActorOf
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	listQ := []string{"q", "kind", "status", "region", "limit", "offset"}
	ops := []api.Op{
		{Route: rt("GET", "/regions", "regions", e.regions), Summary: "Child regions of ?parent= (default: the home region), or a name search with ?q=", Tag: "regions", Response: []counsel.Region{}, Query: []string{"parent", "q"}},
		{Route: rt("GET", "/regions/{code}", "region", e.region), Summary: "One region", Tag: "regions", Response: counsel.Region{}},
		{Route: rt("PATCH", "/regions/{code}", "region_flags", e.regionFlags), Summary: "Set a village's underdeveloped and remote flags", Tag: "regions", Request: Flags{}, Response: counsel.Region{}},
		{Route: rt("GET", "/coverage", "coverage", e.coverage), Summary: "Coverage by town: villages with a filed agreement in force", Tag: "regions", Response: CoverageResponse{}, Query: []string{"region"}},
		{Route: rt("GET", "/coverage/uncovered", "uncovered", e.uncovered), Summary: "Villages without a filed agreement in force", Tag: "regions", Response: []counsel.Region{}, Query: []string{"region"}},

		{Route: rt("GET", "/providers", "providers", api.List(e.h, func(r *http.Request, f counsel.Filter) (List[counsel.Provider], error) {
			return s.Providers(r.Context(), a(r), f)
		})), Summary: "List providers", Tag: "providers", Response: List[counsel.Provider]{}, Query: listQ},
		{Route: rt("POST", "/providers", "provider_create", api.Save(e.h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Create a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},
		{Route: rt("GET", "/providers/{id}", "provider", api.Get(e.h, func(r *http.Request, id int64) (*counsel.Provider, error) { return s.Provider(r.Context(), a(r), id) })), Summary: "One provider", Tag: "providers", Response: counsel.Provider{}},
		{Route: rt("PUT", "/providers/{id}", "provider_update", api.Save(e.h, func(p *counsel.Provider, id int64) { p.ID = id }, func(r *http.Request, p *counsel.Provider) error { return s.SaveProvider(r.Context(), a(r), p) })), Summary: "Update a provider", Tag: "providers", Request: counsel.Provider{}, Response: counsel.Provider{}},

		{Route: rt("GET", "/advisors", "advisors", api.List(e.h, func(r *http.Request, f counsel.Filter) (List[counsel.Advisor], error) {
			return s.Advisors(r.Context(), a(r), f)
		})), Summary: "List advisors", Tag: "advisors", Response: List[counsel.Advisor]{}, Query: listQ},
		{Route: rt("POST", "/advisors", "advisor_create", api.Save(e.h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Create an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},
		{Route: rt("GET", "/advisors/{id}", "advisor", api.Get(e.h, func(r *http.Request, id int64) (*counsel.Advisor, error) { return s.Advisor(r.Context(), a(r), id) })), Summary: "One advisor", Tag: "advisors", Response: counsel.Advisor{}},
		{Route: rt("PUT", "/advisors/{id}", "advisor_update", api.Save(e.h, func(v *counsel.Advisor, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Advisor) error { return s.SaveAdvisor(r.Context(), a(r), v) })), Summary: "Update an advisor", Tag: "advisors", Request: counsel.Advisor{}, Response: counsel.Advisor{}},

		{Route: rt("GET", "/agreements", "agreements", api.List(e.h, func(r *http.Request, f counsel.Filter) (List[counsel.Agreement], error) {
			f.Today = s.Today()
			return s.Agreements(r.Context(), a(r), f)
		})), Summary: "List agreements (status may be live or late)", Tag: "agreements", Response: List[counsel.Agreement]{}, Query: listQ},
		{Route: rt("POST", "/agreements", "agreement_create", api.Save(e.h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Create an agreement (a draft unless status is given); enforces the load limit", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("GET", "/agreements/{id}", "agreement", api.Get(e.h, func(r *http.Request, id int64) (*counsel.Agreement, error) { return s.Agreement(r.Context(), a(r), id) })), Summary: "One agreement", Tag: "agreements", Response: counsel.Agreement{}},
		{Route: rt("PUT", "/agreements/{id}", "agreement_update", api.Save(e.h, func(v *counsel.Agreement, id int64) { v.ID = id }, func(r *http.Request, v *counsel.Agreement) error { return s.SaveAgreement(r.Context(), a(r), v) })), Summary: "Update an agreement", Tag: "agreements", Request: counsel.Agreement{}, Response: counsel.Agreement{}},
		{Route: rt("POST", "/agreements/{id}/status", "agreement_status", e.moveAgreement), Summary: "Move an agreement: signed, filed, ended or replaced", Tag: "agreements", Request: StatusMove{}, Response: counsel.Agreement{}},

		{Route: rt("POST", "/imports/pairings", "import_pairings", e.importPairings), Summary: "Import a 附件1 table (xlsx or csv body, or multipart field file); any bad row imports nothing", Tag: "1+N", Request: "binary", Response: ImportResult{}, Query: []string{"region"}},

		{Route: rt("GET", "/settings", "settings", e.settings), Summary: "Settings in force for a region", Tag: "settings", Response: counsel.Settings{}, Query: []string{"region"}},
		{Route: rt("PUT", "/settings", "settings_update", e.saveSettings), Summary: "Set a county's settings", Tag: "settings", Request: SettingsRequest{}, Response: counsel.Settings{}},
	}
	// Each later area keeps its operations in its own file.
	return ops
}

func (e *endpoints) regions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var rs []counsel.Region
	var err error
	if s := strings.TrimSpace(q.Get("q")); s != "" {
		rs, err = e.svc.SearchRegions(r.Context(), api.ActorOf(r), s, 50)
	} else {
		rs, err = e.svc.Children(r.Context(), api.ActorOf(r), q.Get("parent"))
	}
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []counsel.Region{}
	}
	api.OK(w, http.StatusOK, rs)
}

func (e *endpoints) region(w http.ResponseWriter, r *http.Request) {
	reg, err := e.svc.Region(r.Context(), api.ActorOf(r), r.PathValue("code"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, reg)
}

func (e *endpoints) regionFlags(w http.ResponseWriter, r *http.Request) {
	var f Flags
	if err := api.Decode(r, &f); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if err := e.svc.SetVillageFlags(r.Context(), api.ActorOf(r), code, f.Underdeveloped, f.Remote); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	e.region(w, r)
}

func (e *endpoints) coverage(w http.ResponseWriter, r *http.Request) {
	rows, err := e.svc.Coverage(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	res := CoverageResponse{Towns: rows}
	if res.Towns == nil {
		res.Towns = []CoverageRow{}
	}
	for _, t := range rows {
		res.Villages += t.Villages
		res.Covered += t.Covered
	}
	if res.Villages > 0 {
		res.Rate = float64(res.Covered) / float64(res.Villages)
	}
	api.OK(w, http.StatusOK, res)
}

func (e *endpoints) uncovered(w http.ResponseWriter, r *http.Request) {
	rs, err := e.svc.Uncovered(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	if rs == nil {
		rs = []counsel.Region{}
	}
	api.OK(w, http.StatusOK, rs)
}

func (e *endpoints) moveAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	var m StatusMove
	if err := api.Decode(r, &m); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	g, err := e.svc.MoveAgreement(r.Context(), api.ActorOf(r), id, m.Status, m.Day)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, g)
}

// importPairings reads the upload as multipart field "file" or as the raw
// body; CSV is recognised by name or content type, anything else is xlsx.
func (e *endpoints) importPairings(w http.ResponseWriter, r *http.Request) {
	// Who may import, and where, is settled before the body is read: an
	// upload is decompressed only for someone allowed to import it.
	if !authz.MakesPairings(api.ActorOf(r)) {
		e.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	if _, err := importScope(api.ActorOf(r), r.URL.Query().Get("region")); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	var body io.Reader = r.Body
	name := r.URL.Query().Get("filename")
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			e.h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "err.file"))
			return
		}
		defer f.Close()
		body, name, ct = f, hdr.Filename, hdr.Header.Get("Content-Type")
	}
	data, err := io.ReadAll(io.LimitReader(body, server.MaxBody))
	if err != nil || len(data) == 0 {
		e.h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "err.file"))
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
		e.h.Fail(w, r, err)
		return
	}
	res, err := e.svc.ImportPairings(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"), rows, perrs)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, res)
}

func (e *endpoints) settings(w http.ResponseWriter, r *http.Request) {
	set, err := e.svc.Settings(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, set)
}

func (e *endpoints) saveSettings(w http.ResponseWriter, r *http.Request) {
	var req SettingsRequest
	if err := api.Decode(r, &req); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	if err := e.svc.SaveSettings(r.Context(), api.ActorOf(r), req.Region, req.Settings); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, req.Settings)
}
