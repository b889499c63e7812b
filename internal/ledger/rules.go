package ledger

import (
	"context"
	"strconv"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

// The duty-rule form (issue 11, item 5): a clerk adds, changes or removes
// one rule of a jurisdiction's own layer at a time; SavePolicy checks the
// whole layer and counts the obligations again.

// Layers returns every jurisdiction's layer of rules.
func (s *Service) Layers(ctx context.Context) ([]policy.Layer, error) {
	c, err := s.loadCache(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]policy.Layer(nil), c.layers...), nil
}

// SaveRule adds a rule to a region's own layer, or replaces the rule of the
// same ID there (a rule without ID is new and gets one). It returns the
// rule as saved.
func (s *Service) SaveRule(ctx context.Context, a *counsel.Actor, region string, r policy.Rule) (*policy.Rule, error) {
	l, err := s.Policy(ctx, a, region)
	if err != nil {
		return nil, err
	}
	own := l.Own
	own.Rules = append([]policy.Rule(nil), own.Rules...)
	if r.ID == "" {
		r.ID = "r" + strconv.FormatInt(s.svc.Now().UnixMilli(), 36)
		for exists(own.Rules, r.ID) {
			r.ID += "x"
		}
		own.Rules = append(own.Rules, r)
	} else {
		i := index(own.Rules, r.ID)
		if i < 0 {
			return nil, counsel.Invalid(counsel.FieldError{Field: "rule_id", Key: "rule.err_missing"})
		}
		own.Rules[i] = r
	}
	if err := s.SavePolicy(ctx, a, l.Region, own); err != nil {
		return nil, err
	}
	return &r, nil
}

// RemoveRule removes a rule from a region: the region's own rule is
// deleted; an inherited one is switched off for the region's subtree (a
// Disabled rule of its ID in the own layer).
func (s *Service) RemoveRule(ctx context.Context, a *counsel.Actor, region, id string) error {
	l, err := s.Policy(ctx, a, region)
	if err != nil {
		return err
	}
	own := l.Own
	own.Rules = append([]policy.Rule(nil), own.Rules...)
	switch i := index(own.Rules, id); {
	case i >= 0:
		own.Rules = append(own.Rules[:i], own.Rules[i+1:]...)
	case exists(l.Resolved.Rules, id):
		own.Rules = append(own.Rules, policy.Rule{ID: id, Disabled: true})
	default:
		return counsel.Invalid(counsel.FieldError{Field: "rule_id", Key: "rule.err_missing"})
	}
	return s.SavePolicy(ctx, a, l.Region, own)
}

func index(rs []policy.Rule, id string) int {
	for i := range rs {
		if rs[i].ID == id {
			return i
		}
	}
	return -1
}

func exists(rs []policy.Rule, id string) bool { return index(rs, id) >= 0 }

// Inherited returns the rules binding region from above (its own layer
// left out), each with the region of the layer it comes from.
func Inherited(layers []policy.Layer, region string) ([]policy.Rule, map[string]string) {
	var above []policy.Layer
	for _, l := range layers {
		if l.Region != region {
			above = append(above, l)
		}
	}
	p := policy.Resolve(above, region)
	from := map[string]string{}
	for _, r := range p.Rules {
		best := -1
		for _, l := range above {
			if l.Region != "" && !counsel.Within(region, l.Region) {
				continue
			}
			if exists(l.Policy.Rules, r.ID) && int(levelOf(l.Region)) > best {
				best, from[r.ID] = int(levelOf(l.Region)), l.Region
			}
		}
	}
	return p.Rules, from
}

func levelOf(code string) counsel.Level {
	if code == "" {
		return 0
	}
	return counsel.LevelOf(code)
}

// Overridden returns the inherited rules r replaces: those of its ID and
// those of its name.
func Overridden(inherited []policy.Rule, r policy.Rule) []policy.Rule {
	var out []policy.Rule
	for _, x := range inherited {
		if x.ID == r.ID || (r.Name != "" && !r.Disabled && x.Name == r.Name) {
			out = append(out, x)
		}
	}
	return out
}
