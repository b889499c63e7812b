package web_test

import (
	"testing"

	"github.com/villagecounsel/counsel/web"
)

// TestSafeNext keeps redirects after login on this site: the payloads a
// probe used and their relatives go home instead.
func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/ledger/entries?kind=mediation": "/ledger/entries?kind=mediation",
		"/v/621025100001":                "/v/621025100001",
		"/\t/evil.example":               "/",
		"/\n/evil.example":               "/",
		"/\\evil.example":                "/",
		"/\\/evil.example":               "/",
		"//evil.example":                 "/",
		"/%2F%2Fevil.example":            "/",
		"/%2f/evil.example":              "/",
		"/%5Cevil.example":               "/",
		"/%09/evil.example":              "/",
		"javascript:alert(1)":            "/",
		"https://evil.example/":          "/",
		"evil.example":                   "/",
		"":                               "/",
	} {
		if got := web.SafeNext(in); got != want {
			t.Errorf("SafeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
