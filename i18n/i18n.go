// Package i18n holds the zh-CN and English catalogs. Every user-visible string
// is a key here; each entry carries both languages, so none can be missing.
package i18n

import (
	"fmt"
	"strings"
)

// Languages supported, the first is the default.
var Languages = []string{"zh", "en"}

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

// catalogs are the message tables; each file of this package owns one, so
// pages of different areas can be worked on side by side.
var catalogs = []map[string][2]string{errorMessages, uiMessages, uiRegistry, uiPairing, uiAdmin, uiAPI, uiLedger, uiMajor, uiPublic, uiOutbox, uiDash, uiVolume, uiConsult}

func lookup(key string) ([2]string, bool) {
	for _, c := range catalogs {
		if e, ok := c[key]; ok {
			return e, true
		}
	}
	return [2]string{}, false
}

// Keys lists every key (for tests).
func Keys() []string {
	var out []string
	for _, c := range catalogs {
		for k := range c {
			out = append(out, k)
		}
	}
	return out
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
