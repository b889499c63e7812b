package consult

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// ---- staff side -------------------------------------------------------------

func canReadConsult(a *counsel.Actor, c *Consultation) bool {
	switch a.Role {
	case counsel.RoleAdvisor:
		return c.AdvisorID == a.AdvisorID
	case counsel.RoleAdmin, counsel.RoleBureau, counsel.RoleJudicial:
		return authz.CanReadRegion(a, c.VillageCode)
	}
	return false
}

// HandlesConsult reports whether the actor is the advisor handling the
// consultation: the only one who answers it and may see the whole phone.
func HandlesConsult(a *counsel.Actor, c *Consultation) bool {
	return a.Role == counsel.RoleAdvisor && a.AdvisorID != 0 && c.AdvisorID == a.AdvisorID
}

// ConsultPhone returns the resident's phone as the actor may see it: whole
// only when full is asked by the advisor handling the ticket, masked
// otherwise.
func ConsultPhone(a *counsel.Actor, c *Consultation, full bool) string {
	if full && HandlesConsult(a, c) {
		return c.Phone
	}
	return counsel.MaskPhone(c.Phone)
}

// Consultations lists the consultations the actor may see, phones masked.
func (s *Service) Consultations(ctx context.Context, a *counsel.Actor, f ConsultFilter) (registry.List[Consultation], error) {
	if !authz.CanSeeConsultations(a) {
		return registry.List[Consultation]{}, counsel.ErrForbidden
	}
	b := registry.BaseFilter(a)
	f.Scope, f.AdvisorID = b.Scope, 0
	if a.Role == counsel.RoleAdvisor {
		f.AdvisorID = a.AdvisorID
	}
	f.Now = s.Now().UnixMilli()
	items, total, err := listConsultations(ctx, s.DB, f)
	for i := range items {
		items[i].Phone = ConsultPhone(a, &items[i], false)
	}
	return registry.ListOf(items, total, f.Page), err
}

// consultation loads a consultation the actor may see, phone whole.
func (s *Service) consultation(ctx context.Context, a *counsel.Actor, id int64) (*Consultation, error) {
	if !authz.CanSeeConsultations(a) {
		return nil, counsel.ErrForbidden
	}
	c, err := consultationByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !canReadConsult(a, c) {
		return nil, counsel.ErrNotFound
	}
	return c, nil
}

// Consultation returns a consultation the actor may see, phone masked. For
// the advisor who answered it, it also records a ledger entry a failure
// left unrecorded (the entry's client key makes the retry safe).
func (s *Service) Consultation(ctx context.Context, a *counsel.Actor, id int64) (*Consultation, error) {
	c, err := s.consultation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if c.Status == ConsultAnswered && c.EntryID == 0 && HandlesConsult(a, c) {
		if err := s.consultEntry(ctx, a, c); err != nil {
			s.Log.Warn("consultation ledger entry", "id", c.ID, "err", err)
		}
	}
	c.Phone = ConsultPhone(a, c, false)
	return c, nil
}

// ConsultationPhone returns the whole phone number of a consultation to
// the advisor handling it and audits the view (each view).
func (s *Service) ConsultationPhone(ctx context.Context, a *counsel.Actor, id int64) (string, error) {
	c, err := s.consultation(ctx, a, id)
	if err != nil {
		return "", err
	}
	if !HandlesConsult(a, c) {
		return "", counsel.ErrForbidden
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		return audit.Write(ctx, tx, a, "view_phone", "consultation", c.ID, c.VillageCode, nil, map[string]any{"ticket": c.Ticket})
	})
	if err != nil {
		return "", err
	}
	return ConsultPhone(a, c, true), nil
}

// AnswerConsultation records the handling advisor's answer, then a ledger
// entry (consultation, online) for it.
func (s *Service) AnswerConsultation(ctx context.Context, a *counsel.Actor, id int64, answer string) (*Consultation, error) {
	c, err := s.consultation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !HandlesConsult(a, c) {
		return nil, counsel.ErrForbidden
	}
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		return nil, counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.required"})
	case n > MaxConsultAnswer:
		return nil, counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.too_long", Args: []any{MaxConsultAnswer}})
	}
	if c.Status != ConsultOpen {
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_answered")
	}
	ms := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := AnswerConsultation(ctx, tx, c.ID, answer, a.UserID, ms)
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "consult.err_answered")
		}
		return audit.Write(ctx, tx, a, "answer", "consultation", c.ID, c.VillageCode, map[string]any{"status": c.Status},
			map[string]any{"status": ConsultAnswered})
	})
	if err != nil {
		return nil, err
	}
	c.Status, c.Answer, c.AnsweredBy, c.AnsweredAt = ConsultAnswered, answer, a.UserID, ms
	if err := s.consultEntry(ctx, a, c); err != nil {
		// The answer stands; the entry is retried when the advisor opens it.
		s.Log.Warn("consultation ledger entry", "id", c.ID, "err", err)
	}
	return s.Consultation(ctx, a, id)
}

// consultEntry records the ledger entry of an answered consultation and
// links it. The client key makes a retry return the first entry.
func (s *Service) consultEntry(ctx context.Context, a *counsel.Actor, c *Consultation) error {
	// The entry is the answering account's (its client keys are per
	// account), whoever retries it.
	uid := c.AnsweredBy
	if uid == 0 {
		uid = a.UserID
	}
	adv := &counsel.Actor{Role: counsel.RoleAdvisor, AdvisorID: c.AdvisorID, UserID: uid, Username: a.Username, IP: a.IP}
	e, err := s.Ledger.RecordEntry(ctx, adv, &counsel.Entry{VillageCode: c.VillageCode, Kind: policy.KindConsultation, Mode: policy.ModeOnline,
		Date: chinaDate(c.AnsweredAt), Minutes: consultEntryMins, Served: c.Name,
		Content: i18n.T("zh", "consult.entry_content", c.Ticket, i18n.T("zh", "consult.cat."+c.Category)), ClientKey: "consult-" + c.Ticket})
	if err != nil {
		return err
	}
	c.EntryID = e.ID
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return setConsultationEntry(ctx, tx, c.ID, e.ID, s.Now().UnixMilli()) })
}

// EscalateConsultations escalates every open consultation past its
// deadline (ConsultWorkdays working days) to the town's judicial office: it
// marks it escalated, notifies the office in the app and enqueues an
// outbox event, all in one transaction. It is idempotent and returns how
// many it escalated.
func (s *Service) EscalateConsultations(ctx context.Context, now time.Time) (int, error) {
	ms := now.UnixMilli()
	due, err := consultationsDue(ctx, s.DB, ms, 10000)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range due {
		c := &due[i]
		done := false
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			ok, err := escalateConsultation(ctx, tx, c.ID, ms)
			if err != nil || !ok {
				return err
			}
			done = true
			users, err := notify.Recipients(ctx, tx, counsel.RoleJudicial, c.VillageCode, 0)
			if err != nil {
				return err
			}
			cat := i18n.T("zh", "consult.cat."+c.Category)
			title := notifyText("consult.note_overdue", []any{c.VillageName, cat, c.AdvisorName})
			key := notify.EventConsultationOverdue + "|" + itoa(c.ID) // the outbox's in-app key: one notification per account
			if err := notify.Users(ctx, tx, users, "consultation_overdue", title, consultLink(c.ID), key, ms); err != nil {
				return err
			}
			text := notifyText("consult.event_text", []any{c.VillageName, cat, c.AdvisorName, chinaDate(c.CreatedAt), ConsultWorkdays})
			if _, err := s.Svc.Notify.EnqueueEvent(ctx, tx, c.VillageCode, notify.OutboxEvent{Kind: notify.EventConsultationOverdue, Title: title, Text: text,
				Link: consultLink(c.ID), Key: itoa(c.ID), AdvisorID: c.AdvisorID}); err != nil {
				return err
			}
			return audit.Write(ctx, tx, counsel.System, "escalate", "consultation", c.ID, c.VillageCode, nil, map[string]any{"escalated_at": ms})
		})
		if err != nil {
			return n, err
		}
		if done {
			n++
		}
	}
	return n, nil
}
