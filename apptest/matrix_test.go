package apptest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// roles are the accounts every route is tried with. The 正宁县 accounts all
// touch the same village (东城社区, 621025100001), its agreement, advisor and
// provider; jh-bureau is another county's bureau; "anon" is not signed in.
var roles = []string{"admin", "zn-bureau", "zn-city", "zn-judicial", "zn-provider", "zn-advisor", "zn-village", "jh-bureau", "anon"}

// probe is one row of the matrix: a concrete request for a route and the
// roles that may make it. Paths and bodies may use the placeholders of ids.
type probe struct {
	path  string
	body  any    // nil, url.Values (a form) or a JSON value
	allow string // roles allowed, space-separated short names (see short)
	ctype string // raw body content type, when body is a string
	setup func(t *testing.T, app *apptest.App, x ids)
}

// upload is a multipart body with one file.
type upload struct {
	field, filename, content string
	form                     url.Values
}

const (
	all      = "admin bureau city judicial provider advisor village"
	regional = "admin bureau city judicial village"
	countyW  = "admin bureau"
	townW    = "admin bureau judicial"
)

// short maps an account to the name used in allow lists.
func short(role string) string {
	switch role {
	case "zn-bureau":
		return "bureau"
	case "zn-city":
		return "city"
	case "zn-judicial":
		return "judicial"
	case "zn-provider":
		return "provider"
	case "zn-advisor":
		return "advisor"
	case "zn-village":
		return "village"
	case "jh-bureau":
		return "other"
	}
	return role
}

// ids are the demo records the probes use.
type ids struct {
	Village, Town, County, Provider, Advisor, Agreement, Person, Pairing, User string
	FreePerson, FreeAdvisor                                                    string // an active person of 山河镇 not yet paired, and its village's advisor
	Entry                                                                      string // the village's latest ledger entry awaiting confirmation
}

func fixtureIDs(t *testing.T, db *store.DB) ids {
	t.Helper()
	ctx := context.Background()
	v := "621025100001"
	g, err := registry.LiveAgreementFor(ctx, db, v)
	if err != nil {
		t.Fatalf("fixture agreement: %v", err)
	}
	ps, _, err := registry.Pairings(ctx, db, counsel.Filter{Region: v})
	if err != nil || len(ps) == 0 {
		t.Fatalf("fixture pairings: %v (%d)", err, len(ps))
	}
	cr, err := account.CredentialsOf(ctx, db, "zn-village")
	if err != nil {
		t.Fatal(err)
	}
	s := func(n int64) string { return fmt.Sprint(n) }
	x := ids{Village: v, Town: "621025100000", County: "621025000000", Provider: s(g.ProviderID), Advisor: s(g.AdvisorID),
		Agreement: s(g.ID), Person: s(ps[0].PersonID), Pairing: s(ps[0].ID), User: s(cr.User.ID)}
	persons, _, err := registry.Persons(ctx, db, counsel.Filter{Region: "621025100000", Status: "active", Page: counsel.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range persons {
		paired, _, _ := registry.Pairings(ctx, db, counsel.Filter{Region: p.VillageCode})
		taken := false
		for _, q := range paired {
			taken = taken || q.PersonID == p.ID
		}
		if ag, err := registry.LiveAgreementFor(ctx, db, p.VillageCode); !taken && err == nil {
			x.FreePerson, x.FreeAdvisor = s(p.ID), s(ag.AdvisorID)
			break
		}
	}
	if x.FreePerson == "" {
		t.Fatal("fixture: no unpaired person in 山河镇")
	}
	es, _, err := ledger.Entries(ctx, db, ledger.EntryFilter{Village: v, Status: counsel.EntryPending, Page: counsel.Page{Limit: 1}})
	if err != nil || len(es) == 0 {
		t.Fatalf("fixture: no pending ledger entry in %s: %v", v, err)
	}
	x.Entry = s(es[0].ID)
	return x
}

func (x ids) expand(s string) string {
	r := strings.NewReplacer("{village}", x.Village, "{town}", x.Town, "{county}", x.County, "{provider}", x.Provider,
		"{advisor}", x.Advisor, "{agreement}", x.Agreement, "{person}", x.Person, "{pairing}", x.Pairing, "{user}", x.User,
		"{freeperson}", x.FreePerson, "{freeadvisor}", x.FreeAdvisor, "{entry}", x.Entry)
	return r.Replace(s)
}

// TestAuthorizationMatrix tries every route with every role. An allowed
// request must succeed; a refused one must answer 401, 403 or 404 (or send an
// anonymous page view to the login) and change nothing: the row counts of all
// tables, the audit log included, stay the same. A route without a row here
// fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	shared := apptest.New(t)
	x := fixtureIDs(t, shared.DB)
	m := matrix()
	for _, r := range shared.Server.Routes() {
		if _, ok := m[r.Method+" "+r.Pattern]; !ok {
			t.Errorf("route %s %s (%s) has no row in the authorization matrix", r.Method, r.Pattern, r.Name)
		}
	}
	known := map[string]bool{}
	for _, r := range shared.Server.Routes() {
		known[r.Method+" "+r.Pattern] = true
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		if !known[k] {
			t.Errorf("matrix row %q names no route", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if method, _, _ := strings.Cut(key, " "); method == "GET" && m[key].setup != nil {
			m[key].setup(t, shared, x)
		}
	}
	for _, key := range keys {
		method, _, _ := strings.Cut(key, " ")
		p := m[key]
		for _, role := range roles {
			t.Run(key+"/"+role, func(t *testing.T) {
				app := shared
				if method != "GET" {
					app = apptest.New(t) // a fresh copy: changes must not leak between cases
					if p.setup != nil {
						p.setup(t, app, x)
					}
				}
				c := app.Anonymous()
				if role != "anon" {
					c = app.Session(role)
				}
				allowed := strings.Contains(" "+p.allow+" ", " "+short(role)+" ") || p.allow == "public"
				before, err := countsBesidesRefusals(app)
				if err != nil {
					t.Fatal(err)
				}
				path := x.expand(p.path)
				var body any = p.body
				switch b := p.body.(type) {
				case url.Values:
					nb := url.Values{}
					for k, v := range b {
						for _, s := range v {
							nb.Add(k, x.expand(s))
						}
					}
					body = nb
				case string:
					body = x.expand(b)
				case upload:
					var buf bytes.Buffer
					mw := multipart.NewWriter(&buf)
					_ = mw.WriteField("csrf", c.CSRF)
					for k, v := range b.form {
						_ = mw.WriteField(k, x.expand(v[0]))
					}
					fw, _ := mw.CreateFormFile(b.field, b.filename)
					_, _ = fw.Write([]byte(x.expand(b.content)))
					mw.Close()
					body, p.ctype = buf.Bytes(), mw.FormDataContentType()
				case nil:
				default:
					js, _ := json.Marshal(b)
					body = []byte(x.expand(string(js)))
					p.ctype = "application/json"
				}
				resp := c.Do(method, path, body, p.ctype)
				msg, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				st := resp.StatusCode
				loc := resp.Header.Get("Location")
				if allowed {
					if st >= 400 || (role == "anon" && strings.HasPrefix(loc, "/login")) {
						t.Fatalf("%s %s as %s: status %d (location %q), want success; body %.300s", method, path, role, st, loc, msg)
					}
					if method == "GET" {
						for _, p := range sweepPage(method+" "+path+" as "+role, resp.Header.Get("Content-Type"), msg) {
							t.Error(p)
						}
					}
					return
				}
				refused := st == http.StatusUnauthorized || st == http.StatusForbidden || st == http.StatusNotFound ||
					(role == "anon" && st == http.StatusSeeOther && strings.HasPrefix(loc, "/login"))
				if !refused {
					t.Fatalf("%s %s as %s: status %d (location %q), want refusal; body %.300s", method, path, role, st, loc, msg)
				}
				after, err := countsBesidesRefusals(app)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(before, after) {
					t.Fatalf("%s %s as %s was refused but changed rows: before %v after %v", method, path, role, before, after)
				}
				// A 401 or 403 is itself audited (issue 12, defect 13).
				if st == http.StatusUnauthorized || st == http.StatusForbidden {
					var n int
					if err := app.DB.Row(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'refused'`).Scan(&n); err != nil || n == 0 {
						t.Errorf("%s %s as %s: refused with %d but not audited (%v)", method, path, role, st, err)
					}
				}
			})
		}
	}
}

// countsBesidesRefusals are the tables' row counts, the audit log's without
// the security events (a refusal records itself on purpose).
func countsBesidesRefusals(app *apptest.App) (map[string]int, error) {
	return apptest.SecurityEventCounts(app.DB)
}
