package registry_test

import (
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/internal/testworld"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// swImportRows are three good 附件1 rows as a clerk writes them: two persons
// of 东关村 with its advisor 王伟, and a person of 小寺头村 (written as
// 小寺头村委会) with a new advisor of a new firm.
func (w *svcWorld) swImportRows() []xlsx.PairingRow {
	return []xlsx.PairingRow{
		{Row: 4, Town: "山河镇", Village: "东关村", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name, AdvisorPhone: w.ZA1.Phone,
			PersonName: "冯刚", Position: "村委委员", PersonPhone: "13600000001", PairedOn: "2026-04-01"},
		{Row: 5, Town: "山河镇", Village: "东关村", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name, AdvisorPhone: w.ZA1.Phone,
			PersonName: "于红", Position: "人民调解员", PersonPhone: "13600000002", PairedOn: "2026-04-01"},
		{Row: 6, Town: "榆林子镇", Village: "小寺头村委会", AdvisorName: "董建国", Firm: "甘肃恒信律师事务所", AdvisorPhone: "13600000003",
			PersonName: "萧玉兰", Position: "党支部书记", PersonPhone: "13600000004", PairedOn: "2026-04-02"},
	}
}

func TestImportPairings(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		rows := w.swImportRows()
		before := w.Counts()
		res, err := w.Svc.ImportPairings(w.Ctx, a, "", rows, nil)
		if err != nil {
			t.Fatalf("first import: %v", err)
		}
		want := swCounts{Rows: 3, Providers: 1, Advisors: 1, PersonsCreated: 3, Pairings: 3}
		if got := swImportCounts(res); got != want {
			t.Errorf("first import: got %+v, want %+v", got, want)
		}
		if len(res.WithoutAgreement) != 1 || res.WithoutAgreement[0] != "小寺头村委会" {
			t.Errorf("villages without the advisor's agreement: got %v, want [小寺头村委会]", res.WithoutAgreement)
		}
		after := w.Counts()
		for table, n := range map[string]int{"providers": 1, "advisors": 1, "persons": 3, "pairings": 3} {
			if after[table]-before[table] != n {
				t.Errorf("first import: table %s grew by %d, want %d", table, after[table]-before[table], n)
			}
		}
		// The persons landed in the right villages, with their 两委 flag.
		ps, err := w.Pn.Persons(w.Ctx, a, testworld.All)
		if err != nil {
			t.Fatal(err)
		}
		where := map[string]counsel.Person{}
		for _, p := range ps.Items {
			where[p.Name] = p
		}
		if p := where["萧玉兰"]; p.VillageCode != testworld.Xiaositou || !p.Committee {
			t.Errorf("萧玉兰: got village %s committee %v, want %s true", p.VillageCode, p.Committee, testworld.Xiaositou)
		}
		if p := where["于红"]; p.VillageCode != testworld.Dongguan || p.Committee {
			t.Errorf("于红: got village %s committee %v, want %s false", p.VillageCode, p.Committee, testworld.Dongguan)
		}

		// The same file again changes nothing.
		res, err = w.Svc.ImportPairings(w.Ctx, a, "", w.swImportRows(), nil)
		if err != nil {
			t.Fatalf("second import: %v", err)
		}
		want = swCounts{Rows: 3, Unchanged: 3}
		if got := swImportCounts(res); got != want {
			t.Errorf("second import: got %+v, want %+v", got, want)
		}
		again := w.Counts()
		for _, table := range []string{"providers", "advisors", "persons", "pairings"} {
			if again[table] != after[table] {
				t.Errorf("second import: table %s has %d rows, want %d (unchanged)", table, again[table], after[table])
			}
		}

		// A changed position updates the person and nothing else.
		rows = w.swImportRows()
		rows[1].Position = "村委会主任"
		res, err = w.Svc.ImportPairings(w.Ctx, a, "", rows, nil)
		if err != nil {
			t.Fatal(err)
		}
		want = swCounts{Rows: 3, PersonsUpdated: 1, Unchanged: 3}
		if got := swImportCounts(res); got != want {
			t.Errorf("import with a changed position: got %+v, want %+v", got, want)
		}
	})
}

// TestImportPairingsVillageNamesAsWritten imports villages written the ways
// clerks write them; a misspelt one names its row, column and the closest
// villages, and nothing is written.
func TestImportPairingsVillageNamesAsWritten(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		rows := w.swImportRows()
		rows[0].Village = "东关村委员会"
		rows[1].Village = "山河镇东关村"
		rows[2].Village = "小寺头"
		rows = append(rows, xlsx.PairingRow{Row: 7, Town: "山河镇", Village: "东城社区", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name,
			AdvisorPhone: w.ZA1.Phone, PersonName: "路人", Position: "村民", PersonPhone: "13600000009", PairedOn: "2026-04-01"})
		res, err := w.Svc.ImportPairings(w.Ctx, a, "", rows, nil)
		if err != nil {
			t.Fatalf("import of villages as written: %v", err)
		}
		if res.PairingsCreated != 4 {
			t.Errorf("import of villages as written: got %d pairings, want 4", res.PairingsCreated)
		}

		before := w.Counts()
		bad := w.swImportRows()
		bad[1].Village = "东光村"
		_, err = w.Svc.ImportPairings(w.Ctx, a, "", bad, nil)
		f := testworld.Field(err, "village")
		if f == nil || f.Row != 5 || f.Column != "B" || f.Key != "imp.village_closest" {
			t.Fatalf("import of 东光村: got %v, want row 5 column B imp.village_closest", err)
		}
		if got, want := i18n.T("zh", f.Key, f.Args...), "未找到“东光村”，是否为“东关村委会”？"; got != want {
			t.Errorf("message: got %q, want %q", got, want)
		}
		w.SameCounts("after a rejected import", before, w.Counts())
	})
}

func TestImportPairingsRejectsBadRows(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		a := w.ZNBureau
		before := w.Counts()
		rows := w.swImportRows()
		rows = append(rows, xlsx.PairingRow{Row: 7, Town: "山河镇", Village: "不存在村", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name,
			AdvisorPhone: w.ZA1.Phone, PersonName: "路人", Position: "村民", PersonPhone: "13600000009", PairedOn: "2026-04-01"})
		rows = append(rows, xlsx.PairingRow{Row: 8, Town: "宫河镇", Village: "东关村", AdvisorName: w.ZA1.Name, Firm: w.ZP1.Name,
			AdvisorPhone: w.ZA1.Phone, PersonName: "路人乙", Position: "村民", PersonPhone: "13600000010", PairedOn: "2026-04-01"})
		res, err := w.Svc.ImportPairings(w.Ctx, a, "", rows, nil)
		if err == nil {
			t.Fatalf("import with an unknown village: got %+v, want an error", res)
		}
		if testworld.Code(err) != counsel.CodeInvalid {
			t.Errorf("import with an unknown village: got %v, want invalid", err)
		}
		e, _ := err.(*counsel.Error)
		if e == nil || e.Key != "imp.rejected" || len(e.Fields) != 2 {
			t.Fatalf("import error: got %v, want imp.rejected with the two bad rows", err)
		}
		tests := []struct {
			row      int
			col, key string
		}{
			{7, "B", "imp.village_unknown"},
			{8, "B", "imp.village_closest"}, // 宫河镇 has no 东关村; 东里村委会 is spelled alike
		}
		for i, tt := range tests {
			f := e.Fields[i]
			if f.Row != tt.row || f.Column != tt.col || f.Key != tt.key {
				t.Errorf("bad row %d: got row %d column %q key %q, want row %d column %s key %s", i, f.Row, f.Column, f.Key, tt.row, tt.col, tt.key)
			}
		}
		if len(e.Args) != 1 || e.Args[0] != 2 {
			t.Errorf("imp.rejected args: got %v, want [2] (rows with errors)", e.Args)
		}
		w.SameCounts("after a rejected import", before, w.Counts())

		// Errors the reader found are passed in: nothing is written either.
		parseErrs := []counsel.FieldError{{Row: 9, Column: "H", Field: "person_phone", Key: "imp.bad_phone", Args: []any{"123"}}}
		_, err = w.Svc.ImportPairings(w.Ctx, a, "", w.swImportRows(), parseErrs)
		if testworld.Code(err) != counsel.CodeInvalid {
			t.Fatalf("import with parse errors: got %v, want invalid", err)
		}
		if f := testworld.Field(err, "person_phone"); f == nil || f.Row != 9 {
			t.Errorf("import with parse errors: got %v, want the reader's row 9 error", err)
		}
		w.SameCounts("after an import with parse errors", before, w.Counts())

		// A town outside a judicial office's scope, and an unknown town.
		_, err = w.Svc.ImportPairings(w.Ctx, w.Judicial, "", []xlsx.PairingRow{w.swImportRows()[2]}, nil)
		if f := testworld.Field(err, "town"); f == nil || f.Key != "imp.town_out_of_scope" || f.Row != 6 {
			t.Errorf("judicial office imports a 榆林子镇 row: got %v, want imp.town_out_of_scope on row 6", err)
		}
		bad := w.swImportRows()[:1]
		bad[0].Town = "火星镇"
		_, err = w.Svc.ImportPairings(w.Ctx, a, "", bad, nil)
		if f := testworld.Field(err, "town"); f == nil || f.Key != "imp.town_unknown" {
			t.Errorf("unknown town: got %v, want imp.town_unknown", err)
		}
		// Empty files and foreign actors.
		_, err = w.Svc.ImportPairings(w.Ctx, a, "", nil, nil)
		if e, ok := err.(*counsel.Error); !ok || e.Key != "imp.empty" {
			t.Errorf("empty import: got %v, want imp.empty", err)
		}
		_, err = w.Svc.ImportPairings(w.Ctx, w.Provider, "", w.swImportRows(), nil)
		testworld.WantCode(t, "provider manager imports", err, counsel.CodeForbidden)
		_, err = w.Svc.ImportPairings(w.Ctx, w.Admin, "", w.swImportRows(), nil)
		testworld.WantField(t, "admin imports without a region", err, "region", "err.import_region")
		w.SameCounts("after refused imports", before, w.Counts())
	})
}

// TestImportPairingsNormalizesRows: rows built by hand (the JSON API, a
// script) carry phones and names as people type them; importing them twice
// must still find what the first import created.
func TestImportPairingsNormalizesRows(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rows := w.swImportRows()
		rows[0].PersonPhone = "136 0000 0001"
		rows[2].AdvisorPhone = "+86 136-0000-0003"
		rows[2].PersonName = "萧 玉兰"
		if _, err := w.Svc.ImportPairings(w.Ctx, w.ZNBureau, "", rows, nil); err != nil {
			t.Fatalf("first import: %v", err)
		}
		res, err := w.Svc.ImportPairings(w.Ctx, w.ZNBureau, "", rows, nil)
		if err != nil {
			t.Fatalf("second import of rows with unnormalized phones and names: got %v, want nil", err)
		}
		if got, want := swImportCounts(res), (swCounts{Rows: 3, Unchanged: 3}); got != want {
			t.Errorf("second import: got %+v, want %+v", got, want)
		}
	})
}

// swCounts are the counters of an import result.
type swCounts struct {
	Rows, Providers, Advisors, PersonsCreated, PersonsUpdated, Pairings, Unchanged int
}

func swImportCounts(r *registry.ImportResult) swCounts {
	if r == nil {
		return swCounts{Rows: -1}
	}
	return swCounts{Rows: r.Rows, Providers: r.ProvidersCreated, Advisors: r.AdvisorsCreated, PersonsCreated: r.PersonsCreated,
		PersonsUpdated: r.PersonsUpdated, Pairings: r.PairingsCreated, Unchanged: r.Unchanged}
}
