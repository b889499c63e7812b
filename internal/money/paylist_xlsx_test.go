package money

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func samplePayList() *PayList {
	pl := &PayList{Settlement: &Settlement{ID: 7, RegionName: "正宁县", Year: 2026, PeriodStart: "2026-01-01", PeriodEnd: "2026-12-31"},
		PayerKind: PayerCounty, PayerCode: "621025000000", PayerName: "正宁县财政局",
		Rows: []PayRow{
			{VillageName: "东关村委会", TownName: "山河镇", AdvisorName: "王伟", ProviderName: "甘肃正义律师事务所", TermStart: "2026-01-01", TermEnd: "2026-12-31", Months: 12, Fen: 480000},
			{VillageName: "小寺头村委会", TownName: "榆林子镇", AdvisorName: "张敏", ProviderName: "正宁城关法律服务所", TermStart: "2026-01-01", TermEnd: "2026-07-31", Months: 7, Fen: 291667},
			{VillageName: "小寺头村委会", TownName: "榆林子镇", AdvisorName: "李娜", ProviderName: "甘肃正义律师事务所", TermStart: "2026-08-01", TermEnd: "2026-12-31", Months: 5, Fen: 208333},
		}}
	for _, r := range pl.Rows {
		pl.TotalFen += r.Fen
	}
	pl.Capitals = Capitals(pl.TotalFen)
	return pl
}

// TestWritePayList reads the workbook back: the rows' amounts, the total
// row (the sum of the rows to the fen) and the capitals.
func TestWritePayList(t *testing.T) {
	pl := samplePayList()
	var buf bytes.Buffer
	if err := WritePayList(&buf, pl, "2027-01-10"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("拨付清单", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4+3+2 {
		t.Fatalf("rows: %d %v", len(rows), rows)
	}
	if rows[0][0] != "正宁县2026年度村（社区）法律顾问补贴拨付清单" || rows[1][0] != "拨付单位：正宁县财政局" || rows[2][0] != "结算期间：2026年1月1日至2026年12月31日　制表日期：2027年1月10日" {
		t.Errorf("heading: %q", rows[:3])
	}
	for i, want := range []string{"4800", "2916.67", "2083.33"} {
		if got := rows[4+i][7]; got != want {
			t.Errorf("row %d amount %q, want %q", i+1, got, want)
		}
	}
	if tot := rows[7]; tot[0] != "合计" || tot[6] != "3" || tot[7] != "9800" {
		t.Errorf("total row: %q", tot)
	}
	if got := rows[8][0]; got != "合计金额（大写）：玖仟捌佰元整" {
		t.Errorf("capitals row: %q", got)
	}
	if shown, _ := f.GetCellValue("拨付清单", "H6"); shown != "2,916.67" {
		t.Errorf("formatted amount %q, want 2,916.67", shown)
	}
}

func TestChineseDate(t *testing.T) {
	for in, want := range map[string]string{"2026-12-04": "2026年12月4日", "2027-01-10": "2027年1月10日", "bad": "bad"} {
		if got := ChineseDate(in); got != want {
			t.Errorf("ChineseDate(%q) = %q, want %q", in, got, want)
		}
	}
}
