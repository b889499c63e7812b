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
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"), Region: q.Get("region"), Page: counsel.Page{Limit: lim, Offset: off}.Clamp()}
	if f.Region != "" && !counsel.ValidCode(f.Region) {
		f.Region = "999999999999"
	}
	return f
}
