package web

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// pairingRoutes lists the routes of the 1+N area of the site: legal-literate
// persons (R9), pairings and their activity records (R10, R13), the 1+N rule,
// the 附件1 table and 附件2 archive cards (R11) and the 附件1 import (R8).
// Every page works for every role the service lets read; forms are shown
// only to roles that may write, and the service refuses the rest anyway.
func (h *Web) pairingRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/persons", Name: "person_list", Handler: h.personList},
		{Method: "GET", Pattern: "/persons/new", Name: "person_new", Handler: h.personNew},
		{Method: "POST", Pattern: "/persons", Name: "person_create", Handler: h.personSave},
		{Method: "GET", Pattern: "/persons/{id}", Name: "person_show", Handler: h.personShow},
		{Method: "GET", Pattern: "/persons/{id}/edit", Name: "person_edit", Handler: h.personEdit},
		{Method: "POST", Pattern: "/persons/{id}", Name: "person_update", Handler: h.personSave},
		{Method: "POST", Pattern: "/persons/{id}/status", Name: "person_status", Handler: h.personStatus},
		{Method: "GET", Pattern: "/persons/{id}/photo", Name: "person_photo", Handler: h.personPhoto},
		{Method: "POST", Pattern: "/persons/{id}/photo", Name: "person_photo_upload", Handler: h.personPhotoUpload},

		{Method: "GET", Pattern: "/pairings", Name: "pairing_list", Handler: h.pairingList},
		{Method: "GET", Pattern: "/pairings/new", Name: "pairing_new", Handler: h.pairingNew},
		{Method: "POST", Pattern: "/pairings", Name: "pairing_create", Handler: h.pairingCreate},
		{Method: "GET", Pattern: "/pairings/rules", Name: "pairing_rules", Handler: h.pairingRules},
		{Method: "GET", Pattern: "/pairings/attachment1.xlsx", Name: "pairing_attachment1", Handler: h.pairingAttachment1},
		{Method: "GET", Pattern: "/pairings/cards.xlsx", Name: "pairing_cards_xlsx", Handler: h.pairingCardsXLSX},
		{Method: "GET", Pattern: "/pairings/cards", Name: "pairing_cards", Handler: h.pairingCards},
		{Method: "GET", Pattern: "/pairings/{id}", Name: "pairing_show", Handler: h.pairingShow},
		{Method: "POST", Pattern: "/pairings/{id}", Name: "pairing_update", Handler: h.pairingUpdate},
		{Method: "POST", Pattern: "/pairings/{id}/activities", Name: "pairing_activity", Handler: h.pairingActivity},
		{Method: "GET", Pattern: "/pairings/{id}/card", Name: "pairing_card", Handler: h.pairingCard},

		{Method: "GET", Pattern: "/import", Name: "import_form", Handler: h.importForm},
		{Method: "GET", Pattern: "/import/template.xlsx", Name: "import_template", Handler: h.importTemplate},
		{Method: "POST", Pattern: "/import/pairings", Name: "import_pairings", Handler: h.importPairings},
	}
}

// pnRegionFilter is the region filter of a 1+N list: the region chosen and
// the regions offered (the children of the actor's home region).
type pnRegionFilter struct {
	Code    string
	Current *counsel.Region
	Options []counsel.Region
}

// pnRegion reads ?region= and resolves it within the actor's scope: an
// unknown or foreign region is not found.
func (h *Web) pnRegion(r *http.Request) (pnRegionFilter, error) {
	a := ActorOf(r)
	code := strings.TrimSpace(r.URL.Query().Get("region"))
	var rf pnRegionFilter
	if code != "" {
		reg, err := h.svc.Region(r.Context(), a, code)
		if err != nil {
			return rf, err
		}
		rf.Code, rf.Current = reg.Code, reg
	}
	opts, err := h.svc.Children(r.Context(), a, "")
	if err != nil {
		return rf, err
	}
	rf.Options = opts
	if rf.Current != nil {
		found := false
		for _, o := range opts {
			found = found || o.Code == rf.Code
		}
		if !found {
			rf.Options = append([]counsel.Region{*rf.Current}, opts...)
		}
	}
	return rf, nil
}

// pnCanEditPersons reports whether the actor keeps legal-literate persons at
// all (to show "add" buttons); per village the service decides.
func pnCanEditPersons(a *counsel.Actor) bool {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleJudicial, counsel.RoleVillage:
		return true
	case counsel.RoleBureau:
		return counsel.LevelOf(a.RegionCode) == counsel.LevelCounty
	}
	return false
}

// pnCanEditPairings reports whether the actor makes pairings at all.
func pnCanEditPairings(a *counsel.Actor) bool {
	return a.Role != counsel.RoleVillage && pnCanEditPersons(a)
}

// pnCanImport reports whether the actor may import 附件1 tables.
func pnCanImport(a *counsel.Actor) bool { return pnCanEditPairings(a) }

// pnPhotoURL turns photo bytes into a data: URL for an <img> (the CSP allows
// data: images), only for PNG, JPEG and GIF; "" otherwise.
func pnPhotoURL(b []byte) template.URL {
	var typ string
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		typ = "image/png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		typ = "image/jpeg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		typ = "image/gif"
	default:
		return ""
	}
	return template.URL("data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(b))
}

// pnForbidden is the error for a page the actor may not use.
var pnForbidden = counsel.Errorf(counsel.CodeForbidden, "err.forbidden")

// pnPager builds the pager of a list.
func pnPager[T any](r *http.Request, l service.List[T]) Pager {
	return Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}
}
