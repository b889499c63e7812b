package volume

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the volume area's HTML handlers over the shared web kit.
type pages struct {
	*web.Web
	vol *Service
}

// routes are the pages of the volume area: legal matter files (一案一档),
// the yearly documents (R17, R28) and the printable volumes (一村一卷,
// 一所一卷) with their xlsx.
func (h *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/ledger/matters", Name: "matters", Handler: h.matterList},
		{Method: "GET", Pattern: "/ledger/matters/new", Name: "matter_new", Handler: h.matterNew},
		{Method: "POST", Pattern: "/ledger/matters", Name: "matter_create", Handler: h.matterCreate},
		{Method: "GET", Pattern: "/ledger/matters/{id}", Name: "matter", Handler: h.matterShow},
		{Method: "GET", Pattern: "/ledger/matters/{id}/edit", Name: "matter_edit", Handler: h.matterEdit},
		{Method: "POST", Pattern: "/ledger/matters/{id}", Name: "matter_update", Handler: h.matterUpdate},
		{Method: "POST", Pattern: "/ledger/matters/{id}/status", Name: "matter_status", Handler: h.matterStatus},
		{Method: "GET", Pattern: "/ledger/documents/new", Name: "document_new", Handler: h.documentNew},
		{Method: "POST", Pattern: "/ledger/documents", Name: "document_save", Handler: h.documentSave},
		{Method: "GET", Pattern: "/ledger/documents/{id}", Name: "document", Handler: h.documentShow},
		{Method: "GET", Pattern: "/ledger/volume", Name: "volume", Handler: h.volumePage},
		{Method: "GET", Pattern: "/ledger/volume.xlsx", Name: "volume_xlsx", Handler: h.volumeXLSX},
		{Method: "GET", Pattern: "/ledger/provider-volume", Name: "provider_volume", Handler: h.providerVolumePage},
		{Method: "GET", Pattern: "/ledger/provider-volume.xlsx", Name: "provider_volume_xlsx", Handler: h.providerVolumeXLSX},
	}
}

// volEntry is an entry as a volume lists it.
type volEntry struct {
	counsel.Entry
	Short  string // the hash shortened for the record
	Counts bool   // counts toward the totals
	Matter string // the matter's title, if filed under one
}

func volEntries(es []counsel.Entry, ms []counsel.Matter) []volEntry {
	titles := map[int64]string{}
	for _, m := range ms {
		titles[m.ID] = m.Title
	}
	out := make([]volEntry, len(es))
	for i := range es {
		out[i] = volEntry{Entry: es[i], Short: shortHash(es[i].Hash), Counts: EntryCounts(&es[i]), Matter: titles[es[i].MatterID]}
		if es[i].MatterID != 0 && out[i].Matter == "" {
			out[i].Matter = "#" + strconv.FormatInt(es[i].MatterID, 10)
		}
	}
	return out
}

// shortHash is the first 12 hex digits of an entry's hash: enough to check
// a printed volume against the database.
func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// villageChoices lists the villages whose volume (or documents) the actor
// may open, grouped by town; nil means "type a code" (administrator, city
// and province bureaus). liveOnly keeps only villages of live agreements
// (for opening matters).
func (h *pages) villageChoices(ctx context.Context, a *counsel.Actor, liveOnly bool) []Town {
	switch a.Role {
	case counsel.RoleVillage:
		r, err := h.vol.Svc.Region(ctx, a, a.RegionCode)
		if err != nil {
			return nil
		}
		return []Town{{Code: r.ParentCode, Villages: []counsel.Region{*r}}}
	case counsel.RoleJudicial:
		return volTowns(h.vol.Svc.VillageGroups(ctx, a, a.RegionCode))
	case counsel.RoleBureau:
		if counsel.LevelOf(a.RegionCode) == counsel.LevelCounty {
			return volTowns(h.vol.Svc.VillageGroups(ctx, a, a.RegionCode))
		}
		return nil
	case counsel.RoleProvider, counsel.RoleAdvisor:
	default:
		return nil
	}
	ts, err := h.vol.ServedTowns(ctx, a, liveOnly)
	if err != nil {
		return nil
	}
	return ts
}

func volTowns(gs []registry.TownGroup) []Town {
	out := make([]Town, len(gs))
	for i, g := range gs {
		out[i] = Town{Code: g.Town.Code, Name: g.Town.Name, Villages: g.Villages}
	}
	return out
}

// volChoiceCount is the number of villages in the choices.
func volChoiceCount(ts []Town) int {
	n := 0
	for _, t := range ts {
		n += len(t.Villages)
	}
	return n
}

// volumeView is the printable village volume.
type volumeView struct {
	V         *Volume
	Entries   []volEntry
	Place     string // the village's full name, province down
	Generated string
	XLSX      string
	Query     url.Values
	// P is set instead for a provider's volume (the same template).
	P *providerVolumeView
}

// volumeChooseView is the volume chooser (and its errors).
type volumeChooseView struct {
	Towns     []Town
	Providers []counsel.Provider
	Provider  bool // the provider chooser
}

func (h *pages) volumeChooser(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	v.Data = &volumeChooseView{Towns: h.villageChoices(ctx, a, false)}
	if v.Form == nil {
		v.Form = url.Values{}
		q := r.URL.Query()
		for _, k := range []string{"village", "from", "to"} {
			v.Form.Set(k, q.Get(k))
		}
	}
	if v.Form.Get("from") == "" {
		y := h.vol.Svc.Today()[:4]
		v.Form.Set("from", y+"-01-01")
		v.Form.Set("to", y+"-12-31")
	}
	h.Render(w, r, status, "volume_choose", v)
}

// volumeArgs reads the volume page's query; an empty village means the
// signed-in village's own.
func volumeArgs(r *http.Request) (village, from, to string) {
	q := r.URL.Query()
	village = strings.TrimSpace(q.Get("village"))
	if a := web.ActorOf(r); village == "" && a.Role == counsel.RoleVillage {
		village = a.RegionCode
	}
	return village, strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
}

// queryFail puts a GET page's error into the view, keeping the query.
func (h *pages) queryFail(r *http.Request, v *web.View, err error) int {
	status := h.FormFail(r, v, err)
	v.Form = r.URL.Query()
	return status
}

func (h *pages) volumePage(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	village, from, to := volumeArgs(r)
	v := h.View(r, "volume", "volume.title", nil)
	if village == "" {
		h.volumeChooser(w, r, v, http.StatusOK)
		return
	}
	vol, err := h.vol.Volume(ctx, a, village, from, to)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			h.volumeChooser(w, r, v, h.queryFail(r, v, err))
			return
		}
		h.Fail(w, r, err)
		return
	}
	q := url.Values{"village": {village}, "from": {vol.From}, "to": {vol.To}}
	v.Title = vol.Village.Name + " · " + v.Title
	v.Data = &volumeView{V: vol, Entries: volEntries(vol.Entries, vol.Matters), Place: vol.Place,
		Generated: h.vol.Svc.Today(), XLSX: "/ledger/volume.xlsx?" + q.Encode(), Query: q}
	h.Render(w, r, http.StatusOK, "volume", v)
}

// providerSection is one village of a printable provider volume.
type providerSection struct {
	VolumeSection
	Entries []volEntry
	Anchor  string
}

// providerVolumeView is the printable provider volume.
type providerVolumeView struct {
	V         *ProviderVolume
	Sections  []providerSection
	ScopeName string
	Generated string
	XLSX      string
}

// providerArgs reads the provider volume's query; a provider or advisor
// account defaults to its own provider.
func (h *pages) providerArgs(r *http.Request) (int64, string, string) {
	q := r.URL.Query()
	id, _ := strconv.ParseInt(strings.TrimSpace(q.Get("provider")), 10, 64)
	a := web.ActorOf(r)
	if id == 0 && q.Get("choose") == "" {
		switch a.Role {
		case counsel.RoleProvider:
			id = a.ProviderID
		case counsel.RoleAdvisor:
			if adv, err := h.vol.Svc.Advisor(r.Context(), a, a.AdvisorID); err == nil {
				id = adv.ProviderID
			}
		}
	}
	return id, strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to"))
}

func (h *pages) providerChooser(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	cv := &volumeChooseView{Provider: true}
	if ps, err := h.vol.Svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
		cv.Providers = ps.Items
	} else if counsel.ErrorCode(err) == counsel.CodeForbidden {
		h.Fail(w, r, errNotFoundPage)
		return
	}
	v.Data = cv
	if v.Form == nil {
		v.Form = url.Values{}
		for _, k := range []string{"provider", "from", "to"} {
			v.Form.Set(k, r.URL.Query().Get(k))
		}
	}
	if v.Form.Get("from") == "" {
		y := h.vol.Svc.Today()[:4]
		v.Form.Set("from", y+"-01-01")
		v.Form.Set("to", y+"-12-31")
	}
	h.Render(w, r, status, "volume_choose", v)
}

var errNotFoundPage = counsel.Errorf(counsel.CodeNotFound, "err.not_found")

func (h *pages) providerVolumePage(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	v := h.View(r, "volume", "volume.provider_title", nil)
	if a.Role == counsel.RoleVillage {
		h.Fail(w, r, errNotFoundPage)
		return
	}
	id, from, to := h.providerArgs(r)
	if id == 0 {
		h.providerChooser(w, r, v, http.StatusOK)
		return
	}
	pv, err := h.vol.ProviderVolume(ctx, a, id, from, to)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			h.providerChooser(w, r, v, h.queryFail(r, v, err))
			return
		}
		h.Fail(w, r, err)
		return
	}
	q := url.Values{"provider": {strconv.FormatInt(id, 10)}, "from": {pv.From}, "to": {pv.To}}
	pvv := &providerVolumeView{V: pv, Generated: h.vol.Svc.Today(), XLSX: "/ledger/provider-volume.xlsx?" + q.Encode()}
	if pv.Scope != "" {
		if reg, err := h.vol.Svc.Region(ctx, a, pv.Scope); err == nil {
			pvv.ScopeName = reg.Name
		}
	}
	for _, s := range pv.Sections {
		pvv.Sections = append(pvv.Sections, providerSection{VolumeSection: s, Entries: volEntries(s.Entries, s.Matters), Anchor: "v" + s.Village.Code})
	}
	v.Title = pv.Provider.Name + " · " + v.Title
	v.Data = &volumeView{P: pvv}
	h.Render(w, r, http.StatusOK, "volume", v)
}
