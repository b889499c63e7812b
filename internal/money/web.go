package money

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the money area's page handlers.
type pages struct {
	h   *web.Web
	svc *Service
}

func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/money", Name: "money", Handler: p.overview},
		{Method: "POST", Pattern: "/money/standard", Name: "money_standard", Handler: p.saveStandard},
		{Method: "POST", Pattern: "/money/rules", Name: "money_rule_add", Handler: p.addRule},
		{Method: "POST", Pattern: "/money/rules/{id}/delete", Name: "money_rule_delete", Handler: p.deleteRule},
		{Method: "POST", Pattern: "/money/settlements", Name: "money_run", Handler: p.run},
		{Method: "GET", Pattern: "/money/settlements/{id}", Name: "money_settlement", Handler: p.settlement},
		{Method: "POST", Pattern: "/money/settlements/{id}/advance", Name: "money_advance", Handler: p.advance},
		{Method: "POST", Pattern: "/money/settlements/{id}/correct", Name: "money_correct", Handler: p.correct},
		{Method: "GET", Pattern: "/money/settlements/{id}/pay/{payer}", Name: "money_paylist", Handler: p.payList},
		{Method: "GET", Pattern: "/money/settlements/{id}/pay/{payer}/xlsx", Name: "money_paylist_xlsx", Handler: p.payListXLSX},
		{Method: "GET", Pattern: "/money/renew", Name: "money_renew_form", Handler: p.renewForm},
		{Method: "POST", Pattern: "/money/renew", Name: "money_renew", Handler: p.renew},
		{Method: "GET", Pattern: "/money/replace/{id}", Name: "money_replace_form", Handler: p.replaceForm},
		{Method: "POST", Pattern: "/money/replace/{id}", Name: "money_replace", Handler: p.replace},
	}
}

// overviewView is the money page: a jurisdiction's standard, a county's
// deduction rules and settlements; for a finance account its lists.
type overviewView struct {
	Region         string
	RegionName     string
	Eff            *Effective
	CanSetStandard bool
	County         bool
	CanSettle      bool
	Rules          []DeductionRule
	Settlements    []Settlement
	Finance        bool
	Lists          []financeList
	RuleKinds      []string
	Year           int
	FloorName      string
}

// financeList is a finance account's list of a settlement.
type financeList struct {
	S     Settlement
	Payer string
}

// Yuan formats fen for a template (12,000.00).
func (overviewView) Yuan(f Fen) string { return FormatYuan(f) }

func (p *pages) overview(w http.ResponseWriter, r *http.Request) {
	p.overviewPage(w, r, p.h.View(r, "money", "money.title", nil), http.StatusOK)
}

func (p *pages) overviewPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	ov := &overviewView{RuleKinds: RuleKinds, Year: p.svc.Now().In(calendar.Shanghai).Year()}
	v.Data = ov
	if a.Role == counsel.RoleFinance {
		ss, err := p.svc.FinanceLists(ctx, a)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		ov.Finance = true
		for _, s := range ss {
			ov.Lists = append(ov.Lists, financeList{S: s, Payer: a.RegionCode})
		}
		p.h.Render(w, r, status, "money", v)
		return
	}
	if !authz.CanReadMoney(a) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	ov.Region = a.RegionCode
	if authz.IsAdmin(a) {
		ov.Region = strings.TrimSpace(r.URL.Query().Get("region"))
		if ov.Region == "" {
			ov.Region = strings.TrimSpace(r.PostFormValue("region_code"))
		}
	}
	if lv := counsel.LevelOf(ov.Region); lv >= counsel.LevelProvince && lv <= counsel.LevelCounty {
		ov.RegionName = p.svc.regionName(ctx, ov.Region)
		eff, err := p.svc.Effective(ctx, ov.Region)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		ov.Eff = &eff
		if eff.FloorFrom != "" {
			ov.FloorName = p.svc.regionName(ctx, eff.FloorFrom)
		}
		ov.CanSetStandard = authz.CanSetSubsidyStandard(a, ov.Region)
		if lv == counsel.LevelCounty {
			ov.County = true
			ov.CanSettle = authz.CanSettle(a, ov.Region)
			rules, err := p.svc.Rules(ctx, a, ov.Region)
			if err != nil {
				p.h.Fail(w, r, err)
				return
			}
			ov.Rules = rules
		}
	}
	ss, err := p.svc.Settlements(ctx, a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ov.Settlements = ss
	if v.Form == nil && ov.Eff != nil {
		v.Form = map[string][]string{"base_fen": {yuanField(ov.Eff.Base)}, "town_share_pct": {strconv.Itoa(ov.Eff.TownSharePct)}, "year": {strconv.Itoa(ov.Year)}}
		if o := ov.Eff.Own; o != nil {
			v.Form["city_fen"], v.Form["county_fen"], v.Form["note"] = []string{yuanOpt(o.CityFen)}, []string{yuanOpt(o.CountyFen)}, []string{o.Note}
		}
	}
	p.h.Render(w, r, status, "money", v)
}

// yuanField is an amount as a form shows it (5000.00, no commas).
func yuanField(f Fen) string { return strings.ReplaceAll(FormatYuan(f), ",", "") }

// yuanOpt is an optional amount: empty for 0.
func yuanOpt(f Fen) string {
	if f == 0 {
		return ""
	}
	return yuanField(f)
}

// formYuan reads an amount field in yuan; empty is 0 when optional.
func formYuan(r *http.Request, field string, optional bool, f *counsel.Fields) Fen {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" && optional {
		return 0
	}
	v, err := ParseYuan(s)
	if err != nil {
		*f = append(*f, amountErr(field))
	}
	return v
}

func formInt(r *http.Request, field string, f *counsel.Fields) int {
	s := strings.TrimSpace(r.PostFormValue(field))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(field, "err.money_number")
	}
	return n
}

// formFail re-renders the overview with the errors, or fails the request
// when the error is not about the input.
func (p *pages) formFail(w http.ResponseWriter, r *http.Request, err error) {
	if counsel.ErrorCode(err) != counsel.CodeInvalid {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "money", "money.title", nil)
	p.overviewPage(w, r, v, p.h.FormFail(r, v, err))
}

func (p *pages) saveStandard(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var f counsel.Fields
	in := StandardInput{RegionCode: r.PostFormValue("region_code"), BaseFen: formYuan(r, "base_fen", false, &f), CityFen: formYuan(r, "city_fen", true, &f),
		CountyFen: formYuan(r, "county_fen", true, &f), TownSharePct: formInt(r, "town_share_pct", &f), Note: r.PostFormValue("note")}
	if !authz.CanSetSubsidyStandard(web.ActorOf(r), p.target(r, in.RegionCode)) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	if err := f.Err(); err != nil {
		p.formFail(w, r, err)
		return
	}
	if _, err := p.svc.SaveStandard(r.Context(), web.ActorOf(r), in); err != nil {
		p.formFail(w, r, err)
		return
	}
	web.Redirect(w, r, p.back(r), "money_standard")
}

// target is the region a form acts on: the one given, or the bureau's own.
func (p *pages) target(r *http.Request, code string) string {
	code = strings.TrimSpace(code)
	if a := web.ActorOf(r); code == "" && a.Role == counsel.RoleBureau {
		return a.RegionCode
	}
	return code
}

// back is the overview of the region a form acted on.
func (p *pages) back(r *http.Request) string {
	if code := strings.TrimSpace(r.PostFormValue("region_code")); code != "" && authz.IsAdmin(web.ActorOf(r)) {
		return "/money?region=" + code
	}
	return "/money"
}

func (p *pages) addRule(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	a := web.ActorOf(r)
	if !authz.CanSettle(a, p.target(r, r.PostFormValue("region_code"))) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	var f counsel.Fields
	kind := r.PostFormValue("kind")
	rule := DeductionRule{RegionCode: r.PostFormValue("region_code"), Kind: kind, DutyRule: r.PostFormValue("duty_rule"), Grade: r.PostFormValue("grade"),
		CapFen: formYuan(r, "cap_fen", true, &f)}
	if kind == RuleGrade {
		rule.Pct = formInt(r, "pct", &f)
	} else {
		rule.AmountFen = formYuan(r, "amount_fen", false, &f)
	}
	if err := f.Err(); err != nil {
		p.formFail(w, r, err)
		return
	}
	if _, err := p.svc.AddRule(r.Context(), a, rule); err != nil {
		p.formFail(w, r, err)
		return
	}
	web.Redirect(w, r, p.back(r), "money_rule")
}

func (p *pages) deleteRule(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	if err := p.svc.DeleteRule(r.Context(), web.ActorOf(r), id); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, p.back(r), "money_rule_deleted")
}

func (p *pages) run(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	a := web.ActorOf(r)
	if !authz.CanSettle(a, p.target(r, r.PostFormValue("region_code"))) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	var f counsel.Fields
	in := RunInput{RegionCode: r.PostFormValue("region_code"), Year: formInt(r, "year", &f), Half: formInt(r, "half", &f)}
	if err := f.Err(); err != nil {
		p.formFail(w, r, err)
		return
	}
	st, err := p.svc.Run(r.Context(), a, in)
	if err != nil {
		p.formFail(w, r, err)
		return
	}
	web.Redirect(w, r, "/money/settlements/"+itoa(st.ID), "money_run")
}

// settlementView is a settlement's page.
type settlementView struct {
	S           *Settlement
	Lines       []Line
	Corrections []Correction
	Payers      []PayerRef
	CanSettle   bool
	Total       string
	Capitals    string
	Actions     []string
	Sums        lineSums
}

// lineSums are the settlement's column totals.
type lineSums struct{ Prorated, Deduction, Correction, Due Fen }

// Yuan formats fen for a template (12,000.00).
func (settlementView) Yuan(f Fen) string { return FormatYuan(f) }

func (p *pages) settlement(w http.ResponseWriter, r *http.Request) {
	p.settlementPage(w, r, p.h.View(r, "money", "money.settlement", nil), http.StatusOK)
}

func (p *pages) settlementPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ctx, a := r.Context(), web.ActorOf(r)
	st, lines, cs, err := p.svc.Settlement(ctx, a, id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	sv := &settlementView{S: st, Lines: lines, Corrections: cs, Payers: p.svc.payersOf(ctx, st, lines), CanSettle: authz.CanSettle(a, st.RegionCode),
		Total: FormatYuan(st.TotalFen), Capitals: Capitals(st.TotalFen)}
	for _, l := range lines {
		sv.Sums.Prorated += l.ProratedFen
		sv.Sums.Deduction += l.DeductionFen
		sv.Sums.Correction += l.CorrectionFen
		sv.Sums.Due += l.DueFen
	}
	switch st.Status {
	case StatusDraft:
		sv.Actions = []string{ActReview}
	case StatusReviewed:
		sv.Actions = []string{ActLock, ActReopen}
	case StatusLocked:
		sv.Actions = []string{ActSign}
	}
	v.Data = sv
	v.Title = st.RegionName + " " + periodTitle(st)
	p.h.Render(w, r, status, "money_settlement", v)
}

// periodTitle names a settlement's period: 2026年度, 2026年上半年.
func periodTitle(st *Settlement) string {
	y := strconv.Itoa(st.Year)
	switch st.Half {
	case 1:
		return y + "年上半年"
	case 2:
		return y + "年下半年"
	}
	return y + "年度"
}

func (p *pages) advance(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	action := r.PostFormValue("action")
	if _, err := p.svc.Advance(r.Context(), web.ActorOf(r), id, action); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/money/settlements/"+itoa(id), "money_"+action)
}

func (p *pages) correct(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	var f counsel.Fields
	lineID, _ := strconv.ParseInt(r.PostFormValue("line_id"), 10, 64)
	in := CorrectionInput{LineID: lineID, DueFen: formYuan(r, "due_fen", false, &f), Reason: r.PostFormValue("reason")}
	err := f.Err()
	if err == nil {
		_, err = p.svc.Correct(r.Context(), web.ActorOf(r), id, in)
	}
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "money", "money.settlement", nil)
		p.settlementPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/money/settlements/"+itoa(id), "money_corrected")
}

// payListView is a printable payment list.
type payListView struct {
	L      *PayList
	Period string
	Span   string // 2026年1月1日至2026年12月31日
	Total  string
	Today  string
}

// Yuan formats fen for a template (12,000.00).
func (payListView) Yuan(f Fen) string { return FormatYuan(f) }

func (p *pages) loadPayList(w http.ResponseWriter, r *http.Request) (*PayList, bool) {
	id, err := web.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return nil, false
	}
	pl, err := p.svc.PayList(r.Context(), web.ActorOf(r), id, r.PathValue("payer"))
	if err != nil {
		p.h.Fail(w, r, err)
		return nil, false
	}
	return pl, true
}

func (p *pages) payList(w http.ResponseWriter, r *http.Request) {
	pl, ok := p.loadPayList(w, r)
	if !ok {
		return
	}
	v := p.h.View(r, "money", "money.paylist", &payListView{L: pl, Period: periodTitle(pl.Settlement), Span: ChineseDate(pl.Settlement.PeriodStart) + "至" + ChineseDate(pl.Settlement.PeriodEnd), Total: FormatYuan(pl.TotalFen), Today: ChineseDate(p.svc.Today())})
	v.Title = pl.PayerName + " " + pl.Settlement.RegionName + periodTitle(pl.Settlement)
	p.h.Render(w, r, http.StatusOK, "money_paylist", v)
}

func (p *pages) payListXLSX(w http.ResponseWriter, r *http.Request) {
	pl, ok := p.loadPayList(w, r)
	if !ok {
		return
	}
	name := pl.Settlement.RegionName + periodTitle(pl.Settlement) + "法律顾问补贴拨付清单-" + pl.PayerName + ".xlsx"
	ascii := "paylist-" + itoa(pl.Settlement.ID) + "-" + pl.PayerCode + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+web.RFC5987(name))
	w.Header().Set("Cache-Control", "private, no-store")
	if err := WritePayList(w, pl, p.svc.Today()); err != nil {
		// Headers are gone once the stream began; the log has it.
		p.svc.Log.ErrorContext(context.WithoutCancel(r.Context()), "payment list export", "settlement_id", pl.Settlement.ID, "payer", pl.PayerCode, "err", err)
	}
}

func (p *pages) replaceForm(w http.ResponseWriter, r *http.Request) {
	p.replacePage(w, r, p.h.View(r, "agreements", "money.replace_title", nil), http.StatusOK)
}

func (p *pages) replacePage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	rf, ok := web.LoadByID(p.h, w, r, p.svc.ReplaceFormFor)
	if !ok {
		return
	}
	v.Data = rf
	if v.Form == nil {
		v.Form = map[string][]string{"last_day": {p.svc.Today()}}
	}
	p.h.Render(w, r, status, "money_replace", v)
}

func (p *pages) replace(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	adv, _ := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("advisor_id")), 10, 64)
	next, err := p.svc.Replace(r.Context(), web.ActorOf(r), ReplaceInput{AgreementID: id, LastDay: r.PostFormValue("last_day"), AdvisorID: adv, Reason: r.PostFormValue("reason")})
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "agreements", "money.replace_title", nil)
		p.replacePage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/agreements/"+itoa(next.ID), "money_replaced")
}

// renewView is the bulk renewal page: last year's agreements to tick.
type renewView struct {
	Region string
	Year   int
	Rows   []renewRow
}

type renewRow struct {
	G       counsel.Agreement
	Checked bool
}

// Yuan formats fen for a template (12,000.00).
func (renewView) Yuan(f Fen) string { return FormatYuan(f) }

func (p *pages) renewForm(w http.ResponseWriter, r *http.Request) {
	p.renewPage(w, r, p.h.View(r, "money", "money.renew_title", nil), http.StatusOK)
}

func (p *pages) renewPage(w http.ResponseWriter, r *http.Request, v *web.View, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	q := r.URL.Query()
	county := p.target(r, q.Get("region"))
	if county == "" {
		county = strings.TrimSpace(r.PostFormValue("region_code"))
	}
	year, err := strconv.Atoi(q.Get("year"))
	if err != nil {
		if year, err = strconv.Atoi(r.PostFormValue("from_year")); err != nil {
			year = p.svc.Now().In(calendar.Shanghai).Year()
		}
	}
	gs, err := p.svc.Renewable(ctx, a, county, year)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	rv := &renewView{Region: county, Year: year}
	chosen := map[string]bool{}
	for _, id := range r.PostForm["ids"] {
		chosen[id] = true
	}
	for _, g := range gs {
		rv.Rows = append(rv.Rows, renewRow{G: g, Checked: r.PostForm == nil || chosen[itoa(g.ID)]})
	}
	if v.Form == nil {
		ny := strconv.Itoa(year + 1)
		v.Form = map[string][]string{"start_date": {ny + "-01-01"}, "end_date": {ny + "-12-31"}}
	}
	v.Data = rv
	p.h.Render(w, r, status, "money_renew", v)
}

func (p *pages) renew(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<20); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var f counsel.Fields
	in := RenewInput{RegionCode: r.PostFormValue("region_code"), StartDate: strings.TrimSpace(r.PostFormValue("start_date")),
		EndDate: strings.TrimSpace(r.PostFormValue("end_date")), SubsidyFen: formYuan(r, "subsidy_fen", true, &f)}
	for _, s := range r.PostForm["ids"] {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			in.IDs = append(in.IDs, id)
		}
	}
	err := f.Err()
	if err == nil {
		_, err = p.svc.Renew(r.Context(), web.ActorOf(r), in)
	}
	if err != nil {
		if counsel.ErrorCode(err) != counsel.CodeInvalid {
			p.h.Fail(w, r, err)
			return
		}
		v := p.h.View(r, "money", "money.renew_title", nil)
		p.renewPage(w, r, v, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/agreements?status=draft", "money_renewed")
}
