package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/policy"
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
	created_by, created_at, prev_hash, hash, status, review_note, reviewed_by, reviewed_at`

func scanEntry(sc interface{ Scan(...any) error }, extra ...any) (*counsel.Entry, error) {
	var e counsel.Entry
	dst := []any{&e.ID, &e.VillageCode, &e.Seq, &e.AdvisorID, &e.ProviderID, &e.AgreementID, &e.MatterID, &e.AmendsID,
		&e.Kind, &e.Mode, &e.Date, &e.StartTime, &e.Minutes, &e.Place, &e.Served, &e.Attendees, &e.Content,
		&e.Result, &e.Photos, &e.ClientKey, &e.CreatedBy, &e.CreatedAt, &e.PrevHash, &e.Hash, &e.Status,
		&e.ReviewNote, &e.ReviewedBy, &e.ReviewedAt}
	if err := sc.Scan(append(dst, extra...)...); err != nil {
		return nil, err
	}
	return &e, nil
}

// AppendEntry appends e to its village's chain (setting ID, Seq, PrevHash,
// Hash) and counts it under the obligations. The caller has validated e and
// checked who may record it. The chain head and obligation rows are kept in
// the transaction and written once at commit (see flush).
func (tx *Tx) AppendEntry(ctx context.Context, e *counsel.Entry, obls []Obligation) error {
	h, err := tx.head(ctx, e.VillageCode)
	if err != nil {
		return err
	}
	e.Seq, e.PrevHash = h.seq+1, h.hash
	if e.Status == "" {
		e.Status = counsel.EntryPending
	}
	e.Hash = e.ChainHash()
	id, err := tx.insert(ctx, `INSERT INTO entries (village_code, seq, advisor_id, provider_id, agreement_id, matter_id, amends_id,
		kind, mode, service_date, start_time, minutes, place, served, attendees, content, result, photos, client_key,
		created_by, created_at, prev_hash, hash, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		e.VillageCode, e.Seq, e.AdvisorID, e.ProviderID, e.AgreementID, e.MatterID, e.AmendsID, e.Kind, e.Mode,
		e.Date, e.StartTime, e.Minutes, e.Place, e.Served, e.Attendees, e.Content, e.Result, e.Photos, e.ClientKey,
		e.CreatedBy, e.CreatedAt, e.PrevHash, e.Hash, e.Status)
	if err != nil {
		return err
	}
	e.ID = id
	tx.accumulator().heads[e.VillageCode] = &head{seq: e.Seq, hash: e.Hash, dirty: true}
	return tx.CountEntry(ctx, e, obls, 1)
}

// head is a village chain's head as this transaction sees it.
type head struct {
	seq   int64
	hash  string
	dirty bool // changed in this transaction
}

// head returns the village chain's head: from this transaction if it has
// appended to the village already, else from the database — creating it and,
// on PostgreSQL, locking it until the transaction ends (SQLite has one
// writer anyway).
func (tx *Tx) head(ctx context.Context, village string) (head, error) {
	for a := tx.acc; a != nil; a = a.parent {
		if h, ok := a.heads[village]; ok {
			return *h, nil
		}
	}
	q := `SELECT seq, hash FROM chain_heads WHERE village_code = ?`
	if tx.engine == Postgres {
		q += ` FOR UPDATE`
	}
	var h head
	err := tx.row(ctx, q, village).Scan(&h.seq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.exec(ctx, `INSERT INTO chain_heads (village_code, seq, hash) VALUES (?, 0, ?) ON CONFLICT (village_code) DO NOTHING`, village, counsel.GenesisHash); err != nil {
			return h, err
		}
		err = tx.row(ctx, q, village).Scan(&h.seq, &h.hash)
	}
	if err != nil {
		return h, mapErr(err)
	}
	tx.accumulator().heads[village] = &head{seq: h.seq, hash: h.hash}
	return h, nil
}

// CountEntry adds (sign 1) or removes (sign -1) e from the counters: services
// by region, month and kind, and the obligation rows it qualifies for. All
// of it is accumulated in the transaction and written once (see flush).
func (tx *Tx) CountEntry(ctx context.Context, e *counsel.Entry, obls []Obligation, sign int) error {
	acc := tx.accumulator()
	onsite := e.Mode == policy.ModeOnsite
	acc.addStats(e.VillageCode, e.Month(), e.Kind, sign, e.Minutes, onsite)
	pe := policy.Entry{Date: e.Date, Kind: e.Kind, Mode: e.Mode, Minutes: e.Minutes}
	for _, o := range obls {
		if !policy.Qualifies(o.Rule, pe) || e.Date < o.TermStart || (o.TermEnd != "" && e.Date > o.TermEnd) {
			continue
		}
		per, ok := policy.PeriodOf(o.Rule.Period, e.Date)
		if !ok {
			continue
		}
		if err := tx.bumpCompliance(ctx, e, o, per, sign); err != nil {
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

// compRow returns a copy of an obligation row from this transaction or the
// database; ok is false when it does not exist yet.
func (tx *Tx) compRow(ctx context.Context, k rowKey) (compRow, bool, error) {
	for a := tx.acc; a != nil; a = a.parent {
		if r, ok := a.rows[k]; ok {
			return *r, true, nil
		}
	}
	r := compRow{inDB: true}
	err := tx.row(ctx, `SELECT period_end, period_kind, advisor_id, agreement_id, cnt, minutes, need, need_minutes, met FROM compliance
		WHERE village_code = ? AND rule_id = ? AND period_start = ?`, k.village, k.rule, k.start).
		Scan(&r.end, &r.kind, &r.advisorID, &r.agreementID, &r.cnt, &r.mins, &r.need, &r.needM, &r.met)
	if errors.Is(err, sql.ErrNoRows) {
		return compRow{}, false, nil
	}
	if err != nil {
		return r, false, mapErr(err)
	}
	return r, true, nil
}

func (tx *Tx) bumpCompliance(ctx context.Context, e *counsel.Entry, o Obligation, per policy.Period, sign int) error {
	k := rowKey{e.VillageCode, o.Rule.ID, per.Start}
	r, exists, err := tx.compRow(ctx, k)
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
	tx.accumulator().rows[k] = &r
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
		tx.accumulator().addCompliance(e.VillageCode, per, dRules, dMet)
	}
	return nil
}

// EnsureCompliance creates the compliance row of a village, obligation and
// period with nothing counted yet (so the village counts as due), unless it
// exists. It reports whether it created one.
func (tx *Tx) EnsureCompliance(ctx context.Context, village string, advisorID, agreementID int64, o Obligation, per policy.Period) (bool, error) {
	need, needMin, _ := policy.Need(o.Rule, per, o.TermStart, o.TermEnd)
	res, err := tx.exec(ctx, `INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id,
		agreement_id, cnt, minutes, need, need_minutes, met) VALUES (?,?,?,?,?,?,?,0,0,?,?,FALSE)
		ON CONFLICT (village_code, rule_id, period_start) DO NOTHING`,
		village, o.Rule.ID, per.Start, per.End, per.Kind, advisorID, agreementID, need, needMin)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		tx.accumulator().addCompliance(village, per, 1, 0)
	}
	return n > 0, nil
}

// ---- accumulated region counters ----

type statKey struct{ region, month, kind string }
type statVal struct{ entries, minutes, onsiteEntries, onsiteMinutes int64 }
type compKey struct{ region, kind, start string }
type compVal struct {
	end          string
	rules, met   int64
	parentRegion string
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
}

func newAcc() *ledgerAcc {
	return &ledgerAcc{stats: map[statKey]*statVal{}, comp: map[compKey]*compVal{}, heads: map[string]*head{}, rows: map[rowKey]*compRow{}}
}

func (tx *Tx) accumulator() *ledgerAcc {
	if tx.acc == nil {
		tx.acc = newAcc()
	}
	return tx.acc
}

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

// flush writes the accumulated region counters (in a stable order, so
// concurrent PostgreSQL transactions lock rows alike).
func (tx *Tx) flush(ctx context.Context) error {
	a := tx.acc
	tx.acc = nil
	if a == nil {
		return nil
	}
	for v, h := range a.heads {
		if !h.dirty {
			continue
		}
		if _, err := tx.exec(ctx, `UPDATE chain_heads SET seq = ?, hash = ? WHERE village_code = ?`, h.seq, h.hash, v); err != nil {
			return fmt.Errorf("chain head: %w", err)
		}
	}
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
	for _, k := range rk {
		r := a.rows[k]
		var err error
		if r.inDB {
			_, err = tx.exec(ctx, `UPDATE compliance SET cnt = ?, minutes = ?, need = ?, need_minutes = ?, met = ?, advisor_id = ?, agreement_id = ?
				WHERE village_code = ? AND rule_id = ? AND period_start = ?`, r.cnt, r.mins, r.need, r.needM, r.met, r.advisorID, r.agreementID, k.village, k.rule, k.start)
		} else {
			_, err = tx.exec(ctx, `INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id,
				agreement_id, cnt, minutes, need, need_minutes, met) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
				k.village, k.rule, k.start, r.end, r.kind, r.advisorID, r.agreementID, r.cnt, r.mins, r.need, r.needM, r.met)
		}
		if err != nil {
			return fmt.Errorf("compliance: %w", err)
		}
	}
	sk := make([]statKey, 0, len(a.stats))
	for k := range a.stats {
		sk = append(sk, k)
	}
	sort.Slice(sk, func(i, j int) bool {
		if sk[i].region != sk[j].region {
			return sk[i].region < sk[j].region
		}
		if sk[i].month != sk[j].month {
			return sk[i].month < sk[j].month
		}
		return sk[i].kind < sk[j].kind
	})
	for _, k := range sk {
		v := a.stats[k]
		if *v == (statVal{}) {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO ledger_stats (region_code, month, kind, parent_code, entries, minutes, onsite_entries, onsite_minutes)
			VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (region_code, month, kind) DO UPDATE SET
			entries = ledger_stats.entries + excluded.entries, minutes = ledger_stats.minutes + excluded.minutes,
			onsite_entries = ledger_stats.onsite_entries + excluded.onsite_entries, onsite_minutes = ledger_stats.onsite_minutes + excluded.onsite_minutes`,
			k.region, k.month, k.kind, counsel.ParentOf(k.region), v.entries, v.minutes, v.onsiteEntries, v.onsiteMinutes); err != nil {
			return fmt.Errorf("ledger stats: %w", err)
		}
	}
	ck := make([]compKey, 0, len(a.comp))
	for k := range a.comp {
		ck = append(ck, k)
	}
	sort.Slice(ck, func(i, j int) bool {
		if ck[i].region != ck[j].region {
			return ck[i].region < ck[j].region
		}
		if ck[i].kind != ck[j].kind {
			return ck[i].kind < ck[j].kind
		}
		return ck[i].start < ck[j].start
	})
	for _, k := range ck {
		v := a.comp[k]
		if v.rules == 0 && v.met == 0 {
			continue
		}
		if _, err := tx.exec(ctx, `INSERT INTO compliance_stats (region_code, period_kind, period_start, period_end, parent_code, rules, met)
			VALUES (?,?,?,?,?,?,?) ON CONFLICT (region_code, period_kind, period_start) DO UPDATE SET
			rules = compliance_stats.rules + excluded.rules, met = compliance_stats.met + excluded.met`,
			k.region, k.kind, k.start, v.end, counsel.ParentOf(k.region), v.rules, v.met); err != nil {
			return fmt.Errorf("compliance stats: %w", err)
		}
	}
	return nil
}
