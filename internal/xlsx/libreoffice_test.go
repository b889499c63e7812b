package xlsx_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// TestExportsOpenInLibreOffice converts each export with LibreOffice and reads
// the text back: the files are real spreadsheets, not just excelize's view.
// It runs when soffice is installed (CI installs it; COUNSEL_E2E=1 requires it).
func TestExportsOpenInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("COUNSEL_E2E") == "1" {
			t.Fatal("COUNSEL_E2E=1 but soffice is missing (apt-get install libreoffice-calc-nogui)")
		}
		t.Skip("soffice not installed")
	}
	rows := []xlsx.PairingRow{
		{Town: "山河镇", Village: "东关村", AdvisorName: "王律师", Firm: "甘肃正义律师事务所", AdvisorPhone: "13900001111", PersonName: "李明", Position: "村委委员", PersonPhone: "13800002222", PairedOn: "2026-05-01"},
		{Town: "山河镇", Village: "东关村", AdvisorName: "王律师", Firm: "甘肃正义律师事务所", AdvisorPhone: "13900001111", PersonName: "赵红", Position: "党支部书记", PersonPhone: "13800003333", PairedOn: "2026-05-02"},
	}
	files := map[string]func(*bytes.Buffer) error{
		"attachment1.xlsx": func(b *bytes.Buffer) error {
			return xlsx.WriteAttachment1(b, "正宁县“1+N”行动结对情况统计表", rows)
		},
		"cards.xlsx": func(b *bytes.Buffer) error {
			return xlsx.WriteArchiveCards(b, "“1+N”行动结对联系档案卡", []xlsx.ArchiveCard{{AdvisorName: "王律师", AdvisorFirm: "甘肃正义律师事务所", PersonName: "李明", PersonVillage: "东关村", PersonPosition: "村委委员", Activities: []string{"2026-06-18 讲解员：民法典宣讲"}}})
		},
		"providers.xlsx": func(b *bytes.Buffer) error {
			return xlsx.WriteProviders(b, []counsel.Provider{{Kind: counsel.ProviderLawFirm, Name: "甘肃正义律师事务所", CreditCode: "", Phone: "0934-5123456"}})
		},
	}
	want := map[string][]string{
		"attachment1.xlsx": {"结对情况统计表", "东关村", "李明", "赵红", "13800003333"},
		"cards.xlsx":       {"王律师", "李明", "民法典宣讲"},
		"providers.xlsx":   {"甘肃正义律师事务所", "律师事务所"},
	}
	dir := t.TempDir()
	for name, write := range files {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		in := filepath.Join(dir, name)
		if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice %s: %v\n%s", name, err, out)
		}
		csv, err := os.ReadFile(strings.TrimSuffix(in, ".xlsx") + ".csv")
		if err != nil {
			t.Fatalf("%s: LibreOffice wrote no CSV: %v\n%s", name, err, out)
		}
		for _, w := range want[name] {
			if !strings.Contains(string(csv), w) {
				t.Errorf("%s as read by LibreOffice lacks %q:\n%s", name, w, csv)
			}
		}
	}
}
