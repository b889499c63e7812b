package pairing

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// pairingRow is one line of the pairing list; First marks the first pairing
// of a village, where the list starts a village group.
type pairingRow struct {
	Detail
	First bool
}

type pairingListView struct {
	Rows    []pairingRow
	Q       string
	Status  string
	Regions pnRegionFilter
	Pager   web.Pager
	CanAdd  bool
	CanImp  bool
	Village bool // the region filter is one village (printable cards offered)
}

func (pg *pages) pairingList(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	q := r.URL.Query()
	rf, err := pg.pnRegion(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	status := q.Get("status")
	if status != "current" && status != "ended" {
		status = ""
	}
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Status: status, Region: rf.Code, Page: web.PageOf(r)}
	l, err := pg.svc.PairingDetails(r.Context(), a, f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pairingListView{Q: f.Q, Status: status, Regions: rf, Pager: pnPager(r, l), CanAdd: pnCanEditPairings(a), CanImp: pnCanImport(a),
		Village: counsel.LevelOf(rf.Code) == counsel.LevelVillage}
	for i, d := range l.Items {
		v.Rows = append(v.Rows, pairingRow{Detail: d, First: i == 0 || l.Items[i-1].VillageCode != d.VillageCode})
	}
	pg.h.Render(w, r, http.StatusOK, "pairings", pg.h.View(r, "pairings", "pairings.title", v))
}

// pairingFormView is the new-pairing form: first a village is chosen, then
// the village's advisor (of its live agreement) is paired with one of its
// active persons not yet paired with that advisor.
type pairingFormView struct {
	Region     string
	NeedRegion bool
	Groups     []VillageGroup
	Village    *counsel.Region
	Agreement  *counsel.Agreement // nil: the village has no live agreement
	Candidates []counsel.Person
}

func (pg *pages) pairingForm(r *http.Request, region string) (*pairingFormView, error) {
	a := web.ActorOf(r)
	ctx := r.Context()
	fv := &pairingFormView{Region: region}
	if counsel.LevelOf(region) != counsel.LevelVillage {
		groups, err := pg.svc.VillageChoices(ctx, a, region)
		if err != nil {
			return nil, err
		}
		fv.Groups, fv.NeedRegion = groups, len(groups) == 0
		return fv, nil
	}
	v, err := pg.svc.Svc.Region(ctx, a, region)
	if err != nil {
		return nil, err
	}
	fv.Village = v
	g, err := pg.svc.VillageAdvisor(ctx, a, region)
	switch {
	case counsel.ErrorCode(err) == counsel.CodeNotFound:
		return fv, nil
	case err != nil:
		return nil, err
	}
	fv.Agreement = g
	persons, err := pg.svc.Persons(ctx, a, counsel.Filter{Region: region, Status: counsel.PersonActive, Page: counsel.Page{Limit: 500}})
	if err != nil {
		return nil, err
	}
	paired, err := pg.svc.Pairings(ctx, a, counsel.Filter{Region: region, AdvisorID: g.AdvisorID})
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	for _, q := range paired.Items {
		if q.AdvisorID == g.AdvisorID {
			taken[q.PersonID] = true
		}
	}
	for _, p := range persons.Items {
		if !taken[p.ID] {
			fv.Candidates = append(fv.Candidates, p)
		}
	}
	return fv, nil
}

func (pg *pages) pairingNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	if !pnCanEditPairings(a) {
		pg.h.Fail(w, r, pnForbidden)
		return
	}
	if region != "" {
		// A region outside the actor's scope is not found; one it only reads
		// is forbidden.
		if _, err := pg.svc.Svc.Region(r.Context(), a, region); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		if !authz.CanWritePairings(a, region) {
			pg.h.Fail(w, r, pnForbidden)
			return
		}
	}
	fv, err := pg.pairingForm(r, region)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "pairings", "pairing.new", fv)
	v.Form = url.Values{"paired_on": {pg.svc.Svc.Today()}}
	if fv.Agreement != nil {
		v.Form.Set("advisor_id", strconv.FormatInt(fv.Agreement.AdvisorID, 10))
	}
	pg.h.Render(w, r, http.StatusOK, "pairing_form", v)
}

func (pg *pages) pairingCreate(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if err := web.ParseForm(r, 1<<20); err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	q := &counsel.Pairing{AdvisorID: web.FormID(r, "advisor_id"), PersonID: web.FormID(r, "person_id"), PairedOn: strings.TrimSpace(r.PostFormValue("paired_on"))}
	if err := pg.svc.SavePairing(r.Context(), a, q); err != nil {
		region := strings.TrimSpace(r.PostFormValue("region"))
		fv, ferr := pg.pairingForm(r, region)
		if ferr != nil {
			pg.h.Fail(w, r, err)
			return
		}
		v := pg.h.View(r, "pairings", "pairing.new", fv)
		status := pg.h.FormFail(r, v, err)
		pg.h.Render(w, r, status, "pairing_form", v)
		return
	}
	web.Redirect(w, r, "/pairings/"+strconv.FormatInt(q.ID, 10), "created")
}

type pairingView struct {
	Detail      *Detail
	Activities  []counsel.Activity
	Duties      []string
	CanEdit     bool // evaluation, remarks, dates
	CanActivity bool // add activity records
}

func (pg *pages) pairingPage(r *http.Request, id int64) (*pairingView, error) {
	a := web.ActorOf(r)
	d, acts, err := pg.svc.PairingDetail(r.Context(), a, id)
	if err != nil {
		return nil, err
	}
	pv := &pairingView{Detail: d, Activities: acts, Duties: counsel.DutyKinds, CanEdit: authz.CanWritePairings(a, d.VillageCode)}
	pv.CanActivity = pv.CanEdit || (a.Role == counsel.RoleAdvisor && a.AdvisorID == d.AdvisorID) ||
		(a.Role == counsel.RoleVillage && a.RegionCode == d.VillageCode)
	return pv, nil
}

// pairingValues pre-fills both forms of the pairing page; posted holds the
// values of the form that failed, kept as typed.
func pairingValues(d *Detail, today string, posted url.Values) url.Values {
	v := url.Values{"paired_on": {d.PairedOn}, "ended_on": {d.EndedOn}, "evaluation": {d.Evaluation}, "remarks": {d.Remarks}, "date": {today}}
	for k, vs := range posted {
		if k != "csrf" {
			v[k] = vs
		}
	}
	return v
}

func (pg *pages) pairingShow(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pv, err := pg.pairingPage(r, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "pairings", "pairing.title", pv)
	v.Form = pairingValues(pv.Detail, pg.svc.Svc.Today(), nil)
	pg.h.Render(w, r, http.StatusOK, "pairing", v)
}

// pairingUpdate saves the pairing's dates, evaluation record and remarks.
func (pg *pages) pairingUpdate(w http.ResponseWriter, r *http.Request) {
	id, ok := pg.h.IDForm(w, r, 1<<20)
	if !ok {
		return
	}
	pv, err := pg.pairingPage(r, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	q := &counsel.Pairing{ID: id, PairedOn: strings.TrimSpace(r.PostFormValue("paired_on")), EndedOn: strings.TrimSpace(r.PostFormValue("ended_on")),
		Evaluation: r.PostFormValue("evaluation"), Remarks: r.PostFormValue("remarks")}
	if err := pg.svc.SavePairing(r.Context(), web.ActorOf(r), q); err != nil {
		pg.pairingFail(w, r, pv, err)
		return
	}
	web.Redirect(w, r, "/pairings/"+strconv.FormatInt(id, 10), "saved")
}

// pairingActivity records an activity of one of the six duties (R13).
func (pg *pages) pairingActivity(w http.ResponseWriter, r *http.Request) {
	id, ok := pg.h.IDForm(w, r, 1<<20)
	if !ok {
		return
	}
	pv, err := pg.pairingPage(r, id)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	act := &counsel.Activity{PairingID: id, Kind: r.PostFormValue("kind"), Date: strings.TrimSpace(r.PostFormValue("date")), Note: r.PostFormValue("note")}
	if err := pg.svc.AddActivity(r.Context(), web.ActorOf(r), act); err != nil {
		pg.pairingFail(w, r, pv, err)
		return
	}
	web.Redirect(w, r, "/pairings/"+strconv.FormatInt(id, 10)+"#activities", "saved")
}

func (pg *pages) pairingFail(w http.ResponseWriter, r *http.Request, pv *pairingView, err error) {
	v := pg.h.View(r, "pairings", "pairing.title", pv)
	status := pg.h.FormFail(r, v, err)
	v.Form = pairingValues(pv.Detail, pg.svc.Svc.Today(), r.PostForm)
	pg.h.Render(w, r, status, "pairing", v)
}

type rulesView struct {
	Rows    []counsel.PairingRule
	Regions pnRegionFilter
	Unmet   bool
	Total   int
	Met     int
	Overdue int
	Min     int
	Pager   web.Pager
}

// pairingRules shows the 1+N rule per village (R10) with a summary.
func (pg *pages) pairingRules(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	rf, err := pg.pnRegion(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	rules, err := pg.svc.PairingRulesWithAdvisors(r.Context(), a, rf.Code)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := rulesView{Regions: rf, Unmet: r.URL.Query().Get("unmet") != "", Total: len(rules)}
	var shown []counsel.PairingRule
	for _, x := range rules {
		if x.Met {
			v.Met++
		}
		if x.Overdue {
			v.Overdue++
		}
		v.Min = max(v.Min, x.Min)
		if !v.Unmet || !x.Met {
			shown = append(shown, x)
		}
	}
	page := web.PageOf(r)
	if r.URL.Query().Get("limit") == "" {
		page.Limit = 200
	}
	from := min(page.Offset, len(shown))
	to := min(from+page.Limit, len(shown))
	v.Rows = shown[from:to]
	v.Pager = web.Pager{Total: len(shown), Limit: page.Limit, Offset: page.Offset, Query: r.URL.Query()}
	pg.h.Render(w, r, http.StatusOK, "rules", pg.h.View(r, "pairing_rules", "rules.title", v))
}
