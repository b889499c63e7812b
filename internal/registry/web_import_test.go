package registry_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
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
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

const (
	shanhe   = "621025100000" // 山河镇, zn-judicial's town
	dongguan = "621025100200" // 东关村委会 in 山河镇
)

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
	b := c.XLSX(t, "/pairings/attachment1.xlsx")

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
	ps, _, err := registry.Pairings(context.Background(), app.DB, counsel.Filter{Region: shanhe, Status: "current"})
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

	before := app.Counts(t)
	st, body := upload(t, c, "附件1.xlsx", b, nil)
	if st != http.StatusOK {
		t.Fatalf("re-import: status %d; body %.2000s", st, body)
	}
	after := app.Counts(t)
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
	rows := readA1(t, c.XLSX(t, "/pairings/attachment1.xlsx"))
	if len(rows) < 3 {
		t.Fatalf("need at least 3 rows, got %d", len(rows))
	}
	rows[2].PersonPhone = "1380013" // Excel row 6: title, two header rows, then data from row 4
	rows = append(rows, xlsx.PairingRow{Town: "山河镇", Village: "东关村", AdvisorName: rows[0].AdvisorName, Firm: rows[0].Firm,
		AdvisorPhone: rows[0].AdvisorPhone, PersonName: "新明白人", Position: "村委委员", PersonPhone: "13911112222", PairedOn: "2026-05-01"})
	before := app.Counts(t)
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
	if after := app.Counts(t); !reflect.DeepEqual(before, after) {
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
	p, err := registry.PersonByIdentity(ctx, app.DB, dongguan, "周导入", "13900001234")
	if err != nil {
		t.Fatalf("the imported person is not in 东关村委会: %v", err)
	}
	if !p.Committee || p.Position != "村委委员" {
		t.Errorf("person: got %+v", p)
	}
	ps, _, err := registry.Pairings(ctx, app.DB, counsel.Filter{Region: dongguan})
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
	before := app.Counts(t)
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
	if after := app.Counts(t); !reflect.DeepEqual(before, after) {
		t.Errorf("a rejected import changed rows: before %v after %v", before, after)
	}
}

func TestImportFormAndTemplate(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	st, body := c.Page(t, "/import")
	if st != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "/import/template.xlsx") {
		t.Fatalf("import page: status %d", st)
	}
	rows, fes, err := xlsx.ReadAttachment1(bytes.NewReader(c.XLSX(t, "/import/template.xlsx")))
	if err != nil || len(rows) != 0 || len(fes) != 0 {
		t.Errorf("template: rows %v errors %v %v, want an empty table", rows, fes, err)
	}
	for _, user := range []string{"zn-village", "zn-city", "zn-advisor"} {
		if st, _ := app.Session(user).Page(t, "/import"); st != http.StatusForbidden {
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

// TestImportCatalog checks that every key the 附件1 import page uses is in
// the catalogs in both languages, including the keys built at run time.
// (The 1+N pages' keys are checked in internal/pairing.)
func TestImportCatalog(t *testing.T) {
	var keys []string
	for _, c := range []string{"town", "village", "advisor_name", "firm", "advisor_phone", "person_name", "position", "person_phone", "paired_on"} {
		keys = append(keys, "import.field."+c, "import.rule."+c)
	}
	keys = append(keys, "import.field.name", "import.field.phone",
		"imp.bad_phone", "imp.bad_date", "imp.too_long", "imp.duplicate", "imp.missing_column")
	re := regexp.MustCompile(`"((?:pn|persons?|pairings?|rules|card|import|col|flash|err|imp)\.[a-z_.]+[a-z_])"`)
	files := []string{"web_import.go", "templates/import.html"}
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
