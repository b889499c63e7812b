package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const providerCols = `id, kind, name, credit_code, county_code, phone, address, created_at, updated_at`

func scanProvider(sc interface{ Scan(...any) error }) (*counsel.Provider, error) {
	var p counsel.Provider
	err := sc.Scan(&p.ID, &p.Kind, &p.Name, &p.CreditCode, &p.CountyCode, &p.Phone, &p.Address, &p.CreatedAt, &p.UpdatedAt)
	return &p, store.MapErr(err)
}

// CreateProvider inserts a provider and sets its ID.
func CreateProvider(ctx context.Context, tx *store.Tx, p *counsel.Provider) error {
	p.CreatedAt, p.UpdatedAt = store.Now(), store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO providers (kind, name, credit_code, county_code, phone, address, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, p.Kind, p.Name, p.CreditCode, p.CountyCode, p.Phone, p.Address, p.CreatedAt, p.UpdatedAt)
	p.ID = id
	return err
}

// UpdateProvider saves a provider's fields.
func UpdateProvider(ctx context.Context, tx *store.Tx, p *counsel.Provider) error {
	p.UpdatedAt = store.Now()
	res, err := tx.Exec(ctx, `UPDATE providers SET kind = ?, name = ?, credit_code = ?, county_code = ?, phone = ?, address = ?, updated_at = ? WHERE id = ?`,
		p.Kind, p.Name, p.CreditCode, p.CountyCode, p.Phone, p.Address, p.UpdatedAt, p.ID)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// Provider returns one provider.
func Provider(ctx context.Context, db store.Q, id int64) (*counsel.Provider, error) {
	return scanProvider(db.Row(ctx, `SELECT `+providerCols+` FROM providers WHERE id = ?`, id))
}

// ProviderByName finds a provider of a county by exact name.
func ProviderByName(ctx context.Context, db store.Q, county, name string) (*counsel.Provider, error) {
	return scanProvider(db.Row(ctx, `SELECT `+providerCols+` FROM providers WHERE county_code = ? AND name = ?`, county, name))
}

func providerWhere(f counsel.Filter) store.Where {
	var w store.Where
	w.InRange("county_code", f.Scope)
	if f.ProviderID > 0 {
		w.Add("id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("id IN (SELECT provider_id FROM advisors WHERE id = ?)", f.AdvisorID)
	}
	if f.Kind != "" {
		w.Add("kind = ?", f.Kind)
	}
	if f.Q != "" {
		w.Add(`(name LIKE ? ESCAPE '\' OR credit_code LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q))
	}
	return w
}

// Providers lists providers matching f, and the total count.
func Providers(ctx context.Context, db store.Q, f counsel.Filter) ([]counsel.Provider, int, error) {
	w := providerWhere(f)
	total, err := db.Count(ctx, `SELECT COUNT(*) FROM providers`+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := db.Query(ctx, `SELECT `+providerCols+` FROM providers`+w.String()+` ORDER BY county_code, name LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
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
	return out, total, store.MapErr(rows.Err())
}
