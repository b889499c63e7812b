package selection

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/villagecounsel/counsel/store"
)

// ---- campaigns ----------------------------------------------------------------

const campaignCols = `c.id, c.region_code, c.year, c.title, c.settings, c.created_by, c.created_at, c.updated_at, COALESCE(r.name, '')`

func scanCampaign(sc interface{ Scan(...any) error }) (*Campaign, error) {
	var c Campaign
	var settings string
	if err := sc.Scan(&c.ID, &c.RegionCode, &c.Year, &c.Title, &settings, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.RegionName); err != nil {
		return nil, store.MapErr(err)
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return nil, fmt.Errorf("campaign %d settings: %w", c.ID, err)
	}
	return &c, nil
}

// CampaignByID reads a campaign.
func CampaignByID(ctx context.Context, q store.Q, id int64) (*Campaign, error) {
	return scanCampaign(q.Row(ctx, `SELECT `+campaignCols+` FROM sel_campaigns c LEFT JOIN regions r ON r.code = c.region_code WHERE c.id = ?`, id))
}

func listCampaigns(ctx context.Context, q store.Q) ([]Campaign, error) {
	rows, err := q.Query(ctx, `SELECT `+campaignCols+` FROM sel_campaigns c LEFT JOIN regions r ON r.code = c.region_code ORDER BY c.year DESC, c.id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Campaign
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func insertCampaign(ctx context.Context, tx *store.Tx, c *Campaign) error {
	js, err := json.Marshal(c.Settings)
	if err != nil {
		return err
	}
	c.ID, err = tx.Insert(ctx, `INSERT INTO sel_campaigns (region_code, year, title, settings, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		c.RegionCode, c.Year, c.Title, string(js), c.CreatedBy, c.CreatedAt, c.UpdatedAt)
	if err != nil {
		return err
	}
	for _, st := range c.Settings.Stages {
		if _, err := tx.Exec(ctx, `INSERT INTO sel_heads (campaign_id, stage, seq, hash) VALUES (?, ?, 0, ?)`, c.ID, st.Key, GenesisHash); err != nil {
			return err
		}
	}
	return nil
}

func updateSettings(ctx context.Context, tx *store.Tx, id int64, s Settings, at int64) error {
	js, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE sel_campaigns SET settings = ?, updated_at = ? WHERE id = ?`, string(js), at, id)
	return err
}

// ---- candidates ---------------------------------------------------------------

const candidateCols = `k.id, k.campaign_id, k.stage, k.advisor_id, k.county_code, k.category, k.profile, k.status, k.created_at,
	a.name, COALESCE(p.name, ''), COALESCE(r.name, '')`

const candidateFrom = ` FROM sel_candidates k JOIN advisors a ON a.id = k.advisor_id LEFT JOIN providers p ON p.id = a.provider_id
	LEFT JOIN regions r ON r.code = k.county_code`

func scanCandidate(sc interface{ Scan(...any) error }) (*Candidate, error) {
	var k Candidate
	if err := sc.Scan(&k.ID, &k.CampaignID, &k.Stage, &k.AdvisorID, &k.CountyCode, &k.Category, &k.Profile, &k.Status, &k.CreatedAt,
		&k.AdvisorName, &k.ProviderName, &k.CountyName); err != nil {
		return nil, store.MapErr(err)
	}
	return &k, nil
}

// CandidateByID reads a candidate.
func CandidateByID(ctx context.Context, q store.Q, id int64) (*Candidate, error) {
	return scanCandidate(q.Row(ctx, `SELECT `+candidateCols+candidateFrom+` WHERE k.id = ?`, id))
}

// Candidates lists a stage's candidates (all statuses) by county then name.
func Candidates(ctx context.Context, q store.Q, campaign int64, stage string) ([]Candidate, error) {
	rows, err := q.Query(ctx, `SELECT `+candidateCols+candidateFrom+` WHERE k.campaign_id = ? AND k.stage = ? ORDER BY k.county_code, k.id`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Candidate
	for rows.Next() {
		k, err := scanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

func insertCandidate(ctx context.Context, tx *store.Tx, k *Candidate) (err error) {
	k.ID, err = tx.Insert(ctx, `INSERT INTO sel_candidates (campaign_id, stage, advisor_id, county_code, category, profile, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		k.CampaignID, k.Stage, k.AdvisorID, k.CountyCode, k.Category, k.Profile, k.Status, k.CreatedAt)
	return err
}

// ---- ballots ------------------------------------------------------------------

const ballotCols = `id, campaign_id, stage, seq, candidate_id, voter_id, category, day, slot, ip, device, cast_at, prev_hash, hash`

func scanBallot(sc interface{ Scan(...any) error }, b *Ballot) error {
	return sc.Scan(&b.ID, &b.CampaignID, &b.Stage, &b.Seq, &b.CandidateID, &b.VoterID, &b.Category, &b.Day, &b.Slot, &b.IP, &b.Device, &b.CastAt, &b.PrevHash, &b.Hash)
}

// Ballots reads a stage's ballots in chain order.
func Ballots(ctx context.Context, q store.Q, campaign int64, stage string) ([]Ballot, error) {
	return ballotsWhere(ctx, q, `campaign_id = ? AND stage = ?`, campaign, stage)
}

func ballotsOfDay(ctx context.Context, q store.Q, campaign int64, stage, day string) ([]Ballot, error) {
	return ballotsWhere(ctx, q, `campaign_id = ? AND stage = ? AND day = ?`, campaign, stage, day)
}

func ballotsWhere(ctx context.Context, q store.Q, where string, args ...any) ([]Ballot, error) {
	rows, err := q.Query(ctx, `SELECT `+ballotCols+` FROM sel_ballots WHERE `+where+` ORDER BY seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ballot
	for rows.Next() {
		var b Ballot
		if err := scanBallot(rows, &b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// head reads a stage's chain head.
func head(ctx context.Context, q store.Q, campaign int64, stage string) (seq int64, hash string, err error) {
	err = q.Row(ctx, `SELECT seq, hash FROM sel_heads WHERE campaign_id = ? AND stage = ?`, campaign, stage).Scan(&seq, &hash)
	return seq, hash, store.MapErr(err)
}

// lockHead takes the stage's chain head for the transaction (a row lock on
// PostgreSQL; SQLite's writer is single anyway) and reads it.
func lockHead(ctx context.Context, tx *store.Tx, campaign int64, stage string) (int64, string, error) {
	res, err := tx.Exec(ctx, `UPDATE sel_heads SET seq = seq WHERE campaign_id = ? AND stage = ?`, campaign, stage)
	if err != nil {
		return 0, "", err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, "", store.MapErr(sql.ErrNoRows)
	}
	return head(ctx, tx, campaign, stage)
}

func appendBallot(ctx context.Context, tx *store.Tx, b *Ballot) (err error) {
	b.ID, err = tx.Insert(ctx, `INSERT INTO sel_ballots (campaign_id, stage, seq, candidate_id, voter_id, category, day, slot, ip, device, cast_at, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		b.CampaignID, b.Stage, b.Seq, b.CandidateID, b.VoterID, b.Category, b.Day, b.Slot, b.IP, b.Device, b.CastAt, b.PrevHash, b.Hash)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE sel_heads SET seq = ?, hash = ? WHERE campaign_id = ? AND stage = ?`, b.Seq, b.Hash, b.CampaignID, b.Stage)
	return err
}

// ---- publications, voids, flags -------------------------------------------------

// PublishedDays reads a stage's daily publications in day order.
func PublishedDays(ctx context.Context, q store.Q, campaign int64, stage string) ([]Published, error) {
	rows, err := q.Query(ctx, `SELECT campaign_id, stage, day, seq, hash, counts, voided, published_at FROM sel_published
		WHERE campaign_id = ? AND stage = ? ORDER BY day`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Published
	for rows.Next() {
		var p Published
		var counts string
		if err := rows.Scan(&p.CampaignID, &p.Stage, &p.Day, &p.Seq, &p.Hash, &counts, &p.Voided, &p.PublishedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(counts), &p.Counts); err != nil {
			return nil, fmt.Errorf("published counts %s: %w", p.Day, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func insertPublished(ctx context.Context, tx *store.Tx, p *Published) error {
	js, err := json.Marshal(p.Counts)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO sel_published (campaign_id, stage, day, seq, hash, counts, voided, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		p.CampaignID, p.Stage, p.Day, p.Seq, p.Hash, string(js), p.Voided, p.PublishedAt)
	return err
}

// Voids reads a stage's voided ballots in chain order.
func Voids(ctx context.Context, q store.Q, campaign int64, stage string) ([]Void, error) {
	rows, err := q.Query(ctx, `SELECT v.ballot_id, b.seq, v.reason, v.voided_by, v.voided_at FROM sel_voids v JOIN sel_ballots b ON b.id = v.ballot_id
		WHERE b.campaign_id = ? AND b.stage = ? ORDER BY b.seq`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Void
	for rows.Next() {
		var v Void
		if err := rows.Scan(&v.BallotID, &v.Seq, &v.Reason, &v.VoidedBy, &v.VoidedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Flags reads a stage's anomaly flags, newest day first.
func Flags(ctx context.Context, q store.Q, campaign int64, stage string) ([]Flag, error) {
	rows, err := q.Query(ctx, `SELECT id, campaign_id, stage, day, kind, subject, ballots, detail, created_at FROM sel_flags
		WHERE campaign_id = ? AND stage = ? ORDER BY day DESC, kind, subject`, campaign, stage)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Flag
	for rows.Next() {
		var f Flag
		if err := rows.Scan(&f.ID, &f.CampaignID, &f.Stage, &f.Day, &f.Kind, &f.Subject, &f.Ballots, &f.Detail, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}
