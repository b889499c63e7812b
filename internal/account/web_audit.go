package account

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
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
		Pager:  web.SeekPager(r.URL.Query(), len(l.Items), l.Total, l.TotalCapped, l.Next, l.Prev),
		Export: "/audit.xlsx"}
	for _, e := range l.Items {
		av.Items = append(av.Items, auditRow{AuditEntry: e, ActionText: auditLabel(lang, "audit.action.", e.Action), EntityText: auditLabel(lang, "audit.entity.", e.Entity), BeforeText: prettyJSON(e.Before), AfterText: prettyJSON(e.After)})
	}
	if len(exp) > 0 {
		av.Export += "?" + exp.Encode()
	}
	p.h.Render(w, r, http.StatusOK, "audit", p.h.View(r, "audit", "audit.title", av))
}

// auditXLSX exports the audit log with the filters on screen, every row in
// scope, streamed (a province's log is millions of rows).
func (p *pages) auditXLSX(w http.ResponseWriter, r *http.Request) {
	lang := server.Lang(r.Context())
	f := auditFilter(r)
	a := web.ActorOf(r)
	if _, err := auditScope(a, f); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	headers := []string{}
	for _, k := range []string{"audit.col.time", "audit.col.user", "audit.col.action", "audit.col.entity", "audit.col.id", "audit.col.ip", "audit.col.scope", "audit.col.before", "audit.col.after"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "audit.title")
	day := p.core.Today()
	p.h.StreamXLSX(w, r, i18n.T(lang, "audit.file")+"-"+day+".xlsx", "audit-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(title, title, headers, []float64{20, 12, 10, 12, 10, 14, 14, 40, 40})
		if err != nil {
			return err
		}
		defer s.Close()
		err = p.svc.EachAudit(r.Context(), a, f, func(e counsel.AuditEntry) error {
			return s.Row(auditTime(e.At), e.Username, auditLabel(lang, "audit.action.", e.Action), auditLabel(lang, "audit.entity.", e.Entity),
				e.EntityID, e.IP, e.Scope, e.Before, e.After)
		})
		if err != nil {
			return err
		}
		_, err = s.WriteTo(out)
		return err
	})
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

// usersXLSX exports the accounts with the filters on screen, in the
// reader's scope, phones masked as on screen.
func (p *pages) usersXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := usersFilter(r)
	lang := server.Lang(r.Context())
	if _, err := p.svc.Users(r.Context(), a, counsel.Filter{Page: counsel.Page{Limit: 1}}); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var headers []string
	for _, k := range []string{"users.username", "users.display_name", "users.role", "users.scope", "users.phone", "users.status"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "users.title")
	day := p.core.Today()
	names := userScopeNames{p: p, r: r, lang: lang}
	p.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "users-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(title, title, headers, []float64{16, 12, 12, 24, 14, 8})
		if err != nil {
			return err
		}
		defer s.Close()
		f.Page = counsel.Page{Limit: 500}
		for {
			l, err := p.svc.Users(r.Context(), a, f)
			if err != nil {
				return err
			}
			for _, u := range l.Items {
				status := i18n.T(lang, "users.active")
				if u.Disabled {
					status = i18n.T(lang, "users.disabled")
				}
				if err := s.Row(u.Username, u.DisplayName, i18n.T(lang, "role."+u.Role), names.of(&u), u.Phone, status); err != nil {
					return err
				}
			}
			if len(l.Items) < f.Limit {
				break
			}
			f.Offset += len(l.Items)
		}
		_, err = s.WriteTo(out)
		return err
	})
}
