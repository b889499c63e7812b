package assess

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Commendation statuses and the default notice (公示) in working days.
const (
	CommendPublicized   = "publicized"
	CommendIssued       = "issued"
	DefaultNoticeDays   = 5
	maxCommendReason    = 200
	maxCommendObjection = 1000
)

// Commendation is a list of advisors proposed for commendation from a
// round's results (R40), published for a notice period before it is issued.
type Commendation struct {
	ID          int64              `json:"id"`
	RoundID     int64              `json:"round_id"`
	CountyCode  string             `json:"county_code"`
	CountyName  string             `json:"county_name"`
	Title       string             `json:"title"`
	Status      string             `json:"status"`
	NoticeDays  int                `json:"notice_days"`
	PublishedOn string             `json:"published_on"`
	NoticeUntil string             `json:"notice_until"` // the last day of the notice
	IssuedOn    string             `json:"issued_on"`
	Commendees  []Commendee        `json:"commendees"`
	Objections  []CommendObjection `json:"objections"`
	CanRun      bool               `json:"can_run"`
	CanIssue    bool               `json:"can_issue"`
}

// Commendee is one advisor on the list.
type Commendee struct {
	AdvisorID    int64  `json:"advisor_id"`
	AdvisorName  string `json:"advisor_name"`
	ProviderName string `json:"provider_name"`
	Grade        string `json:"grade"`
	Reason       string `json:"reason"`
}

// CommendObjection is an objection received during the notice.
type CommendObjection struct {
	ID        int64  `json:"id"`
	Body      string `json:"body"`
	Handling  string `json:"handling"`
	CreatedAt int64  `json:"created_at"`
}

// CommendInput proposes advisors of a round.
type CommendInput struct {
	Title      string           `json:"title"`
	NoticeDays int              `json:"notice_days"`
	Reasons    map[int64]string `json:"reasons"` // advisor → reason
}

// Commend proposes advisors graded 优秀 or 合格 in a final or published
// round for commendation and publishes the list at once for the notice
// period (at least DefaultNoticeDays working days).
func (s *Service) Commend(ctx context.Context, a *counsel.Actor, roundID int64, in CommendInput) (*Commendation, error) {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return nil, err
	}
	if !authz.CanRunRound(a, r.CountyCode) {
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	if r.Status == RoundScoring {
		f.Add("title", "as.cm.err_round")
	}
	title := strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(title); n == 0 {
		f.Add("title", "err.required")
	} else if n > 100 {
		f.Add("title", "err.too_long", 100)
	}
	if in.NoticeDays == 0 {
		in.NoticeDays = DefaultNoticeDays
	}
	if in.NoticeDays < DefaultNoticeDays || in.NoticeDays > 30 {
		f.Add("notice_days", "err.range", DefaultNoticeDays, 30)
	}
	results, err := roundResults(ctx, s.DB, r.ID)
	if err != nil {
		return nil, err
	}
	grade := map[int64]string{}
	for _, x := range results {
		grade[x.AdvisorID] = x.Grade
	}
	var list []Commendee
	for adv, reason := range in.Reasons {
		reason = strings.TrimSpace(reason)
		switch g := grade[adv]; {
		case g != GradeExcellent && g != GradePass:
			f.Add("advisors", "as.cm.err_grade")
		case reason == "" || utf8.RuneCountInString(reason) > maxCommendReason:
			f.Add("reason", "as.cm.err_reason", maxCommendReason)
		default:
			list = append(list, Commendee{AdvisorID: adv, Grade: g, Reason: reason})
		}
	}
	if len(in.Reasons) == 0 {
		f.Add("advisors", "as.cm.err_none")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.Now()
	c := &Commendation{RoundID: r.ID, Title: title, Status: CommendPublicized, NoticeDays: in.NoticeDays, PublishedOn: s.Today(),
		NoticeUntil: s.cal.AddWorkdays(now.In(shanghai), in.NoticeDays).Add(-time.Nanosecond).In(shanghai).Format(counsel.DateLayout)}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO assess_commendations (round_id, title, status, notice_days, published_on, notice_until, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.RoundID, c.Title, c.Status, c.NoticeDays, c.PublishedOn, c.NoticeUntil, a.UserID, now.UnixMilli())
		if err != nil {
			return err
		}
		c.ID = id
		for _, m := range list {
			if _, err := tx.Exec(ctx, `INSERT INTO assess_commendees (commendation_id, advisor_id, reason) VALUES (?, ?, ?)`, id, m.AdvisorID, m.Reason); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, a, "create", "commendation", id, r.CountyCode, nil, map[string]any{"title": title, "advisors": len(list), "notice_until": c.NoticeUntil})
	})
	if err != nil {
		return nil, err
	}
	return s.Commendation(ctx, a, c.ID)
}

// commendation reads a commendation with its list and objections.
func (s *Service) commendation(ctx context.Context, id int64) (*Commendation, error) {
	var c Commendation
	err := s.DB.Row(ctx, `SELECT c.id, c.round_id, r.county_code, g.name, c.title, c.status, c.notice_days, c.published_on, c.notice_until, c.issued_on
		FROM assess_commendations c JOIN assess_rounds r ON r.id = c.round_id JOIN regions g ON g.code = r.county_code WHERE c.id = ?`, id).
		Scan(&c.ID, &c.RoundID, &c.CountyCode, &c.CountyName, &c.Title, &c.Status, &c.NoticeDays, &c.PublishedOn, &c.NoticeUntil, &c.IssuedOn)
	if err != nil {
		return nil, store.MapErr(err)
	}
	rows, err := s.DB.Query(ctx, `SELECT m.advisor_id, a.name, p.name, COALESCE(x.grade, ''), m.reason FROM assess_commendees m
		JOIN advisors a ON a.id = m.advisor_id JOIN providers p ON p.id = a.provider_id
		LEFT JOIN assess_results x ON x.round_id = ? AND x.advisor_id = m.advisor_id
		WHERE m.commendation_id = ? ORDER BY a.name, m.advisor_id`, c.RoundID, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m Commendee
		if err := rows.Scan(&m.AdvisorID, &m.AdvisorName, &m.ProviderName, &m.Grade, &m.Reason); err != nil {
			return nil, store.MapErr(err)
		}
		c.Commendees = append(c.Commendees, m)
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	orows, err := s.DB.Query(ctx, `SELECT id, body, handling, created_at FROM assess_commend_objections WHERE commendation_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer orows.Close()
	for orows.Next() {
		var o CommendObjection
		if err := orows.Scan(&o.ID, &o.Body, &o.Handling, &o.CreatedAt); err != nil {
			return nil, store.MapErr(err)
		}
		c.Objections = append(c.Objections, o)
	}
	return &c, store.MapErr(orows.Err())
}

// Commendation returns a commendation for the round's readers.
func (s *Service) Commendation(ctx context.Context, a *counsel.Actor, id int64) (*Commendation, error) {
	c, err := s.commendation(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanSeeRound(a, c.CountyCode) {
		return nil, counsel.ErrNotFound
	}
	c.CanRun = authz.CanRunRound(a, c.CountyCode)
	c.CanIssue = c.CanRun && c.Status == CommendPublicized && s.Today() > c.NoticeUntil
	return c, nil
}

// PublicCommendation returns the notice (公示) as the public sees it.
func (s *Service) PublicCommendation(ctx context.Context, id int64) (*Commendation, error) {
	return s.commendation(ctx, id)
}

// RecordCommendObjection records an objection received during the notice
// (by letter, phone or in person) and how it was handled.
func (s *Service) RecordCommendObjection(ctx context.Context, a *counsel.Actor, id int64, body, handling string) error {
	c, err := s.Commendation(ctx, a, id)
	if err != nil {
		return err
	}
	if !c.CanRun {
		return counsel.ErrForbidden
	}
	var f counsel.Fields
	body, handling = strings.TrimSpace(body), strings.TrimSpace(handling)
	for _, x := range []struct{ field, v string }{{"body", body}, {"handling", handling}} {
		if n := utf8.RuneCountInString(x.v); n == 0 {
			f.Add(x.field, "err.required")
		} else if n > maxCommendObjection {
			f.Add(x.field, "err.too_long", maxCommendObjection)
		}
	}
	if c.Status != CommendPublicized {
		f.Add("body", "as.cm.err_issued")
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		oid, err := tx.Insert(ctx, `INSERT INTO assess_commend_objections (commendation_id, body, handling, created_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, body, handling, a.UserID, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "object", "commendation", id, c.CountyCode, nil, map[string]any{"objection_id": oid, "handling": handling})
	})
}

// IssueCommendation issues the commendation once the notice has run its
// working days; before that it is refused with the last day of the notice.
func (s *Service) IssueCommendation(ctx context.Context, a *counsel.Actor, id int64) error {
	c, err := s.Commendation(ctx, a, id)
	if err != nil {
		return err
	}
	if !c.CanRun {
		return counsel.ErrForbidden
	}
	switch {
	case c.Status != CommendPublicized:
		return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.cm.err_issued"})
	case s.Today() <= c.NoticeUntil:
		return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.cm.err_notice", Args: []any{zhDate(c.NoticeUntil)}})
	}
	today := s.Today()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE assess_commendations SET status = ?, issued_on = ? WHERE id = ? AND status = ?`, CommendIssued, today, id, CommendPublicized); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "issue", "commendation", id, c.CountyCode, nil, map[string]any{"issued_on": today})
	})
}

// Commendations lists a round's commendations.
func (s *Service) Commendations(ctx context.Context, roundID int64) ([]Commendation, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, title, status, published_on, notice_until, issued_on FROM assess_commendations WHERE round_id = ? ORDER BY id`, roundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Commendation
	for rows.Next() {
		c := Commendation{RoundID: roundID}
		if err := rows.Scan(&c.ID, &c.Title, &c.Status, &c.PublishedOn, &c.NoticeUntil, &c.IssuedOn); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, c)
	}
	return out, store.MapErr(rows.Err())
}
