package ledger

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// Service holds the ledger's rules (R9–R23): recording, review, kinds,
// policies and obligations, the daily job and verification. It keeps the
// policies and who-serves-where in a short-lived cache.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// svc is the layered service: clock, read scopes, advisors, the R7
	// villages-of-an-agreement rule and the matters hook live there.
	svc *registry.Service
	c   *ledgerCache
	// verify keeps the background verifications (verify_job.go).
	verify *verifier
}

// NewService builds the ledger service over the layered service: its
// cache is reset by the layered service's ResetLedgerCache, and the
// database's group commit reads the chain heads through it (see
// prepareGroup). Build one per program and pass it to the features that
// use the ledger.
func NewService(svc *registry.Service) *Service {
	s := &Service{DB: svc.DB, Log: svc.Log, svc: svc, c: &ledgerCache{}, verify: newVerifier()}
	svc.OnLedgerChange(s.ResetCache)
	svc.OnAgreementSaved(s.syncAgreement)
	svc.KindLabel = s.KindName
	svc.DB.OnGroup("ledger", prepareGroup)
	return s
}

// prepareGroup reads the chain heads of a group commit's villages in one
// statement and reserves its entries' ids (PostgreSQL; see PrefetchHeads).
func prepareGroup(ctx context.Context, tx *store.Tx, villages []string, n int) error {
	if err := PrefetchHeads(ctx, tx, villages, n); err != nil {
		return err
	}
	return ReserveEntryIDs(ctx, tx, n)
}

// Today is the date today in China (the layered service's clock).
func (s *Service) Today() string { return s.svc.Today() }

// ledgerCache keeps what every ledger write needs and rarely changes: the
// policy layers and the villages' flags. Changes made through this process
// reset it; a short lifetime bounds staleness when several processes share a
// PostgreSQL database.
type ledgerCache struct {
	mu      sync.Mutex
	loaded  time.Time
	layers  []policy.Layer
	flags   map[string]policy.VillageFlags
	kinds   map[string]map[string]bool // county → custom kinds
	advisor map[int64]int64            // advisor → provider
	agree   map[agreeKey][]counsel.Agreement
	// kindNames are the added kinds by code (all counties), loaded lazily.
	kindNames map[string]LedgerKind
}

// agreeKey names the live agreements binding an advisor to a village.
type agreeKey struct {
	advisor int64
	village string
}

const ledgerCacheTTL = 30 * time.Second

func (s *Service) cache() *ledgerCache { return s.c }

// ResetLedgerCache drops the cached policies, flags and kinds.
func (s *Service) ResetCache() {
	c := s.cache()
	c.mu.Lock()
	c.loaded = time.Time{}
	c.mu.Unlock()
}

func (s *Service) loadCache(ctx context.Context) (*ledgerCache, error) {
	c := s.cache()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.loaded.IsZero() && time.Since(c.loaded) < ledgerCacheTTL {
		return c, nil
	}
	bodies, err := PolicyBodies(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var layers []policy.Layer
	for region, body := range bodies {
		var p policy.Policy
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			s.Log.ErrorContext(ctx, "bad policy layer", "region", region, "err", err)
			continue
		}
		layers = append(layers, policy.Layer{Region: region, Policy: p})
	}
	c.layers = layers
	c.flags = map[string]policy.VillageFlags{}
	c.kinds = map[string]map[string]bool{}
	c.advisor = map[int64]int64{}
	c.agree = map[agreeKey][]counsel.Agreement{}
	c.kindNames = nil
	c.loaded = time.Now()
	return c, nil
}

// villageFlags returns a village's flags (cached).
func (s *Service) villageFlags(ctx context.Context, c *ledgerCache, village string) (policy.VillageFlags, error) {
	c.mu.Lock()
	f, ok := c.flags[village]
	c.mu.Unlock()
	if ok {
		return f, nil
	}
	r, err := registry.Region(ctx, s.DB, village)
	if err != nil {
		return f, err
	}
	f = policy.FlagsOf(*r)
	c.mu.Lock()
	c.flags[village] = f
	c.mu.Unlock()
	return f, nil
}

// PolicyFor returns the policy binding a village and the village's flags.
func (s *Service) PolicyFor(ctx context.Context, village string) (policy.Policy, policy.VillageFlags, error) {
	c, err := s.loadCache(ctx)
	if err != nil {
		return policy.Policy{}, policy.VillageFlags{}, err
	}
	f, err := s.villageFlags(ctx, c, village)
	if err != nil {
		return policy.Policy{}, f, err
	}
	c.mu.Lock()
	layers := c.layers
	c.mu.Unlock()
	return policy.Resolve(layers, village), f, nil
}

// obligations returns the rules binding a village under an agreement.
func (s *Service) obligations(ctx context.Context, village string, g *counsel.Agreement) ([]Obligation, error) {
	p, f, err := s.PolicyFor(ctx, village)
	if err != nil {
		return nil, err
	}
	var out []Obligation
	for _, r := range p.Rules {
		if r.Disabled || !r.AppliesTo(f) || !policy.ValidPeriodKind(r.Period) {
			continue
		}
		out = append(out, Obligation{Rule: r, TermStart: g.StartDate, TermEnd: g.EndDate})
	}
	return out, nil
}

// KindOK returns the check for service kinds valid in a county: the built-in
// kinds and the county's (or its ancestors') added ones.
func (s *Service) KindOK(ctx context.Context, village string) (func(string) bool, error) {
	c, err := s.loadCache(ctx)
	if err != nil {
		return nil, err
	}
	county := counsel.AncestorAt(village, counsel.LevelCounty)
	c.mu.Lock()
	extra, ok := c.kinds[county]
	c.mu.Unlock()
	if !ok {
		ks, err := LedgerKinds(ctx, s.DB, village)
		if err != nil {
			return nil, err
		}
		extra = map[string]bool{}
		for _, k := range ks {
			extra[k.Code] = true
		}
		c.mu.Lock()
		c.kinds[county] = extra
		c.mu.Unlock()
	}
	return func(k string) bool { return policy.ValidKind(k) || extra[k] }, nil
}

// agreementFor returns the agreement under which an advisor serves a village
// on a date, or nil; the live agreements are cached briefly (saving an
// agreement resets the cache).
func (s *Service) agreementFor(ctx context.Context, advisorID, providerID int64, village, date string) (*counsel.Agreement, error) {
	c, err := s.loadCache(ctx)
	if err != nil {
		return nil, err
	}
	k := agreeKey{advisorID, village}
	c.mu.Lock()
	gs, ok := c.agree[k]
	c.mu.Unlock()
	if !ok {
		if gs, err = registry.AgreementsForEntry(ctx, s.DB, advisorID, providerID, village); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.agree != nil {
			c.agree[k] = gs
		}
		c.mu.Unlock()
	}
	if g := registry.PickAgreement(gs, date); g != nil {
		cp := *g
		return &cp, nil
	}
	return nil, nil
}

// ProviderOf returns the provider of an advisor (cached).
func (s *Service) ProviderOf(ctx context.Context, advisorID int64) (int64, error) {
	c := s.cache()
	c.mu.Lock()
	p, ok := c.advisor[advisorID]
	c.mu.Unlock()
	if ok {
		return p, nil
	}
	adv, err := registry.Advisor(ctx, s.DB, advisorID)
	if err != nil {
		return 0, err
	}
	c.mu.Lock()
	if c.advisor == nil {
		c.advisor = map[int64]int64{}
	}
	c.advisor[advisorID] = adv.ProviderID
	c.mu.Unlock()
	return adv.ProviderID, nil
}

// RecordEntry records a service (一次一记). An advisor records for the
// villages it serves on the service date; the administrator may record for
// any advisor. With a client key, a retried submission returns the entry
// recorded the first time instead of a second one. The write joins a group
// commit: it returns once the entry is durable.
func (s *Service) RecordEntry(ctx context.Context, a *counsel.Actor, e *counsel.Entry) (*counsel.Entry, error) {
	switch a.Role {
	case counsel.RoleAdvisor:
		e.AdvisorID = a.AdvisorID
	case counsel.RoleAdmin:
		if e.AdvisorID == 0 {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.required"})
		}
	default:
		return nil, counsel.ErrForbidden
	}
	e.Normalize()
	if e.ClientKey != "" {
		if old, err := EntryByClientKey(ctx, s.DB, a.UserID, e.ClientKey); err == nil {
			return old, nil
		} else if counsel.ErrorCode(err) != counsel.CodeNotFound {
			return nil, err
		}
	}
	kindOK, err := s.KindOK(ctx, e.VillageCode)
	if err != nil && counsel.ErrorCode(err) != counsel.CodeNotFound {
		return nil, err
	}
	if kindOK == nil {
		kindOK = policy.ValidKind
	}
	if err := e.Validate(kindOK, policy.ValidMode, s.svc.Today()); err != nil {
		return nil, err
	}
	providerID, err := s.ProviderOf(ctx, e.AdvisorID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, counsel.Invalid(counsel.FieldError{Field: "advisor_id", Key: "err.not_found"})
		}
		return nil, err
	}
	e.ProviderID = providerID
	g, err := s.agreementFor(ctx, e.AdvisorID, providerID, e.VillageCode, e.Date)
	if err != nil {
		return nil, err
	}
	if g == nil {
		return nil, counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "ledger.err_no_agreement", Args: []any{e.Date}})
	}
	e.AgreementID = g.ID
	obls, err := s.obligations(ctx, e.VillageCode, g)
	if err != nil {
		return nil, err
	}
	var orig *counsel.Entry
	if e.AmendsID > 0 {
		if orig, err = s.amendable(ctx, a, e); err != nil {
			return nil, err
		}
	}
	if e.MatterID > 0 {
		var m *counsel.Matter
		var err error = counsel.ErrNotFound
		if s.svc.MatterOf != nil {
			m, err = s.svc.MatterOf(ctx, e.MatterID)
		}
		if err != nil || m.VillageCode != e.VillageCode || m.AdvisorID != e.AdvisorID || m.Status != counsel.MatterOpen {
			return nil, counsel.Invalid(counsel.FieldError{Field: "matter_id", Key: "ledger.err_matter"})
		}
	}
	e.CreatedBy = a.UserID
	e.Status = counsel.EntryPending
	var origObls []Obligation
	if orig != nil && orig.Status != counsel.EntryDisputed {
		og, err := registry.Agreement(ctx, s.DB, orig.AgreementID)
		if err != nil {
			return nil, err
		}
		if origObls, err = s.obligations(ctx, orig.VillageCode, og); err != nil {
			return nil, err
		}
	}
	err = s.DB.Group(ctx, e.VillageCode, func(tx *store.Tx) error {
		e.CreatedAt = s.svc.Now().UnixMilli()
		if orig != nil {
			// The amended entry stops counting; its row stays as it was.
			if orig.Status != counsel.EntryDisputed {
				if err := CountEntry(ctx, tx, orig, origObls, -1); err != nil {
					return err
				}
			}
		}
		if err := AppendEntry(ctx, tx, e, obls); err != nil {
			return err
		}
		ae := audit.Entry(a, "create", "entry", e.ID, e.VillageCode, nil, nil)
		ae.After, ae.RequestID = entryAudit(e), counsel.RequestIDFrom(ctx)
		appendAuditAtCommit(tx, ae)
		return nil
	})
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeConflict && e.ClientKey != "" {
			if old, err2 := EntryByClientKey(ctx, s.DB, a.UserID, e.ClientKey); err2 == nil {
				return old, nil
			}
		}
		return nil, err
	}
	return e, nil
}

// entryAudit is what the audit log keeps of an entry (not its full text,
// and no personal data, so it needs no masking; a struct marshals quickly
// inside the group commit).
func entryAudit(e *counsel.Entry) string {
	b, _ := json.Marshal(struct {
		Village   string `json:"village_code"`
		Seq       int64  `json:"seq"`
		AdvisorID int64  `json:"advisor_id"`
		Kind      string `json:"kind"`
		Mode      string `json:"mode"`
		Date      string `json:"date"`
		Minutes   int    `json:"minutes"`
		AmendsID  int64  `json:"amends_id"`
		MatterID  int64  `json:"matter_id"`
		Hash      string `json:"hash"`
	}{e.VillageCode, e.Seq, e.AdvisorID, e.Kind, e.Mode, e.Date, e.Minutes, e.AmendsID, e.MatterID, e.Hash})
	return string(b)
}

// amendable checks that e may amend the entry it names: the same advisor and
// village, and not already amended.
func (s *Service) amendable(ctx context.Context, a *counsel.Actor, e *counsel.Entry) (*counsel.Entry, error) {
	bad := counsel.Invalid(counsel.FieldError{Field: "amends_id", Key: "ledger.err_amends"})
	orig, err := Entry(ctx, s.DB, e.AmendsID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return nil, bad
		}
		return nil, err
	}
	if orig.AdvisorID != e.AdvisorID || orig.VillageCode != e.VillageCode {
		return nil, bad
	}
	if orig.AmendedBy != 0 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "amends_id", Key: "ledger.err_amended", Args: []any{orig.AmendedBy}})
	}
	return orig, nil
}

// Entry returns an entry the actor may see.
func (s *Service) Entry(ctx context.Context, a *counsel.Actor, id int64) (*counsel.Entry, error) {
	e, err := Entry(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadEntry(a, e.VillageCode, e.ProviderID, e.AdvisorID) {
		return nil, counsel.ErrNotFound
	}
	return e, nil
}

// EntryScope confines an entry filter to the actor's scope.
func EntryScope(a *counsel.Actor, f EntryFilter) EntryFilter {
	b := registry.BaseFilter(a)
	f.ProviderID, f.AdvisorID = b.ProviderID, b.AdvisorID
	if b.Scope != "" {
		if f.Scope == "" || !counsel.Within(f.Scope, b.Scope) {
			f.Scope = b.Scope
		}
	}
	return f
}

// Entries lists the entries the actor may see.
func (s *Service) Entries(ctx context.Context, a *counsel.Actor, f EntryFilter) (registry.List[counsel.Entry], error) {
	f = EntryScope(a, f)
	pg, err := EntriesPage(ctx, s.DB, f)
	return registry.SeekListOf(pg.Items, pg.Total, pg.Capped, pg.Next, pg.Prev, f.Page), err
}

// EachEntry calls fn for every entry Entries would list (an export).
func (s *Service) EachEntry(ctx context.Context, a *counsel.Actor, f EntryFilter, fn func(counsel.Entry) error) error {
	return EachEntry(ctx, s.DB, EntryScope(a, f), fn)
}

// ReviewEntry is the village committee's confirmation (status confirmed) or
// dispute (status disputed, with a note) of a pending entry. A disputed
// entry stops counting toward obligations until the advisor amends it.
func (s *Service) ReviewEntry(ctx context.Context, a *counsel.Actor, id int64, status, note string) (*counsel.Entry, error) {
	e, err := s.Entry(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !(authz.IsAdmin(a) || a.Role == counsel.RoleVillage && a.RegionCode == e.VillageCode) {
		return nil, counsel.ErrForbidden
	}
	note = strings.TrimSpace(note)
	switch status {
	case counsel.EntryConfirmed:
	case counsel.EntryDisputed:
		if note == "" {
			return nil, counsel.Invalid(counsel.FieldError{Field: "note", Key: "ledger.err_dispute_note"})
		}
	default:
		return nil, counsel.Invalid(counsel.FieldError{Field: "status", Key: "err.choice"})
	}
	if len([]rune(note)) > 1000 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "note", Key: "err.too_long", Args: []any{1000}})
	}
	if e.Status != counsel.EntryPending {
		return nil, counsel.Errorf(counsel.CodeConflict, "ledger.err_reviewed")
	}
	var obls []Obligation
	if status == counsel.EntryDisputed && e.AmendedBy == 0 {
		g, err := registry.Agreement(ctx, s.DB, e.AgreementID)
		if err != nil {
			return nil, err
		}
		if obls, err = s.obligations(ctx, e.VillageCode, g); err != nil {
			return nil, err
		}
	}
	now := s.svc.Now()
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := ReviewEntry(ctx, tx, id, status, note, a.UserID, now.UnixMilli())
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "ledger.err_reviewed")
		}
		if status == counsel.EntryDisputed {
			if e.AmendedBy == 0 {
				if err := CountEntry(ctx, tx, e, obls, -1); err != nil {
					return err
				}
			}
			if err := s.notifyAdvisor(ctx, tx, e.AdvisorID, "entry_disputed", "ledger.note_disputed", []any{e.VillageName, e.Date}, entryLink(e.ID), now); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, a, status, "entry", e.ID, e.VillageCode, map[string]any{"status": e.Status}, map[string]any{"status": status, "note": note})
	})
	if err != nil {
		return nil, err
	}
	return Entry(ctx, s.DB, id)
}

func entryLink(id int64) string { return "/ledger/entries/" + itoa(id) }

// notifyAdvisor sends an in-app notification to an advisor's accounts.
func (s *Service) notifyAdvisor(ctx context.Context, tx *store.Tx, advisorID int64, kind, key string, args []any, link string, now time.Time) error {
	ids, err := notify.Recipients(ctx, s.DB, counsel.RoleAdvisor, "", advisorID)
	if err != nil {
		return err
	}
	for _, uid := range ids {
		if _, err := notify.Notify(ctx, tx, &notify.Notification{UserID: uid, Kind: kind, Title: notifyText(key, args), Link: link,
			DedupKey: kind + "|" + link, CreatedAt: now.UnixMilli()}); err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// notifyText renders a notification in Chinese, the language it is stored in.
func notifyText(key string, args []any) string { return i18n.T("zh", key, args...) }
