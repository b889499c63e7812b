package web

import (
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

type loginView struct {
	Next string
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (h *Web) loginForm(w http.ResponseWriter, r *http.Request) {
	if server.User(r.Context()) != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	h.Render(w, r, http.StatusOK, "login", h.View(r, "login", "login.title", loginView{Next: safeNext(r.URL.Query().Get("next"))}))
}

func (h *Web) login(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "login", "login.title", loginView{})
	if err := ParseForm(r, 1<<20); err != nil {
		h.Render(w, r, h.FormFail(r, v, err), "login", v)
		return
	}
	v.Data = loginView{Next: safeNext(r.PostFormValue("next"))}
	if !h.srv.AllowLogin(r) {
		h.Render(w, r, h.FormFail(r, v, counsel.Errorf(counsel.CodeUnauthorized, "err.rate")), "login", v)
		return
	}
	res, err := h.svc.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"), server.ClientIP(r))
	if err != nil {
		status := h.FormFail(r, v, err)
		v.Form.Del("password")
		h.Render(w, r, status, "login", v)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: server.SessionCookie, Value: res.Token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil || h.srv.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(h.svc.Cfg.SessionAbsolute.Seconds())})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (h *Web) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(server.SessionCookie); err == nil {
		if err := h.svc.Logout(r.Context(), ActorOf(r), c.Value); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: server.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setLang switches the language: stored on the account when signed in, in a
// cookie either way.
func (h *Web) setLang(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(r, 1<<16); err != nil {
		h.Fail(w, r, err)
		return
	}
	lang := i18n.Lang(r.PostFormValue("lang"))
	if a := ActorOf(r); a != nil {
		if want := server.CSRF(r.Context()); !server.CSRFOK(r, want) {
			h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.csrf"))
			return
		}
		if err := h.svc.SetLang(r.Context(), a, lang); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: server.LangCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

type homeView struct {
	Counts   *service.Counts
	Coverage []store.CoverageRow
	Rate     float64
	Home     *counsel.Region
}

func (h *Web) home(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	counts, cov, err := h.svc.Overview(r.Context(), a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	hv := homeView{Counts: counts, Coverage: cov}
	if counts.Villages > 0 {
		hv.Rate = float64(counts.Covered) / float64(counts.Villages)
	}
	if code, err := h.svc.HomeRegion(r.Context(), a); err == nil && code != "" {
		hv.Home, _ = h.svc.Region(r.Context(), a, code)
	}
	h.Render(w, r, http.StatusOK, "home", h.View(r, "home", "home.title", hv))
}
