package public

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// The public side's SQL: board settings (boards), judicial offices
// (offices), the group register (wechat_groups) and the pinyin index of the
// village search (region_pinyin). Regions, agreements and advisors are read
// for names only.

// boardSettings returns a village's board settings, the zero settings when none.
func boardSettings(ctx context.Context, q store.Q, village string) (*BoardSettings, error) {
	b := &BoardSettings{VillageCode: village}
	err := q.Row(ctx, `SELECT onsite_hours, updated_at FROM boards WHERE village_code = ?`, village).Scan(&b.OnsiteHours, &b.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return b, nil
	}
	return b, store.MapErr(err)
}

// saveBoard inserts or updates a village's board settings.
func saveBoard(ctx context.Context, tx *store.Tx, b *BoardSettings) error {
	b.UpdatedAt = store.Now()
	_, err := tx.Exec(ctx, `INSERT INTO boards (village_code, onsite_hours, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (village_code) DO UPDATE SET onsite_hours = excluded.onsite_hours, updated_at = excluded.updated_at`,
		b.VillageCode, b.OnsiteHours, b.UpdatedAt)
	return err
}

// officeOf returns a town's judicial office; not found when none is kept.
func officeOf(ctx context.Context, q store.Q, town string) (*Office, error) {
	o := &Office{TownCode: town}
	err := q.Row(ctx, `SELECT name, phone, address, updated_at FROM offices WHERE town_code = ?`, town).Scan(&o.Name, &o.Phone, &o.Address, &o.UpdatedAt)
	return o, store.MapErr(err)
}

// saveOffice inserts or updates a town's judicial office.
func saveOffice(ctx context.Context, tx *store.Tx, o *Office) error {
	o.UpdatedAt = store.Now()
	_, err := tx.Exec(ctx, `INSERT INTO offices (town_code, name, phone, address, updated_at) VALUES (?, ?, ?, ?, ?)
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
	return &g, store.MapErr(err)
}

// groupOf returns a village's service WeChat group; not found when none.
func groupOf(ctx context.Context, q store.Q, village string) (*WeChatGroup, error) {
	return scanGroup(q.Row(ctx, `SELECT `+groupCols+groupFrom+` WHERE w.village_code = ?`, village))
}

// SaveWeChatGroup inserts or updates a village's group register entry,
// keeping its QR image (see SetGroupQR). It checks nothing: the rules are
// Service.SaveWeChatGroup's (tests set fixtures with it).
func SaveWeChatGroup(ctx context.Context, tx *store.Tx, g *WeChatGroup) error {
	t := store.Now()
	if g.CreatedAt == 0 {
		g.CreatedAt = t
	}
	g.UpdatedAt = t
	m := g.Members
	_, err := tx.Exec(ctx, `INSERT INTO wechat_groups (village_code, name, admin_advisor_id, admin_nickname, members_advisor, members_assistant,
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
// It checks nothing: the rules are Service.SetGroupQR's.
func SetGroupQR(ctx context.Context, tx *store.Tx, village, file string, at int64) error {
	res, err := tx.Exec(ctx, `UPDATE wechat_groups SET qr_file = ?, qr_uploaded_at = ?, updated_at = ? WHERE village_code = ?`, file, at, store.Now(), village)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return store.MapErr(err)
	}
	if n == 0 {
		return counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	}
	return nil
}

// register lists the villages of f.Scope and f.Region (and, with f.ProviderID
// or f.AdvisorID, only those they serve under a live agreement) with their
// board settings, their advisor (of a live agreement) and their WeChat
// group, by code.
func register(ctx context.Context, db *store.DB, f counsel.Filter) ([]RegisterRow, int, error) {
	var w store.Where
	w.InRange("v.code", f.Scope)
	w.InRange("v.code", f.Region)
	w.Add("v.level = ?", counsel.LevelVillage)
	if f.ProviderID > 0 || f.AdvisorID > 0 {
		cond, args := store.ServedBy("v.code", f.ProviderID, f.AdvisorID)
		w.Add(cond, args...)
	}
	p := f.Page
	total, err := db.Count(ctx, `SELECT COUNT(*) FROM regions v`+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p = p.Clamp()
	rows, err := db.Query(ctx, `SELECT v.code, v.name, v.level, v.parent_code, v.kind, v.underdeveloped, v.remote, COALESCE(t.name, ''),
		COALESCE(b.onsite_hours, ''), COALESCE(w.village_code, ''), `+groupCols+`
		FROM regions v LEFT JOIN regions t ON t.code = v.parent_code
		LEFT JOIN boards b ON b.village_code = v.code
		LEFT JOIN wechat_groups w ON w.village_code = v.code LEFT JOIN advisors a ON a.id = w.admin_advisor_id`+w.String()+`
		ORDER BY v.code LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
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
			return nil, 0, store.MapErr(err)
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
		return nil, 0, store.MapErr(err)
	}
	rows.Close()
	// The advisor of each village's live agreement (few rows per page).
	for i := range out {
		ag, err := registry.LiveAgreementFor(ctx, db, out[i].Village.Code)
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

// groupQRsDue lists the villages under a live agreement (their own or a
// packaged town one) whose group QR image was uploaded at or before cutoff
// (unix ms; such an image has expired) or is missing.
func groupQRsDue(ctx context.Context, q store.Q, cutoff int64) ([]qrDue, error) {
	rows, err := q.Query(ctx, `SELECT v.code, v.name, g.advisor_id, CASE WHEN w.village_code IS NULL THEN 0 ELSE 1 END, COALESCE(w.qr_uploaded_at, 0)
		FROM agreements g JOIN regions v ON v.level = 5 AND (v.code = g.region_code OR (g.packaged AND v.parent_code = g.region_code))
		LEFT JOIN wechat_groups w ON w.village_code = v.code
		WHERE g.status IN `+store.LiveStatuses+` AND (w.village_code IS NULL OR w.qr_file = '' OR w.qr_uploaded_at <= ?)
		ORDER BY v.code, CASE g.status WHEN 'filed' THEN 0 WHEN 'signed' THEN 1 ELSE 2 END, g.packaged, g.start_date DESC`, cutoff)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []qrDue
	for rows.Next() {
		var d qrDue
		var has int
		if err := rows.Scan(&d.VillageCode, &d.VillageName, &d.AdvisorID, &has, &d.QRUploadedAt); err != nil {
			return nil, store.MapErr(err)
		}
		d.HasGroup = has == 1
		if n := len(out); n > 0 && out[n-1].VillageCode == d.VillageCode {
			continue // the first row is the village's preferred agreement
		}
		out = append(out, d)
	}
	return out, store.MapErr(rows.Err())
}

// searchVillages finds villages (only villages) whose name contains q, whose
// code is q, or, when py is not empty, whose pinyin or pinyin initials
// contain py; at most limit of them, by code.
func searchVillages(ctx context.Context, db store.Q, q, py string, limit int) ([]VillageHit, error) {
	var w store.Where
	w.Add("v.level = ?", counsel.LevelVillage)
	cond := `(v.name LIKE ? ESCAPE '\' OR v.name_key LIKE ? ESCAPE '\' OR v.code = ?`
	args := []any{store.Like(q), store.Like(counsel.NameKey(q)), q}
	// Names that start with what was typed come first.
	rank := `CASE WHEN v.name LIKE ? ESCAPE '\' THEN 0`
	rankArgs := []any{likePrefix(q)}
	if py != "" {
		cond += ` OR p.full_pinyin LIKE ? ESCAPE '\' OR p.initials LIKE ? ESCAPE '\'`
		args = append(args, store.Like(py), store.Like(py))
		rank += ` WHEN p.full_pinyin LIKE ? ESCAPE '\' OR p.initials LIKE ? ESCAPE '\' THEN 0`
		rankArgs = append(rankArgs, likePrefix(py), likePrefix(py))
	}
	w.Add(cond+")", args...)
	rows, err := db.Query(ctx, `SELECT v.code, v.name, COALESCE(t.name, ''), COALESCE(k.name, '')
		FROM regions v LEFT JOIN region_pinyin p ON p.code = v.code
		LEFT JOIN regions t ON t.code = v.parent_code LEFT JOIN regions k ON k.code = t.parent_code`+w.String()+`
		ORDER BY `+rank+` ELSE 1 END, v.code LIMIT ?`, append(append(w.Args(), rankArgs...), limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VillageHit
	for rows.Next() {
		var h VillageHit
		if err := rows.Scan(&h.Code, &h.Name, &h.TownName, &h.CountyName); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, h)
	}
	return out, store.MapErr(rows.Err())
}

// likePrefix escapes s for a LIKE pattern matching what starts with it.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(strings.TrimSpace(s)) + "%"
}

// villagesWithoutPinyin lists up to limit villages whose pinyin is missing
// or was made from another name.
func villagesWithoutPinyin(ctx context.Context, q store.Q, limit int) ([]counsel.Region, error) {
	rows, err := q.Query(ctx, `SELECT v.code, v.name, v.level, v.parent_code, v.kind, v.underdeveloped, v.remote
		FROM regions v LEFT JOIN region_pinyin p ON p.code = v.code
		WHERE v.level = 5 AND (p.code IS NULL OR p.name <> v.name) ORDER BY v.code LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Region
	for rows.Next() {
		var r counsel.Region
		if err := rows.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, &r.Kind, &r.Underdeveloped, &r.Remote); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, r)
	}
	return out, store.MapErr(rows.Err())
}

// savePinyin inserts or replaces villages' pinyin.
func savePinyin(ctx context.Context, tx *store.Tx, ps []regionPinyin) error {
	for _, p := range ps {
		if _, err := tx.Exec(ctx, `INSERT INTO region_pinyin (code, name, full_pinyin, initials) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO UPDATE SET name = excluded.name, full_pinyin = excluded.full_pinyin, initials = excluded.initials`,
			p.Code, p.Name, p.Full, p.Initials); err != nil {
			return err
		}
	}
	return nil
}
