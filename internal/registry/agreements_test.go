package registry_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// swLoadErr checks a load-limit refusal: invalid, on advisor_id, with the
// advisor's name, its current load and the limit as arguments.
func swLoadErr(t *testing.T, what string, err error, name string, load, limit int) {
	t.Helper()
	testworld.WantField(t, what, err, "advisor_id", "err.load_limit")
	f := testworld.Field(err, "advisor_id")
	if f == nil || len(f.Args) != 3 {
		return
	}
	if f.Args[0] != name || f.Args[1] != load || f.Args[2] != limit {
		t.Errorf("%s: got args %v, want [%s %d %d]", what, f.Args, name, load, limit)
	}
}

func TestLoadLimit(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		adv := w.ZA2 // no agreement yet
		var gs []*counsel.Agreement
		statuses := []string{counsel.AgreementDraft, counsel.AgreementSigned, counsel.AgreementFiled, counsel.AgreementFiled, counsel.AgreementDraft}
		for i, st := range statuses {
			g := w.NewAgreement(adv, testworld.ShanheVillages[3+i], st)
			if err := w.Svc.SaveAgreement(w.Ctx, a, g); err != nil {
				t.Fatalf("live village agreement %d of 5: got %v, want nil", i+1, err)
			}
			gs = append(gs, g)
		}
		before := w.Counts()
		sixth := w.NewAgreement(adv, testworld.ShanheVillages[8], counsel.AgreementDraft)
		err := w.Svc.SaveAgreement(w.Ctx, a, sixth)
		swLoadErr(t, "6th live village agreement", err, adv.Name, 5, 5)
		w.SameCounts("after the refused 6th agreement", before, w.Counts())

		// A town-wide packaged agreement binds the team, not the advisor.
		pkg := w.NewAgreement(adv, testworld.Yulinzi, counsel.AgreementSigned)
		pkg.Packaged = true
		if err := w.Svc.SaveAgreement(w.Ctx, a, pkg); err != nil {
			t.Errorf("packaged town agreement at the limit: got %v, want nil", err)
		}
		// Editing an agreement already counted does not count it twice.
		gs[0].Note = "补充说明"
		if err := w.Svc.SaveAgreement(w.Ctx, a, gs[0]); err != nil {
			t.Errorf("edit one of the 5 agreements: got %v, want nil", err)
		}
		// Ending one frees a slot.
		if _, err := w.Svc.MoveAgreement(w.Ctx, a, gs[1].ID, counsel.AgreementEnded, "2026-06-01"); err != nil {
			t.Fatalf("end an agreement: %v", err)
		}
		sixth = w.NewAgreement(adv, testworld.ShanheVillages[8], counsel.AgreementDraft)
		if err := w.Svc.SaveAgreement(w.Ctx, a, sixth); err != nil {
			t.Errorf("agreement after ending one: got %v, want nil", err)
		}
		seventh := w.NewAgreement(adv, testworld.ShanheVillages[9], counsel.AgreementDraft)
		swLoadErr(t, "over the limit again", w.Svc.SaveAgreement(w.Ctx, a, seventh), adv.Name, 5, 5)
		// An ended agreement is not counted when created as ended either.
		old := w.NewAgreement(adv, testworld.ShanheVillages[9], counsel.AgreementEnded)
		old.StartDate, old.EndDate = "2025-01-01", "2025-12-31"
		if err := w.Svc.SaveAgreement(w.Ctx, a, old); err != nil {
			t.Errorf("ended (historic) agreement at the limit: got %v, want nil", err)
		}
		if got, err := w.Svc.Advisor(w.Ctx, w.Admin, adv.ID); err != nil || got.Villages != 5 {
			t.Errorf("advisor's village count: got %v, %v, want 5", got.Villages, err)
		}
	})
}

func TestLoadLimitFromSettings(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		set := counsel.DefaultSettings()
		set.LoadLimit = 2
		if err := w.Svc.SaveSettings(w.Ctx, w.ZNBureau, testworld.ZN, set); err != nil {
			t.Fatalf("save settings: %v", err)
		}
		got, err := w.Svc.Settings(w.Ctx, w.Judicial, "")
		if err != nil || got.LoadLimit != 2 {
			t.Fatalf("settings seen from a town: got %+v, %v, want load limit 2", got, err)
		}
		adv := w.ZA2
		for i := 0; i < 2; i++ {
			if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, w.NewAgreement(adv, testworld.ShanheVillages[3+i], counsel.AgreementSigned)); err != nil {
				t.Fatalf("agreement %d of 2: got %v, want nil", i+1, err)
			}
		}
		err = w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, w.NewAgreement(adv, testworld.ShanheVillages[5], counsel.AgreementSigned))
		swLoadErr(t, "3rd agreement with limit 2", err, adv.Name, 2, 2)
		// 镜湖区 keeps the default of 5.
		jh := w.AdvisorOf(counsel.System, w.JP1, "郭华", "13800000009")
		villages, err := registry.Villages(w.Ctx, w.DB, testworld.Fangcun)
		if err != nil || len(villages) < 5 {
			t.Fatalf("villages of 方村街道: got %d, %v", len(villages), err)
		}
		for i := 0; i < 5; i++ {
			g := w.NewAgreement(jh, villages[i].Code, counsel.AgreementDraft)
			if err := w.Svc.SaveAgreement(w.Ctx, w.JHBureau, g); err != nil {
				t.Errorf("镜湖区 agreement %d of 5 while 正宁县's limit is 2: got %v, want nil", i+1, err)
			}
		}
		// Settings are validated, and only the county's bureau (or the admin) changes them.
		bad := counsel.DefaultSettings()
		bad.LoadLimit = 0
		testworld.WantField(t, "load limit 0", w.Svc.SaveSettings(w.Ctx, w.ZNBureau, testworld.ZN, bad), "load_limit", "err.range")
		testworld.WantCode(t, "镜湖区 bureau saves 正宁县 settings", w.Svc.SaveSettings(w.Ctx, w.JHBureau, testworld.ZN, set), counsel.CodeForbidden)
		testworld.WantCode(t, "judicial office saves settings", w.Svc.SaveSettings(w.Ctx, w.Judicial, testworld.ZN, set), counsel.CodeForbidden)
	})
}

// TestLoadLimitLoweredKeepsEdits: lowering a county's limit must not lock the
// agreements advisors already hold: editing one (a note, a date) changes no
// load. Only a new binding is checked against the new limit.
func TestLoadLimitLoweredKeepsEdits(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		adv := w.ZA2
		var gs []*counsel.Agreement
		for i := 0; i < 4; i++ {
			gs = append(gs, w.Agreement(w.ZNBureau, adv, testworld.ShanheVillages[3+i], counsel.AgreementSigned))
		}
		set := counsel.DefaultSettings()
		set.LoadLimit = 2
		if err := w.Svc.SaveSettings(w.Ctx, w.ZNBureau, testworld.ZN, set); err != nil {
			t.Fatal(err)
		}
		gs[0].Note = "更正备注"
		if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, gs[0]); err != nil {
			t.Errorf("edit the note of an existing agreement after the limit was lowered to 2: got %v, want nil", err)
		}
		gs[1].Status = counsel.AgreementFiled
		if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, gs[1]); err != nil {
			t.Errorf("file an existing agreement (edit form) after the limit was lowered: got %v, want nil", err)
		}
		swLoadErr(t, "a new agreement over the lowered limit",
			w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, w.NewAgreement(adv, testworld.ShanheVillages[8], counsel.AgreementDraft)), adv.Name, 4, 2)
	})
}

func TestAgreementStatusMoves(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		g := w.Agreement(a, w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		if g.Status != counsel.AgreementDraft || g.Deadline != "2026-03-31" {
			t.Fatalf("new agreement: got status %q deadline %q, want draft 2026-03-31", g.Status, g.Deadline)
		}
		_, err := w.Svc.MoveAgreement(w.Ctx, a, g.ID, counsel.AgreementFiled, "2026-02-01")
		testworld.WantField(t, "draft → filed", err, "status", "err.status_move")
		// The same move through the edit form is refused too.
		jump := *g
		jump.Status = counsel.AgreementFiled
		testworld.WantField(t, "draft → filed (save)", w.Svc.SaveAgreement(w.Ctx, a, &jump), "status", "err.status_move")

		moves := []struct {
			to, day           string
			signedOn, filedOn string
		}{
			{counsel.AgreementSigned, "2026-02-01", "2026-02-01", ""},
			{counsel.AgreementFiled, "2026-04-15", "2026-02-01", "2026-04-15"},
			{counsel.AgreementEnded, "2026-06-01", "2026-02-01", "2026-04-15"},
		}
		for _, m := range moves {
			got, err := w.Svc.MoveAgreement(w.Ctx, a, g.ID, m.to, m.day)
			if err != nil {
				t.Fatalf("move to %s: got %v, want nil", m.to, err)
			}
			if got.Status != m.to || got.SignedOn != m.signedOn || got.FiledOn != m.filedOn {
				t.Errorf("after %s: got status %q signed %q filed %q, want %q %q %q", m.to, got.Status, got.SignedOn, got.FiledOn, m.to, m.signedOn, m.filedOn)
			}
			stored, err := w.Svc.Agreement(w.Ctx, a, g.ID)
			if err != nil || stored.Status != m.to || stored.FiledOn != m.filedOn {
				t.Errorf("stored after %s: got %+v, %v", m.to, stored, err)
			}
		}
		stored, _ := w.Svc.Agreement(w.Ctx, a, g.ID)
		if !stored.Late(w.Lg.Today()) {
			t.Errorf("agreement filed 2026-04-15 with deadline %s: Late = false, want true", stored.Deadline)
		}
		_, err = w.Svc.MoveAgreement(w.Ctx, a, g.ID, counsel.AgreementSigned, "")
		testworld.WantField(t, "ended → signed", err, "status", "err.status_move")
		closed := *stored
		closed.Note = "x"
		testworld.WantCode(t, "edit an ended agreement", w.Svc.SaveAgreement(w.Ctx, a, &closed), counsel.CodeConflict)
		_, err = w.Svc.MoveAgreement(w.Ctx, a, g.ID+1000, counsel.AgreementSigned, "")
		testworld.WantCode(t, "move a missing agreement", err, counsel.CodeNotFound)

		// Without a day the move is stamped with today (China time).
		h := w.Agreement(a, w.ZA2, testworld.Caiyu, counsel.AgreementDraft)
		if got, err := w.Svc.MoveAgreement(w.Ctx, a, h.ID, counsel.AgreementSigned, ""); err != nil || got.SignedOn != "2026-06-15" {
			t.Errorf("sign without a day: got %+v, %v, want signed on 2026-06-15", got, err)
		}
		if got, err := w.Svc.MoveAgreement(w.Ctx, a, h.ID, counsel.AgreementFiled, "2026-13-01"); err == nil {
			t.Errorf("file on a bad day: got %+v, want an error", got)
		}
		// Filing on time is not late; the on-time fixture g1 is not late either.
		if got, err := w.Svc.MoveAgreement(w.Ctx, a, h.ID, counsel.AgreementFiled, "2026-03-31"); err != nil || got.Late(w.Lg.Today()) {
			t.Errorf("filed on the deadline: got %+v, %v, want not late", got, err)
		}
		late, err := w.Svc.Agreements(w.Ctx, a, counsel.Filter{Status: "late", Today: w.Lg.Today(), Page: counsel.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		ids := testworld.IDs(late.Items, func(x counsel.Agreement) int64 { return x.ID })
		// g (filed 04-15) is ended; g2 is signed and unfiled past 03-31.
		if !ids[w.G2.ID] || ids[w.G1.ID] || ids[h.ID] {
			t.Errorf("late agreements: got %v, want %d (signed, unfiled) and not %d or %d (filed on time)", ids, w.G2.ID, w.G1.ID, h.ID)
		}
	})
}

func TestFilingDeadlineFromSettings(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		tests := []struct {
			monthDay, start, want string
		}{
			{"03-31", "2026-01-01", "2026-03-31"},
			{"03-31", "2026-05-01", "2027-03-31"},
			{"04-30", "2026-04-01", "2026-04-30"},
		}
		for i, tt := range tests {
			set := counsel.DefaultSettings()
			set.FilingMonthDay = tt.monthDay
			if err := w.Svc.SaveSettings(w.Ctx, w.Admin, testworld.ZN, set); err != nil {
				t.Fatal(err)
			}
			g := w.NewAgreement(w.ZA2, testworld.ShanheVillages[3+i], counsel.AgreementDraft)
			g.StartDate = tt.start
			g.EndDate = "2027-12-31"
			if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, g); err != nil {
				t.Fatal(err)
			}
			if g.Deadline != tt.want {
				t.Errorf("deadline of an agreement from %s with filing day %s: got %q, want %q", tt.start, tt.monthDay, g.Deadline, tt.want)
			}
		}
	})
}

func TestCoverageAfterFiling(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		town := func() (villages, covered int) {
			t.Helper()
			rows, err := w.Svc.Coverage(w.Ctx, a, testworld.ZN)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Code == testworld.Shanhe {
					return r.Villages, r.Covered
				}
			}
			t.Fatalf("coverage: no row for 山河镇 in %+v", rows)
			return 0, 0
		}
		uncovered := func(region string) map[string]bool {
			t.Helper()
			rs, err := w.Svc.Uncovered(w.Ctx, a, region)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]bool{}
			for _, r := range rs {
				out[r.Code] = true
			}
			return out
		}
		n, c := town()
		if n != len(testworld.ShanheVillages) || c != 1 {
			t.Fatalf("山河镇 before: got %d villages, %d covered, want %d and 1 (东关村)", n, c, len(testworld.ShanheVillages))
		}
		if u := uncovered(testworld.Shanhe); len(u) != n-1 || u[testworld.Dongguan] || !u[testworld.Xiguan] {
			t.Errorf("uncovered in 山河镇 before: got %d (东关村 %v, 西关村 %v), want %d without 东关村", len(u), u[testworld.Dongguan], u[testworld.Xiguan], n-1)
		}
		g := w.Agreement(a, w.ZA2, testworld.Xiguan, counsel.AgreementSigned)
		if _, c := town(); c != 1 {
			t.Errorf("after signing only: got %d covered, want 1 (a signed agreement does not cover)", c)
		}
		if _, err := w.Svc.MoveAgreement(w.Ctx, a, g.ID, counsel.AgreementFiled, "2026-06-10"); err != nil {
			t.Fatal(err)
		}
		if _, c := town(); c != 2 {
			t.Errorf("after filing 西关村: got %d covered, want 2", c)
		}
		if u := uncovered(testworld.Shanhe); u[testworld.Xiguan] || len(u) != n-2 {
			t.Errorf("uncovered after filing: got %d, 西关村 %v, want %d without 西关村", len(u), u[testworld.Xiguan], n-2)
		}
		// An agreement not yet in force (starts next year) does not cover.
		next := w.NewAgreement(w.ZA2, testworld.Caiyu, counsel.AgreementFiled)
		next.StartDate, next.EndDate = "2027-01-01", "2027-12-31"
		if err := w.Svc.SaveAgreement(w.Ctx, a, next); err != nil {
			t.Fatal(err)
		}
		if u := uncovered(testworld.Shanhe); !u[testworld.Caiyu] {
			t.Errorf("village with a filed agreement starting 2027: covered, want uncovered in 2026")
		}
		// A filed packaged agreement covers every village of its town.
		if u := uncovered(testworld.Yulinzi); !u[testworld.Xiaositou] || len(u) == 0 {
			t.Fatalf("榆林子镇 before packaging: got %d uncovered, want all", len(u))
		}
		pkg := w.NewAgreement(w.ZA3, testworld.Yulinzi, counsel.AgreementFiled)
		pkg.Packaged = true
		if err := w.Svc.SaveAgreement(w.Ctx, a, pkg); err != nil {
			t.Fatal(err)
		}
		if u := uncovered(testworld.Yulinzi); len(u) != 0 {
			t.Errorf("榆林子镇 with a filed packaged agreement: got %d uncovered, want 0", len(u))
		}
		// Ending the agreement uncovers the village again.
		if _, err := w.Svc.MoveAgreement(w.Ctx, a, w.G1.ID, counsel.AgreementEnded, "2026-06-12"); err != nil {
			t.Fatal(err)
		}
		if u := uncovered(testworld.Shanhe); !u[testworld.Dongguan] {
			t.Errorf("东关村 after its agreement ended: covered, want uncovered")
		}
		// Outside the actor's scope: not found; bad codes: invalid.
		_, err := w.Svc.Coverage(w.Ctx, a, testworld.JH)
		testworld.WantCode(t, "coverage of another county", err, counsel.CodeNotFound)
		_, err = w.Svc.Uncovered(w.Ctx, a, "62102")
		testworld.WantCode(t, "uncovered with a bad code", err, counsel.CodeInvalid)
		_, err = w.Svc.Coverage(w.Ctx, w.Provider, "")
		testworld.WantCode(t, "coverage for a provider manager", err, counsel.CodeForbidden)
	})
}

func TestAgreementAdvisorChecks(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		// An advisor of another county.
		g := w.NewAgreement(w.JA1, testworld.Xiguan, counsel.AgreementDraft)
		err := w.Svc.SaveAgreement(w.Ctx, a, g)
		testworld.WantField(t, "advisor of 镜湖区 for a 正宁县 village", err, "advisor_id", "err.advisor_county")
		// Advisor and provider that do not belong together.
		g = w.NewAgreement(w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		g.ProviderID = w.ZP2.ID
		testworld.WantField(t, "advisor of another provider", w.Svc.SaveAgreement(w.Ctx, a, g), "advisor_id", "err.advisor_provider")
		// An inactive advisor.
		off := *w.ZA2
		off.Active = false
		if err := w.Svc.SaveAdvisor(w.Ctx, a, &off); err != nil {
			t.Fatal(err)
		}
		g = w.NewAgreement(w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		testworld.WantField(t, "inactive advisor", w.Svc.SaveAgreement(w.Ctx, a, g), "advisor_id", "err.advisor_inactive")
		// A missing village code.
		g = w.NewAgreement(w.ZA1, "621025100299", counsel.AgreementDraft)
		testworld.WantField(t, "unknown village", w.Svc.SaveAgreement(w.Ctx, a, g), "region_code", "err.reference")
		// The provider defaults to the advisor's.
		g = w.NewAgreement(w.ZA1, testworld.Xiguan, counsel.AgreementDraft)
		g.ProviderID = 0
		if err := w.Svc.SaveAgreement(w.Ctx, a, g); err == nil && g.ProviderID != w.ZP1.ID {
			t.Errorf("agreement without provider: got provider %d, want the advisor's %d", g.ProviderID, w.ZP1.ID)
		}
	})
}

// TestLoadLimitCountsOverlappingTerms: only agreements in force together with
// the new one count (issue 11, 4): an advisor with 4 villages in 2026 and
// 1 in 2025 may take a 5th in 2026, and two agreements that follow each
// other count once.
func TestLoadLimitCountsOverlappingTerms(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		adv := w.ZA2 // no agreement yet
		save := func(village, start, end, status string) error {
			g := w.NewAgreement(adv, village, status)
			g.StartDate, g.EndDate = start, end
			return w.Svc.SaveAgreement(w.Ctx, a, g)
		}
		// Last year's agreement, still on file.
		if err := save(testworld.ShanheVillages[0], "2025-01-01", "2025-12-31", counsel.AgreementFiled); err != nil {
			t.Fatalf("2025 agreement: %v", err)
		}
		for i := 1; i <= 4; i++ {
			if err := save(testworld.ShanheVillages[i], "2026-01-01", "2026-12-31", counsel.AgreementFiled); err != nil {
				t.Fatalf("2026 agreement %d: %v", i, err)
			}
		}
		if err := save(testworld.ShanheVillages[5], "2026-01-01", "2026-12-31", counsel.AgreementDraft); err != nil {
			t.Errorf("5th village in 2026 with 4 in 2026 and 1 in 2025: got %v, want nil", err)
		}
		swLoadErr(t, "6th village in 2026", save(testworld.ShanheVillages[6], "2026-03-01", "2026-12-31", counsel.AgreementDraft), adv.Name, 5, 5)
		// Next year's agreement counts only against next year's.
		if err := save(testworld.ShanheVillages[6], "2027-01-01", "2027-12-31", counsel.AgreementDraft); err != nil {
			t.Errorf("a 2027 agreement with 5 in 2026: got %v, want nil", err)
		}
		// A term that reaches into 2026 meets the 2026 load.
		swLoadErr(t, "term Dec 2026 – 2027", save(testworld.ShanheVillages[7], "2026-12-01", "2027-11-30", counsel.AgreementDraft), adv.Name, 5, 5)
		// Stretching an agreement into a full year is taking on more days.
		g := w.NewAgreement(adv, testworld.ShanheVillages[8], counsel.AgreementDraft)
		g.StartDate, g.EndDate = "2027-02-01", "2027-12-31"
		if err := w.Svc.SaveAgreement(w.Ctx, a, g); err != nil {
			t.Fatalf("a second 2027 agreement: %v", err)
		}
		g.StartDate = "2026-12-31"
		swLoadErr(t, "stretch a 2027 agreement into 2026", w.Svc.SaveAgreement(w.Ctx, a, g), adv.Name, 5, 5)
	})
}

// TestLoadOfFollowingTerms: agreements that follow each other in a term are
// never in force together, so they count once.
func TestLoadOfFollowingTerms(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		set := counsel.DefaultSettings()
		set.LoadLimit = 2
		if err := w.Svc.SaveSettings(w.Ctx, w.ZNBureau, testworld.ZN, set); err != nil {
			t.Fatal(err)
		}
		adv := w.ZA2
		for i, term := range [][2]string{{"2026-01-01", "2026-06-30"}, {"2026-07-01", "2026-12-31"}, {"2026-01-01", "2026-12-31"}} {
			g := w.NewAgreement(adv, testworld.ShanheVillages[i], counsel.AgreementDraft)
			g.StartDate, g.EndDate = term[0], term[1]
			if err := w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, g); err != nil {
				t.Fatalf("agreement %v (at most 2 at once): %v", term, err)
			}
		}
		g := w.NewAgreement(adv, testworld.ShanheVillages[3], counsel.AgreementDraft)
		g.StartDate, g.EndDate = "2026-06-01", "2026-08-31"
		swLoadErr(t, "a 3rd at once", w.Svc.SaveAgreement(w.Ctx, w.ZNBureau, g), adv.Name, 2, 2)
	})
}

// TestOnlyBureauFiles: filing (备案) is the county bureau's act (issue 11, 7):
// a town's judicial office signs (submits) but cannot file, by a status move
// or by saving; the county bureau and the administrator file.
func TestOnlyBureauFiles(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		j := w.Judicial // 山河镇
		g := w.Agreement(j, w.ZA2, testworld.Xiguan, counsel.AgreementDraft)
		if _, err := w.Svc.MoveAgreement(w.Ctx, j, g.ID, counsel.AgreementSigned, "2026-02-01"); err != nil {
			t.Fatalf("judicial office signs: %v", err)
		}
		before := w.Counts()
		_, err := w.Svc.MoveAgreement(w.Ctx, j, g.ID, counsel.AgreementFiled, "2026-02-10")
		testworld.WantCode(t, "judicial office files", err, counsel.CodeForbidden)
		signed, _ := w.Svc.Agreement(w.Ctx, j, g.ID)
		filed := *signed
		filed.Status = counsel.AgreementFiled
		testworld.WantCode(t, "judicial office files by saving", w.Svc.SaveAgreement(w.Ctx, j, &filed), counsel.CodeForbidden)
		fresh := w.NewAgreement(w.ZA2, testworld.Caiyu, counsel.AgreementFiled)
		testworld.WantCode(t, "judicial office creates a filed agreement", w.Svc.SaveAgreement(w.Ctx, j, fresh), counsel.CodeForbidden)
		w.SameCounts("after the refused filings", before, w.Counts())
		if got, _ := w.Svc.Agreement(w.Ctx, j, g.ID); got.Status != counsel.AgreementSigned || got.FiledOn != "" {
			t.Fatalf("after the refusals: status %q filed %q, want signed, unfiled", got.Status, got.FiledOn)
		}
		// The city bureau only reads.
		_, err = w.Svc.MoveAgreement(w.Ctx, w.City, g.ID, counsel.AgreementFiled, "2026-02-10")
		testworld.WantCode(t, "city bureau files", err, counsel.CodeForbidden)
		if got, err := w.Svc.MoveAgreement(w.Ctx, w.ZNBureau, g.ID, counsel.AgreementFiled, "2026-02-10"); err != nil || got.FiledOn != "2026-02-10" {
			t.Fatalf("county bureau files: %+v, %v", got, err)
		}
		// The office may still edit the filed agreement's details.
		got, _ := w.Svc.Agreement(w.Ctx, j, g.ID)
		got.Note = "补充说明"
		if err := w.Svc.SaveAgreement(w.Ctx, j, got); err != nil {
			t.Errorf("judicial office edits a filed agreement: %v", err)
		}
		adm := w.Agreement(j, w.ZA2, testworld.Caiyu, counsel.AgreementSigned)
		if _, err := w.Svc.MoveAgreement(w.Ctx, w.Admin, adm.ID, counsel.AgreementFiled, ""); err != nil {
			t.Errorf("admin files: %v", err)
		}
	})
}
