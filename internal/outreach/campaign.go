package outreach

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// nationalDays are the fixed-date national days by MM-DD.
var nationalDays = []struct{ md, key string }{
	{"03-08", "womens_day"},   // 国际劳动妇女节
	{"06-26", "anti_drug"},    // 国际禁毒日
	{"12-04", "constitution"}, // 国家宪法日
}

// doubleNinth is the Gregorian date of the Double Ninth (重阳节, the 9th day
// of the 9th lunar month), computed with github.com/6tail/lunar-go v1.4.6
// (calendar.NewLunarFromYmd(y, 9, 9).GetSolar()). Years outside the table
// have no Double Ninth in the calendar; a county may enter it as a local day.
var doubleNinth = map[int]string{
	2015: "2015-10-21", 2016: "2016-10-09", 2017: "2017-10-28", 2018: "2018-10-17", 2019: "2019-10-07",
	2020: "2020-10-25", 2021: "2021-10-14", 2022: "2022-10-04", 2023: "2023-10-23", 2024: "2024-10-11",
	2025: "2025-10-29", 2026: "2026-10-18", 2027: "2027-10-08", 2028: "2028-10-26", 2029: "2029-10-16",
	2030: "2030-10-05", 2031: "2031-10-24", 2032: "2032-10-12", 2033: "2033-10-01", 2034: "2034-10-20",
	2035: "2035-10-09", 2036: "2036-10-27", 2037: "2037-10-17", 2038: "2038-10-07", 2039: "2039-10-26",
	2040: "2040-10-14", 2041: "2041-10-03", 2042: "2042-10-22", 2043: "2043-10-11", 2044: "2044-10-29",
	2045: "2045-10-18",
}

// DoubleNinth returns the date of the Double Ninth of a year ("" outside the
// table's 2015–2045).
func DoubleNinth(year int) string { return doubleNinth[year] }

// FixedCampaignDays returns the national campaign days from from to to
// (inclusive, YYYY-MM-DD), by date; DaysLeft counts from from.
func FixedCampaignDays(from, to string) []CampaignDay {
	f, err1 := time.Parse(counsel.DateLayout, from)
	t, err2 := time.Parse(counsel.DateLayout, to)
	if err1 != nil || err2 != nil || t.Before(f) {
		return nil
	}
	var out []CampaignDay
	add := func(date, key string) {
		if date >= from && date <= to {
			out = append(out, CampaignDay{Date: date, Key: key, Kind: CampaignNational, Name: i18n.T("zh", "cp.day."+key), Theme: i18n.T("zh", "cp.theme."+key)})
		}
	}
	for y := f.Year(); y <= t.Year(); y++ {
		ys := strconv.Itoa(y)
		for _, d := range nationalDays {
			add(ys+"-"+d.md, d.key)
		}
		if d := doubleNinth[y]; d != "" {
			add(d, "double_ninth")
		}
	}
	sortCampaigns(out)
	setDaysLeft(out, f)
	return out
}

func sortCampaigns(ds []CampaignDay) {
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Date < ds[j].Date })
}

func setDaysLeft(ds []CampaignDay, from time.Time) {
	for i := range ds {
		if d, err := time.Parse(counsel.DateLayout, ds[i].Date); err == nil {
			ds[i].DaysLeft = int(d.Sub(from).Hours() / 24)
		}
	}
}

// campaignScope returns the region whose subtree's entered days an actor
// sees ("" = all, for the administrator).
func (s *Service) campaignScope(ctx context.Context, a *counsel.Actor) (string, error) {
	switch a.Role {
	case counsel.RoleAdmin:
		return "", nil
	case counsel.RoleProvider, counsel.RoleAdvisor:
		home, err := s.svc.HomeRegion(ctx, a)
		return counsel.AncestorAt(home, counsel.LevelCounty), err
	}
	if a.RegionCode == "" {
		return "", counsel.ErrForbidden
	}
	return a.RegionCode, nil
}

// CampaignDays returns the campaign days from from to to (inclusive,
// YYYY-MM-DD, at most two years): the national ones and the ones entered for
// the actor's jurisdiction, its subtree and its ancestors, by date. A link to
// the publicity entries of each day is for the ledger to add.
func (s *Service) CampaignDays(ctx context.Context, a *counsel.Actor, from, to string) ([]CampaignDay, error) {
	var f counsel.Fields
	ft, err := time.Parse(counsel.DateLayout, from)
	if err != nil {
		f.Add("from", "err.date")
	}
	tt, err := time.Parse(counsel.DateLayout, to)
	if err != nil {
		f.Add("to", "err.date")
	}
	if len(f) == 0 && (tt.Before(ft) || tt.Sub(ft) > 2*366*24*time.Hour) {
		f.Add("to", "err.cp_range")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	scope, err := s.campaignScope(ctx, a)
	if err != nil {
		return nil, err
	}
	out := FixedCampaignDays(from, to)
	entered, err := enteredDays(ctx, s.DB, scope, counsel.Ancestors(scope), from, to)
	if err != nil {
		return nil, err
	}
	for _, d := range entered {
		c := CampaignDay{Date: d.Day, Kind: d.Kind, Name: d.Name, ID: d.ID, RegionCode: d.RegionCode, Note: d.Note}
		if d.Kind == CampaignElection {
			c.Theme = i18n.T("zh", "cp.theme.election")
		}
		out = append(out, c)
	}
	sortCampaigns(out)
	setDaysLeft(out, ft)
	return out, nil
}

// UpcomingCampaigns returns the campaign days of the next days days from
// today (China).
func (s *Service) UpcomingCampaigns(ctx context.Context, a *counsel.Actor, days int) ([]CampaignDay, error) {
	if days <= 0 {
		days = 30
	}
	today := s.Now().In(calendar.Shanghai)
	return s.CampaignDays(ctx, a, today.Format(counsel.DateLayout), today.AddDate(0, 0, days).Format(counsel.DateLayout))
}

// AddCampaignDay enters a day (a committee election or a local campaign)
// for a county, town or village: the administrator anywhere, a county
// bureau in its county.
func (s *Service) AddCampaignDay(ctx context.Context, a *counsel.Actor, in CampaignInput) (*EnteredDay, error) {
	if !authz.CanEnterCampaigns(a) {
		return nil, counsel.ErrForbidden
	}
	code := strings.TrimSpace(in.RegionCode)
	if code == "" && authz.CountyBureau(a) {
		code = a.RegionCode
	}
	if !counsel.ValidCode(code) || counsel.LevelOf(code) < counsel.LevelProvince {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "err.division_code"})
	}
	if !authz.IsAdmin(a) && !counsel.Within(code, a.RegionCode) {
		return nil, counsel.OutOfScope("region_code")
	}
	var f counsel.Fields
	d := &EnteredDay{RegionCode: code, Day: strings.TrimSpace(in.Day), Kind: strings.TrimSpace(in.Kind), Name: strings.TrimSpace(in.Name),
		Note: strings.TrimSpace(in.Note), CreatedBy: a.UserID, CreatedAt: s.Now().UnixMilli()}
	if !counsel.ValidDate(d.Day) {
		f.Add("day", "err.date")
	}
	if !contains(CampaignKinds, d.Kind) {
		f.Add("kind", "err.choice")
	}
	if d.Name == "" && d.Kind == CampaignElection {
		d.Name = i18n.T("zh", "cp.election_name")
	}
	switch n := utf8.RuneCountInString(d.Name); {
	case n == 0:
		f.Add("name", "err.required")
	case n > 60:
		f.Add("name", "err.too_long", 60)
	}
	if utf8.RuneCountInString(d.Note) > 300 {
		f.Add("note", "err.too_long", 300)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if _, err := registry.Region(ctx, s.DB, code); err != nil {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region_code", Key: "err.reference"})
	}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createEnteredDay(ctx, tx, d); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "campaign_day", d.ID, code, nil, d)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DeleteCampaignDay removes an entered day.
func (s *Service) DeleteCampaignDay(ctx context.Context, a *counsel.Actor, id int64) error {
	d, err := enteredDay(ctx, s.DB, id)
	if err != nil {
		return err
	}
	scope, err := s.campaignScope(ctx, a)
	if err != nil {
		return err
	}
	if scope != "" && !counsel.Within(d.RegionCode, scope) && !contains(counsel.Ancestors(scope), d.RegionCode) {
		return counsel.ErrNotFound
	}
	if !authz.IsAdmin(a) && !(authz.CountyBureau(a) && counsel.Within(d.RegionCode, a.RegionCode)) {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := deleteEnteredDay(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "delete", "campaign_day", id, d.RegionCode, d, nil)
	})
}

// RegionName is the name of a region ("" when there is none).
func (s *Service) RegionName(ctx context.Context, code string) string {
	if r, err := registry.Region(ctx, s.DB, code); err == nil {
		return r.Name
	}
	return ""
}
