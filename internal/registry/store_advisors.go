package registry

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const advisorCols = `a.id, a.provider_id, a.kind, a.name, a.gender, a.licence_no, a.phone, a.wechat, a.photo, a.home_code, a.active, a.created_at, a.updated_at,
	p.name, p.county_code,
	(SELECT COUNT(*) FROM agreements g WHERE g.advisor_id = a.id AND g.status IN ` + store.LiveStatuses + ` AND NOT g.packaged)`

const advisorFrom = ` FROM advisors a JOIN providers p ON p.id = a.provider_id`

func scanAdvisor(sc interface{ Scan(...any) error }) (*counsel.Advisor, error) {
	var a counsel.Advisor
	err := sc.Scan(&a.ID, &a.ProviderID, &a.Kind, &a.Name, &a.Gender, &a.LicenceNo, &a.Phone, &a.WeChat, &a.Photo, &a.HomeCode, &a.Active, &a.CreatedAt, &a.UpdatedAt,
		&a.ProviderName, &a.CountyCode, &a.Villages)
	return &a, store.MapErr(err)
}

// CreateAdvisor inserts an advisor and sets its ID.
func CreateAdvisor(ctx context.Context, tx *store.Tx, a *counsel.Advisor) error {
	a.CreatedAt, a.UpdatedAt = store.Now(), store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO advisors (provider_id, kind, name, gender, licence_no, phone, wechat, photo, home_code, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ProviderID, a.Kind, a.Name, a.Gender, a.LicenceNo, a.Phone, a.WeChat, a.Photo, a.HomeCode, a.Active, a.CreatedAt, a.UpdatedAt)
	a.ID = id
	return err
}

// UpdateAdvisor saves an advisor's fields.
func UpdateAdvisor(ctx context.Context, tx *store.Tx, a *counsel.Advisor) error {
	a.UpdatedAt = store.Now()
	res, err := tx.Exec(ctx, `UPDATE advisors SET provider_id = ?, kind = ?, name = ?, gender = ?, licence_no = ?, phone = ?, wechat = ?, photo = ?, home_code = ?, active = ?, updated_at = ? WHERE id = ?`,
		a.ProviderID, a.Kind, a.Name, a.Gender, a.LicenceNo, a.Phone, a.WeChat, a.Photo, a.HomeCode, a.Active, a.UpdatedAt, a.ID)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// Advisor returns one advisor with its provider's name and county.
func Advisor(ctx context.Context, db store.Q, id int64) (*counsel.Advisor, error) {
	return scanAdvisor(db.Row(ctx, `SELECT `+advisorCols+advisorFrom+` WHERE a.id = ?`, id))
}

// AdvisorByIdentity finds an advisor of a provider by name and phone.
func AdvisorByIdentity(ctx context.Context, db store.Q, providerID int64, name, phone string) (*counsel.Advisor, error) {
	return scanAdvisor(db.Row(ctx, `SELECT `+advisorCols+advisorFrom+` WHERE a.provider_id = ? AND a.name = ? AND a.phone = ?`, providerID, name, phone))
}

func advisorWhere(f counsel.Filter) store.Where {
	var w store.Where
	w.InRange("p.county_code", f.Scope)
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("a.id = ?", f.AdvisorID)
	}
	if f.Kind != "" {
		w.Add("a.kind = ?", f.Kind)
	}
	if f.Q != "" {
		w.Add(`(a.name LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\' OR a.licence_no LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q), store.Like(f.Q))
	}
	if f.Region != "" {
		cond, args := servedByRegion("a.id", f.Region)
		w.Add(cond, args...)
	}
	return w
}

// servedByRegion restricts advisors to those with a live agreement in a region subtree.
func servedByRegion(col, region string) (string, []any) {
	lo, hi := counsel.CodeRange(region)
	return "EXISTS (SELECT 1 FROM agreements ra WHERE ra.advisor_id = " + col + " AND ra.status IN " + store.LiveStatuses + " AND ra.region_code BETWEEN ? AND ?)", []any{lo, hi}
}

// Advisors lists advisors matching f and the total count.
func Advisors(ctx context.Context, db store.Q, f counsel.Filter) ([]counsel.Advisor, int, error) {
	w := advisorWhere(f)
	total, err := db.Count(ctx, `SELECT COUNT(*)`+advisorFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := db.Query(ctx, `SELECT `+advisorCols+advisorFrom+w.String()+` ORDER BY p.name, a.name, a.id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Advisor
	for rows.Next() {
		a, err := scanAdvisor(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *a)
	}
	return out, total, store.MapErr(rows.Err())
}

// AdvisorLoad counts the villages an advisor serves at once, at the busiest
// moment of the term start..end, under live village agreements other than
// except (0 for none): agreements that ended before start or begin after end
// do not count, nor do two that follow each other within the term. Town-wide
// packaged agreements bind the provider's team, not one advisor, and do not
// count.
func AdvisorLoad(ctx context.Context, db store.Q, advisorID, except int64, start, end string) (int, error) {
	rows, err := db.Query(ctx, `SELECT start_date, end_date FROM agreements WHERE advisor_id = ? AND id <> ? AND status IN `+store.LiveStatuses+` AND NOT packaged
		AND start_date <= ? AND (end_date = '' OR end_date >= ?)`, advisorID, except, end, start)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var terms []termSpan
	for rows.Next() {
		var t termSpan
		if err := rows.Scan(&t.from, &t.to); err != nil {
			return 0, store.MapErr(err)
		}
		terms = append(terms, t)
	}
	if err := rows.Err(); err != nil {
		return 0, store.MapErr(err)
	}
	return maxOverlap(terms, start), nil
}

// termSpan is an agreement's term (dates YYYY-MM-DD; to "" is open).
type termSpan struct{ from, to string }

// maxOverlap returns how many of terms (each overlapping the new term, which
// begins on start) are in force together at the busiest day: the count is
// highest on some term's first day within the new term.
func maxOverlap(terms []termSpan, start string) int {
	best := 0
	for _, t := range terms {
		day := t.from
		if day < start {
			day = start
		}
		n := 0
		for _, u := range terms {
			if u.from <= day && (u.to == "" || u.to >= day) {
				n++
			}
		}
		if n > best {
			best = n
		}
	}
	return best
}
