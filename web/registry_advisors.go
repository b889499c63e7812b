package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// advisorListView is the advisors list.
type advisorListView struct {
	Items      []counsel.Advisor
	Pager      Pager
	Q, Kind    string
	ProviderID int64
	Providers  []counsel.Provider
	Kinds      []string
	CanCreate  bool
	CanImport  bool
}

// advisorFilter reads the list filters of the advisors page.
func advisorFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: PageOf(r)}
	if k := q.Get("kind"); regOneOf(k, counsel.AdvisorKinds) {
		f.Kind = k
	}
	f.ProviderID, _ = strconv.ParseInt(q.Get("provider"), 10, 64)
	return f
}

// regCanAddAdvisors reports whether the actor may create advisors.
func regCanAddAdvisors(a *counsel.Actor) bool {
	return authz.CanManageRegistry(a) || a.Role == counsel.RoleProvider
}

func (h *Web) advisorList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	f := advisorFilter(r)
	l, err := h.svc.AdvisorsWhere(ctx, a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	av := &advisorListView{Items: l.Items, Pager: regPager(r, l), Q: f.Q, Kind: f.Kind, ProviderID: f.ProviderID,
		Kinds: counsel.AdvisorKinds, CanCreate: regCanAddAdvisors(a), CanImport: authz.CanManageRegistry(a)}
	if ps, err := h.svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
		av.Providers = ps.Items
	}
	h.Render(w, r, http.StatusOK, "advisors", h.View(r, "advisors", "reg.advisors_title", av))
}

func (h *Web) advisorXLSX(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	f := advisorFilter(r)
	items, err := regAll(func(p counsel.Page) (registry.List[counsel.Advisor], error) {
		f.Page = p
		return h.svc.AdvisorsWhere(r.Context(), a, f)
	})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	rows := make([]xlsx.AdvisorRow, len(items))
	for i, adv := range items {
		rows[i] = xlsx.AdvisorRow{Advisor: adv}
	}
	h.SendXLSX(w, r, "村(居)法律顾问名册.xlsx", "advisors.xlsx", func(wr io.Writer) error { return xlsx.WriteAdvisors(wr, rows) })
}

// advisorView is an advisor's page.
type advisorView struct {
	A          *counsel.Advisor
	Home       *counsel.Region
	Agreements []agreementRow
	Villages   []agreementRow // live agreements: the villages served
	CanEdit    bool
}

func (h *Web) advisorShow(w http.ResponseWriter, r *http.Request) {
	adv, ok := LoadByID(h, w, r, h.svc.Advisor)
	if !ok {
		return
	}
	h.advisorPage(w, r, h.View(r, "advisors", "reg.advisor_title", nil), adv, http.StatusOK)
}

// advisorPage renders an advisor's page with status (a failed photo upload
// shows its error there).
func (h *Web) advisorPage(w http.ResponseWriter, r *http.Request, v *View, adv *counsel.Advisor, status int) {
	ctx, a := r.Context(), ActorOf(r)
	av := &advisorView{A: adv, CanEdit: authz.CanEditAdvisor(a, adv)}
	if adv.HomeCode != "" {
		av.Home, _ = h.svc.Region(ctx, a, adv.HomeCode)
	}
	gs, err := h.svc.AgreementsWhere(ctx, a, counsel.Filter{AdvisorID: adv.ID, Page: counsel.Page{Limit: 200}})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	av.Agreements = agreementRows(gs.Items, h.svc.Today())
	for _, g := range av.Agreements {
		if counsel.Live(g.Status) {
			av.Villages = append(av.Villages, g)
		}
	}
	v.Data = av
	v.Title = adv.Name
	h.Render(w, r, status, "advisor", v)
}

// advisorFormView is the advisor form.
type advisorFormView struct {
	A         *counsel.Advisor // nil for a new one
	Providers []counsel.Provider
	Kinds     []string
	Towns     []RegTownGroup // home village choices, empty: a code field
	SelfOnly  bool           // an advisor edits its own contact details
}

func (h *Web) advisorNew(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	if !regCanAddAdvisors(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "advisors", "reg.advisor_new", nil)
	v.Form = url.Values{"kind": {counsel.AdvisorLawyer}, "active": {"1"}, "provider_id": {r.URL.Query().Get("provider")}}
	h.advisorFormPage(w, r, v, nil, http.StatusOK)
}

func (h *Web) advisorEdit(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	adv, ok := LoadByID(h, w, r, h.svc.Advisor)
	if !ok {
		return
	}
	if !authz.CanEditAdvisor(a, adv) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "advisors", "reg.advisor_edit", nil)
	v.Form = url.Values{"provider_id": {strconv.FormatInt(adv.ProviderID, 10)}, "kind": {adv.Kind}, "name": {adv.Name},
		"gender": {adv.Gender}, "licence_no": {adv.LicenceNo}, "phone": {adv.Phone}, "wechat": {adv.WeChat}, "home_code": {adv.HomeCode}}
	if adv.Active {
		v.Form.Set("active", "1")
	}
	h.advisorFormPage(w, r, v, adv, http.StatusOK)
}

func (h *Web) advisorFormPage(w http.ResponseWriter, r *http.Request, v *View, adv *counsel.Advisor, status int) {
	ctx, a := r.Context(), ActorOf(r)
	fv := &advisorFormView{A: adv, Kinds: counsel.AdvisorKinds, SelfOnly: a.Role == counsel.RoleAdvisor}
	if !fv.SelfOnly {
		if ps, err := h.svc.Providers(ctx, a, counsel.Filter{Page: counsel.Page{Limit: 500}}); err == nil {
			fv.Providers = ps.Items
		}
	}
	county := ""
	if adv != nil {
		county = adv.CountyCode
	} else if home, err := h.svc.HomeRegion(ctx, a); err == nil {
		county = counsel.AncestorAt(home, counsel.LevelCounty)
	}
	if county != "" && a.Role != counsel.RoleJudicial && a.Role != counsel.RoleVillage {
		fv.Towns = h.RegVillageGroups(ctx, a, county)
	}
	v.Data = fv
	h.Render(w, r, status, "advisor_form", v)
}

// advisorSave creates (POST /advisors) or updates (POST /advisors/{id}) an
// advisor. Only the fields the form carries are changed, so an advisor's own
// contact form leaves the rest alone.
func (h *Web) advisorSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	adv := &counsel.Advisor{Active: true}
	var old *counsel.Advisor
	title := "reg.advisor_new"
	if r.PathValue("id") != "" {
		id, err := PathID(r)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		if old, err = h.svc.Advisor(ctx, a, id); err != nil {
			h.Fail(w, r, err)
			return
		}
		*adv = *old
		title = "reg.advisor_edit"
	}
	v := h.View(r, "advisors", title, nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.advisorFormPage(w, r, v, old, h.FormFail(r, v, err))
		return
	}
	set := func(field string, dst *string) {
		if _, ok := r.PostForm[field]; ok {
			*dst = r.PostFormValue(field)
		}
	}
	if _, ok := r.PostForm["provider_id"]; ok {
		adv.ProviderID = FormID(r, "provider_id")
	}
	set("kind", &adv.Kind)
	set("name", &adv.Name)
	set("gender", &adv.Gender)
	set("licence_no", &adv.LicenceNo)
	set("phone", &adv.Phone)
	set("wechat", &adv.WeChat)
	set("home_code", &adv.HomeCode)
	adv.HomeCode = strings.TrimSpace(adv.HomeCode)
	if r.PostFormValue("has_active") == "1" {
		adv.Active = r.PostFormValue("active") == "1"
	}
	if err := h.svc.SaveAdvisor(ctx, a, adv); err != nil {
		h.advisorFormPage(w, r, v, old, h.FormFail(r, v, err))
		return
	}
	ok := "saved"
	if old == nil {
		ok = "created"
	}
	Redirect(w, r, "/advisors/"+strconv.FormatInt(adv.ID, 10), ok)
}

// maxPhoto is the largest advisor photo accepted.
const maxPhoto = MaxPhoto

// MaxPhoto is the largest photo accepted (advisors, ledger entries).
const MaxPhoto = 2 << 20

// photoName is the form of a stored photo's file name.
var photoName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png)$`)

// PhotoDir is where stored photos live (for the feature packages).
func (h *Web) PhotoDir() string { return h.photoDir() }

// photoDir is where advisor photos are stored.
func (h *Web) photoDir() string {
	dir := h.svc.Cfg.DataDir
	if dir == "" {
		dir = "data"
	}
	return filepath.Join(dir, "photos")
}

func (h *Web) advisorPhotoUpload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	adv, ok := LoadByID(h, w, r, h.svc.Advisor)
	if !ok {
		return
	}
	v := h.View(r, "advisors", "reg.advisor_title", nil)
	name, err := h.storePhoto(r)
	if err == nil {
		upd := *adv
		upd.Photo = name
		if err = h.svc.SaveAdvisor(ctx, a, &upd); err != nil {
			_ = os.Remove(filepath.Join(h.photoDir(), name))
		}
	}
	if err != nil {
		h.advisorPage(w, r, v, adv, h.FormFail(r, v, err))
		return
	}
	Redirect(w, r, "/advisors/"+strconv.FormatInt(adv.ID, 10), "saved")
}

// storePhoto checks the uploaded "photo" (at most 2 MB, JPEG or PNG by its
// bytes, whatever its name says) and stores it under a random name.
func (h *Web) storePhoto(r *http.Request) (string, error) {
	if err := ParseForm(r, maxPhoto+1<<20); err != nil {
		return "", err
	}
	bad := func(key string, args ...any) error {
		return counsel.Invalid(counsel.FieldError{Field: "photo", Key: key, Args: args})
	}
	file, fh, err := r.FormFile("photo")
	if err != nil {
		return "", bad("err.file")
	}
	defer file.Close()
	if fh.Size > maxPhoto {
		return "", bad("reg.err_photo_size", maxPhoto>>20)
	}
	b, err := io.ReadAll(io.LimitReader(file, maxPhoto+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxPhoto {
		return "", bad("reg.err_photo_size", maxPhoto>>20)
	}
	ext := ""
	switch http.DetectContentType(b) {
	case "image/jpeg":
		ext = ".jpg"
	case "image/png":
		ext = ".png"
	default:
		return "", bad("reg.err_photo_type")
	}
	var rnd [16]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	name := hex.EncodeToString(rnd[:]) + ext
	dir := h.photoDir()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return "", err
	}
	return name, f.Close()
}

// advisorPhoto serves an advisor's photo to those who may see the advisor.
func (h *Web) advisorPhoto(w http.ResponseWriter, r *http.Request) {
	adv, ok := LoadByID(h, w, r, h.svc.Advisor)
	if !ok {
		return
	}
	h.servePhoto(w, r, adv.Photo, "advisor-"+strconv.FormatInt(adv.ID, 10))
}

// servePhoto serves a stored photo inline with its image type; a name that
// is not one of ours, or a missing file, is not found.
func (h *Web) servePhoto(w http.ResponseWriter, r *http.Request, name, download string) {
	notFound := counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	if !photoName.MatchString(name) {
		h.Fail(w, r, notFound)
		return
	}
	f, err := os.Open(filepath.Join(h.photoDir(), name))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			h.svc.Log.ErrorContext(r.Context(), "photo", "name", name, "err", err)
		}
		h.Fail(w, r, notFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ct := "image/jpeg"
	if strings.HasSuffix(name, ".png") {
		ct = "image/png"
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Disposition", `inline; filename="`+download+filepath.Ext(name)+`"`)
	hd.Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(w, r, "", st.ModTime(), f)
}

// RegTownGroup is a town with its villages, for village selects.
type RegTownGroup struct {
	Town     counsel.Region
	Villages []counsel.Region
}

// RegVillageGroups lists the villages of a county or town the actor may
// see, grouped by town.
func (h *Web) RegVillageGroups(ctx context.Context, a *counsel.Actor, code string) []RegTownGroup {
	var towns []counsel.Region
	switch counsel.LevelOf(code) {
	case counsel.LevelTown:
		t, err := h.svc.Region(ctx, a, code)
		if err != nil {
			return nil
		}
		towns = []counsel.Region{*t}
	case counsel.LevelCounty:
		var err error
		if towns, err = h.svc.Children(ctx, a, code); err != nil {
			return nil
		}
	default:
		return nil
	}
	var out []RegTownGroup
	for _, t := range towns {
		vs, err := h.svc.Children(ctx, a, t.Code)
		if err != nil || len(vs) == 0 {
			continue
		}
		out = append(out, RegTownGroup{Town: t, Villages: vs})
	}
	return out
}
