package selection

import (
	"context"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/store"
)

// Objections (异议) to a list on public notice (R44): anyone may raise one
// while the notice runs; the bureau answers; both are shown with the list
// (the contact never).

// ObjectionsPerIPPerDay limits objections from one address.
const ObjectionsPerIPPerDay = 5

// Objection is one objection and its answer.
type Objection struct {
	ID          int64  `json:"id"`
	CampaignID  int64  `json:"campaign_id"`
	Stage       string `json:"stage"`
	CandidateID int64  `json:"candidate_id"`
	Body        string `json:"body"`
	Contact     string `json:"-"`
	ReceivedAt  int64  `json:"received_at"`
	Answer      string `json:"answer"`
	AnsweredAt  int64  `json:"answered_at"`
	Candidate   string `json:"candidate"`
}

// Object records an objection to a stage's list while its notice runs.
func (s *Service) Object(ctx context.Context, campaignID int64, stage string, candidateID int64, body, contact, ip string) error {
	l, err := s.stageList(ctx, campaignID, stage)
	if err != nil {
		return err
	}
	today := s.Today()
	if l == nil || today < l.Notice.Start || today > l.Notice.End {
		return counsel.Invalid(counsel.FieldError{Field: "body", Key: "sel.err_no_notice"})
	}
	body, contact = strings.TrimSpace(body), normalizePhone(contact)
	var f counsel.Fields
	if n := len([]rune(body)); n < 10 || n > 1000 {
		f.Add("body", "sel.err_objection")
	}
	if contact != "" && !validMobile(contact) {
		f.Add("contact", "sel.err_phone")
	}
	if candidateID != 0 {
		if k, err := CandidateByID(ctx, s.DB, candidateID); err != nil || k.CampaignID != campaignID || k.Stage != stage {
			f.Add("candidate_id", "sel.err_not_candidate")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	now := s.Now()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Count(ctx, `SELECT COUNT(*) FROM sel_objections WHERE ip = ? AND received_at > ?`, ip, now.UnixMilli()-86_400_000)
		if err != nil {
			return err
		}
		if n >= ObjectionsPerIPPerDay {
			return counsel.Invalid(counsel.FieldError{Field: "body", Key: "sel.err_objection_limit"})
		}
		id, err := tx.Insert(ctx, `INSERT INTO sel_objections (campaign_id, stage, candidate_id, body, contact, ip, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			campaignID, stage, candidateID, body, contact, ip, now.UnixMilli())
		if err != nil {
			return err
		}
		s.Log.Info("selection: objection received", "campaign", campaignID, "stage", stage, "contact", sms.MaskPhone(contact))
		return audit.Write(ctx, tx, &counsel.Actor{Username: "public", IP: ip}, "object", "sel_objection", id, "", nil, map[string]any{"stage": stage, "candidate": candidateID})
	})
}

// Objections lists a stage's objections, oldest first.
func (s *Service) Objections(ctx context.Context, campaignID int64, stage string) ([]Objection, error) {
	rows, err := s.DB.Query(ctx, `SELECT o.id, o.campaign_id, o.stage, o.candidate_id, o.body, o.contact, o.received_at, o.answer, o.answered_at, COALESCE(a.name, '')
		FROM sel_objections o LEFT JOIN sel_candidates k ON k.id = o.candidate_id LEFT JOIN advisors a ON a.id = k.advisor_id
		WHERE o.campaign_id = ? AND o.stage = ? ORDER BY o.received_at, o.id`, campaignID, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Objection
	for rows.Next() {
		var o Objection
		if err := rows.Scan(&o.ID, &o.CampaignID, &o.Stage, &o.CandidateID, &o.Body, &o.Contact, &o.ReceivedAt, &o.Answer, &o.AnsweredAt, &o.Candidate); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// AnswerObjection records the bureau's answer, once.
func (s *Service) AnswerObjection(ctx context.Context, a *counsel.Actor, campaignID, id int64, answer string) error {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return counsel.ErrForbidden
	}
	answer = strings.TrimSpace(answer)
	if n := len([]rune(answer)); n < 4 || n > 1000 {
		return counsel.Invalid(counsel.FieldError{Field: "answer", Key: "sel.err_answer"})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := store.Changed(tx.Exec(ctx, `UPDATE sel_objections SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND campaign_id = ? AND answered_at = 0`,
			answer, a.Username, s.Now().UnixMilli(), id, c.ID))
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Invalid(counsel.FieldError{Field: "answer", Key: "sel.err_answered"})
		}
		return audit.Write(ctx, tx, a, "answer", "sel_objection", id, c.RegionCode, nil, map[string]any{"answer": answer})
	})
}
