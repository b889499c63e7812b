package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// personStatuses are the statuses a person list filters by.
var personStatuses = []string{counsel.PersonActive, counsel.PersonDismissed, counsel.PersonRemoved}

type personListView struct {
	Rows     []counsel.Person
	Statuses []string
	Q        string
	Status   string
	Regions  pnRegionFilter
	Pager    Pager
	CanAdd   bool
}

func (h *Web) personList(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	q := r.URL.Query()
	rf, err := h.pnRegion(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	status := q.Get("status")
	if !oneOfStr(status, personStatuses) {
		status = ""
	}
	f := store.Filter{Q: strings.TrimSpace(q.Get("q")), Status: status, Region: rf.Code, Page: PageOf(r)}
	l, err := h.svc.Persons(r.Context(), a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := personListView{Rows: l.Items, Statuses: personStatuses, Q: f.Q, Status: status, Regions: rf, Pager: pnPager(r, l), CanAdd: pnCanEditPersons(a)}
	h.Render(w, r, http.StatusOK, "persons", h.View(r, "persons", "persons.title", v))
}

func oneOfStr(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}

type personView struct {
	Person   *counsel.Person
	Statuses []string
	Pairings []counsel.Pairing
	CanEdit  bool
	Today    string
}

// personPage loads what the person page shows.
func (h *Web) personPage(r *http.Request, id int64) (*personView, error) {
	a := ActorOf(r)
	p, err := h.svc.Person(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	l, err := h.svc.Pairings(r.Context(), a, store.Filter{Region: p.VillageCode})
	if err != nil {
		return nil, err
	}
	pv := &personView{Person: p, Statuses: personStatuses, CanEdit: authz.CanWritePersons(a, p.VillageCode), Today: h.svc.Today()}
	for _, q := range l.Items {
		if q.PersonID == p.ID {
			pv.Pairings = append(pv.Pairings, q)
		}
	}
	return pv, nil
}

func (h *Web) personShow(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	pv, err := h.personPage(r, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "persons", "person.title", pv)
	v.Title = pv.Person.Name + " · " + v.Title
	v.Form = url.Values{"status": {pv.Person.Status}, "status_on": {pv.Person.StatusOn}, "reason": {pv.Person.Reason}}
	if pv.Person.Status == counsel.PersonActive {
		v.Form.Set("status_on", pv.Today)
	}
	h.Render(w, r, http.StatusOK, "person", v)
}

// personStatus dismisses (辞退), removes (清退) or reinstates a person; the
// service ends the person's pairings on dismissal or removal.
func (h *Web) personStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := h.IDForm(w, r, 1<<20)
	if !ok {
		return
	}
	pv, err := h.personPage(r, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if !pv.CanEdit {
		h.Fail(w, r, pnForbidden)
		return
	}
	p := *pv.Person
	p.Status = r.PostFormValue("status")
	p.StatusOn = strings.TrimSpace(r.PostFormValue("status_on"))
	p.Reason = r.PostFormValue("reason")
	if err := h.svc.SavePerson(r.Context(), ActorOf(r), &p); err != nil {
		v := h.View(r, "persons", "person.title", pv)
		status := h.FormFail(r, v, err)
		h.Render(w, r, status, "person", v)
		return
	}
	Redirect(w, r, "/persons/"+strconv.FormatInt(id, 10), "saved")
}

type personFormView struct {
	ID         int64
	Region     string // the region the village picker lists
	NeedRegion bool   // the picker needs a county or town first (administrator)
	Groups     []service.VillageGroup
	Committee  bool
	Genders    []string
}

// personForm builds the form's view: the villages the actor may pick in
// region ("" = home).
func (h *Web) personForm(r *http.Request, id int64, region string) (*personFormView, error) {
	a := ActorOf(r)
	groups, err := h.svc.VillageChoices(r.Context(), a, region)
	if err != nil {
		return nil, err
	}
	fv := &personFormView{ID: id, Region: region, Groups: groups, Genders: []string{"m", "f"}}
	fv.NeedRegion = len(groups) == 0
	return fv, nil
}

// personNew shows the form for a new person. As an htmx request from the
// position field it answers only the 两委 checkbox, ticked when the typed
// position is a committee one.
func (h *Web) personNew(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	q := r.URL.Query()
	if r.Header.Get("HX-Request") == "true" {
		fv := &personFormView{Committee: counsel.CommitteePosition(q.Get("position"))}
		h.Render(w, r, http.StatusOK, "person_form", h.View(r, "persons", "person.new", fv))
		return
	}
	if !pnCanEditPersons(a) {
		h.Fail(w, r, pnForbidden)
		return
	}
	region := strings.TrimSpace(q.Get("region"))
	fv, err := h.personForm(r, 0, region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "persons", "person.new", fv)
	v.Form = url.Values{}
	if counsel.LevelOf(region) == counsel.LevelVillage {
		v.Form.Set("village_code", region)
	}
	h.Render(w, r, http.StatusOK, "person_form", v)
}

func (h *Web) personEdit(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	a := ActorOf(r)
	p, err := h.svc.Person(r.Context(), a, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if !authz.CanWritePersons(a, p.VillageCode) {
		h.Fail(w, r, pnForbidden)
		return
	}
	fv, err := h.personForm(r, id, pnPickerRegion(a, p.VillageCode))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	fv.Committee = p.Committee
	v := h.View(r, "persons", "person.edit", fv)
	v.Title = p.Name + " · " + v.Title
	v.Form = url.Values{"village_code": {p.VillageCode}, "name": {p.Name}, "gender": {p.Gender}, "position": {p.Position},
		"phone": {p.Phone}, "training": {p.Training}}
	h.Render(w, r, http.StatusOK, "person_form", v)
}

// pnPickerRegion is the region whose villages an edit form offers: the
// actor's home, or for the administrator the village's town.
func pnPickerRegion(a *counsel.Actor, village string) string {
	if a.Role == counsel.RoleAdmin {
		return counsel.AncestorAt(village, counsel.LevelTown)
	}
	return ""
}

// personSave creates (POST /persons) or updates (POST /persons/{id}) a person.
func (h *Web) personSave(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = PathID(r); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	if err := ParseForm(r, 1<<20); err != nil {
		h.Fail(w, r, err)
		return
	}
	p := &counsel.Person{Status: counsel.PersonActive}
	if id != 0 {
		old, err := h.svc.Person(r.Context(), a, id)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		p = old
	}
	p.VillageCode = strings.TrimSpace(r.PostFormValue("village_code"))
	p.Name = r.PostFormValue("name")
	p.Gender = r.PostFormValue("gender")
	p.Position = r.PostFormValue("position")
	p.Phone = r.PostFormValue("phone")
	p.Training = strings.TrimSpace(r.PostFormValue("training"))
	// The form marks that it showed the checkbox; without the mark (a
	// scripted post) the position decides.
	if r.PostFormValue("committee_field") != "" {
		p.Committee = r.PostFormValue("committee") != ""
	} else {
		p.Committee = counsel.CommitteePosition(p.Position)
	}
	if err := h.svc.SavePerson(r.Context(), a, p); err != nil {
		region := strings.TrimSpace(r.PostFormValue("region"))
		if id != 0 && region == "" {
			region = pnPickerRegion(a, p.VillageCode)
		}
		fv, ferr := h.personForm(r, id, region)
		if ferr != nil {
			h.Fail(w, r, err)
			return
		}
		fv.Committee = p.Committee
		title := "person.new"
		if id != 0 {
			title = "person.edit"
		}
		v := h.View(r, "persons", title, fv)
		status := h.FormFail(r, v, err)
		h.Render(w, r, status, "person_form", v)
		return
	}
	ok := "created"
	if id != 0 {
		ok = "saved"
	}
	Redirect(w, r, "/persons/"+strconv.FormatInt(p.ID, 10), ok)
}
