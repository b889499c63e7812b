package selection

import (
	"context"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// A stage's panel (评审组: deputies, committee members, rule-of-law
// observers) scores the candidates' reports. Members are accounts the
// bureau appoints per stage; each sees and changes only their own scores,
// and a submitted score is locked. The report component is the mean of the
// submitted scores.

// Membership is a panel seat of the signed-in account.
type Membership struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	Stage      string `json:"stage"`
	Title      string `json:"title"`
	Campaign   string `json:"campaign"`
}

// SheetRow is one candidate on a member's score sheet.
type SheetRow struct {
	Candidate
	Score     int64 `json:"score"`
	Scored    bool  `json:"scored"`
	Submitted bool  `json:"submitted"`
}

// AddPanelMember appoints an account to a stage's panel.
func (s *Service) AddPanelMember(ctx context.Context, a *counsel.Actor, campaignID int64, stage, username, title string) error {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return counsel.ErrForbidden
	}
	if _, ok := c.Settings.Stage(stage); !ok {
		return counsel.Invalid(counsel.FieldError{Field: "stage", Key: "err.choice"})
	}
	username, title = strings.ToLower(strings.TrimSpace(username)), strings.TrimSpace(title)
	if n := len([]rune(title)); n > 40 {
		return counsel.Invalid(counsel.FieldError{Field: "title", Key: "sel.err_member_title"})
	}
	var uid int64
	if err := s.DB.Row(ctx, `SELECT id FROM users WHERE username = ? AND disabled = ?`, username, false).Scan(&uid); err != nil {
		if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "username", Key: "sel.err_member_user"})
		}
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		id, err := tx.Insert(ctx, `INSERT INTO sel_panel (campaign_id, stage, user_id, title, created_at) VALUES (?, ?, ?, ?, ?)`, c.ID, stage, uid, title, s.Now().UnixMilli())
		if err != nil {
			if counsel.ErrorCode(err) == counsel.CodeConflict {
				return counsel.Invalid(counsel.FieldError{Field: "username", Key: "sel.err_member_twice"})
			}
			return err
		}
		return audit.Write(ctx, tx, a, "appoint", "sel_panel", id, c.RegionCode, nil, map[string]any{"stage": stage, "user": username})
	})
}

// MyPanels lists the panel seats of the signed-in account.
func (s *Service) MyPanels(ctx context.Context, a *counsel.Actor) ([]Membership, error) {
	rows, err := s.DB.Query(ctx, `SELECT m.id, m.campaign_id, m.stage, m.title, c.title FROM sel_panel m JOIN sel_campaigns c ON c.id = m.campaign_id
		WHERE m.user_id = ? ORDER BY m.campaign_id DESC, m.id`, a.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Membership
	for rows.Next() {
		var m Membership
		if err := rows.Scan(&m.ID, &m.CampaignID, &m.Stage, &m.Title, &m.Campaign); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Service) membership(ctx context.Context, a *counsel.Actor, memberID int64) (*Membership, error) {
	var m Membership
	err := s.DB.Row(ctx, `SELECT m.id, m.campaign_id, m.stage, m.title, c.title FROM sel_panel m JOIN sel_campaigns c ON c.id = m.campaign_id
		WHERE m.id = ? AND m.user_id = ?`, memberID, a.UserID).Scan(&m.ID, &m.CampaignID, &m.Stage, &m.Title, &m.Campaign)
	if err != nil {
		return nil, store.MapErr(err) // someone else's seat is not found
	}
	return &m, nil
}

// Sheet is a member's score sheet: the stage's candidates with the member's
// own scores only.
func (s *Service) Sheet(ctx context.Context, a *counsel.Actor, memberID int64) (*Membership, []SheetRow, int, error) {
	m, err := s.membership(ctx, a, memberID)
	if err != nil {
		return nil, nil, 0, err
	}
	c, err := CampaignByID(ctx, s.DB, m.CampaignID)
	if err != nil {
		return nil, nil, 0, err
	}
	st, _ := c.Settings.Stage(m.Stage)
	ks, err := Candidates(ctx, s.DB, m.CampaignID, m.Stage)
	if err != nil {
		return nil, nil, 0, err
	}
	mine := map[int64][2]int64{}
	rows, err := s.DB.Query(ctx, `SELECT candidate_id, score, submitted_at FROM sel_panel_scores WHERE member_id = ?`, m.ID)
	if err != nil {
		return nil, nil, 0, err
	}
	for rows.Next() {
		var id, sc, at int64
		if err := rows.Scan(&id, &sc, &at); err != nil {
			rows.Close()
			return nil, nil, 0, err
		}
		mine[id] = [2]int64{sc, at}
	}
	rows.Close()
	var out []SheetRow
	for _, k := range ks {
		if k.Status != CandidateActive {
			continue
		}
		r := SheetRow{Candidate: k}
		if v, ok := mine[k.ID]; ok {
			r.Score, r.Scored, r.Submitted = v[0], true, v[1] > 0
		}
		out = append(out, r)
	}
	max := 100
	if st != nil {
		max = st.PanelMax
	}
	return m, out, max, nil
}

// SaveScore saves (and with submit, locks) the member's score of a
// candidate of their stage.
func (s *Service) SaveScore(ctx context.Context, a *counsel.Actor, memberID, candidateID int64, score string, submit bool) error {
	m, err := s.membership(ctx, a, memberID)
	if err != nil {
		return err
	}
	k, err := CandidateByID(ctx, s.DB, candidateID)
	if err != nil || k.CampaignID != m.CampaignID || k.Stage != m.Stage || k.Status != CandidateActive {
		return counsel.Invalid(counsel.FieldError{Field: "candidate_id", Key: "sel.err_not_candidate"})
	}
	c, err := CampaignByID(ctx, s.DB, m.CampaignID)
	if err != nil {
		return err
	}
	st, _ := c.Settings.Stage(m.Stage)
	v, ok := ParseScore(score, st.PanelMax)
	if !ok {
		return counsel.Invalid(counsel.FieldError{Field: "score", Key: "sel.err_score", Args: []any{st.PanelMax}})
	}
	now := s.Now().UnixMilli()
	at := int64(0)
	if submit {
		at = now
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		var locked int64
		err := tx.Row(ctx, `SELECT submitted_at FROM sel_panel_scores WHERE candidate_id = ? AND member_id = ?`, k.ID, m.ID).Scan(&locked)
		switch {
		case err == nil && locked > 0:
			return counsel.Errorf(counsel.CodeConflict, "sel.err_score_locked")
		case err == nil:
			_, err = tx.Exec(ctx, `UPDATE sel_panel_scores SET score = ?, submitted_at = ?, updated_at = ? WHERE candidate_id = ? AND member_id = ? AND submitted_at = 0`, v, at, now, k.ID, m.ID)
		case counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound:
			_, err = tx.Exec(ctx, `INSERT INTO sel_panel_scores (candidate_id, member_id, score, submitted_at, updated_at) VALUES (?, ?, ?, ?, ?)`, k.ID, m.ID, v, at, now)
		}
		if err != nil {
			return err
		}
		action := "score_draft"
		if submit {
			action = "score_submit"
		}
		return audit.Write(ctx, tx, a, action, "sel_candidate", k.ID, k.CountyCode, nil, map[string]any{"member": m.ID, "score": FormatScore(v)})
	})
}
