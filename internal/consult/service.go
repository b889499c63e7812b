package consult

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
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

// Service holds the consultation's rules. Rules still in the layered
// service (the ledger, the outbox) are reached through Svc;
// the public side (villages, boards) through Pub.
type Service struct {
	DB     *store.DB
	Log    *slog.Logger
	Now    func() time.Time // the clock (the layered service's by default)
	Svc    *registry.Service
	Pub    *public.Service // the public side: villages, boards and their search
	Ledger *ledger.Service // answers are recorded in the ledger

	ipLimit *windowLimiter // per-address limit of the public form
	// lookups of a ticket (from any source) and by a source (any tickets)
	ticketLookups, ipLookups *windowLimiter
}

// NewService returns the consultation's rules over the layered service (its
// database, logger and clock) and the public side.
func NewService(svc *registry.Service, pub *public.Service, lg *ledger.Service) *Service {
	return &Service{DB: svc.DB, Log: svc.Log, Now: func() time.Time { return svc.Now() }, Svc: svc, Pub: pub, Ledger: lg,
		ipLimit:       newWindowLimiter(ConsultPerIP, ConsultIPWindow),
		ticketLookups: newWindowLimiter(ConsultLookupPerTicket, ConsultLookupWindow),
		ipLookups:     newWindowLimiter(ConsultLookupPerIP, ConsultLookupWindow)}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// notifyText is a notification's text (in Chinese, as stored).
func notifyText(key string, args []any) string { return i18n.T("zh", key, args...) }

// chinaDate formats unix ms as a China date.
func chinaDate(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(calendar.Shanghai).Format(counsel.DateLayout)
}

// DueUncertain reports whether a consultation's answer deadline crosses a
// year the holiday table does not cover (see dueUncertain).
func (s *Service) DueUncertain(ctx context.Context, c *Consultation) bool {
	return dueUncertain(s.Svc.Calendar(ctx), time.UnixMilli(c.CreatedAt), time.UnixMilli(c.DueAt))
}

// dueUncertain reports whether a deadline counted in working days from
// asked to due crosses a year the holiday table does not cover: it was then
// counted Monday to Friday and may miss that year's holidays.
func dueUncertain(c *calendar.Calendar, asked, due time.Time) bool {
	for y := asked.In(calendar.Shanghai).Year(); y <= due.Add(-time.Millisecond).In(calendar.Shanghai).Year(); y++ {
		if !c.Known(y) {
			return true
		}
	}
	return false
}

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
	cal := s.Svc.Calendar(ctx)
	due := cal.AddWorkdays(now, ConsultWorkdays)
	dueOn := due.Add(-time.Millisecond).In(calendar.Shanghai).Format(counsel.DateLayout)
	honeypot := strings.TrimSpace(r.Website) != ""
	uncertain := dueUncertain(cal, now, due)
	r.normalize()
	if err := r.validate(); err != nil {
		return nil, err
	}
	v, err := s.Pub.PublicVillage(ctx, r.VillageCode)
	if err != nil {
		return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "consult.err_village"})
	}
	if honeypot {
		// The same checks and the same receipt as a real one (village
		// included), so a robot cannot tell it was caught; nothing written.
		s.Log.Info("consultation honeypot filled; discarded", "ip", r.IP)
		return &ConsultReceipt{Ticket: newTicket(), DueOn: dueOn, DueUncertain: uncertain, Village: v.Name}, nil
	}
	g, err := registry.LiveAgreementFor(ctx, s.DB, v.Code)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "consult.err_no_advisor"})
		}
		return nil, err
	}
	n, err := consultationsByPhoneSince(ctx, s.DB, r.Phone, now.Add(-ConsultPhoneWindow).UnixMilli())
	if err != nil {
		return nil, err
	}
	if n >= ConsultPerPhone {
		s.auditLimit(ctx, r.IP, "phone", "")
		return nil, errConsultLimit("consult.err_phone_limit")
	}
	if r.IP != "" && !s.ipLimit.allow(r.IP, now) {
		s.auditLimit(ctx, r.IP, "address", "")
		return nil, errConsultLimit("consult.err_ip_limit")
	}
	ms := now.UnixMilli()
	c := &Consultation{VillageCode: v.Code, AdvisorID: g.AdvisorID, Category: r.Category, Question: r.Question, Name: r.Name,
		Phone: r.Phone, NoticeVersion: r.Notice, Status: ConsultOpen, DueAt: due.UnixMilli(), CreatedAt: ms, UpdatedAt: ms}
	for try := 0; ; try++ {
		c.Ticket = newTicket()
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			if err := CreateConsultation(ctx, tx, c); err != nil {
				return err
			}
			users, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", c.AdvisorID)
			if err != nil {
				return err
			}
			text := notifyText("consult.note_new", []any{v.Name, i18n.T("zh", "consult.cat."+c.Category)})
			if err := notify.Users(ctx, tx, users, "consultation", text, consultLink(c.ID), "consult_new|"+itoa(c.ID), ms); err != nil {
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
	return &ConsultReceipt{Ticket: c.Ticket, DueOn: dueOn, DueUncertain: uncertain, Village: v.Name}, nil
}

// consultAudit is what the audit log keeps of a consultation (not the
// question's text; the phone is masked by the audit log).
func consultAudit(c *Consultation) map[string]any {
	return map[string]any{"ticket": c.Ticket, "village_code": c.VillageCode, "advisor_id": c.AdvisorID, "category": c.Category,
		"phone": c.Phone, "notice_version": c.NoticeVersion, "status": c.Status, "due_at": c.DueAt}
}

// lookupTicket finds a consultation by ticket and the phone's last four
// digits; any mismatch is "not found".
func (s *Service) lookupTicket(ctx context.Context, ticket, last4, ip string) (*Consultation, error) {
	ticket, last4 = NormalizeTicket(ticket), strings.TrimSpace(last4)
	if len(ticket) != consultTicketLen || len(last4) != 4 {
		return nil, counsel.ErrNotFound
	}
	// Throttled per source and per ticket before anything is compared.
	now := s.Now()
	if !s.ipLookups.allow(ip, now) {
		s.auditLimit(ctx, ip, "lookup_address", "")
		return nil, errConsultLimit("consult.err_lookup_limit")
	}
	if !s.ticketLookups.allow(ticket, now) {
		s.auditLimit(ctx, ip, "lookup_ticket", ticket)
		return nil, errConsultLimit("consult.err_lookup_limit")
	}
	c, err := ConsultationByTicket(ctx, s.DB, ticket)
	if err != nil {
		return nil, counsel.ErrNotFound
	}
	if len(c.Phone) < 4 || subtle.ConstantTimeCompare([]byte(c.Phone[len(c.Phone)-4:]), []byte(last4)) != 1 {
		return nil, counsel.ErrNotFound
	}
	return c, nil
}

// PublicConsultation returns a consultation to its resident, who proves it
// with the ticket and the last four digits of the phone.
func (s *Service) PublicConsultation(ctx context.Context, ticket, last4, ip string) (*PublicConsult, error) {
	c, err := s.lookupTicket(ctx, ticket, last4, ip)
	if err != nil {
		return nil, err
	}
	return s.publicConsult(ctx, c), nil
}

// publicConsult is what the resident sees of a consultation.
func (s *Service) publicConsult(ctx context.Context, c *Consultation) *PublicConsult {
	p := &PublicConsult{Ticket: c.Ticket, Village: c.VillageName, Category: c.Category, Question: c.Question, Status: c.Status,
		AskedOn: chinaDate(c.CreatedAt), DueOn: chinaDate(c.DueAt - 1), Phone: counsel.MaskPhone(c.Phone)}
	if c.Status == ConsultOpen {
		p.DueUncertain = s.DueUncertain(ctx, c)
	}
	if c.Status == ConsultAnswered {
		p.Answer, p.AnsweredOn, p.AdvisorName = c.Answer, chinaDate(c.AnsweredAt), c.AdvisorName
		p.Rating, p.RatingComment, p.CanRate = c.Rating, c.RatingComment, c.Rating == 0
	}
	return p
}

// RateConsultation records the resident's rating (1–5, optional comment)
// of an answered consultation, once.
func (s *Service) RateConsultation(ctx context.Context, ticket, last4 string, rating int, comment, ip string) (*PublicConsult, error) {
	c, err := s.lookupTicket(ctx, ticket, last4, ip)
	if err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	switch {
	case rating < 1 || rating > 5:
		return nil, counsel.Invalid(counsel.FieldError{Field: "rating", Key: "err.range", Args: []any{1, 5}})
	case utf8.RuneCountInString(comment) > MaxConsultComment:
		return nil, counsel.Invalid(counsel.FieldError{Field: "comment", Key: "err.too_long", Args: []any{MaxConsultComment}})
	case c.Status != ConsultAnswered:
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_not_answered")
	case c.Rating != 0:
		return nil, counsel.Errorf(counsel.CodeConflict, "consult.err_rated")
	}
	ms := s.Now().UnixMilli()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := rateConsultation(ctx, tx, c.ID, rating, comment, ms)
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
	c, err = ConsultationByTicket(ctx, s.DB, c.Ticket)
	if err != nil {
		return nil, err
	}
	return s.publicConsult(ctx, c), nil
}

// Board returns a village's public board (the form shows the chosen village).
func (s *Service) Board(ctx context.Context, code string) (*public.Board, error) {
	return s.Pub.PublicBoard(ctx, code)
}

// SearchVillages finds villages by name for the form.
func (s *Service) SearchVillages(ctx context.Context, q string) ([]public.VillageHit, error) {
	return s.Pub.PublicSearch(ctx, q)
}

// auditLimit records a rate-limit hit of the public side (the phone number
// is never written; a ticket is, for the office to recognise an attack on it).
func (s *Service) auditLimit(ctx context.Context, ip, limit, ticket string) {
	detail := map[string]any{"limit": limit}
	if ticket != "" {
		detail["ticket"] = ticket
	}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		return audit.Write(ctx, tx, publicActor(ip), "rate_limited", "consultation", 0, "", nil, detail)
	})
	if err != nil {
		s.Log.Error("audit: rate-limit hit not written", "err", err)
	}
}
