// Package web serves the HTML pages: server-rendered html/template pages from
// an embedded file system, htmx for partial updates, mobile-first CSS.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"github.com/xuri/excelize/v2"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/server"
)

//go:embed templates static
var files embed.FS

// Web holds the page handlers and the page kit features build on: the
// layout, rendering, forms and errors.
type Web struct {
	srv     *server.Server
	base    Base
	pages   map[string]*template.Template
	assets  map[string]string // file name → content hash
	nav     []NavItem
	taskers []Tasker
}

// Pages is a feature's part of the site: its page templates and routes.
type Pages interface {
	// Templates holds the feature's templates/*.html (each a page that
	// fills the shared layout); nil for none.
	Templates() fs.FS
	// PageRoutes lists the feature's HTML routes, built on h.
	PageRoutes(h *Web) []server.Route
}

// Base is what the page kit needs of the program.
type Base struct {
	// Health answers /healthz: whether the database is reachable, and which
	// engine it is.
	Health  func(ctx context.Context) (engine string, err error)
	Log     *slog.Logger // errors serving photos
	DataDir string       // where uploaded photos live
	// KindName names a kind of service for the kindLabel helper.
	KindName func(ctx context.Context, code, lang string) string
}

// Mount parses the templates and adds the HTML routes to srv, then each
// feature's.
func Mount(srv *server.Server, base Base, features ...Pages) (*Web, error) {
	h := &Web{srv: srv, base: base, assets: map[string]string{}}
	if err := h.hashAssets(); err != nil {
		return nil, err
	}
	var fsyss []fs.FS
	for _, f := range features {
		if t := f.Templates(); t != nil {
			fsyss = append(fsyss, t)
		}
	}
	if err := h.parse(fsyss...); err != nil {
		return nil, err
	}
	srv.Add(h.routes()...)
	for _, f := range features {
		srv.Add(f.PageRoutes(h)...)
		if t, ok := f.(Tasker); ok {
			h.taskers = append(h.taskers, t)
		}
	}
	h.nav = collectNav(features)
	return h, nil
}

// Server returns the shared server (route table, errors).
func (h *Web) Server() *server.Server { return h.srv }

// routes lists every HTML route; each area of the site keeps its own list.
func (h *Web) routes() []server.Route {
	rs := []server.Route{
		{Method: "GET", Pattern: "/static/{path...}", Name: "static", Public: true, Handler: h.static},
		{Method: "GET", Pattern: "/healthz", Name: "healthz", Public: true, Handler: h.healthz},
	}
	return rs
}

func (h *Web) hashAssets() error {
	return fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h.assets[strings.TrimPrefix(p, "static/")] = hex.EncodeToString(sum[:])[:12]
		return nil
	})
}

// asset returns the content-hashed URL of a static file.
func (h *Web) asset(name string) string {
	return "/static/" + name + "?v=" + h.assets[name]
}

func (h *Web) static(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.PathValue("path"))
	b, err := files.ReadFile("static/" + name)
	if err != nil || strings.HasPrefix(name, ".") {
		http.NotFound(w, r)
		return
	}
	if v := r.URL.Query().Get("v"); v != "" && v == h.assets[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
}

func (h *Web) healthz(w http.ResponseWriter, r *http.Request) {
	engine, err := h.base.Health(r.Context())
	if err != nil {
		server.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "down", "database": "unreachable"})
		return
	}
	server.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": engine})
}

// View is what every page template gets; Data holds the page's own typed view.
type View struct {
	Title     string
	Lang      string
	User      *counsel.User
	CSRF      string
	Nav       string            // the active navigation item
	Flash     string            // a message key shown once (from ?ok=…)
	FormError string            // the form's general error, translated
	Errors    map[string]string // field → message, translated
	Form      url.Values        // the user's input, kept on errors
	Data      any
	Path      string
	Menu      []NavGroup // the navigation this user sees, by task
	// HolidayGap names the years (this and next) the holiday table does
	// not cover, on pages that count working days; the layout warns.
	HolidayGap string
}

// WarnHolidays makes the page warn that the holiday table does not cover
// years (registry.Service.UncoveredYears): deadlines in working days are
// then counted Monday to Friday.
func (v *View) WarnHolidays(years []int) {
	if len(years) == 0 {
		return
	}
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = strconv.Itoa(y)
	}
	sep := "、"
	if v.Lang == "en" {
		sep = ", "
	}
	v.HolidayGap = strings.Join(parts, sep)
}

// Val returns the form value of a field.
func (v *View) Val(field string) string {
	if v.Form == nil {
		return ""
	}
	return v.Form.Get(field)
}

// Role reports whether the signed-in user has one of roles.
func (v *View) Role(roles ...string) bool {
	if v.User == nil {
		return false
	}
	for _, r := range roles {
		if v.User.Role == r {
			return true
		}
	}
	return false
}

func (h *Web) View(r *http.Request, nav, title string, data any) *View {
	lang := server.Lang(r.Context())
	v := &View{Title: i18n.T(lang, title), Lang: lang, User: server.User(r.Context()), CSRF: server.CSRF(r.Context()), Nav: nav, Data: data, Path: r.URL.Path}
	if v.User != nil {
		v.Menu = h.menu(ActorOf(r), nav)
	}
	if ok := r.URL.Query().Get("ok"); ok != "" && i18n.Has("flash."+ok) {
		v.Flash = "flash." + ok
	}
	return v
}

// formFail puts an error into the view for re-rendering the form with the
// user's input kept; it returns the HTTP status to use.
func (h *Web) FormFail(r *http.Request, v *View, err error) int {
	status, body := h.srv.Describe(r.Context(), err)
	v.Form = r.PostForm
	v.FormError = body.Error.Message
	v.Errors = map[string]string{}
	for _, f := range body.Error.Fields {
		if _, ok := v.Errors[f.Field]; !ok {
			v.Errors[f.Field] = f.Message
		}
	}
	return status
}

func (h *Web) Render(w http.ResponseWriter, r *http.Request, status int, page string, v *View) {
	t, ok := h.pages[page]
	if !ok {
		h.srv.Error(w, r, false, fmt.Errorf("no template %q", page))
		return
	}
	var buf bytes.Buffer
	name := "layout"
	if r.Header.Get("HX-Request") == "true" && t.Lookup("partial") != nil {
		name = "partial"
	}
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		h.srv.Error(w, r, false, fmt.Errorf("render %s: %w", page, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows an error page (or JSON for htmx requests alike).
func (h *Web) Fail(w http.ResponseWriter, r *http.Request, err error) { h.srv.Error(w, r, false, err) }

// parse parses each page template (web's own and the features') over the
// shared layout; page names are file names and must be unique.
func (h *Web) parse(features ...fs.FS) error {
	base, err := template.New("base").Funcs(h.funcs()).ParseFS(files, "templates/layout.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, fsys := range append([]fs.FS{files}, features...) {
		pages, err := fs.Glob(fsys, "templates/*.html")
		if err != nil {
			return err
		}
		for _, p := range pages {
			name := strings.TrimSuffix(path.Base(p), ".html")
			if name == "layout" {
				continue
			}
			if _, dup := h.pages[name]; dup {
				return fmt.Errorf("template %s: a page of that name exists already", p)
			}
			t, err := template.Must(base.Clone()).ParseFS(fsys, p)
			if err != nil {
				return fmt.Errorf("template %s: %w", p, err)
			}
			h.pages[name] = t
		}
	}
	return nil
}

func (h *Web) funcs() template.FuncMap {
	return template.FuncMap{
		"t":     func(lang, key string, args ...any) string { return i18n.T(lang, key, args...) },
		"asset": h.asset,
		"mask":  counsel.MaskPhone,
		"yuan":  counsel.FormatYuan,
		"pct": func(f float64) string {
			return strconv.FormatFloat(f*100, 'f', 1, 64) + "%"
		},
		// datetime, date and deadline write dates as Chinese offices do
		// (2026年12月4日 15:04) on Chinese pages and as ISO dates on English
		// ones; the language comes first.
		"datetime": func(lang string, ms int64) (string, error) {
			if err := checkLang("datetime", lang); err != nil || ms == 0 {
				return "", err
			}
			if lang == "en" {
				return time.UnixMilli(ms).In(shanghai).Format("2006-01-02 15:04"), nil
			}
			return counsel.DateTimeCN(ms), nil
		},
		"date": func(lang string, v any) (string, error) {
			if err := checkLang("date", lang); err != nil {
				return "", err
			}
			var d string
			switch x := v.(type) {
			case string:
				d = x
			case int64:
				if x == 0 {
					return "", nil
				}
				d = time.UnixMilli(x).In(shanghai).Format(counsel.DateLayout)
			default:
				return "", fmt.Errorf("date: %T is not a date", v)
			}
			if lang == "en" || d == "" {
				return d, nil
			}
			return counsel.DateTextCN(d), nil
		},
		// deadline writes a deadline kept as the first instant after it
		// (midnight) as the last day it includes: 2026年12月4日前.
		"deadline": func(lang string, ms int64) (string, error) {
			if err := checkLang("deadline", lang); err != nil || ms == 0 {
				return "", err
			}
			d := time.UnixMilli(ms - 1).In(shanghai)
			if lang == "en" {
				return "by " + d.Format(counsel.DateLayout), nil
			}
			return counsel.DateCN(d) + "前", nil
		},
		"add":   func(a, b int) int { return a + b },
		"join":  strings.Join,
		"query": queryWith,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[fmt.Sprint(kv[i])] = kv[i+1]
			}
			return m
		},
		"roleName":  func(lang, role string) string { return i18n.T(lang, "role."+role) },
		"i64":       func(v int64) string { return strconv.FormatInt(v, 10) },
		"levelName": func(lang string, lv counsel.Level) string { return i18n.T(lang, "level."+strconv.Itoa(int(lv))) },
		"safeURL":   func(s string) template.URL { return template.URL(s) },
		"today":     func() string { return time.Now().In(shanghai).Format(counsel.DateLayout) },
		// Label helpers take the language first and refuse anything else
		// there, so swapped arguments fail the render (and the page sweep)
		// instead of showing "zh" as a label.
		"kindLabel": func(lang, code string) (string, error) {
			if err := checkLang("kindLabel", lang); err != nil {
				return "", err
			}
			return h.base.KindName(context.Background(), code, lang), nil
		},
		"modeLabel": func(lang, mode string) (string, error) {
			if err := checkLang("modeLabel", lang); err != nil {
				return "", err
			}
			return policy.ModeLabel(mode, lang), nil
		},
		"hours": func(min int) string {
			return strings.TrimRight(strings.TrimRight(strconv.FormatFloat(float64(min)/60, 'f', 2, 64), "0"), ".")
		},
		"short": func(s string, n int) string {
			r := []rune(s)
			if len(r) <= n {
				return s
			}
			return string(r[:n]) + "…"
		},
		"list": func(xs ...string) []string { return xs },
		// pager gives the shared pager its language: {{template "pager" (pager $.Lang $d.Pager)}}.
		"pager": func(lang string, p Pager) pagerView { return pagerView{P: p, Lang: lang} },
		"addDays": func(date string, n int) string {
			t, err := time.Parse(counsel.DateLayout, date)
			if err != nil {
				return date
			}
			return t.AddDate(0, 0, n).Format(counsel.DateLayout)
		},
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
	}
}

// checkLang refuses a template helper's language argument that is not one.
func checkLang(fn, lang string) error {
	for _, l := range i18n.Languages {
		if lang == l {
			return nil
		}
	}
	return fmt.Errorf("%s: first argument must be the language, got %q", fn, lang)
}

// Shanghai is the zone times are shown in.
var Shanghai = shanghai

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// queryWith returns the current query with key set to value (for pagination
// and filter links).
func queryWith(q url.Values, kv ...any) string {
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		v := fmt.Sprint(kv[i+1])
		if v == "" {
			out.Del(k)
		} else {
			out.Set(k, v)
		}
	}
	out.Del("ok")
	return "?" + out.Encode()
}

// pagerView is what the pager template gets.
type pagerView struct {
	P    Pager
	Lang string
}

// Pager describes pagination of a list.
type Pager struct {
	Total, Limit, Offset int
	Query                url.Values
	// Keyset pagination (lists over big tables): Next and Prev are the
	// cursors of the neighbouring pages ("" when none), Capped says Total
	// is a lower bound ("10,000+").
	Keyset     bool
	Next, Prev string
	Capped     bool
	Shown      int // rows on this page
}

// SeekPager is the pager of a list paged by cursor showing shown rows.
func SeekPager(q url.Values, shown, total int, capped bool, next, prev string) Pager {
	return Pager{Query: q, Total: total, Capped: capped, Keyset: true, Next: next, Prev: prev, Shown: shown}
}

// HasPrev and the others drive the pagination links.
func (p Pager) HasPrev() bool {
	if p.Keyset {
		return p.Prev != ""
	}
	return p.Offset > 0
}

// HasNext reports whether a next page exists.
func (p Pager) HasNext() bool {
	if p.Keyset {
		return p.Next != ""
	}
	return p.Offset+p.Limit < p.Total
}

// TotalText is the total with thousands separators ("10,000").
func (p Pager) TotalText() string {
	s := strconv.Itoa(p.Total)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// PrevHref and NextHref are the links of a keyset pager's neighbours.
func (p Pager) PrevHref() string {
	return queryWith(p.Query, "offset", "", "after", "", "before", p.Prev)
}

// NextHref is the link to the next page of a keyset pager.
func (p Pager) NextHref() string {
	return queryWith(p.Query, "offset", "", "before", "", "after", p.Next)
}

// FirstHref is the link to the first page of a keyset pager.
func (p Pager) FirstHref() string {
	return queryWith(p.Query, "offset", "", "before", "", "after", "")
}

// PrevOffset is the offset of the previous page.
func (p Pager) PrevOffset() int { return max(0, p.Offset-p.Limit) }

// NextOffset is the offset of the next page.
func (p Pager) NextOffset() int { return p.Offset + p.Limit }

// From is the 1-based index of the first item shown.
func (p Pager) From() int {
	if p.Total == 0 {
		return 0
	}
	return p.Offset + 1
}

// To is the index of the last item shown.
func (p Pager) To() int { return min(p.Total, p.Offset+p.Limit) }

// page reads limit and offset from the query.
func PageOf(r *http.Request) counsel.Page {
	lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	if lim <= 0 || lim > 200 {
		lim = 50
	}
	f := server.FilterOf(r) // the cursors, checked
	return counsel.Page{Limit: lim, Offset: max(0, off), After: f.After, Before: f.Before}
}

// pathID parses the {id} path value.
func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return id, nil
}

// formID parses an id form field, 0 when empty or bad.
func FormID(r *http.Request, field string) int64 {
	id, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue(field)), 10, 64)
	return id
}

// actor returns the request's actor (routes that need one are guarded).
func ActorOf(r *http.Request) *counsel.Actor { return counsel.ActorFrom(r.Context()) }

// redirect answers a successful POST (303 See Other), with a flash key.
func Redirect(w http.ResponseWriter, r *http.Request, to, ok string) {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + ok
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

var ErrBadForm = counsel.Errorf(counsel.CodeInvalid, "err.bad_request")

// parseForm parses a form body (urlencoded or multipart up to maxMem).
func ParseForm(r *http.Request, maxBytes int64) error {
	ct := r.Header.Get("Content-Type")
	if strings.HasPrefix(ct, "multipart/form-data") {
		r.Body = http.MaxBytesReader(nil, r.Body, maxBytes)
		if err := r.ParseMultipartForm(maxBytes); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return counsel.Errorf(counsel.CodeInvalid, "err.file_size", maxBytes>>20)
			}
			return ErrBadForm
		}
		return nil
	}
	r.Body = http.MaxBytesReader(nil, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		return ErrBadForm
	}
	return nil
}

// sendXLSX writes a workbook as a download named name (UTF-8, RFC 5987)
// with an ASCII fallback name. The workbook is built in memory first, so a
// failure still gets a proper error page.
func (h *Web) SendXLSX(w http.ResponseWriter, r *http.Request, name, ascii string, write func(io.Writer) error) {
	var buf bytes.Buffer
	if err := write(&buf); err != nil {
		h.Fail(w, r, err)
		return
	}
	// Every export is audited: what (the route and file) and how many rows.
	h.srv.Record(r, ActorOf(r), "export", "xlsx", map[string]any{"route": r.Pattern, "file": ascii, "rows": countRows(buf.Bytes())})
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+rfc5987(name))
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// ExportQuery is a list's query for its export link: the filters on screen
// without the paging ("?…" or "").
func ExportQuery(q url.Values) string {
	out := url.Values{}
	for k, v := range q {
		switch k {
		case "after", "before", "offset", "limit", "ok":
		default:
			out[k] = v
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "?" + out.Encode()
}

// exportSlots bounds the streamed exports running at once: each reads a
// whole list, so more would only take the readers from every other page.
var exportSlots = make(chan struct{}, 2)

// StreamXLSX sends a workbook that write produces (an xlsx.Stream's WriteTo)
// without holding it in memory, at most two at a time in the process (a
// third waits for a slot, or for its client to go away). An error before the
// first byte is a normal error page; after it, the download is cut short.
func (h *Web) StreamXLSX(w http.ResponseWriter, r *http.Request, name, ascii string, write func(io.Writer) error) {
	select {
	case exportSlots <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	defer func() { <-exportSlots }()
	lw := &lazyWriter{w: w, start: func() {
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+rfc5987(name))
		w.Header().Set("Cache-Control", "private, no-store")
		w.WriteHeader(http.StatusOK)
	}}
	err := write(lw)
	if err != nil && !lw.started {
		h.Fail(w, r, err)
		return
	}
	if err == nil {
		h.srv.Record(r, ActorOf(r), "export", "xlsx", map[string]any{"route": r.Pattern, "file": ascii, "rows": lw.rows})
	}
}

// lazyWriter sends the headers on the first write.
type lazyWriter struct {
	w       io.Writer
	start   func()
	started bool
	rows    int // data rows, as the xlsx stream reports them
}

// SetRows implements xlsx.RowsSetter.
func (l *lazyWriter) SetRows(n int) { l.rows = n }

func (l *lazyWriter) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(p)
}

// RFC5987 percent-encodes a download's file name (Content-Disposition filename*).
func RFC5987(s string) string { return rfc5987(s) }

// SafeNext keeps a redirect (?next=, a form's next) on this site: a clean
// absolute path, else "/". Browsers drop tabs and line breaks and read "\"
// as "/", so "/\t/evil.example" or "/\\evil" would leave the site: any
// control character, backslash or encoded slash or backslash is refused.
func SafeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if next[i] < 0x20 || next[i] == 0x7f {
			return "/"
		}
	}
	if l := strings.ToLower(next); strings.Contains(l, "%2f") || strings.Contains(l, "%5c") || strings.Contains(l, "%09") || strings.Contains(l, "%0a") || strings.Contains(l, "%0d") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}

// rfc5987 percent-encodes every byte outside RFC 5987's attr-char.
func rfc5987(s string) string {
	const hexd = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexd[c>>4])
		b.WriteByte(hexd[c&15])
	}
	return b.String()
}

// idForm parses the {id} path value and the form body of a POST, answering
// the request itself (and returning false) when either is bad.
func (h *Web) IDForm(w http.ResponseWriter, r *http.Request, maxBytes int64) (int64, bool) {
	id, err := PathID(r)
	if err == nil {
		err = ParseForm(r, maxBytes)
	}
	if err != nil {
		h.Fail(w, r, err)
		return 0, false
	}
	return id, true
}

// loadByID parses the {id} path value and loads that record with get (a
// service method that applies the actor's scope), answering the request
// itself (and returning false) when either fails.
func LoadByID[T any](h *Web, w http.ResponseWriter, r *http.Request, get func(context.Context, *counsel.Actor, int64) (T, error)) (T, bool) {
	var zero T
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return zero, false
	}
	v, err := get(r.Context(), ActorOf(r), id)
	if err != nil {
		h.Fail(w, r, err)
		return zero, false
	}
	return v, true
}

// countRows counts the rows of every sheet of a workbook just written
// (headings included; -1 if it cannot be read back).
func countRows(b []byte) int {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return -1
	}
	defer f.Close()
	n := 0
	for _, sh := range f.GetSheetList() {
		rows, err := f.Rows(sh)
		if err != nil {
			return -1
		}
		for rows.Next() {
			n++
		}
		rows.Close()
	}
	return n
}
