package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/ledger"
)

// TestLedgerOnPhone: an advisor on a 360-px phone sees what is due, records
// a service while the connection drops (the form keeps the draft and
// retries; the entry is recorded once), and the village committee confirms it.
func TestLedgerOnPhone(t *testing.T) {
	app := apptest.New(t)
	base := app.HTTP.URL
	ctx := browserCtx(t, 360, 740)
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(360, 740))
	login(t, ctx, base, "zn-advisor")
	signedIn(t, ctx)

	var due string
	run(t, ctx, "due page",
		chromedp.Navigate(base+"/ledger/due"),
		chromedp.WaitVisible(`ul.duties`, chromedp.ByQuery),
		chromedp.Text(`ul.duties`, &due, chromedp.ByQuery),
	)
	if !strings.Contains(due, "到村服务") || !strings.Contains(due, "小时") {
		t.Fatalf("due page lacks the quarter's on-site hours: %q", due)
	}
	countBefore := entryCount(t, app)

	var status string
	var width int
	run(t, ctx, "fill the form offline and submit",
		chromedp.Navigate(base+"/ledger/entries/new"),
		chromedp.WaitVisible(`#entry-form`, chromedp.ByID),
		chromedp.SetValue(`#village_code`, "621025100001", chromedp.ByID),
		chromedp.SetValue(`#kind`, "mediation", chromedp.ByID),
		chromedp.SetValue(`#minutes`, "", chromedp.ByID),
		chromedp.SendKeys(`#minutes`, "150", chromedp.ByID),
		chromedp.SendKeys(`#place`, "村调委会", chromedp.ByID),
		chromedp.SendKeys(`#content`, "调解两户村民宅基地边界纠纷，达成口头协议", chromedp.ByID),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
		network.Enable(),
		network.EmulateNetworkConditions(true, 0, -1, -1),
		chromedp.Click(`#entry-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#draft-status`, chromedp.ByID),
		chromedp.Text(`#draft-status`, &status, chromedp.ByID),
	)
	if width > 360 {
		t.Fatalf("the entry form scrolls sideways on a phone: %d px wide", width)
	}
	if !strings.Contains(status, "网络中断") {
		t.Fatalf("offline submit shows %q, want the offline notice", status)
	}
	if n := entryCount(t, app); n != countBefore {
		t.Fatalf("an entry was recorded while offline (%d → %d)", countBefore, n)
	}
	var h1 string
	run(t, ctx, "back online: the retry records the entry",
		network.EmulateNetworkConditions(false, 0, -1, -1),
		chromedp.WaitVisible(`dl.facts`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
	)
	if n := entryCount(t, app); n != countBefore+1 {
		t.Fatalf("entries %d → %d after the retry, want exactly one more", countBefore, n)
	}
	es, _, err := ledger.Entries(context.Background(), app.DB, ledger.EntryFilter{Village: "621025100001", Kind: "mediation", Page: counsel.Page{Limit: 1}})
	if err != nil || len(es) == 0 || es[0].Minutes != 150 || es[0].Status != counsel.EntryPending {
		t.Fatalf("recorded entry = %+v (%v)", es, err)
	}
	id := es[0].ID

	// The village committee confirms it, on a phone too.
	vctx := browserCtx(t, 360, 740)
	run(t, vctx, "phone viewport", chromedp.EmulateViewport(360, 740))
	login(t, vctx, base, "zn-village")
	signedIn(t, vctx)
	var badge string
	run(t, vctx, "village confirms",
		chromedp.Navigate(base+"/ledger/entries?status=pending"),
		chromedp.WaitVisible(`a[href="/ledger/entries/`+itoa(id)+`"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="/ledger/entries/`+itoa(id)+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`button[value=confirmed]`, chromedp.ByQuery),
		chromedp.Click(`button[value=confirmed]`, chromedp.ByQuery),
		chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitVisible(`.badge.ok`, chromedp.ByQuery),
		chromedp.Text(`dl.facts`, &badge, chromedp.ByQuery),
	)
	if !strings.Contains(badge, "村已确认") {
		t.Fatalf("entry page after confirming: %q", badge)
	}
	e, err := ledger.Entry(context.Background(), app.DB, id)
	if err != nil || e.Status != counsel.EntryConfirmed {
		t.Fatalf("entry after confirming = %+v (%v)", e, err)
	}
	res, err := ledger.NewService(app.Svc).VerifyLedger(context.Background(), nil, "")
	if err != nil || len(res.Problems) > 0 {
		t.Fatalf("verify: %+v %v", res, err)
	}
}

// signedIn waits until the login's redirect has landed on a signed-in page.
func signedIn(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "signed in", chromedp.WaitVisible(`a.who`, chromedp.ByQuery))
}

func entryCount(t *testing.T, app *apptest.App) int {
	t.Helper()
	m, err := app.DB.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m["entries"]
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
