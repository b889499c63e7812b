package pairing

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// PairingDetails lists pairings in the actor's scope with the details the
// 附件1 table and the archive card show (town, provider, phones, position).
// Persons' phone numbers are masked for actors without a need for them, as
// Persons masks them. A zero page limit returns every row.
func (s *Service) PairingDetails(ctx context.Context, a *counsel.Actor, f counsel.Filter) (registry.List[Detail], error) {
	base := registry.BaseFilter(a)
	f.Scope, f.ProviderID, f.AdvisorID = base.Scope, base.ProviderID, base.AdvisorID
	items, total, err := listDetails(ctx, s.DB, f)
	maskDetails(a, items)
	out := registry.ListOf(items, total, f.Page)
	if f.Page.Limit <= 0 {
		out.Limit = len(items)
	}
	return out, err
}

func maskDetails(a *counsel.Actor, ds []Detail) {
	if authz.SeesFullPhones(a) {
		return
	}
	for i := range ds {
		ds[i].PersonPhone = counsel.MaskPhone(ds[i].PersonPhone)
	}
}

// Attachment1Rows returns the rows of the pairing statistics table (附件1)
// of a region in the actor's scope ("" = all the actor sees): one row per
// current pairing, ordered by town, village and advisor as the table merges
// them. Villages are written as people write them (东关村 for 东关村委会).
func (s *Service) Attachment1Rows(ctx context.Context, a *counsel.Actor, region string) ([]xlsx.PairingRow, error) {
	region, err := s.Svc.ExportRegion(ctx, a, region)
	if err != nil {
		return nil, err
	}
	l, err := s.PairingDetails(ctx, a, counsel.Filter{Region: region, Status: "current"})
	if err != nil {
		return nil, err
	}
	rows := make([]xlsx.PairingRow, 0, len(l.Items))
	for _, d := range l.Items {
		rows = append(rows, xlsx.PairingRow{
			Town: d.TownName, Village: counsel.ShortName(d.VillageName),
			AdvisorName: d.AdvisorName, Firm: d.ProviderName, AdvisorPhone: d.AdvisorPhone,
			PersonName: d.PersonName, Position: d.Position, PersonPhone: d.PersonPhone,
			PairedOn: d.PairedOn,
		})
	}
	return rows, nil
}

// CardTitle is the title of the archive cards of a region or village: the
// city's name before "“1+N”行动结对联系档案卡", after the seed's
// "芜湖市“1+N”行动结对联系档案卡". code may be "" (no city).
func (s *Service) CardTitle(ctx context.Context, code string) string {
	const title = "“1+N”行动结对联系档案卡"
	if counsel.LevelOf(code) < counsel.LevelCity {
		return title
	}
	city, err := registry.Region(ctx, s.DB, counsel.AncestorAt(code, counsel.LevelCity))
	if err != nil {
		return title
	}
	return city.Name + title
}

// Cards returns archive cards with activities, evaluations and photos (read
// from the photos folder of the data directory when one is set), and the
// total number of cards matched (more than returned when Limit cut them).
func (s *Service) Cards(ctx context.Context, a *counsel.Actor, f CardFilter) ([]Card, int, error) {
	var ds []Detail
	total := 0
	if f.PairingID > 0 {
		// Pairing checks that the actor may see it.
		if _, _, err := s.Pairing(ctx, a, f.PairingID); err != nil {
			return nil, 0, err
		}
		d, err := loadDetail(ctx, s.DB, f.PairingID)
		if err != nil {
			return nil, 0, err
		}
		ds = []Detail{*d}
		maskDetails(a, ds)
		total = 1
	} else {
		region, err := s.Svc.ExportRegion(ctx, a, f.Region)
		if err != nil {
			return nil, 0, err
		}
		l, err := s.PairingDetails(ctx, a, counsel.Filter{Region: region, Status: "current", Page: counsel.Page{Limit: f.Limit}})
		if err != nil {
			return nil, 0, err
		}
		ds, total = l.Items, l.Total
	}
	ids := make([]int64, len(ds))
	for i := range ds {
		ids[i] = ds[i].ID
	}
	acts, err := activitiesOf(ctx, s.DB, ids)
	if err != nil {
		return nil, 0, err
	}
	photos := map[string][]byte{}
	photo := func(name string) []byte {
		if name == "" {
			return nil
		}
		b, ok := photos[name]
		if !ok {
			b = s.readPhoto(ctx, name)
			photos[name] = b
		}
		return b
	}
	cards := make([]Card, 0, len(ds))
	for _, d := range ds {
		c := Card{PairingID: d.ID, VillageCode: d.VillageCode, TownName: d.TownName, PairedOn: d.PairedOn, EndedOn: d.EndedOn, Records: acts[d.ID]}
		c.AdvisorName, c.AdvisorFirm, c.AdvisorPhone = d.AdvisorName, d.ProviderName, d.AdvisorPhone
		c.AdvisorPhoto = photo(d.AdvisorPhoto)
		c.PersonName, c.PersonVillage, c.PersonPosition, c.PersonPhone = d.PersonName, counsel.ShortName(d.VillageName), d.Position, d.PersonPhone
		c.PersonPhoto = photo(d.PersonPhoto)
		for _, act := range c.Records {
			c.Activities = append(c.Activities, ActivityLine(act))
		}
		for _, l := range strings.Split(d.Evaluation, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				c.Evaluations = append(c.Evaluations, l)
			}
		}
		c.Remarks = d.Remarks
		cards = append(cards, c)
	}
	return cards, total, nil
}

// ArchiveCards returns the 附件2 cards for the xlsx export.
func (s *Service) ArchiveCards(ctx context.Context, a *counsel.Actor, f CardFilter) ([]xlsx.ArchiveCard, error) {
	cs, _, err := s.Cards(ctx, a, f)
	if err != nil {
		return nil, err
	}
	out := make([]xlsx.ArchiveCard, len(cs))
	for i := range cs {
		out[i] = cs[i].ArchiveCard
	}
	return out, nil
}

// DutyNames are the official names of the six duties of a legal-literate
// person (seed 002), as the archive card writes them.
var DutyNames = map[string]string{
	"explainer": "讲解员", "mediator": "调解员", "messenger": "传递员",
	"organizer": "组织员", "supervisor": "监督员", "guide": "引导员",
}

// ActivityLine writes an activity as the archive card records it:
// "2024-05-01 讲解员：与法律顾问共同开展民法典进村宣讲".
func ActivityLine(act counsel.Activity) string {
	kind := DutyNames[act.Kind]
	if kind == "" {
		kind = act.Kind
	}
	if act.Note == "" {
		return act.Date + " " + kind
	}
	return act.Date + " " + kind + "：" + act.Note
}

// maxPhoto is the largest photo file put on a card.
const maxPhoto = 8 << 20

// readPhoto reads a stored photo by file name from the photos folder of the
// data directory; nil when there is no data directory or no readable file.
func (s *Service) readPhoto(ctx context.Context, name string) []byte {
	if s.Svc.Cfg.DataDir == "" || name == "" {
		return nil
	}
	base := filepath.Base(filepath.Clean("/" + name))
	if base == "/" || base == "." || strings.HasPrefix(base, ".") {
		return nil
	}
	p := filepath.Join(s.Svc.Cfg.DataDir, "photos", base)
	fi, err := os.Stat(p)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > maxPhoto {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		s.Log.WarnContext(ctx, "photo unreadable", "file", base, "err", err)
		return nil
	}
	return b
}

// PairingDetail returns a pairing the actor may see with its details and
// activity records.
func (s *Service) PairingDetail(ctx context.Context, a *counsel.Actor, id int64) (*Detail, []counsel.Activity, error) {
	_, acts, err := s.Pairing(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	d, err := loadDetail(ctx, s.DB, id)
	if err != nil {
		return nil, nil, err
	}
	one := []Detail{*d}
	maskDetails(a, one)
	return &one[0], acts, nil
}
