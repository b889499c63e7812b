package service_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/store"
)

// swReads reads every kind of record of the 正宁县 fixture as actor a and
// returns the error of each read.
func (w *svcWorld) swReads(a *counsel.Actor) map[string]error {
	out := map[string]error{}
	_, out["provider"] = w.svc.Provider(w.ctx, a, w.zp1.ID)
	_, out["advisor"] = w.svc.Advisor(w.ctx, a, w.za1.ID)
	_, out["agreement"] = w.svc.Agreement(w.ctx, a, w.g1.ID)
	_, out["person"] = w.svc.Person(w.ctx, a, w.pz1.ID)
	_, _, out["pairing"] = w.svc.Pairing(w.ctx, a, w.qz1.ID)
	_, out["region"] = w.svc.Region(w.ctx, a, swDongguan)
	_, out["coverage"] = w.svc.Coverage(w.ctx, a, swZN)
	_, out["uncovered"] = w.svc.Uncovered(w.ctx, a, swShanhe)
	_, out["pairing rules"] = w.svc.PairingRules(w.ctx, a, swShanhe)
	return out
}

// swWrites tries every kind of change to the 正宁县 fixture as actor a and
// returns the error of each.
func (w *svcWorld) swWrites(a *counsel.Actor) map[string]error {
	out := map[string]error{}
	p := *w.zp1
	p.Address = "改过的地址"
	out["update provider"] = w.svc.SaveProvider(w.ctx, a, &p)
	out["create provider"] = w.svc.SaveProvider(w.ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃新设律师事务所", CountyCode: swZN})
	adv := *w.za1
	adv.WeChat = "changed"
	out["update advisor"] = w.svc.SaveAdvisor(w.ctx, a, &adv)
	out["create advisor"] = w.svc.SaveAdvisor(w.ctx, a, &counsel.Advisor{ProviderID: w.zp1.ID, Kind: counsel.AdvisorLawyer, Name: "新顾问", Phone: "13700000009", Active: true})
	g := *w.g1
	g.Note = "changed"
	out["update agreement"] = w.svc.SaveAgreement(w.ctx, a, &g)
	out["create agreement"] = w.svc.SaveAgreement(w.ctx, a, w.newAgreement(w.za2, swXiguan, counsel.AgreementDraft))
	per := *w.pz1
	per.Position = "村委会主任"
	out["update person"] = w.svc.SavePerson(w.ctx, a, &per)
	out["create person"] = w.svc.SavePerson(w.ctx, a, &counsel.Person{VillageCode: swDongguan, Name: "新明白人", Position: "网格员", Phone: "13700000008"})
	q := *w.qz1
	q.Remarks = "changed"
	out["update pairing"] = w.svc.SavePairing(w.ctx, a, &q)
	out["create pairing"] = w.svc.SavePairing(w.ctx, a, &counsel.Pairing{AdvisorID: w.za1.ID, PersonID: w.pz3.ID, PairedOn: "2026-05-01"})
	out["add activity"] = w.svc.AddActivity(w.ctx, a, &counsel.Activity{PairingID: w.qz1.ID, Kind: "mediator", Date: "2026-06-01", Note: "调解"})
	out["village flags"] = w.svc.SetVillageFlags(w.ctx, a, swDongguan, counsel.UnderdevelopedCounty, true)
	set := counsel.DefaultSettings()
	set.LoadLimit = 3
	out["settings"] = w.svc.SaveSettings(w.ctx, a, swZN, set)
	out["create user"] = account.NewService(w.svc).CreateUser(w.ctx, a, &counsel.User{Username: "zn-new-village", DisplayName: "东关村", Role: counsel.RoleVillage, RegionCode: swDongguan}, "good-password-1")
	_, out["import"] = w.svc.ImportPairings(w.ctx, a, swZN, []xlsx.PairingRow{{Row: 4, Town: "山河镇", Village: "东关村", AdvisorName: w.za1.Name, Firm: w.zp1.Name,
		AdvisorPhone: w.za1.Phone, PersonName: "导入人", Position: "村委委员", PersonPhone: "13700000007", PairedOn: "2026-05-01"}}, nil)
	// Last: ending the agreement makes later pairings impossible.
	_, out["move agreement"] = w.svc.MoveAgreement(w.ctx, a, w.g1.ID, counsel.AgreementEnded, "2026-06-01")
	return out
}

func TestScopeOtherCountyBureau(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.jhBureau
		for what, err := range w.swReads(a) {
			swWantCode(t, "镜湖区 bureau reads 正宁县 "+what, err, counsel.CodeNotFound)
		}
		before := w.counts()
		for what, err := range w.swWrites(a) {
			if err == nil {
				t.Errorf("镜湖区 bureau: %s in 正宁县: got nil error, want a refusal", what)
				continue
			}
			if c := swCode(err); c != counsel.CodeNotFound && c != counsel.CodeForbidden && c != counsel.CodeInvalid {
				t.Errorf("镜湖区 bureau: %s in 正宁县: got %v, want not found, forbidden or invalid", what, err)
			}
		}
		w.sameCounts("after refused writes", before, w.counts())
		if p, err := w.svc.Provider(w.ctx, w.admin, w.zp1.ID); err != nil || p.Address != w.zp1.Address {
			t.Errorf("provider after a refused update: got %+v, %v, want it unchanged", p, err)
		}
		if g, err := w.svc.Agreement(w.ctx, w.admin, w.g1.ID); err != nil || g.Status != counsel.AgreementFiled || g.Note != "" {
			t.Errorf("agreement after refused changes: got %+v, %v, want it unchanged", g, err)
		}

		// Lists hold only 镜湖区 records.
		pl, err := w.svc.Providers(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(pl.Items, func(p counsel.Provider) int64 { return p.ID }); len(ids) != 1 || !ids[w.jp1.ID] {
			t.Errorf("providers of 镜湖区 bureau: got %v, want only %d", ids, w.jp1.ID)
		}
		al, err := w.svc.Advisors(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(al.Items, func(x counsel.Advisor) int64 { return x.ID }); len(ids) != 1 || !ids[w.ja1.ID] {
			t.Errorf("advisors of 镜湖区 bureau: got %v, want only %d", ids, w.ja1.ID)
		}
		gl, err := w.svc.Agreements(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(gl.Items, func(x counsel.Agreement) int64 { return x.ID }); len(ids) != 1 || !ids[w.gj.ID] {
			t.Errorf("agreements of 镜湖区 bureau: got %v, want only %d", ids, w.gj.ID)
		}
		ps, err := w.svc.Persons(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(ps.Items, func(x counsel.Person) int64 { return x.ID }); len(ids) != 1 || !ids[w.pj1.ID] {
			t.Errorf("persons of 镜湖区 bureau: got %v, want only %d", ids, w.pj1.ID)
		}
		ql, err := w.svc.Pairings(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); len(ids) != 1 || !ids[w.qj.ID] {
			t.Errorf("pairings of 镜湖区 bureau: got %v, want only %d", ids, w.qj.ID)
		}
		// A filter naming the other county's region or provider does not widen the scope.
		gl, err = w.svc.Agreements(w.ctx, a, store.Filter{Region: swZN, ProviderID: w.zp1.ID, Page: counsel.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if counsel.Within(g.RegionCode, swZN) {
				t.Errorf("agreements of 镜湖区 bureau filtered to 正宁县: got %d at %s, want none", g.ID, g.RegionCode)
			}
		}
		sr, err := w.svc.SearchRegions(w.ctx, a, "东关", 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range sr {
			if !counsel.Within(r.Code, swJH) {
				t.Errorf("region search of 镜湖区 bureau: got %s %s, want only 镜湖区", r.Code, r.Name)
			}
		}
	})
}

func TestScopeCityBureauReadOnly(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.city
		for what, err := range w.swReads(a) {
			if err != nil {
				t.Errorf("city bureau reads 正宁县 %s: got %v, want nil", what, err)
			}
		}
		// A user to manage.
		u := &counsel.User{Username: "zn-village-1", DisplayName: "东关村", Role: counsel.RoleVillage, RegionCode: swDongguan}
		if err := account.NewService(w.svc).CreateUser(w.ctx, counsel.System, u, "good-password-1"); err != nil {
			t.Fatal(err)
		}
		before := w.counts()
		writes := w.swWrites(a)
		writes["disable user"] = account.NewService(w.svc).SetUserDisabled(w.ctx, a, u.ID, true)
		writes["reset password"] = account.NewService(w.svc).ResetPassword(w.ctx, a, u.ID, "other-password-2")
		for what, err := range writes {
			swWantCode(t, "city bureau: "+what, err, counsel.CodeForbidden)
		}
		w.sameCounts("after the city bureau's refused writes", before, w.counts())
		ql, err := w.svc.Pairings(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); !ids[w.qz1.ID] || !ids[w.qz2.ID] || ids[w.qj.ID] {
			t.Errorf("pairings of the city bureau: got %v, want 正宁县's %d and %d only", ids, w.qz1.ID, w.qz2.ID)
		}
		// Q4: a city bureau has no need of persons' whole phone numbers.
		ps, err := w.svc.Persons(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Items {
			if swMobile.MatchString(p.Phone) {
				t.Errorf("person %s seen by the city bureau: got phone %q, want it masked", p.Name, p.Phone)
			}
		}
		ps, err = w.svc.Persons(w.ctx, w.znBureau, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps.Items) == 0 || !swMobile.MatchString(ps.Items[0].Phone) {
			t.Errorf("persons seen by the county bureau: got %+v, want whole phone numbers", ps.Items)
		}
	})
}

func TestScopeCountyBureauWrites(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		for what, err := range w.swWrites(w.znBureau) {
			if err != nil {
				t.Errorf("正宁县 bureau: %s: got %v, want nil", what, err)
			}
		}
	})
}

func TestScopeJudicialOffice(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.judicial // 山河镇
		own := w.newAgreement(w.za2, swXiguan, counsel.AgreementDraft)
		if err := w.svc.SaveAgreement(w.ctx, a, own); err != nil {
			t.Fatalf("judicial office: agreement in its own town: got %v, want nil", err)
		}
		if _, err := w.svc.MoveAgreement(w.ctx, a, own.ID, counsel.AgreementSigned, "2026-02-01"); err != nil {
			t.Errorf("judicial office: sign an agreement of its town: got %v, want nil", err)
		}
		other := w.newAgreement(w.za2, swXiaositou, counsel.AgreementDraft) // 榆林子镇
		err := w.svc.SaveAgreement(w.ctx, a, other)
		swWantOutOfScope(t, "judicial office: agreement in another town", err, "region_code")
		g2 := *w.g2
		g2.Note = "changed"
		err = w.svc.SaveAgreement(w.ctx, a, &g2)
		if err == nil {
			t.Errorf("judicial office: update another town's agreement: got nil, want a refusal")
		}
		_, err = w.svc.MoveAgreement(w.ctx, a, w.g2.ID, counsel.AgreementFiled, "")
		swWantCode(t, "judicial office: file another town's agreement", err, counsel.CodeNotFound)
		_, err = w.svc.Agreement(w.ctx, a, w.g2.ID)
		swWantCode(t, "judicial office: read another town's agreement", err, counsel.CodeNotFound)
		// Moving its own agreement into another town is refused too.
		moved := *w.g1
		moved.RegionCode = swXiaositou
		err = w.svc.SaveAgreement(w.ctx, a, &moved)
		if err == nil {
			t.Errorf("judicial office: move its agreement to another town: got nil, want a refusal")
		}
		// It may not change providers.
		p := *w.zp1
		p.Address = "x"
		swWantCode(t, "judicial office: update a provider", w.svc.SaveProvider(w.ctx, a, &p), counsel.CodeForbidden)
		// Persons and pairings of its town, not others.
		w.person(a, swXiguan, "周涛", "村委委员", "13900000011")
		err = w.svc.SavePerson(w.ctx, a, &counsel.Person{VillageCode: swXiaositou, Name: "吴明", Position: "网格员", Phone: "13900000012"})
		if err == nil {
			t.Errorf("judicial office: person in another town: got nil, want a refusal")
		}
		gl, err := w.svc.Agreements(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if !counsel.Within(g.RegionCode, swShanhe) {
				t.Errorf("agreements of the judicial office: got %d at %s, want only 山河镇", g.ID, g.RegionCode)
			}
		}
	})
}

func TestScopeVillage(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.village // 东关村
		mine := w.person(a, swDongguan, "孙丽", "网格员", "13900000021")
		mine.Position = "村委委员"
		if err := w.svc.SavePerson(w.ctx, a, mine); err != nil {
			t.Errorf("village: update its own person: got %v, want nil", err)
		}
		err := w.svc.SavePerson(w.ctx, a, &counsel.Person{VillageCode: swXiguan, Name: "马超", Position: "网格员", Phone: "13900000022"})
		swWantOutOfScope(t, "village: person in another village", err, "village_code")
		// Another village's person cannot be pulled into this one by its id.
		stolen := *w.pz2
		stolen.VillageCode = swDongguan
		err = w.svc.SavePerson(w.ctx, a, &stolen)
		swWantCode(t, "village: take over another village's person", err, counsel.CodeNotFound)
		if p, err := w.svc.Person(w.ctx, w.admin, w.pz2.ID); err != nil || p.VillageCode != swXiaositou {
			t.Errorf("person after a refused take-over: got %+v, %v, want still at 小寺头村", p, err)
		}
		_, err = w.svc.Person(w.ctx, a, w.pz2.ID)
		swWantCode(t, "village: read another village's person", err, counsel.CodeNotFound)
		// It reads its own agreement and advisor but changes neither.
		if _, err := w.svc.Agreement(w.ctx, a, w.g1.ID); err != nil {
			t.Errorf("village: read its agreement: got %v, want nil", err)
		}
		if _, err := w.svc.Advisor(w.ctx, a, w.za1.ID); err != nil {
			t.Errorf("village: read its advisor: got %v, want nil", err)
		}
		_, err = w.svc.Advisor(w.ctx, a, w.za3.ID)
		swWantCode(t, "village: read another village's advisor", err, counsel.CodeNotFound)
		g := *w.g1
		g.Note = "x"
		swWantCode(t, "village: update its agreement", w.svc.SaveAgreement(w.ctx, a, &g), counsel.CodeForbidden)
		ps, err := w.svc.Persons(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps.Items {
			if p.VillageCode != swDongguan {
				t.Errorf("persons of the village: got %s of %s, want only 东关村", p.Name, p.VillageCode)
			}
		}
		_, err = w.svc.Providers(w.ctx, a, swAll)
		swWantCode(t, "village: list providers", err, counsel.CodeForbidden)
	})
}

func TestScopeProviderManager(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.provider // 甘肃正义律师事务所: za1, za2
		al, err := w.svc.Advisors(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		ids := swIDs(al.Items, func(x counsel.Advisor) int64 { return x.ID })
		if len(ids) != 2 || !ids[w.za1.ID] || !ids[w.za2.ID] {
			t.Errorf("advisors of the provider manager: got %v, want %d and %d", ids, w.za1.ID, w.za2.ID)
		}
		for _, x := range al.Items {
			if x.ProviderID != w.zp1.ID {
				t.Errorf("advisor %s of provider %d in the provider manager's list", x.Name, x.ProviderID)
			}
		}
		// Asking for another provider's advisors does not widen the list.
		al, err = w.svc.Advisors(w.ctx, a, store.Filter{ProviderID: w.zp2.ID, Page: counsel.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range al.Items {
			if x.ProviderID != w.zp1.ID {
				t.Errorf("filtered advisors of the provider manager: got %s of provider %d", x.Name, x.ProviderID)
			}
		}
		_, err = w.svc.Advisor(w.ctx, a, w.za3.ID)
		swWantCode(t, "provider manager: read another provider's advisor", err, counsel.CodeNotFound)
		_, err = w.svc.Provider(w.ctx, a, w.zp2.ID)
		swWantCode(t, "provider manager: read another provider", err, counsel.CodeNotFound)
		other := *w.za3
		other.WeChat = "x"
		if err := w.svc.SaveAdvisor(w.ctx, a, &other); err == nil {
			t.Errorf("provider manager: update another provider's advisor: got nil, want a refusal")
		}
		// A new advisor lands in its own provider.
		adv := &counsel.Advisor{Kind: counsel.AdvisorLawyer, Name: "黄勇", Phone: "13700000031", Active: true}
		if err := w.svc.SaveAdvisor(w.ctx, a, adv); err != nil || adv.ProviderID != w.zp1.ID {
			t.Errorf("provider manager: new advisor: got provider %d, %v, want %d, nil", adv.ProviderID, err, w.zp1.ID)
		}
		// It may not create providers.
		swWantCode(t, "provider manager: create a provider",
			w.svc.SaveProvider(w.ctx, a, &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "甘肃另一律师事务所", CountyCode: swZN}), counsel.CodeForbidden)
		gl, err := w.svc.Agreements(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range gl.Items {
			if g.ProviderID != w.zp1.ID {
				t.Errorf("agreements of the provider manager: got %d of provider %d", g.ID, g.ProviderID)
			}
		}
	})
}

func TestScopeAdvisor(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.advisor // za1
		w.agreement(counsel.System, w.za2, swXiguan, counsel.AgreementDraft)
		gl, err := w.svc.Agreements(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		ids := swIDs(gl.Items, func(x counsel.Agreement) int64 { return x.ID })
		if len(ids) != 1 || !ids[w.g1.ID] {
			t.Errorf("agreements of the advisor: got %v, want only its own %d", ids, w.g1.ID)
		}
		if _, err := w.svc.Agreement(w.ctx, a, w.g1.ID); err != nil {
			t.Errorf("advisor: read its agreement: got %v, want nil", err)
		}
		_, err = w.svc.Agreement(w.ctx, a, w.g2.ID)
		swWantCode(t, "advisor: read another advisor's agreement", err, counsel.CodeNotFound)
		_, err = w.svc.Advisor(w.ctx, a, w.za2.ID)
		swWantCode(t, "advisor: read a colleague", err, counsel.CodeNotFound)
		// It keeps its own contact details, nothing else.
		self := *w.za1
		self.Phone, self.Name, self.Active = "13700000041", "改名", false
		if err := w.svc.SaveAdvisor(w.ctx, a, &self); err != nil {
			t.Fatalf("advisor: update own contact details: got %v, want nil", err)
		}
		got, err := w.svc.Advisor(w.ctx, w.admin, w.za1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Phone != "13700000041" || got.Name != w.za1.Name || !got.Active {
			t.Errorf("advisor after editing itself: got name %q phone %q active %v, want name %q kept, phone changed, still active", got.Name, got.Phone, got.Active, w.za1.Name)
		}
		_, err = w.svc.MoveAgreement(w.ctx, a, w.g1.ID, counsel.AgreementEnded, "")
		swWantCode(t, "advisor: end its agreement", err, counsel.CodeForbidden)
		ql, err := w.svc.Pairings(w.ctx, a, swAll)
		if err != nil {
			t.Fatal(err)
		}
		if ids := swIDs(ql.Items, func(x counsel.Pairing) int64 { return x.ID }); len(ids) != 1 || !ids[w.qz1.ID] {
			t.Errorf("pairings of the advisor: got %v, want only %d", ids, w.qz1.ID)
		}
		// It records activities of its own pairings.
		if err := w.svc.AddActivity(w.ctx, a, &counsel.Activity{PairingID: w.qz1.ID, Kind: "explainer", Date: "2026-06-10", Note: "宣讲民法典"}); err != nil {
			t.Errorf("advisor: activity on its pairing: got %v, want nil", err)
		}
		err = w.svc.AddActivity(w.ctx, a, &counsel.Activity{PairingID: w.qz2.ID, Kind: "explainer", Date: "2026-06-10", Note: "x"})
		swWantCode(t, "advisor: activity on another's pairing", err, counsel.CodeNotFound)
	})
}
