package pairing

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the 1+N area's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
}

// routes lists the routes of the 1+N area of the site: legal-literate
// persons (R9), pairings and their activity records (R10, R13), the 1+N rule,
// the 附件1 table and 附件2 archive cards (R11). (The 附件1 import, R8, stays in web.)
// Every page works for every role the service lets read; forms are shown
// only to roles that may write, and the service refuses the rest anyway.
func (pg *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/persons", Name: "person_list", Handler: pg.personList},
		{Method: "GET", Pattern: "/persons.xlsx", Name: "person_xlsx", Handler: pg.personsXLSX},
		{Method: "GET", Pattern: "/persons/new", Name: "person_new", Handler: pg.personNew},
		{Method: "POST", Pattern: "/persons", Name: "person_create", Handler: pg.personSave},
		{Method: "GET", Pattern: "/persons/{id}", Name: "person_show", Handler: pg.personShow},
		{Method: "GET", Pattern: "/persons/{id}/edit", Name: "person_edit", Handler: pg.personEdit},
		{Method: "POST", Pattern: "/persons/{id}", Name: "person_update", Handler: pg.personSave},
		{Method: "POST", Pattern: "/persons/{id}/status", Name: "person_status", Handler: pg.personStatus},
		{Method: "GET", Pattern: "/persons/{id}/photo", Name: "person_photo", Handler: pg.personPhoto},
		{Method: "POST", Pattern: "/persons/{id}/photo", Name: "person_photo_upload", Handler: pg.personPhotoUpload},

		{Method: "GET", Pattern: "/pairings", Name: "pairing_list", Handler: pg.pairingList},
		{Method: "GET", Pattern: "/pairings/new", Name: "pairing_new", Handler: pg.pairingNew},
		{Method: "POST", Pattern: "/pairings", Name: "pairing_create", Handler: pg.pairingCreate},
		{Method: "GET", Pattern: "/pairings/rules", Name: "pairing_rules", Handler: pg.pairingRules},
		{Method: "GET", Pattern: "/pairings/attachment1.xlsx", Name: "pairing_attachment1", Handler: pg.pairingAttachment1},
		{Method: "GET", Pattern: "/pairings/cards.xlsx", Name: "pairing_cards_xlsx", Handler: pg.pairingCardsXLSX},
		{Method: "GET", Pattern: "/pairings/cards", Name: "pairing_cards", Handler: pg.pairingCards},
		{Method: "GET", Pattern: "/pairings/{id}", Name: "pairing_show", Handler: pg.pairingShow},
		{Method: "POST", Pattern: "/pairings/{id}", Name: "pairing_update", Handler: pg.pairingUpdate},
		{Method: "POST", Pattern: "/pairings/{id}/activities", Name: "pairing_activity", Handler: pg.pairingActivity},
		{Method: "GET", Pattern: "/pairings/{id}/card", Name: "pairing_card", Handler: pg.pairingCard},
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
func (pg *pages) pnRegion(r *http.Request) (pnRegionFilter, error) {
	a := web.ActorOf(r)
	code := strings.TrimSpace(r.URL.Query().Get("region"))
	var rf pnRegionFilter
	if code != "" {
		reg, err := pg.svc.Svc.Region(r.Context(), a, code)
		if err != nil {
			return rf, err
		}
		rf.Code, rf.Current = reg.Code, reg
	}
	opts, err := pg.svc.Svc.Children(r.Context(), a, "")
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
func pnCanEditPersons(a *counsel.Actor) bool { return authz.KeepsPersons(a) }

// pnCanEditPairings reports whether the actor makes pairings at all.
func pnCanEditPairings(a *counsel.Actor) bool { return authz.MakesPairings(a) }

// pnCanImport reports whether the actor may import 附件1 tables.
func pnCanImport(a *counsel.Actor) bool { return authz.MakesPairings(a) }

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
func pnPager[T any](r *http.Request, l registry.List[T]) web.Pager {
	return web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}
}
