package apptest_test

import (
	"bytes"
	"regexp"
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

// Every list's export answers with its header row and the rows of the list
// on screen; phones are masked for a reader who sees them masked.
func TestListExports(t *testing.T) {
	app := apptest.New(t)
	phone := regexp.MustCompile(`1[3-9]\d{9}`)
	for _, c := range []struct {
		who, list, export, header string
		rows                      int  // rows the API list reports, -1 to skip
		masked                    bool // the reader sees phones masked on screen
	}{
		{"zn-bureau", "/api/v1/persons?limit=500", "/persons.xlsx", "姓名", 0, false},
		{"zn-city", "/api/v1/persons?limit=500", "/persons.xlsx", "姓名", 0, true},
		{"zn-provider", "/api/v1/persons?limit=500", "/persons.xlsx", "姓名", 0, true},
		{"zn-city", "/api/v1/users?limit=500", "/users.xlsx", "用户名", 0, true},
		{"zn-bureau", "/api/v1/consultations?limit=500", "/consultations.xlsx", "", 0, true},
		{"zn-bureau", "/api/v1/major-reports?limit=500", "/major.xlsx", "", 0, false},
		{"admin", "", "/boards.xlsx?region=621025100000", "", -1, false},
		{"admin", "", "/audit.xlsx?entity=entry", "", -1, false},
	} {
		cl := app.Session(c.who)
		rows := sheetRows(t, cl.XLSX(t, c.export))
		if len(rows) < 2 {
			t.Fatalf("%s %s: %d rows", c.who, c.export, len(rows))
		}
		if c.header != "" && !strings.Contains(strings.Join(rows[1], "|"), c.header) {
			t.Fatalf("%s %s: header %q lacks %s", c.who, c.export, rows[1], c.header)
		}
		if c.rows == 0 && c.list != "" {
			var l struct {
				Total int `json:"total"`
			}
			if st := cl.JSON("GET", c.list, nil, &l); st != 200 {
				t.Fatalf("%s %s: status %d", c.who, c.list, st)
			}
			if len(rows)-2 != l.Total {
				t.Fatalf("%s %s: %d rows, the list has %d", c.who, c.export, len(rows)-2, l.Total)
			}
		}
		if c.masked {
			if c.header == "姓名" && len(rows) > 2 && !strings.Contains(strings.Join(rows[2], " "), "*") {
				t.Fatalf("%s %s: no masked phone in %q", c.who, c.export, rows[2])
			}
			for _, r := range rows[2:] {
				if m := phone.FindString(strings.Join(r, " ")); m != "" {
					t.Fatalf("%s %s: a whole phone number %s in %q", c.who, c.export, m, r)
				}
			}
		}
		t.Logf("%s %s: %d rows", c.who, c.export, len(rows)-2)
	}
}
