package apptest_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/xuri/excelize/v2"
)

// sheetRows reads the first sheet of an xlsx download.
func sheetRows(t *testing.T, b []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("open xlsx: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// The ledger export holds exactly the rows of the list with the filters on
// screen, in the list's order, and only the reader's scope.
func TestEntriesExport(t *testing.T) {
	app := apptest.New(t)
	for _, who := range []string{"admin", "zn-bureau", "jh-bureau", "zn-advisor"} {
		c := app.Session(who)
		var l registry.List[counsel.Entry]
		if st := c.JSON("GET", "/api/v1/entries?kind=onsite_duty&limit=500", nil, &l); st != 200 {
			t.Fatalf("%s: list status %d", who, st)
		}
		rows := sheetRows(t, c.XLSX(t, "/ledger/entries.xlsx?kind=onsite_duty"))
		if len(rows) < 2 || rows[0][0] != "工作台账" || rows[1][0] != "服务日期" || rows[1][1] != "村（社区）" {
			t.Fatalf("%s: header rows %q", who, rows[:min(2, len(rows))])
		}
		data := rows[2:]
		if l.TotalCapped || len(data) != l.Total {
			t.Fatalf("%s: %d rows exported, the list has %d (capped %v)", who, len(data), l.Total, l.TotalCapped)
		}
		for i, r := range data {
			if i < len(l.Items) && (r[0] != l.Items[i].Date || r[1] != l.Items[i].VillageName) {
				t.Fatalf("%s: row %d %q, list has %s %s", who, i, r, l.Items[i].Date, l.Items[i].VillageName)
			}
			if !strings.Contains(r[3], "驻点") {
				t.Fatalf("%s: row %d of another kind: %q", who, i, r)
			}
		}
		t.Logf("%s: %d entries exported", who, len(data))
	}
	// A county's export never holds another county's villages.
	zn := sheetRows(t, app.Session("zn-bureau").XLSX(t, "/ledger/entries.xlsx"))
	jh := sheetRows(t, app.Session("jh-bureau").XLSX(t, "/ledger/entries.xlsx"))
	znV := map[string]bool{}
	for _, r := range zn[2:] {
		znV[r[1]] = true
	}
	for _, r := range jh[2:] {
		if znV[r[1]] {
			t.Fatalf("village %s in both counties' exports", r[1])
		}
	}
	if len(zn) <= 2 {
		t.Fatal("正宁县 exports no entries")
	}
	// The duty status export follows the state on screen.
	rows := sheetRows(t, app.Session("zn-bureau").XLSX(t, "/ledger/duties.xlsx?state=due"))
	var dl registry.List[struct {
		State string `json:"state"`
	}]
	if st := app.Session("zn-bureau").JSON("GET", "/api/v1/duties?state=due&limit=500", nil, &dl); st != 200 {
		t.Fatalf("duties status %d", st)
	}
	if len(rows)-2 != dl.Total {
		t.Fatalf("duties export %d rows, list %d", len(rows)-2, dl.Total)
	}
	for _, r := range rows[2:] {
		if r[len(r)-1] != "进行中" {
			t.Fatalf("duty row %q, want state 进行中", r)
		}
	}
}
