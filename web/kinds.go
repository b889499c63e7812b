package web

import "github.com/villagecounsel/counsel/internal/policy"

// KindOption is a service kind or mode for selects.
type KindOption struct{ Code, Label string }

// KindOptions lists the built-in service kinds for selects.
func KindOptions(lang string) []KindOption {
	out := make([]KindOption, 0, len(policy.Kinds))
	for _, k := range policy.Kinds {
		out = append(out, KindOption{k, policy.KindLabel(k, lang)})
	}
	return out
}
