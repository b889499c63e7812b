package apptest_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel/apptest"
)

// The round's results export as the practice assessment's table: the
// fixture advisor's row carries the points in points (not tenths) and the
// grade in Chinese.
func TestAssessResultsXLSX(t *testing.T) {
	app := apptest.New(t)
	x := fixtureIDs(t, app.DB)
	withPublishedRound(true)(t, app, x)
	resp := app.Session("zn-bureau").Do("GET", "/assess/rounds/"+asPublished+"/results.xlsx", nil, "")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %.200s", resp.StatusCode, b)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, r := range rows {
		if len(r) >= 7 && r[0] == "1" {
			found = r
		}
	}
	if len(found) < 7 || found[4] != "12" || found[5] != "15" || found[6] != "合格" {
		t.Fatalf("first result row %q, want points 12 of 15 and 合格; rows %q", found, rows)
	}
}
