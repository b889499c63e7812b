// Package setup is the first start without the demo: the database has no
// account, so the program prints a one-time link (valid for a short time and
// only from the machine itself) on which the first administrator is made.
// Once any account exists the page is gone.
package setup

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"io/fs"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	counsel "github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/jobs"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed messages.json
var messages []byte

func init() { i18n.Register("internal/setup/messages.json", messages) }

// TTL is how long a setup link is valid.
const TTL = 30 * time.Minute

// Feature holds the current one-time setup token, if any.
type Feature struct {
	svc  *registry.Service
	acct *account.Service

	mu      sync.Mutex
	token   string
	expires time.Time
}

// New builds the feature; no link is valid until Issue is called.
func New(svc *registry.Service, acct *account.Service) *Feature {
	return &Feature{svc: svc, acct: acct}
}

// Issue makes a new one-time token valid for ttl and returns it (the
// program prints it as a link). A new token replaces the previous one.
func (f *Feature) Issue(ttl time.Duration) string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.token, f.expires = tok, f.svc.Now().Add(ttl)
	return tok
}

// valid reports whether tok is the current unexpired token.
func (f *Feature) valid(tok string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.token == "" || tok == "" || f.svc.Now().After(f.expires) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(tok), []byte(f.token)) == 1
}

// consume makes the token unusable once it has made the administrator.
func (f *Feature) consume() {
	f.mu.Lock()
	f.token = ""
	f.mu.Unlock()
}

// Templates holds the setup page.
func (f *Feature) Templates() fs.FS { return templates }

// PageRoutes lists the setup page.
func (f *Feature) PageRoutes(h *web.Web) []server.Route {
	p := &pages{h: h, f: f}
	return []server.Route{
		{Method: "GET", Pattern: "/setup", Name: "setup_form", Public: true, Handler: p.form},
		{Method: "POST", Pattern: "/setup", Name: "setup", Public: true, Handler: p.create},
	}
}

// Operations: setup has no API.
func (f *Feature) Operations(h *api.API) []api.Op { return nil }

// Jobs: none.
func (f *Feature) Jobs() []jobs.Job { return nil }

type pages struct {
	h *web.Web
	f *Feature
}

type setupView struct {
	Token string
}

// open reports whether the request may see the setup form: no account yet,
// from the machine itself, with the current token.
func (p *pages) open(ctx context.Context, r *http.Request, tok string) (bool, error) {
	if !fromThisMachine(r) || !p.f.valid(tok) {
		return false, nil
	}
	has, err := p.f.acct.HasUsers(ctx)
	return !has, err
}

func (p *pages) form(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	ok, err := p.open(r.Context(), r, tok)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if !ok {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeNotFound, "setup.closed"))
		return
	}
	p.h.Render(w, r, http.StatusOK, "setup", p.h.View(r, "setup", "setup.title", setupView{Token: tok}))
}

func (p *pages) create(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "setup", "setup.title", setupView{})
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Render(w, r, p.h.FormFail(r, v, err), "setup", v)
		return
	}
	tok := r.PostFormValue("token")
	v.Data = setupView{Token: tok}
	ok, err := p.open(r.Context(), r, tok)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if !ok {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeNotFound, "setup.closed"))
		return
	}
	u := &counsel.User{Username: strings.TrimSpace(r.PostFormValue("username")), DisplayName: strings.TrimSpace(r.PostFormValue("display_name")), Role: counsel.RoleAdmin}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	pw := r.PostFormValue("password")
	if pw != r.PostFormValue("confirm") {
		v.Form.Del("password")
		v.Form.Del("confirm")
		p.h.Render(w, r, p.h.FormFail(r, v, counsel.Invalid(counsel.FieldError{Field: "confirm", Key: "setup.mismatch"})), "setup", v)
		return
	}
	if err := p.f.acct.CreateUser(r.Context(), counsel.System, u, pw); err != nil {
		v.Form.Del("password")
		v.Form.Del("confirm")
		p.h.Render(w, r, p.h.FormFail(r, v, err), "setup", v)
		return
	}
	p.f.consume()
	p.f.svc.Log.Info("first administrator created", "username", u.Username, "ip", server.ClientIP(r))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// fromThisMachine reports whether the request came from the server's own
// host: a loopback address, or the very address it reached the server on.
// A request through a proxy carries the proxy's word, which is not enough.
func fromThisMachine(r *http.Request) bool {
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	if la, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if lh, _, err := net.SplitHostPort(la.String()); err == nil {
			return net.ParseIP(lh).Equal(ip)
		}
	}
	return false
}
