package volume_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
)

// vmDemoVillage is the demo village every 正宁县 account touches (东城社区).
const vmDemoVillage = "621025100001"

// vmInline finds inline styles and scripts, which the CSP forbids.
var vmInline = regexp.MustCompile(`(?i)\sstyle\s*=|<script(\s[^>]*)?>[^<]|\son[a-z]+\s*=`)

func vmNoInline(t *testing.T, what, body string) {
	t.Helper()
	if m := vmInline.FindString(body); m != "" {
		t.Errorf("%s: inline style or script %q", what, m)
	}
}

// vmPost posts a form and returns status, location and body.
func vmPost(t *testing.T, c *apptest.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	resp := c.Do("POST", path, form, "")
	defer resp.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), buf.String()
}

func TestVolumePages(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	g, err := registry.LiveAgreementFor(ctx, app.DB, vmDemoVillage)
	if err != nil {
		t.Fatal(err)
	}
	adv := app.Login("zn-advisor")
	vil := app.Login("zn-village")
	jud := app.Login("zn-judicial")

	// Opening a matter: bad input keeps the form and writes nothing.
	if st, body := adv.Page(t, "/ledger/matters/new?village="+vmDemoVillage); st != 200 || !strings.Contains(body, `name="title"`) {
		t.Fatalf("new matter form: %d", st)
	}
	before := app.Counts(t)
	st, _, body := vmPost(t, adv, "/ledger/matters", url.Values{"village_code": {vmDemoVillage}, "title": {""}, "category": {"mediation"}, "opened_on": {"2026-06-01"}, "parties": {"王甲；李乙"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="title-err"`) || !strings.Contains(body, "王甲；李乙") {
		t.Fatalf("matter without title: status %d, want 422 with the field error and the input kept", st)
	}
	if after := app.Counts(t); after["matters"] != before["matters"] || after["audit_log"] != before["audit_log"] {
		t.Fatalf("a refused matter wrote rows: %v → %v", before, after)
	}
	// The judicial office reads matters but does not open them.
	if st, _, _ := vmPost(t, jud, "/ledger/matters", url.Values{"village_code": {vmDemoVillage}, "title": {"x"}, "category": {"mediation"}}); st != http.StatusForbidden {
		t.Fatalf("judicial office opens a matter: %d", st)
	}
	st, loc, _ := vmPost(t, adv, "/ledger/matters", url.Values{"village_code": {vmDemoVillage}, "title": {"王甲与李乙宅基地纠纷"}, "category": {"mediation"},
		"opened_on": {"2026-06-01"}, "parties": {"王甲；李乙"}, "summary": {"两户因宅基地边界争执"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/ledger/matters/") {
		t.Fatalf("open matter: %d %q", st, loc)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/ledger/matters/"), 10, 64)
	mpath := "/ledger/matters/" + strconv.FormatInt(id, 10)
	st, body = adv.Page(t, mpath)
	if st != 200 || !strings.Contains(body, "王甲与李乙宅基地纠纷") || !strings.Contains(body, "/ledger/entries/new?matter="+strconv.FormatInt(id, 10)) {
		t.Fatalf("matter page: %d, want the title and the link to record under it", st)
	}
	vmNoInline(t, "matter page", body)

	// An entry filed under the matter, then amended: both stay listed.
	advActor := &counsel.Actor{UserID: 0, Username: "zn-advisor", Role: counsel.RoleAdvisor, AdvisorID: g.AdvisorID}
	e, err := ledger.NewService(app.Svc).RecordEntry(ctx, advActor, &counsel.Entry{VillageCode: vmDemoVillage, Kind: policy.KindMediation, Mode: policy.ModeOnsite,
		Date: "2026-06-02", Minutes: 120, Content: "组织双方调解", Result: "初步达成意向", MatterID: id})
	if err != nil {
		t.Fatal(err)
	}
	fix, err := ledger.NewService(app.Svc).RecordEntry(ctx, advActor, &counsel.Entry{VillageCode: vmDemoVillage, Kind: policy.KindMediation, Mode: policy.ModeOnsite,
		Date: "2026-06-02", Minutes: 150, Content: "组织双方调解（更正时长）", Result: "初步达成意向", MatterID: id, AmendsID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, body = jud.Page(t, mpath); !strings.Contains(body, "组织双方调解") || !strings.Contains(body, "vol-amended") {
		t.Fatalf("matter page lists its entries with the amended one marked")
	}
	// Closing needs the outcome.
	if st, _, body = vmPost(t, adv, mpath+"/status", url.Values{"status": {"closed"}, "outcome": {""}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="outcome-err"`) {
		t.Fatalf("close without outcome: %d", st)
	}
	if st, _, _ = vmPost(t, vil, mpath+"/status", url.Values{"status": {"closed"}, "outcome": {"x"}}); st != http.StatusForbidden {
		t.Fatalf("village closes the matter: %d", st)
	}
	if st, _, _ = vmPost(t, adv, mpath+"/status", url.Values{"status": {"closed"}, "outcome": {"双方签订调解协议"}, "closed_on": {"2026-06-20"}}); st != http.StatusSeeOther {
		t.Fatalf("close: %d", st)
	}
	if _, body = vil.Page(t, mpath); !strings.Contains(body, "已结案") || !strings.Contains(body, "双方签订调解协议") {
		t.Fatalf("closed matter as the village")
	}
	if st, body = vil.Page(t, "/ledger/matters?status=closed"); st != 200 || !strings.Contains(body, "王甲与李乙宅基地纠纷") {
		t.Fatalf("closed matters list as the village: %d", st)
	}

	// The improvement report starts from an outline with the year's figures.
	st, body = adv.Page(t, "/ledger/documents/new?village="+vmDemoVillage+"&kind=improvement&year=2026")
	if st != 200 || !strings.Contains(body, "2026年共提供服务") || !strings.Contains(body, "法治提升建议") {
		t.Fatalf("improvement report form: %d %.400s", st, body)
	}
	vmNoInline(t, "document form", body)
	before = app.Counts(t)
	if st, _, body = vmPost(t, adv, "/ledger/documents", url.Values{"village_code": {vmDemoVillage}, "kind": {"improvement"}, "year": {"2026"}, "body": {"  "}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="body-err"`) {
		t.Fatalf("empty report: %d", st)
	}
	if after := app.Counts(t); after["documents"] != before["documents"] {
		t.Fatalf("an empty report was saved")
	}
	st, loc, _ = vmPost(t, adv, "/ledger/documents", url.Values{"village_code": {vmDemoVillage}, "kind": {"plan"}, "year": {"2026"}, "body": {"一、每周三上午驻点值班。\n二、每月入户走访一次。"}})
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, "/ledger/documents/") {
		t.Fatalf("save plan: %d %q", st, loc)
	}
	dpath := strings.SplitN(loc, "?", 2)[0]
	if st, body = vil.Page(t, dpath); st != 200 || !strings.Contains(body, "年度法律顾问服务计划") || !strings.Contains(body, "每周三上午驻点值班") {
		t.Fatalf("plan as the village: %d", st)
	}

	// The village's volume: cover, contents, the plan, the matter, every entry in order with its check code.
	vpath := "/ledger/volume?village=" + vmDemoVillage + "&from=2026-01-01&to=2026-12-31"
	st, body = vil.Page(t, vpath)
	if st != 200 {
		t.Fatalf("volume as the village: %d", st)
	}
	amended, _ := ledger.Entry(ctx, app.DB, e.ID)
	for _, want := range []string{"一村一卷", "法律顾问工作档案", "目录", "年度法律顾问服务计划", "每周三上午驻点值班", "王甲与李乙宅基地纠纷",
		amended.Hash[:12], fix.Hash[:12], "更正 #" + strconv.FormatInt(e.ID, 10), "已被 #" + strconv.FormatInt(fix.ID, 10) + " 更正", "vol-amended", "volume.css"} {
		if !strings.Contains(body, want) {
			t.Errorf("volume page lacks %q", want)
		}
	}
	vmNoInline(t, "volume page", body)
	if strings.Index(body, amended.Hash[:12]) > strings.Index(body, fix.Hash[:12]) {
		t.Errorf("volume page: the amended entry should come before its correction (chain order)")
	}
	// Scopes and bad periods.
	if st, _ = app.Login("jh-bureau").Page(t, vpath); st != http.StatusNotFound {
		t.Errorf("another county's bureau reads the volume: %d", st)
	}
	if st, _ = vil.Page(t, "/ledger/volume?village=621025100002"); st != http.StatusNotFound {
		t.Errorf("the village reads a neighbour's volume: %d", st)
	}
	if st, body = vil.Page(t, "/ledger/volume?village="+vmDemoVillage+"&from=2026-06-01&to=2026-05-01"); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="to-err"`) {
		t.Errorf("bad period: %d", st)
	}
	if st, body = vil.Page(t, "/ledger/volume"); st != 200 || !strings.Contains(body, "法律顾问工作档案") {
		t.Errorf("the village's own volume by default: %d", st)
	}

	// The volume's workbook matches the page.
	data := vil.XLSX(t, "/ledger/volume.xlsx?village="+vmDemoVillage+"&from=2026-01-01&to=2026-12-31")
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 6 || sheets[2] != "工作台账" {
		t.Fatalf("volume sheets %q", sheets)
	}
	rows, err := f.GetRows("工作台账")
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := ledger.Entries(ctx, app.DB, ledger.EntryFilter{Village: vmDemoVillage, From: "2026-01-01", To: "2026-12-31", Page: counsel.Page{Limit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	// Title, subtitle, two header rows, the entries, the total.
	if got, want := len(rows), 4+len(all)+1; got != want {
		t.Fatalf("entries sheet has %d rows, want %d", got, want)
	}
	var hashes []string
	for _, r := range rows[4 : 4+len(all)] {
		hashes = append(hashes, r[len(r)-1])
	}
	if !strings.Contains(strings.Join(hashes, ","), amended.Hash[:12]+","+fix.Hash[:12]) {
		t.Errorf("entries sheet: the amended entry and its correction not in chain order at the end")
	}
	if v, _ := f.GetCellValue("工作台账", "A1"); !strings.Contains(v, "法律顾问工作档案") {
		t.Errorf("entries sheet title %q", v)
	}

	// The provider's volume: its villages, page and workbook.
	prov := app.Login("zn-provider")
	ppath := "/ledger/provider-volume?provider=" + strconv.FormatInt(g.ProviderID, 10) + "&from=2026-01-01&to=2026-12-31"
	st, body = prov.Page(t, ppath)
	if st != 200 || !strings.Contains(body, "一所一卷") || !strings.Contains(body, "王甲与李乙宅基地纠纷") || !strings.Contains(body, fix.Hash[:12]) {
		t.Fatalf("provider volume: %d", st)
	}
	vmNoInline(t, "provider volume", body)
	if st, _ = vil.Page(t, ppath); st != http.StatusNotFound {
		t.Errorf("the village reads the provider volume: %d", st)
	}
	if st, body = prov.Page(t, "/ledger/provider-volume"); st != 200 || !strings.Contains(body, "一所一卷") {
		t.Errorf("the provider's own volume by default: %d", st)
	}
	data = prov.XLSX(t, strings.Replace(ppath, "provider-volume?", "provider-volume.xlsx?", 1))
	pf, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	sum, err := pf.GetRows(pf.GetSheetList()[0])
	if err != nil || len(sum) < 5 {
		t.Fatalf("provider summary sheet: %v, %d rows", err, len(sum))
	}
	if last := sum[len(sum)-1]; last[0] != "合计" {
		t.Errorf("provider summary ends with %q, want the total row", last)
	}

	// JSON: the same volume.
	var vol struct {
		Entries []counsel.Entry `json:"entries"`
		Matters []counsel.Matter
		Totals  struct{ Entries, Amended, Amending int }
	}
	if st := vil.JSON("GET", "/api/v1/volumes/"+vmDemoVillage+"?from=2026-01-01&to=2026-12-31", nil, &vol); st != 200 || len(vol.Entries) != len(all) ||
		vol.Totals.Amended != 1 || vol.Totals.Amending != 1 || len(vol.Matters) != 1 {
		t.Fatalf("volume JSON: %d, %d entries (want %d), totals %+v, %d matters", st, len(vol.Entries), len(all), vol.Totals, len(vol.Matters))
	}
}

func TestVolumeAPI(t *testing.T) {
	app := apptest.New(t)
	adv := app.Login("zn-advisor")
	jud := app.Login("zn-judicial")
	before := app.Counts(t)
	var fail struct {
		Error struct {
			Fields []struct{ Field, Message string }
		}
	}
	if st := adv.JSON("POST", "/api/v1/matters", map[string]any{"village_code": vmDemoVillage, "title": "", "category": "karaoke"}, &fail); st != 422 || len(fail.Error.Fields) != 2 {
		t.Fatalf("bad matter: %d %+v", st, fail)
	}
	if st := adv.JSON("POST", "/api/v1/documents", map[string]any{"village_code": vmDemoVillage, "kind": "plan", "year": 2031, "body": "x"}, nil); st != 422 {
		t.Fatalf("plan for 2031: %d", st)
	}
	if after := app.Counts(t); after["matters"] != before["matters"] || after["documents"] != before["documents"] {
		t.Fatalf("refused requests wrote rows")
	}
	var m counsel.Matter
	if st := adv.JSON("POST", "/api/v1/matters", map[string]any{"village_code": vmDemoVillage, "title": "土地承包合同纠纷", "category": "legal_aid", "opened_on": "2026-07-01"}, &m); st != 201 || m.ID == 0 || m.Status != "open" {
		t.Fatalf("create matter: %d %+v", st, m)
	}
	path := "/api/v1/matters/" + strconv.FormatInt(m.ID, 10)
	var got counsel.Matter
	if st := jud.JSON("GET", path, nil, &got); st != 200 || got.Title != m.Title {
		t.Fatalf("matter as judicial office: %d %+v", st, got)
	}
	upd := map[string]any{"title": m.Title, "category": "legal_aid", "opened_on": "2026-07-01", "status": "closed", "outcome": "已代为起诉"}
	if st := jud.JSON("PUT", path, upd, nil); st != 403 {
		t.Fatalf("judicial office closes: %d", st)
	}
	if st := adv.JSON("PUT", path, upd, &got); st != 200 || got.Status != "closed" || got.ClosedOn == "" {
		t.Fatalf("close: %d %+v", st, got)
	}
	var d counsel.Document
	if st := adv.JSON("POST", "/api/v1/documents", map[string]any{"village_code": vmDemoVillage, "kind": "plan", "year": 2026, "body": "计划一"}, &d); st != 201 || d.ID == 0 {
		t.Fatalf("file plan: %d %+v", st, d)
	}
	var d2 counsel.Document
	if st := adv.JSON("POST", "/api/v1/documents", map[string]any{"village_code": vmDemoVillage, "kind": "plan", "year": 2026, "body": "计划二"}, &d2); st != 200 || d2.ID != d.ID || d2.Body != "计划二" {
		t.Fatalf("replace plan: %d %+v", st, d2)
	}
	if st := app.Login("jh-bureau").JSON("GET", "/api/v1/documents/"+strconv.FormatInt(d.ID, 10), nil, nil); st != 404 {
		t.Fatalf("other county reads the plan: %d", st)
	}
	var l struct{ Total int }
	if st := jud.JSON("GET", "/api/v1/matters?status=closed&village="+vmDemoVillage, nil, &l); st != 200 || l.Total != 1 {
		t.Fatalf("closed matters: %d %+v", st, l)
	}
}

// TestVolumeTexts checks that every text key the volume area's templates
// and code name is in the catalogs, in both languages.
func TestVolumeTexts(t *testing.T) {
	files, _ := filepath.Glob("templates/*.html")
	for _, p := range []string{"*.go"} {
		more, _ := filepath.Glob(p)
		files = append(files, more...)
	}
	key := regexp.MustCompile(`"((?:volume|volx|matter|doc|estatus|flash)\.[a-z_.]+[a-z_])"`)
	seen := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if m[1] == "volume.css" {
				continue
			}
			seen++
			if zh, en, ok := i18n.Entry(m[1]); !ok || zh == "" || en == "" {
				t.Errorf("%s: text %q missing", f, m[1])
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d keys; the pattern is broken", seen)
	}
	// Keys built at run time.
	for _, k := range []string{"matter.status.open", "matter.status.closed", "doc.kind.plan", "doc.kind.improvement", "doc.hint.plan", "doc.hint.improvement",
		"doc.default_title.plan", "doc.default_title.improvement", "estatus.pending", "estatus.confirmed", "estatus.disputed", "flash.matter_created", "flash.document_saved"} {
		if !i18n.Has(k) {
			t.Errorf("text %q missing", k)
		}
	}
}
