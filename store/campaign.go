package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

// CampaignDay is a publicity day a jurisdiction entered (a committee
// election, a local campaign); the national days live in code (R37).
type CampaignDay struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Day        string `json:"day"`
	Kind       string `json:"kind"` // election, local
	Name       string `json:"name"`
	Note       string `json:"note"`
	CreatedBy  int64  `json:"created_by"`
	CreatedAt  int64  `json:"created_at"`
}

// CreateCampaignDay stores a day and sets its ID.
func (tx *Tx) CreateCampaignDay(ctx context.Context, d *CampaignDay) error {
	id, err := tx.insert(ctx, `INSERT INTO campaign_days (region_code, day, kind, name, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.RegionCode, d.Day, d.Kind, d.Name, d.Note, d.CreatedBy, d.CreatedAt)
	d.ID = id
	return err
}

// DeleteCampaignDay removes a day.
func (tx *Tx) DeleteCampaignDay(ctx context.Context, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM campaign_days WHERE id = ?`, id)
	return affected(res, err)
}

const campaignCols = `id, region_code, day, kind, name, note, created_by, created_at`

// CampaignDay returns one day.
func (c *conn) CampaignDay(ctx context.Context, id int64) (*CampaignDay, error) {
	var d CampaignDay
	err := c.row(ctx, `SELECT `+campaignCols+` FROM campaign_days WHERE id = ?`, id).
		Scan(&d.ID, &d.RegionCode, &d.Day, &d.Kind, &d.Name, &d.Note, &d.CreatedBy, &d.CreatedAt)
	return &d, mapErr(err)
}

// CampaignDays lists the entered days from from to to (inclusive,
// YYYY-MM-DD) of the regions in scope's subtree or named in also (the
// ancestors of scope), by day.
func (c *conn) CampaignDays(ctx context.Context, scope string, also []string, from, to string) ([]CampaignDay, error) {
	var w where
	w.add("day BETWEEN ? AND ?", from, to)
	if scope != "" {
		lo, hi := counsel.CodeRange(scope)
		cond := "(region_code BETWEEN ? AND ?"
		args := []any{lo, hi}
		if len(also) > 0 {
			cond += " OR region_code IN (" + placeholders(len(also)) + ")"
			for _, a := range also {
				args = append(args, a)
			}
		}
		w.add(cond+")", args...)
	}
	rows, err := c.query(ctx, `SELECT `+campaignCols+` FROM campaign_days`+w.String()+` ORDER BY day, region_code, id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CampaignDay
	for rows.Next() {
		var d CampaignDay
		if err := rows.Scan(&d.ID, &d.RegionCode, &d.Day, &d.Kind, &d.Name, &d.Note, &d.CreatedBy, &d.CreatedAt); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}
