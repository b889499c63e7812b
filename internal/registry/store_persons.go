package registry

// The rows of legal-literate persons and 1+N pairings (counsel.Person,
// counsel.Pairing) that the registry shares with internal/pairing:
// the 附件1 import creates and matches them, the account home page counts
// them and the village read rule looks for a served village's persons. The
// rest of the 1+N SQL (pairing updates, activity records, the 1+N rule's
// counts, pairing details) lives in internal/pairing.

import (
	"context"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const personCols = `x.id, x.village_code, x.name, x.gender, x.position, x.committee, x.phone, x.photo, x.training, x.status, x.status_on, x.reason, x.created_at, x.updated_at, r.name`

const personFrom = ` FROM persons x JOIN regions r ON r.code = x.village_code`

func scanPerson(sc interface{ Scan(...any) error }) (*counsel.Person, error) {
	var p counsel.Person
	err := sc.Scan(&p.ID, &p.VillageCode, &p.Name, &p.Gender, &p.Position, &p.Committee, &p.Phone, &p.Photo, &p.Training, &p.Status, &p.StatusOn, &p.Reason, &p.CreatedAt, &p.UpdatedAt, &p.VillageName)
	return &p, store.MapErr(err)
}

// CreatePerson inserts a legal-literate person and sets its ID.
func CreatePerson(ctx context.Context, tx *store.Tx, p *counsel.Person) error {
	p.CreatedAt, p.UpdatedAt = store.Now(), store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO persons (village_code, name, gender, position, committee, phone, photo, training, status, status_on, reason, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.VillageCode, p.Name, p.Gender, p.Position, p.Committee, p.Phone, p.Photo, p.Training, p.Status, p.StatusOn, p.Reason, p.CreatedAt, p.UpdatedAt)
	p.ID = id
	return err
}

// UpdatePerson saves a person's fields.
func UpdatePerson(ctx context.Context, tx *store.Tx, p *counsel.Person) error {
	p.UpdatedAt = store.Now()
	res, err := tx.Exec(ctx, `UPDATE persons SET village_code = ?, name = ?, gender = ?, position = ?, committee = ?, phone = ?, photo = ?, training = ?, status = ?, status_on = ?, reason = ?, updated_at = ? WHERE id = ?`,
		p.VillageCode, p.Name, p.Gender, p.Position, p.Committee, p.Phone, p.Photo, p.Training, p.Status, p.StatusOn, p.Reason, p.UpdatedAt, p.ID)
	if err != nil {
		return err
	}
	return store.MustAffect(res)
}

// Person returns one person.
func Person(ctx context.Context, db store.Q, id int64) (*counsel.Person, error) {
	return scanPerson(db.Row(ctx, `SELECT `+personCols+personFrom+` WHERE x.id = ?`, id))
}

// PersonByIdentity finds a person of a village by name and phone.
func PersonByIdentity(ctx context.Context, db store.Q, village, name, phone string) (*counsel.Person, error) {
	return scanPerson(db.Row(ctx, `SELECT `+personCols+personFrom+` WHERE x.village_code = ? AND x.name = ? AND x.phone = ?`, village, name, phone))
}

// Persons lists persons matching f and the total count.
func Persons(ctx context.Context, db store.Q, f counsel.Filter) ([]counsel.Person, int, error) {
	var w store.Where
	w.InRange("x.village_code", f.Scope)
	w.InRange("x.village_code", f.Region)
	if f.ProviderID > 0 || f.AdvisorID > 0 {
		cond, args := store.ServedBy("x.village_code", f.ProviderID, f.AdvisorID)
		w.Add(cond, args...)
	}
	if f.Status != "" {
		w.Add("x.status = ?", f.Status)
	}
	if f.Q != "" {
		w.Add(`(x.name LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\' OR x.position LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q), store.Like(f.Q))
	}
	total, err := db.Count(ctx, `SELECT COUNT(*)`+personFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page.Clamp()
	rows, err := db.Query(ctx, `SELECT `+personCols+personFrom+w.String()+` ORDER BY x.village_code, x.name, x.id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Person
	for rows.Next() {
		x, err := scanPerson(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *x)
	}
	return out, total, store.MapErr(rows.Err())
}

const pairingCols = `q.id, q.advisor_id, q.person_id, q.village_code, q.paired_on, q.ended_on, q.evaluation, q.remarks, q.created_at, a.name, x.name, r.name, x.committee, x.status`

const pairingFrom = ` FROM pairings q JOIN advisors a ON a.id = q.advisor_id JOIN persons x ON x.id = q.person_id JOIN regions r ON r.code = q.village_code`

func scanPairing(sc interface{ Scan(...any) error }) (*counsel.Pairing, error) {
	var q counsel.Pairing
	err := sc.Scan(&q.ID, &q.AdvisorID, &q.PersonID, &q.VillageCode, &q.PairedOn, &q.EndedOn, &q.Evaluation, &q.Remarks, &q.CreatedAt, &q.AdvisorName, &q.PersonName, &q.VillageName, &q.Committee, &q.PersonStatus)
	return &q, store.MapErr(err)
}

// CreatePairing inserts a pairing and sets its ID.
func CreatePairing(ctx context.Context, tx *store.Tx, q *counsel.Pairing) error {
	q.CreatedAt = store.Now()
	id, err := tx.Insert(ctx, `INSERT INTO pairings (advisor_id, person_id, village_code, paired_on, ended_on, evaluation, remarks, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		q.AdvisorID, q.PersonID, q.VillageCode, q.PairedOn, q.EndedOn, q.Evaluation, q.Remarks, q.CreatedAt)
	q.ID = id
	return err
}

// Pairing returns one pairing.
func Pairing(ctx context.Context, db store.Q, id int64) (*counsel.Pairing, error) {
	return scanPairing(db.Row(ctx, `SELECT `+pairingCols+pairingFrom+` WHERE q.id = ?`, id))
}

// PairingOf finds the pairing of an advisor and a person.
func PairingOf(ctx context.Context, db store.Q, advisorID, personID int64) (*counsel.Pairing, error) {
	return scanPairing(db.Row(ctx, `SELECT `+pairingCols+pairingFrom+` WHERE q.advisor_id = ? AND q.person_id = ?`, advisorID, personID))
}

// Pairings lists pairings matching f (all of them, ordered for the 附件1 table).
func Pairings(ctx context.Context, db store.Q, f counsel.Filter) ([]counsel.Pairing, int, error) {
	var w store.Where
	w.InRange("q.village_code", f.Scope)
	w.InRange("q.village_code", f.Region)
	if f.ProviderID > 0 {
		w.Add("a.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("q.advisor_id = ?", f.AdvisorID)
	}
	if f.Status == "current" {
		w.Add("q.ended_on = ''")
	}
	if f.Q != "" {
		w.Add(`(a.name LIKE ? ESCAPE '\' OR x.name LIKE ? ESCAPE '\' OR r.name LIKE ? ESCAPE '\')`, store.Like(f.Q), store.Like(f.Q), store.Like(f.Q))
	}
	total, err := db.Count(ctx, `SELECT COUNT(*)`+pairingFrom+w.String(), w.Args()...)
	if err != nil {
		return nil, 0, err
	}
	p := f.Page
	if p.Limit <= 0 {
		p.Limit = 1 << 30
	}
	rows, err := db.Query(ctx, `SELECT `+pairingCols+pairingFrom+w.String()+` ORDER BY q.village_code, a.name, q.advisor_id, x.name, q.id LIMIT ? OFFSET ?`, append(w.Args(), p.Limit, p.Offset)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []counsel.Pairing
	for rows.Next() {
		q, err := scanPairing(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *q)
	}
	return out, total, store.MapErr(rows.Err())
}
