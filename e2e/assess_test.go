package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/assess"
)

// assessSeed publishes the demo county's 2026 round on a sheet of data
// items (so no hand score holds the publication up).
func assessSeed(t *testing.T, app *apptest.App) int64 {
	t.Helper()
	ctx := context.Background()
	cr, err := account.CredentialsOf(ctx, app.DB, "zn-bureau")
	if err != nil {
		t.Fatal(err)
	}
	bureau := counsel.ActorOf(cr.User, "127.0.0.1")
	svc := app.Feats.Assess.Svc
	c := assess.County100()
	var items []assess.Item
	for _, it := range c.Items {
		if it.Method != assess.MethodScorer {
			items = append(items, it)
		}
	}
	if err := svc.SaveSheet(ctx, bureau, "621025000000", assess.Sheet{Name: "正宁县数据考评表", Items: items}); err != nil {
		t.Fatal(err)
	}
	r, err := svc.OpenRound(ctx, bureau, assess.RoundInput{Year: 2026, Title: "2026年度法律顾问考核"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Publish(ctx, bureau, r.ID, assess.Thresholds{}); err != nil {
		t.Fatal(err)
	}
	return r.ID
}

// TestAdvisorSheetPhone: on a 360-px phone the advisor opens their own
// sheet from the assessment page, sees every item with the data behind its
// points, is told in Chinese next to the field when the objection is empty,
// and files one.
func TestAdvisorSheetPhone(t *testing.T) {
	app := apptest.New(t)
	base := app.HTTP.URL
	id := assessSeed(t, app)
	ctx := browserCtx(t, 360, 740)
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(360, 740))
	login(t, ctx, base, "zn-advisor")

	href := "/assess/rounds/" + itoa(id) + "/me"
	var items []string
	var overflow bool
	var facts string
	run(t, ctx, "own sheet",
		chromedp.Navigate(base+"/assess"),
		chromedp.WaitVisible(`a[href="`+href+`"]`, chromedp.ByQuery),
		chromedp.Click(`a[href="`+href+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`section.as-item`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("section.as-item")].map(s => s.innerText)`, &items),
		chromedp.Text(`dl.facts`, &facts, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow),
	)
	if overflow {
		t.Error("the sheet scrolls sideways on a 360-px phone")
	}
	if len(items) != 8 {
		t.Fatalf("%d items on the sheet, want the 8 data items", len(items))
	}
	joined := strings.Join(items, "\n")
	for _, want := range []string{"到村服务", "年度服务计划", "公示牌", "工作日志", "每月不少于一次到村服务"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, joined)
		}
	}
	// Every item says what is behind its points (an evidence line).
	var bare int
	run(t, ctx, "evidence", chromedp.Evaluate(`[...document.querySelectorAll("section.as-item")].filter(s => !s.querySelector("ul.as-evidence li")).length`, &bare))
	if bare > 0 {
		t.Errorf("%d items show no evidence", bare)
	}
	if !strings.Contains(facts, "总分") || !strings.Contains(facts, "等级") {
		t.Errorf("facts lack the total and grade: %q", facts)
	}

	var errText, flash string
	run(t, ctx, "empty objection",
		chromedp.WaitVisible(`#body`, chromedp.ByID),
		chromedp.Click(`form[action$="/objections"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#body-err`, chromedp.ByID),
		chromedp.Text(`#body-err`, &errText, chromedp.ByID),
	)
	if errText != "必填" {
		t.Errorf("empty objection: %q next to the field, want 必填", errText)
	}
	run(t, ctx, "objection",
		chromedp.SendKeys(`#body`, "4月有两次入户走访记录在纸质台账中，未及时录入", chromedp.ByID),
		chromedp.Click(`form[action$="/objections"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash, [role=status]`, chromedp.ByQuery),
		chromedp.Text(`main`, &flash, chromedp.ByQuery),
	)
	if !strings.Contains(flash, "异议已提交") || !strings.Contains(flash, "4月有两次入户走访") {
		t.Errorf("after filing: %q", flash)
	}
}

// TestSurveyPhone: a resident without an account rates the village's
// advisor on a 360-px phone; the form passes axe-core with no serious
// violation, a missing rating is
// named in Chinese next to its question, and the answer is stored once.
func TestSurveyPhone(t *testing.T) {
	app := apptest.New(t)
	base := app.HTTP.URL
	ctx := browserCtx(t, 360, 740)
	run(t, ctx, "phone viewport", chromedp.EmulateViewport(360, 740),
		chromedp.Navigate(base+"/survey?v=621025100001"),
		chromedp.WaitVisible(`form[action="/survey"]`, chromedp.ByQuery))
	// The headless browser asks for English; a resident switches to Chinese.
	var en bool
	run(t, ctx, "language", chromedp.Evaluate(`!!document.querySelector('button[name=lang][value=zh]')`, &en))
	if en {
		run(t, ctx, "switch to Chinese", chromedp.Click(`button[name=lang][value=zh]`, chromedp.ByQuery),
			chromedp.WaitVisible(`form[action="/survey"]`, chromedp.ByQuery))
	}
	pubAxe(t, ctx, "the survey form")
	pubNoOverflow(t, ctx, "the survey form")

	var errText string
	run(t, ctx, "submit with one question unanswered",
		chromedp.Click(`input[name="q.attitude"][value="5"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q.reach"][value="4"]`, chromedp.ByQuery),
		chromedp.Click(`input[name="q.help"][value="4"]`, chromedp.ByQuery),
		chromedp.Click(`form[action="/survey"] button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q\.overall-err`, chromedp.ByQuery),
		chromedp.Text(`#q\.overall-err`, &errText, chromedp.ByQuery),
	)
	if errText != "请选择 1–5 分" {
		t.Errorf("missing rating: %q", errText)
	}
	var kept bool
	run(t, ctx, "answers kept", chromedp.Evaluate(`document.querySelector('input[name="q.attitude"][value="5"]').checked`, &kept))
	if !kept {
		t.Error("the answers given were not kept after the refusal")
	}
	var done string
	run(t, ctx, "complete and send",
		chromedp.Click(`input[name="q.overall"][value="5"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#comment`, "律师每月都来，讲解很耐心", chromedp.ByID),
		chromedp.Click(`form[action="/survey"] button[type=submit]`, chromedp.ByQuery),
		// Wait for the form to be gone: the old page's h1 raced the navigation.
		chromedp.WaitNotPresent(`#comment`, chromedp.ByID),
		chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
		chromedp.Text(`main h1`, &done, chromedp.ByQuery),
	)
	if done != "感谢您的评价" {
		t.Errorf("after sending: %q", done)
	}
	var n int
	if err := app.DB.Row(context.Background(), `SELECT COUNT(*) FROM assess_surveys WHERE village_code = '621025100001'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("stored answers %d (%v), want 1", n, err)
	}
}
