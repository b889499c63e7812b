package ledger

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
)

// entryFilterOf reads an entry list's query parameters.
func entryFilterOf(r *http.Request) EntryFilter {
	q := r.URL.Query()
	f := EntryFilter{Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Status: q.Get("status"),
		Village: q.Get("village"), Scope: q.Get("region"), From: q.Get("from"), To: q.Get("to")}
	f.MatterID, _ = strconv.ParseInt(q.Get("matter"), 10, 64)
	f.Page = server.FilterOf(r).Page
	if f.Village != "" && !counsel.ValidCode(f.Village) {
		f.Village = "999999999999"
	}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	return f
}
