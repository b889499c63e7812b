package selection

import (
	"context"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/store"
)

// The counts of a vote are hidden while it runs and published once a day at
// the campaign's PublishHour (China time) together with the chain head at
// that moment; the stage's last day is published when its vote has closed
// (midnight), so that the last publication covers every ballot.

// publishDue returns the instant day's publication is due for a stage.
func publishDue(st *StageSettings, rules VoteRules, day string) time.Time {
	d, _ := time.ParseInLocation(counsel.DateLayout, day, calendar.Shanghai)
	if day == st.Closes {
		return d.AddDate(0, 0, 1)
	}
	return d.Add(time.Duration(rules.PublishHour) * time.Hour)
}

// PublishDue publishes every voting day whose time has come and that is
// not published yet, for every campaign; it returns how many it published.
// It is the daily job and is idempotent.
func (s *Service) PublishDue(ctx context.Context, now time.Time) (int, error) {
	cs, err := listCampaigns(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range cs {
		c := &cs[i]
		for j := range c.Settings.Stages {
			st := &c.Settings.Stages[j]
			if !st.Vote {
				continue
			}
			// A stage nobody stands in has nothing to publish.
			if k, err := s.DB.Count(ctx, `SELECT COUNT(*) FROM sel_candidates WHERE campaign_id = ? AND stage = ?`, c.ID, st.Key); err != nil || k == 0 {
				if err != nil {
					return n, err
				}
				continue
			}
			for day := st.Opens; day <= st.Closes; day = nextDay(day) {
				if now.Before(publishDue(st, c.Settings.Vote, day)) {
					break
				}
				ok, err := s.publish(ctx, c, st.Key, day, now)
				if err != nil {
					return n, err
				}
				if ok {
					n++
					// The day's ballots are checked for anomalies when its counts go out.
					if _, err := s.ScanFlags(ctx, c.ID, st.Key, day); err != nil {
						return n, err
					}
				}
			}
		}
	}
	return n, nil
}

func nextDay(day string) string {
	d, err := time.Parse(counsel.DateLayout, day)
	if err != nil {
		return "9999-12-31"
	}
	return d.AddDate(0, 0, 1).Format(counsel.DateLayout)
}

// publish writes a day's publication unless it exists: the head read under
// the head's lock and the counts of the ballots up to it, voided ones left
// out. Reading both in the transaction that holds the head keeps them
// consistent: a ballot is committed with the head that covers it.
func (s *Service) publish(ctx context.Context, c *Campaign, stage, day string, now time.Time) (bool, error) {
	done := false
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		n, err := tx.Count(ctx, `SELECT COUNT(*) FROM sel_published WHERE campaign_id = ? AND stage = ? AND day = ?`, c.ID, stage, day)
		if err != nil || n > 0 {
			return err
		}
		seq, hash, err := lockHead(ctx, tx, c.ID, stage)
		if err != nil {
			return err
		}
		p := &Published{CampaignID: c.ID, Stage: stage, Day: day, Seq: seq, Hash: hash, Counts: map[int64]int64{}, PublishedAt: now.UnixMilli()}
		rows, err := tx.Query(ctx, `SELECT b.candidate_id, COUNT(*) FROM sel_ballots b LEFT JOIN sel_voids v ON v.ballot_id = b.id
			WHERE b.campaign_id = ? AND b.stage = ? AND b.seq <= ? AND v.ballot_id IS NULL GROUP BY b.candidate_id`, c.ID, stage, seq)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, cnt int64
			if err := rows.Scan(&id, &cnt); err != nil {
				rows.Close()
				return err
			}
			p.Counts[id] = cnt
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if p.Voided, err = tx.Count(ctx, `SELECT COUNT(*) FROM sel_voids v JOIN sel_ballots b ON b.id = v.ballot_id WHERE b.campaign_id = ? AND b.stage = ? AND b.seq <= ?`,
			c.ID, stage, seq); err != nil {
			return err
		}
		done = true
		return insertPublished(ctx, tx, p)
	})
	return done, err
}

// VoteCounts are the published counts of a stage's vote: the latest
// publication (nil before the first).
func (s *Service) VoteCounts(ctx context.Context, campaignID int64, stage string) (*Published, error) {
	ps, err := PublishedDays(ctx, s.DB, campaignID, stage)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[len(ps)-1], nil
}

// VerifyStage runs the verifier over a stage's ballots, head, publications
// and voids, read in one snapshot.
func (s *Service) VerifyStage(ctx context.Context, campaignID int64, stage string) (*Report, error) {
	var r *Report
	err := s.DB.Snapshot(ctx, func(q store.Q) error {
		bs, err := Ballots(ctx, q, campaignID, stage)
		if err != nil {
			return err
		}
		seq, hash, err := head(ctx, q, campaignID, stage)
		if err != nil {
			return err
		}
		ps, err := PublishedDays(ctx, q, campaignID, stage)
		if err != nil {
			return err
		}
		vs, err := Voids(ctx, q, campaignID, stage)
		if err != nil {
			return err
		}
		r = Verify(bs, seq, hash, ps, vs)
		return nil
	})
	return r, err
}
