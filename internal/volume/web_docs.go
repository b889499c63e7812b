package volume

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The yearly documents of a volume: the service plan (年度服务计划, R17) and
// the improvement report (法治提升建议报告, R28).

// documentFormView is the document form: a chooser (village, kind, year)
// and, once chosen, the editor.
type documentFormView struct {
	Towns     []Town
	Kinds     []string
	Admin     bool
	Ready     bool // village, kind and year chosen
	Village   string
	Kind      string
	Year      int
	AdvisorID int64
	Existing  *counsel.Document
}

// documentChoice reads the chosen village, kind, year and advisor from
// values (a query or a form).
func (h *pages) documentChoice(a *counsel.Actor, vals url.Values, towns []Town) (village, kind string, year int, advisorID int64) {
	village = strings.TrimSpace(vals.Get("village_code"))
	if village == "" {
		village = strings.TrimSpace(vals.Get("village"))
	}
	if village == "" && volChoiceCount(towns) == 1 {
		village = towns[0].Villages[0].Code
	}
	kind = vals.Get("kind")
	if !ValidDocKind(kind) {
		kind = counsel.DocPlan
	}
	year, _ = strconv.Atoi(strings.TrimSpace(vals.Get("year")))
	if year == 0 {
		year, _ = strconv.Atoi(h.vol.Svc.Today()[:4])
	}
	advisorID = a.AdvisorID
	if a.Role == counsel.RoleAdmin {
		advisorID, _ = strconv.ParseInt(strings.TrimSpace(first(vals.Get("advisor_id"), vals.Get("advisor"))), 10, 64)
	}
	return village, kind, year, advisorID
}

func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func (h *pages) documentForm(w http.ResponseWriter, r *http.Request, v *web.View, vals url.Values, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	lang := server.Lang(ctx)
	fv := &documentFormView{Towns: h.villageChoices(ctx, a, false), Kinds: DocKinds, Admin: a.Role == counsel.RoleAdmin}
	fv.Village, fv.Kind, fv.Year, fv.AdvisorID = h.documentChoice(a, vals, fv.Towns)
	reg, err := h.vol.Village(ctx, fv.Village)
	fv.Ready = err == nil && reg.Level == counsel.LevelVillage && fv.AdvisorID > 0 && fv.Year > 0
	if fv.Ready {
		fv.Existing, _ = h.vol.DocumentFor(ctx, a, fv.AdvisorID, fv.Village, fv.Kind, fv.Year)
	}
	if v.Form == nil {
		v.Form = url.Values{}
		if fv.Existing != nil {
			v.Form.Set("title", fv.Existing.Title)
			v.Form.Set("body", fv.Existing.Body)
		} else if fv.Ready {
			v.Form.Set("title", DocTitle(lang, fv.Kind, reg.Name, fv.Year))
			v.Form.Set("body", h.documentDraft(ctx, a, lang, fv.Kind, fv.Village, fv.Year))
		}
	}
	v.Form.Set("village_code", fv.Village)
	v.Form.Set("kind", fv.Kind)
	v.Form.Set("year", strconv.Itoa(fv.Year))
	if fv.AdvisorID > 0 {
		v.Form.Set("advisor_id", strconv.FormatInt(fv.AdvisorID, 10))
	}
	v.Data = fv
	h.Render(w, r, status, "document_form", v)
}

// documentDraft is the outline a new document starts from; the improvement
// report's opens with the year's services from the ledger.
func (h *pages) documentDraft(ctx context.Context, a *counsel.Actor, lang, kind, village string, year int) string {
	if kind != counsel.DocImprovement {
		return i18n.T(lang, "doc.outline.plan")
	}
	y := strconv.Itoa(year)
	stats := ""
	if vol, err := h.vol.Volume(ctx, a, village, y+"-01-01", y+"-12-31"); err == nil {
		var parts []string
		for _, k := range vol.Totals.ByKind {
			parts = append(parts, i18n.T(lang, "doc.outline.kind", policy.KindLabel(k.Kind, lang), k.Entries))
		}
		stats = i18n.T(lang, "doc.outline.stats", year, vol.Totals.Counted, hoursText(vol.Totals.Minutes), hoursText(vol.Totals.OnsiteMinutes),
			strings.Join(parts, i18n.T(lang, "doc.outline.sep")), len(vol.Matters))
	}
	return i18n.T(lang, "doc.outline.improvement", stats)
}

// hoursText shows minutes as hours with at most two decimals.
func hoursText(min int) string {
	return strconv.FormatFloat(volHours(min), 'f', -1, 64)
}

func (h *pages) documentNew(w http.ResponseWriter, r *http.Request) {
	if !canOpenMatters(web.ActorOf(r)) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	h.documentForm(w, r, h.View(r, "matters", "doc.new_title", nil), r.URL.Query(), http.StatusOK)
}

func (h *pages) documentSave(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	if !canOpenMatters(a) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	v := h.View(r, "matters", "doc.new_title", nil)
	if err := web.ParseForm(r, 1<<20); err != nil {
		h.documentForm(w, r, v, r.PostForm, h.FormFail(r, v, err))
		return
	}
	year, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("year")))
	if err != nil {
		year = -1
	}
	d := &counsel.Document{Kind: r.PostFormValue("kind"), VillageCode: r.PostFormValue("village_code"), Year: year,
		AdvisorID: web.FormID(r, "advisor_id"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	if err := h.vol.SaveDocument(r.Context(), a, d); err != nil {
		if volRefused(h, w, r, err) {
			return
		}
		h.documentForm(w, r, v, r.PostForm, h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/documents/"+strconv.FormatInt(d.ID, 10), "document_saved")
}

// documentView is a document's printable page.
type documentView struct {
	D        *counsel.Document
	Place    string
	CanWrite bool
	EditURL  string
	Volume   string
}

func (h *pages) documentShow(w http.ResponseWriter, r *http.Request) {
	d, ok := web.LoadByID(h.Web, w, r, h.vol.Document)
	if !ok {
		return
	}
	ctx, a := r.Context(), web.ActorOf(r)
	y := strconv.Itoa(d.Year)
	q := url.Values{"village": {d.VillageCode}, "kind": {d.Kind}, "year": {y}}
	if a.Role == counsel.RoleAdmin {
		q.Set("advisor", strconv.FormatInt(d.AdvisorID, 10))
	}
	dv := &documentView{D: d, Place: h.vol.PlaceName(ctx, d.VillageCode), CanWrite: authz.CanWriteDocument(a, d),
		EditURL: "/ledger/documents/new?" + q.Encode(),
		Volume:  "/ledger/volume?" + url.Values{"village": {d.VillageCode}, "from": {y + "-01-01"}, "to": {y + "-12-31"}}.Encode()}
	v := h.View(r, "matters", "doc.title", dv)
	v.Title = d.Title
	h.Render(w, r, http.StatusOK, "document", v)
}
