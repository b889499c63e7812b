package public_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
)

// The demo village the public tests use (东城社区, 山河镇) and its town.
const (
	pubVillage = "621025100001"
	pubTown    = "621025100000"
)

// pubGet fetches a page and returns its status, headers and body.
func pubGet(t *testing.T, c *apptest.Client, path string) (int, http.Header, string) {
	t.Helper()
	resp := c.Do("GET", path, nil, "")
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// pubPNGBytes is a small valid PNG.
func pubPNGBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	img := image.NewGray(image.Rect(0, 0, 20, 20))
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pubUpload posts a multipart form with one file in field "photo".
func pubUpload(t *testing.T, c *apptest.Client, path, filename string, content []byte) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", c.CSRF)
	fw, _ := mw.CreateFormFile("photo", filename)
	_, _ = fw.Write(content)
	mw.Close()
	return c.Do("POST", path, buf.Bytes(), mw.FormDataContentType())
}

func TestPublicBoardPage(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	anon := app.Anonymous()
	st, hd, body := pubGet(t, anon, "/v/"+pubVillage)
	if st != 200 {
		t.Fatalf("board: %d", st)
	}
	if csp := hd.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if regexp.MustCompile(`<script>|<style|style="|\son[a-z]+=`).MatchString(body) {
		t.Error("the board has inline script or style")
	}
	g, err := registry.LiveAgreementFor(ctx, app.DB, pubVillage)
	if err != nil {
		t.Fatal(err)
	}
	adv, _ := registry.Advisor(ctx, app.DB, g.AdvisorID)
	for _, want := range []string{"东城社区", adv.Name, adv.Phone, "山河镇司法所", "请向村委会咨询入群方式", "最后更新", "法律咨询"} {
		if !strings.Contains(body, want) {
			t.Errorf("the board lacks %q", want)
		}
	}
	// No legal-literate person's phone, whole or masked, is on the board.
	persons, _, err := registry.Persons(ctx, app.DB, counsel.Filter{Region: pubVillage, Page: counsel.Page{Limit: 100}})
	if err != nil || len(persons) == 0 {
		t.Fatalf("persons: %v", err)
	}
	for _, p := range persons {
		if strings.Contains(body, p.Phone) || strings.Contains(body, counsel.MaskPhone(p.Phone)) {
			t.Errorf("the board shows %s's phone", p.Name)
		}
	}
	// No staff navigation on the public frame.
	if strings.Contains(body, `href="/agreements"`) || strings.Contains(body, `/logout`) {
		t.Error("the board has the staff navigation")
	}
	// Unknown villages, towns and junk are not found.
	for _, p := range []string{"/v/" + pubTown, "/v/621025100299", "/v/abc"} {
		if st, _, _ := pubGet(t, anon, p); st != 404 {
			t.Errorf("%s: %d, want 404", p, st)
		}
	}
	// English on request.
	resp := anon.Do("POST", "/lang", url.Values{"lang": {"en"}, "next": {"/v/" + pubVillage}}, "")
	resp.Body.Close()
	if _, _, body := pubGet(t, anon, "/v/"+pubVillage); !strings.Contains(body, "Ask the village committee how to join") || !strings.Contains(body, `lang="en"`) {
		t.Error("the board in English")
	}
}

func TestPublicCareMode(t *testing.T) {
	app := apptest.New(t)
	c := app.Anonymous()
	if _, _, body := pubGet(t, c, "/v/"+pubVillage); strings.Contains(body, `class="care"`) || !strings.Contains(body, `aria-pressed="false"`) {
		t.Fatal("care mode on by default")
	}
	resp := c.Do("POST", "/v/care", url.Values{"care": {"1"}, "next": {"/v/" + pubVillage}}, "")
	resp.Body.Close()
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/v/"+pubVillage {
		t.Fatalf("care toggle: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/v/" + pubVillage, "/v?q=dongcheng", "/v/" + pubVillage + "/card"} {
		if _, _, body := pubGet(t, c, p); !strings.Contains(body, `<html lang="zh-CN" class="care">`) || !strings.Contains(body, `aria-pressed="true"`) {
			t.Errorf("%s: care mode not kept", p)
		}
	}
	// An open redirect is refused; off again.
	resp = c.Do("POST", "/v/care", url.Values{"care": {"0"}, "next": {"//evil.example/x"}}, "")
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); loc != "/v" {
		t.Errorf("care off redirects to %q, want /v", loc)
	}
	if _, _, body := pubGet(t, c, "/v/"+pubVillage); strings.Contains(body, `class="care"`) {
		t.Error("care mode still on")
	}
}

func TestPublicSearchPage(t *testing.T) {
	app := apptest.New(t)
	c := app.Anonymous()
	for _, q := range []string{"东城社区", "dongcheng", "dcsq"} {
		_, _, body := pubGet(t, c, "/v?q="+url.QueryEscape(q))
		if !strings.Contains(body, `href="/v/`+pubVillage+`"`) || !strings.Contains(body, "山河镇") {
			t.Errorf("search %q does not find 东城社区 with its town", q)
		}
	}
	// Only villages: a town's name finds no town page link.
	_, _, body := pubGet(t, c, "/v?q="+url.QueryEscape("山河镇"))
	if strings.Contains(body, `href="/v/`+pubTown+`"`) {
		t.Error("the search answers a town")
	}
	var hits []public.VillageHit
	if st := c.JSON("GET", "/api/v1/public/villages?q=xgc", nil, &hits); st != 200 || len(hits) == 0 {
		t.Fatalf("API search: %d %v", st, hits)
	}
	for _, h := range hits {
		if counsel.LevelOf(h.Code) != counsel.LevelVillage {
			t.Errorf("API search answered %s", h.Code)
		}
	}
}

func TestPublicImages(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	c := app.Anonymous()
	// No photo yet: not found.
	if st, _, _ := pubGet(t, c, "/v/"+pubVillage+"/photo"); st != 404 {
		t.Errorf("photo before upload: %d", st)
	}
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	_ = os.MkdirAll(dir, 0o750)
	name := "00112233445566778899aabbccddeeff.png"
	if err := os.WriteFile(filepath.Join(dir, name), pubPNGBytes(t), 0o640); err != nil {
		t.Fatal(err)
	}
	g, _ := registry.LiveAgreementFor(ctx, app.DB, pubVillage)
	adv, _ := registry.Advisor(ctx, app.DB, g.AdvisorID)
	adv.Photo = name
	if err := app.Svc.SaveAdvisor(ctx, counsel.System, adv); err != nil {
		t.Fatal(err)
	}
	st, hd, _ := pubGet(t, c, "/v/"+pubVillage+"/photo")
	if st != 200 || hd.Get("Content-Type") != "image/png" || hd.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("photo: %d %q %q", st, hd.Get("Content-Type"), hd.Get("X-Content-Type-Options"))
	}
	// A village without a live agreement serves no photo (its neighbour's
	// advisor has one).
	uncovered, err := registry.Uncovered(ctx, app.DB, pubTown, "2026-06-01")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range uncovered {
		if _, err := registry.LiveAgreementFor(ctx, app.DB, v.Code); err == nil {
			continue
		}
		if st, _, _ := pubGet(t, c, "/v/"+v.Code+"/photo"); st != 404 {
			t.Errorf("photo of %s without an agreement: %d", v.Code, st)
		}
		break
	}
	// The QR code of the board: a PNG; the base URL from COUNSEL_PUBLIC_URL.
	st, hd, body := pubGet(t, c, "/v/"+pubVillage+"/qr.png")
	if st != 200 || hd.Get("Content-Type") != "image/png" {
		t.Fatalf("qr: %d %q", st, hd.Get("Content-Type"))
	}
	if _, err := png.Decode(strings.NewReader(body)); err != nil {
		t.Errorf("qr is no PNG: %v", err)
	}
	if st, _, _ := pubGet(t, c, "/v/"+pubTown+"/qr.png"); st != 404 {
		t.Errorf("qr of a town: %d", st)
	}
	t.Setenv("COUNSEL_PUBLIC_URL", "https://counsel.example.gov.cn/")
	_, _, body = pubGet(t, c, "/v/"+pubVillage+"/card")
	if !strings.Contains(body, "https://counsel.example.gov.cn/v/"+pubVillage) || !strings.Contains(body, `src="/v/`+pubVillage+`/qr.png"`) {
		t.Error("the card does not show the public base URL and the QR code")
	}
	var pb struct {
		BoardURL string `json:"board_url"`
		Advisor  struct {
			Phone string `json:"work_phone"`
		} `json:"advisor"`
		PhotoURL string `json:"photo_url"`
	}
	if st := c.JSON("GET", "/api/v1/public/villages/"+pubVillage+"/board", nil, &pb); st != 200 || pb.BoardURL != "https://counsel.example.gov.cn/v/"+pubVillage ||
		pb.Advisor.Phone != adv.Phone || pb.PhotoURL == "" {
		t.Errorf("API board: %d %+v", st, pb)
	}
}

func TestPublicGroupRegister(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	g, _ := registry.LiveAgreementFor(ctx, app.DB, pubVillage)
	adv, _ := registry.Advisor(ctx, app.DB, g.AdvisorID)
	advisor := app.Login("zn-advisor")
	form := url.Values{"name": {"东城社区法律群"}, "admin_nickname": {"阿伟"}, "members_advisor": {"1"}, "members_committee": {"x"}}

	// Bad input: the page again with the reasons, nothing written.
	before, _ := app.DB.TableCounts(ctx)
	resp := advisor.Do("POST", "/boards/"+pubVillage+"/group", form, "")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(b)
	if resp.StatusCode != 422 || !strings.Contains(page, i18n.T("zh", "pub.err_real_name", adv.Name)) ||
		!strings.Contains(page, "应在 0 到 500 之间") || !strings.Contains(page, `value="东城社区法律群"`) {
		t.Errorf("bad group form: %d %.600s", resp.StatusCode, page)
	}
	after, _ := app.DB.TableCounts(ctx)
	if after["wechat_groups"] != before["wechat_groups"] || after["audit_log"] != before["audit_log"] {
		t.Error("a refused group form wrote rows")
	}
	// A QR before the group exists is refused in place.
	resp = pubUpload(t, advisor, "/boards/"+pubVillage+"/group/qr", "qr.png", pubPNGBytes(t))
	resp.Body.Close()
	if resp.StatusCode != 422 {
		t.Errorf("QR before the group: %d", resp.StatusCode)
	}

	// Registered with a name that breaks the rule: kept, explained.
	form.Set("admin_nickname", adv.Name+"律师")
	form.Set("members_committee", "5")
	resp = advisor.Do("POST", "/boards/"+pubVillage+"/group", form, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("group form: %d", resp.StatusCode)
	}
	_, _, page = pubGet(t, advisor, "/boards/"+pubVillage)
	if !strings.Contains(page, "群名应以“结对律师服务微信群”结尾，建议改为“东城社区结对律师服务微信群”") {
		t.Errorf("the naming problem is not explained: %.2000s", page)
	}
	// The board asks the village committee while there is no QR.
	_, _, board := pubGet(t, app.Anonymous(), "/v/"+pubVillage)
	if !strings.Contains(board, "东城社区法律群") || !strings.Contains(board, "请向村委会咨询入群方式") {
		t.Error("the board does not show the group without a QR")
	}
	// Not an image: refused by its bytes, whatever the name says.
	resp = pubUpload(t, advisor, "/boards/"+pubVillage+"/group/qr", "qr.png", []byte("<svg onload=alert(1)>"))
	resp.Body.Close()
	if resp.StatusCode != 422 {
		t.Errorf("non-image QR: %d", resp.StatusCode)
	}
	// A real PNG: stored under a random name, shown on the board for 7 days.
	resp = pubUpload(t, advisor, "/boards/"+pubVillage+"/group/qr", "微信群.png", pubPNGBytes(t))
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("QR upload: %d", resp.StatusCode)
	}
	grp, err := app.Feats.Public.Svc.WeChatGroup(ctx, counsel.System, pubVillage)
	if err != nil || !regexp.MustCompile(`^[0-9a-f]{32}\.png$`).MatchString(grp.QRFile) {
		t.Fatalf("stored QR: %+v %v", grp, err)
	}
	_, _, board = pubGet(t, app.Anonymous(), "/v/"+pubVillage)
	if strings.Contains(board, "请向村委会咨询入群方式") || !strings.Contains(board, "/v/"+pubVillage+"/group-qr") {
		t.Error("the board does not show the QR in force")
	}
	st, hd, _ := pubGet(t, app.Anonymous(), "/v/"+pubVillage+"/group-qr")
	if st != 200 || hd.Get("Content-Type") != "image/png" || hd.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("group QR: %d %q", st, hd.Get("Content-Type"))
	}
	// Seven days later it has expired.
	app.Svc.Now = func() time.Time { return time.Now().Add(7*24*time.Hour + time.Minute) }
	_, _, board = pubGet(t, app.Anonymous(), "/v/"+pubVillage)
	if !strings.Contains(board, "请向村委会咨询入群方式") {
		t.Error("an expired QR is still on the board")
	}
	if st, _, _ := pubGet(t, app.Anonymous(), "/v/"+pubVillage+"/group-qr"); st != 404 {
		t.Errorf("expired group QR served: %d", st)
	}
	// The register lists it as expired for the judicial office.
	judicial := app.Login("zn-judicial")
	_, _, reg := pubGet(t, judicial, "/boards?region="+pubTown)
	if !strings.Contains(reg, "二维码已过期") || !strings.Contains(reg, "群名不合规") {
		t.Error("the register does not flag the group")
	}
	// JSON: the register entry with the naming problem in words.
	var vb struct {
		NameProblem string `json:"name_problem"`
		QRValid     bool   `json:"qr_valid"`
	}
	if st := judicial.JSON("GET", "/api/v1/boards/"+pubVillage, nil, &vb); st != 200 || vb.NameProblem == "" || vb.QRValid {
		t.Errorf("API board admin: %d %+v", st, vb)
	}
}

func TestPublicTownCards(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	judicial := app.Login("zn-judicial")
	// The office phone, set by the judicial office, on every card.
	resp := judicial.Do("POST", "/offices/"+pubTown, url.Values{"name": {"山河镇司法所"}, "phone": {"0934-521"}}, "")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 422 || !strings.Contains(string(b), "电话号码格式不正确") {
		t.Errorf("bad office phone: %d", resp.StatusCode)
	}
	resp = judicial.Do("POST", "/offices/"+pubTown, url.Values{"name": {"山河镇司法所"}, "phone": {"0934-5211234"}}, "")
	resp.Body.Close()
	if resp.StatusCode != 303 {
		t.Fatalf("office: %d", resp.StatusCode)
	}
	villages, _ := registry.Villages(ctx, app.DB, pubTown)
	st, _, page := pubGet(t, judicial, "/cards/"+pubTown+"?size=a6")
	if st != 200 || strings.Count(page, `<article class="scard scard-a6"`) != len(villages) || strings.Count(page, "0934-5211234") != len(villages) {
		t.Errorf("town cards: %d, %d cards for %d villages", st, strings.Count(page, `<article class="scard`), len(villages))
	}
	if !strings.Contains(page, "public-a6.css") {
		t.Error("A6 cards without their print sheet")
	}
	// Another county's bureau may not print them.
	if st, _, _ := pubGet(t, app.Login("jh-bureau"), "/cards/"+pubTown); st != 404 {
		t.Errorf("other county: %d", st)
	}
	// On-site hours by the judicial office, shown on the board.
	resp = judicial.Do("POST", "/boards/"+pubVillage+"/hours", url.Values{"onsite_hours": {"每周三上午"}}, "")
	resp.Body.Close()
	if _, _, board := pubGet(t, app.Anonymous(), "/v/"+pubVillage); resp.StatusCode != 303 || !strings.Contains(board, "每周三上午") || !strings.Contains(board, "0934-5211234") {
		t.Errorf("hours: %d", resp.StatusCode)
	}
	var list struct {
		Total int `json:"total"`
	}
	if st := judicial.JSON("GET", "/api/v1/boards?region="+pubTown, nil, &list); st != 200 || list.Total != len(villages) {
		t.Errorf("API register: %d %+v", st, list)
	}
}

// TestPublicCatalog checks that every pub. key the public pages use exists
// in both languages.
func TestPublicCatalog(t *testing.T) {
	files, _ := filepath.Glob("templates/public_*.html")
	files = append(files, "web.go", "frame.go", "web_staff.go", "service.go", "staff.go", "model.go")
	re := regexp.MustCompile(`"(pub\.[a-z_.]+[a-z_])"`)
	keys := []string{"pub.state_none", "pub.state_no_qr", "pub.state_qr_expired", "pub.state_ok"}
	for _, r := range []string{"advisor", "assistant", "committee", "mediation", "party", "representative", "judicial"} {
		keys = append(keys, "pub.role."+r)
	}
	for _, k := range []string{"consultation", "mediation", "affairs_review", "contract_review", "publicity", "legal_aid"} {
		keys = append(keys, "pub.duty."+k)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	for _, k := range keys {
		if zh, en, ok := i18n.Entry(k); !ok || zh == "" || en == "" {
			t.Errorf("catalog lacks %q", k)
		}
	}
}
