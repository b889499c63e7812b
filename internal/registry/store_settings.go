package registry

import (
	"context"
	"encoding/json"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// Settings returns the settings in force for a region: the nearest ancestor's
// (or its own) stored settings, else the defaults.
func Settings(ctx context.Context, db store.Q, code string) (counsel.Settings, error) {
	s := counsel.DefaultSettings()
	for lv := counsel.LevelOf(code); lv >= counsel.LevelProvince; lv-- {
		var body string
		err := db.Row(ctx, `SELECT body FROM settings WHERE region_code = ?`, counsel.AncestorAt(code, lv)).Scan(&body)
		if err == nil {
			return s, json.Unmarshal([]byte(body), &s)
		}
		if counsel.ErrorCode(store.MapErr(err)) != counsel.CodeNotFound {
			return s, store.MapErr(err)
		}
	}
	return s, nil
}

// SaveSettings stores a region's settings.
func SaveSettings(ctx context.Context, tx *store.Tx, code string, s counsel.Settings) error {
	body, err := json.Marshal(s)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO settings (region_code, body, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, code, string(body), store.Now())
	return err
}
