package volume

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// Legal matter files (一案一档): list, open, show with entries, edit, close
// and reopen.

var matterStatuses = []string{counsel.MatterOpen, counsel.MatterClosed}

// matterListView is the matters list.
type matterListView struct {
	Items    []counsel.Matter
	Pager    web.Pager
	Q        string
	Status   string
	Village  string
	Statuses []string
	Towns    []Town
	CanAdd   bool
}

func canOpenMatters(a *counsel.Actor) bool {
	return a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleAdmin
}

func (h *pages) matterList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	q := r.URL.Query()
	f := ledger.EntryFilter{Q: strings.TrimSpace(q.Get("q")), Page: web.PageOf(r)}
	if s := q.Get("status"); s == counsel.MatterOpen || s == counsel.MatterClosed {
		f.Status = s
	}
	if v := strings.TrimSpace(q.Get("village")); v != "" {
		f.Village = v
		if !counsel.ValidCode(v) {
			f.Village = "999999999999"
		}
	}
	l, err := h.vol.Matters(ctx, a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	mv := &matterListView{Items: l.Items, Pager: web.Pager{Query: q, Total: l.Total, Limit: l.Limit, Offset: l.Offset},
		Q: f.Q, Status: f.Status, Village: q.Get("village"), Statuses: matterStatuses, CanAdd: canOpenMatters(a)}
	if a.Role != counsel.RoleVillage {
		mv.Towns = h.villageChoices(ctx, a, false)
	}
	h.Render(w, r, http.StatusOK, "matters", h.View(r, "matters", "matter.list_title", mv))
}

// matterFormView is the matter form (new or edit).
type matterFormView struct {
	M     *counsel.Matter // nil for a new one
	Towns []Town
	Kinds []web.KindOption
	Admin bool
	Today string
}

func (h *pages) matterForm(w http.ResponseWriter, r *http.Request, v *web.View, m *counsel.Matter, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	fv := &matterFormView{M: m, Kinds: web.KindOptions(server.Lang(ctx)), Admin: a.Role == counsel.RoleAdmin, Today: h.vol.Svc.Today()}
	if m == nil {
		fv.Towns = h.villageChoices(ctx, a, true)
	}
	v.Data = fv
	h.Render(w, r, status, "matter_form", v)
}

func (h *pages) matterNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if !canOpenMatters(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "matters", "matter.new_title", nil)
	q := r.URL.Query()
	v.Form = url.Values{"village_code": {q.Get("village")}, "advisor_id": {q.Get("advisor")}, "opened_on": {h.vol.Svc.Today()},
		"category": {"mediation"}}
	h.matterForm(w, r, v, nil, http.StatusOK)
}

// matterFromForm reads the fields a user types.
func matterFromForm(r *http.Request, m *counsel.Matter) {
	m.Title = r.PostFormValue("title")
	m.Category = r.PostFormValue("category")
	m.Parties = r.PostFormValue("parties")
	m.Summary = r.PostFormValue("summary")
	m.OpenedOn = r.PostFormValue("opened_on")
}

func (h *pages) matterCreate(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	v := h.View(r, "matters", "matter.new_title", nil)
	if !canOpenMatters(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	if err := web.ParseForm(r, 1<<20); err != nil {
		h.matterForm(w, r, v, nil, h.FormFail(r, v, err))
		return
	}
	m := &counsel.Matter{VillageCode: r.PostFormValue("village_code"), AdvisorID: web.FormID(r, "advisor_id")}
	matterFromForm(r, m)
	if err := h.vol.SaveMatter(r.Context(), a, m); err != nil {
		if volRefused(h, w, r, err) {
			return
		}
		h.matterForm(w, r, v, nil, h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/matters/"+strconv.FormatInt(m.ID, 10), "matter_created")
}

// matterView is a matter's page.
type matterView struct {
	M        *counsel.Matter
	Entries  []volEntry
	More     int // entries beyond those listed
	CanWrite bool
	Today    string
}

func (h *pages) matterPage(w http.ResponseWriter, r *http.Request, v *web.View, m *counsel.Matter, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	mv := &matterView{M: m, CanWrite: authz.CanWriteMatter(a, m), Today: h.vol.Svc.Today()}
	l, err := h.vol.Ledger.Entries(ctx, a, ledger.EntryFilter{MatterID: m.ID, Page: counsel.Page{Limit: 200}})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	// Oldest first: the file reads as the matter went.
	es := l.Items
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	mv.Entries = volEntries(es, []counsel.Matter{*m})
	mv.More = l.Total - len(es)
	if v.Form == nil {
		v.Form = url.Values{"closed_on": {mv.Today}, "outcome": {m.Outcome}}
	}
	v.Title = m.Title + " · " + v.Title
	v.Data = mv
	h.Render(w, r, status, "matter", v)
}

func (h *pages) matterShow(w http.ResponseWriter, r *http.Request) {
	m, ok := web.LoadByID(h.Web, w, r, h.vol.Matter)
	if !ok {
		return
	}
	h.matterPage(w, r, h.View(r, "matters", "matter.title", nil), m, http.StatusOK)
}

func (h *pages) matterEdit(w http.ResponseWriter, r *http.Request) {
	m, ok := web.LoadByID(h.Web, w, r, h.vol.Matter)
	if !ok {
		return
	}
	if !authz.CanWriteMatter(web.ActorOf(r), m) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "matters", "matter.edit_title", nil)
	v.Form = url.Values{"title": {m.Title}, "category": {m.Category}, "parties": {m.Parties}, "summary": {m.Summary}, "opened_on": {m.OpenedOn}}
	h.matterForm(w, r, v, m, http.StatusOK)
}

func (h *pages) matterUpdate(w http.ResponseWriter, r *http.Request) {
	m, ok := web.LoadByID(h.Web, w, r, h.vol.Matter)
	if !ok {
		return
	}
	v := h.View(r, "matters", "matter.edit_title", nil)
	if err := web.ParseForm(r, 1<<20); err != nil {
		h.matterForm(w, r, v, m, h.FormFail(r, v, err))
		return
	}
	upd := *m
	matterFromForm(r, &upd)
	if err := h.vol.SaveMatter(r.Context(), web.ActorOf(r), &upd); err != nil {
		if volRefused(h, w, r, err) {
			return
		}
		h.matterForm(w, r, v, m, h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/matters/"+strconv.FormatInt(m.ID, 10), "saved")
}

func (h *pages) matterStatus(w http.ResponseWriter, r *http.Request) {
	m, ok := web.LoadByID(h.Web, w, r, h.vol.Matter)
	if !ok {
		return
	}
	v := h.View(r, "matters", "matter.title", nil)
	if err := web.ParseForm(r, 1<<20); err != nil {
		h.matterPage(w, r, v, m, h.FormFail(r, v, err))
		return
	}
	upd := *m
	upd.Status = r.PostFormValue("status")
	if upd.Status == counsel.MatterClosed {
		upd.Outcome = r.PostFormValue("outcome")
		upd.ClosedOn = r.PostFormValue("closed_on")
	}
	if err := h.vol.SaveMatter(r.Context(), web.ActorOf(r), &upd); err != nil {
		if volRefused(h, w, r, err) {
			return
		}
		h.matterPage(w, r, v, m, h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/matters/"+strconv.FormatInt(m.ID, 10), "saved")
}

// volRefused answers a request whose change was refused for anything but
// bad input (forbidden, not found, conflict, failure) with the error page,
// reporting whether it did; bad input goes back to the form.
func volRefused(h *pages, w http.ResponseWriter, r *http.Request, err error) bool {
	if counsel.ErrorCode(err) == counsel.CodeInvalid {
		return false
	}
	h.Fail(w, r, err)
	return true
}
