package ledger

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The duty-rules page: the jurisdiction chosen by name from the tree, the
// rules in force in words with where each comes from, and a form that adds
// or changes one rule, shows what it means and what it overrides from above
// before saving. JSON stays as the administrator's import/export.

// regionLink is a jurisdiction on the page: its code and name.
type regionLink struct {
	Code, Name string
	Current    bool
}

// ruleLine is a rule as the page lists it.
type ruleLine struct {
	ID, Name, Meaning string
	Origin            string   // the name of the jurisdiction that set it; "" for this one
	Overrides         []string // what it replaces from above, in words
	Own, Disabled     bool
}

// choice is an option of a select or a checkbox list.
type choice struct {
	Code, Label string
	Checked     bool
}

type policyView struct {
	Kinds      []LedgerKind
	Layer      *PolicyLayer
	RegionName string
	CanEdit    bool
	IsAdmin    bool // sees the JSON import/export
	Presets    []string
	JSON       string
	Lang       string

	Path     []regionLink // from the top of the actor's view down to the region
	Children []regionLink
	Q        string
	Hits     []regionLink
	Searched bool

	Rules     []ruleLine // in force here
	OwnRules  []ruleLine // set here (switched-off inherited ones too)
	Editing   string     // the ID of the rule in the form; "" for a new one
	RuleKinds []choice
	RuleModes []choice
	Periods   []choice
	Applies   []choice
	Preview   *ruleLine // the form's rule in words, before saving
}

func (p *pages) policyPage(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "policy", "ledger.policy_title", nil)
	q := r.URL.Query()
	if id := q.Get("edit"); id != "" {
		v.Form = url.Values{"rule_id": {id}}
	}
	p.policyRender(w, r, v, q.Get("region"), http.StatusOK)
}

// regionName is a region's name, or its code when unknown.
func (p *pages) regionName(ctx context.Context, code string) string {
	if code == "" {
		return ""
	}
	if rg, err := registry.Region(ctx, p.svc.DB, code); err == nil {
		return rg.Name
	}
	return code
}

func (p *pages) policyRender(w http.ResponseWriter, r *http.Request, v *web.View, region string, status int) {
	p.policyRenderWith(w, r, v, region, status, nil)
}

// policyRenderWith renders the page, with the form's rule in words when
// previewing (pr).
func (p *pages) policyRenderWith(w http.ResponseWriter, r *http.Request, v *web.View, region string, status int, pr *ruleLine) {
	ctx, a, lang := r.Context(), web.ActorOf(r), server.Lang(r.Context())
	home, err := p.svc.svc.HomeRegion(ctx, a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	l, err := p.svc.Policy(ctx, a, region)
	if err != nil && region == "" && counsel.ErrorCode(err) == counsel.CodeInvalid {
		// The administrator has no home region: choose one from the tree.
		l, err = &PolicyLayer{}, nil
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	b, _ := json.MarshalIndent(l.Own, "", "  ")
	pv := &policyView{Preview: pr, Layer: l, CanEdit: l.Region != "" && authz.CanSetPolicy(a, l.Region), IsAdmin: authz.IsAdmin(a),
		Presets: []string{"zhengning", "pairing", "ningbo"}, JSON: string(b), Lang: lang}
	if v.Form != nil && v.Form.Get("rules_json") != "" {
		pv.JSON = v.Form.Get("rules_json")
	}
	pv.RegionName = p.regionName(ctx, l.Region)
	if pv.RegionName != "" {
		v.Title = i18n.T(lang, "ledger.policy_title") + " · " + pv.RegionName
	}
	p.tree(ctx, r, pv, home)
	if l.Region != "" {
		if err := p.describe(ctx, pv, l); err != nil {
			p.h.Fail(w, r, err)
			return
		}
	}
	p.ruleForm(ctx, v, pv)
	pv.Kinds, _ = p.svc.LedgerKinds(ctx, l.Region)
	v.Data = pv
	p.h.Render(w, r, status, "ledger_policy", v)
}

// tree fills the path to the region, its children and the name search,
// all within what the actor may read.
func (p *pages) tree(ctx context.Context, r *http.Request, pv *policyView, home string) {
	region := pv.Layer.Region
	readable := func(code string) bool {
		return home == "" || counsel.Within(code, home) || counsel.Within(home, code)
	}
	if region != "" {
		for _, c := range append(counsel.Ancestors(region), region) {
			if readable(c) {
				pv.Path = append(pv.Path, regionLink{Code: c, Name: p.regionName(ctx, c), Current: c == region})
			}
		}
	}
	if counsel.LevelOf(region) < counsel.LevelVillage {
		if kids, err := registry.Children(ctx, p.svc.DB, region); err == nil {
			for _, k := range kids {
				if readable(k.Code) {
					pv.Children = append(pv.Children, regionLink{Code: k.Code, Name: k.Name})
				}
			}
		}
	}
	pv.Q = strings.TrimSpace(r.URL.Query().Get("q"))
	if pv.Q != "" {
		pv.Searched = true
		hits, err := registry.SearchRegions(ctx, p.svc.DB, home, pv.Q, 20)
		if err == nil {
			for _, h := range hits {
				name := h.Name
				if parent := p.regionName(ctx, h.ParentCode); parent != "" {
					name = parent + " · " + h.Name
				}
				pv.Hits = append(pv.Hits, regionLink{Code: h.Code, Name: name})
			}
		}
	}
}

// describe lists the rules in force and the region's own ones in words.
func (p *pages) describe(ctx context.Context, pv *policyView, l *PolicyLayer) error {
	layers, err := p.svc.Layers(ctx)
	if err != nil {
		return err
	}
	inherited, from := Inherited(layers, l.Region)
	origin := func(id string) string { return p.regionName(ctx, from[id]) }
	ownIDs := map[string]bool{}
	for _, r := range l.Own.Rules {
		ownIDs[r.ID] = true
	}
	for _, r := range l.Resolved.Rules {
		line := ruleLine{ID: r.ID, Name: ruleName(pv.Lang, r), Meaning: p.meaning(ctx, pv.Lang, r), Own: ownIDs[r.ID]}
		if !line.Own {
			line.Origin = origin(r.ID)
		}
		pv.Rules = append(pv.Rules, line)
	}
	for _, r := range l.Own.Rules {
		line := ruleLine{ID: r.ID, Name: ruleName(pv.Lang, r), Own: true, Disabled: r.Disabled}
		if r.Disabled {
			for _, x := range inherited {
				if x.ID == r.ID {
					line.Name = ruleName(pv.Lang, x)
					line.Meaning = p.meaning(ctx, pv.Lang, x)
				}
			}
		} else {
			line.Meaning = p.meaning(ctx, pv.Lang, r)
		}
		for _, x := range Overridden(inherited, r) {
			line.Overrides = append(line.Overrides, i18n.T(pv.Lang, "rule.overrides", origin(x.ID), ruleName(pv.Lang, x), p.meaning(ctx, pv.Lang, x)))
		}
		pv.OwnRules = append(pv.OwnRules, line)
	}
	return nil
}

func ruleName(lang string, r policy.Rule) string {
	if lang == "en" && r.NameEN != "" {
		return r.NameEN
	}
	return r.Name
}

// hoursText writes minutes as hours: 480 → 8, 90 → 1.5.
func hoursText(min int) string {
	return strconv.FormatFloat(float64(min)/60, 'f', -1, 64)
}

// meaning says in words what a rule asks: 所有村(社区)每季度须有驻点值班、入户走访等
// 12 类服务（现场）：累计不少于 8 小时。
func (p *pages) meaning(ctx context.Context, lang string, r policy.Rule) string {
	what := i18n.T(lang, "rule.any_kind")
	if n := len(r.Kinds); n > 0 {
		names := make([]string, 0, 3)
		for i, k := range r.Kinds {
			if i == 3 && n > 4 {
				break
			}
			names = append(names, p.svc.KindName(ctx, k, lang))
		}
		sep := "、"
		if lang == "en" {
			sep = ", "
		}
		what = strings.Join(names, sep)
		if n > 4 {
			what = i18n.T(lang, "rule.kinds_more", what, n)
		}
	}
	modes := ""
	if len(r.Modes) > 0 {
		ms := make([]string, len(r.Modes))
		for i, m := range r.Modes {
			ms[i] = policy.ModeLabel(m, lang)
		}
		modes = i18n.T(lang, "rule.modes", strings.Join(ms, "/"))
	}
	var quota []string
	if r.MinCount > 0 {
		q := i18n.T(lang, "rule.count", r.MinCount)
		if r.MinEntryMinutes > 0 {
			q += i18n.T(lang, "rule.entry_min", hoursText(r.MinEntryMinutes))
		}
		quota = append(quota, q)
	}
	if r.MinTotalMinutes > 0 {
		q := i18n.T(lang, "rule.total", hoursText(r.MinTotalMinutes))
		if r.MinCount == 0 && r.MinEntryMinutes > 0 {
			q += i18n.T(lang, "rule.entry_min", hoursText(r.MinEntryMinutes))
		}
		quota = append(quota, q)
	}
	return i18n.T(lang, "rule.desc", i18n.T(lang, "applies."+r.Applies), i18n.T(lang, "rule.every."+r.Period), what, modes,
		strings.Join(quota, i18n.T(lang, "rule.and")))
}

// ruleAppliesChoices are the villages a rule may bind.
var ruleAppliesChoices = []string{policy.AppliesAll, policy.AppliesRemote, policy.AppliesNotRemote, policy.AppliesUnderdeveloped, policy.AppliesNormal}

// ruleForm fills the form's lists, and the form itself from the rule being
// edited when the page was asked for it (?edit=ID).
func (p *pages) ruleForm(ctx context.Context, v *web.View, pv *policyView) {
	lang := pv.Lang
	f := v.Form
	if f == nil {
		f = url.Values{}
	}
	if id := f.Get("rule_id"); id != "" && f.Get("name") == "" && f.Get("period") == "" {
		// Editing: load the own rule into the form.
		for _, r := range pv.Layer.Own.Rules {
			if r.ID == id && !r.Disabled {
				f = ruleValues(r)
			}
		}
		if f.Get("name") == "" {
			f = url.Values{}
		}
	}
	if f.Get("period") == "" {
		f.Set("period", policy.PeriodYear)
	}
	v.Form = f
	pv.Editing = f.Get("rule_id")
	for _, k := range policy.Kinds {
		pv.RuleKinds = append(pv.RuleKinds, choice{Code: k, Label: p.svc.KindName(ctx, k, lang), Checked: slices.Contains(f["kinds"], k)})
	}
	for _, m := range policy.Modes {
		pv.RuleModes = append(pv.RuleModes, choice{Code: m, Label: policy.ModeLabel(m, lang), Checked: slices.Contains(f["modes"], m)})
	}
	for _, per := range policy.PeriodKinds {
		pv.Periods = append(pv.Periods, choice{Code: per, Label: i18n.T(lang, "period."+per), Checked: f.Get("period") == per})
	}
	for _, ap := range ruleAppliesChoices {
		pv.Applies = append(pv.Applies, choice{Code: ap, Label: i18n.T(lang, "applies."+ap), Checked: f.Get("applies") == ap})
	}
}

// ruleValues is a rule as form values.
func ruleValues(r policy.Rule) url.Values {
	f := url.Values{"rule_id": {r.ID}, "name": {r.Name}, "name_en": {r.NameEN}, "period": {r.Period}, "applies": {r.Applies}, "source": {r.Source},
		"kinds": r.Kinds, "modes": r.Modes}
	if r.MinCount > 0 {
		f.Set("min_count", strconv.Itoa(r.MinCount))
	}
	if r.MinEntryMinutes > 0 {
		f.Set("min_entry_hours", hoursText(r.MinEntryMinutes))
	}
	if r.MinTotalMinutes > 0 {
		f.Set("min_total_hours", hoursText(r.MinTotalMinutes))
	}
	return f
}

// Limits of the rule form.
const (
	maxRuleName  = 30
	maxRuleCount = 1000
	maxRuleHours = 2000
)

// parseRule reads the rule form; every problem is reported next to its field.
func parseRule(f url.Values) (policy.Rule, error) {
	r := policy.Rule{ID: strings.TrimSpace(f.Get("rule_id")), Name: strings.TrimSpace(f.Get("name")), NameEN: strings.TrimSpace(f.Get("name_en")),
		Period: f.Get("period"), Applies: f.Get("applies"), Source: strings.TrimSpace(f.Get("source"))}
	var fs []counsel.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, counsel.FieldError{Field: field, Key: key, Args: args})
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		add("name", "rule.err_name")
	case n > maxRuleName:
		add("name", "err.too_long", maxRuleName)
	}
	if utf8.RuneCountInString(r.NameEN) > 60 {
		add("name_en", "err.too_long", 60)
	}
	if utf8.RuneCountInString(r.Source) > 200 {
		add("source", "err.too_long", 200)
	}
	if !policy.ValidPeriodKind(r.Period) {
		add("period", "rule.err_period")
	}
	if !slices.Contains(ruleAppliesChoices, r.Applies) {
		add("applies", "rule.err_applies")
	}
	for _, k := range f["kinds"] {
		if !policy.ValidKind(k) {
			add("kinds", "rule.err_kind")
			break
		}
		r.Kinds = append(r.Kinds, k)
	}
	for _, m := range f["modes"] {
		if !policy.ValidMode(m) {
			add("modes", "rule.err_mode")
			break
		}
		r.Modes = append(r.Modes, m)
	}
	if s := strings.TrimSpace(f.Get("min_count")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxRuleCount {
			add("min_count", "rule.err_count", maxRuleCount)
		}
		r.MinCount = n
	}
	hours := func(field string) int {
		s := strings.TrimSpace(f.Get(field))
		if s == "" {
			return 0
		}
		h, err := strconv.ParseFloat(s, 64)
		if err != nil || h < 0 || h > maxRuleHours || math.IsNaN(h) {
			add(field, "rule.err_hours", maxRuleHours)
			return 0
		}
		return int(math.Round(h * 60))
	}
	r.MinEntryMinutes = hours("min_entry_hours")
	r.MinTotalMinutes = hours("min_total_hours")
	if len(fs) == 0 && r.MinCount <= 0 && r.MinTotalMinutes <= 0 {
		add("min_count", "rule.err_quota")
	}
	if len(fs) > 0 {
		return r, counsel.Invalid(fs...)
	}
	return r, nil
}

// ruleSave previews (op=preview) or saves the rule form.
func (p *pages) ruleSave(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "policy", "ledger.policy_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	f := r.PostForm
	region := f.Get("region")
	if !authz.CanSetPolicy(web.ActorOf(r), region) {
		p.h.Fail(w, r, counsel.OutOfScope("region"))
		return
	}
	rule, err := parseRule(f)
	if err != nil {
		p.policyRender(w, r, v, region, p.h.FormFail(r, v, err))
		return
	}
	if f.Get("op") == "preview" {
		v.Form = f
		p.previewRender(w, r, v, region, rule)
		return
	}
	if _, err := p.svc.SaveRule(r.Context(), web.ActorOf(r), region, rule); err != nil {
		p.policyRender(w, r, v, region, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}

// previewRender shows the page with the form's rule in words and what it
// would replace from above; nothing is written.
func (p *pages) previewRender(w http.ResponseWriter, r *http.Request, v *web.View, region string, rule policy.Rule) {
	ctx, lang := r.Context(), server.Lang(r.Context())
	layers, err := p.svc.Layers(ctx)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	inherited, from := Inherited(layers, region)
	pr := &ruleLine{ID: rule.ID, Name: ruleName(lang, rule), Meaning: p.meaning(ctx, lang, rule), Own: true}
	for _, x := range Overridden(inherited, rule) {
		pr.Overrides = append(pr.Overrides, i18n.T(lang, "rule.overrides", p.regionName(ctx, from[x.ID]), ruleName(lang, x), p.meaning(ctx, lang, x)))
	}
	p.policyRenderWith(w, r, v, region, http.StatusOK, pr)
}

// ruleRemove deletes one of the region's own rules, or switches an
// inherited one off for the region.
func (p *pages) ruleRemove(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "policy", "ledger.policy_title", nil)
	if err := web.ParseForm(r, 1<<14); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	region := r.PostForm.Get("region")
	if err := p.svc.RemoveRule(r.Context(), web.ActorOf(r), region, r.PostForm.Get("rule_id")); err != nil {
		if c := counsel.ErrorCode(err); c == counsel.CodeForbidden || c == counsel.CodeNotFound {
			p.h.Fail(w, r, err)
			return
		}
		p.policyRender(w, r, v, region, p.h.FormFail(r, v, err))
		return
	}
	web.Redirect(w, r, "/ledger/policy?region="+url.QueryEscape(region), "saved")
}
