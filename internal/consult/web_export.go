package consult

import (
	"io"
	"net/http"
	"slices"
	"time"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// consultXLSX exports the consultations with the filters on screen, in the
// reader's scope, names and phones as the list shows them (masked).
func (c *pages) consultXLSX(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	a := web.ActorOf(r)
	f := ConsultFilter{}
	if s := q.Get("status"); slices.Contains(consultStatuses, s) {
		f.Status = s
	}
	if cat := q.Get("category"); ValidConsultCategory(cat) {
		f.Category = cat
	}
	f.Page.Limit = 1
	if _, err := c.s.Consultations(r.Context(), a, f); err != nil {
		c.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(r.Context())
	var headers []string
	for _, k := range []string{"consult.asked_on", "consult.village", "consult.category", "consult.asker", "consult.advisor", "consult.status", "consult.rating_col"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "consult.list_title")
	now := c.s.Now()
	day := now.In(web.Shanghai).Format("2006-01-02")
	c.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "consultations-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(title, title, headers, []float64{16, 24, 12, 20, 10, 12, 6})
		if err != nil {
			return err
		}
		defer s.Close()
		f.Page.Limit = 500
		for {
			l, err := c.s.Consultations(r.Context(), a, f)
			if err != nil {
				return err
			}
			for _, x := range l.Items {
				st := i18n.T(lang, "consult.status."+x.Status)
				if x.Status == "open" && x.DueAt <= now.UnixMilli() {
					st += " · " + i18n.T(lang, "consult.status.overdue")
				}
				if x.EscalatedAt != 0 {
					st += " · " + i18n.T(lang, "consult.escalated")
				}
				var rating any
				if x.Rating > 0 {
					rating = x.Rating
				}
				asked := time.UnixMilli(x.CreatedAt).In(web.Shanghai).Format("2006-01-02 15:04")
				if err := s.Row(asked, x.TownName+" "+x.VillageName, i18n.T(lang, "consult.cat."+x.Category), x.Name+" "+x.Phone, x.AdvisorName, st, rating); err != nil {
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
