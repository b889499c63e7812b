package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

const advisorCols = `a.id, a.provider_id, a.kind, a.name, a.gender, a.licence_no, a.phone, a.wechat, a.photo, a.home_code, a.active, a.created_at, a.updated_at,
	p.name, p.county_code,
	(SELECT COUNT(*) FROM agreements g WHERE g.advisor_id = a.id AND g.status IN ` + liveStatuses + ` AND NOT g.packaged)`

const advisorFrom = ` FROM advisors a JOIN providers p ON p.id = a.provider_id`

func scanAdvisor(sc interface{ Scan(...any) error }) (*counsel.Advisor, error) {
	var a counsel.Advisor
	err := sc.Scan(&a.ID, &a.ProviderID, &a.Kind, &a.Name, &a.Gender, &a.LicenceNo, &a.Phone, &a.WeChat, &a.Photo, &a.HomeCode, &a.Active, &a.CreatedAt, &a.UpdatedAt,
		&a.ProviderName, &a.CountyCode, &a.Villages)
	return &a, mapErr(err)
}

// CreateAdvisor inserts an advisor and sets its ID.
func (tx *Tx) CreateAdvisor(ctx context.Context, a *counsel.Advisor) error {
	a.CreatedAt, a.UpdatedAt = now(), now()
	id, err := tx.insert(ctx, `INSERT INTO advisors (provider_id, kind, name, gender, licence_no, phone, wechat, photo, home_code, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ProviderID, a.Kind, a.Name, a.Gender, a.LicenceNo, a.Phone, a.WeChat, a.Photo, a.HomeCode, a.Active, a.CreatedAt, a.UpdatedAt)
	a.ID = id
	return err
}

// UpdateAdvisor saves an advisor's fields.
func (tx *Tx) UpdateAdvisor(ctx context.Context, a *counsel.Advisor) error {
	a.UpdatedAt = now()
	res, err := tx.exec(ctx, `UPDATE advisors SET provider_id = ?, kind = ?, name = ?, gender = ?, licence_no = ?, phone = ?, wechat = ?, photo = ?, home_code = ?, active = ?, updated_at = ? WHERE id = ?`,
		a.ProviderID, a.Kind, a.Name, a.Gender, a.LicenceNo, a.Phone, a.WeChat, a.Photo, a.HomeCode, a.Active, a.UpdatedAt, a.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// Advisor returns one advisor with its provider's name and county.
func (c *conn) Advisor(ctx context.Context, id int64) (*counsel.Advisor, error) {
	return scanAdvisor(c.row(ctx, `SELECT `+advisorCols+advisorFrom+` WHERE a.id = ?`, id))
}

// AdvisorByIdentity finds an advisor of a provider by name and phone.
func (c *conn) AdvisorByIdentity(ctx context.Context, providerID int64, name, phone string) (*counsel.Advisor, error) {
	return scanAdvisor(c.row(ctx, `SELECT `+advisorCols+advisorFrom+` WHERE a.provider_id = ? AND a.name = ? AND a.phone = ?`, providerID, name, phone))
}

func advisorWhere(f counsel.Filter) where {
	var w where
	w.inRange("p.county_code", f.Scope)
	if f.ProviderID > 0 {
		w.add("a.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.add("a.id = ?", f.AdvisorID)
	}
	if f.Kind != "" {
		w.add("a.kind = ?", f.Kind)
	}
	if f.Q != "" {
		w.add(`(a.name LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\' OR a.licence_no LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q), like(f.Q))
	}
	if f.Region != "" {
		cond, args := servedByRegion("a.id", f.Region)
		w.add(cond, args...)
	}
	return w
}

// servedByRegion restricts advisors to those with a live agreement in a region subtree.
func servedByRegion(col, region string) (string, []any) {
	lo, hi := counsel.CodeRange(region)
	return "EXISTS (SELECT 1 FROM agreements ra WHERE ra.advisor_id = " + col + " AND ra.status IN " + liveStatuses + " AND ra.region_code BETWEEN ? AND ?)", []any{lo, hi}
}

// Advisors lists advisors matching f and the total count.
func (c *conn) Advisors(ctx context.Context, f counsel.Filter) ([]counsel.Advisor, int, error) {
	w := advisorWhere(f)
	total, err := c.count(ctx, `SELECT COUNT(*)`+advisorFrom+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT `+advisorCols+advisorFrom+w.String()+` ORDER BY p.name, a.name, a.id LIMIT ? OFFSET ?`, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Advisor
	for rows.Next() {
		a, err := scanAdvisor(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *a)
	}
	return out, total, mapErr(rows.Err())
}

// AdvisorLoad counts the villages an advisor serves under live village
// agreements, excluding agreement except (0 for none). Town-wide packaged
// agreements bind the provider's team, not one advisor, and do not count.
func (c *conn) AdvisorLoad(ctx context.Context, advisorID, except int64) (int, error) {
	return c.count(ctx, `SELECT COUNT(*) FROM agreements WHERE advisor_id = ? AND id <> ? AND status IN `+liveStatuses+` AND NOT packaged`,
		advisorID, except)
}
