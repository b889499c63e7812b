package e2e

import (
	"bytes"
	"context"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel/apptest"
)

// The printed village volume starts a new A4 page only where a page must
// start (after the cover and the contents, before the landscape entry
// table); the short parts — agreements, matters, totals and signatures —
// run on instead of taking a sheet each. The menu groups of the navigation
// bar print nowhere.
func TestVolumePrintsShortPartsTogether(t *testing.T) {
	ctx := browserCtx(t, 1280, 900)
	app := apptest.New(t)
	login(t, ctx, app.HTTP.URL, "admin")
	var breaks map[string]string
	var pdf []byte
	run(t, ctx, "print the volume",
		chromedp.Navigate(app.HTTP.URL+"/ledger/volume?village=621025100001&from=2026-01-01&to=2026-12-31"),
		chromedp.WaitVisible(`#entries`, chromedp.ByQuery),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(`Object.fromEntries(["agreements","matters","totals","entries"].map(id => [id, getComputedStyle(document.getElementById(id)).breakBefore]))`, &breaks),
		chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
			return err
		}),
	)
	for _, id := range []string{"agreements", "matters", "totals"} {
		if breaks[id] == "page" {
			t.Errorf("#%s starts its own printed page", id)
		}
	}
	if breaks["entries"] != "page" {
		t.Errorf("the landscape entry table does not start a page: break-before %q", breaks["entries"])
	}
	pages := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page\r")) + bytes.Count(pdf, []byte("/Type /Page ")) + bytes.Count(pdf, []byte("/Type /Page/"))
	t.Logf("printed volume: %d bytes of PDF, about %d pages", len(pdf), pages)
	if len(pdf) < 1000 {
		t.Errorf("no PDF printed (%d bytes)", len(pdf))
	}
}
