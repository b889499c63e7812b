package public_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// TestPublicBoardCache checks that anonymous visitors share a rendered
// board, that a change of the board shows at once, and that a signed-in
// visitor's page (with its CSRF token) is never the shared one.
func TestPublicBoardCache(t *testing.T) {
	app := apptest.New(t)
	anon := app.Anonymous()
	_, _, first := pubGet(t, anon, "/v/"+pubVillage)
	_, _, second := pubGet(t, app.Anonymous(), "/v/"+pubVillage)
	if first == "" || first != second {
		t.Fatal("two anonymous visitors got different boards")
	}
	if strings.Contains(first, `name="csrf"`) {
		t.Error("the anonymous board carries a CSRF token")
	}
	judicial := app.Login("zn-judicial")
	if _, _, page := pubGet(t, judicial, "/v/"+pubVillage); !strings.Contains(page, `name="csrf"`) {
		t.Error("a signed-in visitor got the anonymous board (no CSRF token)")
	}
	resp := judicial.Do("POST", "/boards/"+pubVillage+"/hours", url.Values{"onsite_hours": {"每周五下午"}}, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("hours: %d", resp.StatusCode)
	}
	if _, _, page := pubGet(t, anon, "/v/"+pubVillage); !strings.Contains(page, "每周五下午") {
		t.Error("the cached board hides the new on-site hours")
	}
}
