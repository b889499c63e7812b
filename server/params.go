package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
)

// filter reads the common list parameters.
// FilterOf reads a list's common query parameters (q, kind, status, region, limit, offset).
func FilterOf(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	lim, _ := strconv.Atoi(q.Get("limit"))
	off, _ := strconv.Atoi(q.Get("offset"))
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"), Region: q.Get("region"), Page: counsel.Page{Limit: lim, Offset: off, After: cursorParam(q.Get("after")), Before: cursorParam(q.Get("before"))}.Clamp()}
	if f.Region != "" && !counsel.ValidCode(f.Region) {
		f.Region = "999999999999"
	}
	return f
}

// cursorParam keeps a keyset cursor only if it is short and plain (digits,
// letters, '-', '_', '.'); lists parse their own.
func cursorParam(s string) string {
	if len(s) > 64 {
		return ""
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '_' || c == '.') {
			return ""
		}
	}
	return s
}
