package public

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// The public side (R31, R32, R34): village boards, service cards and the
// service WeChat group register.
//
// What a board shows is public by design: the advisor's name, photo,
// provider, work phone (the phone the advisor registered, published on the
// board and the card as their work number, as the seeds require: 002 六,
// 003 三(三)), WeChat, duties, on-site hours, term, the supervising judicial
// office and its phone, and the service WeChat group. It never shows a
// private person's phone: no legal-literate person's, no resident's.

// Service holds the public side's rules. Rules still in the layered service
// (regions and their scopes) are reached through Svc.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	Now func() time.Time // the clock (the layered service's by default)
	Svc *registry.Service

	boards boardCache // built boards, a few seconds each (cache.go)

	// The pinyin index was last brought up to date at pinyinSynced (regions
	// change only by imports, rarely); pinyinMu, a one-slot semaphore,
	// guards it and the sync.
	pinyinMu     chan struct{}
	pinyinSynced time.Time
}

// NewService returns the public side's rules over the layered service (its
// database, logger and clock). Its boards are dropped whenever the layered
// service reports a change they show (an agreement, advisor or provider).
func NewService(svc *registry.Service) *Service {
	s := &Service{DB: svc.DB, Log: svc.Log, Now: func() time.Time { return svc.Now() }, Svc: svc,
		boards: boardCache{boards: map[string]boardCached{}}, pinyinMu: make(chan struct{}, 1)}
	svc.OnBoardChange(s.boards.reset)
	return s
}

// chinaDate formats unix ms as a China date.
func chinaDate(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(calendar.Shanghai).Format(counsel.DateLayout)
}

// PublicVillage loads a village by its code for the public pages; anything
// that is not a known village is not found.
func (s *Service) PublicVillage(ctx context.Context, code string) (*counsel.Region, error) {
	if !counsel.ValidCode(code) || counsel.LevelOf(code) != counsel.LevelVillage {
		return nil, counsel.ErrNotFound
	}
	v, err := registry.Region(ctx, s.DB, code)
	if err != nil {
		return nil, counsel.ErrNotFound
	}
	return v, nil
}

// PublicBoard returns a village's board. It needs no account: everything
// on it is public.
func (s *Service) PublicBoard(ctx context.Context, code string) (*Board, error) {
	return s.boards.get(ctx, s, code)
}

func (s *Service) board(ctx context.Context, v *counsel.Region) (*Board, error) {
	b := &Board{Village: *v, TownCode: v.ParentCode}
	latest := int64(0)
	seen := func(ms int64) {
		if ms > latest {
			latest = ms
		}
	}
	if t, err := registry.Region(ctx, s.DB, v.ParentCode); err == nil {
		b.TownName = t.Name
		if c, err := registry.Region(ctx, s.DB, t.ParentCode); err == nil {
			b.CountyName = c.Name
		}
	}
	for _, k := range BoardDuties {
		l := policy.KindLabels[k]
		b.Duties = append(b.Duties, BoardDuty{Kind: k, ZH: l.ZH, EN: l.EN})
	}
	g, err := registry.LiveAgreementFor(ctx, s.DB, v.Code)
	switch {
	case err == nil:
		adv, err := registry.Advisor(ctx, s.DB, g.AdvisorID)
		if err != nil {
			return nil, err
		}
		b.Advisor = &BoardAdvisor{Name: adv.Name, Kind: adv.Kind, ProviderName: adv.ProviderName, Phone: adv.Phone, WeChat: adv.WeChat, HasPhoto: adv.Photo != ""}
		b.TermStart, b.TermEnd = g.StartDate, g.EndDate
		seen(g.UpdatedAt)
		seen(adv.UpdatedAt)
		if p, err := registry.Provider(ctx, s.DB, g.ProviderID); err == nil {
			b.Advisor.ProviderName = p.Name
			seen(p.UpdatedAt)
		}
	case counsel.ErrorCode(err) != counsel.CodeNotFound:
		return nil, err
	}
	bs, err := boardSettings(ctx, s.DB, v.Code)
	if err != nil {
		return nil, err
	}
	b.OnsiteHours = bs.OnsiteHours
	seen(bs.UpdatedAt)
	o, err := s.office(ctx, v.ParentCode, b.TownName)
	if err != nil {
		return nil, err
	}
	b.Office = BoardOffice{Name: o.Name, Phone: o.Phone, Address: o.Address}
	seen(o.UpdatedAt)
	grp, err := groupOf(ctx, s.DB, v.Code)
	switch {
	case err == nil:
		b.Group = &BoardGroup{Name: grp.Name, AdminName: grp.AdminName}
		if grp.QRFile != "" {
			b.Group.QRExpiresAt = qrExpiry(grp.QRUploadedAt)
			b.Group.QRValid = s.Now().UnixMilli() < b.Group.QRExpiresAt
		}
		seen(grp.UpdatedAt)
	case counsel.ErrorCode(err) != counsel.CodeNotFound:
		return nil, err
	}
	b.UpdatedAt, b.UpdatedOn = latest, chinaDate(latest)
	return b, nil
}

func qrExpiry(uploadedAt int64) int64 { return uploadedAt + GroupQRLife.Milliseconds() }

// office returns a town's judicial office, or one named after the town when
// none is kept yet.
func (s *Service) office(ctx context.Context, town, townName string) (*Office, error) {
	o, err := officeOf(ctx, s.DB, town)
	if counsel.ErrorCode(err) == counsel.CodeNotFound {
		return &Office{TownCode: town, Name: DefaultOfficeName(townName)}, nil
	}
	return o, err
}

// DefaultOfficeName names a town's judicial office before one is kept.
func DefaultOfficeName(townName string) string {
	if townName == "" {
		return ""
	}
	return strings.TrimSuffix(townName, "街道办事处") + "司法所"
}

// PublicAdvisorPhoto returns the stored photo file of the advisor who serves
// the village under a live agreement; not found otherwise. Only that photo
// is public: an advisor who serves no village keeps theirs private.
func (s *Service) PublicAdvisorPhoto(ctx context.Context, code string) (string, error) {
	if _, err := s.PublicVillage(ctx, code); err != nil {
		return "", err
	}
	g, err := registry.LiveAgreementFor(ctx, s.DB, code)
	if err != nil {
		return "", counsel.ErrNotFound
	}
	adv, err := registry.Advisor(ctx, s.DB, g.AdvisorID)
	if err != nil || adv.Photo == "" {
		return "", counsel.ErrNotFound
	}
	return adv.Photo, nil
}

// PublicGroupQR returns the stored QR image file of the village's service
// WeChat group while it is in force; not found when missing or expired.
func (s *Service) PublicGroupQR(ctx context.Context, code string) (string, error) {
	if _, err := s.PublicVillage(ctx, code); err != nil {
		return "", err
	}
	g, err := groupOf(ctx, s.DB, code)
	if err != nil || g.QRFile == "" || s.Now().UnixMilli() >= qrExpiry(g.QRUploadedAt) {
		return "", counsel.ErrNotFound
	}
	return g.QRFile, nil
}

// PublicVillageExists reports whether code is a known village (for the QR
// code of its board address).
func (s *Service) PublicVillageExists(ctx context.Context, code string) error {
	_, err := s.PublicVillage(ctx, code)
	return err
}

// maxSearchHits bounds the public search's answer.
const maxSearchHits = 30

// PublicSearch finds villages by name, code, pinyin (xiguan) or pinyin
// initials (xgc). It answers villages only, with their town and county.
func (s *Service) PublicSearch(ctx context.Context, q string) ([]VillageHit, error) {
	q = strings.TrimSpace(q)
	if q == "" || utf8.RuneCountInString(q) > 40 {
		return nil, nil
	}
	py := pinyinQuery(q)
	if py != "" {
		if _, err := s.ensurePinyin(ctx); err != nil {
			return nil, err
		}
		if len(py) < 2 {
			py = "" // one letter matches half the country
		}
	}
	return searchVillages(ctx, s.DB, q, py, maxSearchHits)
}

// ensurePinyin syncs the pinyin index when it was not synced in the last
// ten minutes by this process.
func (s *Service) ensurePinyin(ctx context.Context) (int, error) {
	s.pinyinMu <- struct{}{}
	defer func() { <-s.pinyinMu }()
	if !s.pinyinSynced.IsZero() && time.Since(s.pinyinSynced) < 10*time.Minute {
		return 0, nil
	}
	n, err := s.syncPinyin(ctx)
	if err == nil {
		s.pinyinSynced = time.Now()
	}
	return n, err
}

// SyncPinyin brings the pinyin index of village names up to date (new or
// renamed villages) and returns how many villages it indexed. The search
// does this itself at most every ten minutes; call it after loading regions.
func (s *Service) SyncPinyin(ctx context.Context) (int, error) {
	s.pinyinMu <- struct{}{}
	defer func() { <-s.pinyinMu }()
	n, err := s.syncPinyin(ctx)
	if err == nil {
		s.pinyinSynced = time.Now()
	}
	return n, err
}

func (s *Service) syncPinyin(ctx context.Context) (int, error) {
	total := 0
	for {
		vs, err := villagesWithoutPinyin(ctx, s.DB, 2000)
		if err != nil || len(vs) == 0 {
			return total, err
		}
		ps := make([]regionPinyin, len(vs))
		for i, v := range vs {
			full, ini := Pinyin(v.Name)
			ps[i] = regionPinyin{Code: v.Code, Name: v.Name, Full: full, Initials: ini}
		}
		if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return savePinyin(ctx, tx, ps) }); err != nil {
			return total, err
		}
		total += len(vs)
	}
}
