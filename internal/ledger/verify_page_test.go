package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/ledger"
)

// A run that does not finish within the page's wait shows its progress and
// refreshes; once done, the page shows the kept result without running again.
func TestVerifyPageProgress(t *testing.T) {
	app := apptest.New(t)
	bureau := app.Session("zn-bureau")
	release := ledger.HoldVerify(app.Feats.Ledger.Svc)
	st, body := bureau.Page(t, "/ledger/verify?run=1")
	if st != 200 || !strings.Contains(body, `id="verify-running"`) || !strings.Contains(body, `http-equiv="refresh"`) || strings.Contains(body, `id="verify-ok"`) {
		release()
		t.Fatalf("a held run: status %d\n%s", st, body)
	}
	release()
	for i := 0; ; i++ {
		st, body = bureau.Page(t, "/ledger/verify")
		if strings.Contains(body, `id="verify-ok"`) {
			break
		}
		if i > 100 {
			t.Fatalf("the run never finished: %d", st)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(body, `id="verify-last"`) || strings.Contains(body, `http-equiv="refresh"`) {
		t.Fatalf("the kept result: %s", body)
	}
}
