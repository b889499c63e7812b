package major_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/notify"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/major"
)

// mjVillage is the demo advisor zn-advisor's village (东城社区).
const mjVillage = "621025100001"

// TestMajorPages drives a report through the pages: the advisor's form keeps
// the input and shows errors next to the fields, the judicial office
// acknowledges, follows up and closes, and other roles see what they may.
func TestMajorPages(t *testing.T) {
	app := apptest.New(t)
	adv := app.Session("zn-advisor")
	st, body := adv.Body("GET", "/major/new", nil)
	body = html.UnescapeString(body)
	if st != http.StatusOK || !strings.Contains(body, "涉及集体诉讼或上访的案件") || !strings.Contains(body, `value="`+mjVillage+`"`) {
		t.Fatalf("new form: %d %.400s", st, body)
	}
	key := regexp.MustCompile(`name="client_key" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if key == nil {
		t.Fatal("new form has no client key")
	}

	// A bad submission writes nothing and keeps the typed text.
	before, _ := app.DB.TableCounts(context.Background())
	form := url.Values{"client_key": {key[1]}, "village_code": {mjVillage}, "category": {""}, "title": {"村民拟集体上访"},
		"facts": {"因土地流转纠纷，二十余户村民拟集体上访"}, "occurred_on": {"2099-01-01"}, "people": {"abc"}}
	st, body = adv.Body("POST", "/major", form)
	body = html.UnescapeString(body)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad submission: status %d, want 422", st)
	}
	for _, want := range []string{"请选择事项类别", "发生日期不能晚于今天", "应在 0 到", "因土地流转纠纷，二十余户村民拟集体上访", `value="村民拟集体上访"`, `id="category-err"`, `id="occurred_on-err"`} {
		if !strings.Contains(body, want) {
			t.Errorf("bad submission page lacks %q", want)
		}
	}
	after, _ := app.DB.TableCounts(context.Background())
	for k, v := range before {
		if after[k] != v {
			t.Errorf("bad submission changed %s: %d → %d", k, v, after[k])
		}
	}

	// A good one lands on the report's page; a resubmission of the same
	// form does not report twice.
	form.Set("category", counsel.MajorCollectiveSuit)
	form.Set("occurred_on", "2026-01-10")
	form.Set("people", "23")
	resp := adv.Do("POST", "/major", form, "")
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/major/") {
		t.Fatalf("submission: %d → %q", resp.StatusCode, loc)
	}
	resp = adv.Do("POST", "/major", form, "")
	resp.Body.Close()
	if again := resp.Header.Get("Location"); again != loc {
		t.Errorf("resubmission went to %q, want %q", again, loc)
	}
	path := strings.SplitN(loc, "?", 2)[0]
	l, err := major.NewService(app.Svc).MajorReports(context.Background(), counsel.System, major.Filter{})
	if err != nil || l.Total != 1 {
		t.Fatalf("reports after two submissions: %d %v, want 1", l.Total, err)
	}

	jud := app.Session("zn-judicial")
	st, body = jud.Body("GET", path, nil)
	body = html.UnescapeString(body)
	if st != 200 || !strings.Contains(body, "待签收") || !strings.Contains(body, "/acknowledge") || !strings.Contains(body, "data-print") {
		t.Fatalf("judicial view: %d %.300s", st, body)
	}
	if strings.Contains(body, "style=") || regexp.MustCompile(`<script>`).MatchString(body) {
		t.Error("report page has inline style or script")
	}
	// Follow-up before acknowledgement is refused; an empty note shows next
	// to its field.
	if st, _ := jud.Body("POST", path+"/follow-up", url.Values{"note": {"已约谈"}}); st != http.StatusConflict {
		t.Errorf("follow-up before acknowledgement: %d, want 409", st)
	}
	for _, step := range []struct{ path, note, flash string }{{"/acknowledge", "", "已签收"}, {"/follow-up", "已召开协调会", "已记录跟进"}} {
		resp := jud.Do("POST", path+step.path, url.Values{"note": {step.note}}, "")
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d", step.path, resp.StatusCode)
		}
	}
	st, body = jud.Body("POST", path+"/close", url.Values{"note": {" "}})
	body = html.UnescapeString(body)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="note-closed-err"`) || !strings.Contains(body, "必填") {
		t.Errorf("close without outcome: %d", st)
	}
	resp = jud.Do("POST", path+"/close", url.Values{"note": {"补偿方案已公示，村民撤回上访"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("close: %d", resp.StatusCode)
	}

	// Everyone in the area reads the report and its history; the city sees
	// no step forms; another county sees nothing.
	for _, who := range []string{"zn-village", "zn-provider", "zn-city", "zn-advisor"} {
		st, body := app.Session(who).Body("GET", path, nil)
		body = html.UnescapeString(body)
		if st != 200 || !strings.Contains(body, "补偿方案已公示，村民撤回上访") || !strings.Contains(body, "已召开协调会") || strings.Contains(body, "/close\"") {
			t.Errorf("%s view: %d", who, st)
		}
	}
	if st, _ := app.Session("jh-bureau").Body("GET", path, nil); st != http.StatusNotFound {
		t.Errorf("other county: %d, want 404", st)
	}
	st, body = app.Session("jh-bureau").Body("GET", "/major", nil)
	if st != 200 || strings.Contains(body, "村民拟集体上访") {
		t.Errorf("other county's list: %d, shows the report", st)
	}

	// The county bureau sets the deadline on the list page; a bad value
	// shows next to the field.
	bur := app.Session("zn-bureau")
	st, body = bur.Body("POST", "/major/settings", url.Values{"ack_hours": {"0"}})
	body = html.UnescapeString(body)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="ack_hours-err"`) {
		t.Errorf("bad deadline: %d", st)
	}
	resp = bur.Do("POST", "/major/settings", url.Values{"ack_hours": {"12"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("deadline: %d", resp.StatusCode)
	}
	if d, err := major.NewService(app.Svc).MajorDeadlineOf(context.Background(), counsel.System, "621025000000"); err != nil || d.AckHours != 12 {
		t.Errorf("deadline now %+v %v, want 12", d, err)
	}
}

// TestMajorOverdueBadge shows an escalated report as overdue in the list and
// under the overdue filter.
func TestMajorOverdueBadge(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	mj := major.NewService(app.Svc)
	adv := &counsel.Actor{Username: "zn-advisor", Role: counsel.RoleAdvisor, AdvisorID: mjAdvisorID(t, app)}
	start := time.Now().Add(-30 * time.Hour)
	app.Svc.Now = func() time.Time { return start }
	m, err := mj.SubmitMajorReport(ctx, adv, &counsel.MajorReport{VillageCode: mjVillage, Category: counsel.MajorEmergency,
		Title: "山洪冲毁便桥", Facts: "暴雨引发山洪，冲毁村道便桥", OccurredOn: start.Format(counsel.DateLayout), People: 40})
	if err != nil {
		t.Fatal(err)
	}
	app.Svc.Now = time.Now
	if n, err := mj.EscalateMajorReports(ctx, time.Now()); err != nil || n != 1 {
		t.Fatalf("escalate: %d %v", n, err)
	}
	bur := app.Session("zn-bureau")
	for _, p := range []string{"/major", "/major?overdue=1"} {
		st, body := bur.Body("GET", p, nil)
		body = html.UnescapeString(body)
		if st != 200 || !strings.Contains(body, "山洪冲毁便桥") || !strings.Contains(body, "超时未签收") || !strings.Contains(body, "1 件超时未签收") {
			t.Errorf("%s: %d, want the report with the overdue badge", p, st)
		}
	}
	st, body := bur.Body("GET", "/major/"+mjItoa(m.ID), nil)
	if body = html.UnescapeString(body); st != 200 || !strings.Contains(body, "超时未签收，上报区县司法局") {
		t.Errorf("report page lacks the escalation: %d", st)
	}
	// The county bureau was notified.
	cr, _ := account.CredentialsOf(ctx, app.DB, "zn-bureau")
	ns, _ := notify.NotificationsOf(ctx, app.DB, cr.User.ID, 50)
	kinds := map[string]int{}
	for _, n := range ns {
		kinds[n.Kind]++
	}
	if kinds["major_report"] != 1 || kinds["major_overdue"] != 1 {
		t.Errorf("county bureau notifications %v", kinds)
	}
}

func mjAdvisorID(t *testing.T, app *apptest.App) int64 {
	t.Helper()
	cr, err := account.CredentialsOf(context.Background(), app.DB, "zn-advisor")
	if err != nil {
		t.Fatal(err)
	}
	return cr.User.AdvisorID
}

// TestMajorCatalog checks every major key the templates and handlers use.
func TestMajorCatalog(t *testing.T) {
	var keys []string
	for _, c := range counsel.MajorCategories {
		keys = append(keys, "major.cat."+c, "major.short."+c)
	}
	for _, s := range append([]string{major.Open}, counsel.MajorStatuses...) {
		keys = append(keys, "major.status."+s, "flash.major_"+s)
	}
	for _, k := range []string{"submitted", "acknowledged", "followed_up", "escalated", "closed"} {
		keys = append(keys, "major.event."+k)
	}
	keys = append(keys, "major.level.0", "major.level.1", "major.level.2", "flash.major_settings")
	re := regexp.MustCompile(`"((?:major|flash)\.[a-z_.0-9]+[a-z_0-9])"`)
	for _, f := range []string{"web.go", "api.go", "service.go", "escalate.go", "templates/major.html", "templates/major_form.html", "templates/major_list.html", "../../major.go"} {
		b, err := os.ReadFile(filepath.Clean(f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
	}
	for _, k := range keys {
		if k == "flash.major_open" || strings.HasSuffix(k, "_") || strings.HasSuffix(k, ".css") {
			continue
		}
		if zh, en, ok := i18n.Entry(k); !ok || zh == "" || en == "" {
			t.Errorf("catalog lacks %q", k)
		}
	}
}
