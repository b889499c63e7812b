package web

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
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// ledgerRoutes are the pages of the service ledger (R14–R16, R21–R23).
func (h *Web) ledgerRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/ledger/entries", Name: "entries", Handler: h.entryList},
		{Method: "GET", Pattern: "/ledger/entries/new", Name: "entry_new", Handler: h.entryNew},
		{Method: "POST", Pattern: "/ledger/entries", Name: "entry_create", Handler: h.entryCreate},
		{Method: "GET", Pattern: "/ledger/entries/{id}", Name: "entry", Handler: h.entryShow},
		{Method: "POST", Pattern: "/ledger/entries/{id}/review", Name: "entry_review", Handler: h.entryReview},
		{Method: "GET", Pattern: "/ledger/entries/{id}/photos/{n}", Name: "entry_photo", Handler: h.entryPhoto},
		{Method: "GET", Pattern: "/ledger/due", Name: "due", Handler: h.duePage},
		{Method: "GET", Pattern: "/ledger/verify", Name: "ledger_verify", Handler: h.verifyPage},
		{Method: "GET", Pattern: "/ledger/duties", Name: "duties", Handler: h.dutiesPage},
		{Method: "GET", Pattern: "/ledger/policy", Name: "policy", Handler: h.policyPage},
		{Method: "POST", Pattern: "/ledger/policy", Name: "policy_save", Handler: h.policySave},
		{Method: "POST", Pattern: "/ledger/kinds", Name: "ledger_kind_add", Handler: h.kindAdd},
	}
}

// KindOption is a service kind or mode for selects.
type KindOption struct{ Code, Label string }

// KindOptions lists the built-in service kinds for selects.
func KindOptions(lang string) []KindOption {
	out := make([]KindOption, 0, len(policy.Kinds))
	for _, k := range policy.Kinds {
		out = append(out, KindOption{k, policy.KindLabel(k, lang)})
	}
	return out
}

func modeOptions(lang string) []KindOption {
	out := make([]KindOption, 0, len(policy.Modes))
	for _, m := range policy.Modes {
		out = append(out, KindOption{m, policy.ModeLabel(m, lang)})
	}
	return out
}

var entryStatuses = []string{counsel.EntryPending, counsel.EntryConfirmed, counsel.EntryDisputed}

type entryListView struct {
	Rows     []counsel.Entry
	Kinds    []KindOption
	Statuses []string
	F        store.EntryFilter
	Pager    Pager
	CanAdd   bool
}

func (h *Web) entryList(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	f := server.EntryFilterOf(r)
	f.Page = PageOf(r)
	l, err := h.svc.Entries(r.Context(), a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	v := entryListView{Rows: l.Items, Kinds: KindOptions(lang), Statuses: entryStatuses, F: f,
		Pager: Pager{Query: r.URL.Query(), Total: l.Total, Limit: l.Limit, Offset: l.Offset}, CanAdd: a.Role == counsel.RoleAdvisor || a.Role == counsel.RoleAdmin}
	h.Render(w, r, http.StatusOK, "ledger_entries", h.View(r, "ledger", "ledger.entries_title", v))
}

type entryFormView struct {
	Villages  []counsel.Region
	Kinds     []KindOption
	Modes     []KindOption
	ClientKey string
	Amends    *counsel.Entry
	MatterID  int64
	Today     string
	MaxPhotos int
}

// entryVillages lists the villages an advisor may record for today.
func (h *Web) entryVillages(ctx context.Context, a *counsel.Actor) ([]counsel.Region, error) {
	if a.Role != counsel.RoleAdvisor {
		return nil, nil
	}
	gs, err := h.svc.Agreements(ctx, a, store.Filter{Status: "live", Page: counsel.Page{Limit: 200}})
	if err != nil {
		return nil, err
	}
	var out []counsel.Region
	seen := map[string]bool{}
	for _, g := range gs.Items {
		vs, err := h.svc.AgreementVillages(ctx, nil, &g)
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

func (h *Web) entryForm(w http.ResponseWriter, r *http.Request, v *View, status int) {
	a := ActorOf(r)
	vs, err := h.entryVillages(r.Context(), a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	fv := entryFormView{Villages: vs, Kinds: KindOptions(lang), Modes: modeOptions(lang), Today: h.svc.Today(), MaxPhotos: counsel.MaxEntryPhotos}
	if len(vs) > 0 {
		// The county's added kinds too.
		if ks, err := h.svc.LedgerKinds(r.Context(), vs[0].Code); err == nil {
			fv.Kinds = fv.Kinds[:0]
			for _, k := range ks {
				label := k.Name
				if lang == "en" && k.NameEN != "" {
					label = k.NameEN
				}
				fv.Kinds = append(fv.Kinds, KindOption{k.Code, label})
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
			if e, err := h.svc.Entry(r.Context(), a, id); err == nil {
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
		fv.Amends, _ = h.svc.Entry(r.Context(), a, id)
	}
	fv.MatterID, _ = strconv.ParseInt(v.Form.Get("matter_id"), 10, 64)
	v.Data = fv
	h.Render(w, r, status, "ledger_entry_form", v)
}

func (h *Web) entryNew(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	if a.Role != counsel.RoleAdvisor && a.Role != counsel.RoleAdmin {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	h.entryForm(w, r, h.View(r, "ledger", "ledger.new_title", nil), http.StatusOK)
}

// maxEntryUpload bounds a whole entry form with its photos.
const maxEntryUpload = counsel.MaxEntryPhotos*maxPhoto + 1<<20

func (h *Web) entryCreate(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	v := h.View(r, "ledger", "ledger.new_title", nil)
	if a.Role != counsel.RoleAdvisor && a.Role != counsel.RoleAdmin {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	if err := ParseForm(r, maxEntryUpload); err != nil {
		h.entryForm(w, r, v, h.FormFail(r, v, err))
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
	photos, names, err := h.storeEntryPhotos(r)
	if err != nil {
		h.entryForm(w, r, v, h.FormFail(r, v, err))
		return
	}
	e.Photos = photos
	got, err := h.svc.RecordEntry(r.Context(), a, e)
	if err != nil || got.Photos != photos {
		// Refused, or a retry that returned the first entry: drop the new files.
		for _, n := range names {
			_ = os.Remove(filepath.Join(h.photoDir(), n))
		}
	}
	if err != nil {
		h.entryForm(w, r, v, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/ledger/entries/"+strconv.FormatInt(got.ID, 10), "recorded")
}

// storeEntryPhotos checks and stores the uploaded "photos" (each ≤ 2 MB,
// JPEG or PNG by content) and returns the entry's photo list
// ("name:sha256,…") and the stored names.
func (h *Web) storeEntryPhotos(r *http.Request) (string, []string, error) {
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
			_ = os.Remove(filepath.Join(h.photoDir(), n))
		}
	}
	for _, fh := range files {
		if fh.Size > maxPhoto {
			cleanup()
			return "", nil, bad("reg.err_photo_size", maxPhoto>>20)
		}
		f, err := fh.Open()
		if err != nil {
			cleanup()
			return "", nil, bad("err.file")
		}
		b, err := io.ReadAll(io.LimitReader(f, maxPhoto+1))
		f.Close()
		if err != nil || len(b) > maxPhoto {
			cleanup()
			return "", nil, bad("reg.err_photo_size", maxPhoto>>20)
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
		if err := os.MkdirAll(h.photoDir(), 0o750); err != nil {
			cleanup()
			return "", nil, err
		}
		if err := os.WriteFile(filepath.Join(h.photoDir(), name), b, 0o640); err != nil {
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

func (h *Web) entryShow(w http.ResponseWriter, r *http.Request) {
	e, ok := LoadByID(h, w, r, h.svc.Entry)
	if !ok {
		return
	}
	h.entryPage(w, r, h.View(r, "ledger", "ledger.entry_title", nil), e, http.StatusOK)
}

func (h *Web) entryPage(w http.ResponseWriter, r *http.Request, v *View, e *counsel.Entry, status int) {
	a := ActorOf(r)
	lang := server.Lang(r.Context())
	ev := entryView{Entry: e, KindLabel: h.svc.KindName(r.Context(), e.Kind, lang), ModeLabel: policy.ModeLabel(e.Mode, lang),
		CanReview: e.Status == counsel.EntryPending && (a.Role == counsel.RoleAdmin || a.Role == counsel.RoleVillage && a.RegionCode == e.VillageCode),
		CanAmend:  e.AmendedBy == 0 && a.Role == counsel.RoleAdvisor && a.AdvisorID == e.AdvisorID}
	if e.Photos != "" {
		for i := range strings.Split(e.Photos, ",") {
			ev.Photos = append(ev.Photos, i)
		}
	}
	if e.AmendsID > 0 {
		ev.Amends, _ = h.svc.Entry(r.Context(), a, e.AmendsID)
	}
	v.Data = ev
	h.Render(w, r, status, "ledger_entry", v)
}

func (h *Web) entryReview(w http.ResponseWriter, r *http.Request) {
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	a := ActorOf(r)
	_, err := h.svc.ReviewEntry(r.Context(), a, id, r.PostForm.Get("status"), r.PostForm.Get("note"))
	if err != nil {
		e, gerr := h.svc.Entry(r.Context(), a, id)
		if gerr != nil {
			h.Fail(w, r, gerr)
			return
		}
		v := h.View(r, "ledger", "ledger.entry_title", nil)
		h.entryPage(w, r, v, e, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/ledger/entries/"+strconv.FormatInt(id, 10), "reviewed")
}

func (h *Web) entryPhoto(w http.ResponseWriter, r *http.Request) {
	e, ok := LoadByID(h, w, r, h.svc.Entry)
	if !ok {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	list := strings.Split(e.Photos, ",")
	if err != nil || e.Photos == "" || n < 0 || n >= len(list) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeNotFound, "err.not_found"))
		return
	}
	name, _, _ := strings.Cut(list[n], ":")
	h.servePhoto(w, r, name, "entry-"+strconv.FormatInt(e.ID, 10)+"-"+strconv.Itoa(n+1))
}

type dueView struct {
	Duties  []service.Duty
	Advisor int64
	Lang    string
}

func (h *Web) duePage(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	id, _ := strconv.ParseInt(r.URL.Query().Get("advisor"), 10, 64)
	if a.Role != counsel.RoleAdvisor && id == 0 {
		Redirect(w, r, "/ledger/duties", "")
		return
	}
	ds, err := h.svc.DueNow(r.Context(), a, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "ledger_due", h.View(r, "due", "ledger.due_title", dueView{Duties: ds, Advisor: id, Lang: server.Lang(r.Context())}))
}

type verifyView struct {
	Region string
	Ran    bool
	Result *store.VerifyResult
}

// verifyPage checks the hash chains of the volumes in the actor's area (or a
// part of it) when asked to (run=1): a full scan, so not on every visit.
func (h *Web) verifyPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := verifyView{Region: strings.TrimSpace(q.Get("region"))}
	a := ActorOf(r)
	if !authz.CanVerifyLedger(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	if v.Region != "" && !counsel.ValidCode(v.Region) {
		// The form again, with what was typed and why it was refused.
		view := h.View(r, "entries", "verify.title", v)
		view.FormError = i18n.T(view.Lang, "err.division_code")
		h.Render(w, r, http.StatusUnprocessableEntity, "ledger_verify", view)
		return
	}
	if q.Get("run") == "1" {
		res, err := h.svc.VerifyLedger(r.Context(), a, v.Region)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		v.Ran, v.Result = true, res
	}
	h.Render(w, r, http.StatusOK, "ledger_verify", h.View(r, "entries", "verify.title", v))
}

type dutiesView struct {
	Rows  []service.Duty
	State string
	Pager Pager
}

func (h *Web) dutiesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	state := q.Get("state")
	if state != store.CompMet && state != store.CompDue {
		state = store.CompMissed
	}
	f := store.ComplianceFilter{State: state, Scope: q.Get("region"), Page: PageOf(r)}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	l, err := h.svc.Duties(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := dutiesView{Rows: l.Items, State: state, Pager: Pager{Query: q, Total: l.Total, Limit: l.Limit, Offset: l.Offset}}
	h.Render(w, r, http.StatusOK, "ledger_duties", h.View(r, "duties", "ledger.duties_title", v))
}

type policyView struct {
	Kinds   []store.LedgerKind
	Layer   *service.PolicyLayer
	CanEdit bool
	Presets []string
	JSON    string
	Lang    string
}

func (h *Web) policyPage(w http.ResponseWriter, r *http.Request) {
	h.policyRender(w, r, h.View(r, "policy", "ledger.policy_title", nil), r.URL.Query().Get("region"), http.StatusOK)
}

func (h *Web) policyRender(w http.ResponseWriter, r *http.Request, v *View, region string, status int) {
	a := ActorOf(r)
	l, err := h.svc.Policy(r.Context(), a, region)
	if err != nil && region == "" && counsel.ErrorCode(err) == counsel.CodeInvalid {
		// The administrator has no home region: ask for one.
		l, err = &service.PolicyLayer{}, nil
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	b, _ := json.MarshalIndent(l.Own, "", "  ")
	pv := policyView{Layer: l, CanEdit: a.Role == counsel.RoleAdmin || a.Role == counsel.RoleBureau && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty && counsel.Within(l.Region, a.RegionCode),
		Presets: []string{"zhengning", "pairing", "ningbo"}, JSON: string(b), Lang: server.Lang(r.Context())}
	if v.Form != nil && v.Form.Get("rules_json") != "" {
		pv.JSON = v.Form.Get("rules_json")
	}
	pv.Kinds, _ = h.svc.LedgerKinds(r.Context(), l.Region)
	v.Data = pv
	h.Render(w, r, status, "ledger_policy", v)
}

func (h *Web) policySave(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "policy", "ledger.policy_title", nil)
	if err := ParseForm(r, 1<<20); err != nil {
		h.Fail(w, r, err)
		return
	}
	f := r.PostForm
	region := f.Get("region")
	var p policy.Policy
	var err error
	if pre := f.Get("preset"); pre != "" {
		var found bool
		if p, found = service.Presets()[pre]; !found {
			err = counsel.Invalid(counsel.FieldError{Field: "preset", Key: "err.choice"})
		}
	} else if f.Get("clear") == "1" {
		p = policy.Policy{}
	} else if jerr := json.Unmarshal([]byte(f.Get("rules_json")), &p); jerr != nil {
		err = counsel.Invalid(counsel.FieldError{Field: "rules_json", Key: "ledger.err_policy", Args: []any{jerr.Error()}})
	}
	if err == nil {
		err = h.svc.SavePolicy(r.Context(), ActorOf(r), region, p)
	}
	if err != nil {
		h.policyRender(w, r, v, region, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}

func (h *Web) kindAdd(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "policy", "ledger.policy_title", nil)
	if err := ParseForm(r, 1<<14); err != nil {
		h.Fail(w, r, err)
		return
	}
	region := r.PostForm.Get("region")
	if _, err := h.svc.AddLedgerKind(r.Context(), ActorOf(r), region, r.PostForm.Get("name"), r.PostForm.Get("name_en")); err != nil {
		h.policyRender(w, r, v, region, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}
