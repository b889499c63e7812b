package money

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPayListInLibreOffice converts a payment list with LibreOffice and sums
// the amounts it reads: the file is a real spreadsheet and its total row is
// the sum of its rows to the fen. It runs when soffice is installed
// (COUNSEL_E2E=1 requires it).
func TestPayListInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("COUNSEL_E2E") == "1" {
			t.Fatal("COUNSEL_E2E=1 but soffice is missing (apt-get install libreoffice-calc-nogui)")
		}
		t.Skip("soffice not installed")
	}
	pl := samplePayList()
	var b bytes.Buffer
	if err := WritePayList(&b, pl, "2027-01-10"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "paylist.xlsx")
	if err := os.WriteFile(in, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "paylist.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v\n%s", err, raw)
	}
	var sum Fen
	var total Fen = -1
	for _, r := range recs {
		if len(r) < 8 {
			continue
		}
		amount := strings.TrimSpace(r[7])
		fen, err := ParseYuan(amount)
		switch {
		case r[0] == "合计":
			if err != nil {
				t.Fatalf("total cell %q: %v", amount, err)
			}
			total = fen
		case err == nil && r[0] != "" && r[0] != "序号":
			sum += fen
		}
	}
	if total != pl.TotalFen || sum != pl.TotalFen {
		t.Errorf("LibreOffice reads rows summing to %d and a total of %d, want %d\n%s", sum, total, pl.TotalFen, raw)
	}
	if !strings.Contains(string(raw), "合计金额（大写）：玖仟捌佰元整") {
		t.Errorf("capitals missing:\n%s", raw)
	}
}
