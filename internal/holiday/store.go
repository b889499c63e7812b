package holiday

import (
	"context"

	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/store"
)

// storedDays returns every day administrators entered, in date order.
func storedDays(ctx context.Context, db store.Q) ([]calendar.Day, error) {
	rows, err := db.Query(ctx, `SELECT date, kind, name FROM holidays ORDER BY date`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []calendar.Day
	for rows.Next() {
		var d calendar.Day
		if err := rows.Scan(&d.Date, &d.Kind, &d.Name); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// storedYears counts the entered days of each year.
func storedYears(ctx context.Context, db store.Q) (map[int]int, error) {
	rows, err := db.Query(ctx, `SELECT year, COUNT(*) FROM holidays GROUP BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]int{}
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			return nil, err
		}
		out[y] = n
	}
	return out, rows.Err()
}

// replaceYear replaces the entered days of year with days.
func replaceYear(ctx context.Context, tx *store.Tx, year int, days []calendar.Day, by, at int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM holidays WHERE year = ?`, year); err != nil {
		return err
	}
	for _, d := range days {
		if _, err := tx.Exec(ctx, `INSERT INTO holidays (date, year, kind, name, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (date) DO UPDATE SET year = excluded.year, kind = excluded.kind, name = excluded.name, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			d.Date, year, d.Kind, d.Name, by, at); err != nil {
			return err
		}
	}
	return nil
}
