package account

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// ---- audit log --------------------------------------------------------------

// auditEntities and auditActions are the filter choices.
var (
	auditEntities = []string{"user", "api_token", "provider", "advisor", "agreement", "person", "pairing", "activity", "region", "settings", "entry", "policy"}
	auditActions  = []string{"create", "update", "status", "import", "password", "login", "login_failed", "login_locked", "logout"}
)

// auditRow is an audit entry with its JSON indented for reading.
type auditRow struct {
	counsel.AuditEntry
	ActionText, EntityText string
	BeforeText, AfterText  string
}

func prettyJSON(s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	if json.Indent(&b, []byte(s), "", "  ") != nil {
		return s
	}
	return b.String()
}

type auditView struct {
	Items    []auditRow
	Pager    web.Pager
	Entity   string
	Action   string
	Q        string
	Entities []string
	Actions  []string
	Export   string // the export link with the current filters
}

func auditFilter(r *http.Request) counsel.Filter {
	q := r.URL.Query()
	f := counsel.Filter{Q: strings.TrimSpace(q.Get("q")), Page: web.PageOf(r)}
	if e := q.Get("entity"); adminHas(auditEntities, e) {
		f.Kind = e
	}
	if act := q.Get("action"); adminHas(auditActions, act) {
		f.Status = act
	}
	return f
}

func (p *pages) audit(w http.ResponseWriter, r *http.Request) {
	lang := server.Lang(r.Context())
	f := auditFilter(r)
	l, err := p.svc.Audit(r.Context(), web.ActorOf(r), f)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	exp := url.Values{}
	for k, v := range map[string]string{"entity": f.Kind, "action": f.Status, "q": f.Q} {
		if v != "" {
			exp.Set(k, v)
		}
	}
	av := auditView{Entity: f.Kind, Action: f.Status, Q: f.Q, Entities: auditEntities, Actions: auditActions,
		Pager:  web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()},
		Export: "/audit.xlsx"}
	for _, e := range l.Items {
		av.Items = append(av.Items, auditRow{AuditEntry: e, ActionText: auditLabel(lang, "audit.action.", e.Action), EntityText: auditLabel(lang, "audit.entity.", e.Entity), BeforeText: prettyJSON(e.Before), AfterText: prettyJSON(e.After)})
	}
	if len(exp) > 0 {
		av.Export += "?" + exp.Encode()
	}
	p.h.Render(w, r, http.StatusOK, "audit", p.h.View(r, "audit", "audit.title", av))
}

// auditExportMax caps the rows of one export.
const auditExportMax = 50000

func (p *pages) auditXLSX(w http.ResponseWriter, r *http.Request) {
	lang := server.Lang(r.Context())
	f := auditFilter(r)
	f.Page = counsel.Page{Limit: 500}
	var rows [][]any
	for len(rows) < auditExportMax {
		l, err := p.svc.Audit(r.Context(), web.ActorOf(r), f)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		for _, e := range l.Items {
			rows = append(rows, []any{auditTime(e.At), e.Username, auditLabel(lang, "audit.action.", e.Action), auditLabel(lang, "audit.entity.", e.Entity),
				e.EntityID, e.IP, e.Scope, e.Before, e.After})
		}
		if len(l.Items) < f.Limit || f.Offset+len(l.Items) >= l.Total {
			break
		}
		f.Offset += len(l.Items)
	}
	headers := []string{}
	for _, k := range []string{"audit.col.time", "audit.col.user", "audit.col.action", "audit.col.entity", "audit.col.id", "audit.col.ip", "audit.col.scope", "audit.col.before", "audit.col.after"} {
		headers = append(headers, i18n.T(lang, k))
	}
	var buf bytes.Buffer
	title := i18n.T(lang, "audit.title")
	if err := xlsx.WriteTable(&buf, title, title, headers, rows); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	day := p.core.Today()
	p.h.Server().Record(r, web.ActorOf(r), "export", "xlsx", map[string]any{"route": r.Pattern, "file": "audit-" + day + ".xlsx", "rows": len(rows)})
	adminDownloadHeaders(w, i18n.T(lang, "audit.file")+"-"+day+".xlsx", "audit-"+day+".xlsx")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, _ = w.Write(buf.Bytes())
}

// adminDownloadHeaders sets the headers of an xlsx download with a UTF-8 file name and
// an ASCII fallback.
func adminDownloadHeaders(w http.ResponseWriter, name, ascii string) {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+web.RFC5987(name))
	w.Header().Set("Cache-Control", "no-store")
}

func auditTime(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(web.Shanghai).Format("2006-01-02 15:04:05")
}

// auditLabel translates an action or entity name when the catalog knows it.
func auditLabel(lang, prefix, v string) string {
	if i18n.Has(prefix + v) {
		return i18n.T(lang, prefix+v)
	}
	return v
}
