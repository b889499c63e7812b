package xlsx

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestWriteVolume(t *testing.T) {
	entries := VolumeSheet{
		Name:     "工作台账",
		Title:    "东关村委会法律顾问工作台账",
		Subtitle: "甘肃省庆阳市正宁县山河镇 · 2026-01-01 至 2026-12-31",
		Groups:   []VolumeGroup{{"卷内序号", 1}, {"服务情况", 3}, {"服务内容及结果", 2}, {"核验", 2}},
		Headers:  []string{"卷内序号", "服务日期", "服务类别", "时长(小时)", "服务内容", "办理结果", "村(社区)确认", "校验码"},
		Text:     []int{4, 5},
		Rows: [][]any{
			{int64(1), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "驻点值班", 2.0, strings.Repeat("解答群众咨询", 20), "已解答", "已确认", "a1b2c3d4e5f6"},
			{int64(2), time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC), "法治讲座", 1.5, "讲解民法典", "", "待确认", "0f0f0f0f0f0f"},
		},
		Total:     []any{"合计", nil, "2 次", 3.5},
		Landscape: true,
	}
	totals := VolumeSheet{Name: "汇总", Title: "汇总", Headers: []string{"服务类别", "次数"}, Rows: [][]any{{"驻点值班", 1}}}
	var buf bytes.Buffer
	if err := WriteVolume(&buf, []VolumeSheet{entries, totals, {Name: "汇总"}}); err != nil {
		t.Fatalf("WriteVolume: %v", err)
	}
	f := openFile(t, buf.Bytes())
	if got := f.GetSheetList(); !equalStrings(got, []string{"工作台账", "汇总", "汇总(2)"}) {
		t.Fatalf("sheets %q", got)
	}
	const sh = "工作台账"
	for _, c := range []struct{ cell, want string }{
		{"A1", "东关村委会法律顾问工作台账"},
		{"A2", "甘肃省庆阳市正宁县山河镇 · 2026-01-01 至 2026-12-31"},
		{"A3", "卷内序号"}, {"B3", "服务情况"}, {"E3", "服务内容及结果"}, {"G3", "核验"},
		{"B4", "服务日期"}, {"D4", "时长(小时)"}, {"H4", "校验码"},
		{"A5", "1"}, {"B5", "2026-03-02"}, {"C5", "驻点值班"}, {"D5", "2"}, {"H5", "a1b2c3d4e5f6"},
		{"D6", "1.5"}, {"F6", ""}, {"G6", "待确认"},
		{"A7", "合计"}, {"C7", "2 次"}, {"D7", "3.5"},
	} {
		if got := cellValue(t, f, sh, c.cell); got != c.want {
			t.Errorf("%s: got %q, want %q", c.cell, got, c.want)
		}
	}
	m := mergeRefs(t, f, sh)
	for _, want := range []string{"A1:H1", "A2:H2", "A3:A4", "B3:D3", "E3:F3", "G3:H3"} {
		if !m[want] {
			t.Errorf("merges %v: missing %s", m, want)
		}
	}
	if typ, _ := f.GetCellType(sh, "D5"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("hours cell type %v, want a number", typ)
	}
	// Long text is left-aligned and wrapped; the total row is bold.
	styleOf := func(cell string) *excelize.Style {
		id, err := f.GetCellStyle(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		s, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if s := styleOf("E5"); s.Alignment == nil || s.Alignment.Horizontal != "left" || !s.Alignment.WrapText {
		t.Errorf("content cell style %+v, want left and wrapped", s.Alignment)
	}
	if s := styleOf("A7"); s.Font == nil || !s.Font.Bold {
		t.Errorf("total row font %+v, want bold", s.Font)
	}
	// A4 landscape, headers repeated on every page, frozen below them.
	lo, err := f.GetPageLayout(sh)
	if err != nil || lo.Size == nil || *lo.Size != paperA4 || lo.Orientation == nil || *lo.Orientation != "landscape" {
		t.Errorf("page layout %+v (%v), want A4 landscape", lo, err)
	}
	titles := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == sh && strings.HasSuffix(dn.RefersTo, "!$3:$4") {
			titles = true
		}
	}
	if !titles {
		t.Errorf("defined names %+v: want print titles $3:$4 on %s", f.GetDefinedName(), sh)
	}
	if p, _ := f.GetPanes(sh); !p.Freeze || p.YSplit != 4 {
		t.Errorf("panes %+v, want frozen below row 4", p)
	}
	if w, _ := f.GetColWidth(sh, "E"); w != 36 {
		t.Errorf("text column width %v, want 36", w)
	}
	// The second sheet: one header row, portrait.
	if got := cellValue(t, f, "汇总", "A3"); got != "服务类别" {
		t.Errorf("汇总!A3 = %q", got)
	}
	if got := cellValue(t, f, "汇总", "B4"); got != "1" {
		t.Errorf("汇总!B4 = %q", got)
	}
	if lo, _ := f.GetPageLayout("汇总"); lo.Orientation == nil || *lo.Orientation != "portrait" {
		t.Errorf("汇总 orientation %+v, want portrait", lo.Orientation)
	}
	// No sheets at all still makes a workbook.
	buf.Reset()
	if err := WriteVolume(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got := openFile(t, buf.Bytes()).GetSheetList(); len(got) != 1 {
		t.Errorf("empty workbook sheets %q", got)
	}
}

// TestVolumeOpensInLibreOffice converts a volume workbook with LibreOffice
// (when installed) and reads its first sheet back.
func TestVolumeOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("COUNSEL_E2E") == "1" {
			t.Fatal("COUNSEL_E2E=1 but soffice is missing")
		}
		t.Skip("soffice not installed")
	}
	var b bytes.Buffer
	err = WriteVolume(&b, []VolumeSheet{{
		Name: "工作台账", Title: "东关村委会法律顾问工作档案", Subtitle: "2026-01-01 至 2026-12-31",
		Groups:  []VolumeGroup{{"卷内序号", 1}, {"服务情况", 2}},
		Headers: []string{"卷内序号", "服务日期", "服务内容"}, Text: []int{2},
		Rows:  [][]any{{int64(7), time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "解答土地流转问题"}},
		Total: []any{"合计", nil, "1 次"},
	}, {Name: "汇总", Headers: []string{"a"}}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "volume.xlsx")
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "volume.csv"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no CSV: %v\n%s", err, out)
	}
	for _, w := range []string{"东关村委会法律顾问工作档案", "服务情况", "服务日期", "2026-03-02", "解答土地流转问题", "合计"} {
		if !strings.Contains(string(csv), w) {
			t.Errorf("LibreOffice's reading lacks %q:\n%s", w, csv)
		}
	}
}
