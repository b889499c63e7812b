package web

import (
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// registryRoutes lists the routes of this area of the site: regions and
// coverage, providers, advisors, agreements and a county's settings. Every
// list works for every role (the service scopes it); write buttons are
// hidden from roles that cannot write, and the service refuses them anyway.
func (h *Web) registryRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/regions", Name: "region_list", Handler: h.regionList},
		{Method: "GET", Pattern: "/regions/{code}", Name: "region_show", Handler: h.regionShow},
		{Method: "POST", Pattern: "/regions/{code}/flags", Name: "region_flags", Handler: h.regionFlags},
		{Method: "GET", Pattern: "/coverage", Name: "coverage", Handler: h.coverage},
		{Method: "GET", Pattern: "/coverage.xlsx", Name: "coverage_xlsx", Handler: h.coverageXLSX},

		{Method: "GET", Pattern: "/providers", Name: "provider_list", Handler: h.providerList},
		{Method: "GET", Pattern: "/providers.xlsx", Name: "provider_xlsx", Handler: h.providerXLSX},
		{Method: "GET", Pattern: "/providers/new", Name: "provider_new", Handler: h.providerNew},
		{Method: "POST", Pattern: "/providers", Name: "provider_create", Handler: h.providerSave},
		{Method: "GET", Pattern: "/providers/import", Name: "provider_import_form", Handler: h.providerImportForm},
		{Method: "POST", Pattern: "/providers/import", Name: "provider_import", Handler: h.providerImport},
		{Method: "GET", Pattern: "/providers/{id}", Name: "provider_show", Handler: h.providerShow},
		{Method: "GET", Pattern: "/providers/{id}/edit", Name: "provider_edit", Handler: h.providerEdit},
		{Method: "POST", Pattern: "/providers/{id}", Name: "provider_update", Handler: h.providerSave},

		{Method: "GET", Pattern: "/advisors", Name: "advisor_list", Handler: h.advisorList},
		{Method: "GET", Pattern: "/advisors.xlsx", Name: "advisor_xlsx", Handler: h.advisorXLSX},
		{Method: "GET", Pattern: "/advisors/new", Name: "advisor_new", Handler: h.advisorNew},
		{Method: "POST", Pattern: "/advisors", Name: "advisor_create", Handler: h.advisorSave},
		{Method: "GET", Pattern: "/advisors/import", Name: "advisor_import_form", Handler: h.advisorImportForm},
		{Method: "POST", Pattern: "/advisors/import", Name: "advisor_import", Handler: h.advisorImport},
		{Method: "GET", Pattern: "/advisors/{id}", Name: "advisor_show", Handler: h.advisorShow},
		{Method: "GET", Pattern: "/advisors/{id}/edit", Name: "advisor_edit", Handler: h.advisorEdit},
		{Method: "POST", Pattern: "/advisors/{id}", Name: "advisor_update", Handler: h.advisorSave},
		{Method: "GET", Pattern: "/advisors/{id}/photo", Name: "advisor_photo", Handler: h.advisorPhoto},
		{Method: "POST", Pattern: "/advisors/{id}/photo", Name: "advisor_photo_upload", Handler: h.advisorPhotoUpload},

		{Method: "GET", Pattern: "/agreements", Name: "agreement_list", Handler: h.agreementList},
		{Method: "GET", Pattern: "/agreements.xlsx", Name: "agreement_xlsx", Handler: h.agreementXLSX},
		{Method: "GET", Pattern: "/agreements/new", Name: "agreement_new", Handler: h.agreementNew},
		{Method: "POST", Pattern: "/agreements", Name: "agreement_create", Handler: h.agreementSave},
		{Method: "GET", Pattern: "/agreements/{id}", Name: "agreement_show", Handler: h.agreementShow},
		{Method: "GET", Pattern: "/agreements/{id}/edit", Name: "agreement_edit", Handler: h.agreementEdit},
		{Method: "POST", Pattern: "/agreements/{id}", Name: "agreement_update", Handler: h.agreementSave},
		{Method: "POST", Pattern: "/agreements/{id}/status", Name: "agreement_status", Handler: h.agreementStatus},

		{Method: "GET", Pattern: "/settings", Name: "settings_form", Handler: h.settingsForm},
		{Method: "POST", Pattern: "/settings", Name: "settings_save", Handler: h.settingsSave},
	}
}

// The checks below only decide which buttons and forms a page shows; the
// service is the authority and refuses what is not allowed.

// regPager builds the pager of a list page.
func regPager[T any](r *http.Request, l registry.List[T]) Pager {
	return Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}
}

// regExportMax bounds the rows one export gathers.
const regExportMax = 100_000

// regAll gathers every page of a list (for exports).
func regAll[T any](fetch func(p counsel.Page) (registry.List[T], error)) ([]T, error) {
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
