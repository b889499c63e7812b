package registry_test

import (
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func TestAuditEveryChange(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		start := len(w.Audit())
		// The fixture itself was audited: 3 providers, 4 advisors, 3 agreements, 4 persons, 3 pairings.
		if start != 17 {
			t.Errorf("audit entries of the fixture: got %d, want 17", start)
		}
		a := w.ZNBureau
		type step struct {
			name, action, entity string
			do                   func() error
		}
		var g *counsel.Agreement
		var p *counsel.Person
		steps := []step{
			{"create provider", "create", "provider", func() error {
				return w.Svc.SaveProvider(w.Ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃中衡律师事务所", CountyCode: testworld.ZN, Phone: "0934-5123999"})
			}},
			{"update provider", "update", "provider", func() error {
				pr := *w.ZP1
				pr.Phone = "0934-5120000"
				return w.Svc.SaveProvider(w.Ctx, a, &pr)
			}},
			{"create advisor", "create", "advisor", func() error {
				return w.Svc.SaveAdvisor(w.Ctx, a, &counsel.Advisor{ProviderID: w.ZP1.ID, Kind: counsel.AdvisorLawyer, Name: "罗斌", Phone: "13700000051", Active: true})
			}},
			{"update advisor", "update", "advisor", func() error {
				adv := *w.ZA2
				adv.Phone = "13700000052"
				return w.Svc.SaveAdvisor(w.Ctx, a, &adv)
			}},
			{"create agreement", "create", "agreement", func() error {
				g = w.NewAgreement(w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
				return w.Svc.SaveAgreement(w.Ctx, a, g)
			}},
			{"update agreement", "update", "agreement", func() error {
				g.Note = "补充"
				return w.Svc.SaveAgreement(w.Ctx, a, g)
			}},
			{"sign agreement", "status", "agreement", func() error {
				_, err := w.Svc.MoveAgreement(w.Ctx, a, g.ID, counsel.AgreementSigned, "2026-06-01")
				return err
			}},
			{"create person", "create", "person", func() error {
				p = &counsel.Person{VillageCode: testworld.Xiguan, Name: "宋宁", Position: "村委委员", Committee: true, Phone: "13700000053"}
				return w.Pn.SavePerson(w.Ctx, a, p)
			}},
			{"update person", "update", "person", func() error {
				p.Phone = "13700000054"
				return w.Pn.SavePerson(w.Ctx, a, p)
			}},
			{"create pairing", "create", "pairing", func() error {
				return w.Pn.SavePairing(w.Ctx, a, &counsel.Pairing{AdvisorID: w.ZA2.ID, PersonID: p.ID, PairedOn: "2026-06-02"})
			}},
			{"update pairing", "update", "pairing", func() error {
				q := *w.QZ1
				q.Evaluation = "优秀"
				return w.Pn.SavePairing(w.Ctx, a, &q)
			}},
			{"add activity", "create", "activity", func() error {
				return w.Pn.AddActivity(w.Ctx, a, &counsel.Activity{PairingID: w.QZ1.ID, Kind: "guide", Date: "2026-06-03", Note: "引导村民依法维权"})
			}},
			{"village flags", "update", "region", func() error {
				return w.Svc.SetVillageFlags(w.Ctx, a, testworld.Xiguan, counsel.UnderdevelopedCounty, true)
			}},
			{"settings", "update", "settings", func() error {
				return w.Svc.SaveSettings(w.Ctx, a, testworld.ZN, counsel.DefaultSettings())
			}},
			{"create user", "create", "user", func() error {
				return account.NewService(w.Svc).CreateUser(w.Ctx, a, &counsel.User{Username: "zn-audit-v", DisplayName: "西关村", Role: counsel.RoleVillage, RegionCode: testworld.Xiguan, Phone: "13700000055"}, testworld.Password)
			}},
			{"import", "import", "pairing", func() error {
				_, err := w.Svc.ImportPairings(w.Ctx, a, "", w.swImportRows()[:1], nil)
				return err
			}},
		}
		for _, s := range steps {
			n := len(w.Audit())
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			entries := w.Audit()
			if len(entries) <= n {
				t.Errorf("%s: got %d audit entries, want more than %d", s.name, len(entries), n)
				continue
			}
			// The newest entry is this step's (an import also logs what it created, first).
			e := entries[0]
			if e.Action != s.action || e.Entity != s.entity || e.Username != a.Username || e.IP != a.IP {
				t.Errorf("%s: got audit %s %s by %s from %s, want %s %s by %s from %s", s.name, e.Action, e.Entity, e.Username, e.IP, s.action, s.entity, a.Username, a.IP)
			}
			if e.At == 0 || e.Scope == "" || !counsel.Within(e.Scope, testworld.ZN) {
				t.Errorf("%s: got at %d scope %q, want a time and a scope in 正宁县", s.name, e.At, e.Scope)
			}
			if (s.action == "update" || s.action == "status") && (e.Before == "" || e.After == "") {
				t.Errorf("%s: got before %q after %q, want both", s.name, e.Before, e.After)
			}
		}
		// Refused changes leave no trace.
		n := len(w.Audit())
		w.swWrites(w.JHBureau)
		if got := len(w.Audit()); got != n {
			t.Errorf("refused writes: got %d audit entries, want %d", got, n)
		}

		// No whole phone number in the log.
		phones := []string{"0934-5123999", "0934-5120000", "0934-5123456", "13700000051", "13700000052", "13700000053", "13700000054", "13700000055",
			w.ZA1.Phone, w.ZA2.Phone, w.PZ1.Phone, w.PZ3.Phone, "13600000001"}
		for _, e := range w.Audit() {
			for _, js := range []string{e.Before, e.After} {
				if testworld.Mobile.MatchString(js) {
					t.Errorf("audit %d (%s %s) holds a mobile number: %s", e.ID, e.Action, e.Entity, js)
				}
				for _, ph := range phones {
					if strings.Contains(js, ph) || strings.Contains(js, strings.ReplaceAll(ph, "-", "")) {
						t.Errorf("audit %d (%s %s) holds the phone %s", e.ID, e.Action, e.Entity, ph)
					}
				}
			}
		}
	})
}

func TestAuditScopeAndFilters(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.User(counsel.User{Username: "jh-clerk", Role: counsel.RoleBureau, RegionCode: testworld.JH})
		if _, err := account.NewService(w.Svc).Login(w.Ctx, "jh-clerk", testworld.Password, "192.0.2.9"); err != nil {
			t.Fatal(err)
		}
		if _, err := account.NewService(w.Svc).Login(w.Ctx, "nobody", testworld.Password, "192.0.2.9"); err == nil {
			t.Fatal("login of an unknown user succeeded")
		}
		all := w.Audit()
		l, err := account.NewService(w.Svc).Audit(w.Ctx, w.JHBureau, counsel.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		jh := 0
		for _, e := range all {
			if counsel.Within(e.Scope, testworld.JH) {
				jh++
			}
		}
		if l.Total != jh || jh == 0 {
			t.Errorf("audit of the 镜湖区 bureau: got %d entries, want the %d of 镜湖区", l.Total, jh)
		}
		for _, e := range l.Items {
			if !counsel.Within(e.Scope, testworld.JH) {
				t.Errorf("audit of the 镜湖区 bureau: got entry %d with scope %q", e.ID, e.Scope)
			}
		}
		city, err := account.NewService(w.Svc).Audit(w.Ctx, w.City, counsel.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range city.Items {
			if !counsel.Within(e.Scope, testworld.ZNCity) {
				t.Errorf("audit of the city bureau: got entry %d with scope %q", e.ID, e.Scope)
			}
		}
		filters := []struct {
			name string
			f    counsel.Filter
			keep func(e counsel.AuditEntry) bool
		}{
			{"entity", counsel.Filter{Kind: "agreement"}, func(e counsel.AuditEntry) bool { return e.Entity == "agreement" }},
			{"action", counsel.Filter{Status: "login"}, func(e counsel.AuditEntry) bool { return e.Action == "login" }},
			{"user", counsel.Filter{Q: "jh-cl"}, func(e counsel.AuditEntry) bool { return strings.Contains(e.Username, "jh-cl") }},
			{"failed logins", counsel.Filter{Status: "login_failed", Kind: "user"}, func(e counsel.AuditEntry) bool { return e.Action == "login_failed" && e.Entity == "user" }},
		}
		for _, tt := range filters {
			want := 0
			for _, e := range all {
				if tt.keep(e) {
					want++
				}
			}
			tt.f.Page = counsel.Page{Limit: 500}
			l, err := account.NewService(w.Svc).Audit(w.Ctx, w.Admin, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if l.Total != want || want == 0 {
				t.Errorf("audit filtered by %s: got %d, want %d (and more than 0)", tt.name, l.Total, want)
			}
			for _, e := range l.Items {
				if !tt.keep(e) {
					t.Errorf("audit filtered by %s: got entry %+v", tt.name, e)
				}
			}
		}
		for _, a := range []*counsel.Actor{w.Judicial, w.Village, w.Provider, w.Advisor} {
			_, err := account.NewService(w.Svc).Audit(w.Ctx, a, counsel.Filter{})
			testworld.WantCode(t, a.Role+" reads the audit log", err, counsel.CodeForbidden)
		}
	})
}
