package registry_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// swReads reads every kind of record of the 正宁县 fixture as actor a and
// returns the error of each read.
func (w *svcWorld) swReads(a *counsel.Actor) map[string]error {
	out := map[string]error{}
	_, out["provider"] = w.Svc.Provider(w.Ctx, a, w.ZP1.ID)
	_, out["advisor"] = w.Svc.Advisor(w.Ctx, a, w.ZA1.ID)
	_, out["agreement"] = w.Svc.Agreement(w.Ctx, a, w.G1.ID)
	_, out["person"] = w.Pn.Person(w.Ctx, a, w.PZ1.ID)
	_, _, out["pairing"] = w.Pn.Pairing(w.Ctx, a, w.QZ1.ID)
	_, out["region"] = w.Svc.Region(w.Ctx, a, testworld.Dongguan)
	_, out["coverage"] = w.Svc.Coverage(w.Ctx, a, testworld.ZN)
	_, out["uncovered"] = w.Svc.Uncovered(w.Ctx, a, testworld.Shanhe)
	_, out["pairing rules"] = w.Pn.PairingRules(w.Ctx, a, testworld.Shanhe)
	return out
}

// swWrites tries every kind of change to the 正宁县 fixture as actor a and
// returns the error of each.
func (w *svcWorld) swWrites(a *counsel.Actor) map[string]error {
	out := map[string]error{}
	p := *w.ZP1
	p.Address = "改过的地址"
	out["update provider"] = w.Svc.SaveProvider(w.Ctx, a, &p)
	out["create provider"] = w.Svc.SaveProvider(w.Ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃新设律师事务所", CountyCode: testworld.ZN})
	adv := *w.ZA1
	adv.WeChat = "changed"
	out["update advisor"] = w.Svc.SaveAdvisor(w.Ctx, a, &adv)
	out["create advisor"] = w.Svc.SaveAdvisor(w.Ctx, a, &counsel.Advisor{ProviderID: w.ZP1.ID, Kind: counsel.AdvisorLawyer, Name: "新顾问", Phone: "13700000009", Active: true})
	g := *w.G1
	g.Note = "changed"
	out["update agreement"] = w.Svc.SaveAgreement(w.Ctx, a, &g)
	out["create agreement"] = w.Svc.SaveAgreement(w.Ctx, a, w.NewAgreement(w.ZA2, testworld.Xiguan, counsel.AgreementDraft))
	per := *w.PZ1
	per.Position = "村委会主任"
	out["update person"] = w.Pn.SavePerson(w.Ctx, a, &per)
	out["create person"] = w.Pn.SavePerson(w.Ctx, a, &counsel.Person{VillageCode: testworld.Dongguan, Name: "新明白人", Position: "网格员", Phone: "13700000008"})
	q := *w.QZ1
	q.Remarks = "changed"
	out["update pairing"] = w.Pn.SavePairing(w.Ctx, a, &q)
	out["create pairing"] = w.Pn.SavePairing(w.Ctx, a, &counsel.Pairing{AdvisorID: w.ZA1.ID, PersonID: w.PZ3.ID, PairedOn: "2026-05-01"})
	out["add activity"] = w.Pn.AddActivity(w.Ctx, a, &counsel.Activity{PairingID: w.QZ1.ID, Kind: "mediator", Date: "2026-06-01", Note: "调解"})
	out["village flags"] = w.Svc.SetVillageFlags(w.Ctx, a, testworld.Dongguan, counsel.UnderdevelopedCounty, true)
	set := counsel.DefaultSettings()
	set.LoadLimit = 3
	out["settings"] = w.Svc.SaveSettings(w.Ctx, a, testworld.ZN, set)
	out["create user"] = account.NewService(w.Svc).CreateUser(w.Ctx, a, &counsel.User{Username: "zn-new-village", DisplayName: "东关村", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan}, "good-password-1")
	_, out["import"] = w.Svc.ImportPairings(w.Ctx, a, testworld.ZN, []xlsx.PairingRow{{Row: 4, Town: "山河镇", Village: "东关村", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name,
		AdvisorPhone: w.ZA1.Phone, PersonName: "导入人", Position: "村委委员", PersonPhone: "13700000007", PairedOn: "2026-05-01"}}, nil)
	// Last: ending the agreement makes later pairings impossible.
	_, out["move agreement"] = w.Svc.MoveAgreement(w.Ctx, a, w.G1.ID, counsel.AgreementEnded, "2026-06-01")
	return out
}

func TestScopeOtherCountyBureau(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.JHBureau
		for what, err := range w.swReads(a) {
			testworld.WantCode(t, "镜湖区 bureau reads 正宁县 "+what, err, counsel.CodeNotFound)
		}
		before := w.Counts()
		for what, err := range w.swWrites(a) {
			if err == nil {
				t.Errorf("镜湖区 bureau: %s in 正宁县: got nil error, want a refusal", what)
				continue
			}
			if c := testworld.Code(err); c != counsel.CodeNotFound && c != counsel.CodeForbidden && c != counsel.CodeInvalid {
				t.Errorf("镜湖区 bureau: %s in 正宁县: got %v, want not found, forbidden or invalid", what, err)
			}
		}
		w.SameCounts("after refused writes", before, w.Counts())
		if p, err := w.Svc.Provider(w.Ctx, w.Admin, w.ZP1.ID); err != nil || p.Address != w.ZP1.Address {
			t.Errorf("provider after a refused update: got %+v, %v, want it unchanged", p, err)
		}
		if g, err := w.Svc.Agreement(w.Ctx, w.Admin, w.G1.ID); err != nil || g.Status != counsel.AgreementFiled || g.Note != "" {
			t.Errorf("agreement after refused changes: got %+v, %v, want it unchanged", g, err)
		}

		// Lists hold only 镜湖区 records.
		pl, err := w.Svc.Providers(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(pl.Items, func(p counsel.Provider) int64 { return p.ID }); len(ids) != 1 || !ids[w.JP1.ID] {
			t.Errorf("providers of 镜湖区 bureau: got %v, want only %d", ids, w.JP1.ID)
		}
		al, err := w.Svc.Advisors(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(al.Items, func(x counsel.Advisor) int64 { return x.ID }); len(ids) != 1 || !ids[w.JA1.ID] {
			t.Errorf("advisors of 镜湖区 bureau: got %v, want only %d", ids, w.JA1.ID)
		}
		gl, err := w.Svc.Agreements(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(gl.Items, func(x counsel.Agreement) int64 { return x.ID }); len(ids) != 1 || !ids[w.GJ.ID] {
			t.Errorf("agreements of 镜湖区 bureau: got %v, want only %d", ids, w.GJ.ID)
		}
		ps, err := w.Pn.Persons(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(ps.Items, func(x counsel.Person) int64 { return x.ID }); len(ids) != 1 || !ids[w.PJ1.ID] {
			t.Errorf("persons of 镜湖区 bureau: got %v, want only %d", ids, w.PJ1.ID)
		}
		ql, err := w.Pn.Pairings(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); len(ids) != 1 || !ids[w.QJ.ID] {
			t.Errorf("pairings of 镜湖区 bureau: got %v, want only %d", ids, w.QJ.ID)
		}
		// A filter naming the other county's region or provider does not widen the scope.
		gl, err = w.Svc.Agreements(w.Ctx, a, counsel.Filter{Region: testworld.ZN, ProviderID: w.ZP1.ID, Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if counsel.Within(g.RegionCode, testworld.ZN) {
				t.Errorf("agreements of 镜湖区 bureau filtered to 正宁县: got %d at %s, want none", g.ID, g.RegionCode)
			}
		}
		sr, err := w.Svc.SearchRegions(w.Ctx, a, "东关", 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sr {
			if !counsel.Within(r.Code, testworld.JH) {
				t.Errorf("region search of 镜湖区 bureau: got %s %s, want only 镜湖区", r.Code, r.Name)
			}
		}
	})
}

func TestScopeCityBureauReadOnly(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.City
		for what, err := range w.swReads(a) {
			if err != nil {
				t.Errorf("city bureau reads 正宁县 %s: got %v, want nil", what, err)
			}
		}
		// A user to manage.
		u := &counsel.User{Username: "zn-village-1", DisplayName: "东关村", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan}
		if err := account.NewService(w.Svc).CreateUser(w.Ctx, counsel.System, u, "good-password-1"); err != nil {
			t.Fatal(err)
		}
		before := w.Counts()
		writes := w.swWrites(a)
		writes["disable user"] = account.NewService(w.Svc).SetUserDisabled(w.Ctx, a, u.ID, true)
		writes["reset password"] = account.NewService(w.Svc).ResetPassword(w.Ctx, a, u.ID, "other-password-2")
		for what, err := range writes {
			testworld.WantCode(t, "city bureau: "+what, err, counsel.CodeForbidden)
		}
		w.SameCounts("after the city bureau's refused writes", before, w.Counts())
		ql, err := w.Pn.Pairings(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); !ids[w.QZ1.ID] || !ids[w.QZ2.ID] || ids[w.QJ.ID] {
			t.Errorf("pairings of the city bureau: got %v, want 正宁县's %d and %d only", ids, w.QZ1.ID, w.QZ2.ID)
		}
		// Q4: a city bureau has no need of persons' whole phone numbers.
		ps, err := w.Pn.Persons(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Items {
			if testworld.Mobile.MatchString(p.Phone) {
				t.Errorf("person %s seen by the city bureau: got phone %q, want it masked", p.Name, p.Phone)
			}
		}
		ps, err = w.Pn.Persons(w.Ctx, w.ZNBureau, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.Items) == 0 || !testworld.Mobile.MatchString(ps.Items[0].Phone) {
			t.Errorf("persons seen by the county bureau: got %+v, want whole phone numbers", ps.Items)
		}
	})
}

func TestScopeCountyBureauWrites(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		for what, err := range w.swWrites(w.ZNBureau) {
			if err != nil {
				t.Errorf("正宁县 bureau: %s: got %v, want nil", what, err)
			}
		}
	})
}

func TestScopeJudicialOffice(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Judicial // 山河镇
		own := w.NewAgreement(w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		if err := w.Svc.SaveAgreement(w.Ctx, a, own); err != nil {
			t.Fatalf("judicial office: agreement in its own town: got %v, want nil", err)
		}
		if _, err := w.Svc.MoveAgreement(w.Ctx, a, own.ID, counsel.AgreementSigned, "2026-02-01"); err != nil {
			t.Errorf("judicial office: sign an agreement of its town: got %v, want nil", err)
		}
		other := w.NewAgreement(w.ZA2, testworld.Xiaositou, counsel.AgreementDraft) // 榆林子镇
		err := w.Svc.SaveAgreement(w.Ctx, a, other)
		testworld.WantOutOfScope(t, "judicial office: agreement in another town", err, "region_code")
		g2 := *w.G2
		g2.Note = "changed"
		err = w.Svc.SaveAgreement(w.Ctx, a, &g2)
		if err == nil {
			t.Errorf("judicial office: update another town's agreement: got nil, want a refusal")
		}
		_, err = w.Svc.MoveAgreement(w.Ctx, a, w.G2.ID, counsel.AgreementFiled, "")
		testworld.WantCode(t, "judicial office: file another town's agreement", err, counsel.CodeNotFound)
		_, err = w.Svc.Agreement(w.Ctx, a, w.G2.ID)
		testworld.WantCode(t, "judicial office: read another town's agreement", err, counsel.CodeNotFound)
		// Moving its own agreement into another town is refused too.
		moved := *w.G1
		moved.RegionCode = testworld.Xiaositou
		err = w.Svc.SaveAgreement(w.Ctx, a, &moved)
		if err == nil {
			t.Errorf("judicial office: move its agreement to another town: got nil, want a refusal")
		}
		// It may not change providers.
		p := *w.ZP1
		p.Address = "x"
		testworld.WantCode(t, "judicial office: update a provider", w.Svc.SaveProvider(w.Ctx, a, &p), counsel.CodeForbidden)
		// Persons and pairings of its town, not others.
		w.Person(a, testworld.Xiguan, "周涛", "村委委员", "13900000011")
		err = w.Pn.SavePerson(w.Ctx, a, &counsel.Person{VillageCode: testworld.Xiaositou, Name: "吴明", Position: "网格员", Phone: "13900000012"})
		if err == nil {
			t.Errorf("judicial office: person in another town: got nil, want a refusal")
		}
		gl, err := w.Svc.Agreements(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if !counsel.Within(g.RegionCode, testworld.Shanhe) {
				t.Errorf("agreements of the judicial office: got %d at %s, want only 山河镇", g.ID, g.RegionCode)
			}
		}
	})
}

func TestScopeVillage(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Village // 东关村
		mine := w.Person(a, testworld.Dongguan, "孙丽", "网格员", "13900000021")
		mine.Position = "村委委员"
		if err := w.Pn.SavePerson(w.Ctx, a, mine); err != nil {
			t.Errorf("village: update its own person: got %v, want nil", err)
		}
		err := w.Pn.SavePerson(w.Ctx, a, &counsel.Person{VillageCode: testworld.Xiguan, Name: "马超", Position: "网格员", Phone: "13900000022"})
		testworld.WantOutOfScope(t, "village: person in another village", err, "village_code")
		// Another village's person cannot be pulled into this one by its id.
		stolen := *w.PZ2
		stolen.VillageCode = testworld.Dongguan
		err = w.Pn.SavePerson(w.Ctx, a, &stolen)
		testworld.WantCode(t, "village: take over another village's person", err, counsel.CodeNotFound)
		if p, err := w.Pn.Person(w.Ctx, w.Admin, w.PZ2.ID); err != nil || p.VillageCode != testworld.Xiaositou {
			t.Errorf("person after a refused take-over: got %+v, %v, want still at 小寺头村", p, err)
		}
		_, err = w.Pn.Person(w.Ctx, a, w.PZ2.ID)
		testworld.WantCode(t, "village: read another village's person", err, counsel.CodeNotFound)
		// It reads its own agreement and advisor but changes neither.
		if _, err := w.Svc.Agreement(w.Ctx, a, w.G1.ID); err != nil {
			t.Errorf("village: read its agreement: got %v, want nil", err)
		}
		if _, err := w.Svc.Advisor(w.Ctx, a, w.ZA1.ID); err != nil {
			t.Errorf("village: read its advisor: got %v, want nil", err)
		}
		_, err = w.Svc.Advisor(w.Ctx, a, w.ZA3.ID)
		testworld.WantCode(t, "village: read another village's advisor", err, counsel.CodeNotFound)
		g := *w.G1
		g.Note = "x"
		testworld.WantCode(t, "village: update its agreement", w.Svc.SaveAgreement(w.Ctx, a, &g), counsel.CodeForbidden)
		ps, err := w.Pn.Persons(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Items {
			if p.VillageCode != testworld.Dongguan {
				t.Errorf("persons of the village: got %s of %s, want only 东关村", p.Name, p.VillageCode)
			}
		}
		_, err = w.Svc.Providers(w.Ctx, a, testworld.All)
		testworld.WantCode(t, "village: list providers", err, counsel.CodeForbidden)
	})
}

func TestScopeProviderManager(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Provider // 甘肃正义律师事务所: za1, za2
		al, err := w.Svc.Advisors(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		ids := testworld.IDs(al.Items, func(x counsel.Advisor) int64 { return x.ID })
		if len(ids) != 2 || !ids[w.ZA1.ID] || !ids[w.ZA2.ID] {
			t.Errorf("advisors of the provider manager: got %v, want %d and %d", ids, w.ZA1.ID, w.ZA2.ID)
		}
		for _, x := range al.Items {
			if x.ProviderID != w.ZP1.ID {
				t.Errorf("advisor %s of provider %d in the provider manager's list", x.Name, x.ProviderID)
			}
		}
		// Asking for another provider's advisors does not widen the list.
		al, err = w.Svc.Advisors(w.Ctx, a, counsel.Filter{ProviderID: w.ZP2.ID, Page: counsel.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range al.Items {
			if x.ProviderID != w.ZP1.ID {
				t.Errorf("filtered advisors of the provider manager: got %s of provider %d", x.Name, x.ProviderID)
			}
		}
		_, err = w.Svc.Advisor(w.Ctx, a, w.ZA3.ID)
		testworld.WantCode(t, "provider manager: read another provider's advisor", err, counsel.CodeNotFound)
		_, err = w.Svc.Provider(w.Ctx, a, w.ZP2.ID)
		testworld.WantCode(t, "provider manager: read another provider", err, counsel.CodeNotFound)
		other := *w.ZA3
		other.WeChat = "x"
		if err := w.Svc.SaveAdvisor(w.Ctx, a, &other); err == nil {
			t.Errorf("provider manager: update another provider's advisor: got nil, want a refusal")
		}
		// A new advisor lands in its own provider.
		adv := &counsel.Advisor{Kind: counsel.AdvisorLawyer, Name: "黄勇", Phone: "13700000031", Active: true}
		if err := w.Svc.SaveAdvisor(w.Ctx, a, adv); err != nil || adv.ProviderID != w.ZP1.ID {
			t.Errorf("provider manager: new advisor: got provider %d, %v, want %d, nil", adv.ProviderID, err, w.ZP1.ID)
		}
		// It may not create providers.
		testworld.WantCode(t, "provider manager: create a provider",
			w.Svc.SaveProvider(w.Ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃另一律师事务所", CountyCode: testworld.ZN}), counsel.CodeForbidden)
		gl, err := w.Svc.Agreements(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if g.ProviderID != w.ZP1.ID {
				t.Errorf("agreements of the provider manager: got %d of provider %d", g.ID, g.ProviderID)
			}
		}
	})
}

func TestScopeAdvisor(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.Advisor // za1
		w.Agreement(counsel.System, w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		gl, err := w.Svc.Agreements(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		ids := testworld.IDs(gl.Items, func(x counsel.Agreement) int64 { return x.ID })
		if len(ids) != 1 || !ids[w.G1.ID] {
			t.Errorf("agreements of the advisor: got %v, want only its own %d", ids, w.G1.ID)
		}
		if _, err := w.Svc.Agreement(w.Ctx, a, w.G1.ID); err != nil {
			t.Errorf("advisor: read its agreement: got %v, want nil", err)
		}
		_, err = w.Svc.Agreement(w.Ctx, a, w.G2.ID)
		testworld.WantCode(t, "advisor: read another advisor's agreement", err, counsel.CodeNotFound)
		_, err = w.Svc.Advisor(w.Ctx, a, w.ZA2.ID)
		testworld.WantCode(t, "advisor: read a colleague", err, counsel.CodeNotFound)
		// It keeps its own contact details, nothing else.
		self := *w.ZA1
		self.Phone, self.Name, self.Active = "13700000041", "改名", false
		if err := w.Svc.SaveAdvisor(w.Ctx, a, &self); err != nil {
			t.Fatalf("advisor: update own contact details: got %v, want nil", err)
		}
		got, err := w.Svc.Advisor(w.Ctx, w.Admin, w.ZA1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Phone != "13700000041" || got.Name != w.ZA1.Name || !got.Active {
			t.Errorf("advisor after editing itself: got name %q phone %q active %v, want name %q kept, phone changed, still active", got.Name, got.Phone, got.Active, w.ZA1.Name)
		}
		_, err = w.Svc.MoveAgreement(w.Ctx, a, w.G1.ID, counsel.AgreementEnded, "")
		testworld.WantCode(t, "advisor: end its agreement", err, counsel.CodeForbidden)
		ql, err := w.Pn.Pairings(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		if ids := testworld.IDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); len(ids) != 1 || !ids[w.QZ1.ID] {
			t.Errorf("pairings of the advisor: got %v, want only %d", ids, w.QZ1.ID)
		}
		// It records activities of its own pairings.
		if err := w.Pn.AddActivity(w.Ctx, a, &counsel.Activity{PairingID: w.QZ1.ID, Kind: "explainer", Date: "2026-06-10", Note: "宣讲民法典"}); err != nil {
			t.Errorf("advisor: activity on its pairing: got %v, want nil", err)
		}
		err = w.Pn.AddActivity(w.Ctx, a, &counsel.Activity{PairingID: w.QZ2.ID, Kind: "explainer", Date: "2026-06-10", Note: "x"})
		testworld.WantCode(t, "advisor: activity on another's pairing", err, counsel.CodeNotFound)
	})
}
