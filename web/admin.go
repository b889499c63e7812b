package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
)

// adminRoutes lists the routes of this area of the site: accounts (admin and
// county bureaus), the audit log (admin and bureaus) and every user's own
// account page. The service decides who may do what; these handlers only show
// its answers.
func (h *Web) adminRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/users", Name: "users", Handler: h.users},
		{Method: "GET", Pattern: "/users/new", Name: "user_new", Handler: h.userNew},
		{Method: "POST", Pattern: "/users", Name: "user_create", Handler: h.userCreate},
		{Method: "POST", Pattern: "/users/{id}/disable", Name: "user_disable", Handler: h.userDisable(true)},
		{Method: "POST", Pattern: "/users/{id}/enable", Name: "user_enable", Handler: h.userDisable(false)},
		{Method: "POST", Pattern: "/users/{id}/password", Name: "user_password", Handler: h.userPassword},
		{Method: "GET", Pattern: "/audit", Name: "audit", Handler: h.audit},
		{Method: "GET", Pattern: "/audit.xlsx", Name: "audit_xlsx", Handler: h.auditXLSX},
		{Method: "GET", Pattern: "/account", Name: "account", Handler: h.account},
		{Method: "POST", Pattern: "/account/password", Name: "account_password", Handler: h.accountPassword},
		{Method: "POST", Pattern: "/account/tokens", Name: "account_token", Handler: h.accountToken},
	}
}

// ---- accounts -------------------------------------------------------------

// userRow is one account in the list, with its scope in words.
type userRow struct {
	counsel.User
	Scope  string
	Self   bool
	Manage bool // the viewer may disable it or reset its password
}

type usersView struct {
	Rows  []userRow
	Pager Pager
	Q     string
	Role  string
	Roles []string
	// Failed is the account a reset or status change failed for.
	Failed int64
	// Back is this list's address, for the forms of its rows to return to.
	Back      string
	MinLen    int
	CanCreate bool
}

// usersFilter reads the list's query parameters.
func usersFilter(r *http.Request) store.Filter {
	q := r.URL.Query()
	f := store.Filter{Q: strings.TrimSpace(q.Get("q")), Page: PageOf(r)}
	if role := q.Get("role"); adminHas(counsel.Roles, role) {
		f.Kind = role
	}
	return f
}

func adminHas(set []string, v string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

// loadUsers fills the list view.
func (h *Web) loadUsers(r *http.Request) (usersView, error) {
	f := usersFilter(r)
	l, err := h.svc.Users(r.Context(), ActorOf(r), f)
	if err != nil {
		return usersView{}, err
	}
	a := ActorOf(r)
	names := userScopeNames{h: h, r: r, lang: server.Lang(r.Context())}
	uv := usersView{Q: f.Q, Role: f.Kind, Roles: counsel.Roles, MinLen: counsel.MinPasswordLen, CanCreate: managesUsers(a),
		Pager: Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}}
	uv.Back = "/users"
	if q := strings.TrimPrefix(queryWith(r.URL.Query()), "?"); q != "" {
		uv.Back += "?" + q
	}
	for _, u := range l.Items {
		uv.Rows = append(uv.Rows, userRow{User: u, Scope: names.of(&u), Self: u.ID == a.UserID,
			Manage: u.ID != a.UserID && (a.Role == counsel.RoleAdmin || managesUsers(a) && u.Role != counsel.RoleAdmin && u.Role != counsel.RoleBureau)})
	}
	return uv, nil
}

// managesUsers reports whether the actor creates and changes accounts: the
// admin and county bureaus (city and province bureaus only read). The service
// decides each case; this only hides buttons that could not work.
func managesUsers(a *counsel.Actor) bool {
	return a.Role == counsel.RoleAdmin || a.Role == counsel.RoleBureau && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty
}

// userScopeNames describes accounts' scopes by name, caching look-ups.
type userScopeNames struct {
	h     *Web
	r     *http.Request
	lang  string
	cache map[string]string
}

func (s *userScopeNames) of(u *counsel.User) string {
	if s.cache == nil {
		s.cache = map[string]string{}
	}
	var key string
	switch {
	case u.RegionCode != "":
		key = "r" + u.RegionCode
	case u.ProviderID > 0:
		key = "p" + strconv.FormatInt(u.ProviderID, 10)
	case u.AdvisorID > 0:
		key = "a" + strconv.FormatInt(u.AdvisorID, 10)
	default:
		return i18n.T(s.lang, "users.scope_all")
	}
	if v, ok := s.cache[key]; ok {
		return v
	}
	ctx, a := s.r.Context(), ActorOf(s.r)
	v := key[1:]
	switch key[0] {
	case 'r':
		if reg, err := s.h.svc.Region(ctx, a, u.RegionCode); err == nil {
			v = reg.Name + " (" + reg.Code + ")"
		}
	case 'p':
		if p, err := s.h.svc.Provider(ctx, a, u.ProviderID); err == nil {
			v = p.Name
		}
	case 'a':
		if adv, err := s.h.svc.Advisor(ctx, a, u.AdvisorID); err == nil {
			v = adv.Name
			if adv.ProviderName != "" {
				v += " · " + adv.ProviderName
			}
		}
	}
	s.cache[key] = v
	return v
}

func (h *Web) users(w http.ResponseWriter, r *http.Request) {
	uv, err := h.loadUsers(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "users", h.View(r, "users", "users.title", uv))
}

// userFormView is the new-account form with its choices.
type userFormView struct {
	Roles     []string
	Providers []counsel.Provider
	Advisors  []counsel.Advisor
	Regions   []userRegionOption // choices for a county bureau; others type a code
	MinLen    int
}

// userRegionOption is one choice of a region select, indented by level.
type userRegionOption struct {
	Code, Name string
	Level      counsel.Level
}

// Indent marks villages under their town in the select.
func (o userRegionOption) Indent() bool { return o.Level == counsel.LevelVillage }

// userForm loads the choices of the account form.
func (h *Web) userForm(ctx context.Context, a *counsel.Actor) (userFormView, error) {
	fv := userFormView{MinLen: counsel.MinPasswordLen}
	for _, role := range counsel.Roles {
		if a.Role == counsel.RoleAdmin || role != counsel.RoleAdmin && role != counsel.RoleBureau {
			fv.Roles = append(fv.Roles, role)
		}
	}
	all := store.Filter{Page: counsel.Page{Limit: 500}}
	pl, err := h.svc.Providers(ctx, a, all)
	if err != nil {
		return fv, err
	}
	fv.Providers = pl.Items
	al, err := h.svc.Advisors(ctx, a, all)
	if err != nil {
		return fv, err
	}
	fv.Advisors = al.Items
	if a.Role == counsel.RoleBureau && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty {
		towns, err := h.svc.Children(ctx, a, a.RegionCode)
		if err != nil {
			return fv, err
		}
		for _, t := range towns {
			fv.Regions = append(fv.Regions, userRegionOption{Code: t.Code, Name: t.Name, Level: t.Level})
			vs, err := h.svc.Children(ctx, a, t.Code)
			if err != nil {
				return fv, err
			}
			for _, v := range vs {
				fv.Regions = append(fv.Regions, userRegionOption{Code: v.Code, Name: v.Name, Level: v.Level})
			}
		}
	}
	return fv, nil
}

func (h *Web) userNew(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	if !managesUsers(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	fv, err := h.userForm(r.Context(), a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "users", "users.new", fv)
	// The role select reloads the scope fields (htmx) with ?role=….
	v.Form = url.Values{"role": {r.URL.Query().Get("role")}, "lang": {"zh"}}
	h.Render(w, r, http.StatusOK, "user_form", v)
}

func (h *Web) userCreate(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	v := h.View(r, "users", "users.new", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.Fail(w, r, err)
		return
	}
	u := &counsel.User{
		Username:    r.PostFormValue("username"),
		DisplayName: r.PostFormValue("display_name"),
		Role:        r.PostFormValue("role"),
		Phone:       r.PostFormValue("phone"),
		Lang:        r.PostFormValue("lang"),
	}
	// Only the field that fits the role is kept, so a stale choice of another
	// field cannot widen the account's scope.
	switch u.Role {
	case counsel.RoleBureau, counsel.RoleJudicial, counsel.RoleVillage:
		u.RegionCode = strings.TrimSpace(r.PostFormValue("region_code"))
	case counsel.RoleProvider:
		u.ProviderID = FormID(r, "provider_id")
	case counsel.RoleAdvisor:
		u.AdvisorID = FormID(r, "advisor_id")
	}
	err := h.svc.CreateUser(r.Context(), a, u, r.PostFormValue("password"))
	if err == nil {
		Redirect(w, r, "/users?q="+url.QueryEscape(u.Username), "created")
		return
	}
	status := h.FormFail(r, v, err)
	v.Form.Del("password")
	fv, ferr := h.userForm(r.Context(), a)
	if ferr != nil {
		h.Fail(w, r, ferr)
		return
	}
	v.Data = fv
	h.Render(w, r, status, "user_form", v)
}

// userDisable enables or disables an account.
func (h *Web) userDisable(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := PathID(r)
		if err == nil {
			err = ParseForm(r, 1<<16)
		}
		if err == nil {
			err = h.svc.SetUserDisabled(r.Context(), ActorOf(r), id, disabled)
		}
		if err != nil {
			h.userListFail(w, r, id, err)
			return
		}
		Redirect(w, r, adminBackTo(r, "/users"), "saved")
	}
}

func (h *Web) userPassword(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err == nil {
		err = ParseForm(r, 1<<16)
	}
	if err == nil {
		err = h.svc.ResetPassword(r.Context(), ActorOf(r), id, r.PostFormValue("password"))
	}
	if err != nil {
		h.userListFail(w, r, id, err)
		return
	}
	Redirect(w, r, adminBackTo(r, "/users"), "password_reset")
}

// userListFail shows the account list again with the error of an action on
// account id (its row opens the failed form).
func (h *Web) userListFail(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if code := counsel.ErrorCode(err); code == counsel.CodeNotFound || code == counsel.CodeInternal {
		h.Fail(w, r, err)
		return
	}
	v := h.View(r, "users", "users.title", nil)
	status := h.FormFail(r, v, err)
	v.Form.Del("password")
	// List the page the user came from.
	if back, perr := url.Parse(adminBackTo(r, "/users")); perr == nil {
		r.URL.RawQuery = back.RawQuery
	}
	uv, lerr := h.loadUsers(r)
	if lerr != nil {
		h.Fail(w, r, lerr)
		return
	}
	uv.Failed = id
	v.Data = uv
	h.Render(w, r, status, "users", v)
}

// adminBackTo returns the form's "back" field when it is a local path under
// prefix, else prefix.
func adminBackTo(r *http.Request, prefix string) string {
	b := r.PostFormValue("back")
	if b == prefix || strings.HasPrefix(b, prefix+"?") {
		return b
	}
	return prefix
}

// ---- audit log --------------------------------------------------------------

// auditEntities and auditActions are the filter choices.
var (
	auditEntities = []string{"user", "api_token", "provider", "advisor", "agreement", "person", "pairing", "activity", "region", "settings", "entry", "policy"}
	auditActions  = []string{"create", "update", "status", "import", "password", "login", "login_failed", "login_locked", "logout"}
)

// auditRow is an audit entry with its JSON indented for reading.
type auditRow struct {
	counsel.AuditEntry
	ActionText, EntityText string
	BeforeText, AfterText  string
}

func prettyJSON(s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

type auditView struct {
	Items    []auditRow
	Pager    Pager
	Entity   string
	Action   string
	Q        string
	Entities []string
	Actions  []string
	Export   string // the export link with the current filters
}

func auditFilter(r *http.Request) store.Filter {
	q := r.URL.Query()
	f := store.Filter{Q: strings.TrimSpace(q.Get("q")), Page: PageOf(r)}
	if e := q.Get("entity"); adminHas(auditEntities, e) {
		f.Kind = e
	}
	if act := q.Get("action"); adminHas(auditActions, act) {
		f.Status = act
	}
	return f
}

func (h *Web) audit(w http.ResponseWriter, r *http.Request) {
	lang := server.Lang(r.Context())
	f := auditFilter(r)
	l, err := h.svc.Audit(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	exp := url.Values{}
	for k, v := range map[string]string{"entity": f.Kind, "action": f.Status, "q": f.Q} {
		if v != "" {
			exp.Set(k, v)
		}
	}
	av := auditView{Entity: f.Kind, Action: f.Status, Q: f.Q, Entities: auditEntities, Actions: auditActions,
		Pager:  Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()},
		Export: "/audit.xlsx"}
	for _, e := range l.Items {
		av.Items = append(av.Items, auditRow{AuditEntry: e, ActionText: auditLabel(lang, "audit.action.", e.Action), EntityText: auditLabel(lang, "audit.entity.", e.Entity), BeforeText: prettyJSON(e.Before), AfterText: prettyJSON(e.After)})
	}
	if len(exp) > 0 {
		av.Export += "?" + exp.Encode()
	}
	h.Render(w, r, http.StatusOK, "audit", h.View(r, "audit", "audit.title", av))
}

// auditExportMax caps the rows of one export.
const auditExportMax = 50000

func (h *Web) auditXLSX(w http.ResponseWriter, r *http.Request) {
	lang := server.Lang(r.Context())
	f := auditFilter(r)
	f.Page = counsel.Page{Limit: 500}
	var rows [][]any
	for len(rows) < auditExportMax {
		l, err := h.svc.Audit(r.Context(), ActorOf(r), f)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		for _, e := range l.Items {
			rows = append(rows, []any{auditTime(e.At), e.Username, auditLabel(lang, "audit.action.", e.Action), auditLabel(lang, "audit.entity.", e.Entity),
				e.EntityID, e.IP, e.Scope, e.Before, e.After})
		}
		if len(l.Items) < f.Limit || f.Offset+len(l.Items) >= l.Total {
			break
		}
		f.Offset += len(l.Items)
	}
	headers := []string{}
	for _, k := range []string{"audit.col.time", "audit.col.user", "audit.col.action", "audit.col.entity", "audit.col.id", "audit.col.ip", "audit.col.scope", "audit.col.before", "audit.col.after"} {
		headers = append(headers, i18n.T(lang, k))
	}
	var buf bytes.Buffer
	title := i18n.T(lang, "audit.title")
	if err := xlsx.WriteTable(&buf, title, title, headers, rows); err != nil {
		h.Fail(w, r, err)
		return
	}
	day := h.svc.Today()
	adminDownloadHeaders(w, i18n.T(lang, "audit.file")+"-"+day+".xlsx", "audit-"+day+".xlsx")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// adminDownloadHeaders sets the headers of an xlsx download with a UTF-8 file name and
// an ASCII fallback.
func adminDownloadHeaders(w http.ResponseWriter, name, ascii string) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Cache-Control", "no-store")
}

func auditTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(shanghai).Format("2006-01-02 15:04:05")
}

// auditLabel translates an action or entity name when the catalog knows it.
func auditLabel(lang, prefix, v string) string {
	if i18n.Has(prefix + v) {
		return i18n.T(lang, prefix+v)
	}
	return v
}

// ---- own account ----------------------------------------------------------

type accountView struct {
	Scope  string
	MinLen int
	Token  string // a new API token, shown once
	Name   string // its name
}

func (h *Web) accountData(r *http.Request) accountView {
	u := server.User(r.Context())
	names := userScopeNames{h: h, r: r, lang: server.Lang(r.Context())}
	return accountView{Scope: names.of(u), MinLen: counsel.MinPasswordLen}
}

func (h *Web) account(w http.ResponseWriter, r *http.Request) {
	h.Render(w, r, http.StatusOK, "account", h.View(r, "account", "account.title", h.accountData(r)))
}

var errPasswordMismatch = counsel.Invalid(counsel.FieldError{Field: "confirm", Key: "account.err.mismatch"})

func (h *Web) accountPassword(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "account", "account.title", h.accountData(r))
	err := ParseForm(r, 1<<16)
	if err == nil && r.PostFormValue("password") != r.PostFormValue("confirm") {
		err = errPasswordMismatch
	}
	if err == nil {
		err = h.svc.ChangePassword(r.Context(), ActorOf(r), r.PostFormValue("old_password"), r.PostFormValue("password"))
	}
	if err != nil {
		status := h.FormFail(r, v, err)
		for _, f := range []string{"old_password", "password", "confirm"} {
			v.Form.Del(f)
		}
		v.Form.Set("form", "password")
		h.Render(w, r, status, "account", v)
		return
	}
	// Changing the password ended every session, this one too.
	http.SetCookie(w, &http.Cookie{Name: server.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	Redirect(w, r, "/login", "password_changed")
}

func (h *Web) accountToken(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "account", "account.title", nil)
	ad := h.accountData(r)
	err := ParseForm(r, 1<<16)
	var tok string
	if err == nil {
		tok, err = h.svc.CreateAPIToken(r.Context(), ActorOf(r), r.PostFormValue("name"))
	}
	if err != nil {
		v.Data = ad
		status := h.FormFail(r, v, err)
		v.Form.Set("form", "token")
		h.Render(w, r, status, "account", v)
		return
	}
	// The token is shown once, on this very response; it is never stored in
	// clear, so no redirect.
	ad.Token, ad.Name = tok, strings.TrimSpace(r.PostFormValue("name"))
	v.Data = ad
	v.Flash = "flash.created"
	h.Render(w, r, http.StatusOK, "account", v)
}
