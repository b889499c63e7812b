package store

import (
	"context"

	"github.com/villagecounsel/counsel"
)

const providerCols = `id, kind, name, credit_code, county_code, phone, address, created_at, updated_at`

func scanProvider(sc interface{ Scan(...any) error }) (*counsel.Provider, error) {
	var p counsel.Provider
	err := sc.Scan(&p.ID, &p.Kind, &p.Name, &p.CreditCode, &p.CountyCode, &p.Phone, &p.Address, &p.CreatedAt, &p.UpdatedAt)
	return &p, mapErr(err)
}

// CreateProvider inserts a provider and sets its ID.
func (tx *Tx) CreateProvider(ctx context.Context, p *counsel.Provider) error {
	p.CreatedAt, p.UpdatedAt = now(), now()
	id, err := tx.insert(ctx, `INSERT INTO providers (kind, name, credit_code, county_code, phone, address, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Kind, p.Name, p.CreditCode, p.CountyCode, p.Phone, p.Address, p.CreatedAt, p.UpdatedAt)
	p.ID = id
	return err
}

// UpdateProvider saves a provider's fields.
func (tx *Tx) UpdateProvider(ctx context.Context, p *counsel.Provider) error {
	p.UpdatedAt = now()
	res, err := tx.exec(ctx, `UPDATE providers SET kind = ?, name = ?, credit_code = ?, county_code = ?, phone = ?, address = ?, updated_at = ? WHERE id = ?`,
		p.Kind, p.Name, p.CreditCode, p.CountyCode, p.Phone, p.Address, p.UpdatedAt, p.ID)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// Provider returns one provider.
func (c *conn) Provider(ctx context.Context, id int64) (*counsel.Provider, error) {
	return scanProvider(c.row(ctx, `SELECT `+providerCols+` FROM providers WHERE id = ?`, id))
}

// ProviderByName finds a provider of a county by exact name.
func (c *conn) ProviderByName(ctx context.Context, county, name string) (*counsel.Provider, error) {
	return scanProvider(c.row(ctx, `SELECT `+providerCols+` FROM providers WHERE county_code = ? AND name = ?`, county, name))
}

func providerWhere(f counsel.Filter) where {
	var w where
	w.inRange("county_code", f.Scope)
	if f.ProviderID > 0 {
		w.add("id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.add("id IN (SELECT provider_id FROM advisors WHERE id = ?)", f.AdvisorID)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.Q != "" {
		w.add(`(name LIKE ? ESCAPE '\' OR credit_code LIKE ? ESCAPE '\')`, like(f.Q), like(f.Q))
	}
	return w
}

// Providers lists providers matching f, and the total count.
func (c *conn) Providers(ctx context.Context, f counsel.Filter) ([]counsel.Provider, int, error) {
	w := providerWhere(f)
	total, err := c.count(ctx, `SELECT COUNT(*) FROM providers`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := c.query(ctx, `SELECT `+providerCols+` FROM providers`+w.String()+` ORDER BY county_code, name LIMIT ? OFFSET ?`, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Provider
	for rows.Next() {
		pr, err := scanProvider(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *pr)
	}
	return out, total, mapErr(rows.Err())
}
