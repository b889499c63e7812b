package assess

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the assessment area's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
	pub *public.Frame // the public frame of the survey pages
}

// routes are the pages of sheets and rounds.
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/assess", Name: "assess", Handler: p.home},
		{Method: "POST", Pattern: "/assess/rounds", Name: "assess_round_create", Handler: p.roundCreate},
		{Method: "GET", Pattern: "/assess/rounds/{id}", Name: "assess_round", Handler: p.round},
		{Method: "GET", Pattern: "/assess/rounds/{id}/results.xlsx", Name: "assess_round_xlsx", Handler: p.roundXLSX},
		{Method: "POST", Pattern: "/assess/rounds/{id}/publish", Name: "assess_publish", Handler: p.publish},
		{Method: "POST", Pattern: "/assess/rounds/{id}/finalize", Name: "assess_finalize", Handler: p.finalize},
		{Method: "POST", Pattern: "/assess/rounds/{id}/amend", Name: "assess_amend", Handler: p.amend},
		{Method: "GET", Pattern: "/assess/rounds/{id}/score", Name: "assess_score", Handler: p.scoreTasks},
		{Method: "POST", Pattern: "/assess/rounds/{id}/score", Name: "assess_score_save", Handler: p.scoreSave},
		{Method: "GET", Pattern: "/assess/rounds/{id}/me", Name: "assess_me", Handler: p.mySheet},
		{Method: "GET", Pattern: "/assess/rounds/{id}/advisors/{advisor}", Name: "assess_advisor", Handler: p.advisorSheet},
		{Method: "GET", Pattern: "/assess/rounds/{id}/advisors/{advisor}/letter", Name: "assess_letter", Handler: p.letter},
		{Method: "POST", Pattern: "/assess/rounds/{id}/objections", Name: "assess_object", Handler: p.object},
		{Method: "POST", Pattern: "/assess/objections/{id}/answer", Name: "assess_answer", Handler: p.answer},
		{Method: "GET", Pattern: "/assess/sheet", Name: "assess_sheet", Handler: p.sheet},
		{Method: "POST", Pattern: "/assess/sheet", Name: "assess_sheet_save", Handler: p.sheetSave},
	}
}

// ---- rounds ---------------------------------------------------------------

type homeView struct {
	Rounds  []Round
	CanOpen bool
	Scorer  bool
	Advisor bool
	Year    int
}

func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	p.homePage(w, r, p.h.View(r, "assess", "as.title", nil), http.StatusOK)
}

func (p *pages) homePage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	hv := &homeView{CanOpen: authz.IsAdmin(a) || authz.CountyBureau(a), Scorer: authz.IsScorer(a), Advisor: a.Role == counsel.RoleAdvisor,
		Year: p.svc.Now().In(calendar.Shanghai).Year()}
	v.Data = hv
	var err error
	if hv.Rounds, err = p.svc.Rounds(ctx, a); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if v.Form == nil {
		th := DefaultThresholds
		v.Form = url.Values{"year": {strconv.Itoa(hv.Year)}, "title": {i18n.T("zh", "as.round_title_default", hv.Year)},
			"excellent": {th.Excellent.String()}, "pass": {th.Pass.String()}, "basic": {th.Basic.String()}, "objection_days": {strconv.Itoa(DefaultObjectionDays)}}
	}
	p.h.Render(w, r, status, "assess_home", v)
}

// thresholdsOf reads the three grade thresholds of a form; a value that
// is not a number is kept as -1 so that validation names the field.
func thresholdsOf(r *http.Request) Thresholds {
	get := func(f string) Points {
		v, ok := ParsePoints(r.PostFormValue(f))
		if !ok {
			return -1
		}
		return v
	}
	return Thresholds{Excellent: get("excellent"), Pass: get("pass"), Basic: get("basic")}
}

func (p *pages) roundCreate(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	v := p.h.View(r, "assess", "as.title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	year, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	days, _ := strconv.Atoi(strings.TrimSpace(r.PostFormValue("objection_days")))
	in := RoundInput{CountyCode: r.PostFormValue("county_code"), Year: year, Title: r.PostFormValue("title"), Thresholds: thresholdsOf(r), ObjectionDays: days}
	if days == 0 {
		in.ObjectionDays = -1 // an empty or bad field is an error here, not the default
	}
	round, err := p.svc.OpenRound(ctx, a, in)
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		p.homePage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/assess/rounds/"+strconv.FormatInt(round.ID, 10), "as_opened")
}

func (p *pages) round(w http.ResponseWriter, r *http.Request) {
	p.roundPage(w, r, nil, http.StatusOK)
}

// roundPage renders a round's results; a failed form of it (publish,
// amend, answer) is shown in v.
func (p *pages) roundPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if v == nil {
		v = p.h.View(r, "assess", "as.title", nil)
	}
	rv, err := p.svc.RoundResults(r.Context(), web.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Data = rv
	v.Title = rv.Round.Title
	if v.Form == nil {
		th := rv.Round.Thresholds
		v.Form = url.Values{"excellent": {th.Excellent.String()}, "pass": {th.Pass.String()}, "basic": {th.Basic.String()},
			"notice_days": {strconv.Itoa(DefaultNoticeDays)}, "title": {i18n.T("zh", "as.cm.default_title", rv.Round.Year)}}
	}
	p.h.Render(w, r, status, "assess_round", v)
}

// roundXLSX exports a round's results as the table the lawyers' annual
// practice assessment (执业年度考核) takes them in: name, licence number,
// firm, points, grade and the reason of a changed result.
func (p *pages) roundXLSX(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ctx, a := r.Context(), web.ActorOf(r)
	rv, err := p.svc.RoundResults(ctx, a, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(ctx)
	headers := []string{i18n.T(lang, "as.x.no"), i18n.T(lang, "as.advisor"), i18n.T(lang, "as.x.licence"), i18n.T(lang, "as.provider"),
		i18n.T(lang, "as.total"), i18n.T(lang, "as.x.max"), i18n.T(lang, "as.grade"), i18n.T(lang, "as.reason")}
	var rows [][]any
	for i, x := range rv.Results {
		licence := ""
		if adv, err := registry.Advisor(ctx, p.svc.DB, x.AdvisorID); err == nil {
			licence = adv.LicenceNo
		}
		grade := i18n.T(lang, "as.x.pending")
		if x.Result.Pending == 0 {
			grade = i18n.T(lang, "as.grade."+x.Grade)
		}
		rows = append(rows, []any{i + 1, x.AdvisorName, licence, x.ProviderName, float64(x.Total) / 10, float64(x.Max) / 10, grade, x.Reason})
	}
	title := rv.Round.Title
	p.h.SendXLSX(w, r, title+".xlsx", "assessment-"+strconv.Itoa(rv.Round.Year)+".xlsx", func(wr io.Writer) error {
		return xlsx.WriteTable(wr, title, title, headers, rows)
	})
}

// roundAction runs a bureau's action on a round and redirects to it, or
// shows the round again with the error.
func (p *pages) roundAction(w http.ResponseWriter, r *http.Request, ok string, fn func(id int64) error, to ...func() string) {
	id, done := p.formAction(w, r, fn, "assess", "as.title", p.roundPage)
	if !done {
		return
	}
	if len(to) > 0 {
		web.Redirect(w, r, to[0](), ok)
		return
	}
	web.Redirect(w, r, "/assess/rounds/"+strconv.FormatInt(id, 10), ok)
}

func (p *pages) publish(w http.ResponseWriter, r *http.Request) {
	p.roundAction(w, r, "as_published", func(id int64) error {
		return p.svc.Publish(r.Context(), web.ActorOf(r), id, thresholdsOf(r))
	})
}

func (p *pages) finalize(w http.ResponseWriter, r *http.Request) {
	p.roundAction(w, r, "as_finalized", func(id int64) error { return p.svc.Finalize(r.Context(), web.ActorOf(r), id) })
}

func (p *pages) amend(w http.ResponseWriter, r *http.Request) {
	p.roundAction(w, r, "saved", func(id int64) error {
		in := AmendInput{AdvisorID: web.FormID(r, "advisor_id"), ItemID: r.PostFormValue("item_id"), Points: r.PostFormValue("points"), Reason: r.PostFormValue("reason")}
		return p.svc.Amend(r.Context(), web.ActorOf(r), id, in)
	})
}

// ---- scoring --------------------------------------------------------------

type scoreView struct {
	Round *Round
	Tasks []ScoreTask
	Open  bool
}

func (p *pages) scoreTasks(w http.ResponseWriter, r *http.Request) {
	p.scorePage(w, r, p.h.View(r, "assess", "as.score_title", nil), http.StatusOK)
}

func (p *pages) scorePage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	round, err := p.svc.Round(ctx, a, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	tasks, err := p.svc.ScoreTasks(ctx, a, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Data = &scoreView{Round: round, Tasks: tasks, Open: round.Status == RoundScoring}
	p.h.Render(w, r, status, "assess_score", v)
}

func (p *pages) scoreSave(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	in := ScoreInput{AdvisorID: web.FormID(r, "advisor_id"), ItemID: r.PostFormValue("item_id"), Points: r.PostFormValue("points"), Comment: r.PostFormValue("comment")}
	if err := p.svc.SaveScore(r.Context(), web.ActorOf(r), id, in); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "assess", "as.score_title", nil)
		p.scorePage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/assess/rounds/"+strconv.FormatInt(id, 10)+"/score#t-"+strconv.FormatInt(in.AdvisorID, 10)+"-"+url.PathEscape(in.ItemID), "saved")
}

// ---- an advisor's sheet ---------------------------------------------------

func (p *pages) mySheet(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if a.Role != counsel.RoleAdvisor {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	p.sheetPage(w, r, a.AdvisorID, p.h.View(r, "assess", "as.my_sheet", nil), http.StatusOK)
}

func (p *pages) advisorSheet(w http.ResponseWriter, r *http.Request) {
	adv, err := strconv.ParseInt(r.PathValue("advisor"), 10, 64)
	if err != nil || adv <= 0 {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	p.sheetPage(w, r, adv, p.h.View(r, "assess", "as.sheet_of", nil), http.StatusOK)
}

// letter is the printable rectification demand to the firm of an advisor
// graded 不合格 (seed 001: "对考核不合格的律师向所在律所提出整改要求").
func (p *pages) letter(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	adv, err := strconv.ParseInt(r.PathValue("advisor"), 10, 64)
	if err != nil || adv <= 0 {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	sp, err := p.svc.AdvisorSheet(r.Context(), web.ActorOf(r), id, adv)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if sp.Round.Status == RoundScoring || sp.Result.Grade != GradeFail {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	v := p.h.View(r, "assess", "as.lt.title", sp)
	p.h.Render(w, r, http.StatusOK, "assess_letter", v)
}

func (p *pages) sheetPage(w http.ResponseWriter, r *http.Request, advisor int64, v *web.View, status int) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	sp, err := p.svc.AdvisorSheet(r.Context(), web.ActorOf(r), id, advisor)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Data = sp
	v.Title = sp.Round.Title + " · " + sp.Result.AdvisorName
	p.h.Render(w, r, status, "assess_sheet_of", v)
}

func (p *pages) object(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	a := web.ActorOf(r)
	in := ObjectionInput{ItemID: r.PostFormValue("item_id"), Body: r.PostFormValue("body")}
	if _, err := p.svc.Object(r.Context(), a, id, in); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "assess", "as.my_sheet", nil)
		p.sheetPage(w, r, a.AdvisorID, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/assess/rounds/"+strconv.FormatInt(id, 10)+"/me", "as_objected")
}

func (p *pages) answer(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ctx, a := r.Context(), web.ActorOf(r)
	o, err := getObjection(ctx, p.svc.DB, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := p.svc.Answer(ctx, a, id, r.PostFormValue("answer")); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "assess", "as.title", nil)
		status := p.h.FormFail(r, v, err)
		r.SetPathValue("id", strconv.FormatInt(o.RoundID, 10))
		p.roundPage(w, r, v, status)
		return
	}
	web.Redirect(w, r, "/assess/rounds/"+strconv.FormatInt(o.RoundID, 10)+"#objections", "saved")
}

// ---- sheets ---------------------------------------------------------------

type sheetView struct {
	Sheet   *SheetView
	Rows    []Item // the own layer's items and blank rows to add more
	Presets []string
	Methods []string
	Scorers []string
}

func (p *pages) sheet(w http.ResponseWriter, r *http.Request) {
	p.sheetEdit(w, r, p.h.View(r, "assess", "as.sheet_title", nil), http.StatusOK, strings.TrimSpace(r.URL.Query().Get("region")))
}

func (p *pages) sheetEdit(w http.ResponseWriter, r *http.Request, v *web.View, status int, region string) {
	sv, err := p.svc.Sheet(r.Context(), web.ActorOf(r), region)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	rows := append([]Item(nil), sv.Own.Items...)
	if v.Form != nil {
		rows = itemsOf(v.Form)
	}
	rows = append(rows, Item{}, Item{})
	v.Data = &sheetView{Sheet: sv, Rows: rows, Presets: PresetKeys, Methods: Methods, Scorers: Scorers}
	p.h.Render(w, r, status, "assess_sheet", v)
}

// itemsOf reads the sheet form's item rows (items.N.field), skipping rows
// left blank.
func itemsOf(f url.Values) []Item {
	var out []Item
	for i := 0; i < 100; i++ {
		k := func(name string) string { return strings.TrimSpace(f.Get("items." + strconv.Itoa(i) + "." + name)) }
		if _, ok := f["items."+strconv.Itoa(i)+".id"]; !ok {
			break
		}
		if k("id") == "" && k("name") == "" {
			continue
		}
		pts := func(name string) Points {
			if k(name) == "" {
				return 0
			}
			v, ok := ParsePoints(k(name))
			if !ok {
				return -1
			}
			return v
		}
		num := func(name string) int { n, _ := strconv.Atoi(k(name)); return n }
		it := Item{ID: k("id"), Name: k("name"), Standard: k("standard"), Points: pts("points"), Method: k("method"),
			RuleIDs: splitList(k("rule_ids")), Kinds: splitList(k("kinds")), Onsite: k("onsite") != "", MinCount: num("min_count"),
			DocKind: k("doc_kind"), Days: num("days"), PerMiss: pts("per_miss"), Deduct: pts("deduct"), DeductMissing: pts("deduct_missing"),
			Scorer: k("scorer"), Disabled: k("disabled") != ""}
		out = append(out, it)
	}
	return out
}

// compactRows returns the form with its item rows renumbered from 0,
// blank rows (no id and no name) dropped.
func compactRows(f url.Values) url.Values {
	out := url.Values{}
	n := 0
	for i := 0; i < 100; i++ {
		p := "items." + strconv.Itoa(i) + "."
		if _, ok := f[p+"id"]; !ok {
			break
		}
		if strings.TrimSpace(f.Get(p+"id")) == "" && strings.TrimSpace(f.Get(p+"name")) == "" {
			continue
		}
		q := "items." + strconv.Itoa(n) + "."
		for k, v := range f {
			if strings.HasPrefix(k, p) {
				out[q+strings.TrimPrefix(k, p)] = v
			}
		}
		n++
	}
	for k, v := range f {
		if !strings.HasPrefix(k, "items.") {
			out[k] = v
		}
	}
	return out
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' })
}

func (p *pages) sheetSave(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<20); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	region := strings.TrimSpace(r.PostFormValue("region"))
	var sh Sheet
	if key := r.PostFormValue("preset"); key != "" {
		ps, ok := Presets()[key]
		if !ok {
			p.h.Fail(w, r, counsel.Invalid(counsel.FieldError{Field: "preset", Key: "err.bad_request"}))
			return
		}
		sh = ps
	} else {
		// Renumber the rows without the blank ones, so that field errors
		// (items.N.…) and the kept input line up when the form is shown again.
		r.PostForm = compactRows(r.PostForm)
		sh = Sheet{Name: strings.TrimSpace(r.PostFormValue("name")), Items: itemsOf(r.PostForm)}
	}
	if err := p.svc.SaveSheet(r.Context(), web.ActorOf(r), region, sh); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "assess", "as.sheet_title", nil)
		st := p.h.FormFail(r, v, err)
		p.sheetEdit(w, r, v, st, region)
		return
	}
	web.Redirect(w, r, "/assess/sheet?region="+url.QueryEscape(region), "saved")
}

// formAction runs a form posted to a record's page (/…/{id}/…): it reads
// the id and the form and calls fn. On invalid input the page is shown
// again with the messages beside the fields (through page); any other error
// gets the error page. done reports that fn succeeded and the caller should
// redirect.
func (p *pages) formAction(w http.ResponseWriter, r *http.Request, fn func(id int64) error, nav, title string,
	page func(http.ResponseWriter, *http.Request, *web.View, int)) (id int64, done bool) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := fn(id); err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, nav, title, nil)
		page(w, r, v, p.h.FormFail(r, v, err))
		return id, false
	}
	return id, true
}
