package service

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// Legal matter files (一案一档, R15) and the yearly documents of a volume:
// the service plan (R17) and the improvement report (R28).

// Limits of matters and documents.
const (
	MaxMatterTitle   = 200
	MaxMatterParties = 400
	MaxMatterText    = 4000
	MaxDocTitle      = 200
	MaxDocBody       = 20000
	// MaxVolumeEntries bounds the entries of one volume; a longer period
	// must be split.
	MaxVolumeEntries = 20000
	// MinDocYear is the earliest year a document may be filed for.
	MinDocYear = 2000
)

// canSeeWork reports whether the actor may see the work of an advisor in a
// village (a matter, a document): regional actors by region, a provider its
// advisors', an advisor its own.
func (s *Service) canSeeWork(ctx context.Context, a *counsel.Actor, village string, advisorID int64) bool {
	switch a.Role {
	case counsel.RoleProvider:
		p, err := s.providerOf(ctx, advisorID)
		return err == nil && p == a.ProviderID
	case counsel.RoleAdvisor:
		return advisorID == a.AdvisorID
	}
	return authz.CanReadRegion(a, village)
}

// workAdvisor sets the advisor of a new matter or document from the actor:
// an advisor works as itself, the administrator names one.
func workAdvisor(a *counsel.Actor, advisorID *int64) error {
	switch a.Role {
	case counsel.RoleAdvisor:
		*advisorID = a.AdvisorID
	case counsel.RoleAdmin:
		if *advisorID <= 0 {
			return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.required"})
		}
	default:
		return errForbidden
	}
	return nil
}

func tooLong(fs *[]counsel.FieldError, field, v string, max int) {
	if utf8.RuneCountInString(v) > max {
		*fs = append(*fs, counsel.FieldError{Field: field, Key: "err.too_long", Args: []any{max}})
	}
}

// ---- matters ----

// Matters lists the matters the actor may see.
func (s *Service) Matters(ctx context.Context, a *counsel.Actor, f store.EntryFilter) (List[counsel.Matter], error) {
	f = entryScope(a, f)
	if f.Status != "" && f.Status != counsel.MatterOpen && f.Status != counsel.MatterClosed {
		f.Status = ""
	}
	items, total, err := s.DB.Matters(ctx, f)
	return list(items, total, f.Page), err
}

// Matter returns a matter the actor may see.
func (s *Service) Matter(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Matter, error) {
	m, err := s.DB.Matter(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.canSeeWork(ctx, a, m.VillageCode, m.AdvisorID) {
		return nil, errNotFound
	}
	return m, nil
}

func normalizeMatter(m *counsel.Matter) {
	for _, p := range []*string{&m.VillageCode, &m.Title, &m.Category, &m.Parties, &m.Summary, &m.Status, &m.Outcome, &m.OpenedOn, &m.ClosedOn} {
		*p = strings.TrimSpace(*p)
	}
	m.Summary = strings.ReplaceAll(m.Summary, "\r\n", "\n")
	m.Outcome = strings.ReplaceAll(m.Outcome, "\r\n", "\n")
}

// validateMatter checks a matter's fields; kindOK says which categories the
// village's county allows.
func validateMatter(m *counsel.Matter, kindOK func(string) bool, today string) error {
	var fs []counsel.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, counsel.FieldError{Field: field, Key: key, Args: args})
	}
	if !isVillage(m.VillageCode) {
		add("village_code", "err.need_village")
	}
	if m.Title == "" {
		add("title", "err.required")
	}
	tooLong(&fs, "title", m.Title, MaxMatterTitle)
	if m.Category == "" {
		add("category", "err.required")
	} else if !kindOK(m.Category) {
		add("category", "err.choice")
	}
	tooLong(&fs, "parties", m.Parties, MaxMatterParties)
	tooLong(&fs, "summary", m.Summary, MaxMatterText)
	tooLong(&fs, "outcome", m.Outcome, MaxMatterText)
	switch {
	case !counsel.ValidDate(m.OpenedOn):
		add("opened_on", "err.date")
	case m.OpenedOn > today:
		add("opened_on", "volume.err_future")
	}
	switch m.Status {
	case counsel.MatterOpen:
		m.ClosedOn = ""
	case counsel.MatterClosed:
		if m.Outcome == "" {
			add("outcome", "matter.err_outcome")
		}
		if m.ClosedOn == "" {
			m.ClosedOn = today
		}
		switch {
		case !counsel.ValidDate(m.ClosedOn):
			add("closed_on", "err.date")
		case m.ClosedOn > today:
			add("closed_on", "volume.err_future")
		case counsel.ValidDate(m.OpenedOn) && m.ClosedOn < m.OpenedOn:
			add("closed_on", "matter.err_closed_before")
		}
	default:
		add("status", "err.choice")
	}
	if len(fs) > 0 {
		return counsel.Invalid(fs...)
	}
	return nil
}

// matterAudit is what the audit log keeps of a matter.
func matterAudit(m *counsel.Matter) map[string]any {
	return map[string]any{"village_code": m.VillageCode, "advisor_id": m.AdvisorID, "title": m.Title, "category": m.Category,
		"status": m.Status, "opened_on": m.OpenedOn, "closed_on": m.ClosedOn, "outcome": m.Outcome}
}

// SaveMatter opens (ID 0) or updates a legal matter's file. An advisor opens
// matters for the villages it serves on the opening date; the administrator
// for any advisor (AdvisorID). Only the matter's advisor (or the
// administrator) changes it; the village and advisor never change. Closing
// needs the outcome; reopening clears the closing date.
func (s *Service) SaveMatter(ctx context.Context, a *counsel.Actor, m *counsel.Matter) error {
	var old *counsel.Matter
	if m.ID == 0 {
		if err := workAdvisor(a, &m.AdvisorID); err != nil {
			return err
		}
		if m.Status == "" {
			m.Status = counsel.MatterOpen
		}
	} else {
		var err error
		if old, err = s.Matter(ctx, a, m.ID); err != nil {
			return err
		}
		if !authz.CanWriteWork(a, old.AdvisorID) {
			return errForbidden
		}
		m.VillageCode, m.AdvisorID, m.CreatedAt = old.VillageCode, old.AdvisorID, old.CreatedAt
	}
	normalizeMatter(m)
	if m.OpenedOn == "" {
		m.OpenedOn = s.Today()
	}
	kindOK := policy.ValidKind
	if isVillage(m.VillageCode) {
		ok, err := s.kindOK(ctx, m.VillageCode)
		if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
			return err
		}
		if ok != nil {
			kindOK = ok
		}
	}
	if err := validateMatter(m, kindOK, s.Today()); err != nil {
		return err
	}
	if old == nil || old.OpenedOn != m.OpenedOn {
		providerID, err := s.providerOf(ctx, m.AdvisorID)
		if err != nil {
			if counsel.ErrorCode(err) == counsel.CodeNotFound {
				return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
			}
			return err
		}
		if _, err := s.DB.AgreementForEntry(ctx, m.AdvisorID, providerID, m.VillageCode, m.OpenedOn); err != nil {
			if counsel.ErrorCode(err) == counsel.CodeNotFound {
				field := "village_code"
				if old != nil {
					field = "opened_on"
				}
				return counsel.Invalid(counsel.FieldError{Field: field, Key: "volume.err_no_agreement", Args: []any{m.OpenedOn}})
			}
			return err
		}
	}
	now := s.Now().UnixMilli()
	m.UpdatedAt = now
	if old == nil {
		m.CreatedAt = now
	}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveMatter(ctx, m); err != nil {
			return err
		}
		if old == nil {
			return audit.Write(ctx, tx, a, "create", "matter", m.ID, m.VillageCode, nil, matterAudit(m))
		}
		action := "update"
		switch {
		case old.Status == counsel.MatterOpen && m.Status == counsel.MatterClosed:
			action = "close"
		case old.Status == counsel.MatterClosed && m.Status == counsel.MatterOpen:
			action = "reopen"
		}
		return audit.Write(ctx, tx, a, action, "matter", m.ID, m.VillageCode, matterAudit(old), matterAudit(m))
	})
	if err != nil {
		return err
	}
	if got, err := s.DB.Matter(ctx, m.ID); err == nil {
		*m = *got
	}
	return nil
}

// ---- documents ----

// DocKinds lists the document kinds of a volume.
var DocKinds = []string{counsel.DocPlan, counsel.DocImprovement}

// ValidDocKind reports whether k is a document kind.
func ValidDocKind(k string) bool { return k == counsel.DocPlan || k == counsel.DocImprovement }

// Document returns a document the actor may see.
func (s *Service) Document(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Document, error) {
	d, err := s.DB.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if !s.canSeeWork(ctx, a, d.VillageCode, d.AdvisorID) {
		return nil, errNotFound
	}
	return d, nil
}

// DocumentFor returns an advisor's document of a kind, village and year, or
// nil when none was filed yet (or the actor may not see it).
func (s *Service) DocumentFor(ctx context.Context, a *counsel.Actor, advisorID int64, village, kind string, year int) (*counsel.Document, error) {
	if !isVillage(village) || !ValidDocKind(kind) || year <= 0 {
		return nil, nil
	}
	ds, err := s.DB.Documents(ctx, village, year)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		if ds[i].Kind == kind && ds[i].AdvisorID == advisorID && s.canSeeWork(ctx, a, village, advisorID) {
			return &ds[i], nil
		}
	}
	return nil, nil
}

// docYears returns the years a document may be filed for on today: from
// MinDocYear to next year for a plan, to this year for a report.
func docYears(kind, today string) (int, int) {
	y, _ := strconv.Atoi(today[:4])
	if kind == counsel.DocPlan {
		return MinDocYear, y + 1
	}
	return MinDocYear, y
}

// DocTitle is a document's default title, e.g. "东关村委会2026年度法律顾问服务计划".
func DocTitle(lang, kind, villageName string, year int) string {
	return i18n.T(lang, "doc.default_title."+kind, villageName, year)
}

func validateDocument(d *counsel.Document, today string) error {
	var fs []counsel.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, counsel.FieldError{Field: field, Key: key, Args: args})
	}
	if !ValidDocKind(d.Kind) {
		add("kind", "err.choice")
	}
	if !isVillage(d.VillageCode) {
		add("village_code", "err.need_village")
	}
	lo, hi := docYears(d.Kind, today)
	if d.Year < lo || d.Year > hi {
		add("year", "err.range", lo, hi)
	}
	if d.Title == "" {
		add("title", "err.required")
	}
	tooLong(&fs, "title", d.Title, MaxDocTitle)
	if d.Body == "" {
		add("body", "err.required")
	}
	tooLong(&fs, "body", d.Body, MaxDocBody)
	if len(fs) > 0 {
		return counsel.Invalid(fs...)
	}
	return nil
}

func docAudit(d *counsel.Document) map[string]any {
	return map[string]any{"kind": d.Kind, "village_code": d.VillageCode, "advisor_id": d.AdvisorID, "year": d.Year,
		"title": d.Title, "body_chars": utf8.RuneCountInString(d.Body)}
}

// SaveDocument files a yearly document in a village's volume: the service
// plan (R17) or the improvement report (R28). An advisor files for villages
// it served (under an agreement in any status) during that year; the
// administrator for any advisor. A second document of the same kind,
// village, advisor and year replaces the first. Without a title the default
// one is used.
func (s *Service) SaveDocument(ctx context.Context, a *counsel.Actor, d *counsel.Document) error {
	if err := workAdvisor(a, &d.AdvisorID); err != nil {
		return err
	}
	for _, p := range []*string{&d.Kind, &d.VillageCode, &d.Title} {
		*p = strings.TrimSpace(*p)
	}
	d.Body = strings.TrimSpace(strings.ReplaceAll(d.Body, "\r\n", "\n"))
	if d.Title == "" && ValidDocKind(d.Kind) && isVillage(d.VillageCode) && d.Year > 0 {
		if r, err := s.DB.Region(ctx, d.VillageCode); err == nil {
			d.Title = DocTitle("zh", d.Kind, r.Name, d.Year)
		}
	}
	today := s.Today()
	if err := validateDocument(d, today); err != nil {
		return err
	}
	providerID, err := s.providerOf(ctx, d.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
		}
		return err
	}
	y := strconv.Itoa(d.Year)
	gs, err := s.DB.VolumeAgreements(ctx, d.VillageCode, y+"-01-01", y+"-12-31")
	if err != nil {
		return err
	}
	served := false
	for _, g := range gs {
		served = served || g.AdvisorID == d.AdvisorID || g.Packaged && g.ProviderID == providerID
	}
	if !served {
		return counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "volume.err_no_agreement_year", Args: []any{d.Year}})
	}
	old, err := s.DocumentFor(ctx, counsel.System, d.AdvisorID, d.VillageCode, d.Kind, d.Year)
	if err != nil {
		return err
	}
	now := s.Now().UnixMilli()
	d.CreatedBy, d.CreatedAt, d.UpdatedAt = a.UserID, now, now
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := tx.SaveDocument(ctx, d); err != nil {
			return err
		}
		if old == nil {
			return audit.Write(ctx, tx, a, "create", "document", d.ID, d.VillageCode, nil, docAudit(d))
		}
		return audit.Write(ctx, tx, a, "update", "document", d.ID, d.VillageCode, docAudit(old), docAudit(d))
	})
	if err != nil {
		return err
	}
	if got, err := s.DB.Document(ctx, d.ID); err == nil {
		*d = *got
	}
	return nil
}

// ---- volumes ----

// VolumeAdvisor is an advisor who served a village in a volume's period.
type VolumeAdvisor struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Provider string `json:"provider"`
	From     string `json:"from,omitempty"` // the agreements' term within the volume
	To       string `json:"to,omitempty"`
}

// KindTotal is the counted entries of one kind.
type KindTotal struct {
	Kind          string `json:"kind"`
	Entries       int    `json:"entries"`
	Minutes       int    `json:"minutes"`
	OnsiteMinutes int    `json:"onsite_minutes"`
}

// VolumeTotals sums a volume's entries. An entry counts unless another entry
// amends it or the village disputed it; every entry stays listed.
type VolumeTotals struct {
	Entries       int         `json:"entries"` // all listed
	Counted       int         `json:"counted"`
	Minutes       int         `json:"minutes"` // of the counted
	OnsiteMinutes int         `json:"onsite_minutes"`
	Pending       int         `json:"pending"`
	Confirmed     int         `json:"confirmed"`
	Disputed      int         `json:"disputed"`
	Amended       int         `json:"amended"`  // replaced by a later entry
	Amending      int         `json:"amending"` // corrections of earlier entries
	ByKind        []KindTotal `json:"by_kind"`
}

// EntryCounts reports whether an entry counts toward a volume's totals.
func EntryCounts(e *counsel.Entry) bool { return e.AmendedBy == 0 && e.Status != counsel.EntryDisputed }

func volumeTotals(es []counsel.Entry) VolumeTotals {
	var t VolumeTotals
	by := map[string]*KindTotal{}
	for i := range es {
		e := &es[i]
		t.Entries++
		switch e.Status {
		case counsel.EntryPending:
			t.Pending++
		case counsel.EntryConfirmed:
			t.Confirmed++
		case counsel.EntryDisputed:
			t.Disputed++
		}
		if e.AmendedBy != 0 {
			t.Amended++
		}
		if e.AmendsID != 0 {
			t.Amending++
		}
		if !EntryCounts(e) {
			continue
		}
		k := by[e.Kind]
		if k == nil {
			k = &KindTotal{Kind: e.Kind}
			by[e.Kind] = k
		}
		k.Entries++
		k.Minutes += e.Minutes
		t.Counted++
		t.Minutes += e.Minutes
		if e.Mode == policy.ModeOnsite {
			k.OnsiteMinutes += e.Minutes
			t.OnsiteMinutes += e.Minutes
		}
	}
	order := map[string]int{}
	for i, k := range policy.Kinds {
		order[k] = i
	}
	t.ByKind = []KindTotal{}
	for _, k := range by {
		t.ByKind = append(t.ByKind, *k)
	}
	sort.Slice(t.ByKind, func(i, j int) bool {
		a, aok := order[t.ByKind[i].Kind]
		b, bok := order[t.ByKind[j].Kind]
		switch {
		case aok && bok:
			return a < b
		case aok != bok:
			return aok
		}
		return t.ByKind[i].Kind < t.ByKind[j].Kind
	})
	return t
}

// Volume is a village's volume (一村一卷) for a period: the advisors and
// agreements, the yearly documents, the legal matters and every entry in
// chain order with its totals.
type Volume struct {
	Village    counsel.Region      `json:"village"`
	Path       []counsel.Region    `json:"path"`  // province … town
	Place      string              `json:"place"` // the full name, province down
	From       string              `json:"from"`
	To         string              `json:"to"`
	Advisors   []VolumeAdvisor     `json:"advisors"`
	Agreements []counsel.Agreement `json:"agreements"`
	Documents  []counsel.Document  `json:"documents"`
	Matters    []counsel.Matter    `json:"matters"`
	Entries    []counsel.Entry     `json:"entries"`
	Totals     VolumeTotals        `json:"totals"`
	// Narrowed: a provider or advisor sees only its own work in the volume.
	Narrowed bool `json:"narrowed"`
}

// VolumePeriod checks a volume's period; empty bounds default to the
// current year.
func VolumePeriod(from, to, today string) (string, string, error) {
	from, to = strings.TrimSpace(from), strings.TrimSpace(to)
	if from == "" {
		from = today[:4] + "-01-01"
	}
	if to == "" {
		// The end of the year the period starts in.
		to = today[:4] + "-12-31"
		if counsel.ValidDate(from) {
			to = from[:4] + "-12-31"
		}
	}
	var fs []counsel.FieldError
	if !counsel.ValidDate(from) {
		fs = append(fs, counsel.FieldError{Field: "from", Key: "err.date"})
	}
	if !counsel.ValidDate(to) {
		fs = append(fs, counsel.FieldError{Field: "to", Key: "err.date"})
	} else if counsel.ValidDate(from) && to < from {
		fs = append(fs, counsel.FieldError{Field: "to", Key: "err.end_before_start"})
	}
	if len(fs) > 0 {
		return "", "", counsel.Invalid(fs...)
	}
	return from, to, nil
}

func yearOf(date string) int {
	y, _ := strconv.Atoi(date[:4])
	return y
}

// servesVillage reports whether an advisor (advisorID > 0) or a provider
// ever had an agreement covering a village.
func (s *Service) servesVillage(ctx context.Context, village string, providerID, advisorID int64) (bool, error) {
	gs, err := s.DB.VolumeAgreements(ctx, village, "0000-01-01", "9999-12-31")
	if err != nil {
		return false, err
	}
	for _, g := range gs {
		if advisorID > 0 && g.AdvisorID == advisorID || advisorID == 0 && g.ProviderID == providerID {
			return true, nil
		}
	}
	return false, nil
}

// volumeEntries loads the entries of a volume in chain order, refusing a
// period with more than MaxVolumeEntries.
func (s *Service) volumeEntries(ctx context.Context, f store.EntryFilter) ([]counsel.Entry, error) {
	n, err := s.DB.CountEntries(ctx, f)
	if err != nil {
		return nil, err
	}
	if n > MaxVolumeEntries {
		return nil, counsel.Invalid(counsel.FieldError{Field: "from", Key: "volume.err_too_many", Args: []any{n, MaxVolumeEntries}})
	}
	es, err := s.DB.VolumeEntries(ctx, f)
	if es == nil {
		es = []counsel.Entry{}
	}
	return es, err
}

// regionPath returns the regions above code, from the province down.
func (s *Service) regionPath(ctx context.Context, code string) []counsel.Region {
	out := []counsel.Region{}
	for _, c := range counsel.Ancestors(code) {
		if r, err := s.DB.Region(ctx, c); err == nil {
			out = append(out, *r)
		}
	}
	return out
}

// volumeAdvisors lists the advisors of a village's agreements and entries.
func volumeAdvisors(gs []counsel.Agreement, es []counsel.Entry, from, to string) []VolumeAdvisor {
	out := []VolumeAdvisor{}
	idx := map[int64]int{}
	for _, g := range gs {
		start, end := max(g.StartDate, from), to
		if g.EndDate != "" {
			end = min(g.EndDate, to)
		}
		if i, ok := idx[g.AdvisorID]; ok {
			out[i].From, out[i].To = min(out[i].From, start), max(out[i].To, end)
			continue
		}
		idx[g.AdvisorID] = len(out)
		out = append(out, VolumeAdvisor{ID: g.AdvisorID, Name: g.AdvisorName, Provider: g.ProviderName, From: start, To: end})
	}
	for _, e := range es {
		if _, ok := idx[e.AdvisorID]; !ok {
			idx[e.AdvisorID] = len(out)
			out = append(out, VolumeAdvisor{ID: e.AdvisorID, Name: e.AdvisorName})
		}
	}
	return out
}

// Volume returns a village's volume for [from, to] (empty: the current
// year). Regional actors see the whole volume of a village in their area; a
// provider or advisor that ever served the village sees its own work in it.
func (s *Service) Volume(ctx context.Context, a *counsel.Actor, village, from, to string) (*Volume, error) {
	if !isVillage(village) {
		return nil, errNotFound
	}
	// A volume is printed and kept: show nothing a power cut could still undo.
	if err := s.DB.WaitDurable(); err != nil {
		return nil, err
	}
	v := &Volume{}
	f := store.EntryFilter{Village: village}
	vf := store.VolumeFilter{Village: village}
	switch a.Role {
	case counsel.RoleProvider, counsel.RoleAdvisor:
		ok, err := s.servesVillage(ctx, village, a.ProviderID, a.AdvisorID)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errNotFound
		}
		v.Narrowed = true
		if a.Role == counsel.RoleProvider {
			f.ProviderID, vf.ProviderID = a.ProviderID, a.ProviderID
		} else {
			f.AdvisorID, vf.AdvisorID = a.AdvisorID, a.AdvisorID
		}
	default:
		if !authz.CanReadRegion(a, village) {
			return nil, errNotFound
		}
	}
	r, err := s.DB.Region(ctx, village)
	if err != nil {
		return nil, err
	}
	if v.From, v.To, err = VolumePeriod(from, to, s.Today()); err != nil {
		return nil, err
	}
	v.Village, v.Path = *r, s.regionPath(ctx, village)
	v.Place = placeOf(v.Path, r.Name)
	f.From, f.To, vf.From, vf.To = v.From, v.To, v.From, v.To
	if v.Entries, err = s.volumeEntries(ctx, f); err != nil {
		return nil, err
	}
	gs, err := s.DB.VolumeAgreements(ctx, village, v.From, v.To)
	if err != nil {
		return nil, err
	}
	v.Agreements = []counsel.Agreement{}
	for _, g := range gs {
		if authz.CanReadAgreement(a, &g) {
			v.Agreements = append(v.Agreements, g)
		}
	}
	if v.Documents, err = s.DB.VolumeDocuments(ctx, vf, yearOf(v.From), yearOf(v.To)); err != nil {
		return nil, err
	}
	if v.Matters, err = s.DB.VolumeMatters(ctx, vf); err != nil {
		return nil, err
	}
	if v.Documents == nil {
		v.Documents = []counsel.Document{}
	}
	if v.Matters == nil {
		v.Matters = []counsel.Matter{}
	}
	v.Advisors = volumeAdvisors(v.Agreements, v.Entries, v.From, v.To)
	v.Totals = volumeTotals(v.Entries)
	return v, nil
}

// VolumeSection is one village of a provider's volume.
type VolumeSection struct {
	Village    counsel.Region      `json:"village"`
	TownName   string              `json:"town_name"`
	Agreements []counsel.Agreement `json:"agreements"`
	Documents  []counsel.Document  `json:"documents"`
	Matters    []counsel.Matter    `json:"matters"`
	Entries    []counsel.Entry     `json:"entries"`
	Totals     VolumeTotals        `json:"totals"`
}

// ProviderVolume is a provider's volume (一所一卷) for a period: its
// agreements and, village by village, its documents, matters and entries.
type ProviderVolume struct {
	Provider   counsel.Provider    `json:"provider"`
	From       string              `json:"from"`
	To         string              `json:"to"`
	Agreements []counsel.Agreement `json:"agreements"`
	Sections   []VolumeSection     `json:"sections"`
	Totals     VolumeTotals        `json:"totals"`
	// Scope is the region the volume is confined to ("" = everywhere the
	// provider served); Narrowed: an advisor sees only its own work.
	Scope    string `json:"scope,omitempty"`
	Narrowed bool   `json:"narrowed"`
}

// ProviderVolume returns a provider's volume for [from, to] (empty: the
// current year). A bureau or judicial office sees the provider's work within
// its area; the provider all of it; an advisor of the provider its own.
func (s *Service) ProviderVolume(ctx context.Context, a *counsel.Actor, providerID int64, from, to string) (*ProviderVolume, error) {
	p, err := s.Provider(ctx, a, providerID)
	if err != nil {
		return nil, err
	}
	if err := s.DB.WaitDurable(); err != nil { // printed and kept, as Volume
		return nil, err
	}
	pv := &ProviderVolume{Provider: *p}
	if pv.From, pv.To, err = VolumePeriod(from, to, s.Today()); err != nil {
		return nil, err
	}
	if authz.Regional(a) {
		pv.Scope = a.RegionCode
	}
	var advisorID int64
	if a.Role == counsel.RoleAdvisor {
		advisorID, pv.Narrowed = a.AdvisorID, true
	}
	es, err := s.volumeEntries(ctx, store.EntryFilter{Scope: pv.Scope, ProviderID: p.ID, AdvisorID: advisorID, From: pv.From, To: pv.To})
	if err != nil {
		return nil, err
	}
	gs, err := s.DB.ProviderAgreements(ctx, p.ID, pv.Scope, pv.From, pv.To)
	if err != nil {
		return nil, err
	}
	vf := store.VolumeFilter{Scope: pv.Scope, ProviderID: p.ID, AdvisorID: advisorID, From: pv.From, To: pv.To}
	ms, err := s.DB.VolumeMatters(ctx, vf)
	if err != nil {
		return nil, err
	}
	ds, err := s.DB.VolumeDocuments(ctx, vf, yearOf(pv.From), yearOf(pv.To))
	if err != nil {
		return nil, err
	}
	pv.Agreements = []counsel.Agreement{}
	sections := map[string]*VolumeSection{}
	section := func(code string) *VolumeSection {
		if sec, ok := sections[code]; ok {
			return sec
		}
		sec := &VolumeSection{Village: counsel.Region{Code: code}, Agreements: []counsel.Agreement{}, Documents: []counsel.Document{},
			Matters: []counsel.Matter{}, Entries: []counsel.Entry{}}
		sections[code] = sec
		return sec
	}
	for _, g := range gs {
		if advisorID > 0 && g.AdvisorID != advisorID {
			continue
		}
		pv.Agreements = append(pv.Agreements, g)
		if !g.Packaged {
			sec := section(g.RegionCode)
			sec.Agreements = append(sec.Agreements, g)
		}
	}
	for _, e := range es {
		sec := section(e.VillageCode)
		sec.Entries = append(sec.Entries, e)
	}
	for _, m := range ms {
		sec := section(m.VillageCode)
		sec.Matters = append(sec.Matters, m)
	}
	for _, d := range ds {
		sec := section(d.VillageCode)
		sec.Documents = append(sec.Documents, d)
	}
	codes := make([]string, 0, len(sections))
	for c := range sections {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	names := map[string]string{}
	name := func(code string) string {
		if n, ok := names[code]; ok {
			return n
		}
		n := code
		if r, err := s.DB.Region(ctx, code); err == nil {
			n = r.Name
		}
		names[code] = n
		return n
	}
	pv.Sections = make([]VolumeSection, 0, len(codes))
	for _, c := range codes {
		sec := sections[c]
		if r, err := s.DB.Region(ctx, c); err == nil {
			sec.Village = *r
		}
		sec.TownName = name(counsel.ParentOf(c))
		sec.Totals = volumeTotals(sec.Entries)
		pv.Sections = append(pv.Sections, *sec)
	}
	pv.Totals = volumeTotals(es)
	return pv, nil
}

// PlaceName is a region's full name from the province down, e.g.
// "甘肃省庆阳市正宁县山河镇东关村委会" (for printed headings).
func (s *Service) PlaceName(ctx context.Context, code string) string {
	r, err := s.DB.Region(ctx, code)
	if err != nil {
		return code
	}
	return placeOf(s.regionPath(ctx, code), r.Name)
}

func placeOf(path []counsel.Region, last string) string {
	var b strings.Builder
	for _, r := range path {
		b.WriteString(r.Name)
	}
	b.WriteString(last)
	return b.String()
}

func isVillage(code string) bool {
	return counsel.ValidCode(code) && counsel.LevelOf(code) == counsel.LevelVillage
}
