package apptest_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/i18n"
)

// The page sweep: every GET page the authorization matrix renders for a
// role that may see it is also read for what a user must never see — a
// message key shown instead of its text (an untranslated key) or a bare
// language code shown as a label ("入户走访 · zh"). Template errors and
// panics already fail the matrix as a 500.

var (
	sweepDrop  = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`)
	sweepAttrs = regexp.MustCompile(`(?i)\b(?:title|placeholder|aria-label|alt)="([^"]*)"`)
	sweepTags  = regexp.MustCompile(`(?s)<[^>]*>`)
	sweepLang  = regexp.MustCompile(`(?:^|[\s·/(（:：])(zh|en)(?:$|[\s)）·,，])`)
	sweepKeyRe *regexp.Regexp
)

// keyPattern matches text shaped like a message key of any catalog
// namespace ("consult.ask_title", "err.required"…).
func keyPattern() *regexp.Regexp {
	if sweepKeyRe != nil {
		return sweepKeyRe
	}
	ns := map[string]bool{}
	for _, k := range i18n.Keys() {
		if p, _, ok := strings.Cut(k, "."); ok {
			ns[regexp.QuoteMeta(p)] = true
		}
	}
	var alts []string
	for p := range ns {
		alts = append(alts, p)
	}
	sweepKeyRe = regexp.MustCompile(`\b(?:` + strings.Join(alts, "|") + `)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*\b`)
	return sweepKeyRe
}

// visibleTexts returns the text nodes of a page and the attribute values a
// user reads (titles, placeholders, labels for screen readers, alt texts).
func visibleTexts(page string) []string {
	page = sweepDrop.ReplaceAllString(page, " ")
	var out []string
	for _, m := range sweepAttrs.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	for _, s := range sweepTags.Split(page, -1) {
		if s = strings.TrimSpace(html.UnescapeString(s)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sweepPage lists what an HTML page shows that it must not: a message key
// or a bare language code.
func sweepPage(what, ctype string, body []byte) []string {
	if !strings.HasPrefix(ctype, "text/html") {
		return nil
	}
	keys := keyPattern()
	var out []string
	for _, s := range visibleTexts(string(body)) {
		if k := keys.FindString(s); k != "" {
			out = append(out, fmt.Sprintf("%s shows the message key %q (in %q)", what, k, short80(s)))
		}
		if m := sweepLang.FindStringSubmatch(s); m != nil {
			out = append(out, fmt.Sprintf("%s shows a bare language code %q as a label (in %q)", what, m[1], short80(s)))
		}
	}
	return out
}

func short80(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// TestSweepCatchesKeysAndCodes proves the sweep can fail: a page with a raw
// key, and one with a language code for a label.
func TestSweepCatchesKeysAndCodes(t *testing.T) {
	for _, c := range []struct {
		page string
		bad  bool
	}{
		{`<p>入户走访 · 现场</p>`, false},
		{`<p>入户走访 · zh</p>`, true},
		{`<td>Home visit · en</td>`, true},
		{`<h1>consult.ask_title</h1>`, true},
		{`<input placeholder="err.required">`, true},
		{`<script>var x = "consult.ask_title";</script><p>ok</p>`, false},
		{`<p>Written in English (en-US style)</p>`, false},
	} {
		got := sweepPage("page", "text/html; charset=utf-8", []byte(c.page))
		if (len(got) > 0) != c.bad {
			t.Errorf("sweep of %q: %q, want problems=%v", c.page, got, c.bad)
		}
	}
}
