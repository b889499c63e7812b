package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/villagecounsel/counsel"
)

// BoardSettings are what a village's public board (公示栏, R31) keeps of its
// own; everything else on a board comes from the registry.
type BoardSettings struct {
	VillageCode string `json:"village_code"`
	OnsiteHours string `json:"onsite_hours"` // 驻点时间, e.g. 每周三上午
	UpdatedAt   int64  `json:"updated_at"`
}

// Office is a town's judicial office (司法所) as its villages' boards show
// it: the supervising department and its public phone.
type Office struct {
	TownCode  string `json:"town_code"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	UpdatedAt int64  `json:"updated_at"`
}

// GroupMembers counts a service WeChat group's members by role (R34).
type GroupMembers struct {
	Advisor        int `json:"advisor"`        // 结对律师 (法律顾问)
	Assistant      int `json:"assistant"`      // 律师助理
	Committee      int `json:"committee"`      // 村(居)两委成员
	Mediation      int `json:"mediation"`      // 调委会成员
	Party          int `json:"party"`          // 党员
	Representative int `json:"representative"` // 村(居)民代表
	Judicial       int `json:"judicial"`       // 司法所工作人员
}

// Total is the number of members counted.
func (m GroupMembers) Total() int {
	return m.Advisor + m.Assistant + m.Committee + m.Mediation + m.Party + m.Representative + m.Judicial
}

// WeChatGroup is a village's service WeChat group (村(居)结对律师服务微信群).
type WeChatGroup struct {
	VillageCode    string       `json:"village_code"`
	Name           string       `json:"name"`
	AdminAdvisorID int64        `json:"admin_advisor_id"`
	AdminNickname  string       `json:"admin_nickname"` // the group owner's WeChat name (real name)
	Members        GroupMembers `json:"members"`
	QRFile         string       `json:"-"`
	QRUploadedAt   int64        `json:"qr_uploaded_at"`
	CreatedAt      int64        `json:"created_at"`
	UpdatedAt      int64        `json:"updated_at"`

	// Read-only, filled by queries.
	AdminName string `json:"admin_name,omitempty"`
}

// Board returns a village's board settings, the zero settings when none.
func (c *conn) Board(ctx context.Context, village string) (*BoardSettings, error) {
	b := &BoardSettings{VillageCode: village}
	err := c.row(ctx, `SELECT onsite_hours, updated_at FROM boards WHERE village_code = ?`, village).Scan(&b.OnsiteHours, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil
	}
	return b, mapErr(err)
}

// SaveBoard inserts or updates a village's board settings.
func (tx *Tx) SaveBoard(ctx context.Context, b *BoardSettings) error {
	b.UpdatedAt = now()
	_, err := tx.exec(ctx, `INSERT INTO boards (village_code, onsite_hours, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (village_code) DO UPDATE SET onsite_hours = excluded.onsite_hours, updated_at = excluded.updated_at`,
		b.VillageCode, b.OnsiteHours, b.UpdatedAt)
	return err
}

// Office returns a town's judicial office; not found when none is kept.
func (c *conn) Office(ctx context.Context, town string) (*Office, error) {
	o := &Office{TownCode: town}
	err := c.row(ctx, `SELECT name, phone, address, updated_at FROM offices WHERE town_code = ?`, town).Scan(&o.Name, &o.Phone, &o.Address, &o.UpdatedAt)
	return o, mapErr(err)
}

// SaveOffice inserts or updates a town's judicial office.
func (tx *Tx) SaveOffice(ctx context.Context, o *Office) error {
	o.UpdatedAt = now()
	_, err := tx.exec(ctx, `INSERT INTO offices (town_code, name, phone, address, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (town_code) DO UPDATE SET name = excluded.name, phone = excluded.phone, address = excluded.address, updated_at = excluded.updated_at`,
		o.TownCode, o.Name, o.Phone, o.Address, o.UpdatedAt)
	return err
}

const groupCols = `w.village_code, w.name, w.admin_advisor_id, w.admin_nickname, w.members_advisor, w.members_assistant, w.members_committee,
	w.members_mediation, w.members_party, w.members_representative, w.members_judicial, w.qr_file, w.qr_uploaded_at, w.created_at, w.updated_at,
	COALESCE(a.name, '')`

const groupFrom = ` FROM wechat_groups w LEFT JOIN advisors a ON a.id = w.admin_advisor_id`

func scanGroup(sc interface{ Scan(...any) error }) (*WeChatGroup, error) {
	var g WeChatGroup
	m := &g.Members
	err := sc.Scan(&g.VillageCode, &g.Name, &g.AdminAdvisorID, &g.AdminNickname, &m.Advisor, &m.Assistant, &m.Committee,
		&m.Mediation, &m.Party, &m.Representative, &m.Judicial, &g.QRFile, &g.QRUploadedAt, &g.CreatedAt, &g.UpdatedAt, &g.AdminName)
	return &g, mapErr(err)
}

// WeChatGroup returns a village's service WeChat group; not found when none.
func (c *conn) WeChatGroup(ctx context.Context, village string) (*WeChatGroup, error) {
	return scanGroup(c.row(ctx, `SELECT `+groupCols+groupFrom+` WHERE w.village_code = ?`, village))
}

// SaveWeChatGroup inserts or updates a village's group register entry,
// keeping its QR image (see SetGroupQR).
func (tx *Tx) SaveWeChatGroup(ctx context.Context, g *WeChatGroup) error {
	t := now()
	if g.CreatedAt == 0 {
		g.CreatedAt = t
	}
	g.UpdatedAt = t
	m := g.Members
	_, err := tx.exec(ctx, `INSERT INTO wechat_groups (village_code, name, admin_advisor_id, admin_nickname, members_advisor, members_assistant,
		members_committee, members_mediation, members_party, members_representative, members_judicial, qr_file, qr_uploaded_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0, ?, ?)
		ON CONFLICT (village_code) DO UPDATE SET name = excluded.name, admin_advisor_id = excluded.admin_advisor_id,
		admin_nickname = excluded.admin_nickname, members_advisor = excluded.members_advisor, members_assistant = excluded.members_assistant,
		members_committee = excluded.members_committee, members_mediation = excluded.members_mediation, members_party = excluded.members_party,
		members_representative = excluded.members_representative, members_judicial = excluded.members_judicial, updated_at = excluded.updated_at`,
		g.VillageCode, g.Name, g.AdminAdvisorID, g.AdminNickname, m.Advisor, m.Assistant, m.Committee, m.Mediation, m.Party, m.Representative, m.Judicial,
		g.CreatedAt, g.UpdatedAt)
	return err
}

// SetGroupQR records a group's newly uploaded QR image (file "" removes it).
func (tx *Tx) SetGroupQR(ctx context.Context, village, file string, at int64) error {
	res, err := tx.exec(ctx, `UPDATE wechat_groups SET qr_file = ?, qr_uploaded_at = ?, updated_at = ? WHERE village_code = ?`, file, at, now(), village)
	if err != nil {
		return err
	}
	return mustAffect(res)
}

// RegisterRow is one village of the board and group register.
type RegisterRow struct {
	Village     counsel.Region `json:"village"`
	TownName    string         `json:"town_name"`
	OnsiteHours string         `json:"onsite_hours"`
	AdvisorID   int64          `json:"advisor_id"` // of the live agreement, 0 when none
	AdvisorName string         `json:"advisor_name"`
	Group       *WeChatGroup   `json:"group"`
}

// Register lists the villages of f.Scope and f.Region (and, with f.ProviderID
// or f.AdvisorID, only those they serve under a live agreement) with their
// board settings, their advisor (of a live agreement) and their WeChat
// group, by code.
func (c *conn) Register(ctx context.Context, f Filter) ([]RegisterRow, int, error) {
	var w where
	w.inRange("v.code", f.Scope)
	w.inRange("v.code", f.Region)
	w.add("v.level = ?", counsel.LevelVillage)
	if f.ProviderID > 0 || f.AdvisorID > 0 {
		cond, args := servedBy("v.code", f.ProviderID, f.AdvisorID)
		w.add(cond, args...)
	}
	p := f.Page
	total, err := c.count(ctx, `SELECT COUNT(*) FROM regions v`+w.String(), w.args...)
	if err != nil {
		return nil, 0, err
	}
	p = p.Clamp()
	rows, err := c.query(ctx, `SELECT v.code, v.name, v.level, v.parent_code, v.kind, v.underdeveloped, v.remote, COALESCE(t.name, ''),
		COALESCE(b.onsite_hours, ''), COALESCE(w.village_code, ''), `+groupCols+`
		FROM regions v LEFT JOIN regions t ON t.code = v.parent_code
		LEFT JOIN boards b ON b.village_code = v.code
		LEFT JOIN wechat_groups w ON w.village_code = v.code LEFT JOIN advisors a ON a.id = w.admin_advisor_id`+w.String()+`
		ORDER BY v.code LIMIT ? OFFSET ?`, append(w.args, p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []RegisterRow
	for rows.Next() {
		var r RegisterRow
		var has string
		var g WeChatGroup
		var gv sql.NullString
		var gn, gnick, gqr, gadmin sql.NullString
		var gid, gqrat, gc, gu sql.NullInt64
		var m [7]sql.NullInt64
		v := &r.Village
		if err := rows.Scan(&v.Code, &v.Name, &v.Level, &v.ParentCode, &v.Kind, &v.Underdeveloped, &v.Remote, &r.TownName, &r.OnsiteHours, &has,
			&gv, &gn, &gid, &gnick, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &m[6], &gqr, &gqrat, &gc, &gu, &gadmin); err != nil {
			return nil, 0, mapErr(err)
		}
		if has != "" {
			mem := GroupMembers{int(m[0].Int64), int(m[1].Int64), int(m[2].Int64), int(m[3].Int64), int(m[4].Int64), int(m[5].Int64), int(m[6].Int64)}
			g = WeChatGroup{VillageCode: gv.String, Name: gn.String, AdminAdvisorID: gid.Int64, AdminNickname: gnick.String, Members: mem,
				QRFile: gqr.String, QRUploadedAt: gqrat.Int64, CreatedAt: gc.Int64, UpdatedAt: gu.Int64, AdminName: gadmin.String}
			r.Group = &g
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, mapErr(err)
	}
	rows.Close()
	// The advisor of each village's live agreement (few rows per page).
	for i := range out {
		ag, err := c.LiveAgreementFor(ctx, out[i].Village.Code)
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		out[i].AdvisorID, out[i].AdvisorName = ag.AdvisorID, ag.AdvisorName
	}
	return out, total, nil
}

// QRDue is a village served under a live agreement whose service WeChat
// group has no QR image in force: no group, no image, or an expired one.
type QRDue struct {
	VillageCode  string
	VillageName  string
	AdvisorID    int64 // the advisor of the live agreement
	HasGroup     bool
	QRUploadedAt int64 // 0 when there never was an image
}

// GroupQRsDue lists the villages under a live agreement (their own or a
// packaged town one) whose group QR image was uploaded at or before cutoff
// (unix ms; such an image has expired) or is missing.
func (c *conn) GroupQRsDue(ctx context.Context, cutoff int64) ([]QRDue, error) {
	rows, err := c.query(ctx, `SELECT v.code, v.name, g.advisor_id, CASE WHEN w.village_code IS NULL THEN 0 ELSE 1 END, COALESCE(w.qr_uploaded_at, 0)
		FROM agreements g JOIN regions v ON v.level = 5 AND (v.code = g.region_code OR (g.packaged AND v.parent_code = g.region_code))
		LEFT JOIN wechat_groups w ON w.village_code = v.code
		WHERE g.status IN `+liveStatuses+` AND (w.village_code IS NULL OR w.qr_file = '' OR w.qr_uploaded_at <= ?)
		ORDER BY v.code, CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END, g.packaged, g.start_date DESC`, cutoff)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QRDue
	for rows.Next() {
		var d QRDue
		var has int
		if err := rows.Scan(&d.VillageCode, &d.VillageName, &d.AdvisorID, &has, &d.QRUploadedAt); err != nil {
			return nil, mapErr(err)
		}
		d.HasGroup = has == 1
		if n := len(out); n > 0 && out[n-1].VillageCode == d.VillageCode {
			continue // the first row is the village's preferred agreement
		}
		out = append(out, d)
	}
	return out, mapErr(rows.Err())
}

// VillageHit is a village found by the public search, with the names of its
// town and county.
type VillageHit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	TownName   string `json:"town_name"`
	CountyName string `json:"county_name"`
}

// SearchVillages finds villages (only villages) whose name contains q, whose
// code is q, or, when py is not empty, whose pinyin or pinyin initials
// contain py; at most limit of them, by code.
func (c *conn) SearchVillages(ctx context.Context, q, py string, limit int) ([]VillageHit, error) {
	var w where
	w.add("v.level = ?", counsel.LevelVillage)
	cond := `(v.name LIKE ? ESCAPE '\' OR v.name_key LIKE ? ESCAPE '\' OR v.code = ?`
	args := []any{like(q), like(counsel.NameKey(q)), q}
	// Names that start with what was typed come first.
	rank := `CASE WHEN v.name LIKE ? ESCAPE '\' THEN 0`
	rankArgs := []any{likePrefix(q)}
	if py != "" {
		cond += ` OR p.full_pinyin LIKE ? ESCAPE '\' OR p.initials LIKE ? ESCAPE '\'`
		args = append(args, like(py), like(py))
		rank += ` WHEN p.full_pinyin LIKE ? ESCAPE '\' OR p.initials LIKE ? ESCAPE '\' THEN 0`
		rankArgs = append(rankArgs, likePrefix(py), likePrefix(py))
	}
	w.add(cond+")", args...)
	rows, err := c.query(ctx, `SELECT v.code, v.name, COALESCE(t.name, ''), COALESCE(k.name, '')
		FROM regions v LEFT JOIN region_pinyin p ON p.code = v.code
		LEFT JOIN regions t ON t.code = v.parent_code LEFT JOIN regions k ON k.code = t.parent_code`+w.String()+`
		ORDER BY `+rank+` ELSE 1 END, v.code LIMIT ?`, append(append(w.args, rankArgs...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VillageHit
	for rows.Next() {
		var h VillageHit
		if err := rows.Scan(&h.Code, &h.Name, &h.TownName, &h.CountyName); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, h)
	}
	return out, mapErr(rows.Err())
}

// likePrefix escapes s for a LIKE pattern matching what starts with it.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(strings.TrimSpace(s)) + "%"
}

// RegionPinyin is the pinyin of a village's name for the search: variants
// (for characters with more than one reading) separated by spaces.
type RegionPinyin struct {
	Code     string
	Name     string
	Full     string
	Initials string
}

// VillagesWithoutPinyin lists up to limit villages whose pinyin is missing
// or was made from another name.
func (c *conn) VillagesWithoutPinyin(ctx context.Context, limit int) ([]counsel.Region, error) {
	return c.regions(ctx, `SELECT v.code, v.name, v.level, v.parent_code, v.kind, v.underdeveloped, v.remote
		FROM regions v LEFT JOIN region_pinyin p ON p.code = v.code
		WHERE v.level = 5 AND (p.code IS NULL OR p.name <> v.name) ORDER BY v.code LIMIT ?`, limit)
}

// SavePinyin inserts or replaces villages' pinyin.
func (tx *Tx) SavePinyin(ctx context.Context, ps []RegionPinyin) error {
	if len(ps) == 0 {
		return nil
	}
	stmt, err := tx.tx.PrepareContext(ctx, tx.rebind(`INSERT INTO region_pinyin (code, name, full_pinyin, initials) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_pinyin = excluded.full_pinyin, initials = excluded.initials`))
	if err != nil {
		return mapErr(err)
	}
	defer stmt.Close()
	for _, p := range ps {
		if _, err := stmt.ExecContext(ctx, p.Code, p.Name, p.Full, p.Initials); err != nil {
			return mapErr(err)
		}
	}
	return nil
}
