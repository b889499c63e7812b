package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// Obligation is one rule binding an entry's village under its agreement's
// term: what the compliance counters are kept for.
type Obligation struct {
	Rule      policy.Rule
	TermStart string
	TermEnd   string
}

const entryCols = `id, village_code, seq, advisor_id, provider_id, agreement_id, matter_id, amends_id, kind, mode,
	service_date, start_time, minutes, place, served, attendees, content, result, photos, client_key,
	created_by, created_at, prev_hash, hash, status, review_note, reviewed_by, reviewed_at, review_seq, review_hash`

func scanEntry(sc interface{ Scan(...any) error }, extra ...any) (*counsel.Entry, error) {
	var e counsel.Entry
	dst := []any{&e.ID, &e.VillageCode, &e.Seq, &e.AdvisorID, &e.ProviderID, &e.AgreementID, &e.MatterID, &e.AmendsID,
		&e.Kind, &e.Mode, &e.Date, &e.StartTime, &e.Minutes, &e.Place, &e.Served, &e.Attendees, &e.Content,
		&e.Result, &e.Photos, &e.ClientKey, &e.CreatedBy, &e.CreatedAt, &e.PrevHash, &e.Hash, &e.Status,
		&e.ReviewNote, &e.ReviewedBy, &e.ReviewedAt, &e.ReviewSeq, &e.ReviewHash}
	if err := sc.Scan(append(dst, extra...)...); err != nil {
		return nil, err
	}
	return &e, nil
}

// AppendEntry appends e to its village's chain (setting ID, Seq, PrevHash,
// Hash) and counts it under the obligations. The caller has validated e and
// checked who may record it. The chain head and obligation rows are kept in
// the transaction and written once at commit (see Flush).
func AppendEntry(ctx context.Context, tx *store.Tx, e *counsel.Entry, obls []Obligation) error {
	h, err := headOf(ctx, tx, e.VillageCode)
	if err != nil {
		return err
	}
	e.Seq, e.PrevHash = h.seq+1, h.hash
	if e.Status == "" {
		e.Status = counsel.EntryPending
	}
	e.Hash = e.ChainHash()
	if r := accOf(tx).root(); len(r.ids) > 0 {
		e.ID, r.ids = r.ids[0], r.ids[1:]
		a := accOf(tx)
		a.entries = append(a.entries, *e)
		a.heads[e.VillageCode] = &head{seq: e.Seq, hash: e.Hash, dirty: true}
		return CountEntry(ctx, tx, e, obls, 1)
	}
	id, err := tx.Insert(ctx, `INSERT INTO entries (village_code, seq, advisor_id, provider_id, agreement_id, matter_id, amends_id,
		kind, mode, service_date, start_time, minutes, place, served, attendees, content, result, photos, client_key,
		created_by, created_at, prev_hash, hash, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.VillageCode, e.Seq, e.AdvisorID, e.ProviderID, e.AgreementID, e.MatterID, e.AmendsID, e.Kind, e.Mode,
		e.Date, e.StartTime, e.Minutes, e.Place, e.Served, e.Attendees, e.Content, e.Result, e.Photos, e.ClientKey,
		e.CreatedBy, e.CreatedAt, e.PrevHash, e.Hash, e.Status)
	if err != nil {
		return err
	}
	e.ID = id
	accOf(tx).heads[e.VillageCode] = &head{seq: e.Seq, hash: e.Hash, dirty: true}
	return CountEntry(ctx, tx, e, obls, 1)
}

// head is a village chain's head as this transaction sees it.
type head struct {
	seq   int64
	hash  string
	dirty bool // changed in this transaction
}

// headOf returns the village chain's head: from this transaction if it has
// appended to the village already, else from the database — creating it and,
// on PostgreSQL, locking it until the transaction ends (SQLite has one
// writer anyway).
func headOf(ctx context.Context, tx *store.Tx, village string) (head, error) {
	for a := accOf(tx); a != nil; a = a.parent {
		if h, ok := a.heads[village]; ok {
			return *h, nil
		}
	}
	q := `SELECT seq, hash FROM chain_heads WHERE village_code = ?`
	if tx.Engine() == store.Postgres {
		q += ` FOR UPDATE`
	}
	var h head
	err := tx.Row(ctx, q, village).Scan(&h.seq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.Exec(ctx, `INSERT INTO chain_heads (village_code, seq, hash) VALUES (?, 0, ?) ON CONFLICT (village_code) DO NOTHING`, village, counsel.GenesisHash); err != nil {
			return h, err
		}
		err = tx.Row(ctx, q, village).Scan(&h.seq, &h.hash)
	}
	if err != nil {
		return h, store.MapErr(err)
	}
	accOf(tx).heads[village] = &head{seq: h.seq, hash: h.hash}
	return h, nil
}

// CountEntry adds (sign 1) or removes (sign -1) e from the counters: services
// by region, month and kind, and the obligation rows it qualifies for. All
// of it is accumulated in the transaction and written once (see Flush).
func CountEntry(ctx context.Context, tx *store.Tx, e *counsel.Entry, obls []Obligation, sign int) error {
	acc := accOf(tx)
	onsite := e.Mode == policy.ModeOnsite
	acc.addStats(e.VillageCode, e.Month(), e.Kind, sign, e.Minutes, onsite)
	return CountObligations(ctx, tx, e, obls, sign)
}

// CountObligations adds (sign 1) or removes (sign -1) e from the obligation
// rows it qualifies for, leaving the service counters alone.
func CountObligations(ctx context.Context, tx *store.Tx, e *counsel.Entry, obls []Obligation, sign int) error {
	pe := policy.Entry{Date: e.Date, Kind: e.Kind, Mode: e.Mode, Minutes: e.Minutes}
	for _, o := range obls {
		if !policy.Qualifies(o.Rule, pe) || e.Date < o.TermStart || (o.TermEnd != "" && e.Date > o.TermEnd) {
			continue
		}
		per, ok := policy.PeriodOf(o.Rule.Period, e.Date)
		if !ok {
			continue
		}
		if err := bumpCompliance(ctx, tx, e, o, per, sign); err != nil {
			return err
		}
	}
	return nil
}

// rowKey names an obligation row.
type rowKey struct{ village, rule, start string }

// compRow is an obligation row as this transaction sees it.
type compRow struct {
	end, kind              string
	advisorID, agreementID int64
	cnt, mins, need, needM int
	met, inDB, dirty       bool
}

// rowOf returns a copy of an obligation row from this transaction or the
// database; ok is false when it does not exist yet.
func rowOf(ctx context.Context, tx *store.Tx, k rowKey) (compRow, bool, error) {
	for a := accOf(tx); a != nil; a = a.parent {
		if r, ok := a.rows[k]; ok {
			return *r, true, nil
		}
	}
	r := compRow{inDB: true}
	err := tx.Row(ctx, `SELECT period_end, period_kind, advisor_id, agreement_id, cnt, minutes, need, need_minutes, met FROM compliance
		WHERE village_code = ? AND rule_id = ? AND period_start = ?`, k.village, k.rule, k.start).
		Scan(&r.end, &r.kind, &r.advisorID, &r.agreementID, &r.cnt, &r.mins, &r.need, &r.needM, &r.met)
	if errors.Is(err, sql.ErrNoRows) {
		return compRow{}, false, nil
	}
	if err != nil {
		return r, false, store.MapErr(err)
	}
	return r, true, nil
}

func bumpCompliance(ctx context.Context, tx *store.Tx, e *counsel.Entry, o Obligation, per policy.Period, sign int) error {
	k := rowKey{e.VillageCode, o.Rule.ID, per.Start}
	r, exists, err := rowOf(ctx, tx, k)
	if err != nil {
		return err
	}
	wasMet := r.met
	r.end, r.kind = per.End, per.Kind
	r.need, r.needM, _ = policy.Need(o.Rule, per, o.TermStart, o.TermEnd)
	r.advisorID, r.agreementID = e.AdvisorID, e.AgreementID
	r.cnt += sign
	r.mins += sign * e.Minutes
	r.met = r.cnt >= r.need && r.mins >= r.needM
	r.dirty = true
	accOf(tx).rows[k] = &r
	dRules, dMet := 0, 0
	if !exists {
		dRules = 1
		if r.met {
			dMet = 1
		}
	} else if r.met != wasMet {
		dMet = -1
		if r.met {
			dMet = 1
		}
	}
	if dRules != 0 || dMet != 0 {
		accOf(tx).addCompliance(e.VillageCode, per, dRules, dMet)
	}
	return nil
}

// EnsureCompliance creates the compliance row of a village, obligation and
// period with nothing counted yet (so the village counts as due), unless it
// exists. It reports whether it created one.
func EnsureCompliance(ctx context.Context, tx *store.Tx, village string, advisorID, agreementID int64, o Obligation, per policy.Period) (bool, error) {
	need, needMin, _ := policy.Need(o.Rule, per, o.TermStart, o.TermEnd)
	res, err := tx.Exec(ctx, `INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id,
		agreement_id, cnt, minutes, need, need_minutes, met) VALUES (?,?,?,?,?,?,?,0,0,?,?,FALSE)
		ON CONFLICT (village_code, rule_id, period_start) DO NOTHING`,
		village, o.Rule.ID, per.Start, per.End, per.Kind, advisorID, agreementID, need, needMin)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		accOf(tx).addCompliance(village, per, 1, 0)
	}
	return n > 0, nil
}

// ---- accumulated region counters ----

type statKey struct{ region, month, kind string }
type statVal struct{ entries, minutes, onsiteEntries, onsiteMinutes int64 }
type compKey struct{ region, kind, start string }
type compVal struct {
	end        string
	rules, met int64
}

// ledgerAcc holds the ledger changes of a transaction until it commits:
// chain heads, obligation rows and region counters. In a group commit each
// write gets its own, whose parent is the group's; it is merged into the
// parent when the write succeeds and dropped when it fails.
type ledgerAcc struct {
	parent *ledgerAcc
	stats  map[statKey]*statVal
	comp   map[compKey]*compVal
	heads  map[string]*head
	rows   map[rowKey]*compRow
	audits []*counsel.AuditEntry
	// entries are deferred rows (PostgreSQL group commit only), written
	// at commit under ids reserved beforehand (see ReserveEntryIDs; the
	// root holds them).
	entries []counsel.Entry
	ids     []int64
}

func newAcc() *ledgerAcc {
	return &ledgerAcc{stats: map[statKey]*statVal{}, comp: map[compKey]*compVal{}, heads: map[string]*head{}, rows: map[rowKey]*compRow{}}
}

// accKey names the ledger's part of a transaction (see store.Tx.Part).
type accKey struct{}

func newPart() store.Accumulator { return newAcc() }

// accOf returns the transaction's ledger part, made on first use.
func accOf(tx *store.Tx) *ledgerAcc { return tx.Part(accKey{}, newPart).(*ledgerAcc) }

// root is the part of the whole transaction (a group's, not one write's).
func (a *ledgerAcc) root() *ledgerAcc {
	for a.parent != nil {
		a = a.parent
	}
	return a
}

// Fork returns a child for one write of a group commit (see store.Accumulator).
func (a *ledgerAcc) Fork() store.Accumulator {
	c := newAcc()
	c.parent = a
	return c
}

// Merge folds a write's child into a.
func (a *ledgerAcc) Merge(child store.Accumulator) { a.merge(child.(*ledgerAcc)) }

// chain returns the village and its ancestors.
func chain(village string) []string { return append(counsel.Ancestors(village), village) }

func (a *ledgerAcc) addStats(village, month, kind string, sign, minutes int, onsite bool) {
	for _, r := range chain(village) {
		k := statKey{r, month, kind}
		v := a.stats[k]
		if v == nil {
			v = &statVal{}
			a.stats[k] = v
		}
		v.entries += int64(sign)
		v.minutes += int64(sign * minutes)
		if onsite {
			v.onsiteEntries += int64(sign)
			v.onsiteMinutes += int64(sign * minutes)
		}
	}
}

func (a *ledgerAcc) addCompliance(village string, per policy.Period, rules, met int) {
	for _, r := range chain(village) {
		k := compKey{r, per.Kind, per.Start}
		v := a.comp[k]
		if v == nil {
			v = &compVal{end: per.End}
			a.comp[k] = v
		}
		v.rules += int64(rules)
		v.met += int64(met)
	}
}

func (a *ledgerAcc) merge(b *ledgerAcc) {
	a.audits = append(a.audits, b.audits...)
	a.entries = append(a.entries, b.entries...)
	for k, v := range b.heads {
		a.heads[k] = v
	}
	for k, v := range b.rows {
		a.rows[k] = v
	}
	for k, v := range b.stats {
		w := a.stats[k]
		if w == nil {
			w = &statVal{}
			a.stats[k] = w
		}
		w.entries += v.entries
		w.minutes += v.minutes
		w.onsiteEntries += v.onsiteEntries
		w.onsiteMinutes += v.onsiteMinutes
	}
	for k, v := range b.comp {
		w := a.comp[k]
		if w == nil {
			w = &compVal{end: v.end}
			a.comp[k] = w
		}
		w.rules += v.rules
		w.met += v.met
	}
}

// The accumulated rows to write, each kind in the one order every
// transaction writes (and, on PostgreSQL, locks) them in.

func (a *ledgerAcc) dirtyHeads() []string {
	hv := make([]string, 0, len(a.heads))
	for v, h := range a.heads {
		if h.dirty {
			hv = append(hv, v)
		}
	}
	sort.Strings(hv)
	return hv
}

func (a *ledgerAcc) dirtyRows() []rowKey {
	rk := make([]rowKey, 0, len(a.rows))
	for k, r := range a.rows {
		if r.dirty {
			rk = append(rk, k)
		}
	}
	sort.Slice(rk, func(i, j int) bool {
		if rk[i].village != rk[j].village {
			return rk[i].village < rk[j].village
		}
		if rk[i].rule != rk[j].rule {
			return rk[i].rule < rk[j].rule
		}
		return rk[i].start < rk[j].start
	})
	return rk
}

func (a *ledgerAcc) changedStats() []statKey {
	sk := make([]statKey, 0, len(a.stats))
	for k, v := range a.stats {
		if *v != (statVal{}) {
			sk = append(sk, k)
		}
	}
	sort.Slice(sk, func(i, j int) bool {
		if sk[i].region != sk[j].region {
			return regionBefore(sk[i].region, sk[j].region)
		}
		if sk[i].month != sk[j].month {
			return sk[i].month < sk[j].month
		}
		return sk[i].kind < sk[j].kind
	})
	return sk
}

func (a *ledgerAcc) changedComp() []compKey {
	ck := make([]compKey, 0, len(a.comp))
	for k, v := range a.comp {
		if v.rules != 0 || v.met != 0 {
			ck = append(ck, k)
		}
	}
	sort.Slice(ck, func(i, j int) bool {
		if ck[i].region != ck[j].region {
			return regionBefore(ck[i].region, ck[j].region)
		}
		if ck[i].kind != ck[j].kind {
			return ck[i].kind < ck[j].kind
		}
		return ck[i].start < ck[j].start
	})
	return ck
}

// regionBefore orders counter rows for writing: deepest level first, then by
// code. Every transaction locks rows in this one order (so concurrent
// PostgreSQL transactions cannot deadlock), and the rows most writers share
// — the province's, the cities' — are locked last, just before the commit,
// so they are held as briefly as possible.
func regionBefore(a, b string) bool {
	la, lb := counsel.LevelOf(a), counsel.LevelOf(b)
	if la != lb {
		return la > lb
	}
	return a < b
}

// Flush writes what the transaction accumulated: chain heads, obligation
// rows, region counters and deferred audit entries, each kind in a few
// multi-row statements (see store.Tx.ExecRows) and in a stable order, so concurrent
// PostgreSQL transactions lock rows alike.
func (a *ledgerAcc) Flush(ctx context.Context, tx *store.Tx) error {
	if tx.Engine() == store.Postgres {
		return flushPG(ctx, tx, a)
	}
	var rows [][]any
	hv := a.dirtyHeads()
	for _, v := range hv {
		rows = append(rows, []any{v, a.heads[v].seq, a.heads[v].hash})
	}
	if err := tx.ExecRows(ctx, `INSERT INTO chain_heads (village_code, seq, hash) VALUES `, `(?,?,?)`,
		` ON CONFLICT (village_code) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, rows); err != nil {
		return fmt.Errorf("chain head: %w", err)
	}
	rk := a.dirtyRows()
	rows = rows[:0]
	for _, k := range rk {
		r := a.rows[k]
		rows = append(rows, []any{k.village, k.rule, k.start, r.end, r.kind, r.advisorID, r.agreementID, r.cnt, r.mins, r.need, r.needM, r.met})
	}
	if err := tx.ExecRows(ctx, `INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id,
		agreement_id, cnt, minutes, need, need_minutes, met) VALUES `, `(?,?,?,?,?,?,?,?,?,?,?,?)`,
		` ON CONFLICT (village_code, rule_id, period_start) DO UPDATE SET cnt = excluded.cnt, minutes = excluded.minutes,
		need = excluded.need, need_minutes = excluded.need_minutes, met = excluded.met, advisor_id = excluded.advisor_id,
		agreement_id = excluded.agreement_id`, rows); err != nil {
		return fmt.Errorf("compliance: %w", err)
	}
	sk := a.changedStats()
	rows = rows[:0]
	for _, k := range sk {
		v := a.stats[k]
		rows = append(rows, []any{k.region, k.month, k.kind, counsel.ParentOf(k.region), v.entries, v.minutes, v.onsiteEntries, v.onsiteMinutes})
	}
	if err := tx.ExecRows(ctx, `INSERT INTO ledger_stats (region_code, month, kind, parent_code, entries, minutes, onsite_entries, onsite_minutes) VALUES `,
		`(?,?,?,?,?,?,?,?)`, ` ON CONFLICT (region_code, month, kind) DO UPDATE SET
		entries = ledger_stats.entries + excluded.entries, minutes = ledger_stats.minutes + excluded.minutes,
		onsite_entries = ledger_stats.onsite_entries + excluded.onsite_entries, onsite_minutes = ledger_stats.onsite_minutes + excluded.onsite_minutes`, rows); err != nil {
		return fmt.Errorf("ledger stats: %w", err)
	}
	ck := a.changedComp()
	rows = rows[:0]
	for _, k := range ck {
		v := a.comp[k]
		rows = append(rows, []any{k.region, k.kind, k.start, v.end, counsel.ParentOf(k.region), v.rules, v.met})
	}
	if err := tx.ExecRows(ctx, `INSERT INTO compliance_stats (region_code, period_kind, period_start, period_end, parent_code, rules, met) VALUES `,
		`(?,?,?,?,?,?,?)`, ` ON CONFLICT (region_code, period_kind, period_start) DO UPDATE SET
		rules = compliance_stats.rules + excluded.rules, met = compliance_stats.met + excluded.met`, rows); err != nil {
		return fmt.Errorf("compliance stats: %w", err)
	}
	rows = rows[:0]
	for _, e := range a.audits {
		rows = append(rows, []any{e.At, e.UserID, e.Username, e.Action, e.Entity, e.EntityID, e.IP, e.Before, e.After, e.Scope, e.RequestID})
	}
	if err := tx.ExecRows(ctx, `INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope, request_id) VALUES `,
		`(?,?,?,?,?,?,?,?,?,?,?)`, ``, rows); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AppendAuditAtCommit adds an audit entry written with the transaction's
// other deferred rows at commit (one statement for a whole group commit).
// Unlike audit.Append it leaves e.ID unset.
func appendAuditAtCommit(tx *store.Tx, e *counsel.AuditEntry) {
	e.At = store.Now()
	a := accOf(tx)
	a.audits = append(a.audits, e)
}

// PrefetchHeads reads the chain heads of villages the transaction is about
// to append to in one statement (locking them on PostgreSQL), so each
// append finds its head in the transaction. Villages without a head are
// left to head, which creates it. On SQLite, where a lookup costs no round
// trip, it does nothing. nIDs entry ids are reserved with them when at least
// one head exists.
func PrefetchHeads(ctx context.Context, tx *store.Tx, villages []string, nIDs int) error {
	if tx.Engine() != store.Postgres {
		return nil
	}
	a := accOf(tx)
	var want []string
	for _, v := range villages {
		if _, ok := a.heads[v]; !ok && !slices.Contains(want, v) {
			want = append(want, v)
		}
	}
	sort.Strings(want) // lock in one order
	// With the heads, the same statement reserves the group's entry ids
	// (see ReserveEntryIDs): one round trip for both.
	q := `SELECT village_code, seq, hash, (SELECT COALESCE(string_agg(nextval(pg_get_serial_sequence('entries', 'id'))::text, ','), '') FROM generate_series(1, ?))
		FROM chain_heads WHERE village_code = ANY(?::text[]) ORDER BY village_code FOR UPDATE`
	rs, err := tx.Query(ctx, q, nIDs, want)
	if err != nil {
		return err
	}
	for rs.Next() {
		var v string
		var h head
		var ids string
		if err := rs.Scan(&v, &h.seq, &h.hash, &ids); err != nil {
			rs.Close()
			return err
		}
		a.heads[v] = &h
		if len(a.ids) == 0 && ids != "" {
			for _, f := range strings.Split(ids, ",") {
				id, err := strconv.ParseInt(f, 10, 64)
				if err != nil {
					rs.Close()
					return fmt.Errorf("reserved entry id %q: %w", f, err)
				}
				a.ids = append(a.ids, id)
			}
		}
	}
	return rs.Close()
}

// ReserveEntryIDs takes n entry ids from the sequence (PostgreSQL), so the
// group's entries can be written at commit in one statement with the rest.
func ReserveEntryIDs(ctx context.Context, tx *store.Tx, n int) error {
	if tx.Engine() != store.Postgres || n == 0 {
		return nil
	}
	a := accOf(tx).root()
	if len(a.ids) > 0 {
		return nil
	}
	rs, err := tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence('entries', 'id')) FROM generate_series(1, ?)`, n)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return err
		}
		a.ids = append(a.ids, id)
	}
	return rs.Err()
}

// flushPG writes the accumulated rows on PostgreSQL in one statement: one
// data-modifying CTE per table, each fed arrays (unnest), so the text is
// the same whatever the counts and the whole flush costs one round trip.
func flushPG(ctx context.Context, tx *store.Tx, a *ledgerAcc) error {
	var (
		eID, eSeq, eAdv, eProv, eAgr, eMat, eAmd, eMin, eAtt, eBy, eAt        []int64
		eVil, eKind, eMode, eDate, eStart, ePlace, eServed, eContent, eResult []string
		ePhotos, eKey, ePrev, eHash, eStatus                                  []string
	)
	for _, e := range a.entries {
		eID = append(eID, e.ID)
		eVil = append(eVil, e.VillageCode)
		eSeq = append(eSeq, e.Seq)
		eAdv = append(eAdv, e.AdvisorID)
		eProv = append(eProv, e.ProviderID)
		eAgr = append(eAgr, e.AgreementID)
		eMat = append(eMat, e.MatterID)
		eAmd = append(eAmd, e.AmendsID)
		eKind = append(eKind, e.Kind)
		eMode = append(eMode, e.Mode)
		eDate = append(eDate, e.Date)
		eStart = append(eStart, e.StartTime)
		eMin = append(eMin, int64(e.Minutes))
		ePlace = append(ePlace, e.Place)
		eServed = append(eServed, e.Served)
		eAtt = append(eAtt, int64(e.Attendees))
		eContent = append(eContent, e.Content)
		eResult = append(eResult, e.Result)
		ePhotos = append(ePhotos, e.Photos)
		eKey = append(eKey, e.ClientKey)
		eBy = append(eBy, e.CreatedBy)
		eAt = append(eAt, e.CreatedAt)
		ePrev = append(ePrev, e.PrevHash)
		eHash = append(eHash, e.Hash)
		eStatus = append(eStatus, e.Status)
	}
	var hVil, hHash []string
	var hSeq []int64
	hv := a.dirtyHeads()
	for _, v := range hv {
		hVil, hSeq, hHash = append(hVil, v), append(hSeq, a.heads[v].seq), append(hHash, a.heads[v].hash)
	}
	rk := a.dirtyRows()
	var cVil, cRule, cStart, cEnd, cKind []string
	var cAdv, cAgr, cCnt, cMin, cNeed, cNeedM []int64
	var cMet []bool
	for _, k := range rk {
		r := a.rows[k]
		cVil, cRule, cStart, cEnd, cKind = append(cVil, k.village), append(cRule, k.rule), append(cStart, k.start), append(cEnd, r.end), append(cKind, r.kind)
		cAdv, cAgr, cCnt, cMin = append(cAdv, r.advisorID), append(cAgr, r.agreementID), append(cCnt, int64(r.cnt)), append(cMin, int64(r.mins))
		cNeed, cNeedM, cMet = append(cNeed, int64(r.need)), append(cNeedM, int64(r.needM)), append(cMet, r.met)
	}
	sk := a.changedStats()
	var sReg, sMonth, sKind, sPar []string
	var sEnt, sMin, sOnE, sOnM []int64
	for _, k := range sk {
		v := a.stats[k]
		sReg, sMonth, sKind, sPar = append(sReg, k.region), append(sMonth, k.month), append(sKind, k.kind), append(sPar, counsel.ParentOf(k.region))
		sEnt, sMin, sOnE, sOnM = append(sEnt, v.entries), append(sMin, v.minutes), append(sOnE, v.onsiteEntries), append(sOnM, v.onsiteMinutes)
	}
	ck := a.changedComp()
	var qReg, qKind, qStart, qEnd, qPar []string
	var qRules, qMet []int64
	for _, k := range ck {
		v := a.comp[k]
		qReg, qKind, qStart, qEnd, qPar = append(qReg, k.region), append(qKind, k.kind), append(qStart, k.start), append(qEnd, v.end), append(qPar, counsel.ParentOf(k.region))
		qRules, qMet = append(qRules, v.rules), append(qMet, v.met)
	}
	var aAt, aUser []int64
	var aName, aAction, aEntity, aEID, aIP, aBefore, aAfter, aScope, aReq []string
	for _, e := range a.audits {
		aAt, aUser = append(aAt, e.At), append(aUser, e.UserID)
		aName, aAction, aEntity, aEID, aIP = append(aName, e.Username), append(aAction, e.Action), append(aEntity, e.Entity), append(aEID, e.EntityID), append(aIP, e.IP)
		aBefore, aAfter, aScope, aReq = append(aBefore, e.Before), append(aAfter, e.After), append(aScope, e.Scope), append(aReq, e.RequestID)
	}
	if len(eID)+len(hVil)+len(cVil)+len(sReg)+len(qReg)+len(aAt) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, flushPGSQL,
		eID, eVil, eSeq, eAdv, eProv, eAgr, eMat, eAmd, eKind, eMode, eDate, eStart, eMin, ePlace, eServed, eAtt, eContent,
		eResult, ePhotos, eKey, eBy, eAt, ePrev, eHash, eStatus,
		hVil, hSeq, hHash,
		cVil, cRule, cStart, cEnd, cKind, cAdv, cAgr, cCnt, cMin, cNeed, cNeedM, cMet,
		sReg, sMonth, sKind, sPar, sEnt, sMin, sOnE, sOnM,
		qReg, qKind, qStart, qEnd, qPar, qRules, qMet,
		aAt, aUser, aName, aAction, aEntity, aEID, aIP, aBefore, aAfter, aScope, aReq)
	if err != nil {
		return fmt.Errorf("ledger rows: %w", err)
	}
	return nil
}

// flushPGSQL is flushPG's statement. The counters' sums are applied with
// ON CONFLICT … DO UPDATE; obligation rows and chain heads carry their new
// values. Every CTE runs even when its arrays are empty.
const flushPGSQL = `WITH
e AS (INSERT INTO entries (id, village_code, seq, advisor_id, provider_id, agreement_id, matter_id, amends_id, kind, mode,
	service_date, start_time, minutes, place, served, attendees, content, result, photos, client_key, created_by, created_at,
	prev_hash, hash, status)
	SELECT * FROM unnest(?::bigint[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
	?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],
	?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[])),
h AS (INSERT INTO chain_heads (village_code, seq, hash) SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[])
	ON CONFLICT (village_code) DO UPDATE SET seq = excluded.seq, hash = excluded.hash),
c AS (INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id, agreement_id, cnt, minutes,
	need, need_minutes, met)
	SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::int[], ?::int[],
	?::int[], ?::int[], ?::boolean[])
	ON CONFLICT (village_code, rule_id, period_start) DO UPDATE SET cnt = excluded.cnt, minutes = excluded.minutes,
	need = excluded.need, need_minutes = excluded.need_minutes, met = excluded.met, advisor_id = excluded.advisor_id,
	agreement_id = excluded.agreement_id),
s AS (INSERT INTO ledger_stats (region_code, month, kind, parent_code, entries, minutes, onsite_entries, onsite_minutes)
	SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
	ON CONFLICT (region_code, month, kind) DO UPDATE SET
	entries = ledger_stats.entries + excluded.entries, minutes = ledger_stats.minutes + excluded.minutes,
	onsite_entries = ledger_stats.onsite_entries + excluded.onsite_entries, onsite_minutes = ledger_stats.onsite_minutes + excluded.onsite_minutes),
q AS (INSERT INTO compliance_stats (region_code, period_kind, period_start, period_end, parent_code, rules, met)
	SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])
	ON CONFLICT (region_code, period_kind, period_start) DO UPDATE SET
	rules = compliance_stats.rules + excluded.rules, met = compliance_stats.met + excluded.met),
a AS (INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, ip, before_json, after_json, scope, request_id)
	SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]))
SELECT 1`
