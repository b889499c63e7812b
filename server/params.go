package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// EntryFilterOf reads an entry list's query parameters.
func EntryFilterOf(r *http.Request) store.EntryFilter {
	q := r.URL.Query()
	f := store.EntryFilter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"),
		Village: q.Get("village"), Scope: q.Get("region"), From: q.Get("from"), To: q.Get("to")}
	f.MatterID, _ = strconv.ParseInt(q.Get("matter"), 10, 64)
	f.Page = FilterOf(r).Page
	if f.Village != "" && !counsel.ValidCode(f.Village) {
		f.Village = "999999999999"
	}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	return f
}

// filter reads the common list parameters.
// FilterOf reads a list's common query parameters (q, kind, status, region, limit, offset).
func FilterOf(r *http.Request) store.Filter {
	q := r.URL.Query()
	lim, _ := strconv.Atoi(q.Get("limit"))
	off, _ := strconv.Atoi(q.Get("offset"))
	f := store.Filter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"), Region: q.Get("region"), Page: counsel.Page{Limit: lim, Offset: off}.Clamp()}
	if f.Region != "" && !counsel.ValidCode(f.Region) {
		f.Region = "999999999999"
	}
	return f
}
