package public

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"strings"

	"github.com/villagecounsel/counsel/web"
)

// The public frame (public_frame.html): the simple layout of the pages a
// resident sees without an account (boards, search, cards, and the online
// consultation's pages), not the staff layout, with a large-font
// high-contrast care mode (关怀版) remembered in a cookie.

// CareCookie remembers the care mode (关怀版) of a visitor.
const CareCookie = "vc_care"

// PublicURLEnv names the environment variable with the site's public base
// URL (e.g. https://counsel.example.gov.cn) for the QR codes on cards; the
// request's own host is used when it is not set.
const PublicURLEnv = "COUNSEL_PUBLIC_URL"

// Frame draws pages in the public frame; its errors show on the
// public_search page.
type Frame struct {
	h     *web.Web
	pages map[string]*template.Template
}

// NewFrame parses pages (templates/<name>.html in fsys) over the public
// frame; the public side's own pages pass its templates.
func NewFrame(h *web.Web, fsys fs.FS, pages ...string) (*Frame, error) {
	f := &Frame{h: h, pages: map[string]*template.Template{}}
	parse := func(fsys fs.FS, name string) error {
		t, err := template.New(name).Funcs(h.Funcs()).ParseFS(templates, "templates/public_frame.html")
		if err == nil {
			t, err = t.ParseFS(fsys, "templates/"+name+".html")
		}
		if err != nil {
			return fmt.Errorf("public: template %s: %w", name, err)
		}
		f.pages[name] = t
		return nil
	}
	if err := parse(templates, "public_search"); err != nil { // the frame's error page
		return nil, err
	}
	for _, name := range pages {
		if err := parse(fsys, name); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// PubView is what the public frame gets.
type PubView struct {
	*web.View
	Care     bool   // the care mode is on
	Next     string // this page's address, for the language and care forms
	PrintCSS string // an extra print style sheet (A6 cards)
}

// View is a public page's view.
func (f *Frame) View(r *http.Request, title string, data any) *PubView {
	v := f.h.View(r, "public", title, data)
	c, err := r.Cookie(CareCookie)
	return &PubView{View: v, Care: err == nil && c.Value == "1", Next: r.URL.RequestURI()}
}

// Render draws a page in the frame.
func (f *Frame) Render(w http.ResponseWriter, r *http.Request, status int, page string, v *PubView) {
	if html := f.draw(w, r, page, v); html != nil {
		writeHTML(w, status, html)
	}
}

// draw renders a page; on failure it answers the request and returns nil.
func (f *Frame) draw(w http.ResponseWriter, r *http.Request, page string, v *PubView) []byte {
	var buf bytes.Buffer
	if err := f.pages[page].ExecuteTemplate(&buf, "public_frame", v); err != nil {
		f.h.Fail(w, r, fmt.Errorf("render %s: %w", page, err))
		return nil
	}
	return buf.Bytes()
}

func writeHTML(w http.ResponseWriter, status int, html []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(html)
}

// Fail shows an error in the public frame.
func (f *Frame) Fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := f.h.Server().Describe(r.Context(), err)
	v := f.View(r, "pub.error_title", &pubSearchPage{})
	v.FormError = body.Error.Message
	f.Render(w, r, status, "public_search", v)
}

// pubBase is the absolute base URL of the public pages.
func pubBase(r *http.Request) string {
	if u := strings.TrimRight(strings.TrimSpace(os.Getenv(PublicURLEnv)), "/"); u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// care turns the care mode (关怀版) on or off and goes back.
func (p *pages) care(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	c := &http.Cookie{Name: CareCookie, Value: "1", Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: r.TLS != nil}
	if r.PostFormValue("care") != "1" {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	next := web.SafeNext(r.PostFormValue("next"))
	if next == "/" {
		next = "/v"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
