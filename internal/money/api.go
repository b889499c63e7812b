package money

import (
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
)

// endpoints are the money area's JSON handlers over the same service.
type endpoints struct {
	h   *api.API
	svc *Service
}

// SettlementDetail is a settlement with its lines, corrections and payers.
type SettlementDetail struct {
	Settlement  *Settlement  `json:"settlement"`
	Lines       []Line       `json:"lines"`
	Corrections []Correction `json:"corrections"`
	Payers      []PayerRef   `json:"payers"`
}

// AdvanceInput moves a settlement on: review, reopen, lock or sign.
type AdvanceInput struct {
	Action string `json:"action"`
}

func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/subsidy-standards/{code}", "subsidy_standard", p.standard), Summary: "The subsidy standard in force in a province, city or county (R39): floor, amounts by village kind, towns' share", Tag: "money", Response: Effective{}},
		{Route: rt("PUT", "/subsidy-standards", "subsidy_standard_save", p.saveStandard), Summary: "Set a jurisdiction's own standard (its bureau, admin); not below the floor its ancestors set", Tag: "money", Request: StandardInput{}, Response: Standard{}},
		{Route: rt("GET", "/deduction-rules", "deduction_rules", p.rules), Summary: "A county's deduction rules (?region=, default the bureau's own)", Tag: "money", Response: []DeductionRule{}, Query: []string{"region"}},
		{Route: rt("POST", "/deduction-rules", "deduction_rule_create", p.addRule), Summary: "Add a deduction rule to a county (county bureau, admin)", Tag: "money", Request: DeductionRule{}, Response: DeductionRule{}},
		{Route: rt("GET", "/settlements", "settlements", p.settlements), Summary: "Settlements in scope; for a finance account, the locked ones it pays in", Tag: "money", Response: []Settlement{}},
		{Route: rt("POST", "/settlements", "settlement_run", p.run), Summary: "Compute a county's settlement of a year or half-year (a new draft, or the draft again)", Tag: "money", Request: RunInput{}, Response: Settlement{}},
		{Route: rt("GET", "/settlements/{id}", "settlement", p.settlement), Summary: "A settlement with its lines (deductions with reasons), corrections and payers", Tag: "money", Response: SettlementDetail{}},
		{Route: rt("POST", "/settlements/{id}/advance", "settlement_advance", p.advance), Summary: "Review, reopen, lock or sign off a settlement", Tag: "money", Request: AdvanceInput{}, Response: Settlement{}},
		{Route: rt("POST", "/settlements/{id}/corrections", "settlement_correct", p.correct), Summary: "Record a correction of a locked settlement's line", Tag: "money", Request: CorrectionInput{}, Response: Correction{}},
		{Route: rt("GET", "/settlements/{id}/pay/{payer}", "settlement_paylist", p.payList), Summary: "A payer's payment list with the total in figures and capitals", Tag: "money", Response: PayList{}},
	}
}

func (p *endpoints) standard(w http.ResponseWriter, r *http.Request) {
	a := api.ActorOf(r)
	code := r.PathValue("code")
	if !authz.CanReadMoney(a) {
		p.h.Fail(w, r, counsel.ErrForbidden)
		return
	}
	if lv := counsel.LevelOf(code); lv < counsel.LevelProvince || lv > counsel.LevelCounty {
		p.h.Fail(w, r, counsel.ErrNotFound)
		return
	}
	e, err := p.svc.Effective(r.Context(), code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, e)
}

func (p *endpoints) saveStandard(w http.ResponseWriter, r *http.Request) {
	var in StandardInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	st, err := p.svc.SaveStandard(r.Context(), api.ActorOf(r), in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, st)
}

func (p *endpoints) rules(w http.ResponseWriter, r *http.Request) {
	a := api.ActorOf(r)
	county := strings.TrimSpace(r.URL.Query().Get("region"))
	if county == "" {
		county = a.RegionCode
	}
	rules, err := p.svc.Rules(r.Context(), a, county)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, rules)
}

func (p *endpoints) addRule(w http.ResponseWriter, r *http.Request) {
	var in DeductionRule
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	rule, err := p.svc.AddRule(r.Context(), api.ActorOf(r), in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, rule)
}

func (p *endpoints) settlements(w http.ResponseWriter, r *http.Request) {
	a := api.ActorOf(r)
	var ss []Settlement
	var err error
	if a.Role == counsel.RoleFinance {
		ss, err = p.svc.FinanceLists(r.Context(), a)
	} else {
		ss, err = p.svc.Settlements(r.Context(), a)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, ss)
}

func (p *endpoints) run(w http.ResponseWriter, r *http.Request) {
	var in RunInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	st, err := p.svc.Run(r.Context(), api.ActorOf(r), in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, st)
}

func (p *endpoints) settlement(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	st, lines, cs, err := p.svc.Settlement(r.Context(), api.ActorOf(r), id)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, SettlementDetail{Settlement: st, Lines: lines, Corrections: cs, Payers: p.svc.payersOf(r.Context(), st, lines)})
}

func (p *endpoints) advance(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var in AdvanceInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	st, err := p.svc.Advance(r.Context(), api.ActorOf(r), id, in.Action)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, st)
}

func (p *endpoints) correct(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	var in CorrectionInput
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	c, err := p.svc.Correct(r.Context(), api.ActorOf(r), id, in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, c)
}

func (p *endpoints) payList(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	pl, err := p.svc.PayList(r.Context(), api.ActorOf(r), id, r.PathValue("payer"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, pl)
}
