package selection

import (
	"context"
	"sort"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// Materials a district sends the city (R46, seed 004 二(四)): the profiles
// of about 150 characters by 30 April, the summary and approval forms
// (附件3, 附件4) by 31 May, the photo materials by 20 July.
var MaterialKinds = []string{"profile", "forms", "photos"}

// MaterialRow is one district's state of one material.
type MaterialRow struct {
	CountyCode  string `json:"county_code"`
	CountyName  string `json:"county_name"`
	Kind        string `json:"kind"`
	Due         string `json:"due"`
	SubmittedAt int64  `json:"submitted_at"`
	SubmittedOn string `json:"submitted_on"`
	Late        bool   `json:"late"` // sent after the due date, or still missing after it
	Note        string `json:"note"`
}

// Due is a material's due date under the settings.
func (s *Settings) Due(kind string) string {
	switch kind {
	case "profile":
		return s.ProfileDue
	case "forms":
		return s.FormsDue
	case "photos":
		return s.PhotosDue
	}
	return ""
}

// Materials lists, for every district with candidates in the campaign,
// each material with its due date and whether it came late or is overdue.
func (s *Service) Materials(ctx context.Context, c *Campaign) ([]MaterialRow, error) {
	counties := map[string]string{}
	for _, st := range c.Settings.Stages {
		ks, err := Candidates(ctx, s.DB, c.ID, st.Key)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			counties[k.CountyCode] = k.CountyName
		}
	}
	got := map[string]MaterialRow{}
	rows, err := s.DB.Query(ctx, `SELECT county_code, kind, submitted_at, note FROM sel_materials WHERE campaign_id = ?`, c.ID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m MaterialRow
		if err := rows.Scan(&m.CountyCode, &m.Kind, &m.SubmittedAt, &m.Note); err != nil {
			rows.Close()
			return nil, err
		}
		got[m.CountyCode+"/"+m.Kind] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	codes := make([]string, 0, len(counties))
	for code := range counties {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	today := s.Today()
	var out []MaterialRow
	for _, code := range codes {
		for _, kind := range MaterialKinds {
			m := got[code+"/"+kind]
			m.CountyCode, m.CountyName, m.Kind, m.Due = code, counties[code], kind, c.Settings.Due(kind)
			if m.SubmittedAt > 0 {
				m.SubmittedOn = dayOf(m.SubmittedAt)
				m.Late = m.SubmittedOn > m.Due
			} else {
				m.Late = today > m.Due
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// SubmitMaterial records that a district sent a material.
func (s *Service) SubmitMaterial(ctx context.Context, a *counsel.Actor, campaignID int64, county, kind, note string) error {
	c, err := s.Campaign(ctx, a, campaignID)
	if err != nil {
		return err
	}
	var f counsel.Fields
	if !contains(MaterialKinds, kind) {
		f.Add("kind", "err.choice")
	}
	if counsel.LevelOf(county) != counsel.LevelCounty || !counsel.Within(county, c.RegionCode) {
		f.Add("county", "sel.err_county")
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > 200 {
		f.Add("note", "sel.err_note")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if !authz.CanNominate(a, county) {
		return counsel.OutOfScope("county")
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := store.Changed(tx.Exec(ctx, `INSERT INTO sel_materials (campaign_id, county_code, kind, submitted_at, submitted_by, note) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, county_code, kind) DO NOTHING`, c.ID, county, kind, s.Now().UnixMilli(), a.Username, note))
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Invalid(counsel.FieldError{Field: "kind", Key: "sel.err_material_twice"})
		}
		return audit.Write(ctx, tx, a, "material", "sel_campaign", c.ID, county, nil, map[string]any{"kind": kind})
	})
}
