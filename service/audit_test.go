package service_test

import (
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/store"
)

const swPassword = "right-password-1"

// swUser creates an account with swPassword (through the account feature).
func (w *svcWorld) swUser(u counsel.User) *counsel.User {
	w.t.Helper()
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	if err := account.NewService(w.svc).CreateUser(w.ctx, counsel.System, &u, swPassword); err != nil {
		w.t.Fatalf("create user %s: %v", u.Username, err)
	}
	return &u
}

// swAudit returns every audit entry the admin sees, newest first.
func (w *svcWorld) swAudit() []counsel.AuditEntry {
	w.t.Helper()
	var out []counsel.AuditEntry
	f := store.Filter{Page: counsel.Page{Limit: 500}}
	for {
		l, err := account.NewService(w.svc).Audit(w.ctx, w.admin, f)
		if err != nil {
			w.t.Fatalf("audit: %v", err)
		}
		out = append(out, l.Items...)
		if len(l.Items) < f.Limit {
			return out
		}
		f.Offset += len(l.Items)
	}
}

func TestAuditEveryChange(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		start := len(w.swAudit())
		// The fixture itself was audited: 3 providers, 4 advisors, 3 agreements, 4 persons, 3 pairings.
		if start != 17 {
			t.Errorf("audit entries of the fixture: got %d, want 17", start)
		}
		a := w.znBureau
		type step struct {
			name, action, entity string
			do                   func() error
		}
		var g *counsel.Agreement
		var p *counsel.Person
		steps := []step{
			{"create provider", "create", "provider", func() error {
				return w.svc.SaveProvider(w.ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃中衡律师事务所", CountyCode: swZN, Phone: "0934-5123999"})
			}},
			{"update provider", "update", "provider", func() error {
				pr := *w.zp1
				pr.Phone = "0934-5120000"
				return w.svc.SaveProvider(w.ctx, a, &pr)
			}},
			{"create advisor", "create", "advisor", func() error {
				return w.svc.SaveAdvisor(w.ctx, a, &counsel.Advisor{ProviderID: w.zp1.ID, Kind: counsel.AdvisorLawyer, Name: "罗斌", Phone: "13700000051", Active: true})
			}},
			{"update advisor", "update", "advisor", func() error {
				adv := *w.za2
				adv.Phone = "13700000052"
				return w.svc.SaveAdvisor(w.ctx, a, &adv)
			}},
			{"create agreement", "create", "agreement", func() error {
				g = w.newAgreement(w.za2, swXiguan, counsel.AgreementDraft)
				return w.svc.SaveAgreement(w.ctx, a, g)
			}},
			{"update agreement", "update", "agreement", func() error {
				g.Note = "补充"
				return w.svc.SaveAgreement(w.ctx, a, g)
			}},
			{"sign agreement", "status", "agreement", func() error {
				_, err := w.svc.MoveAgreement(w.ctx, a, g.ID, counsel.AgreementSigned, "2026-06-01")
				return err
			}},
			{"create person", "create", "person", func() error {
				p = &counsel.Person{VillageCode: swXiguan, Name: "宋宁", Position: "村委委员", Committee: true, Phone: "13700000053"}
				return w.svc.SavePerson(w.ctx, a, p)
			}},
			{"update person", "update", "person", func() error {
				p.Phone = "13700000054"
				return w.svc.SavePerson(w.ctx, a, p)
			}},
			{"create pairing", "create", "pairing", func() error {
				return w.svc.SavePairing(w.ctx, a, &counsel.Pairing{AdvisorID: w.za2.ID, PersonID: p.ID, PairedOn: "2026-06-02"})
			}},
			{"update pairing", "update", "pairing", func() error {
				q := *w.qz1
				q.Evaluation = "优秀"
				return w.svc.SavePairing(w.ctx, a, &q)
			}},
			{"add activity", "create", "activity", func() error {
				return w.svc.AddActivity(w.ctx, a, &counsel.Activity{PairingID: w.qz1.ID, Kind: "guide", Date: "2026-06-03", Note: "引导村民依法维权"})
			}},
			{"village flags", "update", "region", func() error {
				return w.svc.SetVillageFlags(w.ctx, a, swXiguan, counsel.UnderdevelopedCounty, true)
			}},
			{"settings", "update", "settings", func() error {
				return w.svc.SaveSettings(w.ctx, a, swZN, counsel.DefaultSettings())
			}},
			{"create user", "create", "user", func() error {
				return account.NewService(w.svc).CreateUser(w.ctx, a, &counsel.User{Username: "zn-audit-v", DisplayName: "西关村", Role: counsel.RoleVillage, RegionCode: swXiguan, Phone: "13700000055"}, swPassword)
			}},
			{"import", "import", "pairing", func() error {
				_, err := w.svc.ImportPairings(w.ctx, a, "", w.swImportRows()[:1], nil)
				return err
			}},
		}
		for _, s := range steps {
			n := len(w.swAudit())
			if err := s.do(); err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			entries := w.swAudit()
			if len(entries) <= n {
				t.Errorf("%s: got %d audit entries, want more than %d", s.name, len(entries), n)
				continue
			}
			// The newest entry is this step's (an import also logs what it created, first).
			e := entries[0]
			if e.Action != s.action || e.Entity != s.entity || e.Username != a.Username || e.IP != a.IP {
				t.Errorf("%s: got audit %s %s by %s from %s, want %s %s by %s from %s", s.name, e.Action, e.Entity, e.Username, e.IP, s.action, s.entity, a.Username, a.IP)
			}
			if e.At == 0 || e.Scope == "" || !counsel.Within(e.Scope, swZN) {
				t.Errorf("%s: got at %d scope %q, want a time and a scope in 正宁县", s.name, e.At, e.Scope)
			}
			if (s.action == "update" || s.action == "status") && (e.Before == "" || e.After == "") {
				t.Errorf("%s: got before %q after %q, want both", s.name, e.Before, e.After)
			}
		}
		// Refused changes leave no trace.
		n := len(w.swAudit())
		w.swWrites(w.jhBureau)
		if got := len(w.swAudit()); got != n {
			t.Errorf("refused writes: got %d audit entries, want %d", got, n)
		}

		// No whole phone number in the log.
		phones := []string{"0934-5123999", "0934-5120000", "0934-5123456", "13700000051", "13700000052", "13700000053", "13700000054", "13700000055",
			w.za1.Phone, w.za2.Phone, w.pz1.Phone, w.pz3.Phone, "13600000001"}
		for _, e := range w.swAudit() {
			for _, js := range []string{e.Before, e.After} {
				if swMobile.MatchString(js) {
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
		w.swUser(counsel.User{Username: "jh-clerk", Role: counsel.RoleBureau, RegionCode: swJH})
		if _, err := account.NewService(w.svc).Login(w.ctx, "jh-clerk", swPassword, "192.0.2.9"); err != nil {
			t.Fatal(err)
		}
		if _, err := account.NewService(w.svc).Login(w.ctx, "nobody", swPassword, "192.0.2.9"); err == nil {
			t.Fatal("login of an unknown user succeeded")
		}
		all := w.swAudit()
		l, err := account.NewService(w.svc).Audit(w.ctx, w.jhBureau, store.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		jh := 0
		for _, e := range all {
			if counsel.Within(e.Scope, swJH) {
				jh++
			}
		}
		if l.Total != jh || jh == 0 {
			t.Errorf("audit of the 镜湖区 bureau: got %d entries, want the %d of 镜湖区", l.Total, jh)
		}
		for _, e := range l.Items {
			if !counsel.Within(e.Scope, swJH) {
				t.Errorf("audit of the 镜湖区 bureau: got entry %d with scope %q", e.ID, e.Scope)
			}
		}
		city, err := account.NewService(w.svc).Audit(w.ctx, w.city, store.Filter{Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range city.Items {
			if !counsel.Within(e.Scope, swZNCity) {
				t.Errorf("audit of the city bureau: got entry %d with scope %q", e.ID, e.Scope)
			}
		}
		filters := []struct {
			name string
			f    store.Filter
			keep func(e counsel.AuditEntry) bool
		}{
			{"entity", store.Filter{Kind: "agreement"}, func(e counsel.AuditEntry) bool { return e.Entity == "agreement" }},
			{"action", store.Filter{Status: "login"}, func(e counsel.AuditEntry) bool { return e.Action == "login" }},
			{"user", store.Filter{Q: "jh-cl"}, func(e counsel.AuditEntry) bool { return strings.Contains(e.Username, "jh-cl") }},
			{"failed logins", store.Filter{Status: "login_failed", Kind: "user"}, func(e counsel.AuditEntry) bool { return e.Action == "login_failed" && e.Entity == "user" }},
		}
		for _, tt := range filters {
			want := 0
			for _, e := range all {
				if tt.keep(e) {
					want++
				}
			}
			tt.f.Page = counsel.Page{Limit: 500}
			l, err := account.NewService(w.svc).Audit(w.ctx, w.admin, tt.f)
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
		for _, a := range []*counsel.Actor{w.judicial, w.village, w.provider, w.advisor} {
			_, err := account.NewService(w.svc).Audit(w.ctx, a, store.Filter{})
			swWantCode(t, a.Role+" reads the audit log", err, counsel.CodeForbidden)
		}
	})
}
