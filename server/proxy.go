package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Behind a reverse proxy the peer of every request is the proxy. Only when
// the peer is in TrustedProxies does the server believe what the proxy says
// of the client (X-Forwarded-For) and of the scheme (X-Forwarded-Proto), so
// that rate limits, lockouts and audit rows see the resident's address, and
// cookies and HSTS follow HTTPS. A client talking to the server directly
// cannot claim an address or a scheme with these headers.

type httpsKey struct{}

// ParseProxies reads a comma-separated list of CIDRs or addresses.
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, err
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (s *Server) trusted(ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// proxied rewrites RemoteAddr to the client's address named by a trusted
// proxy (the right-most address in X-Forwarded-For that is not itself a
// trusted proxy) and marks the request HTTPS when it arrived over TLS or a
// trusted proxy says so. Headers from anyone else are ignored.
func (s *Server) proxied(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		https := r.TLS != nil
		if peer := ClientIP(r); len(s.TrustedProxies) > 0 && s.trusted(peer) {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				hops := strings.Split(xff, ",")
				for i := len(hops) - 1; i >= 0; i-- {
					h := strings.TrimSpace(hops[i])
					if _, err := netip.ParseAddr(h); err != nil {
						break // garbage: keep the last good address
					}
					r.RemoteAddr = net.JoinHostPort(h, "0")
					if !s.trusted(h) {
						break
					}
				}
			}
			if strings.EqualFold(strings.TrimSpace(r.Header.Get("X-Forwarded-Proto")), "https") {
				https = true
			}
		}
		if https {
			r = r.WithContext(context.WithValue(r.Context(), httpsKey{}, true))
		}
		next.ServeHTTP(w, r)
	})
}

// HTTPS reports whether the request reached the site over HTTPS, directly
// or through a trusted proxy (or the site is configured as HTTPS-only).
func (s *Server) HTTPS(r *http.Request) bool {
	v, _ := r.Context().Value(httpsKey{}).(bool)
	return v || r.TLS != nil || s.SecureCookies
}

// hostSessionCookie is the session cookie's name over HTTPS: the __Host-
// prefix makes the browser refuse it unless it is Secure, for this host
// only and for the whole path, so no other site or subdomain can plant one.
const hostSessionCookie = "__Host-" + SessionCookie

// sessionCookieName is the session cookie's name for this request's scheme.
func (s *Server) sessionCookieName(r *http.Request) string {
	if s.HTTPS(r) {
		return hostSessionCookie
	}
	return SessionCookie
}

// SessionToken returns the session token sent with the request, "" if none.
func (s *Server) SessionToken(r *http.Request) string {
	c, err := r.Cookie(s.sessionCookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// SetSessionCookie sets (maxAge > 0) or clears (maxAge < 0) the session
// cookie: HttpOnly, SameSite=Lax, and Secure with the __Host- name over HTTPS.
func (s *Server) SetSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(r), Value: token, Path: "/", HttpOnly: true,
		Secure: s.HTTPS(r), SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}
