package pairing

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// personStatuses are the statuses a person list filters by.
var personStatuses = []string{counsel.PersonActive, counsel.PersonDismissed, counsel.PersonRemoved}

type personListView struct {
	Rows     []counsel.Person
	Statuses []string
	Q        string
	Status   string
	Regions  pnRegionFilter
	Pager    web.Pager
	CanAdd   bool
	Export   string // the export link with the filters on screen
}

func (pg *pages) personList(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	q := r.URL.Query()
	rf, err := pg.pnRegion(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	status := q.Get("status")
	if !oneOfStr(status, personStatuses) {
		status = ""
	}
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Status: status, Region: rf.Code, Page: web.PageOf(r)}
	l, err := pg.svc.Persons(r.Context(), a, f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := personListView{Rows: l.Items, Statuses: personStatuses, Q: f.Q, Status: status, Regions: rf, Pager: pnPager(r, l), CanAdd: pnCanEditPersons(a),
		Export: "/persons.xlsx" + web.ExportQuery(q)}
	pg.h.Render(w, r, http.StatusOK, "persons", pg.h.View(r, "persons", "persons.title", v))
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
func (pg *pages) personPage(r *http.Request, id int64) (*personView, error) {
	a := web.ActorOf(r)
	p, err := pg.svc.Person(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	l, err := pg.svc.Pairings(r.Context(), a, counsel.Filter{Region: p.VillageCode})
	if err != nil {
		return nil, err
	}
	pv := &personView{Person: p, Statuses: personStatuses, CanEdit: authz.CanWritePersons(a, p.VillageCode), Today: pg.svc.Svc.Today()}
	for _, q := range l.Items {
		if q.PersonID == p.ID {
			pv.Pairings = append(pv.Pairings, q)
		}
	}
	return pv, nil
}

func (pg *pages) personShow(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pv, err := pg.personPage(r, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "persons", "person.title", pv)
	v.Title = pv.Person.Name + " · " + v.Title
	v.Form = url.Values{"status": {pv.Person.Status}, "status_on": {pv.Person.StatusOn}, "reason": {pv.Person.Reason}}
	if pv.Person.Status == counsel.PersonActive {
		v.Form.Set("status_on", pv.Today)
	}
	pg.h.Render(w, r, http.StatusOK, "person", v)
}

// personStatus dismisses (辞退), removes (清退) or reinstates a person; the
// service ends the person's pairings on dismissal or removal.
func (pg *pages) personStatus(w http.ResponseWriter, r *http.Request) {
	id, ok := pg.h.IDForm(w, r, 1<<20)
	if !ok {
		return
	}
	pv, err := pg.personPage(r, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	if !pv.CanEdit {
		pg.h.Fail(w, r, pnForbidden)
		return
	}
	p := *pv.Person
	p.Status = r.PostFormValue("status")
	p.StatusOn = strings.TrimSpace(r.PostFormValue("status_on"))
	p.Reason = r.PostFormValue("reason")
	if err := pg.svc.SavePerson(r.Context(), web.ActorOf(r), &p); err != nil {
		v := pg.h.View(r, "persons", "person.title", pv)
		status := pg.h.FormFail(r, v, err)
		pg.h.Render(w, r, status, "person", v)
		return
	}
	web.Redirect(w, r, "/persons/"+strconv.FormatInt(id, 10), "saved")
}

type personFormView struct {
	ID         int64
	Region     string // the region the village picker lists
	NeedRegion bool   // the picker needs a county or town first (administrator)
	Groups     []VillageGroup
	Committee  bool
	Genders    []string
}

// personForm builds the form's view: the villages the actor may pick in
// region ("" = home).
func (pg *pages) personForm(r *http.Request, id int64, region string) (*personFormView, error) {
	a := web.ActorOf(r)
	groups, err := pg.svc.VillageChoices(r.Context(), a, region)
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
func (pg *pages) personNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	q := r.URL.Query()
	if r.Header.Get("HX-Request") == "true" {
		fv := &personFormView{Committee: counsel.CommitteePosition(q.Get("position"))}
		pg.h.Render(w, r, http.StatusOK, "person_form", pg.h.View(r, "persons", "person.new", fv))
		return
	}
	if !pnCanEditPersons(a) {
		pg.h.Fail(w, r, pnForbidden)
		return
	}
	region := strings.TrimSpace(q.Get("region"))
	fv, err := pg.personForm(r, 0, region)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "persons", "person.new", fv)
	v.Form = url.Values{}
	if counsel.LevelOf(region) == counsel.LevelVillage {
		v.Form.Set("village_code", region)
	}
	pg.h.Render(w, r, http.StatusOK, "person_form", v)
}

func (pg *pages) personEdit(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	a := web.ActorOf(r)
	p, err := pg.svc.Person(r.Context(), a, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	if !authz.CanWritePersons(a, p.VillageCode) {
		pg.h.Fail(w, r, pnForbidden)
		return
	}
	fv, err := pg.personForm(r, id, pnPickerRegion(a, p.VillageCode))
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	fv.Committee = p.Committee
	v := pg.h.View(r, "persons", "person.edit", fv)
	v.Title = p.Name + " · " + v.Title
	v.Form = url.Values{"village_code": {p.VillageCode}, "name": {p.Name}, "gender": {p.Gender}, "position": {p.Position},
		"phone": {p.Phone}, "training": {p.Training}}
	pg.h.Render(w, r, http.StatusOK, "person_form", v)
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
func (pg *pages) personSave(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = web.PathID(r); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
	}
	if err := web.ParseForm(r, 1<<20); err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	p := &counsel.Person{Status: counsel.PersonActive}
	if id != 0 {
		old, err := pg.svc.Person(r.Context(), a, id)
		if err != nil {
			pg.h.Fail(w, r, err)
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
	if err := pg.svc.SavePerson(r.Context(), a, p); err != nil {
		region := strings.TrimSpace(r.PostFormValue("region"))
		if id != 0 && region == "" {
			region = pnPickerRegion(a, p.VillageCode)
		}
		fv, ferr := pg.personForm(r, id, region)
		if ferr != nil {
			pg.h.Fail(w, r, err)
			return
		}
		fv.Committee = p.Committee
		title := "person.new"
		if id != 0 {
			title = "person.edit"
		}
		v := pg.h.View(r, "persons", title, fv)
		status := pg.h.FormFail(r, v, err)
		pg.h.Render(w, r, status, "person_form", v)
		return
	}
	ok := "created"
	if id != 0 {
		ok = "saved"
	}
	web.Redirect(w, r, "/persons/"+strconv.FormatInt(p.ID, 10), ok)
}

// personsXLSX exports the legal-literate persons with the filters on screen,
// in the reader's scope, phones masked as on screen.
func (pg *pages) personsXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	q := r.URL.Query()
	rf, err := pg.pnRegion(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	status := q.Get("status")
	if !oneOfStr(status, personStatuses) {
		status = ""
	}
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Status: status, Region: rf.Code, Page: counsel.Page{Limit: 500}}
	if _, err := pg.svc.Persons(r.Context(), a, counsel.Filter{Region: rf.Code, Page: counsel.Page{Limit: 1}}); err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	var headers []string
	for _, k := range []string{"col.village", "persons.col_name", "persons.col_position", "persons.col_committee", "persons.col_phone", "persons.col_status"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "persons.title")
	if rf.Current != nil {
		title += " · " + rf.Current.Name
	}
	day := pg.svc.Svc.Today()
	pg.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "persons-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(i18n.T(lang, "persons.title"), title, headers, []float64{20, 10, 14, 8, 14, 16})
		if err != nil {
			return err
		}
		defer s.Close()
		for {
			l, err := pg.svc.Persons(r.Context(), a, f)
			if err != nil {
				return err
			}
			for _, p := range l.Items {
				committee := i18n.T(lang, "pn.no")
				if p.Committee {
					committee = i18n.T(lang, "pn.yes")
				}
				st := i18n.T(lang, "pstatus."+p.Status)
				if p.Status != "active" && p.StatusOn != "" {
					st += " " + p.StatusOn
				}
				if err := s.Row(p.VillageName, p.Name, p.Position, committee, p.Phone, st); err != nil {
					return err
				}
			}
			if len(l.Items) < f.Limit {
				break
			}
			f.Offset += len(l.Items)
		}
		_, err = s.WriteTo(out)
		return err
	})
}
