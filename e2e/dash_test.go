package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
)

// dashSeed records ten months of services at a 正宁县 village under the
// Zhengning preset (on top of whatever the demo holds).
func dashSeed(t *testing.T, app *apptest.App) {
	t.Helper()
	ctx := context.Background()
	admin := &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin}
	if err := ledger.NewService(app.Svc).SavePolicy(ctx, admin, "621025000000", policy.Zhengning()); err != nil {
		t.Fatal(err)
	}
	g, err := registry.LiveAgreementFor(ctx, app.DB, "621025100001")
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{policy.KindOnsiteDuty, policy.KindLecture, policy.KindConsultation}
	for m := 1; m <= 10; m++ {
		e := &counsel.Entry{VillageCode: "621025100001", AdvisorID: g.AdvisorID, Kind: kinds[m%3], Mode: policy.ModeOnsite,
			Date: fmt.Sprintf("2026-%02d-12", m), Minutes: 45 * m, Content: "到村服务"}
		if _, err := ledger.NewService(app.Svc).RecordEntry(ctx, admin, e); err != nil {
			t.Fatal(err)
		}
	}
}

// consoleErrors collects the page's console errors, uncaught exceptions and
// CSP violations.
func consoleErrors(ctx context.Context) func() []string {
	var mu sync.Mutex
	var errs []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			errs = append(errs, "exception: "+e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value))
				}
				errs = append(errs, "console: "+strings.Join(parts, " "))
			}
		case *cdplog.EventEntryAdded:
			// The browser asks for /favicon.ico on its own; no page links it.
			if e.Entry.Level == cdplog.LevelError && !strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
				errs = append(errs, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// TestDashboardCharts: the county bureau's dashboard draws its four charts
// under the strict CSP with no console error, passes axe-core's WCAG 2 A/AA
// rules, drills down to a village, and the printable report renders.
func TestDashboardCharts(t *testing.T) {
	ctx := browserCtx(t, 1280, 1000)
	app := apptest.New(t)
	dashSeed(t, app)
	errs := consoleErrors(ctx)
	run(t, ctx, "enable log", cdplog.Enable())
	login(t, ctx, app.HTTP.URL, "zn-bureau")
	base := app.HTTP.URL
	var canvases int
	run(t, ctx, "open the dashboard",
		chromedp.Navigate(base+"/dashboard?region=621025000000&year=2026"),
		chromedp.WaitVisible(`#chart-children canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('.dash-chart canvas').length`, &canvases),
	)
	if canvases != 4 {
		t.Fatalf("%d charts drawn, want 4", canvases)
	}
	if dir := os.Getenv("COUNSEL_SCREENSHOTS"); dir != "" {
		var png []byte
		run(t, ctx, "screenshot", chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, "dashboard-county.png"), png, 0o644)
	}
	axe, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	var res string
	run(t, ctx, "axe-core",
		chromedp.Evaluate(string(axe), nil),
		chromedp.Evaluate(`axe.run(document.querySelector('main'), {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' '))}))))`, &res,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	var violations []struct {
		ID    string   `json:"id"`
		Nodes []string `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(res), &violations); err != nil {
		t.Fatalf("axe result %q: %v", res, err)
	}
	for _, v := range violations {
		t.Errorf("axe: %s on %v", v.ID, v.Nodes)
	}

	// Drill down: the town, then a village with its advisor and duties.
	var h1 string
	run(t, ctx, "drill down to the town",
		chromedp.Click(`a[href="/dashboard?region=621025100000&year=2026"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`a[href="/dashboard?region=621025100001&year=2026"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/dashboard?region=621025100001&year=2026"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#dash-duties`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
	)
	if !strings.Contains(h1, "工作看板") {
		t.Fatalf("village heading %q", h1)
	}
	var rows int
	run(t, ctx, "the ledger statistics page",
		chromedp.Navigate(base+"/reports/ledger?region=621025000000&year=2026&half=0"),
		chromedp.WaitVisible(`table.rp-table`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('table.rp-table tbody tr').length`, &rows),
	)
	if rows < 10 {
		t.Fatalf("report has %d rows", rows)
	}
	if dir := os.Getenv("COUNSEL_SCREENSHOTS"); dir != "" {
		var png []byte
		run(t, ctx, "screenshot", chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, "report-ledger.png"), png, 0o644)
		run(t, ctx, "annual report", chromedp.Navigate(base+"/reports/annual?region=621025000000&year=2026"),
			chromedp.WaitVisible(`table.rp-table`, chromedp.ByQuery), chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, "report-annual.png"), png, 0o644)
	}
	if e := errs(); len(e) > 0 {
		t.Fatalf("console errors:\n%s", strings.Join(e, "\n"))
	}
}

// TestDashboardPhone: the dashboard fits a phone's width.
func TestDashboardPhone(t *testing.T) {
	ctx := browserCtx(t, 360, 740)
	app := apptest.New(t)
	dashSeed(t, app)
	login(t, ctx, app.HTTP.URL, "zn-judicial")
	var overflow bool
	run(t, ctx, "open the dashboard",
		chromedp.Navigate(app.HTTP.URL+"/dashboard?year=2026"),
		chromedp.WaitVisible(`#chart-month canvas`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
	)
	if overflow {
		t.Error("the dashboard scrolls sideways at 360 px")
	}
	if dir := os.Getenv("COUNSEL_SCREENSHOTS"); dir != "" {
		var png []byte
		run(t, ctx, "screenshot", chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, "dashboard-360.png"), png, 0o644)
	}
}
