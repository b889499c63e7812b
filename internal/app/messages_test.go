package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/i18n"
)

// The catalogs are JSON files beside each feature (and the shared ones in
// i18n/messages). This package links every feature, so every catalog is
// registered here.

// TestCatalogsWellFormed fails on a key defined twice (in one file or two),
// a key without its Chinese or English text, or a malformed file.
func TestCatalogsWellFormed(t *testing.T) {
	for _, err := range i18n.Problems() {
		t.Error(err)
	}
	if n := len(i18n.Keys()); n < 1000 {
		t.Errorf("only %d message keys registered; a catalog file is not being loaded", n)
	}
}

// templateKey finds a literal key passed to the t helper in a template:
// {{t .Lang "key"}}, {{t $.Lang "key" …}}, (t $lang "key").
var templateKey = regexp.MustCompile(`\bt \$?[\w.]*Lang "([^"]+)"`)

// TestTemplateKeysDefined fails on a key a template uses that no catalog
// defines (the page would show the key itself).
func TestTemplateKeysDefined(t *testing.T) {
	root := repoRoot(t)
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".html") || !strings.Contains(filepath.ToSlash(p), "/templates/") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			n++
			if !i18n.Has(m[1]) {
				rel, _ := filepath.Rel(root, p)
				t.Errorf("%s uses message key %q, which no catalog defines", rel, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 500 {
		t.Errorf("found only %d message keys in templates; the scan is broken", n)
	}
}

// TestNoUnusedKeys fails on a key that neither a template nor the Go code
// mentions, whole or by the literal prefix of a family built at run time
// ("consult.status." + c.Status): a message nobody can see is a translation
// nobody should maintain.
func TestNoUnusedKeys(t *testing.T) {
	root := repoRoot(t)
	var corpus strings.Builder
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "messages") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(p, ".go") || strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".js")) {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		corpus.Write(b)
		corpus.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	text := corpus.String()
	var unused []string
	for _, k := range i18n.Keys() {
		if strings.Contains(text, `"`+k+`"`) || strings.Contains(text, "`"+k+"`") {
			continue
		}
		if !builtFrom(text, k) {
			unused = append(unused, k)
		}
	}
	sort.Strings(unused)
	for _, k := range unused {
		t.Errorf("message key %q (%s) is used nowhere", k, i18n.Origin(k))
	}
}

// builtFrom reports whether text holds a literal prefix of key ending at a
// "." or "_" ("major.note_" + step).
func builtFrom(text, key string) bool {
	for i := 1; i < len(key); i++ {
		if (key[i] == '.' || key[i] == '_') && strings.Contains(text, `"`+key[:i+1]+`"`) {
			return true
		}
	}
	return false
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
