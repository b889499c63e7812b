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
	e, ok := errorMessages[key]
	if !ok {
		e, ok = uiMessages[key]
	}
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
	_, ok := errorMessages[key]
	if !ok {
		_, ok = uiMessages[key]
	}
	return ok
}

// Keys lists every key (for tests).
func Keys() []string {
	out := make([]string, 0, len(errorMessages)+len(uiMessages))
	for k := range errorMessages {
		out = append(out, k)
	}
	for k := range uiMessages {
		out = append(out, k)
	}
	return out
}

// Entry returns the zh and en texts of a key.
func Entry(key string) (zh, en string, ok bool) {
	e, ok := errorMessages[key]
	if !ok {
		e, ok = uiMessages[key]
	}
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
