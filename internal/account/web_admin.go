package account

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// routes lists the pages of the account area: sign-in and out, the
// language switch, the home page, accounts (admin and county bureaus), the
// audit log (admin and bureaus) and every user's own account page. The service decides who may do what; these handlers only show
// its answers.
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/login", Name: "login_form", Public: true, Handler: p.loginForm},
		{Method: "POST", Pattern: "/login", Name: "login", Public: true, Handler: p.login},
		{Method: "POST", Pattern: "/logout", Name: "logout", Handler: p.logout},
		{Method: "POST", Pattern: "/lang", Name: "lang", Public: true, Handler: p.setLang},
		{Method: "GET", Pattern: "/{$}", Name: "home", Handler: p.home},
		{Method: "GET", Pattern: "/users", Name: "users", Handler: p.users},
		{Method: "GET", Pattern: "/users/new", Name: "user_new", Handler: p.userNew},
		{Method: "POST", Pattern: "/users", Name: "user_create", Handler: p.userCreate},
		{Method: "POST", Pattern: "/users/{id}/disable", Name: "user_disable", Handler: p.userDisable(true)},
		{Method: "POST", Pattern: "/users/{id}/enable", Name: "user_enable", Handler: p.userDisable(false)},
		{Method: "POST", Pattern: "/users/{id}/password", Name: "user_password", Handler: p.userPassword},
		{Method: "GET", Pattern: "/audit", Name: "audit", Handler: p.audit},
		{Method: "GET", Pattern: "/audit.xlsx", Name: "audit_xlsx", Handler: p.auditXLSX},
		{Method: "GET", Pattern: "/account", Name: "account", Handler: p.account},
		{Method: "POST", Pattern: "/account/password", Name: "account_password", Handler: p.accountPassword},
		{Method: "POST", Pattern: "/account/tokens", Name: "account_token", Handler: p.accountToken},
		{Method: "POST", Pattern: "/account/tokens/{id}/revoke", Name: "account_token_revoke", Handler: p.accountTokenRevoke},
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
	Pager web.Pager
	Q     string
	Role  string
	Roles []string
	// Failed is the account a reset or status change failed for.
	Failed int64
	// Back is this list's address, for the forms of its rows to return to.
	Back      string
	MinLen    int
	Classes   int // the password policy's classes
	CanCreate bool
}

// usersFilter reads the list's query parameters.
func usersFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: web.PageOf(r)}
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
func (p *pages) loadUsers(r *http.Request) (usersView, error) {
	f := usersFilter(r)
	l, err := p.svc.Users(r.Context(), web.ActorOf(r), f)
	if err != nil {
		return usersView{}, err
	}
	a := web.ActorOf(r)
	names := userScopeNames{p: p, r: r, lang: server.Lang(r.Context())}
	uv := usersView{Q: f.Q, Role: f.Kind, Roles: counsel.Roles, MinLen: p.policy(r).PasswordMinLen, Classes: p.policy(r).PasswordMinClasses, CanCreate: managesUsers(a),
		Pager: web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}}
	uv.Back = "/users"
	back := r.URL.Query()
	back.Del("ok")
	if q := back.Encode(); q != "" {
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
	p     *pages
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
	ctx, a := s.r.Context(), web.ActorOf(s.r)
	v := key[1:]
	switch key[0] {
	case 'r':
		if reg, err := s.p.core.Region(ctx, a, u.RegionCode); err == nil {
			v = reg.Name + " (" + reg.Code + ")"
		}
	case 'p':
		if p, err := s.p.core.Provider(ctx, a, u.ProviderID); err == nil {
			v = p.Name
		}
	case 'a':
		if adv, err := s.p.core.Advisor(ctx, a, u.AdvisorID); err == nil {
			v = adv.Name
			if adv.ProviderName != "" {
				v += " · " + adv.ProviderName
			}
		}
	}
	s.cache[key] = v
	return v
}

func (p *pages) users(w http.ResponseWriter, r *http.Request) {
	uv, err := p.loadUsers(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.Render(w, r, http.StatusOK, "users", p.h.View(r, "users", "users.title", uv))
}

// userFormView is the new-account form with its choices.
type userFormView struct {
	Roles     []string
	Providers []counsel.Provider
	Advisors  []counsel.Advisor
	Regions   []userRegionOption // choices for a county bureau; others type a code
	MinLen    int
	Classes   int // the password policy's classes
}

// userRegionOption is one choice of a region select, indented by level.
type userRegionOption struct {
	Code, Name string
	Level      counsel.Level
}

// Indent marks villages under their town in the select.
func (o userRegionOption) Indent() bool { return o.Level == counsel.LevelVillage }

// userForm loads the choices of the account form.
func (p *pages) userForm(ctx context.Context, a *counsel.Actor) (userFormView, error) {
	pol, _ := p.svc.SecurityPolicy(ctx)
	fv := userFormView{MinLen: pol.PasswordMinLen, Classes: pol.PasswordMinClasses}
	for _, role := range counsel.Roles {
		if a.Role == counsel.RoleAdmin || role != counsel.RoleAdmin && role != counsel.RoleBureau {
			fv.Roles = append(fv.Roles, role)
		}
	}
	all := counsel.Filter{Page: counsel.Page{Limit: 500}}
	pl, err := p.core.Providers(ctx, a, all)
	if err != nil {
		return fv, err
	}
	fv.Providers = pl.Items
	al, err := p.core.Advisors(ctx, a, all)
	if err != nil {
		return fv, err
	}
	fv.Advisors = al.Items
	if a.Role == counsel.RoleBureau && counsel.LevelOf(a.RegionCode) == counsel.LevelCounty {
		towns, err := p.core.Children(ctx, a, a.RegionCode)
		if err != nil {
			return fv, err
		}
		for _, t := range towns {
			fv.Regions = append(fv.Regions, userRegionOption{Code: t.Code, Name: t.Name, Level: t.Level})
			vs, err := p.core.Children(ctx, a, t.Code)
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

func (p *pages) userNew(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if !managesUsers(a) {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	fv, err := p.userForm(r.Context(), a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "users", "users.new", fv)
	// The role select reloads the scope fields (htmx) with ?role=….
	v.Form = url.Values{"role": {r.URL.Query().Get("role")}, "lang": {"zh"}}
	p.h.Render(w, r, http.StatusOK, "user_form", v)
}

func (p *pages) userCreate(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	v := p.h.View(r, "users", "users.new", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
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
		u.ProviderID = web.FormID(r, "provider_id")
	case counsel.RoleAdvisor:
		u.AdvisorID = web.FormID(r, "advisor_id")
	}
	err := p.svc.CreateUser(r.Context(), a, u, r.PostFormValue("password"))
	if err == nil {
		web.Redirect(w, r, "/users?q="+url.QueryEscape(u.Username), "created")
		return
	}
	status := p.h.FormFail(r, v, err)
	v.Form.Del("password")
	fv, ferr := p.userForm(r.Context(), a)
	if ferr != nil {
		p.h.Fail(w, r, ferr)
		return
	}
	v.Data = fv
	p.h.Render(w, r, status, "user_form", v)
}

// userDisable enables or disables an account.
func (p *pages) userDisable(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := web.PathID(r)
		if err == nil {
			err = web.ParseForm(r, 1<<16)
		}
		if err == nil {
			err = p.svc.SetUserDisabled(r.Context(), web.ActorOf(r), id, disabled)
		}
		if err != nil {
			p.userListFail(w, r, id, err)
			return
		}
		web.Redirect(w, r, adminBackTo(r, "/users"), "saved")
	}
}

func (p *pages) userPassword(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err == nil {
		err = web.ParseForm(r, 1<<16)
	}
	if err == nil {
		err = p.svc.ResetPassword(r.Context(), web.ActorOf(r), id, r.PostFormValue("password"))
	}
	if err != nil {
		p.userListFail(w, r, id, err)
		return
	}
	web.Redirect(w, r, adminBackTo(r, "/users"), "password_reset")
}

// userListFail shows the account list again with the error of an action on
// account id (its row opens the failed form).
func (p *pages) userListFail(w http.ResponseWriter, r *http.Request, id int64, err error) {
	if code := counsel.ErrorCode(err); code == counsel.CodeNotFound || code == counsel.CodeInternal {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "users", "users.title", nil)
	status := p.h.FormFail(r, v, err)
	v.Form.Del("password")
	// List the page the user came from.
	if back, perr := url.Parse(adminBackTo(r, "/users")); perr == nil {
		r.URL.RawQuery = back.RawQuery
	}
	uv, lerr := p.loadUsers(r)
	if lerr != nil {
		p.h.Fail(w, r, lerr)
		return
	}
	uv.Failed = id
	v.Data = uv
	p.h.Render(w, r, status, "users", v)
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

// ---- own account ----------------------------------------------------------

type accountView struct {
	Scope   string
	MinLen  int
	Classes int    // the password policy's classes
	Token   string // a new API token, shown once
	Name    string // its name
	Tokens  []APIToken
	Days    []int // the lifetimes offered
	// DefaultDays is the lifetime chosen unless the user picks another.
	DefaultDays int
}

func (p *pages) accountData(r *http.Request) accountView {
	u := server.User(r.Context())
	names := userScopeNames{p: p, r: r, lang: server.Lang(r.Context())}
	toks, _ := p.svc.APITokens(r.Context(), web.ActorOf(r))
	return accountView{Scope: names.of(u), MinLen: p.policy(r).PasswordMinLen, Classes: p.policy(r).PasswordMinClasses, Tokens: toks, Days: TokenDays, DefaultDays: TokenDaysDefault}
}

func (p *pages) account(w http.ResponseWriter, r *http.Request) {
	p.h.Render(w, r, http.StatusOK, "account", p.h.View(r, "account", "account.title", p.accountData(r)))
}

var errPasswordMismatch = counsel.Invalid(counsel.FieldError{Field: "confirm", Key: "account.err.mismatch"})

func (p *pages) accountPassword(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "account", "account.title", p.accountData(r))
	err := web.ParseForm(r, 1<<16)
	if err == nil && r.PostFormValue("password") != r.PostFormValue("confirm") {
		err = errPasswordMismatch
	}
	if err == nil {
		err = p.svc.ChangePassword(r.Context(), web.ActorOf(r), r.PostFormValue("old_password"), r.PostFormValue("password"))
	}
	if err != nil {
		status := p.h.FormFail(r, v, err)
		for _, f := range []string{"old_password", "password", "confirm"} {
			v.Form.Del(f)
		}
		v.Form.Set("form", "password")
		p.h.Render(w, r, status, "account", v)
		return
	}
	// Changing the password ended every session, this one too.
	p.h.Server().SetSessionCookie(w, r, "", -1)
	web.Redirect(w, r, "/login", "password_changed")
}

func (p *pages) accountToken(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "account", "account.title", nil)
	ad := p.accountData(r)
	err := web.ParseForm(r, 1<<16)
	var tok string
	if err == nil {
		days, _ := strconv.Atoi(r.PostFormValue("days"))
		tok, err = p.svc.CreateAPIToken(r.Context(), web.ActorOf(r), r.PostFormValue("name"), days)
	}
	if err != nil {
		v.Data = ad
		status := p.h.FormFail(r, v, err)
		v.Form.Set("form", "token")
		p.h.Render(w, r, status, "account", v)
		return
	}
	// The token is shown once, on this very response; it is never stored in
	// clear, so no redirect.
	ad = p.accountData(r)
	ad.Token, ad.Name = tok, strings.TrimSpace(r.PostFormValue("name"))
	v.Data = ad
	v.Flash = "flash.created"
	p.h.Render(w, r, http.StatusOK, "account", v)
}

func (p *pages) accountTokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err == nil {
		err = web.ParseForm(r, 1<<12)
	}
	if err == nil {
		err = p.svc.RevokeAPIToken(r.Context(), web.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/account", "token_revoked")
}

// policy is the security policy in force (the defaults if it cannot be read).
func (p *pages) policy(r *http.Request) SecurityPolicy {
	pol, err := p.svc.SecurityPolicy(r.Context())
	if err != nil {
		return DefaultSecurityPolicy()
	}
	return pol
}
