package registry

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
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// providerListView is the providers list.
type providerListView struct {
	Items     []counsel.Provider
	Pager     web.Pager
	Q, Kind   string
	Kinds     []string
	CanCreate bool
}

// providerFilter reads the list filters of the providers page.
func providerFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: web.PageOf(r)}
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

func (pg *pages) providerList(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := providerFilter(r)
	l, err := pg.svc.Providers(r.Context(), a, f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pv := &providerListView{Items: l.Items, Pager: regPager(r, l), Q: f.Q, Kind: f.Kind, Kinds: counsel.ProviderKinds, CanCreate: authz.CanManageRegistry(a)}
	pg.h.Render(w, r, http.StatusOK, "providers", pg.h.View(r, "providers", "reg.providers_title", pv))
}

func (pg *pages) providerXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := providerFilter(r)
	items, err := regAll(func(p counsel.Page) (List[counsel.Provider], error) {
		f.Page = p
		return pg.svc.Providers(r.Context(), a, f)
	})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pg.h.SendXLSX(w, r, "法律服务机构名册.xlsx", "providers.xlsx", func(wr io.Writer) error { return xlsx.WriteProviders(wr, items) })
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

func (pg *pages) providerShow(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	p, ok := web.LoadByID(pg.h, w, r, pg.svc.Provider)
	if !ok {
		return
	}
	pv := &providerView{P: p, CanEdit: authz.CanEditProvider(a, p)}
	pv.CanAddAdvisor = pv.CanEdit
	pv.County, _ = pg.svc.Region(ctx, a, p.CountyCode)
	advs, err := pg.svc.AdvisorsWhere(ctx, a, counsel.Filter{ProviderID: p.ID, Page: counsel.Page{Limit: 200}})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pv.Advisors, pv.AdvisorTotal = advs.Items, advs.Total
	gs, err := pg.svc.AgreementsWhere(ctx, a, counsel.Filter{ProviderID: p.ID, Status: "live", Page: counsel.Page{Limit: 200}})
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pv.Agreements, pv.AgreeTotal = agreementRows(gs.Items, pg.svc.Today()), gs.Total
	v := pg.h.View(r, "providers", "reg.provider_title", pv)
	v.Title = p.Name
	pg.h.Render(w, r, http.StatusOK, "provider", v)
}

// providerFormView is the provider form.
type providerFormView struct {
	P         *counsel.Provider // nil for a new one
	Kinds     []string
	AskCounty bool
}

func (pg *pages) providerNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if !authz.CanManageRegistry(a) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "providers", "reg.provider_new", nil)
	v.Form = url.Values{"kind": {counsel.ProviderLawFirm}, "county_code": {r.URL.Query().Get("region")}}
	pg.providerFormPage(w, r, v, nil, http.StatusOK)
}

func (pg *pages) providerEdit(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	p, ok := web.LoadByID(pg.h, w, r, pg.svc.Provider)
	if !ok {
		return
	}
	if !authz.CanEditProvider(a, p) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "providers", "reg.provider_edit", nil)
	v.Form = url.Values{"kind": {p.Kind}, "name": {p.Name}, "credit_code": {p.CreditCode}, "county_code": {p.CountyCode},
		"phone": {p.Phone}, "address": {p.Address}}
	pg.providerFormPage(w, r, v, p, http.StatusOK)
}

func (pg *pages) providerFormPage(w http.ResponseWriter, r *http.Request, v *web.View, p *counsel.Provider, status int) {
	v.Data = &providerFormView{P: p, Kinds: counsel.ProviderKinds, AskCounty: web.ActorOf(r).Role == counsel.RoleAdmin}
	pg.h.Render(w, r, status, "provider_form", v)
}

// providerSave creates (POST /providers) or updates (POST /providers/{id}) a provider.
func (pg *pages) providerSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	p := &counsel.Provider{}
	var old *counsel.Provider
	title := "reg.provider_new"
	if r.PathValue("id") != "" {
		id, err := web.PathID(r)
		if err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		if old, err = pg.svc.Provider(ctx, a, id); err != nil {
			pg.h.Fail(w, r, err)
			return
		}
		*p = *old
		title = "reg.provider_edit"
	}
	if old == nil && !authz.CanManageRegistry(a) {
		// Only a county bureau or the administrator adds providers; the
		// service refuses others too, but would first complain about the
		// county, which their form does not ask for.
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, "providers", title, nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.providerFormPage(w, r, v, old, pg.h.FormFail(r, v, err))
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
	if err := pg.svc.SaveProvider(ctx, a, p); err != nil {
		pg.providerFormPage(w, r, v, old, pg.h.FormFail(r, v, err))
		return
	}
	ok := "saved"
	if old == nil {
		ok = "created"
	}
	web.Redirect(w, r, "/providers/"+strconv.FormatInt(p.ID, 10), ok)
}

// regImportView is the import page of a roster (providers or advisors).
type regImportView struct {
	What      string // "providers" or "advisors"
	AskRegion bool
	Result    *ImportResult
	Updated   int // rows that changed an existing record
	Problems  []server.FieldMessage
}

func (pg *pages) providerImportForm(w http.ResponseWriter, r *http.Request) {
	pg.regImportForm(w, r, "providers")
}

func (pg *pages) advisorImportForm(w http.ResponseWriter, r *http.Request) {
	pg.regImportForm(w, r, "advisors")
}

func (pg *pages) providerImport(w http.ResponseWriter, r *http.Request) {
	pg.regImport(w, r, "providers")
}

func (pg *pages) advisorImport(w http.ResponseWriter, r *http.Request) {
	pg.regImport(w, r, "advisors")
}

func (pg *pages) regImportForm(w http.ResponseWriter, r *http.Request, what string) {
	a := web.ActorOf(r)
	if !authz.CanManageRegistry(a) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, what, "reg.import_"+what, &regImportView{What: what, AskRegion: a.Role == counsel.RoleAdmin})
	v.Form = url.Values{"region": {r.URL.Query().Get("region")}}
	pg.h.Render(w, r, http.StatusOK, "registry_import", v)
}

// regImport reads an uploaded roster (.xlsx or .csv) and imports it; any bad
// row writes nothing and every problem is listed with its row and column.
func (pg *pages) regImport(w http.ResponseWriter, r *http.Request, what string) {
	ctx, a := r.Context(), web.ActorOf(r)
	iv := &regImportView{What: what, AskRegion: a.Role == counsel.RoleAdmin}
	// Permission first: the upload is not read for someone who may not import.
	if !authz.CanManageRegistry(a) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := pg.h.View(r, what, "reg.import_"+what, iv)
	fail := func(err error) {
		status := pg.h.FormFail(r, v, err)
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			_, body := pg.h.Server().Describe(ctx, err)
			for _, f := range body.Error.Fields {
				if f.Row > 0 {
					iv.Problems = append(iv.Problems, f)
				}
			}
		}
		pg.h.Render(w, r, status, "registry_import", v)
	}
	if err := web.ParseForm(r, server.MaxBody); err != nil {
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
	var res *ImportResult
	switch what {
	case "providers":
		res, err = pg.importProviders(r, a, file, ext, region)
	default:
		res, err = pg.importAdvisors(r, a, file, ext, region)
	}
	if err != nil {
		fail(err)
		return
	}
	iv.Result = res
	iv.Updated = max(0, res.Rows-res.ProvidersCreated-res.AdvisorsCreated-res.Unchanged)
	v.Flash = "flash.imported"
	v.Form = url.Values{"region": {region}}
	pg.h.Render(w, r, http.StatusOK, "registry_import", v)
}

func (pg *pages) importProviders(r *http.Request, a *counsel.Actor, file multipart.File, ext, region string) (*ImportResult, error) {
	read := xlsx.ReadProviders
	if ext == ".csv" {
		read = xlsx.ReadProvidersCSV
	}
	ps, fes, err := read(file)
	if err != nil {
		return nil, err
	}
	return pg.svc.ImportProviders(r.Context(), a, region, ps, fes)
}

func (pg *pages) importAdvisors(r *http.Request, a *counsel.Actor, file multipart.File, ext, region string) (*ImportResult, error) {
	read := xlsx.ReadAdvisors
	if ext == ".csv" {
		read = xlsx.ReadAdvisorsCSV
	}
	rows, fes, err := read(file)
	if err != nil {
		return nil, err
	}
	return pg.svc.ImportAdvisors(r.Context(), a, region, rows, fes)
}
