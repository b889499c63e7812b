package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// LedgerKinds returns the kinds of service offered in a village or region:
// the built-in ones and those added by its county or above.
func (s *Service) LedgerKinds(ctx context.Context, region string) ([]LedgerKind, error) {
	var out []LedgerKind
	for _, k := range policy.Kinds {
		out = append(out, LedgerKind{Code: k, Name: policy.KindLabel(k, "zh"), NameEN: policy.KindLabel(k, "en")})
	}
	if !counsel.ValidCode(region) {
		return out, nil
	}
	extra, err := LedgerKinds(ctx, s.DB, region)
	return append(out, extra...), err
}

// AddLedgerKind adds a kind of service to a county's dictionary (R14): the
// county bureau for its county, the administrator for any region. The code
// is derived from the name.
func (s *Service) AddLedgerKind(ctx context.Context, a *counsel.Actor, region, name, nameEN string) (*LedgerKind, error) {
	name, nameEN = strings.TrimSpace(name), strings.TrimSpace(nameEN)
	if !counsel.ValidCode(region) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.required"})
	}
	if !(authz.IsAdmin(a) || authz.CountyBureau(a) && counsel.Within(region, a.RegionCode)) {
		return nil, counsel.OutOfScope("region")
	}
	switch {
	case name == "":
		return nil, counsel.Invalid(counsel.FieldError{Field: "name", Key: "err.required"})
	case utf8.RuneCountInString(name) > 20:
		return nil, counsel.Invalid(counsel.FieldError{Field: "name", Key: "err.too_long", Args: []any{20}})
	case utf8.RuneCountInString(nameEN) > 60:
		return nil, counsel.Invalid(counsel.FieldError{Field: "name_en", Key: "err.too_long", Args: []any{60}})
	}
	have, err := s.LedgerKinds(ctx, region)
	if err != nil {
		return nil, err
	}
	for _, k := range have {
		if k.Name == name {
			return nil, counsel.Invalid(counsel.FieldError{Field: "name", Key: "ledger.err_kind_exists"})
		}
	}
	sum := sha256.Sum256([]byte(region + "|" + name))
	k := LedgerKind{Region: region, Code: "x_" + hex.EncodeToString(sum[:5]), Name: name, NameEN: nameEN}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := AddLedgerKind(ctx, tx, k, s.svc.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "create", "ledger_kind", 0, region, nil, k)
	})
	s.ResetCache()
	if err != nil {
		return nil, err
	}
	return &k, nil
}

// KindName returns the display name of a kind, built-in or added.
func (s *Service) KindName(ctx context.Context, code, lang string) string {
	if policy.ValidKind(code) {
		return policy.KindLabel(code, lang)
	}
	c, err := s.loadCache(ctx)
	if err != nil {
		return code
	}
	c.mu.Lock()
	names := c.kindNames
	c.mu.Unlock()
	if names == nil {
		all, err := AllLedgerKinds(ctx, s.DB)
		if err != nil {
			return code
		}
		names = all
		c.mu.Lock()
		c.kindNames = names
		c.mu.Unlock()
	}
	if k, ok := names[code]; ok {
		if lang == "en" && k.NameEN != "" {
			return k.NameEN
		}
		return k.Name
	}
	return code
}
