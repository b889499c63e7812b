package registry

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/web"
)

// settingsView is the settings page of a county.
type settingsView struct {
	Region    *counsel.Region
	Code      string
	CanEdit   bool
	AskRegion bool // the administrator picks a county first
	Settings  counsel.Settings
}

// settingsRegion returns the county whose settings the page shows.
func settingsRegion(r *http.Request, a *counsel.Actor, form bool) string {
	if authz.CountyBureau(a) {
		return a.RegionCode
	}
	if a.Role == counsel.RoleAdmin {
		if form {
			return strings.TrimSpace(r.PostFormValue("region"))
		}
		return strings.TrimSpace(r.URL.Query().Get("region"))
	}
	return ""
}

func (pg *pages) settingsForm(w http.ResponseWriter, r *http.Request) {
	v := pg.h.View(r, "settings", "reg.settings_title", nil)
	pg.settingsPage(w, r, v, settingsRegion(r, web.ActorOf(r), false), http.StatusOK)
}

func (pg *pages) settingsPage(w http.ResponseWriter, r *http.Request, v *web.View, code string, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	sv := &settingsView{Code: code, CanEdit: authz.CanManageRegistry(a)}
	v.Data = sv
	if a.Role == counsel.RoleAdmin && counsel.LevelOf(code) != counsel.LevelCounty {
		sv.AskRegion, sv.CanEdit = true, false
		if code != "" && v.FormError == "" {
			v.FormError = i18n.T(v.Lang, "err.county_code")
		}
		pg.h.Render(w, r, status, "settings", v)
		return
	}
	set, err := pg.svc.Settings(ctx, a, code)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	sv.Settings = set
	if code == "" {
		code, _ = pg.svc.HomeRegion(ctx, a)
		code = counsel.AncestorAt(code, counsel.LevelCounty)
	}
	if code != "" {
		sv.Region, _ = pg.svc.Region(ctx, a, code)
	}
	if v.Form == nil {
		v.Form = map[string][]string{
			"load_limit":       {strconv.Itoa(set.LoadLimit)},
			"filing_month_day": {set.FilingMonthDay},
			"pairing_min":      {strconv.Itoa(set.PairingMin)},
			"pairing_deadline": {set.PairingDeadline},
			"default_subsidy":  {counsel.FormatYuan(set.DefaultSubsidyFn)},
		}
	}
	pg.h.Render(w, r, status, "settings", v)
}

func (pg *pages) settingsSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	v := pg.h.View(r, "settings", "reg.settings_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		pg.settingsPage(w, r, v, "", pg.h.FormFail(r, v, err))
		return
	}
	code := settingsRegion(r, a, true)
	var f counsel.Fields
	num := func(field string, lo, hi int) int {
		n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(field)))
		if err != nil {
			f.Add(field, "err.range", lo, hi)
		}
		return n
	}
	set := counsel.Settings{
		LoadLimit:       num("load_limit", 1, 100),
		FilingMonthDay:  strings.TrimSpace(r.PostFormValue("filing_month_day")),
		PairingMin:      num("pairing_min", 0, 50),
		PairingDeadline: strings.TrimSpace(r.PostFormValue("pairing_deadline")),
	}
	fen, ok := counsel.ParseYuan(r.PostFormValue("default_subsidy"))
	if !ok {
		f.Add("default_subsidy", "err.amount")
	}
	set.DefaultSubsidyFn = fen
	err := f.Err()
	if err == nil {
		if code == "" {
			// Not a county bureau nor the administrator: let the service refuse.
			code, _ = pg.svc.HomeRegion(ctx, a)
		}
		err = pg.svc.SaveSettings(ctx, a, code, set)
	}
	if err != nil {
		status := pg.h.FormFail(r, v, err)
		if m, ok := v.Errors["default_subsidy_fen"]; ok {
			v.Errors["default_subsidy"] = m
		}
		pg.settingsPage(w, r, v, code, status)
		return
	}
	to := "/settings"
	if a.Role == counsel.RoleAdmin {
		to += "?region=" + code
	}
	web.Redirect(w, r, to, "saved")
}
