// Package e2e drives the real pages in headless Chromium (Debian's chromium,
// through chromedp). The tests run when COUNSEL_E2E=1 (CI sets it; then a
// missing browser is a failure) or when a chromium binary is found.
package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/registry"
)

func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("COUNSEL_E2E") == "1" {
		t.Fatal("COUNSEL_E2E=1 but no chromium found (apt-get install chromium)")
	}
	t.Skip("no chromium: browser tests skipped (set COUNSEL_E2E=1 to require them)")
	return ""
}

// browserCtx starts headless Chromium with a window of w×h pixels.
func browserCtx(t *testing.T, w, h int) context.Context {
	t.Helper()
	// The profile is removed after the browser is gone (cleanups run last
	// registered first), best effort: Chromium may still be writing to it
	// while it exits, which would fail t.TempDir's strict cleanup.
	profile, err := os.MkdirTemp("", "counsel-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.Flag("headless", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(w, h),
		chromedp.UserDataDir(profile),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel3)
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func login(t *testing.T, ctx context.Context, base, user string) {
	t.Helper()
	run(t, ctx, "log in as "+user,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(`#username`, chromedp.ByID),
		chromedp.SendKeys(`#username`, user, chromedp.ByID),
		chromedp.SendKeys(`#password`, apptest.Password, chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID),
		// Only signed-in pages have the logout button: the login page also
		// has a main h1, and waiting for that raced the form's submission
		// (the next navigation could leave before the session cookie came).
		chromedp.WaitVisible(`form[action="/logout"] button`, chromedp.ByQuery),
	)
}

// TestJudicialOfficeAgreementFlow: a town's judicial office logs in, finds a
// village, creates an agreement, is refused a sixth village for the same
// advisor with the reason next to the field, and exports 附件1.
func TestJudicialOfficeAgreementFlow(t *testing.T) {
	ctx := browserCtx(t, 1280, 900)
	app := apptest.New(t)
	base := app.HTTP.URL
	login(t, ctx, base, "zn-judicial")

	// Find a village by the name people use (西关村 for 西关村委会).
	var href string
	run(t, ctx, "search a village",
		chromedp.Navigate(base+"/regions?q="+"西关"),
		chromedp.WaitVisible(`a[href="/regions/621025100201"]`, chromedp.ByQuery),
		chromedp.AttributeValue(`a[href="/regions/621025100201"]`, "href", &href, nil, chromedp.ByQuery),
		chromedp.Click(`a[href="/regions/621025100201"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
	)
	var title string
	run(t, ctx, "village page", chromedp.Text(`main h1`, &title, chromedp.ByQuery))
	if !strings.Contains(title, "西关") {
		t.Fatalf("village page title %q, want 西关", title)
	}

	// Pick an advisor with 4 villages (the demo's advisors serve at most 4).
	c := context.Background()
	advs, _, err := registry.Advisors(c, app.DB, counsel.Filter{Scope: "621025000000", Page: counsel.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	var adv *counsel.Advisor
	for i := range advs {
		if advs[i].Villages == 4 {
			adv = &advs[i]
			break
		}
	}
	if adv == nil {
		t.Fatal("no demo advisor with 4 villages")
	}
	villages, err := registry.Villages(c, app.DB, "621025100000")
	if err != nil {
		t.Fatal(err)
	}
	create := func(village string) {
		run(t, ctx, "open the new agreement form for "+village,
			chromedp.Navigate(base+"/agreements/new?region="+village),
			chromedp.WaitVisible(`#advisor_id`, chromedp.ByID),
			chromedp.SetValue(`#advisor_id`, fmt.Sprint(adv.ID), chromedp.ByID),
			// Overlapping the demo's 2026 terms: the load limit counts only
			// agreements in force at the same time (issue 11, item 4).
			chromedp.SetValue(`#start_date`, "2026-12-10", chromedp.ByID),
			chromedp.SetValue(`#end_date`, "2026-12-31", chromedp.ByID),
			chromedp.Submit(`#advisor_id`, chromedp.ByID),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		)
	}
	create("621025100201")
	var url string
	run(t, ctx, "after create", chromedp.Location(&url))
	if !strings.Contains(url, "/agreements/") || strings.Contains(url, "/new") {
		t.Fatalf("after creating, the browser is at %s, want the agreement's page", url)
	}
	// The advisor now serves 5 villages; a sixth is refused with the reason.
	create(villages[len(villages)-1].Code)
	var msg, kept string
	run(t, ctx, "sixth village",
		chromedp.WaitVisible(`.field-error`, chromedp.ByQuery),
		chromedp.Text(`.field-error`, &msg, chromedp.ByQuery),
		chromedp.Value(`#start_date`, &kept, chromedp.ByID),
	)
	if !strings.Contains(msg, "上限") || !strings.Contains(msg, adv.Name) {
		t.Errorf("error next to the field %q, want the load limit and the advisor's name", msg)
	}
	if kept != "2026-12-10" {
		t.Errorf("start date after the error %q, want the typed 2026-12-10 kept", kept)
	}

	// Export 附件1 through the page's link and open the file.
	dir, err := os.MkdirTemp("", "counsel-download-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	run(t, ctx, "export 附件1",
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Navigate(base+"/pairings"),
		chromedp.WaitVisible(`a[href^="/pairings/attachment1.xlsx"]`, chromedp.ByQuery),
		chromedp.Click(`a[href^="/pairings/attachment1.xlsx"]`, chromedp.ByQuery),
	)
	var file string
	for i := 0; i < 100 && file == ""; i++ {
		time.Sleep(100 * time.Millisecond)
		m, _ := filepath.Glob(filepath.Join(dir, "*"))
		for _, f := range m {
			if !strings.HasSuffix(f, ".crdownload") {
				file = f
			}
		}
	}
	if file == "" {
		t.Fatal("no 附件1 download")
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("open the download: %v", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil || len(rows) < 4 {
		t.Fatalf("附件1 rows %d: %v", len(rows), err)
	}
	if !strings.Contains(strings.Join(rows[0], ""), "结对情况统计表") {
		t.Errorf("附件1 title %q", rows[0])
	}
	for _, r := range rows[3:] {
		if len(r) > 0 && r[0] != "" && r[0] != "山河镇" {
			t.Errorf("山河镇 judicial office's 附件1 holds a row of %q", r[0])
		}
	}
}

// TestPhoneLayout renders the home page and a list at a 360-px phone width
// and checks nothing overflows sideways.
func TestPhoneLayout(t *testing.T) {
	ctx := browserCtx(t, 360, 740)
	app := apptest.New(t)
	login(t, ctx, app.HTTP.URL, "zn-advisor")
	for _, p := range []string{"/", "/agreements", "/persons", "/regions"} {
		var overflow bool
		run(t, ctx, "open "+p,
			chromedp.Navigate(app.HTTP.URL+p),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
		)
		if overflow {
			t.Errorf("%s scrolls sideways at 360 px", p)
		}
	}
	if dir := os.Getenv("COUNSEL_SCREENSHOTS"); dir != "" {
		var png []byte
		run(t, ctx, "screenshot", chromedp.Navigate(app.HTTP.URL+"/agreements"), chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, "agreements-360.png"), png, 0o644)
	}
}
