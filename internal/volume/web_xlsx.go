package volume

import (
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The volumes as workbooks: a summary, the totals by kind, the entries in
// chain order, the matters, the documents and the agreements.

// volDate is a date cell (a real date in the sheet), or empty.
func volDate(s string) any {
	t, err := time.Parse(counsel.DateLayout, s)
	if err != nil {
		return s
	}
	return t
}

// volHours is minutes as hours, a number.
func volHours(min int) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(float64(min)/60, 'f', 2, 64), 64)
	return f
}

func volT(lang string, keys ...string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = i18n.T(lang, k)
	}
	return out
}

// volAmendNote says how an entry stands in the chain of corrections.
func volAmendNote(lang string, e *counsel.Entry) string {
	s := ""
	if e.AmendsID != 0 {
		s = i18n.T(lang, "volume.amends", e.AmendsID)
	}
	if e.AmendedBy != 0 {
		if s != "" {
			s += "；"
		}
		s += i18n.T(lang, "volume.amended_by", e.AmendedBy)
	}
	return s
}

// entrySheet lists entries in chain order; with towns (village code → town
// name) the town and village come first (provider volumes).
func entrySheet(lang, title, subtitle string, es []volEntry, towns map[string]string) xlsx.VolumeSheet {
	s := xlsx.VolumeSheet{Name: i18n.T(lang, "volx.entries_part"), Title: title, Subtitle: subtitle, Landscape: true}
	var groups []xlsx.VolumeGroup
	var headers []string
	if towns != nil {
		groups = append(groups, xlsx.VolumeGroup{Label: i18n.T(lang, "volx.g_village"), Span: 2})
		headers = append(headers, volT(lang, "volx.town", "volx.village")...)
	}
	seq := i18n.T(lang, "volx.seq")
	groups = append(groups, xlsx.VolumeGroup{Label: seq, Span: 1}, xlsx.VolumeGroup{Label: i18n.T(lang, "volx.g_service"), Span: 9},
		xlsx.VolumeGroup{Label: i18n.T(lang, "volx.g_content"), Span: 2}, xlsx.VolumeGroup{Label: i18n.T(lang, "volx.g_check"), Span: 4})
	headers = append(headers, seq)
	headers = append(headers, volT(lang, "volx.date", "volx.start", "volx.advisor", "volx.kind", "volx.mode", "volx.hours", "volx.place",
		"volx.served", "volx.attendees", "volx.content", "volx.result", "volx.matter", "volx.status", "volx.amend", "volx.hash")...)
	s.Groups, s.Headers = groups, headers
	off := len(headers) - 16
	s.Text = []int{off + 10, off + 11}
	counted := 0
	minutes := 0
	for _, e := range es {
		var row []any
		if towns != nil {
			row = append(row, towns[e.VillageCode], e.VillageName)
		}
		var att any
		if e.Attendees > 0 {
			att = e.Attendees
		}
		status := i18n.T(lang, "estatus."+e.Status)
		row = append(row, e.Seq, volDate(e.Date), e.StartTime, e.AdvisorName, policy.KindLabel(e.Kind, lang), policy.ModeLabel(e.Mode, lang),
			volHours(e.Minutes), e.Place, e.Served, att, e.Content, e.Result, e.Matter, status, volAmendNote(lang, &e.Entry), e.Short)
		s.Rows = append(s.Rows, row)
		if e.Counts {
			counted++
			minutes += e.Minutes
		}
	}
	total := make([]any, len(headers))
	total[0] = i18n.T(lang, "volx.total_counted")
	total[off+1] = i18n.T(lang, "volx.times", counted)
	total[off+6] = volHours(minutes)
	s.Total = total
	return s
}

// kindSheet is the totals by kind.
func kindSheet(lang, title, subtitle string, t VolumeTotals) xlsx.VolumeSheet {
	s := xlsx.VolumeSheet{Name: i18n.T(lang, "volx.totals"), Title: title, Subtitle: subtitle,
		Headers: volT(lang, "volx.kind", "volx.times_col", "volx.hours", "volx.onsite_hours")}
	for _, k := range t.ByKind {
		s.Rows = append(s.Rows, []any{policy.KindLabel(k.Kind, lang), k.Entries, volHours(k.Minutes), volHours(k.OnsiteMinutes)})
	}
	s.Total = []any{i18n.T(lang, "volx.total"), t.Counted, volHours(t.Minutes), volHours(t.OnsiteMinutes)}
	return s
}

func matterSheet(lang, title, subtitle string, ms []counsel.Matter, withVillage bool) xlsx.VolumeSheet {
	s := xlsx.VolumeSheet{Name: i18n.T(lang, "volx.matters"), Title: title, Subtitle: subtitle, Landscape: true}
	if withVillage {
		s.Headers = volT(lang, "volx.village")
	}
	s.Headers = append(s.Headers, volT(lang, "volx.matter_no", "volx.matter_title", "volx.kind", "volx.parties", "volx.advisor",
		"volx.opened", "volx.closed", "volx.status", "volx.outcome", "volx.matter_entries")...)
	off := len(s.Headers) - 10
	s.Text = []int{off + 3, off + 8}
	for _, m := range ms {
		var row []any
		if withVillage {
			row = append(row, m.VillageName)
		}
		row = append(row, m.ID, m.Title, policy.KindLabel(m.Category, lang), m.Parties, m.AdvisorName, volDate(m.OpenedOn), volDate(m.ClosedOn),
			i18n.T(lang, "matter.status."+m.Status), m.Outcome, m.Entries)
		s.Rows = append(s.Rows, row)
	}
	return s
}

func documentSheet(lang, title, subtitle string, ds []counsel.Document, villages map[string]string) xlsx.VolumeSheet {
	s := xlsx.VolumeSheet{Name: i18n.T(lang, "volx.documents"), Title: title, Subtitle: subtitle}
	if villages != nil {
		s.Headers = volT(lang, "volx.village")
	}
	s.Headers = append(s.Headers, volT(lang, "volx.year", "volx.doc_kind", "volx.doc_title", "volx.advisor", "volx.updated", "volx.body")...)
	s.Text = []int{len(s.Headers) - 1}
	s.Widths = make([]float64, len(s.Headers))
	s.Widths[len(s.Headers)-1] = 60
	for _, d := range ds {
		var row []any
		if villages != nil {
			row = append(row, villages[d.VillageCode])
		}
		row = append(row, d.Year, i18n.T(lang, "doc.kind."+d.Kind), d.Title, d.AdvisorName,
			time.UnixMilli(d.UpdatedAt).In(web.Shanghai).Format("2006-01-02 15:04"), d.Body)
		s.Rows = append(s.Rows, row)
	}
	return s
}

func agreementSheet(lang, title, subtitle string, gs []counsel.Agreement) xlsx.VolumeSheet {
	s := xlsx.VolumeSheet{Name: i18n.T(lang, "volx.agreements"), Title: title, Subtitle: subtitle,
		Headers: volT(lang, "volx.region", "volx.advisor", "volx.provider", "volx.term_start", "volx.term_end", "volx.status")}
	for _, g := range gs {
		region := g.RegionName
		if g.Packaged {
			region += i18n.T(lang, "volume.packaged")
		}
		s.Rows = append(s.Rows, []any{region, g.AdvisorName, g.ProviderName, volDate(g.StartDate), volDate(g.EndDate), i18n.T(lang, "reg.status."+g.Status)})
	}
	return s
}

// summarySheet is a volume's front page as label–value rows.
func summarySheet(lang, title, subtitle string, rows [][]any) xlsx.VolumeSheet {
	return xlsx.VolumeSheet{Name: i18n.T(lang, "volume.summary"), Title: title, Subtitle: subtitle,
		Headers: volT(lang, "volx.item", "volx.value"), Text: []int{1}, Widths: []float64{22, 60}, Rows: rows}
}

func totalsRows(lang string, t VolumeTotals) [][]any {
	return [][]any{
		{i18n.T(lang, "volume.t_entries"), i18n.T(lang, "volume.t_entries_v", t.Entries, t.Counted)},
		{i18n.T(lang, "volume.t_hours"), i18n.T(lang, "volume.t_hours_v", hoursText(t.Minutes), hoursText(t.OnsiteMinutes))},
		{i18n.T(lang, "volume.t_review"), i18n.T(lang, "volume.t_review_v", t.Confirmed, t.Pending, t.Disputed)},
		{i18n.T(lang, "volume.t_amend"), i18n.T(lang, "volume.t_amend_v", t.Amended, t.Amending)},
	}
}

func (h *pages) volumeXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	lang := server.Lang(ctx)
	village, from, to := volumeArgs(r)
	vol, err := h.vol.Volume(ctx, a, village, from, to)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	title := i18n.T(lang, "volume.book_title", vol.Village.Name)
	sub := i18n.T(lang, "volume.subtitle", vol.Place, vol.From, vol.To, h.vol.Svc.Today())
	var advisors string
	for i, ad := range vol.Advisors {
		if i > 0 {
			advisors += "；"
		}
		advisors += ad.Name
		if ad.Provider != "" {
			advisors += "（" + ad.Provider + "）"
		}
	}
	rows := [][]any{
		{i18n.T(lang, "volume.village"), vol.Place},
		{i18n.T(lang, "volume.period"), vol.From + " ~ " + vol.To},
		{i18n.T(lang, "volume.advisors"), advisors},
	}
	rows = append(rows, totalsRows(lang, vol.Totals)...)
	rows = append(rows, []any{i18n.T(lang, "volx.matters"), len(vol.Matters)}, []any{i18n.T(lang, "volx.documents"), len(vol.Documents)})
	if vol.Narrowed {
		rows = append(rows, []any{i18n.T(lang, "volume.note"), i18n.T(lang, "volume.narrowed")})
	}
	sheets := []xlsx.VolumeSheet{
		summarySheet(lang, title, sub, rows),
		kindSheet(lang, title, sub, vol.Totals),
		entrySheet(lang, title, sub, volEntries(vol.Entries, vol.Matters), nil),
		matterSheet(lang, title, sub, vol.Matters, false),
		documentSheet(lang, title, sub, vol.Documents, nil),
		agreementSheet(lang, title, sub, vol.Agreements),
	}
	name := i18n.T(lang, "volume.file", vol.Village.Name, vol.From, vol.To) + ".xlsx"
	h.SendXLSX(w, r, name, "volume-"+vol.Village.Code+"-"+vol.From+"-"+vol.To+".xlsx", func(wr io.Writer) error {
		return xlsx.WriteVolume(wr, sheets)
	})
}

func (h *pages) providerVolumeXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	lang := server.Lang(ctx)
	id, from, to := h.providerArgs(r)
	if a.Role == counsel.RoleVillage || id == 0 {
		h.Fail(w, r, errNotFoundPage)
		return
	}
	pv, err := h.vol.ProviderVolume(ctx, a, id, from, to)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	title := i18n.T(lang, "volume.provider_book_title", pv.Provider.Name)
	sub := i18n.T(lang, "volume.subtitle", pv.Provider.Name, pv.From, pv.To, h.vol.Svc.Today())
	sum := xlsx.VolumeSheet{Name: i18n.T(lang, "volume.summary"), Title: title, Subtitle: sub,
		Headers: volT(lang, "volx.town", "volx.village", "volx.entries", "volx.counted", "volx.hours", "volx.onsite_hours",
			"volx.pending", "volx.disputed", "volx.matters", "volx.documents")}
	towns := map[string]string{}
	villages := map[string]string{}
	var es []volEntry
	var ms []counsel.Matter
	var ds []counsel.Document
	for _, s := range pv.Sections {
		t := s.Totals
		towns[s.Village.Code], villages[s.Village.Code] = s.TownName, s.Village.Name
		sum.Rows = append(sum.Rows, []any{s.TownName, s.Village.Name, t.Entries, t.Counted, volHours(t.Minutes), volHours(t.OnsiteMinutes),
			t.Pending, t.Disputed, len(s.Matters), len(s.Documents)})
		es = append(es, volEntries(s.Entries, s.Matters)...)
		ms = append(ms, s.Matters...)
		ds = append(ds, s.Documents...)
	}
	t := pv.Totals
	sum.Total = []any{i18n.T(lang, "volx.total"), "", t.Entries, t.Counted, volHours(t.Minutes), volHours(t.OnsiteMinutes), t.Pending, t.Disputed, len(ms), len(ds)}
	sum.Landscape = true
	sheets := []xlsx.VolumeSheet{
		sum,
		kindSheet(lang, title, sub, pv.Totals),
		entrySheet(lang, title, sub, es, towns),
		matterSheet(lang, title, sub, ms, true),
		documentSheet(lang, title, sub, ds, villages),
		agreementSheet(lang, title, sub, pv.Agreements),
	}
	name := i18n.T(lang, "volume.provider_file", pv.Provider.Name, pv.From, pv.To) + ".xlsx"
	h.SendXLSX(w, r, name, "provider-volume-"+strconv.FormatInt(pv.Provider.ID, 10)+"-"+pv.From+"-"+pv.To+".xlsx", func(wr io.Writer) error {
		return xlsx.WriteVolume(wr, sheets)
	})
}
