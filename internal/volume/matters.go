package volume

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Legal matter files (一案一档, R15) and the yearly documents of a volume:
// the service plan (R17) and the improvement report (R28).

// canSeeWork reports whether the actor may see the work of an advisor in a
// village (a matter, a document): regional actors by region, a provider its
// advisors', an advisor its own.
func (s *Service) canSeeWork(ctx context.Context, a *counsel.Actor, village string, advisorID int64) bool {
	switch a.Role {
	case counsel.RoleProvider:
		p, err := s.Ledger.ProviderOf(ctx, advisorID)
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
		return counsel.ErrForbidden
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
func (s *Service) Matters(ctx context.Context, a *counsel.Actor, f ledger.EntryFilter) (registry.List[counsel.Matter], error) {
	f = ledger.EntryScope(a, f)
	if f.Status != "" && f.Status != counsel.MatterOpen && f.Status != counsel.MatterClosed {
		f.Status = ""
	}
	items, total, err := listMatters(ctx, s.DB, f)
	return registry.ListOf(items, total, f.Page), err
}

// Matter returns a matter the actor may see.
func (s *Service) Matter(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Matter, error) {
	m, err := getMatter(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.canSeeWork(ctx, a, m.VillageCode, m.AdvisorID) {
		return nil, counsel.ErrNotFound
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
			return counsel.ErrForbidden
		}
		m.VillageCode, m.AdvisorID, m.CreatedAt = old.VillageCode, old.AdvisorID, old.CreatedAt
	}
	normalizeMatter(m)
	if m.OpenedOn == "" {
		m.OpenedOn = s.Svc.Today()
	}
	kindOK := policy.ValidKind
	if isVillage(m.VillageCode) {
		ok, err := s.Ledger.KindOK(ctx, m.VillageCode)
		if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
			return err
		}
		if ok != nil {
			kindOK = ok
		}
	}
	if err := validateMatter(m, kindOK, s.Svc.Today()); err != nil {
		return err
	}
	if old == nil || old.OpenedOn != m.OpenedOn {
		providerID, err := s.Ledger.ProviderOf(ctx, m.AdvisorID)
		if err != nil {
			if counsel.ErrorCode(err) == counsel.CodeNotFound {
				return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
			}
			return err
		}
		if _, err := registry.AgreementForEntry(ctx, s.DB, m.AdvisorID, providerID, m.VillageCode, m.OpenedOn); err != nil {
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
		if err := saveMatter(ctx, tx, m); err != nil {
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
	if got, err := getMatter(ctx, s.DB, m.ID); err == nil {
		*m = *got
	}
	return nil
}

// ---- documents ----

// Document returns a document the actor may see.
func (s *Service) Document(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Document, error) {
	d, err := getDocument(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.canSeeWork(ctx, a, d.VillageCode, d.AdvisorID) {
		return nil, counsel.ErrNotFound
	}
	return d, nil
}

// DocumentFor returns an advisor's document of a kind, village and year, or
// nil when none was filed yet (or the actor may not see it).
func (s *Service) DocumentFor(ctx context.Context, a *counsel.Actor, advisorID int64, village, kind string, year int) (*counsel.Document, error) {
	if !isVillage(village) || !ValidDocKind(kind) || year <= 0 {
		return nil, nil
	}
	ds, err := villageDocuments(ctx, s.DB, village, year)
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
		if r, err := registry.Region(ctx, s.DB, d.VillageCode); err == nil {
			d.Title = DocTitle("zh", d.Kind, r.Name, d.Year)
		}
	}
	today := s.Svc.Today()
	if err := validateDocument(d, today); err != nil {
		return err
	}
	providerID, err := s.Ledger.ProviderOf(ctx, d.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
		}
		return err
	}
	y := strconv.Itoa(d.Year)
	gs, err := volumeAgreements(ctx, s.DB, d.VillageCode, y+"-01-01", y+"-12-31")
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
		if err := saveDocument(ctx, tx, d); err != nil {
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
	if got, err := getDocument(ctx, s.DB, d.ID); err == nil {
		*d = *got
	}
	return nil
}
