package ledger

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the ledger's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
}

// routes are the pages of the service ledger (R14–R16, R21–R23).
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/ledger/entries", Name: "entries", Handler: p.entryList},
		{Method: "GET", Pattern: "/ledger/entries/new", Name: "entry_new", Handler: p.entryNew},
		{Method: "POST", Pattern: "/ledger/entries", Name: "entry_create", Handler: p.entryCreate},
		{Method: "GET", Pattern: "/ledger/entries/{id}", Name: "entry", Handler: p.entryShow},
		{Method: "POST", Pattern: "/ledger/entries/{id}/review", Name: "entry_review", Handler: p.entryReview},
		{Method: "GET", Pattern: "/ledger/entries/{id}/photos/{n}", Name: "entry_photo", Handler: p.entryPhoto},
		{Method: "GET", Pattern: "/ledger/due", Name: "due", Handler: p.duePage},
		{Method: "GET", Pattern: "/ledger/verify", Name: "ledger_verify", Handler: p.verifyPage},
		{Method: "GET", Pattern: "/ledger/duties", Name: "duties", Handler: p.dutiesPage},
		{Method: "GET", Pattern: "/ledger/policy", Name: "policy", Handler: p.policyPage},
		{Method: "POST", Pattern: "/ledger/policy", Name: "policy_save", Handler: p.policySave},
		{Method: "POST", Pattern: "/ledger/policy/rule", Name: "policy_rule", Handler: p.ruleSave},
		{Method: "POST", Pattern: "/ledger/policy/rule/remove", Name: "policy_rule_remove", Handler: p.ruleRemove},
		{Method: "POST", Pattern: "/ledger/kinds", Name: "ledger_kind_add", Handler: p.kindAdd},
	}
}

func modeOptions(lang string) []web.KindOption {
	out := make([]web.KindOption, 0, len(policy.Modes))
	for _, m := range policy.Modes {
		out = append(out, web.KindOption{Code: m, Label: policy.ModeLabel(m, lang)})
	}
	return out
}

var entryStatuses = []string{counsel.EntryPending, counsel.EntryConfirmed, counsel.EntryDisputed}

type entryListView struct {
	Rows     []counsel.Entry
	Kinds    []web.KindOption
	Statuses []string
	F        EntryFilter
	Pager    web.Pager
	CanAdd   bool
}

func (p *pages) entryList(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := entryFilterOf(r)
	f.Page = web.PageOf(r)
	l, err := p.svc.Entries(r.Context(), a, f)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	v := entryListView{Rows: l.Items, Kinds: web.KindOptions(lang), Statuses: entryStatuses, F: f,
		Pager: web.Pager{Query: r.URL.Query(), Total: l.Total, Limit: l.Limit, Offset: l.Offset}, CanAdd: a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleAdmin}
	p.h.Render(w, r, http.StatusOK, "ledger_entries", p.h.View(r, "ledger", "ledger.entries_title", v))
}

type entryFormView struct {
	Villages  []counsel.Region
	Kinds     []web.KindOption
	Modes     []web.KindOption
	ClientKey string
	Amends    *counsel.Entry
	MatterID  int64
	Today     string
	MaxPhotos int
}

// entryVillages lists the villages an advisor may record for today.
func (p *pages) entryVillages(ctx context.Context, a *counsel.Actor) ([]counsel.Region, error) {
	if a.Role != counsel.RoleAdvisor {
		return nil, nil
	}
	gs, err := p.svc.svc.Agreements(ctx, a, counsel.Filter{Status: "live", Page: counsel.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	var out []counsel.Region
	seen := map[string]bool{}
	for _, g := range gs.Items {
		vs, err := p.svc.svc.AgreementVillages(ctx, nil, &g)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if !seen[v.Code] {
				seen[v.Code] = true
				out = append(out, v)
			}
		}
	}
	return out, nil
}

func newClientKey() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (p *pages) entryForm(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	a := web.ActorOf(r)
	vs, err := p.entryVillages(r.Context(), a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	fv := entryFormView{Villages: vs, Kinds: web.KindOptions(lang), Modes: modeOptions(lang), Today: p.svc.Today(), MaxPhotos: counsel.MaxEntryPhotos}
	if len(vs) > 0 {
		// The county's added kinds too.
		if ks, err := p.svc.LedgerKinds(r.Context(), vs[0].Code); err == nil {
			fv.Kinds = fv.Kinds[:0]
			for _, k := range ks {
				label := k.Name
				if lang == "en" && k.NameEN != "" {
					label = k.NameEN
				}
				fv.Kinds = append(fv.Kinds, web.KindOption{Code: k.Code, Label: label})
			}
		}
	}
	if v.Form == nil {
		v.Form = url.Values{}
		q := r.URL.Query()
		v.Form.Set("village_code", q.Get("village"))
		v.Form.Set("date", fv.Today)
		v.Form.Set("mode", policy.ModeOnsite)
		v.Form.Set("kind", policy.KindOnsiteDuty)
		if k := q.Get("kind"); k != "" {
			v.Form.Set("kind", k)
		}
		v.Form.Set("matter_id", q.Get("matter"))
		v.Form.Set("amends_id", q.Get("amends"))
		if len(vs) == 1 && v.Form.Get("village_code") == "" {
			v.Form.Set("village_code", vs[0].Code)
		}
		if id, _ := strconv.ParseInt(q.Get("amends"), 10, 64); id > 0 {
			if e, err := p.svc.Entry(r.Context(), a, id); err == nil {
				for k, val := range map[string]string{"village_code": e.VillageCode, "kind": e.Kind, "mode": e.Mode, "date": e.Date,
					"start_time": e.StartTime, "minutes": strconv.Itoa(e.Minutes), "place": e.Place, "served": e.Served,
					"attendees": strconv.Itoa(e.Attendees), "content": e.Content, "result": e.Result} {
					v.Form.Set(k, val)
				}
			}
		}
	}
	fv.ClientKey = v.Form.Get("client_key")
	if fv.ClientKey == "" {
		fv.ClientKey = newClientKey()
	}
	if id, _ := strconv.ParseInt(v.Form.Get("amends_id"), 10, 64); id > 0 {
		fv.Amends, _ = p.svc.Entry(r.Context(), a, id)
	}
	fv.MatterID, _ = strconv.ParseInt(v.Form.Get("matter_id"), 10, 64)
	v.Data = fv
	p.h.Render(w, r, status, "ledger_entry_form", v)
}

func (p *pages) entryNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if a.Role != counsel.RoleAdvisor && a.Role != counsel.RoleAdmin {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	p.entryForm(w, r, p.h.View(r, "ledger", "ledger.new_title", nil), http.StatusOK)
}

// maxEntryUpload bounds a whole entry form with its photos.
const maxEntryUpload = counsel.MaxEntryPhotos*web.MaxPhoto + 1<<20

func (p *pages) entryCreate(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	v := p.h.View(r, "ledger", "ledger.new_title", nil)
	if a.Role != counsel.RoleAdvisor && a.Role != counsel.RoleAdmin {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	if err := web.ParseForm(r, maxEntryUpload); err != nil {
		p.entryForm(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	f := r.PostForm
	num := func(k string) int { n, _ := strconv.Atoi(strings.TrimSpace(f.Get(k))); return n }
	id := func(k string) int64 { n, _ := strconv.ParseInt(strings.TrimSpace(f.Get(k)), 10, 64); return n }
	minutes := num("minutes")
	if hrs := strings.TrimSpace(f.Get("hours")); hrs != "" && minutes == 0 {
		if x, err := strconv.ParseFloat(hrs, 64); err == nil {
			minutes = int(x*60 + 0.5)
		}
	}
	e := &counsel.Entry{VillageCode: f.Get("village_code"), AdvisorID: id("advisor_id"), MatterID: id("matter_id"), AmendsID: id("amends_id"),
		Kind: f.Get("kind"), Mode: f.Get("mode"), Date: f.Get("date"), StartTime: f.Get("start_time"), Minutes: minutes,
		Place: f.Get("place"), Served: f.Get("served"), Attendees: num("attendees"), Content: f.Get("content"), Result: f.Get("result"),
		ClientKey: f.Get("client_key")}
	photos, names, err := p.storeEntryPhotos(r)
	if err != nil {
		p.entryForm(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	e.Photos = photos
	got, err := p.svc.RecordEntry(r.Context(), a, e)
	if err != nil || got.Photos != photos {
		// Refused, or a retry that returned the first entry: drop the new files.
		for _, n := range names {
			_ = os.Remove(filepath.Join(p.h.PhotoDir(), n))
		}
	}
	if err != nil {
		p.entryForm(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/entries/"+strconv.FormatInt(got.ID, 10), "recorded")
}

// storeEntryPhotos checks and stores the uploaded "photos" (each ≤ 2 MB,
// JPEG or PNG by content) and returns the entry's photo list
// ("name:sha256,…") and the stored names.
func (p *pages) storeEntryPhotos(r *http.Request) (string, []string, error) {
	if r.MultipartForm == nil {
		return "", nil, nil
	}
	var files []*multipart.FileHeader
	for _, fh := range r.MultipartForm.File["photos"] {
		if fh.Size > 0 {
			files = append(files, fh)
		}
	}
	bad := func(key string, args ...any) error {
		return counsel.Invalid(counsel.FieldError{Field: "photos", Key: key, Args: args})
	}
	if len(files) > counsel.MaxEntryPhotos {
		return "", nil, bad("ledger.err_photos", counsel.MaxEntryPhotos)
	}
	var list, names []string
	cleanup := func() {
		for _, n := range names {
			_ = os.Remove(filepath.Join(p.h.PhotoDir(), n))
		}
	}
	for _, fh := range files {
		if fh.Size > web.MaxPhoto {
			cleanup()
			return "", nil, bad("reg.err_photo_size", web.MaxPhoto>>20)
		}
		f, err := fh.Open()
		if err != nil {
			cleanup()
			return "", nil, bad("err.file")
		}
		b, err := io.ReadAll(io.LimitReader(f, web.MaxPhoto+1))
		f.Close()
		if err != nil || len(b) > web.MaxPhoto {
			cleanup()
			return "", nil, bad("reg.err_photo_size", web.MaxPhoto>>20)
		}
		ext := ""
		switch http.DetectContentType(b) {
		case "image/jpeg":
			ext = ".jpg"
		case "image/png":
			ext = ".png"
		default:
			cleanup()
			return "", nil, bad("reg.err_photo_type")
		}
		name := newClientKey() + newClientKey()[:8] + ext
		if err := os.MkdirAll(p.h.PhotoDir(), 0o750); err != nil {
			cleanup()
			return "", nil, err
		}
		if err := os.WriteFile(filepath.Join(p.h.PhotoDir(), name), b, 0o640); err != nil {
			cleanup()
			return "", nil, err
		}
		sum := sha256.Sum256(b)
		names = append(names, name)
		list = append(list, name+":"+hex.EncodeToString(sum[:]))
	}
	return strings.Join(list, ","), names, nil
}

type entryView struct {
	Entry     *counsel.Entry
	KindLabel string
	ModeLabel string
	Photos    []int
	CanReview bool
	CanAmend  bool
	Amends    *counsel.Entry
}

func (p *pages) entryShow(w http.ResponseWriter, r *http.Request) {
	e, ok := web.LoadByID(p.h, w, r, p.svc.Entry)
	if !ok {
		return
	}
	p.entryPage(w, r, p.h.View(r, "ledger", "ledger.entry_title", nil), e, http.StatusOK)
}

func (p *pages) entryPage(w http.ResponseWriter, r *http.Request, v *web.View, e *counsel.Entry, status int) {
	a := web.ActorOf(r)
	lang := server.Lang(r.Context())
	ev := entryView{Entry: e, KindLabel: p.svc.KindName(r.Context(), e.Kind, lang), ModeLabel: policy.ModeLabel(e.Mode, lang),
		CanReview: e.Status == counsel.EntryPending && (a.Role == counsel.RoleAdmin || a.Role == counsel.RoleVillage && a.RegionCode == e.VillageCode),
		CanAmend:  e.AmendedBy == 0 && a.Role == counsel.RoleAdvisor && a.AdvisorID == e.AdvisorID}
	if e.Photos != "" {
		for i := range strings.Split(e.Photos, ",") {
			ev.Photos = append(ev.Photos, i)
		}
	}
	if e.AmendsID > 0 {
		ev.Amends, _ = p.svc.Entry(r.Context(), a, e.AmendsID)
	}
	v.Data = ev
	p.h.Render(w, r, status, "ledger_entry", v)
}

func (p *pages) entryReview(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	a := web.ActorOf(r)
	_, err := p.svc.ReviewEntry(r.Context(), a, id, r.PostForm.Get("status"), r.PostForm.Get("note"))
	if err != nil {
		e, gerr := p.svc.Entry(r.Context(), a, id)
		if gerr != nil {
			p.h.Fail(w, r, gerr)
			return
		}
		v := p.h.View(r, "ledger", "ledger.entry_title", nil)
		p.entryPage(w, r, v, e, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/entries/"+strconv.FormatInt(id, 10), "reviewed")
}

func (p *pages) entryPhoto(w http.ResponseWriter, r *http.Request) {
	e, ok := web.LoadByID(p.h, w, r, p.svc.Entry)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	list := strings.Split(e.Photos, ",")
	if err != nil || e.Photos == "" || n < 0 || n >= len(list) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeNotFound, "err.not_found"))
		return
	}
	name, _, _ := strings.Cut(list[n], ":")
	p.h.ServePhoto(w, r, name, "entry-"+strconv.FormatInt(e.ID, 10)+"-"+strconv.Itoa(n+1))
}

type dueView struct {
	Duties  []Duty
	Advisor int64
	Lang    string
}

func (p *pages) duePage(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	id, _ := strconv.ParseInt(r.URL.Query().Get("advisor"), 10, 64)
	if a.Role != counsel.RoleAdvisor && id == 0 {
		web.Redirect(w, r, "/ledger/duties", "")
		return
	}
	ds, err := p.svc.DueNow(r.Context(), a, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.Render(w, r, http.StatusOK, "ledger_due", p.h.View(r, "due", "ledger.due_title", dueView{Duties: ds, Advisor: id, Lang: server.Lang(r.Context())}))
}

type verifyView struct {
	Region string
	Ran    bool
	Result *VerifyResult
}

// verifyPage checks the hash chains of the volumes in the actor's area (or a
// part of it) when asked to (run=1): a full scan, so not on every visit.
func (p *pages) verifyPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := verifyView{Region: strings.TrimSpace(q.Get("region"))}
	a := web.ActorOf(r)
	if !authz.CanVerifyLedger(a) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	if v.Region != "" && !counsel.ValidCode(v.Region) {
		// The form again, with what was typed and why it was refused.
		view := p.h.View(r, "verify", "verify.title", v)
		view.FormError = i18n.T(view.Lang, "err.division_code")
		p.h.Render(w, r, http.StatusUnprocessableEntity, "ledger_verify", view)
		return
	}
	if q.Get("run") == "1" {
		res, err := p.svc.VerifyLedger(r.Context(), a, v.Region)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		v.Ran, v.Result = true, res
	}
	p.h.Render(w, r, http.StatusOK, "ledger_verify", p.h.View(r, "verify", "verify.title", v))
}

type dutiesView struct {
	Rows  []Duty
	State string
	Pager web.Pager
}

func (p *pages) dutiesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state != CompMet && state != CompDue {
		state = CompMissed
	}
	f := ComplianceFilter{State: state, Scope: q.Get("region"), Page: web.PageOf(r)}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	l, err := p.svc.Duties(r.Context(), web.ActorOf(r), f)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := dutiesView{Rows: l.Items, State: state, Pager: web.Pager{Query: q, Total: l.Total, Limit: l.Limit, Offset: l.Offset}}
	p.h.Render(w, r, http.StatusOK, "ledger_duties", p.h.View(r, "duties", "ledger.duties_title", v))
}

func (p *pages) policySave(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "policy", "ledger.policy_title", nil)
	if err := web.ParseForm(r, 1<<20); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	f := r.PostForm
	region := f.Get("region")
	var pol policy.Policy
	var err error
	if pre := f.Get("preset"); pre != "" {
		var found bool
		if pol, found = Presets()[pre]; !found {
			err = counsel.Invalid(counsel.FieldError{Field: "preset", Key: "err.choice"})
		}
	} else if f.Get("clear") == "1" {
		pol = policy.Policy{}
	} else if jerr := json.Unmarshal([]byte(f.Get("rules_json")), &pol); jerr != nil {
		err = counsel.Invalid(counsel.FieldError{Field: "rules_json", Key: "ledger.err_policy", Args: []any{jerr.Error()}})
	}
	if err == nil {
		err = p.svc.SavePolicy(r.Context(), web.ActorOf(r), region, pol)
	}
	if err != nil {
		p.policyRender(w, r, v, region, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}

func (p *pages) kindAdd(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "policy", "ledger.policy_title", nil)
	if err := web.ParseForm(r, 1<<14); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	region := r.PostForm.Get("region")
	if _, err := p.svc.AddLedgerKind(r.Context(), web.ActorOf(r), region, r.PostForm.Get("name"), r.PostForm.Get("name_en")); err != nil {
		p.policyRender(w, r, v, region, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}
