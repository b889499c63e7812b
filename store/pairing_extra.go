package store

import (
	"context"
	"strings"

	"github.com/villagecounsel/counsel"
)

// PairingDetail is a pairing with what the 附件1 table, the archive card and
// the pairing list show besides the pairing itself: the town, the advisor's
// provider and phone, the person's position and phone, and both photos.
type PairingDetail struct {
	counsel.Pairing
	TownCode     string `json:"town_code"`
	TownName     string `json:"town_name"`
	ProviderName string `json:"provider_name"`
	AdvisorPhone string `json:"advisor_phone"`
	AdvisorPhoto string `json:"-"`
	Position     string `json:"position"`
	PersonPhone  string `json:"person_phone"`
	PersonPhoto  string `json:"-"`
}

const pairingDetailCols = pairingCols + `, t.code, t.name, p.name, a.phone, a.photo, x.position, x.phone, x.photo`

const pairingDetailFrom = pairingFrom + ` JOIN regions t ON t.code = r.parent_code JOIN providers p ON p.id = a.provider_id`

func scanPairingDetail(sc interface{ Scan(...any) error }) (*PairingDetail, error) {
	var d PairingDetail
	q := &d.Pairing
	err := sc.Scan(&q.ID, &q.AdvisorID, &q.PersonID, &q.VillageCode, &q.PairedOn, &q.EndedOn, &q.Evaluation, &q.Remarks, &q.CreatedAt,
		&q.AdvisorName, &q.PersonName, &q.VillageName, &q.Committee, &q.PersonStatus,
		&d.TownCode, &d.TownName, &d.ProviderName, &d.AdvisorPhone, &d.AdvisorPhoto, &d.Position, &d.PersonPhone, &d.PersonPhoto)
	return &d, mapErr(err)
}

// PairingDetails lists pairings matching f (as Pairings does: Scope, Region,
// ProviderID, AdvisorID, Status "current", Q) with their details, ordered by
// village and advisor as the 附件1 table groups them (then by pairing date,
// an order that is the same on both engines, unlike names), and the total.
// A zero page limit returns every row.
func (c *conn) PairingDetails(ctx context.Context, f Filter) ([]PairingDetail, int, error) {
	var w where
	w.inRange("q.village_code", f.Scope)
	w.inRange("q.village_code", f.Region)
	if f.ProviderID > 0 {
		w.add("a.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.add("q.advisor_id = ?", f.AdvisorID)
	}
	switch f.Status {
	case "current":
		w.add("q.ended_on = ''")
	case "ended":
		w.add("q.ended_on <> ''")
	}
	if f.Q != "" {
		w.add(`(a.name LIKE ? ESCAPE '\' OR x.name LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\' OR t.name LIKE ? ESCAPE '\')`,
			like(f.Q), like(f.Q), like(f.Q), like(f.Q))
	}
	total, err := c.count(ctx, `SELECT COUNT(*)`+pairingDetailFrom+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page
	if p.Limit <= 0 {
		p.Limit = 1 << 30
	}
	rows, err := c.query(ctx, `SELECT `+pairingDetailCols+pairingDetailFrom+w.String()+
		` ORDER BY q.village_code, q.advisor_id, q.paired_on, q.id LIMIT ? OFFSET ?`, append(w.args, p.Limit, max(0, p.Offset))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []PairingDetail
	for rows.Next() {
		d, err := scanPairingDetail(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *d)
	}
	return out, total, mapErr(rows.Err())
}

// PairingDetail returns one pairing with its details.
func (c *conn) PairingDetail(ctx context.Context, id int64) (*PairingDetail, error) {
	return scanPairingDetail(c.row(ctx, `SELECT `+pairingDetailCols+pairingDetailFrom+` WHERE q.id = ?`, id))
}

// ActivitiesOf returns the activity records of several pairings, each list
// oldest first.
func (c *conn) ActivitiesOf(ctx context.Context, pairingIDs []int64) (map[int64][]counsel.Activity, error) {
	out := map[int64][]counsel.Activity{}
	const chunk = 500
	for len(pairingIDs) > 0 {
		n := min(chunk, len(pairingIDs))
		ids := pairingIDs[:n]
		pairingIDs = pairingIDs[n:]
		args := make([]any, len(ids))
		for i, id := range ids {
			args[i] = id
		}
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		rows, err := c.query(ctx, `SELECT id, pairing_id, kind, day, note, created_at FROM activities WHERE pairing_id IN (`+marks+`) ORDER BY pairing_id, day, id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a counsel.Activity
			if err := rows.Scan(&a.ID, &a.PairingID, &a.Kind, &a.Date, &a.Note, &a.CreatedAt); err != nil {
				rows.Close()
				return nil, mapErr(err)
			}
			out[a.PairingID] = append(out[a.PairingID], a)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, mapErr(err)
		}
	}
	return out, nil
}

// VillageAdvisor is the advisor serving a village under a live agreement.
type VillageAdvisor struct {
	AdvisorID   int64
	AdvisorName string
	AgreementID int64
	Status      string
	Packaged    bool
	rank        int
}

// LiveAdvisors returns, per village in scope, the advisor of the live
// agreement that covers it, directly or through a packaged agreement of its
// town, chosen as LiveAgreementFor chooses: a filed one first, then signed,
// then a draft; the village's own before a packaged one; the latest start.
func (c *conn) LiveAdvisors(ctx context.Context, scope string) (map[string]VillageAdvisor, error) {
	var w where
	w.add("g.status IN " + liveStatuses)
	if scope != "" {
		lo, hi := counsel.CodeRange(scope)
		cond := "(g.region_code BETWEEN ? AND ?"
		args := []any{lo, hi}
		if counsel.LevelOf(scope) == counsel.LevelVillage {
			cond += " OR (g.packaged AND g.region_code = ?)"
			args = append(args, counsel.ParentOf(scope))
		}
		w.add(cond+")", args...)
	}
	rows, err := c.query(ctx, `SELECT g.region_code, g.packaged, g.status, g.id, g.advisor_id, a.name,
		CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END
		FROM agreements g JOIN advisors a ON a.id = g.advisor_id`+
		w.String()+` ORDER BY g.region_code, CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END, g.start_date DESC, g.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	own := map[string]VillageAdvisor{}
	towns := map[string]VillageAdvisor{}
	for rows.Next() {
		var code string
		var v VillageAdvisor
		if err := rows.Scan(&code, &v.Packaged, &v.Status, &v.AgreementID, &v.AdvisorID, &v.AdvisorName, &v.rank); err != nil {
			return nil, mapErr(err)
		}
		m := own
		if v.Packaged {
			m = towns
		}
		if _, seen := m[code]; !seen {
			m[code] = v
		}
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if len(towns) > 0 {
		vs, err := c.Villages(ctx, scope)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			t, ok := towns[v.ParentCode]
			if !ok {
				continue
			}
			if o, ok := own[v.Code]; !ok || t.rank < o.rank {
				own[v.Code] = t
			}
		}
	}
	return own, nil
}
