package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const regionCols = `code, name, level, parent_code, kind, underdeveloped, remote`

func scanRegion(sc interface{ Scan(...any) error }) (*counsel.Region, error) {
	var r counsel.Region
	err := sc.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Kind, &r.Underdeveloped, &r.Remote)
	return &r, store.MapErr(err)
}

// UpsertRegions inserts regions or renames existing ones, keeping their flags.
func UpsertRegions(ctx context.Context, tx *store.Tx, rs []counsel.Region) error {
	for _, r := range rs {
		if _, err := tx.Exec(ctx, `INSERT INTO regions (code, name, level, parent_code, kind, underdeveloped, remote, name_key)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_key = excluded.name_key`,
			r.Code, r.Name, r.Level, r.ParentCode, r.Kind, r.Underdeveloped, r.Remote, counsel.NameKey(r.Name)); err != nil {
			return err
		}
	}
	return nil
}

// Region returns one region.
func Region(ctx context.Context, db store.Q, code string) (*counsel.Region, error) {
	return scanRegion(db.Row(ctx, `SELECT `+regionCols+` FROM regions WHERE code = ?`, code))
}

// Children lists the direct children of a region ("" lists provinces).
func Children(ctx context.Context, db store.Q, parent string) ([]counsel.Region, error) {
	return queryRegions(ctx, db, `SELECT `+regionCols+` FROM regions WHERE parent_code = ? ORDER BY code`, parent)
}

// SearchRegions finds regions by name within a scope, at most limit of them,
// villages and towns first by level then code.
func SearchRegions(ctx context.Context, db store.Q, scope, q string, limit int) ([]counsel.Region, error) {
	var w store.Where
	w.InRange("code", scope)
	w.Add(`(name LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\')`, store.Like(q), store.Like(counsel.NameKey(q)))
	return queryRegions(ctx, db, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY level DESC, code LIMIT ?`, append(w.Args(), limit)...)
}

// RegionsByKey finds regions of a level under a scope whose normalised name is key.
func RegionsByKey(ctx context.Context, db store.Q, scope string, level counsel.Level, key string) ([]counsel.Region, error) {
	var w store.Where
	w.InRange("code", scope)
	w.Add("level = ?", level)
	w.Add("name_key = ?", key)
	return queryRegions(ctx, db, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY code`, w.Args()...)
}

// Villages lists the villages in a scope.
func Villages(ctx context.Context, db store.Q, scope string) ([]counsel.Region, error) {
	var w store.Where
	w.InRange("code", scope)
	w.Add("level = ?", counsel.LevelVillage)
	return queryRegions(ctx, db, `SELECT `+regionCols+` FROM regions`+w.String()+` ORDER BY code`, w.Args()...)
}

func queryRegions(ctx context.Context, db store.Q, q string, args ...any) ([]counsel.Region, error) {
	rows, err := db.Query(ctx, q, args...)
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
	return out, store.MapErr(rows.Err())
}

// SetRegionFlags updates a village's underdeveloped and remote flags.
func SetRegionFlags(ctx context.Context, tx *store.Tx, code, underdeveloped string, remote bool) error {
	res, err := tx.Exec(ctx, `UPDATE regions SET underdeveloped = ?, remote = ? WHERE code = ?`, underdeveloped, remote, code)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// CountRegions counts regions of a level in a scope.
func CountRegions(ctx context.Context, db store.Q, scope string, level counsel.Level) (int, error) {
	var w store.Where
	w.InRange("code", scope)
	w.Add("level = ?", level)
	return db.Count(ctx, `SELECT COUNT(*) FROM regions`+w.String(), w.Args()...)
}
