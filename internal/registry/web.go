package registry

import (
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the registry's HTML pages.
type pages struct {
	h   *web.Web
	svc *Service
}

// routes lists the registry's pages, then the 附件1 import's.
func (pg *pages) routes() []server.Route {
	return append(pg.registryRoutes(), pg.importRoutes()...)
}

// registryRoutes lists the routes of this area of the site: regions and
// coverage, providers, advisors, agreements and a county's settings. Every
// list works for every role (the service scopes it); write buttons are
// hidden from roles that cannot write, and the service refuses them anyway.
func (pg *pages) registryRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/regions", Name: "region_list", Handler: pg.regionList},
		{Method: "GET", Pattern: "/regions/{code}", Name: "region_show", Handler: pg.regionShow},
		{Method: "POST", Pattern: "/regions/{code}/flags", Name: "region_flags", Handler: pg.regionFlags},
		{Method: "GET", Pattern: "/coverage", Name: "coverage", Handler: pg.coverage},
		{Method: "GET", Pattern: "/coverage.xlsx", Name: "coverage_xlsx", Handler: pg.coverageXLSX},

		{Method: "GET", Pattern: "/providers", Name: "provider_list", Handler: pg.providerList},
		{Method: "GET", Pattern: "/providers.xlsx", Name: "provider_xlsx", Handler: pg.providerXLSX},
		{Method: "GET", Pattern: "/providers/new", Name: "provider_new", Handler: pg.providerNew},
		{Method: "POST", Pattern: "/providers", Name: "provider_create", Handler: pg.providerSave},
		{Method: "GET", Pattern: "/providers/import", Name: "provider_import_form", Handler: pg.providerImportForm},
		{Method: "POST", Pattern: "/providers/import", Name: "provider_import", Handler: pg.providerImport},
		{Method: "GET", Pattern: "/providers/{id}", Name: "provider_show", Handler: pg.providerShow},
		{Method: "GET", Pattern: "/providers/{id}/edit", Name: "provider_edit", Handler: pg.providerEdit},
		{Method: "POST", Pattern: "/providers/{id}", Name: "provider_update", Handler: pg.providerSave},

		{Method: "GET", Pattern: "/advisors", Name: "advisor_list", Handler: pg.advisorList},
		{Method: "GET", Pattern: "/advisors.xlsx", Name: "advisor_xlsx", Handler: pg.advisorXLSX},
		{Method: "GET", Pattern: "/advisors/new", Name: "advisor_new", Handler: pg.advisorNew},
		{Method: "POST", Pattern: "/advisors", Name: "advisor_create", Handler: pg.advisorSave},
		{Method: "GET", Pattern: "/advisors/import", Name: "advisor_import_form", Handler: pg.advisorImportForm},
		{Method: "POST", Pattern: "/advisors/import", Name: "advisor_import", Handler: pg.advisorImport},
		{Method: "GET", Pattern: "/advisors/{id}", Name: "advisor_show", Handler: pg.advisorShow},
		{Method: "GET", Pattern: "/advisors/{id}/edit", Name: "advisor_edit", Handler: pg.advisorEdit},
		{Method: "POST", Pattern: "/advisors/{id}", Name: "advisor_update", Handler: pg.advisorSave},
		{Method: "GET", Pattern: "/advisors/{id}/photo", Name: "advisor_photo", Handler: pg.advisorPhoto},
		{Method: "POST", Pattern: "/advisors/{id}/photo", Name: "advisor_photo_upload", Handler: pg.advisorPhotoUpload},

		{Method: "GET", Pattern: "/agreements", Name: "agreement_list", Handler: pg.agreementList},
		{Method: "GET", Pattern: "/agreements.xlsx", Name: "agreement_xlsx", Handler: pg.agreementXLSX},
		{Method: "GET", Pattern: "/agreements/new", Name: "agreement_new", Handler: pg.agreementNew},
		{Method: "POST", Pattern: "/agreements", Name: "agreement_create", Handler: pg.agreementSave},
		{Method: "GET", Pattern: "/agreements/{id}", Name: "agreement_show", Handler: pg.agreementShow},
		{Method: "GET", Pattern: "/agreements/{id}/edit", Name: "agreement_edit", Handler: pg.agreementEdit},
		{Method: "POST", Pattern: "/agreements/{id}", Name: "agreement_update", Handler: pg.agreementSave},
		{Method: "POST", Pattern: "/agreements/{id}/status", Name: "agreement_status", Handler: pg.agreementStatus},

		{Method: "GET", Pattern: "/settings", Name: "settings_form", Handler: pg.settingsForm},
		{Method: "POST", Pattern: "/settings", Name: "settings_save", Handler: pg.settingsSave},
	}
}

// The checks below only decide which buttons and forms a page shows; the
// service is the authority and refuses what is not allowed.

// regPager builds the pager of a list page.
func regPager[T any](r *http.Request, l List[T]) web.Pager {
	return web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}
}

// regExportMax bounds the rows one export gathers.
const regExportMax = 100_000

// regAll gathers every page of a list (for exports).
func regAll[T any](fetch func(p counsel.Page) (List[T], error)) ([]T, error) {
	var out []T
	for off := 0; off < regExportMax; {
		l, err := fetch(counsel.Page{Limit: 500, Offset: off})
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		off += len(l.Items)
		if len(l.Items) == 0 || off >= l.Total {
			break
		}
	}
	return out, nil
}
