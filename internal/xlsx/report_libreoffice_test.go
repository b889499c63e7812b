package xlsx_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/internal/xlsx"
)

// TestReportOpensInLibreOffice: LibreOffice reads a report sheet back with
// its title, headers, numbers (hours with one decimal, rates as percent).
func TestReportOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("COUNSEL_E2E") == "1" {
			t.Fatal("COUNSEL_E2E=1 but soffice is missing (apt-get install libreoffice-calc-nogui)")
		}
		t.Skip("soffice not installed")
	}
	var b bytes.Buffer
	err = xlsx.WriteReport(&b, xlsx.ReportSheet{
		Name: "台账统计", Title: "正宁县村（居）法律顾问工作台账统计表", Notes: []string{"统计期间：2026年上半年"},
		Lead:   []string{"序号", "乡镇（街道）", "村（社区）"},
		Groups: []xlsx.ColumnGroup{{Name: "服务合计", Cols: []string{"次数", "小时"}}, {Cols: []string{"达标率"}}},
		Rows: []xlsx.ReportLine{
			{Lead: []string{"1", "山河镇", ""}, Values: []any{int64(7), xlsx.Hours(12.25), xlsx.Percent(0.5)}, Strong: true},
			{Lead: []string{"", "", "东关村委会"}, Values: []any{int64(7), xlsx.Hours(12.25), "—"}},
			{Lead: []string{"合计"}, Span: 3, Values: []any{int64(7), xlsx.Hours(12.25), xlsx.Percent(0.5)}, Strong: true},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "report.csv"))
	if err != nil {
		t.Fatalf("LibreOffice wrote no CSV: %v\n%s", err, out)
	}
	for _, w := range []string{"工作台账统计表", "服务合计", "东关村委会", "12.3", "50.0%", "合计", "—"} {
		if !strings.Contains(string(csv), w) {
			t.Errorf("LibreOffice's reading lacks %q:\n%s", w, csv)
		}
	}
}
