package account

import (
	"net/http"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the account area's page handlers.
type pages struct {
	h    *web.Web
	svc  *Service
	core *registry.Service // the layered service: regions, registry lists, clock
}

type loginView struct {
	Next string
}

func (p *pages) loginForm(w http.ResponseWriter, r *http.Request) {
	if server.User(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	p.h.Render(w, r, http.StatusOK, "login", p.h.View(r, "login", "login.title", loginView{Next: web.SafeNext(r.URL.Query().Get("next"))}))
}

func (p *pages) login(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "login", "login.title", loginView{})
	if err := web.ParseForm(r, 1<<20); err != nil {
		p.h.Server().Record(r, nil, "login_failed", "user", map[string]any{"reason": "bad_input"})
		p.h.Render(w, r, p.h.FormFail(r, v, err), "login", v)
		return
	}
	v.Data = loginView{Next: web.SafeNext(r.PostFormValue("next"))}
	if !p.h.Server().AllowLogin(r) {
		p.h.Server().Record(r, nil, "rate_limited", "user", map[string]any{"limit": "login_per_address"})
		p.h.Render(w, r, p.h.FormFail(r, v, counsel.Errorf(counsel.CodeUnauthorized, "err.rate")), "login", v)
		return
	}
	res, err := p.svc.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), server.ClientIP(r))
	if err != nil {
		status := p.h.FormFail(r, v, err)
		v.Form.Del("password")
		p.h.Render(w, r, status, "login", v)
		return
	}
	p.h.Server().SetSessionCookie(w, r, res.Token, int(p.core.Cfg.SessionAbsolute.Seconds()))
	if res.PasswordExpired {
		// A staff password past its rotation, or reset by someone else: to
		// the change form first.
		web.Redirect(w, r, "/account", "password_expired")
		return
	}
	http.Redirect(w, r, web.SafeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (p *pages) logout(w http.ResponseWriter, r *http.Request) {
	if tok := p.h.Server().SessionToken(r); tok != "" {
		if err := p.svc.Logout(r.Context(), web.ActorOf(r), tok); err != nil {
			p.h.Fail(w, r, err)
			return
		}
	}
	p.h.Server().SetSessionCookie(w, r, "", -1)
	// The browser drops what it kept for this site (ledger drafts in
	// localStorage, cached pages); session.js clears the drafts too, for
	// browsers that ignore the header.
	w.Header().Set("Clear-Site-Data", `"cache", "storage"`)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang switches the language: stored on the account when signed in, in a
// cookie either way.
func (p *pages) setLang(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := i18n.Lang(r.PostFormValue("lang"))
	if a := web.ActorOf(r); a != nil {
		if want := server.CSRF(r.Context()); !server.CSRFOK(r, want) {
			p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.csrf"))
			return
		}
		if err := p.svc.SetLang(r.Context(), a, lang); err != nil {
			p.h.Fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: server.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: p.h.Server().HTTPS(r)})
	http.Redirect(w, r, web.SafeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

type homeView struct {
	Counts   *Counts
	Coverage []registry.CoverageRow
	Rate     float64
	Home     *counsel.Region
	Tasks    []web.Task
}

func (p *pages) home(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	counts, cov, err := p.svc.Overview(r.Context(), a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	hv := homeView{Counts: counts, Coverage: cov}
	if counts.Villages > 0 {
		hv.Rate = float64(counts.Covered) / float64(counts.Villages)
	}
	if code, err := p.core.HomeRegion(r.Context(), a); err == nil && code != "" {
		hv.Home, _ = p.core.Region(r.Context(), a, code)
	}
	if hv.Tasks, err = p.h.Tasks(r.Context(), a); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if a.Role == counsel.RoleVillage {
		hv.Coverage = nil // a village sees its own page, not the towns'
	}
	p.h.Render(w, r, http.StatusOK, "home", p.h.View(r, "home", "home.title", hv))
}
