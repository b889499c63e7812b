package service

import (
	"context"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
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

// majorScope confines a report filter to the actor's scope.
func majorScope(a *counsel.Actor, f store.MajorFilter) store.MajorFilter {
	b := baseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = b.Scope, b.ProviderID, b.AdvisorID
	return f
}

func majorLink(id int64) string { return "/major/" + itoa(id) }

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
func (s *Service) MajorReports(ctx context.Context, a *counsel.Actor, f store.MajorFilter) (List[counsel.MajorReport], error) {
	f = majorScope(a, f)
	now := s.Now().UnixMilli()
	f.Now = now
	items, total, err := s.DB.MajorReports(ctx, f)
	for i := range items {
		items[i].Overdue = items[i].OverdueAt(now)
		majorMask(a, &items[i])
	}
	return list(items, total, f.Page), err
}

// MajorOverdueCount counts the overdue reports in the actor's scope.
func (s *Service) MajorOverdueCount(ctx context.Context, a *counsel.Actor) (int, error) {
	f := majorScope(a, store.MajorFilter{Overdue: true, Now: s.Now().UnixMilli(), Page: counsel.Page{Limit: 1}})
	_, total, err := s.DB.MajorReports(ctx, f)
	return total, err
}

// MajorReport returns a report the actor may see (not found otherwise).
func (s *Service) MajorReport(ctx context.Context, a *counsel.Actor, id int64) (*counsel.MajorReport, error) {
	m, err := s.DB.MajorReport(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadMajor(a, m) {
		return nil, errNotFound
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
	evs, err := s.DB.MajorEvents(ctx, id)
	if !authz.SeesFullPhones(a) {
		for i := range evs {
			evs[i].Note = majorMaskText(evs[i].Note)
		}
	}
	return evs, err
}

// majorAckHours returns the acknowledgement deadline of a village's county.
func (s *Service) majorAckHours(ctx context.Context, village string) (int, error) {
	h, _, err := s.DB.MajorAckHours(ctx, counsel.AncestorAt(village, counsel.LevelCounty))
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
		return nil, errForbidden
	}
	m.Normalize()
	if m.ClientKey != "" && a.UserID != 0 {
		if old, err := s.DB.MajorReportByClientKey(ctx, a.UserID, m.ClientKey); err == nil {
			return s.MajorReport(ctx, a, old.ID)
		} else if counsel.ErrorCode(err) != counsel.CodeNotFound {
			return nil, err
		}
	}
	today := s.Today()
	if err := m.Validate(today); err != nil {
		return nil, err
	}
	adv, err := s.DB.Advisor(ctx, m.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
		}
		return nil, err
	}
	if _, err := s.DB.AgreementForEntry(ctx, adv.ID, adv.ProviderID, m.VillageCode, today); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "major.err_not_served", Args: []any{adv.Name}})
		}
		return nil, err
	}
	hours, err := s.majorAckHours(ctx, m.VillageCode)
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
		if err := tx.CreateMajorReport(ctx, m); err != nil {
			return err
		}
		if err := tx.AddMajorEvent(ctx, &counsel.MajorEvent{ReportID: m.ID, Kind: counsel.MajorSubmitted, Level: m.Level,
			UserID: a.UserID, Username: a.Username, At: ms}); err != nil {
			return err
		}
		village, err := tx.Region(ctx, m.VillageCode)
		if err != nil {
			return err
		}
		text := notifyText("major.note_submitted", []any{village.Name, i18n.T("zh", "major.cat."+m.Category), m.Title})
		key := "major_submitted|" + itoa(m.ID)
		judicial, err := notify.Recipients(ctx, tx, counsel.RoleJudicial, m.VillageCode, 0)
		if err != nil {
			return err
		}
		county, err := tx.MajorAccountsAt(ctx, counsel.RoleBureau, counsel.AncestorAt(m.VillageCode, counsel.LevelCounty))
		if err != nil {
			return err
		}
		if err := majorNotify(ctx, tx, append(judicial, county...), "major_report", text, majorLink(m.ID), key, ms); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "major_report", m.ID, m.VillageCode, nil, majorAudit(m))
	})
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeConflict && m.ClientKey != "" {
			if old, err2 := s.DB.MajorReportByClientKey(ctx, a.UserID, m.ClientKey); err2 == nil {
				return s.MajorReport(ctx, a, old.ID)
			}
		}
		return nil, err
	}
	return s.MajorReport(ctx, a, m.ID)
}

// majorNotify sends one in-app notification to each account (once per
// account and key).
func majorNotify(ctx context.Context, tx *store.Tx, users []int64, kind, text, link, key string, at int64) error {
	seen := map[int64]bool{}
	for _, uid := range users {
		if seen[uid] {
			continue
		}
		seen[uid] = true
		if _, err := notify.Notify(ctx, tx, &notify.Notification{UserID: uid, Kind: kind, Title: text, Link: link, DedupKey: key, CreatedAt: at}); err != nil {
			return err
		}
	}
	return nil
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

// MajorNextSteps returns the steps a report's status allows.
func MajorNextSteps(status string) []string {
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
		return nil, errForbidden
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
			ok, err = tx.AcknowledgeMajorReport(ctx, id, a.UserID, ms)
		case counsel.MajorFollowedUp:
			ok, err = tx.FollowUpMajorReport(ctx, id, ms)
		default:
			ok, err = tx.CloseMajorReport(ctx, id, note, a.UserID, ms)
		}
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "major.err_changed")
		}
		ev := &counsel.MajorEvent{ReportID: id, Kind: step, Level: m.Level, Note: note, UserID: a.UserID, Username: a.Username, At: ms}
		if err := tx.AddMajorEvent(ctx, ev); err != nil {
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
		text := notifyText("major.note_"+step, []any{m.VillageName, m.Title})
		if err := majorNotify(ctx, tx, advisors, "major_report", text, majorLink(id), key, ms); err != nil {
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

// EscalateMajorReports raises every report still waiting for acknowledgement
// past its deadline at now: one period late it goes to the county bureau,
// two periods late to the city bureau. Each raise records a timeline event,
// an audit entry and notifies the accounts of that level. It is idempotent:
// a second run at the same time changes nothing. It returns how many reports
// it raised.
func (s *Service) EscalateMajorReports(ctx context.Context, now time.Time) (int, error) {
	ms := now.UnixMilli()
	waiting, err := s.DB.MajorAwaiting(ctx, ms, counsel.MajorLevelCity, 100000)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range waiting {
		m := &waiting[i]
		hours := m.AckHours
		if hours < 1 {
			hours = counsel.DefaultMajorAckHours
		}
		period := int64(hours) * int64(time.Hour/time.Millisecond)
		target := int((ms - m.SubmittedAt) / period)
		if target > counsel.MajorLevelCity {
			target = counsel.MajorLevelCity
		}
		if target <= m.Level {
			continue
		}
		raised := false
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			ok, err := tx.EscalateMajorReport(ctx, m.ID, m.Level, target, ms)
			if err != nil || !ok {
				return err
			}
			raised = true
			for lv := m.Level + 1; lv <= target; lv++ {
				if err := tx.AddMajorEvent(ctx, &counsel.MajorEvent{ReportID: m.ID, Kind: counsel.MajorEscalated, Level: lv,
					Username: counsel.System.Username, At: ms}); err != nil {
					return err
				}
				region := counsel.AncestorAt(m.VillageCode, counsel.LevelCounty)
				if lv == counsel.MajorLevelCity {
					region = counsel.AncestorAt(m.VillageCode, counsel.LevelCity)
				}
				users, err := tx.MajorAccountsAt(ctx, counsel.RoleBureau, region)
				if err != nil {
					return err
				}
				text := notifyText("major.note_escalated", []any{i18n.T("zh", "major.level."+itoa(int64(lv))), m.VillageName, m.Title, hours * lv})
				evKey := itoa(m.ID) + "|" + itoa(int64(lv))
				key := notify.EventMajorEscalation + "|" + evKey // the outbox's in-app key: one notification per account
				if err := majorNotify(ctx, tx, users, "major_overdue", text, majorLink(m.ID), key, ms); err != nil {
					return err
				}
				// The channels of the level it reached (WeCom/DingTalk robots,
				// in-app roles) hear of it too, after the commit.
				if _, err := s.Notify.EnqueueEvent(ctx, tx, region, notify.OutboxEvent{Kind: notify.EventMajorEscalation, Title: text,
					Text: text + "\n" + i18n.T("zh", "major.cat."+m.Category) + "：" + m.Title, Link: majorLink(m.ID), Key: evKey}); err != nil {
					return err
				}
			}
			return audit.Write(ctx, tx, counsel.System, "escalate", "major_report", m.ID, m.VillageCode,
				map[string]any{"level": m.Level}, map[string]any{"level": target})
		})
		if err != nil {
			return n, err
		}
		if raised {
			n++
		}
	}
	return n, nil
}

// MajorDeadline is a county's acknowledgement deadline.
type MajorDeadline struct {
	Region   string `json:"region"` // the county ("" above county level: the default)
	AckHours int    `json:"ack_hours"`
	Set      bool   `json:"set"` // false: the default
}

// MajorDeadlineOf returns the deadline in force for a region the actor may
// read (its county's; the default above county level).
func (s *Service) MajorDeadlineOf(ctx context.Context, a *counsel.Actor, region string) (*MajorDeadline, error) {
	home, err := s.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = home
	}
	if region != "" && !counsel.ValidCode(region) {
		return nil, errNotFound
	}
	if region != "" && !authz.IsAdmin(a) && !counsel.Within(region, home) && !counsel.Within(home, region) {
		return nil, errNotFound
	}
	d := &MajorDeadline{AckHours: counsel.DefaultMajorAckHours}
	if region == "" || counsel.LevelOf(region) < counsel.LevelCounty {
		return d, nil
	}
	d.Region = counsel.AncestorAt(region, counsel.LevelCounty)
	d.AckHours, d.Set, err = s.DB.MajorAckHours(ctx, d.Region)
	return d, err
}

// SaveMajorDeadline sets a county's acknowledgement deadline in hours (the
// county bureau for its county, the administrator for any county). Reports
// already submitted keep the deadline they were given.
func (s *Service) SaveMajorDeadline(ctx context.Context, a *counsel.Actor, region string, hours int) error {
	if !(authz.IsAdmin(a) || authz.CountyBureau(a) && region == a.RegionCode) {
		if authz.CountyBureau(a) {
			return outOfScope("region")
		}
		return errForbidden
	}
	if !counsel.ValidCode(region) || counsel.LevelOf(region) != counsel.LevelCounty {
		return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.county_code"})
	}
	if hours < 1 || hours > counsel.MaxMajorAckHours {
		return counsel.Invalid(counsel.FieldError{Field: "ack_hours", Key: "err.range", Args: []any{1, counsel.MaxMajorAckHours}})
	}
	if _, err := s.DB.Region(ctx, region); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.county_code"})
		}
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, set, err := tx.MajorAckHours(ctx, region)
		if err != nil {
			return err
		}
		var old any
		if set {
			old = map[string]any{"ack_hours": before}
		}
		if err := tx.SaveMajorAckHours(ctx, region, hours, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "major_settings", 0, region, old, map[string]any{"ack_hours": hours})
	})
}

// MajorVillages returns the villages an advisor may report for today: those
// of its live agreements in force and of its provider's packaged town
// agreements. Other roles get none (their forms take a village code).
func (s *Service) MajorVillages(ctx context.Context, a *counsel.Actor) ([]counsel.Region, error) {
	if a.Role != counsel.RoleAdvisor {
		return nil, nil
	}
	adv, err := s.DB.Advisor(ctx, a.AdvisorID)
	if err != nil {
		return nil, err
	}
	today := s.Today()
	all := counsel.Page{Limit: 500}
	own, _, err := s.DB.Agreements(ctx, store.Filter{AdvisorID: adv.ID, Status: "live", Page: all})
	if err != nil {
		return nil, err
	}
	firm, _, err := s.DB.Agreements(ctx, store.Filter{ProviderID: adv.ProviderID, Status: "live", Page: all})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []counsel.Region
	for _, g := range append(own, firm...) {
		if g.StartDate > today || g.EndDate != "" && g.EndDate < today || !g.Packaged && g.AdvisorID != adv.ID {
			continue
		}
		if !g.Packaged {
			if !seen[g.RegionCode] {
				seen[g.RegionCode] = true
				out = append(out, counsel.Region{Code: g.RegionCode, Name: g.RegionName, Level: counsel.LevelVillage, ParentCode: counsel.ParentOf(g.RegionCode)})
			}
			continue
		}
		vs, err := s.DB.Villages(ctx, g.RegionCode)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			if !seen[v.Code] {
				seen[v.Code] = true
				out = append(out, v)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
