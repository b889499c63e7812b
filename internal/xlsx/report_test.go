package xlsx

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func sampleReport() []ReportSheet {
	return []ReportSheet{{
		Name:  "台账统计",
		Title: "正宁县村(居)法律顾问工作台账统计表",
		Notes: []string{"统计期间：2026年上半年", "制表日期：2026-06-15"},
		Lead:  []string{"序号", "乡镇（街道）", "村（社区）"},
		Groups: []ColumnGroup{
			{Name: "服务合计", Cols: []string{"次数", "小时"}},
			{Name: "驻点值班", Cols: []string{"次数", "小时"}},
			{Name: "", Cols: []string{"达标率"}},
		},
		Rows: []ReportLine{
			{Lead: []string{"1", "山河镇", ""}, Values: []any{int64(4), Hours(12.5), int64(2), Hours(10), Percent(1)}, Strong: true},
			{Lead: []string{"", "", "东关村委会"}, Values: []any{int64(4), Hours(12.5), int64(2), Hours(10), Percent(1)}},
			{Lead: []string{"", "", "西关村委会"}, Values: []any{int64(0), Hours(0), nil, nil, "—"}},
			{Lead: []string{"合计"}, Span: 3, Values: []any{int64(4), Hours(12.5), int64(2), Hours(10), Percent(0.5)}, Strong: true},
		},
		Footer: []string{"注：小时按服务时长合计。"},
	}, {
		Name: "法律顾问", Title: "法律顾问", Lead: []string{"姓名"},
		Groups: []ColumnGroup{{Cols: []string{"次数"}}},
		Rows:   []ReportLine{{Lead: []string{"王伟"}, Values: []any{3}}},
	}}
}

func TestWriteReportLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteReport(&buf, sampleReport()...); err != nil {
		t.Fatalf("WriteReport: %v", err)
	}
	f := openFile(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "台账统计" || got[1] != "法律顾问" {
		t.Fatalf("sheets = %v", got)
	}
	const sh = "台账统计"
	merges := mergeRefs(t, f, sh)
	for _, ref := range []string{
		"A1:H1", "A2:H2", "A3:H3", // title and notes across the table
		"A4:A5", "B4:B5", "C4:C5", // leading headers over both header rows
		"D4:E4", "F4:G4", // group headers
		"H4:H5",   // a lone column without a group name
		"A9:C9",   // the total's label across the leading columns
		"A10:H10", // the footnote
	} {
		if !merges[ref] {
			t.Errorf("no merge %s (merges %v)", ref, merges)
		}
	}
	for cell, want := range map[string]string{
		"A1": "正宁县村(居)法律顾问工作台账统计表", "A2": "统计期间：2026年上半年",
		"D4": "服务合计", "D5": "次数", "E5": "小时", "H4": "达标率",
		"B6": "山河镇", "C7": "东关村委会", "D7": "4", "E7": "12.5", "H7": "100.0%",
		"F8": "", "H8": "—", "A9": "合计", "H9": "50.0%", "A10": "注：小时按服务时长合计。",
	} {
		if got := cellValue(t, f, sh, cell); got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	// Numbers are numbers, not text.
	if v, err := f.GetCellValue(sh, "E7", excelize.Options{RawCellValue: true}); err != nil || v != "12.5" {
		t.Errorf("E7 raw = %q, %v", v, err)
	}
	if typ, _ := f.GetCellType(sh, "D7"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("D7 is a string")
	}
	// Print setup: A4 landscape (8 columns), header rows repeated.
	lay, err := f.GetPageLayout(sh)
	if err != nil || lay.Size == nil || *lay.Size != paperA4 || lay.Orientation == nil || *lay.Orientation != "landscape" {
		t.Errorf("page layout size %v orientation %v, %v", deref(lay.Size), deref(lay.Orientation), err)
	}
	names := f.GetDefinedName()
	found := false
	for _, n := range names {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == sh && n.RefersTo == "'台账统计'!$1:$5" {
			found = true
		}
	}
	if !found {
		t.Errorf("print titles = %+v", names)
	}
	// A small sheet prints portrait.
	if lay, _ := f.GetPageLayout("法律顾问"); lay.Orientation == nil || *lay.Orientation != "portrait" {
		t.Errorf("second sheet orientation = %v", lay.Orientation)
	}
}

func TestWriteReportNoSheets(t *testing.T) {
	if err := WriteReport(&bytes.Buffer{}); err == nil {
		t.Fatal("a report without sheets was written")
	}
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
