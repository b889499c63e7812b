package selection

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// StageRanking is a stage's ranking as computed now, with what went into it.
type StageRanking struct {
	Stage    *StageSettings
	Rows     []Ranked
	Names    map[int64]Candidate // by candidate id
	VoteDay  string              // the publication the vote scores come from ("" = none yet)
	Votes    map[int64]int64     // published counts by candidate
	Places   map[string]int      // places per county (share rounds)
	Advisors map[string]int      // advisors per county (share rounds)
	List     *StageList          // the published list, if any
}

// StageList is a stage's list as published for 公示 and confirmed.
type StageList struct {
	CampaignID  int64    `json:"campaign_id"`
	Stage       string   `json:"stage"`
	Rows        []Ranked `json:"rows"`
	Notice      Notice   `json:"notice"`
	PublishedBy string   `json:"-"`
	PublishedAt int64    `json:"published_at"`
	ConfirmedBy string   `json:"-"`
	ConfirmedAt int64    `json:"confirmed_at"`
}

// Ranking computes a stage's ranking from the scores in the database: the
// panel's submitted scores (mean), the latest published vote counts (scaled
// to the most voted), the scores the bureau entered, and the candidate's
// total in the stage before.
func (s *Service) Ranking(ctx context.Context, c *Campaign, stage string) (*StageRanking, error) {
	st, ok := c.Settings.Stage(stage)
	if !ok {
		return nil, counsel.ErrNotFound
	}
	ks, err := Candidates(ctx, s.DB, c.ID, stage)
	if err != nil {
		return nil, err
	}
	r := &StageRanking{Stage: st, Names: map[int64]Candidate{}, Votes: map[int64]int64{}, Places: map[string]int{}, Advisors: map[string]int{}}
	if pub, err := s.VoteCounts(ctx, c.ID, stage); err != nil {
		return nil, err
	} else if pub != nil {
		r.VoteDay, r.Votes = pub.Day, pub.Counts
	}
	votes := map[int64]int{}
	var es []Entrant
	var prior map[int64]int64 // advisor → prior total
	if st.Weight(CompPrior) > 0 {
		if prev := previousStage(c, stage); prev != "" {
			pr, err := s.Ranking(ctx, c, prev)
			if err != nil {
				return nil, err
			}
			prior = map[int64]int64{}
			for _, row := range pr.Rows {
				prior[pr.Names[row.ID].AdvisorID] = (row.Total + 50) / 100
			}
		}
	}
	panel, err := panelMeans(ctx, s.DB, c.ID, stage)
	if err != nil {
		return nil, err
	}
	entered, err := enteredScores(ctx, s.DB, c.ID, stage)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		if k.Status != CandidateActive {
			continue
		}
		r.Names[k.ID] = k
		votes[k.ID] = int(r.Votes[k.ID])
		e := Entrant{ID: k.ID, Name: k.AdvisorName, County: k.CountyCode, Scores: map[string]int64{}}
		if m, ok := panel[k.ID]; ok {
			e.Scores[CompReport] = m
		}
		for comp, v := range entered[k.ID] {
			e.Scores[comp] = v
		}
		if prior != nil {
			e.Scores[CompPrior] = prior[k.AdvisorID]
		}
		es = append(es, e)
		if _, ok := r.Advisors[k.CountyCode]; !ok && (st.ShareBP > 0 || len(st.Quotas) > 0) {
			_, total, err := registry.Advisors(ctx, s.DB, counsel.Filter{Scope: k.CountyCode, Page: counsel.Page{Limit: 1}})
			if err != nil {
				return nil, err
			}
			r.Advisors[k.CountyCode] = total
			r.Places[k.CountyCode] = Places(st, k.CountyCode, total)
		}
	}
	vs := VoteScores(votes)
	for i := range es {
		es[i].Scores[CompVote] = vs[es[i].ID]
	}
	r.Rows = RankStage(st, es, r.Advisors)
	if r.List, err = s.stageList(ctx, c.ID, stage); err != nil {
		return nil, err
	}
	return r, nil
}

func previousStage(c *Campaign, stage string) string {
	for i, st := range c.Settings.Stages {
		if st.Key == stage && i > 0 {
			return c.Settings.Stages[i-1].Key
		}
	}
	return ""
}

func panelMeans(ctx context.Context, q store.Q, campaign int64, stage string) (map[int64]int64, error) {
	rows, err := q.Query(ctx, `SELECT s.candidate_id, s.score FROM sel_panel_scores s JOIN sel_candidates k ON k.id = s.candidate_id
		WHERE k.campaign_id = ? AND k.stage = ? AND s.submitted_at > 0`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	by := map[int64][]int64{}
	for rows.Next() {
		var id, sc int64
		if err := rows.Scan(&id, &sc); err != nil {
			return nil, err
		}
		by[id] = append(by[id], sc)
	}
	out := map[int64]int64{}
	for id, list := range by {
		out[id], _ = PanelScore(list)
	}
	return out, rows.Err()
}

func enteredScores(ctx context.Context, q store.Q, campaign int64, stage string) (map[int64]map[string]int64, error) {
	rows, err := q.Query(ctx, `SELECT s.candidate_id, s.component, s.score FROM sel_scores s JOIN sel_candidates k ON k.id = s.candidate_id
		WHERE k.campaign_id = ? AND k.stage = ?`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]map[string]int64{}
	for rows.Next() {
		var id, sc int64
		var comp string
		if err := rows.Scan(&id, &comp, &sc); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[string]int64{}
		}
		out[id][comp] = sc
	}
	return out, rows.Err()
}

// ParseScore reads a score typed as "87.5" or "87.65" into hundredths of a
// point, refusing anything outside 0–max.
func ParseScore(s string, max int) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 4 || len(frac) > 2 {
		return 0, false
	}
	var v int64
	for _, c := range whole + (frac + "00")[:2] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if v > int64(max)*100 {
		return 0, false
	}
	return v, true
}

// EnterScore records a component score the bureau keeps (the province's
// assessment of the year's service data) for a candidate.
func (s *Service) EnterScore(ctx context.Context, a *counsel.Actor, candidateID int64, component, score string) error {
	k, err := CandidateByID(ctx, s.DB, candidateID)
	if err != nil {
		return err
	}
	c, err := s.Campaign(ctx, a, k.CampaignID)
	if err != nil {
		return err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return counsel.ErrForbidden
	}
	st, _ := c.Settings.Stage(k.Stage)
	if component != CompProvince || st == nil || st.Weight(component) == 0 {
		return counsel.Invalid(counsel.FieldError{Field: "component", Key: "sel.err_component"})
	}
	v, ok := ParseScore(score, 100)
	if !ok {
		return counsel.Invalid(counsel.FieldError{Field: "score", Key: "sel.err_score", Args: []any{100}})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_scores (candidate_id, component, score, entered_by, entered_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (candidate_id, component) DO UPDATE SET score = excluded.score, entered_by = excluded.entered_by, entered_at = excluded.entered_at`,
			k.ID, component, v, a.Username, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "score", "sel_candidate", k.ID, k.CountyCode, nil, map[string]any{"component": component, "score": FormatScore(v)})
	})
}

// stageList reads a stage's published list.
func (s *Service) stageList(ctx context.Context, campaign int64, stage string) (*StageList, error) {
	var l StageList
	var snap string
	err := s.DB.Row(ctx, `SELECT campaign_id, stage, snapshot, notice_start, notice_end, next_opens, published_by, published_at, confirmed_by, confirmed_at
		FROM sel_lists WHERE campaign_id = ? AND stage = ?`, campaign, stage).
		Scan(&l.CampaignID, &l.Stage, &snap, &l.Notice.Start, &l.Notice.End, &l.Notice.NextOpens, &l.PublishedBy, &l.PublishedAt, &l.ConfirmedBy, &l.ConfirmedAt)
	if err != nil {
		if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeNotFound {
			return nil, nil
		}
		return nil, err
	}
	if err := json.Unmarshal([]byte(snap), &l.Rows); err != nil {
		return nil, err
	}
	a, err1 := time.ParseInLocation(counsel.DateLayout, l.Notice.Start, calendar.Shanghai)
	b, err2 := time.ParseInLocation(counsel.DateLayout, l.Notice.NextOpens, calendar.Shanghai)
	if err1 == nil && err2 == nil {
		l.Notice.Workdays = s.Cal.WorkdaysBetween(a.Add(12*time.Hour), b.Add(12*time.Hour))
	}
	return &l, nil
}

// PublishList publishes a stage's ranking as it stands for 公示 from date
// start (today when empty) for the campaign's NoticeWorkdays working days.
func (s *Service) PublishList(ctx context.Context, a *counsel.Actor, campaignID int64, stage, start string) (*StageList, error) {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return nil, err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return nil, counsel.ErrForbidden
	}
	if start == "" {
		start = s.Today()
	}
	if !counsel.ValidDate(start) || start < s.Today() {
		return nil, counsel.Invalid(counsel.FieldError{Field: "notice_start", Key: "sel.err_notice_start"})
	}
	rk, err := s.Ranking(ctx, c, stage)
	if err != nil {
		return nil, err
	}
	if rk.List != nil {
		return nil, counsel.Errorf(counsel.CodeConflict, "sel.err_list_published")
	}
	if len(rk.Rows) == 0 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "stage", Key: "sel.err_no_candidates"})
	}
	n, err := NoticePeriod(s.Cal, start, c.Settings.NoticeWorkdays)
	if err != nil {
		return nil, err
	}
	snap, err := json.Marshal(rk.Rows)
	if err != nil {
		return nil, err
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_lists (campaign_id, stage, snapshot, notice_start, notice_end, next_opens, published_by, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, stage, string(snap), n.Start, n.End, n.NextOpens, a.Username, s.Now().UnixMilli()); err != nil {
			if counsel.ErrorCode(err) == counsel.CodeConflict {
				return counsel.Errorf(counsel.CodeConflict, "sel.err_list_published")
			}
			return err
		}
		return audit.Write(ctx, tx, a, "publish_list", "sel_campaign", c.ID, c.RegionCode, nil, map[string]any{"stage": stage, "notice_start": n.Start, "notice_end": n.End})
	})
	if err != nil {
		return nil, err
	}
	return s.stageList(ctx, c.ID, stage)
}

// ConfirmList confirms a stage's published list once its 公示 is over, and
// puts the candidates who go on into the next stage.
func (s *Service) ConfirmList(ctx context.Context, a *counsel.Actor, campaignID int64, stage string) error {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return err
	}
	if !authz.CanRunSelection(a, c.RegionCode) {
		return counsel.ErrForbidden
	}
	l, err := s.stageList(ctx, c.ID, stage)
	if err != nil {
		return err
	}
	if l == nil {
		return counsel.Invalid(counsel.FieldError{Field: "stage", Key: "sel.err_list_none"})
	}
	if l.ConfirmedAt > 0 {
		return counsel.Errorf(counsel.CodeConflict, "sel.err_list_confirmed")
	}
	if !l.Notice.Over(s.Today()) {
		return counsel.Invalid(counsel.FieldError{Field: "stage", Key: "sel.err_notice_running", Args: []any{l.Notice.End}})
	}
	next := ""
	for i, st := range c.Settings.Stages {
		if st.Key == stage && i+1 < len(c.Settings.Stages) {
			next = c.Settings.Stages[i+1].Key
		}
	}
	now := s.Now().UnixMilli()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := store.Changed(tx.Exec(ctx, `UPDATE sel_lists SET confirmed_by = ?, confirmed_at = ? WHERE campaign_id = ? AND stage = ? AND confirmed_at = 0`, a.Username, now, c.ID, stage))
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "sel.err_list_confirmed")
		}
		moved := 0
		if next != "" {
			for _, row := range l.Rows {
				if !row.GoesOn {
					continue
				}
				k, err := CandidateByID(ctx, tx, row.ID)
				if err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `INSERT INTO sel_candidates (campaign_id, stage, advisor_id, county_code, category, profile, status, created_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (campaign_id, stage, advisor_id) DO NOTHING`,
					c.ID, next, k.AdvisorID, k.CountyCode, k.Category, k.Profile, CandidateActive, now); err != nil {
					return err
				}
				moved++
			}
		}
		return audit.Write(ctx, tx, a, "confirm_list", "sel_campaign", c.ID, c.RegionCode, nil, map[string]any{"stage": stage, "next": next, "moved": moved})
	})
}
