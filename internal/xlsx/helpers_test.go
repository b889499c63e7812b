package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	counsel "github.com/villagecounsel/counsel"
)

// openFile opens written xlsx bytes for inspection.
func openFile(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("open written file: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// saveFile serialises a file built in a test.
func saveFile(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatalf("write test file: %v", err)
	}
	return buf.Bytes()
}

// cellValue reads one cell's formatted text.
func cellValue(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell)
	if err != nil {
		t.Fatalf("GetCellValue(%s!%s): %v", sheet, cell, err)
	}
	return v
}

// mergeRefs returns the merged ranges of a sheet as a set.
func mergeRefs(t *testing.T, f *excelize.File, sheet string) map[string]bool {
	t.Helper()
	ms, err := f.GetMergeCells(sheet, true)
	if err != nil {
		t.Fatalf("GetMergeCells: %v", err)
	}
	set := map[string]bool{}
	for _, m := range ms {
		set[m.GetStartAxis()+":"+m.GetEndAxis()] = true
	}
	return set
}

// sheetWriter fills cells of a test workbook.
type sheetWriter struct {
	t     *testing.T
	f     *excelize.File
	sheet string
}

func (s sheetWriter) set(cell string, v any) {
	s.t.Helper()
	if err := s.f.SetCellValue(s.sheet, cell, v); err != nil {
		s.t.Fatalf("SetCellValue(%s): %v", cell, err)
	}
}

func (s sheetWriter) row(r int, vals ...any) {
	s.t.Helper()
	for c, v := range vals {
		if v == nil {
			continue
		}
		s.set(cellName(c, r), v)
	}
}

func (s sheetWriter) merge(a, b string) {
	s.t.Helper()
	if err := s.f.MergeCell(s.sheet, a, b); err != nil {
		s.t.Fatalf("MergeCell(%s:%s): %v", a, b, err)
	}
}

// fieldErrs formats field errors compactly and sorted, for comparing.
func fieldErrs(fes []counsel.FieldError) []string {
	out := make([]string, len(fes))
	for i, fe := range fes {
		s := fmt.Sprintf("%d %s %s %s", fe.Row, fe.Column, fe.Field, fe.Key)
		if len(fe.Args) > 0 {
			s += fmt.Sprintf(" %v", fe.Args)
		}
		out[i] = s
	}
	sort.Strings(out)
	return out
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// wantKey checks that err is a counsel error with the message key.
func wantKey(t *testing.T, err error, key string) {
	t.Helper()
	var e *counsel.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want counsel error %s", err, key)
	}
	if e.Key != key {
		t.Fatalf("got key %s, want %s (%v)", e.Key, key, err)
	}
}

// creditCode builds a valid unified social credit code from 17 characters.
func creditCode(t *testing.T, first17 string) string {
	t.Helper()
	c := counsel.CreditCheckChar(first17)
	if c == 0 {
		t.Fatalf("bad credit code stem %q", first17)
	}
	code := first17 + string(c)
	if !counsel.ValidCreditCode(code) {
		t.Fatalf("built invalid credit code %q", code)
	}
	return code
}

func joinLines(ss []string) string { return strings.Join(ss, "\n") }
