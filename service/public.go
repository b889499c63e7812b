package service

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
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

// GroupQRLife is how long an uploaded WeChat group QR image is good for
// (WeChat group QR codes expire after 7 days).
const GroupQRLife = 7 * 24 * time.Hour

// GroupSuffix ends every service WeChat group's name (seed 002 五.7).
const GroupSuffix = "结对律师服务微信群"

// BoardDuties are the service content a board lists (seed 002 四): the
// kinds of service a resident can ask the advisor for.
var BoardDuties = []string{policy.KindConsultation, policy.KindMediation, policy.KindAffairsReview,
	policy.KindContractReview, policy.KindPublicity, policy.KindLegalAid}

// Board is what a village's public board shows.
type Board struct {
	Village     counsel.Region `json:"village"`
	TownCode    string         `json:"town_code"`
	TownName    string         `json:"town_name"`
	CountyName  string         `json:"county_name"`
	Advisor     *BoardAdvisor  `json:"advisor"` // nil when no live agreement covers the village
	TermStart   string         `json:"term_start,omitempty"`
	TermEnd     string         `json:"term_end,omitempty"`
	Duties      []BoardDuty    `json:"duties"`
	OnsiteHours string         `json:"onsite_hours"`
	Office      BoardOffice    `json:"office"`
	Group       *BoardGroup    `json:"group"` // nil when no group is registered
	UpdatedAt   int64          `json:"updated_at"`
	UpdatedOn   string         `json:"updated_on"` // the China date of UpdatedAt
}

// BoardAdvisor is the advisor as the board shows them.
type BoardAdvisor struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	ProviderName string `json:"provider_name"`
	Phone        string `json:"work_phone"`
	WeChat       string `json:"wechat"`
	HasPhoto     bool   `json:"has_photo"`
}

// BoardDuty is one line of service content.
type BoardDuty struct {
	Kind string `json:"kind"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// BoardOffice is the supervising judicial office.
type BoardOffice struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// BoardGroup is the service WeChat group as the board shows it.
type BoardGroup struct {
	Name        string `json:"name"`
	AdminName   string `json:"admin_name"`
	QRValid     bool   `json:"qr_valid"`      // false: "ask the village committee"
	QRExpiresAt int64  `json:"qr_expires_at"` // unix ms, 0 when there is no image
}

// chinaDate formats unix ms as a China date.
func chinaDate(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).In(shanghai).Format(counsel.DateLayout)
}

// PublicVillage loads a village by its code for the public pages; anything
// that is not a known village is not found.
func (s *Service) PublicVillage(ctx context.Context, code string) (*counsel.Region, error) {
	if !counsel.ValidCode(code) || counsel.LevelOf(code) != counsel.LevelVillage {
		return nil, errNotFound
	}
	v, err := s.DB.Region(ctx, code)
	if err != nil {
		return nil, errNotFound
	}
	return v, nil
}

// PublicBoard returns a village's board. It needs no account: everything
// on it is public.
func (s *Service) PublicBoard(ctx context.Context, code string) (*Board, error) {
	return s.cachedBoard(ctx, code)
}

func (s *Service) board(ctx context.Context, v *counsel.Region) (*Board, error) {
	b := &Board{Village: *v, TownCode: v.ParentCode}
	latest := int64(0)
	seen := func(ms int64) {
		if ms > latest {
			latest = ms
		}
	}
	if t, err := s.DB.Region(ctx, v.ParentCode); err == nil {
		b.TownName = t.Name
		if c, err := s.DB.Region(ctx, t.ParentCode); err == nil {
			b.CountyName = c.Name
		}
	}
	for _, k := range BoardDuties {
		l := policy.KindLabels[k]
		b.Duties = append(b.Duties, BoardDuty{Kind: k, ZH: l.ZH, EN: l.EN})
	}
	g, err := s.DB.LiveAgreementFor(ctx, v.Code)
	switch {
	case err == nil:
		adv, err := s.DB.Advisor(ctx, g.AdvisorID)
		if err != nil {
			return nil, err
		}
		b.Advisor = &BoardAdvisor{Name: adv.Name, Kind: adv.Kind, ProviderName: adv.ProviderName, Phone: adv.Phone, WeChat: adv.WeChat, HasPhoto: adv.Photo != ""}
		b.TermStart, b.TermEnd = g.StartDate, g.EndDate
		seen(g.UpdatedAt)
		seen(adv.UpdatedAt)
		if p, err := s.DB.Provider(ctx, g.ProviderID); err == nil {
			b.Advisor.ProviderName = p.Name
			seen(p.UpdatedAt)
		}
	case counsel.ErrorCode(err) != counsel.CodeNotFound:
		return nil, err
	}
	bs, err := s.DB.Board(ctx, v.Code)
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
	grp, err := s.DB.WeChatGroup(ctx, v.Code)
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
func (s *Service) office(ctx context.Context, town, townName string) (*store.Office, error) {
	o, err := s.DB.Office(ctx, town)
	if counsel.ErrorCode(err) == counsel.CodeNotFound {
		return &store.Office{TownCode: town, Name: DefaultOfficeName(townName)}, nil
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
	g, err := s.DB.LiveAgreementFor(ctx, code)
	if err != nil {
		return "", errNotFound
	}
	adv, err := s.DB.Advisor(ctx, g.AdvisorID)
	if err != nil || adv.Photo == "" {
		return "", errNotFound
	}
	return adv.Photo, nil
}

// PublicGroupQR returns the stored QR image file of the village's service
// WeChat group while it is in force; not found when missing or expired.
func (s *Service) PublicGroupQR(ctx context.Context, code string) (string, error) {
	if _, err := s.PublicVillage(ctx, code); err != nil {
		return "", err
	}
	g, err := s.DB.WeChatGroup(ctx, code)
	if err != nil || g.QRFile == "" || s.Now().UnixMilli() >= qrExpiry(g.QRUploadedAt) {
		return "", errNotFound
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
func (s *Service) PublicSearch(ctx context.Context, q string) ([]store.VillageHit, error) {
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
	return s.DB.SearchVillages(ctx, q, py, maxSearchHits)
}

// pinyinSync remembers, per database, when the pinyin index was last
// brought up to date (regions change only by imports, rarely).
// Both are guarded by pinyinMu, a one-slot semaphore.
var (
	pinyinSync = map[*store.DB]time.Time{}
	pinyinMu   = make(chan struct{}, 1)
)

// ensurePinyin syncs the pinyin index when it was not synced in the last
// ten minutes by this process.
func (s *Service) ensurePinyin(ctx context.Context) (int, error) {
	pinyinMu <- struct{}{}
	defer func() { <-pinyinMu }()
	if t, ok := pinyinSync[s.DB]; ok && time.Since(t) < 10*time.Minute {
		return 0, nil
	}
	n, err := s.syncPinyin(ctx)
	if err == nil {
		pinyinSync[s.DB] = time.Now()
	}
	return n, err
}

// SyncPinyin brings the pinyin index of village names up to date (new or
// renamed villages) and returns how many villages it indexed. The search
// does this itself at most every ten minutes; call it after loading regions.
func (s *Service) SyncPinyin(ctx context.Context) (int, error) {
	pinyinMu <- struct{}{}
	defer func() { <-pinyinMu }()
	n, err := s.syncPinyin(ctx)
	if err == nil {
		pinyinSync[s.DB] = time.Now()
	}
	return n, err
}

func (s *Service) syncPinyin(ctx context.Context) (int, error) {
	total := 0
	for {
		vs, err := s.DB.VillagesWithoutPinyin(ctx, 2000)
		if err != nil || len(vs) == 0 {
			return total, err
		}
		ps := make([]store.RegionPinyin, len(vs))
		for i, v := range vs {
			full, ini := Pinyin(v.Name)
			ps[i] = store.RegionPinyin{Code: v.Code, Name: v.Name, Full: full, Initials: ini}
		}
		if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.SavePinyin(ctx, ps) }); err != nil {
			return total, err
		}
		total += len(vs)
	}
}

// ---- staff side: board settings, offices, the group register ----

// GroupName is the name a village's service WeChat group must have:
// "<村(居)名称>结对律师服务微信群", e.g. 西关村结对律师服务微信群 for 西关村委会.
func GroupName(v *counsel.Region) string { return counsel.ShortName(v.Name) + GroupSuffix }

// CheckGroupName explains how name breaks the naming rule: an i18n key with
// its arguments, "" when the name follows it. The village's short name
// (西关村) and its full name (西关村委会) are both accepted.
func CheckGroupName(v *counsel.Region, name string) (string, []any) {
	name = strings.Join(strings.Fields(name), "")
	want := GroupName(v)
	if name == want {
		return "", nil
	}
	if !strings.HasSuffix(name, GroupSuffix) {
		return "pub.group_name_suffix", []any{GroupSuffix, want}
	}
	prefix := strings.TrimSuffix(name, GroupSuffix)
	if prefix == v.Name || prefix == counsel.ShortName(v.Name) {
		return "", nil
	}
	return "pub.group_name_village", []any{counsel.ShortName(v.Name), want}
}

// MemberRoles lists the member roles of a service group in display order.
var MemberRoles = []string{"advisor", "assistant", "committee", "mediation", "party", "representative", "judicial"}

// MemberCount returns the count of a role.
func MemberCount(m store.GroupMembers, role string) int {
	switch role {
	case "advisor":
		return m.Advisor
	case "assistant":
		return m.Assistant
	case "committee":
		return m.Committee
	case "mediation":
		return m.Mediation
	case "party":
		return m.Party
	case "representative":
		return m.Representative
	case "judicial":
		return m.Judicial
	}
	return 0
}

// SetMemberCount sets the count of a role.
func SetMemberCount(m *store.GroupMembers, role string, n int) {
	switch role {
	case "advisor":
		m.Advisor = n
	case "assistant":
		m.Assistant = n
	case "committee":
		m.Committee = n
	case "mediation":
		m.Mediation = n
	case "party":
		m.Party = n
	case "representative":
		m.Representative = n
	case "judicial":
		m.Judicial = n
	}
}

// maxGroupMembers is WeChat's limit on a group's size.
const maxGroupMembers = 500

// VillageBoard is the staff view of a village's board and group register.
type VillageBoard struct {
	Board         *Board             `json:"board"`
	Group         *store.WeChatGroup `json:"group"` // nil when none is registered
	SuggestedName string             `json:"suggested_name"`
	NameProblem   string             `json:"name_problem,omitempty"` // why the name breaks the rule, in the reader's language (set by callers)
	NameKey       string             `json:"-"`
	NameArgs      []any              `json:"-"`
	MissingRoles  []string           `json:"missing_roles"` // member roles with nobody in the group
	AdminStale    bool               `json:"admin_stale"`   // the group's admin is not the village's advisor now
	QRValid       bool               `json:"qr_valid"`
	QRExpiresAt   int64              `json:"qr_expires_at"`
	AdvisorID     int64              `json:"advisor_id"` // of the live agreement, 0 when none
	AdvisorName   string             `json:"advisor_name"`
	CanHours      bool               `json:"can_edit_hours"`
	CanGroup      bool               `json:"can_edit_group"`
	CanOffice     bool               `json:"can_edit_office"`
}

// canWriteGroup reports whether the actor may keep a village's group
// register: the village's advisor (live agreement), its judicial office,
// the county bureau, an admin.
func (s *Service) canWriteGroup(ctx context.Context, a *counsel.Actor, village string) bool {
	if authz.CanWriteRegion(a, village) {
		return true
	}
	if a.Role == counsel.RoleAdvisor {
		g, err := s.DB.LiveAgreementFor(ctx, village)
		return err == nil && g.AdvisorID == a.AdvisorID
	}
	return false
}

// staffVillage loads a village the actor may see (404 otherwise).
func (s *Service) staffVillage(ctx context.Context, a *counsel.Actor, code string) (*counsel.Region, error) {
	v, err := s.PublicVillage(ctx, code)
	if err != nil {
		return nil, err
	}
	if !s.canReadVillage(ctx, a, code) {
		return nil, errNotFound
	}
	return v, nil
}

// VillageBoard returns the staff view of a village's board and group.
func (s *Service) VillageBoard(ctx context.Context, a *counsel.Actor, code string) (*VillageBoard, error) {
	v, err := s.staffVillage(ctx, a, code)
	if err != nil {
		return nil, err
	}
	b, err := s.board(ctx, v)
	if err != nil {
		return nil, err
	}
	vb := &VillageBoard{Board: b, SuggestedName: GroupName(v), MissingRoles: []string{},
		CanHours: authz.CanWriteRegion(a, code), CanGroup: s.canWriteGroup(ctx, a, code), CanOffice: authz.CanWriteRegion(a, v.ParentCode)}
	if g, err := s.DB.LiveAgreementFor(ctx, code); err == nil {
		vb.AdvisorID, vb.AdvisorName = g.AdvisorID, g.AdvisorName
	}
	grp, err := s.DB.WeChatGroup(ctx, code)
	switch {
	case err == nil:
		vb.Group = grp
		vb.NameKey, vb.NameArgs = CheckGroupName(v, grp.Name)
		for _, r := range MemberRoles {
			if MemberCount(grp.Members, r) == 0 {
				vb.MissingRoles = append(vb.MissingRoles, r)
			}
		}
		vb.AdminStale = grp.AdminAdvisorID != vb.AdvisorID
		if grp.QRFile != "" {
			vb.QRExpiresAt = qrExpiry(grp.QRUploadedAt)
			vb.QRValid = s.Now().UnixMilli() < vb.QRExpiresAt
		}
	case counsel.ErrorCode(err) != counsel.CodeNotFound:
		return nil, err
	}
	return vb, nil
}

// maxOnsiteHours bounds the on-site hours text.
const maxOnsiteHours = 60

// SetOnsiteHours sets a village's on-site hours as its board shows them
// ("每周三上午"): the county bureau, the town's judicial office, an admin.
func (s *Service) SetOnsiteHours(ctx context.Context, a *counsel.Actor, code, hours string) error {
	defer s.ResetBoardCache() // after the commit: the boards show it
	if _, err := s.staffVillage(ctx, a, code); err != nil {
		return err
	}
	if !authz.CanWriteRegion(a, code) {
		return errForbidden
	}
	hours = strings.Join(strings.Fields(hours), " ")
	if utf8.RuneCountInString(hours) > maxOnsiteHours {
		return counsel.Invalid(counsel.FieldError{Field: "onsite_hours", Key: "err.too_long", Args: []any{maxOnsiteHours}})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := tx.Board(ctx, code)
		if err != nil {
			return err
		}
		after := &store.BoardSettings{VillageCode: code, OnsiteHours: hours}
		if err := tx.SaveBoard(ctx, after); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "board", 0, code, before, after)
	})
}

// Office returns a town's judicial office as its boards show it (named
// after the town when none is kept yet), for those who may see the town.
func (s *Service) Office(ctx context.Context, a *counsel.Actor, town string) (*store.Office, error) {
	if counsel.LevelOf(town) != counsel.LevelTown {
		return nil, errNotFound
	}
	if err := s.checkRegionRead(ctx, a, town); err != nil {
		return nil, err
	}
	t, err := s.DB.Region(ctx, town)
	if err != nil {
		return nil, errNotFound
	}
	return s.office(ctx, town, t.Name)
}

// SaveOffice keeps a town's judicial office: its judicial office, the
// county bureau, an admin. The phone is an office phone, shown whole on
// the boards.
func (s *Service) SaveOffice(ctx context.Context, a *counsel.Actor, o *store.Office) error {
	defer s.ResetBoardCache() // after the commit: the boards show it
	if _, err := s.Office(ctx, a, o.TownCode); err != nil {
		return err
	}
	if !authz.CanWriteRegion(a, o.TownCode) {
		return errForbidden
	}
	o.Name = strings.Join(strings.Fields(o.Name), "")
	o.Phone = counsel.NormalizePhone(o.Phone)
	o.Address = strings.TrimSpace(o.Address)
	var f counsel.Fields
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		f.Add("name", "err.required")
	case n > 40:
		f.Add("name", "err.too_long", 40)
	}
	if o.Phone != "" && !counsel.ValidPhone(o.Phone) {
		f.Add("phone", "err.phone")
	}
	if utf8.RuneCountInString(o.Address) > 100 {
		f.Add("address", "err.too_long", 100)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := tx.Office(ctx, o.TownCode)
		action := "update"
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			before, action = nil, "create"
		} else if err != nil {
			return err
		}
		if err := tx.SaveOffice(ctx, o); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, action, "office", 0, o.TownCode, before, o)
	})
}

// WeChatGroup returns a village's group register entry for those who may
// see the village; not found when none is registered.
func (s *Service) WeChatGroup(ctx context.Context, a *counsel.Actor, code string) (*store.WeChatGroup, error) {
	if _, err := s.staffVillage(ctx, a, code); err != nil {
		return nil, err
	}
	return s.DB.WeChatGroup(ctx, code)
}

// SaveWeChatGroup registers or updates a village's service WeChat group.
// The group is administered by the village's advisor under their real
// name: the admin must be the advisor of the village's live agreement (0
// means them) and the owner's WeChat name must carry the advisor's name.
// A name that breaks the naming rule is kept (it is the group's real name)
// and explained by VillageBoard.
func (s *Service) SaveWeChatGroup(ctx context.Context, a *counsel.Actor, g *store.WeChatGroup) error {
	defer s.ResetBoardCache() // after the commit: the boards show it
	v, err := s.staffVillage(ctx, a, g.VillageCode)
	if err != nil {
		return err
	}
	if !s.canWriteGroup(ctx, a, v.Code) {
		return errForbidden
	}
	g.Name = strings.Join(strings.Fields(g.Name), "")
	g.AdminNickname = strings.TrimSpace(g.AdminNickname)
	var f counsel.Fields
	switch n := utf8.RuneCountInString(g.Name); {
	case n == 0:
		f.Add("name", "err.required")
	case n > 60:
		f.Add("name", "err.too_long", 60)
	}
	ag, err := s.DB.LiveAgreementFor(ctx, v.Code)
	switch {
	case counsel.ErrorCode(err) == counsel.CodeNotFound:
		f.Add("admin_advisor_id", "pub.err_no_advisor")
	case err != nil:
		return err
	default:
		if g.AdminAdvisorID == 0 {
			g.AdminAdvisorID = ag.AdvisorID
		}
		if g.AdminAdvisorID != ag.AdvisorID {
			f.Add("admin_advisor_id", "pub.err_group_admin", ag.AdvisorName)
		}
		switch {
		case g.AdminNickname == "":
			f.Add("admin_nickname", "err.required")
		case utf8.RuneCountInString(g.AdminNickname) > 40:
			f.Add("admin_nickname", "err.too_long", 40)
		case !strings.Contains(strings.Join(strings.Fields(g.AdminNickname), ""), ag.AdvisorName):
			f.Add("admin_nickname", "pub.err_real_name", ag.AdvisorName)
		}
	}
	for _, r := range MemberRoles {
		if n := MemberCount(g.Members, r); n < 0 || n > maxGroupMembers {
			f.Add("members_"+r, "err.range", 0, maxGroupMembers)
		}
	}
	if g.Members.Advisor < 1 {
		f.Add("members_advisor", "pub.err_advisor_member")
	}
	if t := g.Members.Total(); t > maxGroupMembers {
		f.Add("members_total", "pub.err_members_total", maxGroupMembers, t)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := tx.WeChatGroup(ctx, v.Code)
		action := "update"
		switch {
		case counsel.ErrorCode(err) == counsel.CodeNotFound:
			before, action = nil, "create"
		case err != nil:
			return err
		default:
			g.CreatedAt = before.CreatedAt
		}
		if err := tx.SaveWeChatGroup(ctx, g); err != nil {
			return err
		}
		saved, err := tx.WeChatGroup(ctx, v.Code)
		if err != nil {
			return err
		}
		*g = *saved
		return audit.Write(ctx, tx, a, action, "wechat_group", 0, v.Code, before, saved)
	})
}

// SetGroupQR records a newly uploaded QR image (a stored file name) for a
// village's registered group, good for GroupQRLife from now. It returns the
// file it replaces ("" for none), for the caller to remove.
func (s *Service) SetGroupQR(ctx context.Context, a *counsel.Actor, code, file string) (string, error) {
	defer s.ResetBoardCache() // after the commit: the boards show it
	v, err := s.staffVillage(ctx, a, code)
	if err != nil {
		return "", err
	}
	if !s.canWriteGroup(ctx, a, v.Code) {
		return "", errForbidden
	}
	old := ""
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := tx.WeChatGroup(ctx, v.Code)
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "photo", Key: "pub.err_group_first"})
		}
		if err != nil {
			return err
		}
		old = before.QRFile
		at := s.Now().UnixMilli()
		if err := tx.SetGroupQR(ctx, v.Code, file, at); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "wechat_group_qr", 0, v.Code,
			map[string]any{"qr_uploaded_at": before.QRUploadedAt}, map[string]any{"qr_uploaded_at": at, "qr_expires_at": qrExpiry(at)})
	})
	return old, err
}

// Register lists the villages the actor may see (within region when given)
// with their board settings, advisor and group: a region's villages for
// regional roles, the villages they serve for providers and advisors.
func (s *Service) Register(ctx context.Context, a *counsel.Actor, region string, p counsel.Page) (List[store.RegisterRow], error) {
	f := baseFilter(a)
	if region != "" {
		if !counsel.ValidCode(region) {
			return List[store.RegisterRow]{}, errNotFound
		}
		if authz.Regional(a) && !authz.CanReadRegion(a, region) {
			return List[store.RegisterRow]{}, errNotFound
		}
		f.Region = region
	}
	f.Page = p
	items, total, err := s.DB.Register(ctx, f)
	return list(items, total, p), err
}

// TownBoards returns the boards of every village of a town (or of one
// village), for printing their service cards in one go: regional readers
// of the town (admin, bureaus, its judicial office).
func (s *Service) TownBoards(ctx context.Context, a *counsel.Actor, code string) ([]*Board, error) {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleBureau, counsel.RoleJudicial:
	default:
		return nil, errForbidden
	}
	lv := counsel.LevelOf(code)
	if (lv != counsel.LevelTown && lv != counsel.LevelVillage) || !authz.CanReadRegion(a, code) {
		return nil, errNotFound
	}
	var vs []counsel.Region
	if lv == counsel.LevelVillage {
		v, err := s.DB.Region(ctx, code)
		if err != nil {
			return nil, errNotFound
		}
		vs = []counsel.Region{*v}
	} else {
		var err error
		if vs, err = s.DB.Villages(ctx, code); err != nil {
			return nil, err
		}
	}
	out := make([]*Board, 0, len(vs))
	for i := range vs {
		b, err := s.board(ctx, &vs[i])
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// RemindExpiredGroupQR reminds, in the app, the advisor of every village
// under a live agreement whose service WeChat group has no QR image in
// force at now (no group registered, no image, or one older than seven
// days), once per missing or expired image. It returns the number of
// reminders added; running it again adds none.
func (s *Service) RemindExpiredGroupQR(ctx context.Context, now time.Time) (int, error) {
	due, err := s.DB.GroupQRsDue(ctx, now.Add(-GroupQRLife).UnixMilli())
	if err != nil {
		return 0, err
	}
	added := 0
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, d := range due {
			ids, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", d.AdvisorID)
			if err != nil {
				return err
			}
			key, kind := "pub.remind_qr_expired", "group_qr_expired"
			switch {
			case !d.HasGroup:
				key, kind = "pub.remind_no_group", "group_missing"
			case d.QRUploadedAt == 0:
				key, kind = "pub.remind_qr_missing", "group_qr_missing"
			}
			link := "/boards/" + d.VillageCode
			for _, uid := range ids {
				ok, err := notify.Notify(ctx, tx, &notify.Notification{UserID: uid, Kind: kind, Title: i18n.T("zh", key, d.VillageName),
					Link: link, DedupKey: kind + "|" + d.VillageCode + "|" + strconv.FormatInt(d.QRUploadedAt, 10), CreatedAt: now.UnixMilli()})
				if err != nil {
					return err
				}
				if ok {
					added++
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
