package major

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Major-matter reports (重大事项报告, R18, seed 002 五、3). An advisor reports
// a matter of one of the five categories for a village it serves; the
// town's judicial office and the county bureau are told at once. The judicial
// office or the county bureau acknowledges it, follows it up (as often as
// needed) and closes it with the outcome. A report not acknowledged within
// the county's deadline (default 24 hours) escalates to the county bureau,
// and after a second period to the city bureau; it shows as overdue until
// someone acknowledges it.

// Service holds the rules of major-matter reports.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock; by default the layered service's (tests replace that).
	Now func() time.Time
	// Svc is the layered service: outbox events, home regions, today's date.
	Svc *registry.Service
}

// NewService builds the feature's service over the layered one.
func NewService(svc *registry.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, Now: func() time.Time { return svc.Now() }, Svc: svc}
}

// listOf is one page of reports with the total (never a nil slice).
func listOf[T any](items []T, total int, p counsel.Page) registry.List[T] {
	p = p.Clamp()
	if items == nil {
		items = []T{}
	}
	return registry.List[T]{Items: items, Total: total, Limit: p.Limit, Offset: p.Offset}
}

// majorScope confines a report filter to the actor's scope.
func majorScope(a *counsel.Actor, f Filter) Filter {
	b := registry.BaseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = b.Scope, b.ProviderID, b.AdvisorID
	return f
}

func majorLink(id int64) string { return "/major/" + itoa(id) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// majorAudit is what the audit log keeps of a report (not its full text).
func majorAudit(m *counsel.MajorReport) map[string]any {
	return map[string]any{"village_code": m.VillageCode, "advisor_id": m.AdvisorID, "category": m.Category, "title": m.Title,
		"occurred_on": m.OccurredOn, "people": m.People, "status": m.Status, "level": m.Level, "ack_due_at": m.AckDueAt}
}

// majorDigits matches a run of digits (an ID number may end in X).
var majorDigits = regexp.MustCompile(`[0-9]+[Xx]?`)

// majorMaskText masks the mainland mobile numbers and 18-character ID
// numbers written into a report's free text (Q4).
func majorMaskText(s string) string {
	return majorDigits.ReplaceAllStringFunc(s, func(n string) string {
		switch {
		case len(n) == 11 && counsel.ValidMobile(n):
			return counsel.MaskPhone(n)
		case len(n) == 18:
			return counsel.MaskID(n)
		}
		return n
	})
}

// majorMask masks private numbers in a report's text for viewers with no
// need of them: city and province bureaus and provider managers.
func majorMask(a *counsel.Actor, m *counsel.MajorReport) {
	if authz.SeesFullPhones(a) {
		return
	}
	m.Title, m.Facts, m.Suggestion, m.Outcome = majorMaskText(m.Title), majorMaskText(m.Facts), majorMaskText(m.Suggestion), majorMaskText(m.Outcome)
}

// MajorReports lists the reports the actor may see, each with its overdue flag.
func (s *Service) MajorReports(ctx context.Context, a *counsel.Actor, f Filter) (registry.List[counsel.MajorReport], error) {
	f = majorScope(a, f)
	now := s.Now().UnixMilli()
	f.Now = now
	items, total, err := listReports(ctx, s.DB, f)
	for i := range items {
		items[i].Overdue = items[i].OverdueAt(now)
		majorMask(a, &items[i])
	}
	return listOf(items, total, f.Page), err
}

// MajorOverdueCount counts the overdue reports in the actor's scope.
func (s *Service) MajorOverdueCount(ctx context.Context, a *counsel.Actor) (int, error) {
	f := majorScope(a, Filter{Overdue: true, Now: s.Now().UnixMilli(), Page: counsel.Page{Limit: 1}})
	_, total, err := listReports(ctx, s.DB, f)
	return total, err
}

// MajorReport returns a report the actor may see (not found otherwise).
func (s *Service) MajorReport(ctx context.Context, a *counsel.Actor, id int64) (*counsel.MajorReport, error) {
	m, err := loadReport(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadMajor(a, m) {
		return nil, counsel.ErrNotFound
	}
	m.Overdue = m.OverdueAt(s.Now().UnixMilli())
	majorMask(a, m)
	return m, nil
}

// MajorEvents returns the timeline of a report the actor may see.
func (s *Service) MajorEvents(ctx context.Context, a *counsel.Actor, id int64) ([]counsel.MajorEvent, error) {
	if _, err := s.MajorReport(ctx, a, id); err != nil {
		return nil, err
	}
	evs, err := listEvents(ctx, s.DB, id)
	if !authz.SeesFullPhones(a) {
		for i := range evs {
			evs[i].Note = majorMaskText(evs[i].Note)
		}
	}
	return evs, err
}

// ackHoursOf returns the acknowledgement deadline of a village's county.
func (s *Service) ackHoursOf(ctx context.Context, village string) (int, error) {
	h, _, err := ackHours(ctx, s.DB, counsel.AncestorAt(village, counsel.LevelCounty))
	if err != nil {
		return 0, err
	}
	if h < 1 {
		h = counsel.DefaultMajorAckHours
	}
	return h, nil
}

// SubmitMajorReport records a new report (status submitted) and tells the
// town's judicial office and the county bureau. An advisor reports as itself
// for a village it serves today; the administrator names the advisor. With a
// client key, a retried submission returns the first report.
func (s *Service) SubmitMajorReport(ctx context.Context, a *counsel.Actor, m *counsel.MajorReport) (*counsel.MajorReport, error) {
	switch a.Role {
	case counsel.RoleAdvisor:
		m.AdvisorID = a.AdvisorID
	case counsel.RoleAdmin:
		if m.AdvisorID <= 0 {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.required"})
		}
	default:
		return nil, counsel.ErrForbidden
	}
	m.Normalize()
	if m.ClientKey != "" && a.UserID != 0 {
		if old, err := reportByClientKey(ctx, s.DB, a.UserID, m.ClientKey); err == nil {
			return s.MajorReport(ctx, a, old.ID)
		} else if counsel.ErrorCode(err) != counsel.CodeNotFound {
			return nil, err
		}
	}
	today := s.Svc.Today()
	if err := m.Validate(today); err != nil {
		return nil, err
	}
	adv, err := registry.Advisor(ctx, s.DB, m.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
		}
		return nil, err
	}
	if _, err := registry.AgreementForEntry(ctx, s.DB, adv.ID, adv.ProviderID, m.VillageCode, today); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "major.err_not_served", Args: []any{adv.Name}})
		}
		return nil, err
	}
	hours, err := s.ackHoursOf(ctx, m.VillageCode)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		m.ClientKey = "" // the key is per account
	}
	now := s.Now()
	ms := now.UnixMilli()
	m.ProviderID = adv.ProviderID
	m.Status, m.Level, m.AckHours = counsel.MajorSubmitted, counsel.MajorLevelTown, hours
	m.SubmittedAt, m.AckDueAt = ms, ms+int64(hours)*int64(time.Hour/time.Millisecond)
	m.CreatedBy, m.CreatedAt, m.UpdatedAt = a.UserID, ms, ms
	m.AcknowledgedAt, m.AcknowledgedBy, m.EscalatedAt, m.FollowUps, m.ClosedAt, m.ClosedBy, m.Outcome = 0, 0, 0, 0, 0, 0, ""
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createReport(ctx, tx, m); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, &counsel.MajorEvent{ReportID: m.ID, Kind: counsel.MajorSubmitted, Level: m.Level,
			UserID: a.UserID, Username: a.Username, At: ms}); err != nil {
			return err
		}
		village, err := registry.Region(ctx, tx, m.VillageCode)
		if err != nil {
			return err
		}
		text := i18n.T("zh", "major.note_submitted", village.Name, i18n.T("zh", "major.cat."+m.Category), m.Title)
		key := "major_submitted|" + itoa(m.ID)
		judicial, err := notify.Recipients(ctx, tx, counsel.RoleJudicial, m.VillageCode, 0)
		if err != nil {
			return err
		}
		county, err := accountsAt(ctx, tx, counsel.RoleBureau, counsel.AncestorAt(m.VillageCode, counsel.LevelCounty))
		if err != nil {
			return err
		}
		if err := notify.Users(ctx, tx, append(judicial, county...), "major_report", text, majorLink(m.ID), key, ms); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "major_report", m.ID, m.VillageCode, nil, majorAudit(m))
	})
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeConflict && m.ClientKey != "" {
			if old, err2 := reportByClientKey(ctx, s.DB, a.UserID, m.ClientKey); err2 == nil {
				return s.MajorReport(ctx, a, old.ID)
			}
		}
		return nil, err
	}
	return s.MajorReport(ctx, a, m.ID)
}

// AcknowledgeMajorReport records that the judicial office or the county
// bureau received a submitted report; the note is optional.
func (s *Service) AcknowledgeMajorReport(ctx context.Context, a *counsel.Actor, id int64, note string) (*counsel.MajorReport, error) {
	return s.majorStep(ctx, a, id, counsel.MajorAcknowledged, note)
}

// FollowUpMajorReport records a follow-up (a required note) of an
// acknowledged report; it may repeat.
func (s *Service) FollowUpMajorReport(ctx context.Context, a *counsel.Actor, id int64, note string) (*counsel.MajorReport, error) {
	return s.majorStep(ctx, a, id, counsel.MajorFollowedUp, note)
}

// CloseMajorReport closes an acknowledged report with its outcome (required).
func (s *Service) CloseMajorReport(ctx context.Context, a *counsel.Actor, id int64, outcome string) (*counsel.MajorReport, error) {
	return s.majorStep(ctx, a, id, counsel.MajorClosed, outcome)
}

// majorFrom lists the statuses a step may start from.
var majorFrom = map[string][]string{
	counsel.MajorAcknowledged: {counsel.MajorSubmitted},
	counsel.MajorFollowedUp:   {counsel.MajorAcknowledged, counsel.MajorFollowedUp},
	counsel.MajorClosed:       {counsel.MajorAcknowledged, counsel.MajorFollowedUp},
}

// NextSteps returns the steps a report's status allows.
func NextSteps(status string) []string {
	var out []string
	for _, step := range []string{counsel.MajorAcknowledged, counsel.MajorFollowedUp, counsel.MajorClosed} {
		for _, from := range majorFrom[step] {
			if from == status {
				out = append(out, step)
			}
		}
	}
	return out
}

// majorStep moves a report one step: acknowledged, followed_up or closed.
func (s *Service) majorStep(ctx context.Context, a *counsel.Actor, id int64, step, note string) (*counsel.MajorReport, error) {
	m, err := s.MajorReport(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanHandleMajor(a, m.VillageCode) {
		return nil, counsel.ErrForbidden
	}
	note = strings.TrimSpace(note)
	switch {
	case note == "" && step != counsel.MajorAcknowledged:
		return nil, counsel.Invalid(counsel.FieldError{Field: "note", Key: "err.required"})
	case utf8.RuneCountInString(note) > counsel.MaxMajorNote:
		return nil, counsel.Invalid(counsel.FieldError{Field: "note", Key: "err.too_long", Args: []any{counsel.MaxMajorNote}})
	}
	allowed := false
	for _, from := range majorFrom[step] {
		allowed = allowed || m.Status == from
	}
	if !allowed {
		return nil, counsel.Errorf(counsel.CodeConflict, "major.err_status", i18nStatus(m.Status))
	}
	ms := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		var ok bool
		var err error
		switch step {
		case counsel.MajorAcknowledged:
			ok, err = acknowledgeReport(ctx, tx, id, a.UserID, ms)
		case counsel.MajorFollowedUp:
			ok, err = followUpReport(ctx, tx, id, ms)
		default:
			ok, err = closeReport(ctx, tx, id, note, a.UserID, ms)
		}
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "major.err_changed")
		}
		ev := &counsel.MajorEvent{ReportID: id, Kind: step, Level: m.Level, Note: note, UserID: a.UserID, Username: a.Username, At: ms}
		if err := addEvent(ctx, tx, ev); err != nil {
			return err
		}
		key := "major_" + step + "|" + itoa(id)
		if step == counsel.MajorFollowedUp {
			key += "|" + itoa(ev.ID)
		}
		advisors, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", m.AdvisorID)
		if err != nil {
			return err
		}
		text := i18n.T("zh", "major.note_"+step, m.VillageName, m.Title)
		if err := notify.Users(ctx, tx, advisors, "major_report", text, majorLink(id), key, ms); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, step, "major_report", id, m.VillageCode, map[string]any{"status": m.Status}, map[string]any{"status": step, "note": note})
	})
	if err != nil {
		return nil, err
	}
	return s.MajorReport(ctx, a, id)
}

// i18nStatus is a status's name in Chinese, for error arguments.
func i18nStatus(status string) string { return i18n.T("zh", "major.status."+status) }
