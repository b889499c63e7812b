package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/store"
)

const (
	shanhe   = "621025100000" // 山河镇, zn-judicial's town
	dongguan = "621025100200" // 东关村委会 in 山河镇
)

// get fetches a page and returns its status and body.
func get(t *testing.T, c *apptest.Client, path string) (int, string) {
	t.Helper()
	st, body := c.Body("GET", path, nil)
	return st, html.UnescapeString(body)
}

// download fetches a file and checks it is an xlsx attachment.
func download(t *testing.T, c *apptest.Client, path string) []byte {
	t.Helper()
	resp := c.Do("GET", path, nil, "")
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, want 200; body %.300s", path, resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("GET %s: content type %q", path, ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=\"") || !strings.Contains(cd, "filename*=UTF-8''") {
		t.Errorf("GET %s: content disposition %q", path, cd)
	}
	return b
}

// upload posts a file to the import form.
func upload(t *testing.T, c *apptest.Client, name string, data []byte, fields map[string]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	_ = mw.WriteField("csrf", c.CSRF)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	mw.Close()
	resp := c.Do("POST", "/import/pairings", buf.Bytes(), mw.FormDataContentType())
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, html.UnescapeString(string(b))
}

func counts(t *testing.T, app *apptest.App) map[string]int {
	t.Helper()
	m, err := app.DB.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// readA1 parses a 附件1 workbook, failing on any row error.
func readA1(t *testing.T, b []byte) []xlsx.PairingRow {
	t.Helper()
	rows, fes, err := xlsx.ReadAttachment1(bytes.NewReader(b))
	if err != nil || len(fes) > 0 {
		t.Fatalf("read 附件1: %v %+v", err, fes)
	}
	return rows
}

func writeA1(t *testing.T, rows []xlsx.PairingRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.WriteAttachment1(&buf, "山河镇“1+N”行动结对情况统计表", rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAttachment1ExportAndReimport exports 山河镇's 附件1 as its judicial
// office, checks it against the database, and imports it back: nothing new.
func TestAttachment1ExportAndReimport(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	b := download(t, c, "/pairings/attachment1.xlsx")

	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	title, _ := f.GetCellValue(f.GetSheetName(0), "A1")
	f.Close()
	if title != "山河镇“1+N”行动结对情况统计表" {
		t.Errorf("title %q", title)
	}

	rows := readA1(t, b)
	ps, _, err := app.DB.Pairings(context.Background(), store.Filter{Region: shanhe, Status: "current"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 || len(rows) != len(ps) {
		t.Fatalf("exported %d rows, 山河镇 has %d current pairings", len(rows), len(ps))
	}
	key := func(village, advisor, person string) string {
		return counsel.NameKey(village) + "|" + advisor + "|" + person
	}
	var got, want []string
	for _, r := range rows {
		if r.Town != "山河镇" {
			t.Errorf("row %d: town %q", r.Row, r.Town)
		}
		got = append(got, key(r.Village, r.AdvisorName, r.PersonName))
	}
	for _, q := range ps {
		want = append(want, key(q.VillageName, q.AdvisorName, q.PersonName))
	}
	sort.Strings(got)
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("exported rows differ from the pairings:\n got %v\nwant %v", got, want)
	}
	// The judicial office sees whole phone numbers, so the file imports back.
	for _, r := range rows {
		if strings.Contains(r.PersonPhone, "*") {
			t.Fatalf("row %d: phone %q is masked for the judicial office", r.Row, r.PersonPhone)
		}
	}

	before := counts(t, app)
	st, body := upload(t, c, "附件1.xlsx", b, nil)
	if st != http.StatusOK {
		t.Fatalf("re-import: status %d; body %.2000s", st, body)
	}
	after := counts(t, app)
	for _, table := range []string{"providers", "advisors", "persons", "pairings"} {
		if before[table] != after[table] {
			t.Errorf("re-import changed %s: %d → %d", table, before[table], after[table])
		}
	}
	if !strings.Contains(body, "导入结果") || !strings.Contains(body, fmt.Sprintf("<dd>%d</dd>", len(rows))) {
		t.Errorf("re-import page lacks the result with %d unchanged rows", len(rows))
	}
}

// TestImportBadRowWritesNothing imports a file whose row 6 has a bad phone
// (and another row that would be fine): 422, the row and column are named,
// and no table changes.
func TestImportBadRowWritesNothing(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	rows := readA1(t, download(t, c, "/pairings/attachment1.xlsx"))
	if len(rows) < 3 {
		t.Fatalf("need at least 3 rows, got %d", len(rows))
	}
	rows[2].PersonPhone = "1380013" // Excel row 6: title, two header rows, then data from row 4
	rows = append(rows, xlsx.PairingRow{Town: "山河镇", Village: "东关村", AdvisorName: rows[0].AdvisorName, Firm: rows[0].Firm,
		AdvisorPhone: rows[0].AdvisorPhone, PersonName: "新明白人", Position: "村委委员", PersonPhone: "13911112222", PairedOn: "2026-05-01"})
	before := counts(t, app)
	st, body := upload(t, c, "bad.xlsx", writeA1(t, rows), nil)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422; body %.1000s", st, body)
	}
	if !strings.Contains(body, "导入未执行：共 1 行有错误") {
		t.Errorf("body lacks the general message")
	}
	re := regexp.MustCompile(`(?s)<td[^>]*>6</td>\s*<td[^>]*>H</td>\s*<td[^>]*>法律明白人联系电话</td>\s*<td[^>]*>[^<]*1380013`)
	if !re.MatchString(body) {
		t.Errorf("body does not list row 6, column H with the bad phone; body %s", body[strings.Index(body, "<main"):])
	}
	if after := counts(t, app); !reflect.DeepEqual(before, after) {
		t.Errorf("a rejected import changed rows: before %v after %v", before, after)
	}
}

// TestImportShortVillageName imports a CSV naming a village as people write
// it (东关村 for 东关村委会) with a new person: the person is created there.
func TestImportShortVillageName(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	csv := "街道(乡镇),村(社区),姓名,所在律所,联系电话,姓名,职务,联系电话,结对时间\n" +
		"山河镇,东关村,孙导入,甘肃导入律师事务所,13800138000,周导入,村委委员,139 0000 1234,2026年5月8日\n"
	st, body := upload(t, c, "pairs.csv", []byte(csv), nil)
	if st != http.StatusOK {
		t.Fatalf("status %d; body %.2000s", st, body)
	}
	p, err := app.DB.PersonByIdentity(ctx, dongguan, "周导入", "13900001234")
	if err != nil {
		t.Fatalf("the imported person is not in 东关村委会: %v", err)
	}
	if !p.Committee || p.Position != "村委委员" {
		t.Errorf("person: got %+v", p)
	}
	ps, _, err := app.DB.Pairings(ctx, store.Filter{Region: dongguan})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range ps {
		if q.PersonID == p.ID {
			found = q.AdvisorName == "孙导入" && q.PairedOn == "2026-05-08"
		}
	}
	if !found {
		t.Errorf("no pairing of 孙导入 and 周导入 on 2026-05-08 in %+v", ps)
	}
	// A new advisor has no agreement in 东关村: the page warns.
	if !strings.Contains(body, "没有该村的有效协议") || !strings.Contains(body, "东关村委会") {
		t.Errorf("the page does not warn about the village without an agreement")
	}
}

// TestImportOtherTownRejected: rows of another town, or of a village not in
// the office's town, are error rows and nothing is written.
func TestImportOtherTownRejected(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	csv := "街道(乡镇),村(社区),姓名,所在律所,联系电话,姓名,职务,联系电话,结对时间\n" +
		"山河镇,东关村,孙导入,甘肃导入律师事务所,13800138000,周导入,村委委员,13900001234,2026-05-08\n" +
		"榆林子镇,某某村,孙导入,甘肃导入律师事务所,13800138000,吴外镇,村委委员,13900005678,2026-05-08\n" +
		"山河镇,不存在村,孙导入,甘肃导入律师事务所,13800138000,郑外村,村委委员,13900009999,2026-05-08\n"
	before := counts(t, app)
	st, body := upload(t, c, "pairs.csv", []byte(csv), nil)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422; body %.1000s", st, body)
	}
	for _, want := range []string{"导入未执行：共 2 行有错误", "榆林子镇", "不存在村"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q", want)
		}
	}
	if !regexp.MustCompile(`<td[^>]*>3</td>\s*<td[^>]*>A</td>`).MatchString(body) || !regexp.MustCompile(`<td[^>]*>4</td>\s*<td[^>]*>B</td>`).MatchString(body) {
		t.Errorf("rows 3 (column A) and 4 (column B) are not listed")
	}
	if after := counts(t, app); !reflect.DeepEqual(before, after) {
		t.Errorf("a rejected import changed rows: before %v after %v", before, after)
	}
}

func TestImportFormAndTemplate(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	st, body := get(t, c, "/import")
	if st != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "/import/template.xlsx") {
		t.Fatalf("import page: status %d", st)
	}
	rows, fes, err := xlsx.ReadAttachment1(bytes.NewReader(download(t, c, "/import/template.xlsx")))
	if err != nil || len(rows) != 0 || len(fes) != 0 {
		t.Errorf("template: rows %v errors %v %v, want an empty table", rows, fes, err)
	}
	for _, user := range []string{"zn-village", "zn-city", "zn-advisor"} {
		if st, _ := get(t, app.Session(user), "/import"); st != http.StatusForbidden {
			t.Errorf("%s: import page status %d, want 403", user, st)
		}
	}
	// Not a spreadsheet.
	st, body = upload(t, c, "a.pdf", []byte("%PDF-1.4"), nil)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "只支持 .xlsx 或 .csv 文件") {
		t.Errorf("pdf upload: status %d", st)
	}
	// No header.
	st, body = upload(t, c, "a.csv", []byte("a,b,c\n1,2,3\n"), nil)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "未找到表头") {
		t.Errorf("headerless upload: status %d", st)
	}
}

// TestExportsOutOfScope: another district's office cannot export or print
// 正宁县's data.
func TestExportsOutOfScope(t *testing.T) {
	app := apptest.New(t)
	jh := app.Session("jh-judicial")
	ps, _, err := app.DB.Pairings(context.Background(), store.Filter{Region: shanhe, Page: counsel.Page{Limit: 1}})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	for _, path := range []string{
		"/pairings/attachment1.xlsx?region=621025000000",
		"/pairings/attachment1.xlsx?region=" + shanhe,
		"/pairings/cards.xlsx?region=" + dongguan,
		fmt.Sprintf("/pairings/cards.xlsx?id=%d", ps[0].ID),
		fmt.Sprintf("/pairings/%d/card", ps[0].ID),
		fmt.Sprintf("/pairings/%d", ps[0].ID),
		"/pairings/cards?region=" + dongguan,
		fmt.Sprintf("/persons/%d", ps[0].PersonID),
		"/persons?region=" + shanhe,
		"/pairings/rules?region=" + shanhe,
	} {
		resp := jh.Do("GET", path, nil, "")
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("jh-judicial GET %s: status %d, want 404", path, resp.StatusCode)
		}
		if bytes.Contains(b, []byte(ps[0].PersonName)) {
			t.Errorf("jh-judicial GET %s shows 正宁县's person", path)
		}
	}
	// Its own table holds none of 正宁县's rows.
	rows := readA1(t, download(t, jh, "/pairings/attachment1.xlsx"))
	for _, r := range rows {
		if r.Town == "山河镇" {
			t.Errorf("jh-judicial's table holds %+v", r)
		}
	}
}

// TestArchiveCardPage renders a pairing's printable card and a village's.
func TestArchiveCardPage(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	ps, _, err := app.DB.Pairings(ctx, store.Filter{Region: shanhe, Status: "current"})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	q := ps[0]
	acts, _ := app.DB.Activities(ctx, q.ID)
	st, body := get(t, c, fmt.Sprintf("/pairings/%d/card", q.ID))
	if st != 200 {
		t.Fatalf("card: status %d", st)
	}
	for _, want := range []string{"庆阳市“1+N”行动结对联系档案卡", q.AdvisorName, q.PersonName, "所在律所", "所在村居及职务",
		"开展活动情况记录", "考评情况记录", "备注", "此档案卡由司法所督促村、社区及时填写", "data-print", "/static/print.js"} {
		if !strings.Contains(body, want) {
			t.Errorf("card page lacks %q", want)
		}
	}
	for _, a := range acts {
		if !strings.Contains(body, a.Note) {
			t.Errorf("card page lacks activity %q", a.Note)
		}
	}
	assertNoInlineScript(t, body)

	st, body = get(t, c, "/pairings/cards?region="+q.VillageCode)
	if st != 200 || strings.Count(body, `<article class="acard">`) < 1 {
		t.Errorf("village cards: status %d, %d cards", st, strings.Count(body, `<article class="acard">`))
	}
	b := download(t, c, fmt.Sprintf("/pairings/cards.xlsx?id=%d", q.ID))
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if title, _ := f.GetCellValue(f.GetSheetName(0), "A1"); title != "庆阳市“1+N”行动结对联系档案卡" || f.SheetCount != 1 {
		t.Errorf("cards.xlsx: title %q, %d sheets", title, f.SheetCount)
	}
	if name, _ := f.GetCellValue(f.GetSheetName(0), "E3"); name != q.PersonName {
		t.Errorf("cards.xlsx: person %q, want %q", name, q.PersonName)
	}
	download(t, c, "/pairings/cards.xlsx?region="+q.VillageCode)
	if st, _ := get(t, c, "/pairings/cards.xlsx?region=621025000000"); st != http.StatusNotFound && st != http.StatusUnprocessableEntity {
		t.Errorf("cards of a whole county as a town office: status %d", st)
	}
}

func assertNoInlineScript(t *testing.T, body string) {
	t.Helper()
	if regexp.MustCompile(`<script(\s[^>]*)?>[^<]`).MatchString(body) || regexp.MustCompile(`<script(?:\s+(?:defer|async))*>`).MatchString(body) {
		t.Error("page has an inline script")
	}
	if regexp.MustCompile(`\son[a-z]+=`).MatchString(body) || strings.Contains(body, ` style="`) {
		t.Error("page has an event handler or style attribute")
	}
}

// TestDismissEndsPairings dismisses a paired person through the status form.
func TestDismissEndsPairings(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	ps, _, err := app.DB.Pairings(ctx, store.Filter{Region: shanhe, Status: "current"})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	pid := ps[0].PersonID
	path := fmt.Sprintf("/persons/%d/status", pid)

	// A reason is required.
	before := counts(t, app)
	st, body := c.Body("POST", path, url.Values{"status": {"dismissed"}, "status_on": {"2026-07-01"}, "reason": {""}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-err"`) {
		t.Fatalf("missing reason: status %d", st)
	}
	if after := counts(t, app); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused status change changed rows")
	}

	resp := c.Do("POST", path, url.Values{"status": {"dismissed"}, "status_on": {"2026-07-01"}, "reason": {"工作调动"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: status %d, want 303", resp.StatusCode)
	}
	p, err := app.DB.Person(ctx, pid)
	if err != nil || p.Status != counsel.PersonDismissed || p.StatusOn != "2026-07-01" || p.Reason != "工作调动" {
		t.Fatalf("person after dismissal: %+v %v", p, err)
	}
	all, _, _ := app.DB.Pairings(ctx, store.Filter{Region: p.VillageCode})
	for _, q := range all {
		if q.PersonID == pid && q.EndedOn != "2026-07-01" {
			t.Errorf("pairing %d not ended: %+v", q.ID, q)
		}
	}
	st, body = get(t, c, fmt.Sprintf("/persons/%d", pid))
	if st != 200 || !strings.Contains(body, "辞退") || !strings.Contains(body, "2026-07-01") {
		t.Errorf("person page after dismissal: status %d", st)
	}
	// The city bureau reads it, masked, and cannot change it.
	city := app.Session("zn-city")
	st, body = get(t, city, fmt.Sprintf("/persons/%d", pid))
	if st != 200 || strings.Contains(body, p.Phone) || strings.Contains(body, "/status\"") {
		t.Errorf("city bureau person page: status %d (phone shown or form offered)", st)
	}
	resp = city.Do("POST", path, url.Values{"status": {"active"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("city bureau status change: %d, want 403", resp.StatusCode)
	}
}

// TestPersonPages lists, creates and edits a person.
func TestPersonPages(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	for _, path := range []string{"/persons", "/persons?status=active&q=村", "/persons?region=" + dongguan, "/persons/new", "/persons/new?region=" + dongguan} {
		if st, _ := get(t, c, path); st != 200 {
			t.Errorf("GET %s: status %d", path, st)
		}
	}
	// A bad phone keeps the input and names the field.
	form := url.Values{"village_code": {dongguan}, "name": {"吴新人"}, "position": {"村委委员"}, "committee_field": {"1"}, "committee": {"1"}, "phone": {"12345"}}
	st, body := c.Body("POST", "/persons", form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="phone-err"`) || !strings.Contains(body, `value="吴新人"`) {
		t.Fatalf("bad phone: status %d", st)
	}
	form.Set("phone", "13712345678")
	resp := c.Do("POST", "/persons", form, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: status %d", resp.StatusCode)
	}
	p, err := app.DB.PersonByIdentity(ctx, dongguan, "吴新人", "13712345678")
	if err != nil || !p.Committee {
		t.Fatalf("created person: %+v %v", p, err)
	}
	// Unticking the box on edit is kept, even for a committee position.
	st, body = get(t, c, fmt.Sprintf("/persons/%d/edit", p.ID))
	if st != 200 || !strings.Contains(body, `value="村委委员"`) {
		t.Fatalf("edit form: status %d", st)
	}
	form.Del("committee")
	form.Set("training", "2026年乡镇培训")
	resp = c.Do("POST", fmt.Sprintf("/persons/%d", p.ID), form, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: status %d", resp.StatusCode)
	}
	if p, _ = app.DB.Person(ctx, p.ID); p.Committee || p.Training != "2026年乡镇培训" {
		t.Errorf("updated person: %+v", p)
	}
	// The htmx hint ticks the box for a committee position.
	req, _ := http.NewRequest("GET", app.HTTP.URL+"/persons/new?position="+url.QueryEscape("党支部书记"), nil)
	req.Header.Set("HX-Request", "true")
	hr, err := c.HTTP.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	hb, _ := io.ReadAll(hr.Body)
	hr.Body.Close()
	if !strings.Contains(string(hb), "checked") || strings.Contains(string(hb), "<html") {
		t.Errorf("committee hint: %s", hb)
	}
	// A city bureau reads masked phones and gets no form.
	city := app.Session("zn-city")
	if st, body := get(t, city, "/persons?region="+dongguan); st != 200 || !strings.Contains(body, "****") || strings.Contains(body, "13712345678") {
		t.Errorf("city bureau list: status %d, phones not masked", st)
	}
	if st, _ := get(t, city, "/persons/new"); st != http.StatusForbidden {
		t.Errorf("city bureau new person form: status %d, want 403", st)
	}
}

// TestPairingPages creates a pairing, records an activity and an evaluation,
// and shows the 1+N rule.
func TestPairingPages(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	for _, path := range []string{"/pairings", "/pairings?status=current&q=村", "/pairings?region=" + dongguan, "/pairings/new",
		"/pairings/rules", "/pairings/rules?unmet=1&region=" + shanhe} {
		if st, _ := get(t, c, path); st != 200 {
			t.Errorf("GET %s: status %d", path, st)
		}
	}
	// Find a village with a live agreement and an unpaired active person.
	var village string
	var person counsel.Person
	vs, _ := app.DB.Villages(ctx, shanhe)
	for _, v := range vs {
		if _, err := app.DB.LiveAgreementFor(ctx, v.Code); err != nil {
			continue
		}
		persons, _, _ := app.DB.Persons(ctx, store.Filter{Region: v.Code, Status: "active", Page: counsel.Page{Limit: 100}})
		paired, _, _ := app.DB.Pairings(ctx, store.Filter{Region: v.Code})
		taken := map[int64]bool{}
		for _, q := range paired {
			taken[q.PersonID] = true
		}
		for _, p := range persons {
			if !taken[p.ID] {
				village, person = v.Code, p
				break
			}
		}
		if village != "" {
			break
		}
	}
	if village == "" {
		t.Fatal("no unpaired person in 山河镇")
	}
	g, _ := app.DB.LiveAgreementFor(ctx, village)
	st, body := get(t, c, "/pairings/new?region="+village)
	if st != 200 || !strings.Contains(body, fmt.Sprintf(`<option value="%d"`, person.ID)) || !strings.Contains(body, g.AdvisorName) {
		t.Fatalf("pairing form: status %d", st)
	}
	form := url.Values{"region": {village}, "advisor_id": {fmt.Sprint(g.AdvisorID)}, "person_id": {""}, "paired_on": {"2026-06-01"}}
	if st, body := c.Body("POST", "/pairings", form); st != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") {
		t.Errorf("pairing without a person: status %d", st)
	}
	form.Set("person_id", fmt.Sprint(person.ID))
	resp := c.Do("POST", "/pairings", form, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create pairing: status %d", resp.StatusCode)
	}
	q, err := app.DB.PairingOf(ctx, g.AdvisorID, person.ID)
	if err != nil || q.PairedOn != "2026-06-01" {
		t.Fatalf("pairing: %+v %v", q, err)
	}
	base := fmt.Sprintf("/pairings/%d", q.ID)
	if st, body := get(t, c, base); st != 200 || !strings.Contains(body, person.Name) || !strings.Contains(body, "讲解员") {
		t.Errorf("pairing page: status %d", st)
	}
	// An activity of one of the six duties.
	if st, body := c.Body("POST", base+"/activities", url.Values{"kind": {"juggler"}, "date": {"2026-06-20"}, "note": {"x"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="kind-err"`) {
		t.Errorf("bad duty: status %d", st)
	}
	resp = c.Do("POST", base+"/activities", url.Values{"kind": {"mediator"}, "date": {"2026-06-20"}, "note": {"共同调解土地纠纷"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("activity: status %d", resp.StatusCode)
	}
	acts, _ := app.DB.Activities(ctx, q.ID)
	if len(acts) != 1 || acts[0].Kind != "mediator" {
		t.Errorf("activities: %+v", acts)
	}
	resp = c.Do("POST", base, url.Values{"paired_on": {"2026-06-01"}, "evaluation": {"考评合格"}, "remarks": {"按时履职"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("evaluation: status %d", resp.StatusCode)
	}
	if q, _ = app.DB.Pairing(ctx, q.ID); q.Evaluation != "考评合格" || q.Remarks != "按时履职" {
		t.Errorf("pairing after evaluation: %+v", q)
	}
	st, body = get(t, c, base+"/card")
	if st != 200 || !strings.Contains(body, "调解员") || !strings.Contains(body, "共同调解土地纠纷") || !strings.Contains(body, "考评合格") {
		t.Errorf("card after records: status %d", st)
	}
	// The village's advisor records activities but cannot evaluate.
	st, body = get(t, c, "/pairings/rules?region="+shanhe)
	if st != 200 || !strings.Contains(body, "达标") || !strings.Contains(body, "东关村委会") {
		t.Errorf("rules page: status %d", st)
	}
	// Roles that only read get no form.
	for _, user := range []string{"zn-city", "zn-village", "zn-provider"} {
		if st, _ := get(t, app.Session(user), "/pairings/new"); st != http.StatusForbidden {
			t.Errorf("%s: new pairing form status %d, want 403", user, st)
		}
	}
}

// TestPairingPagesEnglish renders the pages in English: no raw catalog keys.
func TestPairingPagesEnglish(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	resp := c.Do("POST", "/lang", url.Values{"lang": {"en"}, "next": {"/"}}, "")
	resp.Body.Close()
	ps, _, _ := app.DB.Pairings(context.Background(), store.Filter{Region: shanhe, Page: counsel.Page{Limit: 1}})
	raw := regexp.MustCompile(`\b(pn|persons?|pairings?|rules|card|import|duty|pstatus)\.[a-z_]+\b`)
	for _, path := range []string{"/persons", "/persons/new", fmt.Sprintf("/persons/%d", ps[0].PersonID), "/pairings", "/pairings/new",
		fmt.Sprintf("/pairings/%d", ps[0].ID), fmt.Sprintf("/pairings/%d/card", ps[0].ID), "/pairings/rules", "/import"} {
		st, body := get(t, c, path)
		if st != 200 {
			t.Errorf("GET %s: status %d", path, st)
			continue
		}
		main := body[strings.Index(body, "<main"):]
		if m := raw.FindString(regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(main, " ")); m != "" {
			t.Errorf("GET %s shows the raw key %q", path, m)
		}
		if !strings.Contains(body, `lang="en"`) {
			t.Errorf("GET %s is not in English", path)
		}
	}
}

// TestPairingCatalog checks that every key the 1+N pages use is in the
// catalogs in both languages, including the keys built at run time.
func TestPairingCatalog(t *testing.T) {
	var keys []string
	for _, k := range counsel.DutyKinds {
		keys = append(keys, "duty."+k)
	}
	for _, s := range []string{counsel.PersonActive, counsel.PersonDismissed, counsel.PersonRemoved} {
		keys = append(keys, "pstatus."+s)
	}
	for _, c := range []string{"town", "village", "advisor_name", "firm", "advisor_phone", "person_name", "position", "person_phone", "paired_on"} {
		keys = append(keys, "import.field."+c, "import.rule."+c)
	}
	keys = append(keys, "pn.gender_m", "pn.gender_f", "import.field.name", "import.field.phone",
		"imp.bad_phone", "imp.bad_date", "imp.too_long", "imp.duplicate", "imp.missing_column")
	re := regexp.MustCompile(`"((?:pn|persons?|pairings?|rules|card|import|col|flash|err|imp)\.[a-z_.]+[a-z_])"`)
	files := []string{"pairing.go", "pairing_persons.go", "pairing_pairings.go", "pairing_exports.go", "pairing_import.go"}
	for _, p := range []string{"persons", "person", "person_form", "pairings", "pairing", "pairing_form", "rules", "import", "card"} {
		files = append(files, "templates/"+p+".html")
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
		if strings.HasSuffix(k, ".") || strings.HasSuffix(k, "_") {
			continue
		}
		if zh, en, ok := i18n.Entry(k); !ok || zh == "" || en == "" {
			t.Errorf("catalog lacks %q", k)
		}
	}
}
