package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
)

// providerListView is the providers list.
type providerListView struct {
	Items     []counsel.Provider
	Pager     Pager
	Q, Kind   string
	Kinds     []string
	CanCreate bool
}

// providerFilter reads the list filters of the providers page.
func providerFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: PageOf(r)}
	if k := q.Get("kind"); regOneOf(k, counsel.ProviderKinds) {
		f.Kind = k
	}
	return f
}

func regOneOf(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

func (h *Web) providerList(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	f := providerFilter(r)
	l, err := h.svc.Providers(r.Context(), a, f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	pv := &providerListView{Items: l.Items, Pager: regPager(r, l), Q: f.Q, Kind: f.Kind, Kinds: counsel.ProviderKinds, CanCreate: authz.CanManageRegistry(a)}
	h.Render(w, r, http.StatusOK, "providers", h.View(r, "providers", "reg.providers_title", pv))
}

func (h *Web) providerXLSX(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	f := providerFilter(r)
	items, err := regAll(func(p counsel.Page) (registry.List[counsel.Provider], error) {
		f.Page = p
		return h.svc.Providers(r.Context(), a, f)
	})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.SendXLSX(w, r, "法律服务机构名册.xlsx", "providers.xlsx", func(wr io.Writer) error { return xlsx.WriteProviders(wr, items) })
}

// providerView is a provider's page.
type providerView struct {
	P             *counsel.Provider
	County        *counsel.Region
	Advisors      []counsel.Advisor
	AdvisorTotal  int
	Agreements    []agreementRow
	AgreeTotal    int
	CanEdit       bool
	CanAddAdvisor bool
}

func (h *Web) providerShow(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	p, ok := LoadByID(h, w, r, h.svc.Provider)
	if !ok {
		return
	}
	pv := &providerView{P: p, CanEdit: authz.CanEditProvider(a, p)}
	pv.CanAddAdvisor = pv.CanEdit
	pv.County, _ = h.svc.Region(ctx, a, p.CountyCode)
	advs, err := h.svc.AdvisorsWhere(ctx, a, counsel.Filter{ProviderID: p.ID, Page: counsel.Page{Limit: 200}})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	pv.Advisors, pv.AdvisorTotal = advs.Items, advs.Total
	gs, err := h.svc.AgreementsWhere(ctx, a, counsel.Filter{ProviderID: p.ID, Status: "live", Page: counsel.Page{Limit: 200}})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	pv.Agreements, pv.AgreeTotal = agreementRows(gs.Items, h.svc.Today()), gs.Total
	v := h.View(r, "providers", "reg.provider_title", pv)
	v.Title = p.Name
	h.Render(w, r, http.StatusOK, "provider", v)
}

// providerFormView is the provider form.
type providerFormView struct {
	P         *counsel.Provider // nil for a new one
	Kinds     []string
	AskCounty bool
}

func (h *Web) providerNew(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	if !authz.CanManageRegistry(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "providers", "reg.provider_new", nil)
	v.Form = url.Values{"kind": {counsel.ProviderLawFirm}, "county_code": {r.URL.Query().Get("region")}}
	h.providerFormPage(w, r, v, nil, http.StatusOK)
}

func (h *Web) providerEdit(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	p, ok := LoadByID(h, w, r, h.svc.Provider)
	if !ok {
		return
	}
	if !authz.CanEditProvider(a, p) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "providers", "reg.provider_edit", nil)
	v.Form = url.Values{"kind": {p.Kind}, "name": {p.Name}, "credit_code": {p.CreditCode}, "county_code": {p.CountyCode},
		"phone": {p.Phone}, "address": {p.Address}}
	h.providerFormPage(w, r, v, p, http.StatusOK)
}

func (h *Web) providerFormPage(w http.ResponseWriter, r *http.Request, v *View, p *counsel.Provider, status int) {
	v.Data = &providerFormView{P: p, Kinds: counsel.ProviderKinds, AskCounty: ActorOf(r).Role == counsel.RoleAdmin}
	h.Render(w, r, status, "provider_form", v)
}

// providerSave creates (POST /providers) or updates (POST /providers/{id}) a provider.
func (h *Web) providerSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	p := &counsel.Provider{}
	var old *counsel.Provider
	title := "reg.provider_new"
	if r.PathValue("id") != "" {
		id, err := PathID(r)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		if old, err = h.svc.Provider(ctx, a, id); err != nil {
			h.Fail(w, r, err)
			return
		}
		*p = *old
		title = "reg.provider_edit"
	}
	if old == nil && !authz.CanManageRegistry(a) {
		// Only a county bureau or the administrator adds providers; the
		// service refuses others too, but would first complain about the
		// county, which their form does not ask for.
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "providers", title, nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.providerFormPage(w, r, v, old, h.FormFail(r, v, err))
		return
	}
	p.Kind = r.PostFormValue("kind")
	p.Name = r.PostFormValue("name")
	p.CreditCode = r.PostFormValue("credit_code")
	p.Phone = r.PostFormValue("phone")
	p.Address = r.PostFormValue("address")
	if a.Role == counsel.RoleAdmin {
		p.CountyCode = strings.TrimSpace(r.PostFormValue("county_code"))
	}
	if err := h.svc.SaveProvider(ctx, a, p); err != nil {
		h.providerFormPage(w, r, v, old, h.FormFail(r, v, err))
		return
	}
	ok := "saved"
	if old == nil {
		ok = "created"
	}
	Redirect(w, r, "/providers/"+strconv.FormatInt(p.ID, 10), ok)
}

// regImportView is the import page of a roster (providers or advisors).
type regImportView struct {
	What      string // "providers" or "advisors"
	AskRegion bool
	Result    *registry.ImportResult
	Updated   int // rows that changed an existing record
	Problems  []server.FieldMessage
}

func (h *Web) providerImportForm(w http.ResponseWriter, r *http.Request) {
	h.regImportForm(w, r, "providers")
}

func (h *Web) advisorImportForm(w http.ResponseWriter, r *http.Request) {
	h.regImportForm(w, r, "advisors")
}

func (h *Web) providerImport(w http.ResponseWriter, r *http.Request) { h.regImport(w, r, "providers") }

func (h *Web) advisorImport(w http.ResponseWriter, r *http.Request) { h.regImport(w, r, "advisors") }

func (h *Web) regImportForm(w http.ResponseWriter, r *http.Request, what string) {
	a := ActorOf(r)
	if !authz.CanManageRegistry(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, what, "reg.import_"+what, &regImportView{What: what, AskRegion: a.Role == counsel.RoleAdmin})
	v.Form = url.Values{"region": {r.URL.Query().Get("region")}}
	h.Render(w, r, http.StatusOK, "registry_import", v)
}

// regImport reads an uploaded roster (.xlsx or .csv) and imports it; any bad
// row writes nothing and every problem is listed with its row and column.
func (h *Web) regImport(w http.ResponseWriter, r *http.Request, what string) {
	ctx, a := r.Context(), ActorOf(r)
	iv := &regImportView{What: what, AskRegion: a.Role == counsel.RoleAdmin}
	v := h.View(r, what, "reg.import_"+what, iv)
	fail := func(err error) {
		status := h.FormFail(r, v, err)
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			_, body := h.srv.Describe(ctx, err)
			for _, f := range body.Error.Fields {
				if f.Row > 0 {
					iv.Problems = append(iv.Problems, f)
				}
			}
		}
		h.Render(w, r, status, "registry_import", v)
	}
	if err := ParseForm(r, server.MaxBody); err != nil {
		fail(err)
		return
	}
	file, fh, err := r.FormFile("file")
	if err != nil {
		fail(counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file"}))
		return
	}
	defer file.Close()
	ext := strings.ToLower(filepath.Ext(fh.Filename))
	if ext != ".xlsx" && ext != ".csv" {
		fail(counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file_type"}))
		return
	}
	region := strings.TrimSpace(r.PostFormValue("region"))
	var res *registry.ImportResult
	switch what {
	case "providers":
		res, err = h.importProviders(r, a, file, ext, region)
	default:
		res, err = h.importAdvisors(r, a, file, ext, region)
	}
	if err != nil {
		fail(err)
		return
	}
	iv.Result = res
	iv.Updated = max(0, res.Rows-res.ProvidersCreated-res.AdvisorsCreated-res.Unchanged)
	v.Flash = "flash.imported"
	v.Form = url.Values{"region": {region}}
	h.Render(w, r, http.StatusOK, "registry_import", v)
}

func (h *Web) importProviders(r *http.Request, a *counsel.Actor, file multipart.File, ext, region string) (*registry.ImportResult, error) {
	read := xlsx.ReadProviders
	if ext == ".csv" {
		read = xlsx.ReadProvidersCSV
	}
	ps, fes, err := read(file)
	if err != nil {
		return nil, err
	}
	return h.svc.ImportProviders(r.Context(), a, region, ps, fes)
}

func (h *Web) importAdvisors(r *http.Request, a *counsel.Actor, file multipart.File, ext, region string) (*registry.ImportResult, error) {
	read := xlsx.ReadAdvisors
	if ext == ".csv" {
		read = xlsx.ReadAdvisorsCSV
	}
	rows, fes, err := read(file)
	if err != nil {
		return nil, err
	}
	return h.svc.ImportAdvisors(r.Context(), a, region, rows, fes)
}
