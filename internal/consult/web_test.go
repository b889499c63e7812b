package consult_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/consult"
)

// mjVillage is a village of the demo's 山河镇 with an advisor.
const mjVillage = "621025100001"

// TestConsultPages drives the resident's and the staff's pages over HTTP:
// bad input and the honeypot write nothing, the address limit refuses the
// sixth question in an hour, staff see the phone masked and only the
// handling advisor sees it whole.
func TestConsultPages(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	anon := app.Anonymous()
	form := func(phone string) url.Values {
		return url.Values{"village_code": {mjVillage}, "category": {"family"}, "question": {"离婚后孩子抚养费怎么算？"}, "name": {"李女士"},
			"phone": {phone}, "notice_accepted": {consult.ConsultNoticeVersion}}
	}
	st, body := anon.Body("GET", "/consult?v="+mjVillage, nil)
	if st != http.StatusOK || !strings.Contains(body, `name="notice_accepted"`) || !strings.Contains(body, `class="consult-hp"`) {
		t.Fatalf("form: %d %.300s", st, body)
	}

	before, _ := app.DB.TableCounts(ctx)
	bad := form("13912345678")
	bad.Del("notice_accepted")
	st, body = anon.Body("POST", "/consult", bad)
	body = html.UnescapeString(body)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "请阅读并同意个人信息告知") || !strings.Contains(body, "离婚后孩子抚养费怎么算？") {
		t.Fatalf("without the notice: %d %.300s", st, body)
	}
	spam := form("13912345678")
	spam.Set("website", "http://spam.example")
	st, body = anon.Body("POST", "/consult", spam)
	if st != http.StatusOK || !strings.Contains(body, `id="consult-ticket"`) {
		t.Fatalf("honeypot: %d %.300s", st, body)
	}
	if after, _ := app.DB.TableCounts(ctx); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused or discarded questions wrote rows: %v → %v", before, after)
	}

	// Five questions an hour from one address; the sixth is refused.
	var ticket string
	for i := 0; i < 6; i++ {
		st, body = anon.Body("POST", "/consult", form("1391234567"+strconv.Itoa(i)))
		if i < 5 {
			m := regexp.MustCompile(`id="consult-ticket">([0-9A-Z]{10})<`).FindStringSubmatch(body)
			if st != http.StatusOK || m == nil {
				t.Fatalf("question %d: %d %.300s", i, st, body)
			}
			ticket = m[1]
			continue
		}
		if st != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), "提交过于频繁") {
			t.Fatalf("sixth question: %d %.300s", st, body)
		}
	}
	c, err := consult.ConsultationByTicket(ctx, app.DB, ticket)
	if err != nil {
		t.Fatal(err)
	}
	st, body = anon.Body("POST", "/consult/status", url.Values{"ticket": {ticket}, "last4": {"5674"}})
	if st != http.StatusOK || !strings.Contains(body, "139****5674") || strings.Contains(body, "13912345674") {
		t.Fatalf("status: %d %.300s", st, body)
	}
	if st, _ = anon.Body("POST", "/consult/status", url.Values{"ticket": {ticket}, "last4": {"0000"}}); st != http.StatusNotFound {
		t.Fatalf("wrong digits: %d", st)
	}

	// Staff: masked for all; the handling advisor shows it whole.
	page := "/consultations/" + strconv.FormatInt(c.ID, 10)
	for _, u := range []string{"zn-judicial", "zn-bureau", "zn-advisor"} {
		s := app.Session(u)
		for _, p := range []string{"/consultations", page} {
			st, body := s.Body("GET", p, nil)
			if st != http.StatusOK || !strings.Contains(body, "139****5674") || strings.Contains(body, "13912345674") {
				t.Fatalf("%s %s: %d", u, p, st)
			}
		}
	}
	if st, _ := app.Session("zn-judicial").Body("POST", page+"/phone", url.Values{}); st != http.StatusForbidden {
		t.Fatalf("judicial full phone: %d", st)
	}
	st, body = app.Session("zn-advisor").Body("POST", page+"/phone", url.Values{})
	if st != http.StatusOK || !strings.Contains(body, "13912345674") {
		t.Fatalf("advisor full phone: %d", st)
	}
	audit, _, err := audit.List(ctx, app.DB, counsel.Filter{Kind: "consultation", Status: "view_phone"})
	if err != nil || len(audit) != 1 || audit[0].Username != "zn-advisor" {
		t.Fatalf("audited views = %+v, %v", audit, err)
	}
}

// TestConsultTexts checks that every text key the consultation's pages and
// handlers name is in the catalogs, in both languages.
func TestConsultTexts(t *testing.T) {
	files, _ := filepath.Glob("templates/consult*.html")
	files = append(files, "service.go", "staff.go", "limit.go", "web.go") // the rules and the page handlers
	key := regexp.MustCompile(`"((?:consult|pub|flash)\.[a-z_.0-9]+[a-z_0-9])"`)
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
			if strings.HasSuffix(m[1], ".css") || strings.HasSuffix(m[1], ".cat.") {
				continue
			}
			seen++
			if !i18n.Has(m[1]) || i18n.T("en", m[1]) == i18n.T("zh", m[1]) && !strings.HasPrefix(m[1], "consult.rating") {
				t.Errorf("%s: text %q missing or untranslated", f, m[1])
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d keys; the pattern is broken", seen)
	}
	var dynamic []string
	for _, c := range consult.ConsultCategories {
		dynamic = append(dynamic, "consult.cat."+c)
	}
	for _, s := range []string{"open", "answered", "overdue"} {
		dynamic = append(dynamic, "consult.status."+s)
	}
	for i := 1; i <= 5; i++ {
		dynamic = append(dynamic, "consult.rating."+strconv.Itoa(i))
	}
	dynamic = append(dynamic, "flash.consult_answered")
	for _, k := range dynamic {
		if !i18n.Has(k) {
			t.Errorf("text %q missing", k)
		}
	}
}
