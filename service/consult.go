package service

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// Online consultation (我要问, R33). A resident, without an account, asks
// the advisor of a village a question after accepting the personal-
// information notice; the answer is followed with a ticket and the last
// four digits of the phone. The village's advisor answers in the app and
// the answer becomes a ledger entry (consultation, online). A question
// unanswered after ConsultWorkdays working days (China's official calendar)
// escalates to the town's judicial office. The resident may rate the answer
// once.

// ConsultNoticeVersion is the version of the personal-information notice
// the form shows; the accepted version is stored with each consultation.
const ConsultNoticeVersion = "2026-11"

// Limits of a consultation.
const (
	ConsultWorkdays    = 2    // working days to answer before escalation
	MaxConsultQuestion = 1000 // characters of a question
	MaxConsultAnswer   = 4000 // characters of an answer
	MaxConsultName     = 20   // characters of the resident's name
	MaxConsultComment  = 200  // characters of a rating's comment
	consultTicketLen   = 10
	consultEntryMins   = 15 // minutes recorded in the ledger for an answer
)

// ConsultCategories are the categories a resident picks from.
var ConsultCategories = []string{"land", "family", "labor", "neighbor", "debt", "other"}

// ValidConsultCategory reports whether c is a known category.
func ValidConsultCategory(c string) bool {
	for _, k := range ConsultCategories {
		if k == c {
			return true
		}
	}
	return false
}

// consultCalendar is the official calendar of working days.
var consultCalendar = calendar.New(nil)

// ticketAlphabet is Crockford's base32 (no I, L, O, U).
const ticketAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// newTicket returns a random ticket of 10 base32 characters (50 bits).
func newTicket() string {
	b := make([]byte, consultTicketLen)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = ticketAlphabet[int(b[i])%32]
	}
	return string(b)
}

// NormalizeTicket upper-cases a typed ticket, drops spaces and dashes and
// reads the letters Crockford's base32 leaves out as the digits they look like.
func NormalizeTicket(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	t = strings.NewReplacer(" ", "", "-", "", "O", "0", "I", "1", "L", "1").Replace(t)
	return t
}

// ConsultRequest is what a resident submits.
type ConsultRequest struct {
	VillageCode string `json:"village_code"`
	Category    string `json:"category"`
	Question    string `json:"question"`
	Name        string `json:"name"`
	Phone       string `json:"phone"`
	// Notice is the version of the personal-information notice the resident
	// accepted; it must be the current one.
	Notice string `json:"notice_accepted"`
	// Website is the honeypot: people leave it empty (it is hidden); a
	// filled one is a robot and is silently discarded.
	Website string `json:"website,omitempty"`
	IP      string `json:"-"`
}

// ConsultReceipt is what the resident gets back.
type ConsultReceipt struct {
	Ticket  string `json:"ticket"`
	DueOn   string `json:"due_on"` // the date the answer is due by (China)
	Village string `json:"village"`
}

// PublicConsult is a consultation as its resident sees it.
type PublicConsult struct {
	Ticket        string `json:"ticket"`
	Village       string `json:"village"`
	Category      string `json:"category"`
	Question      string `json:"question"`
	Status        string `json:"status"`
	AskedOn       string `json:"asked_on"`
	DueOn         string `json:"due_on"`
	Answer        string `json:"answer,omitempty"`
	AnsweredOn    string `json:"answered_on,omitempty"`
	AdvisorName   string `json:"advisor_name,omitempty"`
	Rating        int    `json:"rating,omitempty"`
	RatingComment string `json:"rating_comment,omitempty"`
	CanRate       bool   `json:"can_rate"`
	Phone         string `json:"phone"` // masked
}

func consultLink(id int64) string { return "/consultations/" + itoa(id) }

// publicActor is the actor the audit log names for a resident's action.
func publicActor(ip string) *counsel.Actor { return &counsel.Actor{Username: "public", IP: ip} }

func (r *ConsultRequest) normalize() {
	r.VillageCode = strings.TrimSpace(r.VillageCode)
	r.Category = strings.TrimSpace(r.Category)
	r.Question = strings.TrimSpace(strings.ReplaceAll(r.Question, "\r\n", "\n"))
	r.Name = strings.TrimSpace(r.Name)
	r.Phone = strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(r.Phone))
	r.Notice = strings.TrimSpace(r.Notice)
}

func (r *ConsultRequest) validate() error {
	var fs []counsel.FieldError
	add := func(field, key string, args ...any) {
		fs = append(fs, counsel.FieldError{Field: field, Key: key, Args: args})
	}
	if !counsel.ValidCode(r.VillageCode) || counsel.LevelOf(r.VillageCode) != counsel.LevelVillage {
		add("village_code", "consult.err_village")
	}
	if !ValidConsultCategory(r.Category) {
		add("category", "consult.err_category")
	}
	switch n := utf8.RuneCountInString(r.Question); {
	case n == 0:
		add("question", "err.required")
	case n > MaxConsultQuestion:
		add("question", "err.too_long", MaxConsultQuestion)
	}
	switch n := utf8.RuneCountInString(r.Name); {
	case n == 0:
		add("name", "err.required")
	case n > MaxConsultName:
		add("name", "err.too_long", MaxConsultName)
	}
	if !counsel.ValidMobile(r.Phone) {
		add("phone", "consult.err_phone")
	}
	if r.Notice != ConsultNoticeVersion {
		add("notice_accepted", "consult.err_notice")
	}
	if len(fs) > 0 {
		return counsel.Invalid(fs...)
	}
	return nil
}

// errConsultLimit refuses a submission over the limits (there is no "too
// many requests" code; the form shows it as an error of the whole form).
func errConsultLimit(key string) error { return counsel.Errorf(counsel.CodeInvalid, key) }

// SubmitConsultation records a resident's question for the village's
// advisor and tells the advisor. A filled honeypot returns a receipt that
// looks real but writes nothing.
func (s *Service) SubmitConsultation(ctx context.Context, r *ConsultRequest) (*ConsultReceipt, error) {
	now := s.Now()
	due := consultCalendar.AddWorkdays(now, ConsultWorkdays)
	dueOn := due.Add(-time.Millisecond).In(shanghai).Format(counsel.DateLayout)
	if strings.TrimSpace(r.Website) != "" {
		s.Log.Info("consultation honeypot filled; discarded", "ip", r.IP)
		return &ConsultReceipt{Ticket: newTicket(), DueOn: dueOn}, nil
	}
	r.normalize()
	if err := r.validate(); err != nil {
		return nil, err
	}
	v, err := s.publicVillage(ctx, r.VillageCode)
	if err != nil {
		return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "consult.err_village"})
	}
	g, err := s.DB.LiveAgreementFor(ctx, v.Code)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "consult.err_no_advisor"})
		}
		return nil, err
	}
	n, err := s.DB.ConsultationsByPhoneSince(ctx, r.Phone, now.Add(-ConsultPhoneWindow).UnixMilli())
	if err != nil {
		return nil, err
	}
	if n >= ConsultPerPhone {
		return nil, errConsultLimit("consult.err_phone_limit")
	}
	if r.IP != "" && !s.consultIPLimiter().allow(r.IP, now) {
		return nil, errConsultLimit("consult.err_ip_limit")
	}
	ms := now.UnixMilli()
	c := &store.Consultation{VillageCode: v.Code, AdvisorID: g.AdvisorID, Category: r.Category, Question: r.Question, Name: r.Name,
		Phone: r.Phone, NoticeVersion: r.Notice, Status: store.ConsultOpen, DueAt: due.UnixMilli(), CreatedAt: ms, UpdatedAt: ms}
	for try := 0; ; try++ {
		c.Ticket = newTicket()
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			if err := tx.CreateConsultation(ctx, c); err != nil {
				return err
			}
			users, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", c.AdvisorID)
			if err != nil {
				return err
			}
			text := notifyText("consult.note_new", []any{v.Name, i18n.T("zh", "consult.cat."+c.Category)})
			if err := majorNotify(ctx, tx, users, "consultation", text, consultLink(c.ID), "consult_new|"+itoa(c.ID), ms); err != nil {
				return err
			}
			return audit.Write(ctx, tx, publicActor(r.IP), "create", "consultation", c.ID, c.VillageCode, nil, consultAudit(c))
		})
		if err == nil || counsel.ErrorCode(err) != counsel.CodeConflict || try >= 3 {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	return &ConsultReceipt{Ticket: c.Ticket, DueOn: dueOn, Village: v.Name}, nil
}

// consultAudit is what the audit log keeps of a consultation (not the
// question's text; the phone is masked by the audit log).
func consultAudit(c *store.Consultation) map[string]any {
	return map[string]any{"ticket": c.Ticket, "village_code": c.VillageCode, "advisor_id": c.AdvisorID, "category": c.Category,
		"phone": c.Phone, "notice_version": c.NoticeVersion, "status": c.Status, "due_at": c.DueAt}
}

// lookupTicket finds a consultation by ticket and the phone's last four
// digits; any mismatch is "not found".
func (s *Service) lookupTicket(ctx context.Context, ticket, last4 string) (*store.Consultation, error) {
	ticket, last4 = NormalizeTicket(ticket), strings.TrimSpace(last4)
	if len(ticket) != consultTicketLen || len(last4) != 4 {
		return nil, errNotFound
	}
	c, err := s.DB.ConsultationByTicket(ctx, ticket)
	if err != nil {
		return nil, errNotFound
	}
	if len(c.Phone) < 4 || subtle.ConstantTimeCompare([]byte(c.Phone[len(c.Phone)-4:]), []byte(last4)) != 1 {
		return nil, errNotFound
	}
	return c, nil
}

// PublicConsultation returns a consultation to its resident, who proves it
// with the ticket and the last four digits of the phone.
func (s *Service) PublicConsultation(ctx context.Context, ticket, last4 string) (*PublicConsult, error) {
	c, err := s.lookupTicket(ctx, ticket, last4)
	if err != nil {
		return nil, err
	}
	p := &PublicConsult{Ticket: c.Ticket, Village: c.VillageName, Category: c.Category, Question: c.Question, Status: c.Status,
		AskedOn: chinaDate(c.CreatedAt), DueOn: chinaDate(c.DueAt - 1), Phone: counsel.MaskPhone(c.Phone)}
	if c.Status == store.ConsultAnswered {
		p.Answer, p.AnsweredOn, p.AdvisorName = c.Answer, chinaDate(c.AnsweredAt), c.AdvisorName
		p.Rating, p.RatingComment, p.CanRate = c.Rating, c.RatingComment, c.Rating == 0
	}
	return p, nil
}

// RateConsultation records the resident's rating (1–5, optional comment)
// of an answered consultation, once.
func (s *Service) RateConsultation(ctx context.Context, ticket, last4 string, rating int, comment, ip string) (*PublicConsult, error) {
	c, err := s.lookupTicket(ctx, ticket, last4)
	if err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case rating < 1 || rating > 5:
		return nil, counsel.Invalid(counsel.FieldError{Field: "rating", Key: "err.range", Args: []any{1, 5}})
	case utf8.RuneCountInString(comment) > MaxConsultComment:
		return nil, counsel.Invalid(counsel.FieldError{Field: "comment", Key: "err.too_long", Args: []any{MaxConsultComment}})
	case c.Status != store.ConsultAnswered:
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_not_answered")
	case c.Rating != 0:
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_rated")
	}
	ms := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.RateConsultation(ctx, c.ID, rating, comment, ms)
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "consult.err_rated")
		}
		return audit.Write(ctx, tx, publicActor(ip), "rate", "consultation", c.ID, c.VillageCode, nil, map[string]any{"rating": rating})
	})
	if err != nil {
		return nil, err
	}
	return s.PublicConsultation(ctx, c.Ticket, last4)
}

// ---- staff side -------------------------------------------------------------

func canReadConsult(a *counsel.Actor, c *store.Consultation) bool {
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
func HandlesConsult(a *counsel.Actor, c *store.Consultation) bool {
	return a.Role == counsel.RoleAdvisor && a.AdvisorID != 0 && c.AdvisorID == a.AdvisorID
}

// ConsultPhone returns the resident's phone as the actor may see it: whole
// only when full is asked by the advisor handling the ticket, masked
// otherwise.
func ConsultPhone(a *counsel.Actor, c *store.Consultation, full bool) string {
	if full && HandlesConsult(a, c) {
		return c.Phone
	}
	return counsel.MaskPhone(c.Phone)
}

// Consultations lists the consultations the actor may see, phones masked.
func (s *Service) Consultations(ctx context.Context, a *counsel.Actor, f store.ConsultFilter) (List[store.Consultation], error) {
	if !authz.CanSeeConsultations(a) {
		return List[store.Consultation]{}, errForbidden
	}
	b := baseFilter(a)
	f.Scope, f.AdvisorID = b.Scope, 0
	if a.Role == counsel.RoleAdvisor {
		f.AdvisorID = a.AdvisorID
	}
	f.Now = s.Now().UnixMilli()
	items, total, err := s.DB.Consultations(ctx, f)
	for i := range items {
		items[i].Phone = ConsultPhone(a, &items[i], false)
	}
	return list(items, total, f.Page), err
}

// consultation loads a consultation the actor may see, phone whole.
func (s *Service) consultation(ctx context.Context, a *counsel.Actor, id int64) (*store.Consultation, error) {
	if !authz.CanSeeConsultations(a) {
		return nil, errForbidden
	}
	c, err := s.DB.Consultation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canReadConsult(a, c) {
		return nil, errNotFound
	}
	return c, nil
}

// Consultation returns a consultation the actor may see, phone masked. For
// the advisor who answered it, it also records a ledger entry a failure
// left unrecorded (the entry's client key makes the retry safe).
func (s *Service) Consultation(ctx context.Context, a *counsel.Actor, id int64) (*store.Consultation, error) {
	c, err := s.consultation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if c.Status == store.ConsultAnswered && c.EntryID == 0 && HandlesConsult(a, c) {
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
		return "", errForbidden
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
func (s *Service) AnswerConsultation(ctx context.Context, a *counsel.Actor, id int64, answer string) (*store.Consultation, error) {
	c, err := s.consultation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !HandlesConsult(a, c) {
		return nil, errForbidden
	}
	answer = strings.TrimSpace(strings.ReplaceAll(answer, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		return nil, counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.required"})
	case n > MaxConsultAnswer:
		return nil, counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.too_long", Args: []any{MaxConsultAnswer}})
	}
	if c.Status != store.ConsultOpen {
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_answered")
	}
	ms := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := tx.AnswerConsultation(ctx, c.ID, answer, a.UserID, ms)
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "consult.err_answered")
		}
		return audit.Write(ctx, tx, a, "answer", "consultation", c.ID, c.VillageCode, map[string]any{"status": c.Status},
			map[string]any{"status": store.ConsultAnswered})
	})
	if err != nil {
		return nil, err
	}
	c.Status, c.Answer, c.AnsweredBy, c.AnsweredAt = store.ConsultAnswered, answer, a.UserID, ms
	if err := s.consultEntry(ctx, a, c); err != nil {
		// The answer stands; the entry is retried when the advisor opens it.
		s.Log.Warn("consultation ledger entry", "id", c.ID, "err", err)
	}
	return s.Consultation(ctx, a, id)
}

// consultEntry records the ledger entry of an answered consultation and
// links it. The client key makes a retry return the first entry.
func (s *Service) consultEntry(ctx context.Context, a *counsel.Actor, c *store.Consultation) error {
	// The entry is the answering account's (its client keys are per
	// account), whoever retries it.
	uid := c.AnsweredBy
	if uid == 0 {
		uid = a.UserID
	}
	adv := &counsel.Actor{Role: counsel.RoleAdvisor, AdvisorID: c.AdvisorID, UserID: uid, Username: a.Username, IP: a.IP}
	e, err := s.RecordEntry(ctx, adv, &counsel.Entry{VillageCode: c.VillageCode, Kind: policy.KindConsultation, Mode: policy.ModeOnline,
		Date: chinaDate(c.AnsweredAt), Minutes: consultEntryMins, Served: c.Name,
		Content: i18n.T("zh", "consult.entry_content", c.Ticket, i18n.T("zh", "consult.cat."+c.Category)), ClientKey: "consult-" + c.Ticket})
	if err != nil {
		return err
	}
	c.EntryID = e.ID
	return s.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.SetConsultationEntry(ctx, c.ID, e.ID, s.Now().UnixMilli()) })
}

// EscalateConsultations escalates every open consultation past its
// deadline (ConsultWorkdays working days) to the town's judicial office: it
// marks it escalated, notifies the office in the app and enqueues an
// outbox event, all in one transaction. It is idempotent and returns how
// many it escalated.
func (s *Service) EscalateConsultations(ctx context.Context, now time.Time) (int, error) {
	ms := now.UnixMilli()
	due, err := s.DB.ConsultationsDue(ctx, ms, 10000)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range due {
		c := &due[i]
		done := false
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			ok, err := tx.EscalateConsultation(ctx, c.ID, ms)
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
			if err := majorNotify(ctx, tx, users, "consultation_overdue", title, consultLink(c.ID), key, ms); err != nil {
				return err
			}
			text := notifyText("consult.event_text", []any{c.VillageName, cat, c.AdvisorName, chinaDate(c.CreatedAt), ConsultWorkdays})
			if _, err := s.Notify.EnqueueEvent(ctx, tx, c.VillageCode, notify.OutboxEvent{Kind: notify.EventConsultationOverdue, Title: title, Text: text,
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
