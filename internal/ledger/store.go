package ledger

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

const entryFrom = ` FROM entries e JOIN advisors a ON a.id = e.advisor_id JOIN regions r ON r.code = e.village_code`

func entryWhere(f EntryFilter, engine string) store.Where {
	return entryWhereFor(f, false, engine, false)
}

// entryWhereFor builds the conditions of f. ordered is for a page read in
// (service_date, id) order: a scope of a county or above then filters rows
// the date index yields instead of steering the planner to the village index
// (which would sort every entry of the scope for one page).
//
// dense is for a text search that matches many entries, read in date order:
// each row is tested with LIKE (a page's worth is found within a few hundred
// rows) instead of listing every match through the text index first.
func entryWhereFor(f EntryFilter, ordered bool, engine string, dense bool) store.Where {
	var w store.Where
	if ordered && f.Scope != "" && counsel.LevelOf(f.Scope) <= counsel.LevelCounty {
		lo, hi := counsel.CodeRange(f.Scope)
		w.Add("(e.village_code || '') BETWEEN ? AND ?", lo, hi)
	} else {
		w.InRange("e.village_code", f.Scope)
	}
	if f.Village != "" {
		w.Add("e.village_code = ?", f.Village)
	}
	if f.ProviderID > 0 {
		w.Add("e.provider_id = ?", f.ProviderID)
	}
	if f.AdvisorID > 0 {
		w.Add("e.advisor_id = ?", f.AdvisorID)
	}
	if f.MatterID > 0 {
		w.Add("e.matter_id = ? AND e.matter_id > 0", f.MatterID) // the partial index entries_matter
	}
	if f.Kind != "" {
		w.Add("e.kind = ?", f.Kind)
	}
	if f.Status != "" {
		w.Add("e.status = ?", f.Status)
	}
	if f.From != "" {
		w.Add("e.service_date >= ?", f.From)
	}
	if f.To != "" {
		w.Add("e.service_date <= ?", f.To)
	}
	if f.Q != "" {
		cond, args := textCond(engine, f.Q, dense)
		w.Add(cond, args...)
	}
	return w
}

// ShortScan is how many of the newest entries a query too short for the
// full-text index (one or two characters on SQLite, one on PostgreSQL)
// searches: the scan is bounded.
const ShortScan = 200000

// textCond is the condition of a text search: the entry's content or place
// contains q (through the engine's full-text index), or its village's or
// advisor's name does.
func textCond(engine, q string, dense bool) (string, []any) {
	q = strings.ToLower(strings.TrimSpace(q))
	like := store.Like(q)
	names := `e.village_code IN (SELECT code FROM regions WHERE name LIKE ? ESCAPE '\') OR e.advisor_id IN (SELECT id FROM advisors WHERE name LIKE ? ESCAPE '\')`
	lower := "e.content LIKE ? ESCAPE '\\' OR e.place LIKE ? ESCAPE '\\'"
	if engine == store.Postgres {
		lower = "LOWER(e.content) LIKE ? ESCAPE '\\' OR LOWER(e.place) LIKE ? ESCAPE '\\'"
	}
	if dense {
		return `(` + lower + ` OR ` + names + `)`, []any{like, like, like, like}
	}
	n := utf8.RuneCountInString(q)
	if engine == store.SQLite && n >= 3 {
		return `(e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?) OR ` + names + `)`,
			[]any{`"` + strings.ReplaceAll(q, `"`, `""`) + `"`, like, like}
	}
	if grams := bigrams(q); engine == store.Postgres && len(grams) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(grams)), ",")
		args := make([]any, 0, len(grams)+4)
		for _, g := range grams {
			args = append(args, g)
		}
		args = append(args, like, like, like, like)
		return `((counsel_bigrams(e.content || ' ' || e.place) @> ARRAY[` + ph + `]::text[] AND (LOWER(e.content) LIKE ? ESCAPE '\' OR LOWER(e.place) LIKE ? ESCAPE '\')) OR ` + names + `)`, args
	}
	return `((` + lower + `) AND e.id > (SELECT COALESCE(MAX(id), 0) FROM entries) - ` + strconv.Itoa(ShortScan) + ` OR ` + names + `)`,
		[]any{like, like, like, like}
}

// bigrams are the distinct pairs of adjacent characters of s without white
// space, as counsel_bigrams (migration 15) makes them on PostgreSQL.
func bigrams(s string) []string {
	r := []rune(s)
	seen := map[string]bool{}
	var out []string
	for i := 0; i+1 < len(r); i++ {
		if unicode.IsSpace(r[i]) || unicode.IsSpace(r[i+1]) {
			continue
		}
		g := string(r[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

func prefixedEntryCols() string { return prefixedCols }

// prefixedCols are entryCols with the table alias "e.".
var prefixedCols = func() string {
	fs := strings.Split(entryCols, ",")
	for i, f := range fs {
		fs[i] = "e." + strings.TrimSpace(f)
	}
	return strings.Join(fs, ", ")
}()

// EntryPage is one page of entries with the cursors of its neighbours and
// the total: exact up to store.CountCap, else Capped.
type EntryPage struct {
	Items      []counsel.Entry
	Total      int
	Capped     bool
	Next, Prev string
}

// entryKey is an entry's place in the list order.
func entryKey(e counsel.Entry) store.SeekKey { return store.SeekKey{Key: e.Date, ID: e.ID} }

// Entries lists one page of entries matching f (see EntriesPage) and the
// total, exact up to store.CountCap.
func Entries(ctx context.Context, c store.Q, f EntryFilter) ([]counsel.Entry, int, error) {
	p, err := EntriesPage(ctx, c, f)
	return p.Items, p.Total, err
}

// EntriesPage lists entries matching f, newest service date first (ties by
// id, newest first), one page by cursor (f.After, f.Before) or from the top.
func EntriesPage(ctx context.Context, c store.Q, f EntryFilter) (EntryPage, error) {
	cw := entryWhere(f, store.EngineOf(c))
	from := " FROM entries e" // every condition is on the entries
	total, capped, err := store.CountUpTo(ctx, c, `SELECT 1`+from+cw.String(), store.CountCap, cw.Args()...)
	if err != nil {
		return EntryPage{}, err
	}
	// A search matching few entries reads them through the text index and
	// sorts them; one matching many walks the date index.
	few := f.Q != "" && !capped
	items, next, prev, err := store.SeekPage(f.Page, "e.service_date", "e.id", counsel.ValidDate, entryKey, entryReader(ctx, c, f, few))
	if items == nil {
		items = []counsel.Entry{}
	}
	return EntryPage{Items: items, Total: total, Capped: capped, Next: next, Prev: prev}, err
}

// EachEntry calls fn for every entry Entries would list, in its order,
// reading by pages of 1,000 (for exports).
func EachEntry(ctx context.Context, c store.Q, f EntryFilter, fn func(counsel.Entry) error) error {
	return store.SeekEach(1000, "e.service_date", "e.id", entryKey, entryReader(ctx, c, f, false), fn)
}

// entryReader reads pages of entries in list order. few sorts the rows the
// conditions select instead of walking the date index (for a search that
// matches few entries: the text index finds them).
func entryReader(ctx context.Context, c store.Q, f EntryFilter, few bool) store.SeekRead[counsel.Entry] {
	return func(cond string, args []any, asc bool, limit, offset int) ([]counsel.Entry, error) {
		w := entryWhereFor(f, true, store.EngineOf(c), f.Q != "" && !few)
		if cond != "" {
			w.Add(cond, args...)
		}
		key := "e.service_date"
		if few {
			key = "(e.service_date || '')" // not the index: sort what the text index found
		}
		order := ` ORDER BY ` + key + ` DESC, e.id DESC`
		if asc {
			order = ` ORDER BY ` + key + `, e.id`
		}
		return entryRows(ctx, c, `SELECT `+prefixedEntryCols()+`, a.name, r.name,
		COALESCE((SELECT MAX(n.id) FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0), 0)`+entryFrom+w.String()+
			order+` LIMIT ? OFFSET ?`, append(w.Args(), limit, offset)...)
	}
}

// VolumeEntries lists a scope's entries in a date range in chain order (for
// volumes and reports): by village, then seq.
func VolumeEntries(ctx context.Context, c store.Q, f EntryFilter) ([]counsel.Entry, error) {
	w := entryWhere(f, store.EngineOf(c))
	return entryRows(ctx, c, `SELECT `+prefixedEntryCols()+`, a.name, r.name,
		COALESCE((SELECT MAX(n.id) FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0), 0)`+entryFrom+w.String()+
		` ORDER BY e.village_code, e.seq`, w.Args()...)
}

// CountEntries counts the entries matching f (for bounding a volume).
func CountEntries(ctx context.Context, c store.Q, f EntryFilter) (int, error) {
	w := entryWhere(f, store.EngineOf(c))
	return c.Count(ctx, `SELECT COUNT(*) FROM entries e`+w.String(), w.Args()...)
}

func entryRows(ctx context.Context, c store.Q, q string, args ...any) ([]counsel.Entry, error) {
	rows, err := c.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []counsel.Entry
	for rows.Next() {
		var an, vn string
		var by int64
		e, err := scanEntry(rows, &an, &vn, &by)
		if err != nil {
			return nil, store.MapErr(err)
		}
		e.AdvisorName, e.VillageName, e.AmendedBy = an, vn, by
		out = append(out, *e)
	}
	return out, store.MapErr(rows.Err())
}

// Entry returns one entry with its context.
func Entry(ctx context.Context, c store.Q, id int64) (*counsel.Entry, error) {
	var an, vn string
	var by int64
	e, err := scanEntry(c.Row(ctx, `SELECT `+prefixedEntryCols()+`, a.name, r.name,
		COALESCE((SELECT MAX(n.id) FROM entries n WHERE n.amends_id = e.id AND n.amends_id > 0), 0)`+entryFrom+` WHERE e.id = ?`, id), &an, &vn, &by)
	if err != nil {
		return nil, store.MapErr(err)
	}
	e.AdvisorName, e.VillageName, e.AmendedBy = an, vn, by
	return e, nil
}

// EntryByClientKey returns the entry an account recorded with a client key
// (a retried submission), or not found.
func EntryByClientKey(ctx context.Context, c store.Q, createdBy int64, key string) (*counsel.Entry, error) {
	e, err := scanEntry(c.Row(ctx, `SELECT `+entryCols+` FROM entries WHERE created_by = ? AND client_key = ?`, createdBy, key))
	return e, store.MapErr(err)
}

// Amended reports whether an entry has been amended by a later one.
func Amended(ctx context.Context, c store.Q, id int64) (bool, error) {
	n, err := c.Count(ctx, `SELECT COUNT(*) FROM entries WHERE amends_id = ? AND amends_id > 0`, id)
	return n > 0, err
}

// ChainProblem is the first fault found in a village's chain.
type ChainProblem struct {
	Village     string `json:"village"`
	VillageName string `json:"village_name,omitempty"` // filled by the service
	Seq         int64  `json:"seq"`                    // where the chain breaks
	EntryID     int64  `json:"entry_id"`               // the row found there (0 if none)
	// edited, deleted, reordered, head (the head row missing or not at the
	// chain's end);
	// review_edited (a confirmation or dispute
	// changed, or set without its seal), review_deleted (a review removed,
	// e.g. an entry reset to pending).
	Kind   string `json:"kind"`
	Detail string `json:"detail"`
}

// VerifyResult sums up a chain verification.
type VerifyResult struct {
	Villages int            `json:"villages"`
	Entries  int            `json:"entries"`
	Reviews  int            `json:"reviews"`
	Problems []ChainProblem `json:"problems"` // at most one per village
}

// villageCheck is the verification state of one village's volume.
type villageCheck struct {
	head          chainHead
	hasHead       bool
	seq           int64  // last good entry
	hash          string // its hash
	broken, found bool
	reviews       []*counsel.Entry // reviewed entries, checked in review order
}

type chainHead struct {
	village    string
	seq        int64
	hash       string
	reviewSeq  int64
	reviewHash string
}

// VerifyChains re-computes every entry's hash in scope ("" = all) in chain
// order and reports, per village, the first entry that was edited, deleted
// or reordered, or a chain that does not end at its recorded head; then it
// checks the village's review chain the same way (see Entry.ReviewSeal).
// Heads and entries are read in one snapshot (a read transaction), so what
// is recorded meanwhile cannot pass for tampering, nor tampering for it.
func VerifyChains(ctx context.Context, db *store.DB, scope string) (*VerifyResult, error) {
	var res *VerifyResult
	err := db.Snapshot(ctx, func(q store.Q) (err error) {
		res, err = verifyChains(ctx, q, scope)
		return err
	})
	return res, err
}

func verifyChains(ctx context.Context, c store.Q, scope string) (*VerifyResult, error) {
	var w store.Where
	w.InRange("village_code", scope)
	hr, err := c.Query(ctx, `SELECT village_code, seq, hash, review_seq, review_hash FROM chain_heads`+w.String(), w.Args()...)
	if err != nil {
		return nil, err
	}
	checks := map[string]*villageCheck{}
	for hr.Next() {
		var h chainHead
		if err := hr.Scan(&h.village, &h.seq, &h.hash, &h.reviewSeq, &h.reviewHash); err != nil {
			hr.Close()
			return nil, store.MapErr(err)
		}
		checks[h.village] = &villageCheck{head: h, hasHead: true, hash: counsel.GenesisHash}
	}
	hr.Close()
	if err := hr.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	res := &VerifyResult{}
	finish := func(v *villageCheck) {
		defer func() { v.reviews = nil }()
		if v.broken {
			return
		}
		p := ChainProblem{Village: v.head.village}
		switch {
		case !v.hasHead:
			p.Seq, p.Kind, p.Detail = 1, "head", "the village's chain head is missing"
		case v.seq < v.head.seq:
			p.Seq, p.Kind, p.Detail = v.seq+1, "deleted", "the chain ends before its recorded head"
		case v.seq > v.head.seq:
			p.Seq, p.Kind, p.Detail = v.head.seq+1, "head", "entries after the recorded head (added outside the service)"
		case v.seq > 0 && v.hash != v.head.hash:
			p.Seq, p.Kind, p.Detail = v.seq, "head", "the last entry does not match the recorded head"
		}
		if p.Kind != "" {
			res.Problems = append(res.Problems, p)
			return
		}
		n, rp := checkReviews(v.reviews, v.head.reviewSeq, v.head.reviewHash)
		res.Reviews += n
		if rp != nil {
			rp.Village = v.head.village
			res.Problems = append(res.Problems, *rp)
		}
	}
	rows, err := c.Query(ctx, `SELECT `+entryCols+` FROM entries`+w.String()+` ORDER BY village_code, seq`, w.Args()...)
	if err != nil {
		return nil, err
	}
	var cur *villageCheck
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return nil, store.MapErr(err)
		}
		if cur == nil || e.VillageCode != cur.head.village {
			if cur != nil {
				finish(cur)
			}
			if cur = checks[e.VillageCode]; cur == nil {
				cur = &villageCheck{head: chainHead{village: e.VillageCode}, hash: counsel.GenesisHash}
				checks[e.VillageCode] = cur
			}
			cur.found = true
			res.Villages++
		}
		res.Entries++
		if cur.broken {
			continue
		}
		p := ChainProblem{Village: e.VillageCode, Seq: e.Seq, EntryID: e.ID}
		switch {
		case e.Seq > cur.seq+1:
			p.Kind, p.Seq, p.Detail = "deleted", cur.seq+1, "missing entries before this one"
		case e.PrevHash != cur.hash:
			p.Kind, p.Detail = "reordered", "prev_hash does not link to the previous entry"
		case e.ChainHash() != e.Hash:
			p.Kind, p.Detail = "edited", "content does not match its hash"
		}
		if p.Kind != "" {
			res.Problems = append(res.Problems, p)
			cur.broken = true
			continue
		}
		cur.seq, cur.hash = e.Seq, e.Hash
		if e.Status != counsel.EntryPending || e.ReviewSeq != 0 || e.ReviewHash != "" {
			cur.reviews = append(cur.reviews, e)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	if cur != nil {
		finish(cur)
	}
	// Whole chains deleted: a head with no entries.
	var gone []string
	for v, vc := range checks {
		if !vc.found && (vc.head.seq > 0 || vc.head.reviewSeq > 0) {
			gone = append(gone, v)
		}
	}
	sort.Strings(gone)
	for _, v := range gone {
		res.Problems = append(res.Problems, ChainProblem{Village: v, Seq: 1, Kind: "deleted", Detail: "the chain ends before its recorded head"})
	}
	return res, nil
}

// checkReviews checks a village's reviewed entries against its review head
// (headSeq, headHash): seals 1..headSeq, each linking to the one before and
// matching its entry's review fields. It returns how many it checked and
// the first problem.
func checkReviews(es []*counsel.Entry, headSeq int64, headHash string) (int, *ChainProblem) {
	sort.Slice(es, func(i, j int) bool { return es[i].ReviewSeq < es[j].ReviewSeq })
	prev, seq := counsel.GenesisHash, int64(0)
	for _, e := range es {
		p := &ChainProblem{Seq: e.Seq, EntryID: e.ID}
		switch {
		case e.Status == counsel.EntryPending || e.ReviewSeq == 0:
			p.Kind, p.Detail = "review_edited", "the review fields were changed without a review"
		case e.ReviewSeq > headSeq:
			p.Kind, p.Detail = "review_edited", "a review number past the village's recorded review head"
		case e.ReviewSeq > seq+1:
			p.Kind, p.Detail = "review_deleted", fmt.Sprintf("review %d of the village is missing (an entry was reset to pending or its review removed)", seq+1)
		case e.ReviewSeq <= seq:
			p.Kind, p.Detail = "review_edited", "two entries carry the same review number"
		case e.ReviewSeal(prev) != e.ReviewHash:
			p.Kind, p.Detail = "review_edited", "the confirmation or dispute does not match its seal"
		}
		if p.Kind != "" {
			return int(seq), p
		}
		prev, seq = e.ReviewHash, e.ReviewSeq
	}
	if seq != headSeq || headSeq > 0 && prev != headHash {
		return int(seq), &ChainProblem{Kind: "review_deleted", Detail: fmt.Sprintf("the village's reviews end at %d, its head records %d", seq, headSeq)}
	}
	return int(seq), nil
}

// ---- kinds and policies ----

// LedgerKind is a service kind a county added to the dictionary.
type LedgerKind struct {
	Region string `json:"region_code"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// LedgerKinds returns the added kinds binding a region (set on it or an ancestor).
func LedgerKinds(ctx context.Context, c store.Q, region string) ([]LedgerKind, error) {
	codes := []any{}
	for _, a := range chain(region) {
		codes = append(codes, a)
	}
	rows, err := c.Query(ctx, `SELECT region_code, code, name, name_en FROM ledger_kinds WHERE region_code IN (`+strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",")+`) ORDER BY created_at, code`, codes...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerKind
	for rows.Next() {
		var k LedgerKind
		if err := rows.Scan(&k.Region, &k.Code, &k.Name, &k.NameEN); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, k)
	}
	return out, store.MapErr(rows.Err())
}

// AllLedgerKinds returns every kind any region added, by code (the first
// added wins when two regions chose the same code).
func AllLedgerKinds(ctx context.Context, c store.Q) (map[string]LedgerKind, error) {
	rows, err := c.Query(ctx, `SELECT region_code, code, name, name_en FROM ledger_kinds ORDER BY created_at, region_code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]LedgerKind{}
	for rows.Next() {
		var k LedgerKind
		if err := rows.Scan(&k.Region, &k.Code, &k.Name, &k.NameEN); err != nil {
			return nil, store.MapErr(err)
		}
		if _, ok := out[k.Code]; !ok {
			out[k.Code] = k
		}
	}
	return out, store.MapErr(rows.Err())
}

// AddLedgerKind adds a kind to a region's dictionary.
func AddLedgerKind(ctx context.Context, tx *store.Tx, k LedgerKind, at int64) error {
	_, err := tx.Exec(ctx, `INSERT INTO ledger_kinds (region_code, code, name, name_en, created_at) VALUES (?,?,?,?,?)`, k.Region, k.Code, k.Name, k.NameEN, at)
	return err
}

// PolicyBodies returns the stored policy layers (region → JSON body) of the
// given regions.
func PolicyBodies(ctx context.Context, c store.Q) (map[string]string, error) {
	rows, err := c.Query(ctx, `SELECT region_code, body FROM policies`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var r, b string
		if err := rows.Scan(&r, &b); err != nil {
			return nil, store.MapErr(err)
		}
		out[r] = b
	}
	return out, store.MapErr(rows.Err())
}

// SavePolicy stores (body != "") or removes a region's policy layer.
func SavePolicy(ctx context.Context, tx *store.Tx, region, body string, at int64) error {
	if body == "" {
		_, err := tx.Exec(ctx, `DELETE FROM policies WHERE region_code = ?`, region)
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO policies (region_code, body, updated_at) VALUES (?,?,?)
		ON CONFLICT (region_code) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, region, body, at)
	return err
}
