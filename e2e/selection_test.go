package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/internal/sms/smsfake"
)

// selCampaign makes a campaign of the demo's city whose province round's
// vote is open today, with the advisor of 东城社区 as a candidate and
// zn-city on the round's panel.
func selCampaign(t *testing.T, app *apptest.App) (*selection.Campaign, *selection.Candidate) {
	t.Helper()
	ctx := context.Background()
	svc := app.Feats.Selection.Svc
	admin := &counsel.Actor{Username: "e2e-admin", Role: counsel.RoleAdmin}
	c, err := svc.CreateCampaign(ctx, admin, selection.CampaignInput{RegionCode: "621000000000", Year: 2026, Title: "庆阳市2026年度村（社区）法律顾问评选"})
	if err != nil {
		t.Fatal(err)
	}
	today := svc.Now().In(calendar.Shanghai)
	d := func(n int) string { return today.AddDate(0, 0, n).Format(counsel.DateLayout) }
	set := c.Settings
	set.Stages[0].Opens, set.Stages[0].Closes = d(-60), d(-40)
	set.Stages[1].Opens, set.Stages[1].Closes = d(-30), d(-20)
	set.Stages[2].Opens, set.Stages[2].Closes = d(-1), d(5)
	set.Stages[2].Weights = []selection.Weight{{Component: selection.CompReport, Percent: 70}, {Component: selection.CompVote, Percent: 30}}
	if c, err = svc.SaveSettings(ctx, admin, c.ID, set); err != nil {
		t.Fatal(err)
	}
	var adv int64
	if err := app.DB.Row(ctx, `SELECT advisor_id FROM agreements WHERE region_code = ? ORDER BY id LIMIT 1`, pubVillage).Scan(&adv); err != nil {
		t.Fatal(err)
	}
	k, err := svc.AddCandidate(ctx, admin, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: adv, Category: "lawyer", Profile: "扎根乡村十年，每月驻村四天，为村民调解纠纷六十余件。"})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.AddPanelMember(ctx, admin, c.ID, selection.StageProvince, "zn-city", "法治观察员"); err != nil {
		t.Fatal(err)
	}
	return c, k
}

// TestVotePhone: on a 360-px phone a resident opens the vote, proves the
// phone with a code sent through the Alibaba Cloud adapter (to the local
// fake, which checks the signature), votes, and sees the vote counted and
// the button gone; the pages pass axe-core and do not scroll sideways. Then
// a panel member (zn-city) scores the candidate and the score locks.
func TestVotePhone(t *testing.T) {
	ctx := browserCtx(t, 360, 740)
	app := apptest.New(t)
	fake := smsfake.Aliyun("LTAIe2e", "e2e-secret")
	defer fake.Close()
	app.Feats.Selection.Svc.Sender = &sms.Aliyun{AccessKeyID: "LTAIe2e", AccessKeySecret: "e2e-secret", SignName: "庆阳市司法局", TemplateCode: "SMS_100", Endpoint: fake.URL + "/"}
	c, k := selCampaign(t, app)
	base := app.HTTP.URL
	page := base + "/vote/" + strconv.FormatInt(c.ID, 10)
	kid := strconv.FormatInt(k.ID, 10)
	run(t, ctx, "open the vote", chromedp.EmulateViewport(360, 740), chromedp.Navigate(page), chromedp.WaitVisible(`#phone`, chromedp.ByID))
	run(t, ctx, "switch to Chinese",
		chromedp.Click(`button[name=lang][value=zh]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#phone`, chromedp.ByID),
	)
	pubAxe(t, ctx, "the vote page")
	pubNoOverflow(t, ctx, "the vote page")
	var errText string
	run(t, ctx, "a short number",
		chromedp.SendKeys(`#phone`, "1380000", chromedp.ByID),
		chromedp.Click(`#send-code`, chromedp.ByID),
		chromedp.WaitVisible(`#phone-err`, chromedp.ByID),
		chromedp.Text(`#phone-err`, &errText, chromedp.ByID),
	)
	if !strings.Contains(errText, "11 位手机号码") {
		t.Fatalf("phone error %q", errText)
	}
	pubAxe(t, ctx, "the vote page with an error")
	run(t, ctx, "ask for a code",
		chromedp.Evaluate(`document.getElementById('phone').value = ''`, nil),
		chromedp.SendKeys(`#phone`, "13912340000", chromedp.ByID),
		chromedp.Click(`#send-code`, chromedp.ByID),
		chromedp.WaitVisible(`#code`, chromedp.ByID),
	)
	code := fake.Last("13912340000")
	if len(code) != 6 || fake.Rejected() != 0 {
		t.Fatalf("the fake Alibaba Cloud service got code %q (rejected %d)", code, fake.Rejected())
	}
	pubAxe(t, ctx, "the code entry")
	pubNoOverflow(t, ctx, "the code entry")
	pubShot(t, ctx, "vote-code-360.png")
	var voter string
	run(t, ctx, "enter the code",
		chromedp.SendKeys(`#code`, code, chromedp.ByID),
		chromedp.Click(`#verify-code`, chromedp.ByID),
		chromedp.WaitVisible(`#voter`, chromedp.ByID),
		chromedp.Text(`#voter`, &voter, chromedp.ByID),
		chromedp.WaitVisible(`#vote-`+kid, chromedp.ByID),
	)
	if !strings.Contains(voter, "139****0000") {
		t.Fatalf("voter line %q", voter)
	}
	pubAxe(t, ctx, "the candidates")
	pubNoOverflow(t, ctx, "the candidates")
	var flash string
	run(t, ctx, "vote",
		chromedp.Click(`#vote-`+kid, chromedp.ByID),
		// The page before the click has a flash too (the verification's):
		// wait for the new page, where the button is gone.
		chromedp.WaitNotPresent(`#vote-`+kid, chromedp.ByID),
		chromedp.WaitVisible(`#vote-flash`, chromedp.ByID),
		chromedp.Text(`#vote-flash`, &flash, chromedp.ByID),
	)
	if !strings.Contains(flash, "投票成功") {
		t.Fatalf("flash %q", flash)
	}
	pubShot(t, ctx, "vote-done-360.png")
	n, err := app.DB.Count(context.Background(), `SELECT COUNT(*) FROM sel_ballots`)
	if err != nil || n != 1 {
		t.Fatalf("%d ballots, %v", n, err)
	}
	run(t, ctx, "the results page", chromedp.Navigate(page+"/results"), chromedp.WaitVisible(`h1`, chromedp.ByQuery))
	pubAxe(t, ctx, "the results page")
	pubNoOverflow(t, ctx, "the results page")

	// A panel member scores the candidate; the submitted score is locked.
	login(t, ctx, base, "zn-city")
	var locked string
	run(t, ctx, "score",
		chromedp.Navigate(base+"/selection/panel"),
		chromedp.WaitVisible(`#score-`+kid, chromedp.ByID),
		chromedp.SendKeys(`#score-`+kid, "91.5", chromedp.ByID),
		chromedp.Click(`#submit-`+kid, chromedp.ByID),
		chromedp.WaitVisible(`#locked-`+kid, chromedp.ByID),
		chromedp.Text(`#locked-`+kid, &locked, chromedp.ByID),
	)
	if strings.TrimSpace(locked) != "91.50" {
		t.Fatalf("locked score %q", locked)
	}
	pubNoOverflow(t, ctx, "the panel's score sheet")
}
