package major

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// majorXLSX exports the major-matter reports with the filters on screen, in
// the reader's scope.
func (p *pages) majorXLSX(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	f := majorFilter(r)
	f.Page.Limit, f.Page.Offset, f.Page.After, f.Page.Before = 1, 0, "", ""
	if _, err := p.svc.MajorReports(r.Context(), a, f); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	var headers []string
	for _, k := range []string{"major.submitted_at", "major.village", "major.category", "major.title", "major.advisor", "major.status", "major.level"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "major.list_title")
	day := p.svc.Now().In(web.Shanghai).Format("2006-01-02")
	p.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "major-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(title, title, headers, []float64{16, 24, 12, 30, 10, 14, 10})
		if err != nil {
			return err
		}
		defer s.Close()
		f.Page.Limit = 500
		for {
			l, err := p.svc.MajorReports(r.Context(), a, f)
			if err != nil {
				return err
			}
			for _, m := range l.Items {
				st := i18n.T(lang, "major.status."+m.Status)
				if m.Overdue {
					st += " · " + i18n.T(lang, "major.overdue")
				}
				level := "—"
				if m.Status == "submitted" {
					level = i18n.T(lang, "major.level."+strconv.Itoa(m.Level))
				}
				at := ""
				if m.SubmittedAt != 0 {
					at = time.UnixMilli(m.SubmittedAt).In(web.Shanghai).Format("2006-01-02 15:04")
				}
				if err := s.Row(at, m.TownName+" "+m.VillageName, i18n.T(lang, "major.short."+m.Category), m.Title, m.AdvisorName, st, level); err != nil {
					return err
				}
			}
			if len(l.Items) < f.Page.Limit {
				break
			}
			f.Page.Offset += len(l.Items)
		}
		_, err = s.WriteTo(out)
		return err
	})
}
