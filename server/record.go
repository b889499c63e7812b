package server

import (
	"net/http"

	"github.com/villagecounsel/counsel"
)

// Recorder writes a security event to the audit log in its own
// transaction: a refused request, an export, a rate-limit hit, a failed
// login with bad input (issue 12, defect 13). a is nil for an anonymous
// request; internal/app sets it.
type Recorder func(r *http.Request, a *counsel.Actor, action, entity string, detail map[string]any)

// Record writes a security event when a Recorder is set.
func (s *Server) Record(r *http.Request, a *counsel.Actor, action, entity string, detail map[string]any) {
	if s.Recorder != nil {
		s.Recorder(r, a, action, entity, detail)
	}
}

// recordRefusal audits an answer of 401 or 403: who (or which address)
// asked what (the route, the path without its query: no personal data), and
// the status.
func (s *Server) recordRefusal(rt Route, r *http.Request, status int) {
	s.Record(r, counsel.ActorFrom(r.Context()), "refused", "request", map[string]any{
		"method": r.Method, "route": rt.Pattern, "path": r.URL.Path, "status": status})
}

// watchRefusals audits the refusals of a route's handler (and of the
// sign-in requirement before it).
func (s *Server) watchRefusals(rt Route, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusUnauthorized || sw.status == http.StatusForbidden {
			s.recordRefusal(rt, r, sw.status)
		}
	})
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
