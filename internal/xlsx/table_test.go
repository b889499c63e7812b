package xlsx

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteTable(t *testing.T) {
	headers := []string{"姓名", "联系电话", "村数", "补贴(元)", "在岗", "签订日期", "备注"}
	rows := [][]any{
		{"王明", "13905530001", 3, 5000.5, true, time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC), nil},
		{"赵亮", "0553-3812345", int64(5), 0, false, time.Time{}, strings.Repeat("很长的备注", 30)},
		{"孙丽"}, // short rows are padded
	}
	for _, tc := range []struct {
		name, title string
		header      int
	}{
		{"with title", "村(居)法律顾问名单", 2},
		{"no title", "", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteTable(&buf, "顾问/名单", tc.title, headers, rows); err != nil {
				t.Fatalf("WriteTable: %v", err)
			}
			f := openFile(t, buf.Bytes())
			if got := f.GetSheetList(); !equalStrings(got, []string{"顾问_名单"}) {
				t.Fatalf("got sheets %q, want the sanitised name", got)
			}
			sheet := "顾问_名单"
			h := tc.header
			for _, c := range []struct{ cell, want string }{
				{cellName(0, h), "姓名"},
				{cellName(6, h), "备注"},
				{cellName(0, h+1), "王明"},
				{cellName(1, h+1), "13905530001"},
				{cellName(2, h+1), "3"},
				{cellName(3, h+1), "5000.5"},
				{cellName(4, h+1), "是"},
				{cellName(5, h+1), "2024-03-31"},
				{cellName(6, h+1), ""},
				{cellName(4, h+2), "否"},
				{cellName(5, h+2), ""},
				{cellName(0, h+3), "孙丽"},
			} {
				if got := cellValue(t, f, sheet, c.cell); got != c.want {
					t.Errorf("%s: got %q, want %q", c.cell, got, c.want)
				}
			}
			if typ, _ := f.GetCellType(sheet, cellName(1, h+1)); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
				t.Errorf("phone cell: got type %v, want a string", typ)
			}
			if tc.title != "" {
				if got := cellValue(t, f, sheet, "A1"); got != tc.title {
					t.Errorf("A1: got %q, want the title", got)
				}
				if m := mergeRefs(t, f, sheet); !m["A1:G1"] {
					t.Errorf("got merges %v, want the title over A1:G1", m)
				}
			}
			panes, err := f.GetPanes(sheet)
			if err != nil {
				t.Fatal(err)
			}
			if !panes.Freeze || panes.YSplit != h {
				t.Errorf("got panes %+v, want frozen below row %d", panes, h)
			}
			filter := false
			for _, dn := range f.GetDefinedName() {
				if dn.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(dn.RefersTo, "$A$"+strconv.Itoa(h)+":$G$"+strconv.Itoa(h+3)) {
					filter = true
				}
			}
			if !filter {
				t.Errorf("got defined names %+v, want an autofilter over the header and rows", f.GetDefinedName())
			}
			if w, _ := f.GetColWidth(sheet, "G"); w != 60 {
				t.Errorf("long column: got width %v, want the cap 60", w)
			}
			if w, _ := f.GetColWidth(sheet, "A"); w < 8 || w > 12 {
				t.Errorf("name column: got width %v, want 8–12", w)
			}
		})
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, tc := range []struct{ in, want string }{
		{"张三-李四", "张三-李四"},
		{"张三-李四", "张三-李四(2)"},
		{"张三-李四", "张三-李四(3)"},
		{"a/b:c*d?e[f]g\\h", "a_b_c_d_e_f_g_h"},
		{"'quoted'", "quoted"},
		{"", "Sheet"},
		{"history", "Sheet(2)"},
		{strings.Repeat("长", 40), strings.Repeat("长", 31)},
		{strings.Repeat("长", 40), strings.Repeat("长", 28) + "(2)"},
	} {
		if got := sheetName(tc.in, used); got != tc.want {
			t.Errorf("sheetName(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
}
