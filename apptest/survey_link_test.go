package apptest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The village board carries the residents' "评价法律顾问" link (issue 14),
// and it opens the survey for that village without an account.
func TestBoardLinksToSurvey(t *testing.T) {
	app := apptest.New(t)
	anon := app.Anonymous()
	st, body := anon.Page(t, "/v/621025100001")
	if st != http.StatusOK || !strings.Contains(body, `href="/survey?v=621025100001"`) || !strings.Contains(body, "评价法律顾问") {
		t.Fatalf("board: %d, no survey link", st)
	}
	if st, _ := anon.Page(t, "/survey?v=621025100001"); st != http.StatusOK {
		t.Errorf("survey from the board: %d", st)
	}
}
