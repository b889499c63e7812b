package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
)

// pubVillage is the demo village the public test opens (东城社区, 山河镇).
const pubVillage = "621025100001"

// pubSeed gives the village's advisor a photo, the village on-site hours,
// the town's judicial office a phone and the village a WeChat group with a
// QR image in force, so that every part of the board is drawn.
func pubSeed(t *testing.T, app *apptest.App) {
	t.Helper()
	ctx := context.Background()
	photo := pubPNG(t)
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"0123456789abcdef0123456789abcd01.png", "0123456789abcdef0123456789abcd02.png"} {
		if err := os.WriteFile(filepath.Join(dir, n), photo, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	g, err := registry.LiveAgreementFor(ctx, app.DB, pubVillage)
	if err != nil {
		t.Fatal(err)
	}
	adv, err := registry.Advisor(ctx, app.DB, g.AdvisorID)
	if err != nil {
		t.Fatal(err)
	}
	adv.Photo = "0123456789abcdef0123456789abcd01.png"
	if err := app.Svc.SaveAdvisor(ctx, counsel.System, adv); err != nil {
		t.Fatal(err)
	}
	if err := app.Feats.Public.Svc.SetOnsiteHours(ctx, counsel.System, pubVillage, "每周三上午"); err != nil {
		t.Fatal(err)
	}
	if err := app.Feats.Public.Svc.SaveOffice(ctx, counsel.System, &public.Office{TownCode: counsel.ParentOf(pubVillage), Name: "山河镇司法所", Phone: "0934-5211234", Address: "山河镇东街1号"}); err != nil {
		t.Fatal(err)
	}
	grp := &public.WeChatGroup{VillageCode: pubVillage, Name: "东城社区结对律师服务微信群", AdminNickname: adv.Name + "律师",
		Members: public.GroupMembers{Advisor: 1, Committee: 5, Mediation: 3, Party: 8, Representative: 12, Judicial: 1}}
	if err := app.Feats.Public.Svc.SaveWeChatGroup(ctx, counsel.System, grp); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Feats.Public.Svc.SetGroupQR(ctx, counsel.System, pubVillage, "0123456789abcdef0123456789abcd02.png"); err != nil {
		t.Fatal(err)
	}
}

// pubPNG is a 60×80 grey PNG.
func pubPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 60, 80))
	for i := range img.Pix {
		img.Pix[i] = 0x99
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pubAxe runs axe-core on the whole page and fails the test on any serious
// or critical violation.
func pubAxe(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	axe, err := os.ReadFile(filepath.Join("testdata", "axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	var res string
	run(t, ctx, "axe-core on "+what,
		chromedp.Evaluate(string(axe), nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ['violations']})
			.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))`, &res,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	var violations []struct {
		ID     string   `json:"id"`
		Impact string   `json:"impact"`
		Help   string   `json:"help"`
		Nodes  []string `json:"nodes"`
	}
	if err := json.Unmarshal([]byte(res), &violations); err != nil {
		t.Fatalf("axe result %q: %v", res, err)
	}
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe on %s: %s (%s) %s on %v", what, v.ID, v.Impact, v.Help, v.Nodes)
		} else {
			t.Logf("axe on %s: %s (%s) on %v", what, v.ID, v.Impact, v.Nodes)
		}
	}
}

// pubNoOverflow fails when the page scrolls sideways.
func pubNoOverflow(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	var overflow bool
	run(t, ctx, "width of "+what, chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow))
	if overflow {
		t.Errorf("%s scrolls sideways at 360 px", what)
	}
}

func pubShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("COUNSEL_SCREENSHOTS"); dir != "" {
		var png []byte
		run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(&png, 100))
		_ = os.WriteFile(filepath.Join(dir, name), png, 0o644)
	}
}

// TestPublicBoardPhone: on a 360-px phone, without an account, a resident
// switches the site to Chinese, finds the village by pinyin, opens its
// board, turns on the care mode (关怀版), which stays on after a reload and
// on the next page; the board and the search pass axe-core with no serious
// or critical violation in both modes.
func TestPublicBoardPhone(t *testing.T) {
	ctx := browserCtx(t, 360, 780)
	app := apptest.New(t)
	pubSeed(t, app)
	base := app.HTTP.URL
	// A headless window has a minimum width; emulate the phone's viewport.
	var width int
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(360, 780), chromedp.Navigate(base+"/v"),
		chromedp.Evaluate(`window.innerWidth`, &width))
	if width != 360 {
		t.Fatalf("viewport %d px wide, want 360", width)
	}

	// The search page, in Chinese (the browser asks for English).
	var lang string
	run(t, ctx, "open the search",
		chromedp.Navigate(base+"/v"),
		chromedp.WaitVisible(`#q`, chromedp.ByID),
	)
	run(t, ctx, "switch to Chinese",
		chromedp.Click(`button[name=lang][value=zh]`, chromedp.ByQuery),
		// Wait for the new page: the old one also has the search box.
		chromedp.WaitReady(`html[lang="zh-CN"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q`, chromedp.ByID),
		chromedp.AttributeValue(`html`, "lang", &lang, nil, chromedp.ByQuery),
	)
	if lang != "zh-CN" {
		t.Fatalf("page language %q after the switch, want zh-CN", lang)
	}
	pubAxe(t, ctx, "the empty search")

	// Find the village by the pinyin of its name.
	link := `a[href="/v/` + pubVillage + `"]`
	run(t, ctx, "search by pinyin",
		chromedp.SendKeys(`#q`, "dongcheng", chromedp.ByID),
		chromedp.Submit(`#q`, chromedp.ByID),
		chromedp.WaitVisible(link, chromedp.ByQuery),
	)
	pubNoOverflow(t, ctx, "the search results")
	pubAxe(t, ctx, "the search results")
	pubShot(t, ctx, "public-search-360.png")

	// The board.
	var h1, body string
	var photoOK, qrOK bool
	run(t, ctx, "open the board",
		chromedp.Click(link, chromedp.ByQuery),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &h1, chromedp.ByQuery),
		chromedp.Text(`main`, &body, chromedp.ByQuery),
		chromedp.Evaluate(`(() => { const i = document.querySelector('img.pub-photo'); return !!i && i.complete && i.naturalWidth > 0 })()`, &photoOK),
		chromedp.Evaluate(`(() => { const i = document.querySelector('.pub-qr img'); return !!i && i.complete && i.naturalWidth > 0 })()`, &qrOK),
	)
	if !strings.Contains(h1, "东城社区") {
		t.Fatalf("board heading %q", h1)
	}
	for _, want := range []string{"法律顾问", "工作电话", "每周三上午", "服务内容", "山河镇司法所", "0934-5211234", "东城社区结对律师服务微信群", "最后更新"} {
		if !strings.Contains(body, want) {
			t.Errorf("the board lacks %q", want)
		}
	}
	if !photoOK || !qrOK {
		t.Errorf("images drawn: advisor photo %v, group QR %v", photoOK, qrOK)
	}
	pubNoOverflow(t, ctx, "the board")
	pubAxe(t, ctx, "the board")
	pubShot(t, ctx, "public-board-360.png")

	// Care mode: on with the button, kept after a reload and on other pages.
	careOn := func() bool {
		var cls, pressed string
		var size float64
		run(t, ctx, "read the mode",
			chromedp.AttributeValue(`html`, "class", &cls, nil, chromedp.ByQuery),
			chromedp.AttributeValue(`#care-toggle`, "aria-pressed", &pressed, nil, chromedp.ByID),
			chromedp.Evaluate(`parseFloat(getComputedStyle(document.documentElement).fontSize)`, &size),
		)
		on := strings.Contains(cls, "care")
		if on != (pressed == "true") || on != (size >= 20) {
			t.Errorf("care mode half on: class %q, aria-pressed %q, font size %v", cls, pressed, size)
		}
		return on
	}
	if careOn() {
		t.Fatal("care mode on before it was chosen")
	}
	run(t, ctx, "turn the care mode on",
		chromedp.Click(`#care-toggle`, chromedp.ByID),
		chromedp.WaitVisible(`html.care main h1`, chromedp.ByQuery),
	)
	var url string
	run(t, ctx, "where we are", chromedp.Location(&url))
	if !strings.HasSuffix(url, "/v/"+pubVillage) {
		t.Errorf("after the care button the browser is at %s, want the board", url)
	}
	run(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(`main h1`, chromedp.ByQuery))
	if !careOn() {
		t.Fatal("care mode lost after a reload")
	}
	pubNoOverflow(t, ctx, "the board in care mode")
	pubAxe(t, ctx, "the board in care mode")
	pubShot(t, ctx, "public-board-care-360.png")
	run(t, ctx, "search in care mode",
		chromedp.Navigate(base+"/v?q="+"dongcheng"),
		chromedp.WaitVisible(link, chromedp.ByQuery),
	)
	if !careOn() {
		t.Fatal("care mode lost on the search page")
	}
	pubNoOverflow(t, ctx, "the search in care mode")
	pubAxe(t, ctx, "the search in care mode")

	// The service card prints a QR code to the board.
	var qrDrawn bool
	run(t, ctx, "open the card",
		chromedp.Navigate(base+"/v/"+pubVillage+"/card"),
		chromedp.WaitVisible(`.scard`, chromedp.ByQuery),
		chromedp.Poll(`(() => { const i = document.querySelector('.scard-qr'); return !!i && i.complete && i.naturalWidth > 0 })()`, &qrDrawn, chromedp.WithPollingTimeout(10*time.Second)),
	)
	if !qrDrawn {
		t.Error("the card's QR code is not drawn")
	}
	pubAxe(t, ctx, "the service card")

	// And off again.
	run(t, ctx, "back to the board", chromedp.Navigate(base+"/v/"+pubVillage), chromedp.WaitVisible(`main h1`, chromedp.ByQuery))
	run(t, ctx, "turn the care mode off",
		chromedp.Click(`#care-toggle`, chromedp.ByID),
		chromedp.WaitVisible(`html:not(.care) main h1`, chromedp.ByQuery),
	)
	if careOn() {
		t.Error("care mode still on after turning it off")
	}
}
