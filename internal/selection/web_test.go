package selection_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/selection"
	"github.com/villagecounsel/counsel/internal/sms"
	"github.com/villagecounsel/counsel/internal/sms/smsfake"
)

// openCampaign makes a campaign of the demo's city whose province round's
// vote is open today, with the demo advisor of 东城社区 as a candidate.
func openCampaign(t *testing.T, app *apptest.App) (*selection.Campaign, *selection.Candidate) {
	t.Helper()
	ctx := context.Background()
	svc := app.Feats.Selection.Svc
	admin := &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin}
	c, err := svc.CreateCampaign(ctx, admin, selection.CampaignInput{RegionCode: "621000000000", Year: 2026, Title: "网页测试评选"})
	if err != nil {
		t.Fatal(err)
	}
	today := svc.Now().In(calendar.Shanghai)
	d := func(n int) string { return today.AddDate(0, 0, n).Format(counsel.DateLayout) }
	set := c.Settings
	set.Stages[0].Opens, set.Stages[0].Closes = d(-60), d(-40)
	set.Stages[1].Opens, set.Stages[1].Closes = d(-30), d(-20)
	set.Stages[2].Opens, set.Stages[2].Closes = d(-1), d(5)
	if c, err = svc.SaveSettings(ctx, admin, c.ID, set); err != nil {
		t.Fatal(err)
	}
	var adv int64
	if err := app.DB.Row(ctx, `SELECT advisor_id FROM agreements WHERE region_code = ? ORDER BY id LIMIT 1`, "621025100001").Scan(&adv); err != nil {
		t.Fatal(err)
	}
	k, err := svc.AddCandidate(ctx, admin, c.ID, selection.CandidateInput{Stage: selection.StageProvince, AdvisorID: adv, Category: "lawyer", Profile: "扎根乡村十年"})
	if err != nil {
		t.Fatal(err)
	}
	return c, k
}

// TestVotePages: a resident proves a phone with a code sent through the
// Tencent Cloud adapter (to the local fake, which checks the signature),
// votes once, is refused a second vote the same day with a clear message,
// and bad input writes nothing.
func TestVotePages(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	fake := smsfake.Tencent("AKIDvote", "vote-key")
	defer fake.Close()
	app.Feats.Selection.Svc.Sender = &sms.Tencent{SecretID: "AKIDvote", SecretKey: "vote-key", SdkAppID: "1400000001", SignName: "正宁县司法局", TemplateID: "200001", Endpoint: fake.URL + "/"}
	c, k := openCampaign(t, app)
	base := "/vote/" + itoa(c.ID)
	anon := app.Anonymous()

	st, body := anon.Body("GET", base, nil)
	if st != http.StatusOK || !strings.Contains(body, `id="send-code"`) || strings.Contains(body, `id="vote-`+itoa(k.ID)+`"`) {
		t.Fatalf("vote page before verifying: %d %.400s", st, body)
	}
	before, _ := app.DB.TableCounts(ctx)
	st, body = anon.Body("POST", base+"/code", url.Values{"phone": {"1380000"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "请填写 11 位手机号码") {
		t.Fatalf("bad phone: %d %.400s", st, body)
	}
	if after, _ := app.DB.TableCounts(ctx); !reflect.DeepEqual(before, after) {
		t.Fatalf("bad phone wrote rows")
	}
	st, body = anon.Body("POST", base+"/code", url.Values{"phone": {"13800006666"}})
	if st != http.StatusOK || !strings.Contains(body, `id="verify-code"`) || strings.Contains(body, `id="demo-code"`) {
		t.Fatalf("code form: %d %.400s", st, body)
	}
	code := fake.Last("13800006666")
	if len(code) != 6 {
		t.Fatalf("the fake Tencent service got no code (rejected %d)", fake.Rejected())
	}
	wrong := "000000"
	if code == wrong {
		wrong = "999999"
	}
	st, body = anon.Body("POST", base+"/verify", url.Values{"phone": {"13800006666"}, "code": {wrong}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "验证码不对") {
		t.Fatalf("wrong code: %d %.400s", st, body)
	}
	resp := anon.Do("POST", base+"/verify", url.Values{"phone": {"13800006666"}, "code": {code}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=sel_verified") {
		t.Fatalf("verify: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	st, body = anon.Body("GET", base, nil)
	if st != http.StatusOK || !strings.Contains(body, `id="voter"`) || !strings.Contains(body, "138****6666") || strings.Contains(body, "13800006666") {
		t.Fatalf("verified page: %d %.400s", st, body)
	}
	resp = anon.Do("POST", base+"/cast", url.Values{"candidate_id": {itoa(k.ID)}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "ok=sel_voted") {
		t.Fatalf("cast: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	before, _ = app.DB.TableCounts(ctx)
	st, body = anon.Body("POST", base+"/cast", url.Values{"candidate_id": {itoa(k.ID)}})
	if st != http.StatusConflict || !strings.Contains(html.UnescapeString(body), "今天已经为这位候选人投过票了") {
		t.Fatalf("second vote: %d %.400s", st, body)
	}
	st, body = anon.Body("POST", base+"/cast", url.Values{"candidate_id": {"999999"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "该候选人不在本轮投票中") {
		t.Fatalf("unknown candidate: %d %.400s", st, body)
	}
	if after, _ := app.DB.TableCounts(ctx); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused votes wrote rows")
	}
	// Live counts are hidden: the page shows no count before a publication.
	if _, body = anon.Body("GET", base, nil); strings.Contains(body, "已公布票数") || !strings.Contains(body, `id="k`+itoa(k.ID)+`"`) {
		t.Fatalf("counts shown before publication: %.400s", body)
	}
	// Staff see the chain check; another client without a session cannot vote.
	st, body = app.Session("zn-city").Page(t, "/selection/"+itoa(c.ID)+"/vote?stage=province")
	if st != http.StatusOK || !strings.Contains(body, `id="chain-ok"`) {
		t.Fatalf("oversight page: %d %.400s", st, body)
	}
	st, _ = app.Anonymous().Body("POST", base+"/cast", url.Values{"candidate_id": {itoa(k.ID)}})
	if st != http.StatusUnauthorized {
		t.Fatalf("vote without a session: %d", st)
	}
}
