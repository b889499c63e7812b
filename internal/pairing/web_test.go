package pairing_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/store"
	"github.com/xuri/excelize/v2"
)

// The 1+N pages over a running application on the demo database (moved from
// web/pairing_test.go; the 附件1 import's tests stay there).

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
	acts, _ := pairing.Activities(ctx, app.DB, q.ID)
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
	acts, _ := pairing.Activities(ctx, app.DB, q.ID)
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
