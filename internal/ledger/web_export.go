package ledger

import (
	"io"
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// entriesXLSX exports the entries with the filters on screen: every entry
// in the reader's scope, streamed (a province holds millions).
func (p *pages) entriesXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := entryFilterOf(r)
	lang := server.Lang(r.Context())
	var headers []string
	for _, k := range []string{"ledger.date", "col.village", "ledger.advisor", "ledger.kind", "ledger.mode", "ledger.hours", "ledger.place", "ledger.content", "ledger.result", "ledger.status"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "ledger.entries_title")
	day := p.svc.svc.Today()
	p.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "entries-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(title, title, headers, []float64{12, 20, 10, 12, 8, 8, 14, 50, 30, 8})
		if err != nil {
			return err
		}
		defer s.Close()
		kinds := map[string]string{}
		err = p.svc.EachEntry(r.Context(), a, f, func(e counsel.Entry) error {
			k, ok := kinds[e.Kind]
			if !ok {
				k = p.svc.KindName(r.Context(), e.Kind, lang)
				kinds[e.Kind] = k
			}
			return s.Row(e.Date, e.VillageName, e.AdvisorName, k, policy.ModeLabel(e.Mode, lang), exportHours(e.Minutes),
				e.Place, e.Content, e.Result, i18n.T(lang, "estatus."+e.Status))
		})
		if err != nil {
			return err
		}
		_, err = s.WriteTo(out)
		return err
	})
}

// dutiesXLSX exports the duty status of the state on screen (missed, due,
// met) in the reader's scope.
func (p *pages) dutiesXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	q := r.URL.Query()
	state := q.Get("state")
	if state != CompMet && state != CompDue {
		state = CompMissed
	}
	f := ComplianceFilter{State: state, Scope: q.Get("region")}
	if f.Scope != "" && !counsel.ValidCode(f.Scope) {
		f.Scope = ""
	}
	lang := server.Lang(r.Context())
	var headers []string
	for _, k := range []string{"col.village", "ledger.advisor", "ledger.period", "ledger.reason", "ledger.status"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "ledger.duties_title") + " · " + i18n.T(lang, "dstate."+state)
	day := p.svc.svc.Today()
	p.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "duties-"+state+"-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(i18n.T(lang, "ledger.duties_title"), title, headers, []float64{20, 10, 24, 50, 8})
		if err != nil {
			return err
		}
		defer s.Close()
		err = p.svc.EachDuty(r.Context(), a, f, func(d Duty) error {
			reason, note := d.Reason, d.Note
			if lang == "en" {
				reason, note = d.ReasonEN, d.NoteEN
			}
			if note != "" {
				reason += "（" + note + "）"
			}
			return s.Row(d.VillageName, d.AdvisorName, d.Period.Start+" – "+d.Period.End, reason, i18n.T(lang, "dstate."+d.State))
		})
		if err != nil {
			return err
		}
		_, err = s.WriteTo(out)
		return err
	})
}

// exportHours writes minutes as hours ("1.5").
func exportHours(min int) string {
	s := strconv.FormatFloat(float64(min)/60, 'f', 2, 64)
	for len(s) > 1 && (s[len(s)-1] == '0' || s[len(s)-1] == '.') {
		last := s[len(s)-1]
		s = s[:len(s)-1]
		if last == '.' {
			break
		}
	}
	return s
}
