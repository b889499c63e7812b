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
// checked who may record it.
func (tx *Tx) AppendEntry(ctx context.Context, e *counsel.Entry, obls []Obligation) error {
	seq, prev, err := tx.lockHead(ctx, e.VillageCode)
	if err != nil {
		return err
	}
	e.Seq, e.PrevHash = seq+1, prev
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
	if _, err := tx.exec(ctx, `UPDATE chain_heads SET seq = ?, hash = ? WHERE village_code = ?`, e.Seq, e.Hash, e.VillageCode); err != nil {
		return err
	}
	return tx.CountEntry(ctx, e, obls, 1)
}

// lockHead returns the village chain's head, creating it, and on PostgreSQL
// locks it until the transaction ends (SQLite has one writer anyway).
func (tx *Tx) lockHead(ctx context.Context, village string) (int64, string, error) {
	q := `SELECT seq, hash FROM chain_heads WHERE village_code = ?`
	if tx.engine == Postgres {
		q += ` FOR UPDATE`
	}
	var seq int64
	var hash string
	err := tx.row(ctx, q, village).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := tx.exec(ctx, `INSERT INTO chain_heads (village_code, seq, hash) VALUES (?, 0, ?) ON CONFLICT (village_code) DO NOTHING`, village, counsel.GenesisHash); err != nil {
			return 0, "", err
		}
		err = tx.row(ctx, q, village).Scan(&seq, &hash)
	}
	if err != nil {
		return 0, "", mapErr(err)
	}
	return seq, hash, nil
}

// CountEntry adds (sign 1) or removes (sign -1) e from the counters: services
// by region, month and kind, and the compliance rows of the obligations it
// qualifies for. The region rows are accumulated and written once per
// transaction (see flush).
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

func (tx *Tx) bumpCompliance(ctx context.Context, e *counsel.Entry, o Obligation, per policy.Period, sign int) error {
	need, needMin, _ := policy.Need(o.Rule, per, o.TermStart, o.TermEnd)
	var cnt, mins int
	var met bool
	err := tx.row(ctx, `SELECT cnt, minutes, met FROM compliance WHERE village_code = ? AND rule_id = ? AND period_start = ?`,
		e.VillageCode, o.Rule.ID, per.Start).Scan(&cnt, &mins, &met)
	fresh := errors.Is(err, sql.ErrNoRows)
	if err != nil && !fresh {
		return mapErr(err)
	}
	cnt += sign
	mins += sign * e.Minutes
	nowMet := cnt >= need && mins >= needMin
	if fresh {
		_, err = tx.exec(ctx, `INSERT INTO compliance (village_code, rule_id, period_start, period_end, period_kind, advisor_id,
			agreement_id, cnt, minutes, need, need_minutes, met) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
			e.VillageCode, o.Rule.ID, per.Start, per.End, per.Kind, e.AdvisorID, e.AgreementID, cnt, mins, need, needMin, nowMet)
	} else {
		_, err = tx.exec(ctx, `UPDATE compliance SET cnt = ?, minutes = ?, need = ?, need_minutes = ?, met = ?, advisor_id = ?, agreement_id = ?
			WHERE village_code = ? AND rule_id = ? AND period_start = ?`,
			cnt, mins, need, needMin, nowMet, e.AdvisorID, e.AgreementID, e.VillageCode, o.Rule.ID, per.Start)
	}
	if err != nil {
		return err
	}
	dRules, dMet := 0, 0
	if fresh {
		dRules = 1
	}
	if nowMet != met || (fresh && nowMet) {
		if nowMet {
			dMet = 1
		} else if !fresh {
			dMet = -1
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

// ledgerAcc holds counter changes of a transaction until it commits.
type ledgerAcc struct {
	stats map[statKey]*statVal
	comp  map[compKey]*compVal
}

func newAcc() *ledgerAcc {
	return &ledgerAcc{stats: map[statKey]*statVal{}, comp: map[compKey]*compVal{}}
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
