package pairing_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/pairing"
	"github.com/villagecounsel/counsel/internal/registry"
)

// The person and pairing pages: lists, forms, status changes, activities.

// TestDismissEndsPairings dismisses a paired person through the status form.
func TestDismissEndsPairings(t *testing.T) {
	app := apptest.New(t)
	c := app.Session("zn-judicial")
	ctx := context.Background()
	ps, _, err := registry.Pairings(ctx, app.DB, counsel.Filter{Region: shanhe, Status: "current"})
	if err != nil || len(ps) == 0 {
		t.Fatal(err)
	}
	pid := ps[0].PersonID
	path := fmt.Sprintf("/persons/%d/status", pid)

	// A reason is required.
	before := app.Counts(t)
	st, body := c.Body("POST", path, url.Values{"status": {"dismissed"}, "status_on": {"2026-07-01"}, "reason": {""}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="reason-err"`) {
		t.Fatalf("missing reason: status %d", st)
	}
	if after := app.Counts(t); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused status change changed rows")
	}

	resp := c.Do("POST", path, url.Values{"status": {"dismissed"}, "status_on": {"2026-07-01"}, "reason": {"工作调动"}}, "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("dismiss: status %d, want 303", resp.StatusCode)
	}
	p, err := registry.Person(ctx, app.DB, pid)
	if err != nil || p.Status != counsel.PersonDismissed || p.StatusOn != "2026-07-01" || p.Reason != "工作调动" {
		t.Fatalf("person after dismissal: %+v %v", p, err)
	}
	all, _, _ := registry.Pairings(ctx, app.DB, counsel.Filter{Region: p.VillageCode})
	for _, q := range all {
		if q.PersonID == pid && q.EndedOn != "2026-07-01" {
			t.Errorf("pairing %d not ended: %+v", q.ID, q)
		}
	}
	st, body = c.Page(t, fmt.Sprintf("/persons/%d", pid))
	if st != 200 || !strings.Contains(body, "辞退") || !strings.Contains(body, "2026-07-01") {
		t.Errorf("person page after dismissal: status %d", st)
	}
	// The city bureau reads it, masked, and cannot change it.
	city := app.Session("zn-city")
	st, body = city.Page(t, fmt.Sprintf("/persons/%d", pid))
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
		if st, _ := c.Page(t, path); st != 200 {
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
	p, err := registry.PersonByIdentity(ctx, app.DB, dongguan, "吴新人", "13712345678")
	if err != nil || !p.Committee {
		t.Fatalf("created person: %+v %v", p, err)
	}
	// Unticking the box on edit is kept, even for a committee position.
	st, body = c.Page(t, fmt.Sprintf("/persons/%d/edit", p.ID))
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
	if p, _ = registry.Person(ctx, app.DB, p.ID); p.Committee || p.Training != "2026年乡镇培训" {
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
	if st, body := city.Page(t, "/persons?region="+dongguan); st != 200 || !strings.Contains(body, "****") || strings.Contains(body, "13712345678") {
		t.Errorf("city bureau list: status %d, phones not masked", st)
	}
	if st, _ := city.Page(t, "/persons/new"); st != http.StatusForbidden {
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
		if st, _ := c.Page(t, path); st != 200 {
			t.Errorf("GET %s: status %d", path, st)
		}
	}
	// Find a village with a live agreement and an unpaired active person.
	var village string
	var person counsel.Person
	vs, _ := registry.Villages(ctx, app.DB, shanhe)
	for _, v := range vs {
		if _, err := registry.LiveAgreementFor(ctx, app.DB, v.Code); err != nil {
			continue
		}
		persons, _, _ := registry.Persons(ctx, app.DB, counsel.Filter{Region: v.Code, Status: "active", Page: counsel.Page{Limit: 100}})
		paired, _, _ := registry.Pairings(ctx, app.DB, counsel.Filter{Region: v.Code})
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
	g, _ := registry.LiveAgreementFor(ctx, app.DB, village)
	st, body := c.Page(t, "/pairings/new?region="+village)
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
	q, err := registry.PairingOf(ctx, app.DB, g.AdvisorID, person.ID)
	if err != nil || q.PairedOn != "2026-06-01" {
		t.Fatalf("pairing: %+v %v", q, err)
	}
	base := fmt.Sprintf("/pairings/%d", q.ID)
	if st, body := c.Page(t, base); st != 200 || !strings.Contains(body, person.Name) || !strings.Contains(body, "讲解员") {
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
	if q, _ = registry.Pairing(ctx, app.DB, q.ID); q.Evaluation != "考评合格" || q.Remarks != "按时履职" {
		t.Errorf("pairing after evaluation: %+v", q)
	}
	st, body = c.Page(t, base+"/card")
	if st != 200 || !strings.Contains(body, "调解员") || !strings.Contains(body, "共同调解土地纠纷") || !strings.Contains(body, "考评合格") {
		t.Errorf("card after records: status %d", st)
	}
	// The village's advisor records activities but cannot evaluate.
	st, body = c.Page(t, "/pairings/rules?region="+shanhe)
	if st != 200 || !strings.Contains(body, "达标") || !strings.Contains(body, "东关村委会") {
		t.Errorf("rules page: status %d", st)
	}
	// Roles that only read get no form.
	for _, user := range []string{"zn-city", "zn-village", "zn-provider"} {
		if st, _ := app.Session(user).Page(t, "/pairings/new"); st != http.StatusForbidden {
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
	ps, _, _ := registry.Pairings(context.Background(), app.DB, counsel.Filter{Region: shanhe, Page: counsel.Page{Limit: 1}})
	raw := regexp.MustCompile(`\b(pn|persons?|pairings?|rules|card|import|duty|pstatus)\.[a-z_]+\b`)
	for _, path := range []string{"/persons", "/persons/new", fmt.Sprintf("/persons/%d", ps[0].PersonID), "/pairings", "/pairings/new",
		fmt.Sprintf("/pairings/%d", ps[0].ID), fmt.Sprintf("/pairings/%d/card", ps[0].ID), "/pairings/rules", "/import"} {
		st, body := c.Page(t, path)
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
