package money

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Subsidy standards as data (seed 003 三(二)). Each jurisdiction from the
// province down to the county may set its own standard. The floor of a
// jurisdiction is the highest base standard of its ancestors, and never below
// 5,000 yuan; its own base may not go below that floor. When an ancestor
// raises the floor above a standard already saved below, the floor is what
// is paid (Effective.Raised tells the page).

// resolve computes the standard in force at code from the own standards of
// code and its ancestors (by region code).
func resolve(code string, own map[string]*Standard) Effective {
	e := Effective{RegionCode: code, Floor: SeedFloor, Base: SeedFloor}
	var city, county Fen
	for _, c := range append(counsel.Ancestors(code), code) {
		st := own[c]
		if st == nil {
			continue
		}
		if c != code && st.BaseFen > e.Floor {
			e.Floor, e.FloorFrom = st.BaseFen, c
		}
		e.Base = st.BaseFen
		if st.CityFen > 0 {
			city = st.CityFen
		}
		if st.CountyFen > 0 {
			county = st.CountyFen
		}
	}
	if o := own[code]; o != nil {
		e.Own = o
		e.TownSharePct = o.TownSharePct
		e.Raised = o.BaseFen < e.Floor
	}
	e.Base = max(e.Base, e.Floor)
	e.City, e.County = max(city, e.Base), max(county, e.Base)
	return e
}

// Effective returns the standard in force in a jurisdiction.
func (s *Service) Effective(ctx context.Context, code string) (Effective, error) {
	own, err := standardsOf(ctx, s.DB, append(counsel.Ancestors(code), code))
	if err != nil {
		return Effective{}, err
	}
	return resolve(code, own), nil
}

// StandardInput is a jurisdiction's standard as entered.
type StandardInput struct {
	RegionCode   string `json:"region_code"`
	BaseFen      Fen    `json:"base_fen"`
	CityFen      Fen    `json:"city_fen"`
	CountyFen    Fen    `json:"county_fen"`
	TownSharePct int    `json:"town_share_pct"`
	Note         string `json:"note"`
}

// SaveStandard sets a jurisdiction's standard: the administrator anywhere,
// a bureau its own province, city or county. The base and the amounts by
// kind may not go below the floor the ancestors set; the towns' share is a
// county's setting.
func (s *Service) SaveStandard(ctx context.Context, a *counsel.Actor, in StandardInput) (*Standard, error) {
	code := strings.TrimSpace(in.RegionCode)
	if code == "" && a.Role == counsel.RoleBureau {
		code = a.RegionCode
	}
	if !authz.CanSetSubsidyStandard(a, code) {
		return nil, counsel.ErrForbidden
	}
	lv := counsel.LevelOf(code)
	if lv < counsel.LevelProvince || lv > counsel.LevelCounty {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "err.money_level"})
	}
	if _, err := registry.Region(ctx, s.DB, code); err != nil {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "err.reference"})
	}
	own, err := standardsOf(ctx, s.DB, append(counsel.Ancestors(code), code))
	if err != nil {
		return nil, err
	}
	parent := resolve(code, own)
	var f counsel.Fields
	floorName := func() string {
		if parent.FloorFrom == "" {
			return ""
		}
		return s.regionName(ctx, parent.FloorFrom)
	}
	check := func(field string, v Fen, zeroOK bool) {
		switch {
		case v < 0 || v > MaxAmount:
			f = append(f, amountErr(field))
		case v == 0 && zeroOK:
		case v < parent.Floor && parent.FloorFrom == "":
			f.Add(field, "err.money_below_seed", yuanArg(parent.Floor))
		case v < parent.Floor:
			f.Add(field, "err.money_below_floor", floorName(), yuanArg(parent.Floor))
		}
	}
	check("base_fen", in.BaseFen, false)
	check("city_fen", in.CityFen, true)
	check("county_fen", in.CountyFen, true)
	switch {
	case in.TownSharePct < 0 || in.TownSharePct > 100:
		f.Add("town_share_pct", "err.range", 0, 100)
	case in.TownSharePct != 0 && lv != counsel.LevelCounty:
		f.Add("town_share_pct", "err.money_share_county")
	}
	note := strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(note) > 200 {
		f.Add("note", "err.too_long", 200)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	st := &Standard{RegionCode: code, BaseFen: in.BaseFen, CityFen: in.CityFen, CountyFen: in.CountyFen, TownSharePct: in.TownSharePct,
		Note: note, UpdatedBy: a.UserID, UpdatedAt: s.Now().UnixMilli()}
	before := own[code]
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := upsertStandard(ctx, tx, st); err != nil {
			return err
		}
		action := "update"
		if before == nil {
			action = "create"
		}
		return audit.Write(ctx, tx, a, action, "subsidy_standard", 0, code, before, st)
	})
	if err != nil {
		return nil, err
	}
	return st, nil
}

// ---- SQL -------------------------------------------------------------------

const standardCols = `region_code, base_fen, city_fen, county_fen, town_share_pct, note, updated_by, updated_at`

// standardsOf returns the own standards of the given regions by code.
func standardsOf(ctx context.Context, q store.Q, codes []string) (map[string]*Standard, error) {
	out := map[string]*Standard{}
	for _, c := range codes {
		var st Standard
		err := q.Row(ctx, `SELECT `+standardCols+` FROM money_standards WHERE region_code = ?`, c).Scan(
			&st.RegionCode, &st.BaseFen, &st.CityFen, &st.CountyFen, &st.TownSharePct, &st.Note, &st.UpdatedBy, &st.UpdatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, store.MapErr(err)
		}
		out[c] = &st
	}
	return out, nil
}

func upsertStandard(ctx context.Context, tx *store.Tx, st *Standard) error {
	_, err := tx.Exec(ctx, `INSERT INTO money_standards (`+standardCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (region_code) DO UPDATE SET base_fen = excluded.base_fen, city_fen = excluded.city_fen, county_fen = excluded.county_fen,
		town_share_pct = excluded.town_share_pct, note = excluded.note, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		st.RegionCode, st.BaseFen, st.CityFen, st.CountyFen, st.TownSharePct, st.Note, st.UpdatedBy, st.UpdatedAt)
	return err
}
