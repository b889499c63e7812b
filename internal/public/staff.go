package public

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// The staff side: board settings, offices, the group register, the
// service cards of a town and the reminders of expired group QR codes.

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

// maxGroupMembers is WeChat's limit on a group's size.
const maxGroupMembers = 500

// canWriteGroup reports whether the actor may keep a village's group
// register: the village's advisor (live agreement), its judicial office,
// the county bureau, an admin.
func (s *Service) canWriteGroup(ctx context.Context, a *counsel.Actor, village string) bool {
	if authz.CanWriteRegion(a, village) {
		return true
	}
	if a.Role == counsel.RoleAdvisor {
		g, err := registry.LiveAgreementFor(ctx, s.DB, village)
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
	if !s.Svc.CanReadVillage(ctx, a, code) {
		return nil, counsel.ErrNotFound
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
	if g, err := registry.LiveAgreementFor(ctx, s.DB, code); err == nil {
		vb.AdvisorID, vb.AdvisorName = g.AdvisorID, g.AdvisorName
	}
	grp, err := groupOf(ctx, s.DB, code)
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
	defer s.Svc.ResetBoardCache() // after the commit: the boards show it
	if _, err := s.staffVillage(ctx, a, code); err != nil {
		return err
	}
	if !authz.CanWriteRegion(a, code) {
		return counsel.ErrForbidden
	}
	hours = strings.Join(strings.Fields(hours), " ")
	if utf8.RuneCountInString(hours) > maxOnsiteHours {
		return counsel.Invalid(counsel.FieldError{Field: "onsite_hours", Key: "err.too_long", Args: []any{maxOnsiteHours}})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := boardSettings(ctx, tx, code)
		if err != nil {
			return err
		}
		after := &BoardSettings{VillageCode: code, OnsiteHours: hours}
		if err := saveBoard(ctx, tx, after); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "board", 0, code, before, after)
	})
}

// Office returns a town's judicial office as its boards show it (named
// after the town when none is kept yet), for those who may see the town.
func (s *Service) Office(ctx context.Context, a *counsel.Actor, town string) (*Office, error) {
	if counsel.LevelOf(town) != counsel.LevelTown {
		return nil, counsel.ErrNotFound
	}
	t, err := s.Svc.Region(ctx, a, town)
	if counsel.ErrorCode(err) == counsel.CodeNotFound {
		return nil, counsel.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.office(ctx, town, t.Name)
}

// SaveOffice keeps a town's judicial office: its judicial office, the
// county bureau, an admin. The phone is an office phone, shown whole on
// the boards.
func (s *Service) SaveOffice(ctx context.Context, a *counsel.Actor, o *Office) error {
	defer s.Svc.ResetBoardCache() // after the commit: the boards show it
	if _, err := s.Office(ctx, a, o.TownCode); err != nil {
		return err
	}
	if !authz.CanWriteRegion(a, o.TownCode) {
		return counsel.ErrForbidden
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
		before, err := officeOf(ctx, tx, o.TownCode)
		action := "update"
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			before, action = nil, "create"
		} else if err != nil {
			return err
		}
		if err := saveOffice(ctx, tx, o); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, action, "office", 0, o.TownCode, before, o)
	})
}

// WeChatGroup returns a village's group register entry for those who may
// see the village; not found when none is registered.
func (s *Service) WeChatGroup(ctx context.Context, a *counsel.Actor, code string) (*WeChatGroup, error) {
	if _, err := s.staffVillage(ctx, a, code); err != nil {
		return nil, err
	}
	return groupOf(ctx, s.DB, code)
}

// SaveWeChatGroup registers or updates a village's service WeChat group.
// The group is administered by the village's advisor under their real
// name: the admin must be the advisor of the village's live agreement (0
// means them) and the owner's WeChat name must carry the advisor's name.
// A name that breaks the naming rule is kept (it is the group's real name)
// and explained by VillageBoard.
func (s *Service) SaveWeChatGroup(ctx context.Context, a *counsel.Actor, g *WeChatGroup) error {
	defer s.Svc.ResetBoardCache() // after the commit: the boards show it
	v, err := s.staffVillage(ctx, a, g.VillageCode)
	if err != nil {
		return err
	}
	if !s.canWriteGroup(ctx, a, v.Code) {
		return counsel.ErrForbidden
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
	ag, err := registry.LiveAgreementFor(ctx, s.DB, v.Code)
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
		before, err := groupOf(ctx, tx, v.Code)
		action := "update"
		switch {
		case counsel.ErrorCode(err) == counsel.CodeNotFound:
			before, action = nil, "create"
		case err != nil:
			return err
		default:
			g.CreatedAt = before.CreatedAt
		}
		if err := SaveWeChatGroup(ctx, tx, g); err != nil {
			return err
		}
		saved, err := groupOf(ctx, tx, v.Code)
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
	defer s.Svc.ResetBoardCache() // after the commit: the boards show it
	v, err := s.staffVillage(ctx, a, code)
	if err != nil {
		return "", err
	}
	if !s.canWriteGroup(ctx, a, v.Code) {
		return "", counsel.ErrForbidden
	}
	old := ""
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, err := groupOf(ctx, tx, v.Code)
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return counsel.Invalid(counsel.FieldError{Field: "photo", Key: "pub.err_group_first"})
		}
		if err != nil {
			return err
		}
		old = before.QRFile
		at := s.Now().UnixMilli()
		if err := SetGroupQR(ctx, tx, v.Code, file, at); err != nil {
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
func (s *Service) Register(ctx context.Context, a *counsel.Actor, region string, p counsel.Page) (registry.List[RegisterRow], error) {
	f := registry.BaseFilter(a)
	if region != "" {
		if !counsel.ValidCode(region) {
			return registry.List[RegisterRow]{}, counsel.ErrNotFound
		}
		if authz.Regional(a) && !authz.CanReadRegion(a, region) {
			return registry.List[RegisterRow]{}, counsel.ErrNotFound
		}
		f.Region = region
	}
	f.Page = p
	items, total, err := register(ctx, s.DB, f)
	return registry.ListOf(items, total, p), err
}

// TownBoards returns the boards of every village of a town (or of one
// village), for printing their service cards in one go: regional readers
// of the town (admin, bureaus, its judicial office).
func (s *Service) TownBoards(ctx context.Context, a *counsel.Actor, code string) ([]*Board, error) {
	switch a.Role {
	case counsel.RoleAdmin, counsel.RoleBureau, counsel.RoleJudicial:
	default:
		return nil, counsel.ErrForbidden
	}
	lv := counsel.LevelOf(code)
	if (lv != counsel.LevelTown && lv != counsel.LevelVillage) || !authz.CanReadRegion(a, code) {
		return nil, counsel.ErrNotFound
	}
	var vs []counsel.Region
	if lv == counsel.LevelVillage {
		v, err := registry.Region(ctx, s.DB, code)
		if err != nil {
			return nil, counsel.ErrNotFound
		}
		vs = []counsel.Region{*v}
	} else {
		var err error
		if vs, err = registry.Villages(ctx, s.DB, code); err != nil {
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
