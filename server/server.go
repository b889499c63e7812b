// Package server holds what the HTML pages and the JSON API share: the route
// table, authentication from a session cookie or an API token, cross-origin
// and CSRF protection, security headers, login rate limits and the mapping of
// domain errors to HTTP statuses.
package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
)

// Route is one entry of the route table. Every route is listed here, so the
// authorization matrix test can check that none is left out.
type Route struct {
	Method  string // GET, POST, …
	Pattern string // net/http pattern without the method, e.g. /providers/{id}
	Name    string // stable name for tests and the OpenAPI operationId
	Public  bool   // served without a login
	API     bool   // a JSON API route (errors as JSON, token auth allowed)
	Handler http.HandlerFunc
}

// MaxBody is the largest request body accepted (an Excel roster with room to spare).
const MaxBody = 20 << 20

// SessionCookie is the name of the session cookie.
const SessionCookie = "vc_session"

// LangCookie keeps an anonymous visitor's language.
const LangCookie = "vc_lang"

// Authenticator resolves who makes a request: an API token's user, or a
// session cookie's user and CSRF token. The account feature implements it;
// internal/app sets it. Its errors with code Unauthorized mean "no one".
type Authenticator interface {
	TokenUser(ctx context.Context, token string) (*counsel.User, error)
	SessionUser(ctx context.Context, token string) (u *counsel.User, csrf string, err error)
}

// Server wires routes to middleware.
type Server struct {
	Auth           Authenticator // unset, every request is anonymous
	Log            *slog.Logger
	SecureCookies  bool           // the site is HTTPS-only (behind a TLS proxy that is not listed as trusted)
	TrustedProxies []netip.Prefix // peers whose X-Forwarded-For and X-Forwarded-Proto are believed
	routes         []Route
	cop            *http.CrossOriginProtection
	loginIP        *limiters
	// Recorder audits security events (see Record); nil records nothing.
	Recorder Recorder
}

// New builds a server.
func New(log *slog.Logger) *Server {
	cop := http.NewCrossOriginProtection()
	return &Server{Log: log, cop: cop, loginIP: newLimiters(rate.Every(6*time.Second), 10)}
}

// Add adds routes to the table.
func (s *Server) Add(rs ...Route) { s.routes = append(s.routes, rs...) }

// Routes returns the route table.
func (s *Server) Routes() []Route { return append([]Route(nil), s.routes...) }

// Handler builds the http.Handler serving every route.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range s.routes {
		h := http.Handler(r.Handler)
		if !r.Public {
			h = s.requireActor(r, h)
		}
		h = s.watchRefusals(r, h)
		h = s.identify(r, h)
		mux.Handle(r.Method+" "+r.Pattern, h)
	}
	// Any other path: the site's own not-found answer (a page in the
	// user's language, JSON under /api/), not Go's plain English text.
	mux.Handle("/", s.identify(Route{Public: true}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Error(w, r, false, counsel.ErrNotFound)
	})))
	return s.proxied(s.recoverer(s.headers(s.cop.Handler(s.plainText(mux)))))
}

// plainText refuses input holding control characters (NUL and the other C0
// codes but tab, newline and carriage return) in the query, a form body or
// a JSON body, as invalid input naming the field — before any handler sees
// it, so no text with them reaches the database (PostgreSQL refuses NUL in
// text) or a page. Uploads (multipart) are files and are left to their readers.
func (s *Server) plainText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		refuse := func(err error) {
			s.Error(w, r, false, err)
			// A sign-in with bad input is a failed login all the same.
			if r.Method == http.MethodPost && r.URL.Path == "/login" {
				s.Record(r, nil, "login_failed", "user", map[string]any{"reason": "bad_input"})
			}
		}
		if field, bad := controlInQuery(r.URL.RawQuery); bad {
			refuse(controlError(field))
			return
		}
		ct := r.Header.Get("Content-Type")
		form := strings.HasPrefix(ct, "application/x-www-form-urlencoded")
		jsonBody := strings.HasPrefix(ct, "application/json")
		if r.Body != nil && (form || jsonBody) {
			b, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
			r.Body.Close()
			if err != nil {
				refuse(counsel.Errorf(counsel.CodeInvalid, "err.bad_request"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(b))
			if form {
				if field, bad := controlInQuery(string(b)); bad {
					refuse(controlError(field))
					return
				}
			} else if jsonControl.Match(b) {
				refuse(controlError(""))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// jsonControl finds a control character written as a JSON escape (raw ones
// are not valid JSON and fail decoding anyway).
var jsonControl = regexp.MustCompile(`\\u00(?:0[0-8bBcCeEfF]|1[0-9a-fA-F])`)

// controlInQuery reports the first field of a query or form body whose name
// or value holds a control character.
func controlInQuery(raw string) (string, bool) {
	if raw == "" {
		return "", false
	}
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return "", false // malformed pairs are the handlers' to refuse
	}
	for k, vs := range vals {
		if hasControl(k) {
			return "", true
		}
		for _, v := range vs {
			if hasControl(v) {
				return k, true
			}
		}
	}
	return "", false
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
	}
	return false
}

func controlError(field string) error {
	if field == "" {
		return counsel.Errorf(counsel.CodeInvalid, "err.control_chars")
	}
	return counsel.Invalid(counsel.FieldError{Field: field, Key: "err.control_chars"})
}

// recoverer gives every request an id (the X-Request-Id header, the
// request_id of its log lines, shown on internal-error pages) and turns a
// panic in a handler into a 500 answer with that id and one log line with
// the error — the connection is not dropped and no stack is dumped.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(counsel.WithRequestID(context.WithValue(r.Context(), requestIDKey, id), id))
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.Log.ErrorContext(r.Context(), "panic", "request_id", id, "method", r.Method, "path", r.URL.Path, "err", fmt.Sprint(v))
			s.Error(w, r, false, errPanic)
		}()
		next.ServeHTTP(w, r)
	})
}

// errPanic is what a recovered panic answers (logged already).
var errPanic = counsel.Errorf(counsel.CodeInternal, "err.internal")

// newRequestID returns 16 hex digits from crypto/rand.
func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// RequestID returns the request's id ("" outside a request).
func RequestID(ctx context.Context) string { id, _ := ctx.Value(requestIDKey).(string); return id }

// headers sets the security headers on every response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.HTTPS(r) {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

type ctxKey int

const (
	requestIDKey ctxKey = iota
	csrfKey
	langKey
	userKey
)

// identify resolves the actor from an API token or the session cookie, if any,
// and the language. It never refuses a request.
func (s *Server) identify(rt Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		lang := ""
		if c, err := r.Cookie(LangCookie); err == nil {
			lang = i18n.Lang(c.Value)
		} else {
			lang = i18n.Lang(r.Header.Get("Accept-Language"))
		}
		// Without an authenticator every request is anonymous.
		if auth := r.Header.Get("Authorization"); s.Auth != nil && strings.HasPrefix(auth, "Bearer ") && rt.API {
			u, err := s.Auth.TokenUser(ctx, strings.TrimPrefix(auth, "Bearer "))
			if err != nil {
				s.Error(w, r.WithContext(context.WithValue(ctx, langKey, lang)), rt.API, err)
				if counsel.ErrorCode(err) == counsel.CodeUnauthorized {
					s.recordRefusal(rt, r, http.StatusUnauthorized)
				}
				return
			}
			a := counsel.ActorOf(u, ClientIP(r))
			ctx = counsel.WithActor(ctx, a)
			ctx = context.WithValue(ctx, userKey, u)
			lang = u.Lang
		} else if tok := s.SessionToken(r); s.Auth != nil && tok != "" {
			u, csrf, err := s.Auth.SessionUser(ctx, tok)
			if err == nil {
				a := counsel.ActorOf(u, ClientIP(r))
				ctx = counsel.WithActor(ctx, a)
				ctx = context.WithValue(ctx, csrfKey, csrf)
				ctx = context.WithValue(ctx, userKey, u)
				lang = u.Lang
			} else if counsel.ErrorCode(err) != counsel.CodeUnauthorized {
				s.Error(w, r, rt.API, err)
				return
			}
		}
		ctx = context.WithValue(ctx, langKey, lang)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireActor refuses anonymous requests and, for state-changing requests
// made with a session cookie, checks the CSRF token.
func (s *Server) requireActor(rt Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if counsel.ActorFrom(r.Context()) == nil {
			if !rt.API && r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.Error(w, r, rt.API, counsel.Errorf(counsel.CodeUnauthorized, "err.session"))
			return
		}
		if unsafeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, MaxBody)
			if want, ok := r.Context().Value(csrfKey).(string); ok && !CSRFOK(r, want) {
				s.Error(w, r, rt.API, counsel.Errorf(counsel.CodeForbidden, "err.csrf"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// CSRFOK compares the request's CSRF token (header X-CSRF-Token or form field
// csrf) with the session's.
func CSRFOK(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// CSRF returns the session's CSRF token for forms.
func CSRF(ctx context.Context) string { s, _ := ctx.Value(csrfKey).(string); return s }

// Lang returns the request's language.
func Lang(ctx context.Context) string {
	if l, ok := ctx.Value(langKey).(string); ok && l != "" {
		return l
	}
	return "zh"
}

// User returns the signed-in user, nil when anonymous.
func User(ctx context.Context) *counsel.User { u, _ := ctx.Value(userKey).(*counsel.User); return u }

// ClientIP returns the request's remote address without the port.
func ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// AllowLogin applies the per-IP login rate limit.
func (s *Server) AllowLogin(r *http.Request) bool { return s.loginIP.allow(ClientIP(r)) }

// Status maps an error code to an HTTP status.
func Status(code counsel.Code) int {
	switch code {
	case counsel.CodeInvalid:
		return http.StatusUnprocessableEntity
	case counsel.CodeNotFound:
		return http.StatusNotFound
	case counsel.CodeConflict:
		return http.StatusConflict
	case counsel.CodeForbidden:
		return http.StatusForbidden
	case counsel.CodeUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON form of an error.
type ErrorBody struct {
	Error struct {
		Code    counsel.Code   `json:"code"`
		Message string         `json:"message"`
		Fields  []FieldMessage `json:"fields,omitempty"`
		// RequestID names the request in the server's log (internal errors).
		RequestID string `json:"request_id,omitempty"`
	} `json:"error"`
}

// FieldMessage is one field error in the user's language.
type FieldMessage struct {
	Row     int    `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Describe turns an error into its JSON body in lang, logging internal errors.
func (s *Server) Describe(ctx context.Context, err error) (int, ErrorBody) {
	lang := Lang(ctx)
	var body ErrorBody
	var e *counsel.Error
	if !errors.As(err, &e) {
		s.Log.ErrorContext(ctx, "internal error", "request_id", RequestID(ctx), "err", err)
		e = counsel.Errorf(counsel.CodeInternal, "err.internal")
	}
	if e.Code == counsel.CodeInternal {
		body.Error.RequestID = RequestID(ctx)
	}
	body.Error.Code = e.Code
	body.Error.Message = i18n.T(lang, e.Key, e.Args...)
	for _, f := range e.Fields {
		body.Error.Fields = append(body.Error.Fields, FieldMessage{Row: f.Row, Column: f.Column, Field: f.Field, Message: i18n.T(lang, f.Key, f.Args...)})
	}
	return Status(e.Code), body
}

// Error writes an error: JSON for the API, a plain page otherwise (pages
// render their own forms; this is the fallback).
func (s *Server) Error(w http.ResponseWriter, r *http.Request, api bool, err error) {
	status, body := s.Describe(r.Context(), err)
	if api || strings.HasPrefix(r.URL.Path, "/api/") {
		WriteJSON(w, status, body)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	msg := body.Error.Message
	for _, f := range body.Error.Fields {
		msg += "；" + f.Message
	}
	if body.Error.RequestID != "" {
		msg += "（" + i18n.T(Lang(r.Context()), "err.request_id", body.Error.RequestID) + "）"
	}
	_, _ = w.Write([]byte(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>` +
		htmlEscape(i18n.T(Lang(r.Context()), "app.name")) + `</title><link rel="stylesheet" href="/static/app.css"><main class="container"><h1>` +
		htmlEscape(msg) + `</h1><p><a href="/">` + htmlEscape(i18n.T(Lang(r.Context()), "nav.home")) + `</a></p></main></html>`))
}

// WriteJSON writes v as JSON with a status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

// limiters is a per-key token bucket set, pruned as it grows.
type limiters struct {
	mu    sync.Mutex
	every rate.Limit
	burst int
	m     map[string]*rate.Limiter
}

func newLimiters(every rate.Limit, burst int) *limiters {
	return &limiters{every: every, burst: burst, m: map[string]*rate.Limiter{}}
}

func (l *limiters) allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.m) > 10000 {
		l.m = map[string]*rate.Limiter{}
	}
	lim, ok := l.m[key]
	if !ok {
		lim = rate.NewLimiter(l.every, l.burst)
		l.m[key] = lim
	}
	return lim.Allow()
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func urlQueryEscape(s string) string {
	return strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "#", "%23", " ", "%20", "?", "%3F", "=", "%3D").Replace(s)
}
