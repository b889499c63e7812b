package registry

import (
	"context"
	"fmt"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/division"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/store"
)

// ImportResult counts what an import created, updated or found unchanged.
type ImportResult struct {
	Rows             int      `json:"rows"`
	ProvidersCreated int      `json:"providers_created"`
	AdvisorsCreated  int      `json:"advisors_created"`
	PersonsCreated   int      `json:"persons_created"`
	PersonsUpdated   int      `json:"persons_updated"`
	PairingsCreated  int      `json:"pairings_created"`
	Unchanged        int      `json:"unchanged"`
	WithoutAgreement []string `json:"without_agreement,omitempty"` // villages whose advisor has no live agreement there
}

// importScope returns the region an import writes into: a county bureau's
// county, a judicial office's town, or for the admin the region given.
func importScope(a *counsel.Actor, region string) (string, error) {
	switch {
	case authz.IsAdmin(a):
		if lv := counsel.LevelOf(region); lv != counsel.LevelCounty && lv != counsel.LevelTown {
			return "", counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.import_region"})
		}
		return region, nil
	case authz.CountyBureau(a), a.Role == counsel.RoleJudicial:
		if region == "" {
			return a.RegionCode, nil
		}
		if lv := counsel.LevelOf(region); counsel.Within(region, a.RegionCode) && (lv == counsel.LevelCounty || lv == counsel.LevelTown) {
			return region, nil
		}
		return "", counsel.OutOfScope("region")
	}
	return "", counsel.ErrForbidden
}

// ImportPairings imports a 附件1 pairing table: providers, advisors,
// legal-literate persons and pairings. parseErrs are the reader's row errors.
// A file with any bad row writes nothing and the error lists every bad row;
// importing the same file twice creates nothing the second time.
func (s *Service) ImportPairings(ctx context.Context, a *counsel.Actor, region string, rows []xlsx.PairingRow, parseErrs []counsel.FieldError) (*ImportResult, error) {
	scope, err := importScope(a, region)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 && len(parseErrs) == 0 {
		return nil, counsel.Errorf(counsel.CodeInvalid, "imp.empty")
	}
	county := counsel.AncestorAt(scope, counsel.LevelCounty)
	res := &ImportResult{Rows: len(rows)}
	errs := append([]counsel.FieldError(nil), parseErrs...)
	bad := map[int]bool{}
	for _, e := range parseErrs {
		bad[e.Row] = true
	}
	rowErr := func(row int, col, field, key string, args ...any) {
		errs = append(errs, counsel.FieldError{Row: row, Column: col, Field: field, Key: key, Args: args})
	}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		providers := map[string]*counsel.Provider{}
		advisors := map[string]*counsel.Advisor{}
		villages := map[string]*counsel.Region{}
		towns := map[string]*division.TownVillages{}
		noAgreement := map[string]bool{}
		for _, r := range rows {
			if bad[r.Row] {
				continue
			}
			// Match on the same normalised values that new records are saved with.
			r.Town, r.Village, r.Firm = strings.TrimSpace(r.Town), strings.TrimSpace(r.Village), strings.TrimSpace(r.Firm)
			r.AdvisorName = strings.Join(strings.Fields(r.AdvisorName), "")
			r.PersonName = strings.Join(strings.Fields(r.PersonName), "")
			r.Position = strings.TrimSpace(r.Position)
			r.AdvisorPhone, r.PersonPhone = counsel.NormalizePhone(r.AdvisorPhone), counsel.NormalizePhone(r.PersonPhone)
			v, ok := villages[r.Town+"\x00"+r.Village]
			if !ok {
				var e *counsel.FieldError
				v, e = resolveVillage(ctx, tx, scope, r, towns)
				if e != nil {
					errs = append(errs, *e)
					continue
				}
				villages[r.Town+"\x00"+r.Village] = v
			}
			p := providers[r.Firm]
			if p == nil {
				p, err = ProviderByName(ctx, tx, county, r.Firm)
				switch counsel.ErrorCode(err) {
				case counsel.CodeNotFound:
					p = &counsel.Provider{Kind: providerKindOf(r.Firm), Name: r.Firm, CountyCode: county}
					p.Normalize()
					if err := p.Validate(); err != nil {
						rowErr(r.Row, "D", "firm", "imp.bad_firm", r.Firm)
						continue
					}
					if err := CreateProvider(ctx, tx, p); err != nil {
						return err
					}
					if err := audit.Write(ctx, tx, a, "create", "provider", p.ID, county, nil, p); err != nil {
						return err
					}
					res.ProvidersCreated++
				case counsel.CodeInternal:
					if err != nil {
						return err
					}
				}
				providers[r.Firm] = p
			}
			akey := fmt.Sprintf("%d\x00%s\x00%s", p.ID, r.AdvisorName, r.AdvisorPhone)
			adv := advisors[akey]
			if adv == nil {
				adv, err = AdvisorByIdentity(ctx, tx, p.ID, r.AdvisorName, r.AdvisorPhone)
				if counsel.ErrorCode(err) == counsel.CodeNotFound {
					kind := counsel.AdvisorLawyer
					if p.Kind != counsel.ProviderLawFirm {
						kind = counsel.AdvisorGrassroots
					}
					adv = &counsel.Advisor{ProviderID: p.ID, Kind: kind, Name: r.AdvisorName, Phone: r.AdvisorPhone, Active: true}
					adv.Normalize()
					if err := adv.Validate(); err != nil {
						rowErr(r.Row, "C", "advisor_name", "imp.bad_advisor", r.AdvisorName)
						continue
					}
					if err := CreateAdvisor(ctx, tx, adv); err != nil {
						return err
					}
					adv.CountyCode = county
					if err := audit.Write(ctx, tx, a, "create", "advisor", adv.ID, county, nil, adv); err != nil {
						return err
					}
					res.AdvisorsCreated++
				} else if err != nil {
					return err
				}
				advisors[akey] = adv
			}
			person, err := PersonByIdentity(ctx, tx, v.Code, r.PersonName, r.PersonPhone)
			switch counsel.ErrorCode(err) {
			case counsel.CodeNotFound:
				person = &counsel.Person{VillageCode: v.Code, Name: r.PersonName, Position: r.Position, Committee: counsel.CommitteePosition(r.Position), Phone: r.PersonPhone}
				person.Normalize()
				if e := person.Validate(); e != nil {
					for _, fe := range e.(*counsel.Error).Fields {
						rowErr(r.Row, personColumn(fe.Field), fe.Field, fe.Key, fe.Args...)
					}
					continue
				}
				if err := CreatePerson(ctx, tx, person); err != nil {
					return err
				}
				if err := audit.Write(ctx, tx, a, "create", "person", person.ID, v.Code, nil, person); err != nil {
					return err
				}
				res.PersonsCreated++
			case counsel.CodeInternal:
				if err != nil {
					return err
				}
				fallthrough // found: ErrorCode(nil) is CodeInternal
			default:
				if person.Position != r.Position && r.Position != "" {
					before := *person
					person.Position, person.Committee = r.Position, counsel.CommitteePosition(r.Position)
					if err := UpdatePerson(ctx, tx, person); err != nil {
						return err
					}
					if err := audit.Write(ctx, tx, a, "update", "person", person.ID, v.Code, &before, person); err != nil {
						return err
					}
					res.PersonsUpdated++
				}
			}
			if person.Status != counsel.PersonActive {
				rowErr(r.Row, "F", "person_name", "imp.person_inactive", person.Name)
				continue
			}
			_, err = PairingOf(ctx, tx, adv.ID, person.ID)
			if err == nil {
				res.Unchanged++
				continue
			}
			if counsel.ErrorCode(err) != counsel.CodeNotFound {
				return err
			}
			q := &counsel.Pairing{AdvisorID: adv.ID, PersonID: person.ID, VillageCode: v.Code, PairedOn: r.PairedOn}
			if err := CreatePairing(ctx, tx, q); err != nil {
				return err
			}
			if err := audit.Write(ctx, tx, a, "create", "pairing", q.ID, v.Code, nil, q); err != nil {
				return err
			}
			res.PairingsCreated++
			if g, err := LiveAgreementFor(ctx, tx, v.Code); (err != nil || g.AdvisorID != adv.ID) && !noAgreement[v.Code] {
				noAgreement[v.Code] = true
				res.WithoutAgreement = append(res.WithoutAgreement, v.Name)
			}
		}
		if len(errs) > 0 {
			return importError(errs)
		}
		return audit.Write(ctx, tx, a, "import", "pairing", 0, scope, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func importError(errs []counsel.FieldError) error {
	sortFieldErrors(errs)
	return &counsel.Error{Code: counsel.CodeInvalid, Key: "imp.rejected", Args: []any{len(rowsOf(errs))}, Fields: errs}
}

func rowsOf(errs []counsel.FieldError) map[int]bool {
	m := map[int]bool{}
	for _, e := range errs {
		m[e.Row] = true
	}
	return m
}

func sortFieldErrors(errs []counsel.FieldError) {
	for i := 1; i < len(errs); i++ {
		for j := i; j > 0 && (errs[j].Row < errs[j-1].Row || errs[j].Row == errs[j-1].Row && errs[j].Column < errs[j-1].Column); j-- {
			errs[j], errs[j-1] = errs[j-1], errs[j]
		}
	}
}

// personColumn maps a person field to its 附件1 column letter.
func personColumn(field string) string {
	switch field {
	case "name":
		return "F"
	case "position":
		return "G"
	case "phone":
		return "H"
	}
	return ""
}

// providerKindOf guesses a provider's kind from its name.
func providerKindOf(name string) string {
	switch {
	case strings.Contains(name, "律师事务所") || strings.HasSuffix(name, "律所"):
		return counsel.ProviderLawFirm
	case strings.Contains(name, "法律援助"):
		return counsel.ProviderLegalAid
	case strings.HasSuffix(name, "司法所"):
		return counsel.ProviderJudicialOffice
	case strings.Contains(name, "法律服务所"):
		return counsel.ProviderServiceOffice
	}
	return counsel.ProviderLawFirm
}

// resolveVillage finds the village a row names, written as people write it
// (小寺头村, 小寺头, 榆林子镇小寺头村 or 小寺头村民委员会 for 小寺头村委会), under the
// row's town within scope (division.TownVillages). towns caches each town's
// index for the rest of the file.
func resolveVillage(ctx context.Context, tx *store.Tx, scope string, r xlsx.PairingRow, towns map[string]*division.TownVillages) (*counsel.Region, *counsel.FieldError) {
	townScope := scope
	if counsel.LevelOf(scope) < counsel.LevelTown {
		ts, err := RegionsByKey(ctx, tx, scope, counsel.LevelTown, counsel.NameKey(r.Town))
		if err != nil || len(ts) == 0 {
			return nil, &counsel.FieldError{Row: r.Row, Column: "A", Field: "town", Key: "imp.town_unknown", Args: []any{r.Town}}
		}
		if len(ts) > 1 {
			return nil, &counsel.FieldError{Row: r.Row, Column: "A", Field: "town", Key: "imp.town_ambiguous", Args: []any{r.Town}}
		}
		townScope = ts[0].Code
	} else if t, err := Region(ctx, tx, scope); err == nil && r.Town != "" && counsel.NameKey(r.Town) != counsel.NameKey(t.Name) {
		return nil, &counsel.FieldError{Row: r.Row, Column: "A", Field: "town", Key: "imp.town_out_of_scope", Args: []any{r.Town}}
	}
	x := towns[townScope]
	if x == nil {
		t, err := Region(ctx, tx, townScope)
		if err != nil {
			return nil, &counsel.FieldError{Row: r.Row, Column: "A", Field: "town", Key: "imp.town_unknown", Args: []any{r.Town}}
		}
		vs, err := Villages(ctx, tx, townScope)
		if err != nil {
			return nil, &counsel.FieldError{Row: r.Row, Column: "B", Field: "village", Key: "imp.village_unknown", Args: []any{r.Village, r.Town}}
		}
		x = division.NewTownVillages(t.Name, vs)
		towns[townScope] = x
	}
	m := x.Match(r.Village)
	switch {
	case m.Village != nil:
		return m.Village, nil
	case len(m.Ambiguous) > 0:
		return nil, &counsel.FieldError{Row: r.Row, Column: "B", Field: "village", Key: "imp.village_ambiguous", Args: []any{r.Village, regionNames(m.Ambiguous)}}
	case len(m.Closest) > 0:
		return nil, &counsel.FieldError{Row: r.Row, Column: "B", Field: "village", Key: "imp.village_closest", Args: []any{r.Village, regionNames(m.Closest)}}
	}
	return nil, &counsel.FieldError{Row: r.Row, Column: "B", Field: "village", Key: "imp.village_unknown", Args: []any{r.Village, r.Town}}
}

// regionNames joins region names for a message: 东关村委会”或“西关村委会 (the
// message puts the outer quotes).
func regionNames(rs []counsel.Region) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	return strings.Join(names, "”或“")
}

// ImportProviders imports a provider roster into the actor's county: new
// names are created, known names updated. Any bad row writes nothing.
func (s *Service) ImportProviders(ctx context.Context, a *counsel.Actor, region string, ps []counsel.Provider, parseErrs []counsel.FieldError) (*ImportResult, error) {
	scope, err := importScope(a, region)
	if err != nil {
		return nil, err
	}
	if a.Role == counsel.RoleJudicial {
		return nil, counsel.ErrForbidden
	}
	county := counsel.AncestorAt(scope, counsel.LevelCounty)
	if len(parseErrs) > 0 {
		return nil, importError(parseErrs)
	}
	res := &ImportResult{Rows: len(ps)}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		for i := range ps {
			p := &ps[i]
			p.CountyCode = county
			old, err := ProviderByName(ctx, tx, county, p.Name)
			created := err != nil
			if err == nil {
				if old.Kind == p.Kind && old.CreditCode == p.CreditCode && old.Phone == p.Phone && old.Address == p.Address {
					res.Unchanged++
					continue
				}
				p.ID = old.ID
			} else if counsel.ErrorCode(err) != counsel.CodeNotFound {
				return err
			}
			if err := s.saveProvider(ctx, tx, a, p); err != nil {
				return err
			}
			if created {
				res.ProvidersCreated++
			}
		}
		return audit.Write(ctx, tx, a, "import", "provider", 0, county, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ImportAdvisors imports an advisor roster: each row names its provider by
// name within the county. Any bad row writes nothing.
func (s *Service) ImportAdvisors(ctx context.Context, a *counsel.Actor, region string, rows []xlsx.AdvisorRow, parseErrs []counsel.FieldError) (*ImportResult, error) {
	scope, err := importScope(a, region)
	if err != nil {
		return nil, err
	}
	if a.Role == counsel.RoleJudicial {
		return nil, counsel.ErrForbidden
	}
	county := counsel.AncestorAt(scope, counsel.LevelCounty)
	errs := append([]counsel.FieldError(nil), parseErrs...)
	res := &ImportResult{Rows: len(rows)}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, r := range rows {
			p, err := ProviderByName(ctx, tx, county, r.ProviderName)
			if err != nil {
				if counsel.ErrorCode(err) != counsel.CodeNotFound {
					return err
				}
				errs = append(errs, counsel.FieldError{Row: r.Row, Column: "E", Field: "provider", Key: "imp.provider_unknown", Args: []any{r.ProviderName}})
				continue
			}
			adv := r.Advisor
			adv.ProviderID = p.ID
			adv.Active = true
			old, err := AdvisorByIdentity(ctx, tx, p.ID, adv.Name, adv.Phone)
			created := err != nil
			if err == nil {
				if old.Kind == adv.Kind && old.LicenceNo == adv.LicenceNo && old.WeChat == adv.WeChat && old.Gender == adv.Gender {
					res.Unchanged++
					continue
				}
				adv.ID, adv.Photo, adv.HomeCode, adv.Active = old.ID, old.Photo, old.HomeCode, old.Active
			} else if counsel.ErrorCode(err) != counsel.CodeNotFound {
				return err
			}
			if err := s.saveAdvisor(ctx, tx, a, &adv); err != nil {
				if counsel.ErrorCode(err) == counsel.CodeForbidden {
					return err
				}
				errs = append(errs, counsel.FieldError{Row: r.Row, Field: "name", Key: "imp.bad_advisor", Args: []any{adv.Name}})
				continue
			}
			if created {
				res.AdvisorsCreated++
			}
		}
		if len(errs) > 0 {
			return importError(errs)
		}
		return audit.Write(ctx, tx, a, "import", "advisor", 0, county, nil, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
