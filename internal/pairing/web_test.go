package pairing_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/xuri/excelize/v2"
)

// The 1+N pages over a running application on the demo database (moved from
// web/pairing_test.go; the 附件1 import's tests stay there).

// readA1 parses a 附件1 workbook, failing on any row error.
func readA1(t *testing.T, b []byte) []xlsx.PairingRow {
	t.Helper()
	rows, fes, err := xlsx.ReadAttachment1(bytes.NewReader(b))
	if err != nil || len(fes) > 0 {
		t.Fatalf("read 附件1: %v %+v", err, fes)
	}
	return rows
}

// TestExportsOutOfScope: another district's office cannot export or print
// 正宁县's data.
func TestExportsOutOfScope(t *testing.T) {
	app := apptest.New(t)
	jh := app.Session("jh-judicial")
	ps, _, err := registry.Pairings(context.Background(), app.DB, counsel.Filter{Region: shanhe, Page: counsel.Page{Limit: 1}})
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
	rows := readA1(t, jh.XLSX(t, "/pairings/attachment1.xlsx"))
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
	ps, _, err := registry.Pairings(ctx, app.DB, counsel.Filter{Region: shanhe, Status: "current"})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	q := ps[0]
	acts, _ := pairing.Activities(ctx, app.DB, q.ID)
	st, body := c.Page(t, fmt.Sprintf("/pairings/%d/card", q.ID))
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

	st, body = c.Page(t, "/pairings/cards?region="+q.VillageCode)
	if st != 200 || strings.Count(body, `<article class="acard">`) < 1 {
		t.Errorf("village cards: status %d, %d cards", st, strings.Count(body, `<article class="acard">`))
	}
	b := c.XLSX(t, fmt.Sprintf("/pairings/cards.xlsx?id=%d", q.ID))
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
	c.XLSX(t, "/pairings/cards.xlsx?region="+q.VillageCode)
	if st, _ := c.Page(t, "/pairings/cards.xlsx?region=621025000000"); st != http.StatusNotFound && st != http.StatusUnprocessableEntity {
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
	keys = append(keys, "pn.gender_m", "pn.gender_f")
	re := regexp.MustCompile(`"((?:pn|persons?|pairings?|rules|card|import|col|flash|err|imp)\.[a-z_.]+[a-z_])"`)
	files := []string{"web.go", "web_persons.go", "web_pairings.go", "web_exports.go", "web_photo.go"}
	for _, p := range []string{"persons", "person", "person_form", "pairings", "pairing", "pairing_form", "rules", "card"} {
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
