package holiday

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// maxText is the most text a pasted or uploaded arrangement may hold (a
// year's is under 2 KB).
const maxText = 64 << 10

type pages struct {
	h   *web.Web
	svc *Service
}

func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/holidays", Name: "holidays", Handler: p.list},
		{Method: "POST", Pattern: "/holidays/preview", Name: "holidays_preview", Handler: p.preview},
		{Method: "POST", Pattern: "/holidays", Name: "holidays_save", Handler: p.save},
	}
}

// dayRow is one day as the page shows it: 2027年2月6日 星期六.
type dayRow struct {
	Date, Written, Weekday, Kind, Name string
}

type holidaysView struct {
	Years    []Year
	Show     int // the year whose days are listed
	Days     []dayRow
	NextYear int // the year the form suggests
	Preview  *Preview
	Rows     []dayRow // the preview's days
	TextErrs []string // every bad line, translated
	MinYear  int
	MaxYear  int
}

func (p *pages) view(r *http.Request) (*web.View, *holidaysView, error) {
	ctx, a := r.Context(), web.ActorOf(r)
	years, err := p.svc.Years(ctx, a)
	if err != nil {
		return nil, nil, err
	}
	v := p.h.View(r, "holidays", "hol.title", nil)
	v.WarnHolidays(p.svc.svc.UncoveredYears(ctx))
	now := p.svc.svc.Now().In(calendar.Shanghai).Year()
	d := &holidaysView{Years: years, NextYear: now + 1, MinYear: MinYear, MaxYear: MaxYear}
	c := p.svc.Calendar(ctx)
	for _, y := range []int{now, now + 1} {
		if !c.Known(y) {
			d.NextYear = y
			break
		}
	}
	d.Show = d.NextYear
	if !c.Known(d.Show) {
		d.Show = now
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && c.Known(y) {
		d.Show = y
	}
	d.Days = rows(v.Lang, c.Days(d.Show))
	v.Data = d
	return v, d, nil
}

func rows(lang string, days []calendar.Day) []dayRow {
	out := make([]dayRow, len(days))
	for i, x := range days {
		t, _ := time.Parse(calendar.DateLayout, x.Date)
		out[i] = dayRow{Date: x.Date, Written: writeDate(lang, t), Weekday: i18n.T(lang, "hol.wd."+strconv.Itoa(int(t.Weekday()))),
			Kind: i18n.T(lang, "hol.kind_"+x.Kind), Name: x.Name}
	}
	return out
}

// writeDate writes a date as offices do: 2027年2月6日 (English: 6 Feb 2027).
func writeDate(lang string, t time.Time) string {
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (p *pages) list(w http.ResponseWriter, r *http.Request) {
	v, d, err := p.view(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v.Form = map[string][]string{"year": {strconv.Itoa(d.NextYear)}}
	p.h.Render(w, r, http.StatusOK, "holidays", v)
}

// input reads the form: the year and the arrangement, pasted or uploaded
// (an uploaded file wins over the pasted text).
func (p *pages) input(r *http.Request) (year int, text string, err error) {
	if err := web.ParseForm(r, maxText+8<<10); err != nil {
		return 0, "", err
	}
	text = r.PostFormValue("text")
	if file, _, ferr := r.FormFile("file"); ferr == nil {
		defer file.Close()
		b, rerr := io.ReadAll(io.LimitReader(file, maxText+1))
		switch {
		case rerr != nil || len(b) == 0:
			return 0, "", counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file"})
		case len(b) > maxText:
			return 0, "", counsel.Invalid(counsel.FieldError{Field: "file", Key: "hol.err_too_long", Args: []any{maxText >> 10}})
		case !utf8.Valid(b):
			return 0, "", counsel.Invalid(counsel.FieldError{Field: "file", Key: "hol.err_encoding"})
		}
		text = string(b)
	}
	if len(text) > maxText {
		return 0, "", counsel.Invalid(counsel.FieldError{Field: "text", Key: "hol.err_too_long", Args: []any{maxText >> 10}})
	}
	ys := strings.TrimSpace(r.PostFormValue("year"))
	year, yerr := strconv.Atoi(ys)
	if yerr != nil {
		return 0, "", counsel.Invalid(counsel.FieldError{Field: "year", Key: "hol.err_year_range", Args: []any{MinYear, MaxYear}})
	}
	if strings.TrimSpace(text) == "" {
		return 0, "", counsel.Invalid(counsel.FieldError{Field: "text", Key: "hol.err_empty"})
	}
	return year, text, nil
}

// fail shows the page again with the input kept and every error next to
// its field (every bad line under the text box).
func (p *pages) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, counsel.ErrForbidden) {
		p.h.Fail(w, r, err)
		return
	}
	v, d, verr := p.view(r)
	if verr != nil {
		p.h.Fail(w, r, verr)
		return
	}
	status := p.h.FormFail(r, v, err)
	var ce *counsel.Error
	if errors.As(err, &ce) {
		for _, f := range ce.Fields {
			if f.Field == "text" {
				d.TextErrs = append(d.TextErrs, i18n.T(v.Lang, f.Key, f.Args...))
			}
		}
	}
	p.h.Render(w, r, status, "holidays", v)
}

func (p *pages) preview(w http.ResponseWriter, r *http.Request) {
	year, text, err := p.input(r)
	if err == nil {
		var pv *Preview
		pv, err = p.svc.PreviewYear(r.Context(), web.ActorOf(r), year, text)
		if err == nil {
			v, d, verr := p.view(r)
			if verr != nil {
				p.h.Fail(w, r, verr)
				return
			}
			d.Preview, d.Rows = pv, rows(v.Lang, pv.Days)
			v.Form = r.PostForm
			p.h.Render(w, r, http.StatusOK, "holidays", v)
			return
		}
	}
	p.fail(w, r, err)
}

func (p *pages) save(w http.ResponseWriter, r *http.Request) {
	year, text, err := p.input(r)
	if err == nil {
		_, err = p.svc.SaveYear(r.Context(), web.ActorOf(r), year, text)
		if err == nil {
			web.Redirect(w, r, "/holidays?year="+strconv.Itoa(year), "saved")
			return
		}
	}
	p.fail(w, r, err)
}
