package store

import (
	"context"
	"database/sql"

	"github.com/villagecounsel/counsel"
)

const regionCols = `code, name, level, parent_code, kind, underdeveloped, remote`

func scanRegion(sc interface{ Scan(...any) error }) (*counsel.Region, error) {
	var r counsel.Region
	err := sc.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Kind, &r.Underdeveloped, &r.Remote)
	return &r, mapErr(err)
}

// UpsertRegions inserts regions or renames existing ones, keeping their flags.
func (tx *Tx) UpsertRegions(ctx context.Context, rs []counsel.Region) error {
	stmt, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO regions (code, name, level, parent_code, kind, underdeveloped, remote, name_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key`))
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, r := range rs {
		if _, err := stmt.ExecContext(ctx, r.Code, r.Name, r.Level, r.ParentCode, r.Kind, r.Underdeveloped, r.Remote, counsel.NameKey(r.Name)); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// Region returns one region.
func (c *conn) Region(ctx context.Context, code string) (*counsel.Region, error) {
	return scanRegion(c.row(ctx, `SELECT `+regionCols+` FROM regions WHERE code = ?`, code))
}

// Children lists the direct children of a region ("" lists provinces).
func (c *conn) Children(ctx context.Context, parent string) ([]counsel.Region, error) {
	return c.regions(ctx, `SELECT `+regionCols+` FROM regions WHERE parent_code = ? ORDER BY code`, parent)
}

// SearchRegions finds regions by name within a scope, at most limit of them,
// villages and towns first by level then code.
func (c *conn) SearchRegions(ctx context.Context, scope, q string, limit int) ([]counsel.Region, error) {
	var w where
	w.inRange("code", scope)
	w.add(`(name LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\')`, like(q), like(counsel.NameKey(q)))
	return c.regions(ctx, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY level DESC, code LIMIT ?`, append(w.args, limit)...)
}

// RegionsByKey finds regions of a level under a scope whose normalised name is key.
func (c *conn) RegionsByKey(ctx context.Context, scope string, level counsel.Level, key string) ([]counsel.Region, error) {
	var w where
	w.inRange("code", scope)
	w.add("level = ?", level)
	w.add("name_key = ?", key)
	return c.regions(ctx, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY code`, w.args...)
}

// Villages lists the villages in a scope.
func (c *conn) Villages(ctx context.Context, scope string) ([]counsel.Region, error) {
	var w where
	w.inRange("code", scope)
	w.add("level = ?", counsel.LevelVillage)
	return c.regions(ctx, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY code`, w.args...)
}

func (c *conn) regions(ctx context.Context, q string, args ...any) ([]counsel.Region, error) {
	rows, err := c.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Region
	for rows.Next() {
		r, err := scanRegion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, mapErr(rows.Err())
}

// SetRegionFlags updates a village's underdeveloped and remote flags.
func (tx *Tx) SetRegionFlags(ctx context.Context, code, underdeveloped string, remote bool) error {
	res, err := tx.exec(ctx, `UPDATE regions SET underdeveloped = ?, remote = ? WHERE code = ?`, underdeveloped, remote, code)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// CountRegions counts regions of a level in a scope.
func (c *conn) CountRegions(ctx context.Context, scope string, level counsel.Level) (int, error) {
	var w where
	w.inRange("code", scope)
	w.add("level = ?", level)
	return c.count(ctx, `SELECT COUNT(*) FROM regions`+w.String(), w.args...)
}

func mustAffect(res sql.Result) error {
	n, err := res.RowsAffected()
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return nil
}
