// Package i18n holds the zh-CN and English catalogs. Every user-visible string
// is a key; each entry carries both languages. Catalogs are JSON files a
// translator can read and edit: the shared ones in messages/ here, and each
// feature's beside its code (registered by the feature with Register).
//
// A catalog file maps keys to both texts:
//
//	{"consult.nav": {"zh": "网上咨询", "en": "Online questions"}}
package i18n

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Languages supported, the first is the default.
var Languages = []string{"zh", "en"}

//go:embed messages/*.json
var shared embed.FS

// catalog is every registered message. Registration happens only at
// program start (package init of i18n and of the features, which Go runs one
// at a time); afterwards it is only read, so lookups take no lock.
var catalog = struct {
	msgs   map[string][2]string
	origin map[string]string // key → catalog file that defined it
	errs   []error           // problems found while registering (see Problems)
}{msgs: map[string][2]string{}, origin: map[string]string{}}

func init() {
	files, err := fs.Glob(shared, "messages/*.json")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := shared.ReadFile(f)
		if err != nil {
			panic(err)
		}
		Register("i18n/"+f, b)
	}
}

// Register adds a catalog file's messages; call it only from a package's
// init. name says where the file lives
// (for error reports). A malformed file, a key defined twice (in this file or
// another), or an entry missing a language is recorded and reported by
// Problems — the catalog test fails on it — and the first definition wins.
func Register(name string, data []byte) {
	entries, err := decode(data)
	if err != nil {
		catalog.errs = append(catalog.errs, fmt.Errorf("%s: %w", name, err))
		return
	}
	for _, e := range entries {
		if prev, dup := catalog.origin[e.key]; dup {
			catalog.errs = append(catalog.errs, fmt.Errorf("%s: key %q already defined in %s", name, e.key, prev))
			continue
		}
		if strings.TrimSpace(e.zh) == "" || strings.TrimSpace(e.en) == "" {
			catalog.errs = append(catalog.errs, fmt.Errorf("%s: key %q lacks a Chinese or English text", name, e.key))
		}
		catalog.msgs[e.key] = [2]string{e.zh, e.en}
		catalog.origin[e.key] = name
	}
}

// RegisterFS registers every *.json file at the root of fsys.
func RegisterFS(prefix string, fsys fs.FS) {
	files, err := fs.Glob(fsys, "*.json")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			panic(err)
		}
		Register(path.Join(prefix, f), b)
	}
}

type entry struct{ key, zh, en string }

// decode reads a catalog file token by token, so a key written twice in the
// same file is caught (encoding/json would keep the last silently).
func decode(data []byte) ([]entry, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("want a JSON object of messages")
	}
	var out []entry
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key := t.(string)
		var v struct {
			Zh string `json:"zh"`
			En string `json:"en"`
		}
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("key %q: %w", key, err)
		}
		if seen[key] {
			return nil, fmt.Errorf("key %q written twice", key)
		}
		seen[key] = true
		out = append(out, entry{key, v.Zh, v.En})
	}
	return out, nil
}

// Problems lists what went wrong registering catalogs (duplicates, missing
// languages, malformed files); empty when all is well.
func Problems() []error {
	return append([]error(nil), catalog.errs...)
}

// T returns the message for key in lang ("zh" or "en"), formatted with args
// (fmt verbs in the catalog text). An unknown key is returned as is, so a
// missing entry shows up in tests and on screen instead of an empty string.
func T(lang, key string, args ...any) string {
	e, ok := lookup(key)
	if !ok {
		return key
	}
	msg := e[0]
	if lang == "en" {
		msg = e[1]
	}
	if len(args) > 0 && strings.Contains(msg, "%") {
		return fmt.Sprintf(msg, args...)
	}
	return msg
}

// Has reports whether key is in the catalogs.
func Has(key string) bool {
	_, ok := lookup(key)
	return ok
}

func lookup(key string) ([2]string, bool) {
	e, ok := catalog.msgs[key]
	return e, ok
}

// Keys lists every key, sorted (for tests).
func Keys() []string {
	out := make([]string, 0, len(catalog.msgs))
	for k := range catalog.msgs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Origin returns the catalog file that defines key ("" when none does).
func Origin(key string) string {
	return catalog.origin[key]
}

// Entry returns the zh and en texts of a key.
func Entry(key string) (zh, en string, ok bool) {
	e, ok := lookup(key)
	return e[0], e[1], ok
}

// Lang picks a supported language from a user's choice or an Accept-Language
// header, defaulting to Chinese.
func Lang(choice string) string {
	c := strings.ToLower(choice)
	if strings.HasPrefix(c, "en") {
		return "en"
	}
	return "zh"
}
