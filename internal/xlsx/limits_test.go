package xlsx

import (
	"archive/zip"
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	counsel "github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
)

// zh is the Chinese message of a reader's error.
func zh(err error) string {
	e, ok := err.(*counsel.Error)
	if !ok {
		return ""
	}
	return i18n.T("zh", e.Key, e.Args...)
}

// zipBomb builds an xlsx whose one sheet is about 400 MB of repeated cells,
// a few hundred KB compressed.
func zipBomb(t *testing.T) []byte {
	t.Helper()
	src := saveFile(t, excelize.NewFile())
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`))
			row := []byte(`<row>` + strings.Repeat(`<c t="inlineStr"><is><t>AAAAAAAAAAAAAAAA</t></is></c>`, 64) + `</row>`)
			for n := 0; n < 400<<20; n += len(row) {
				w.Write(row)
			}
			w.Write([]byte(`</sheetData></worksheet>`))
			continue
		}
		rc, _ := f.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		w.Write(b.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func heap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

func TestZipBombRefused(t *testing.T) {
	bomb := zipBomb(t)
	if len(bomb) > 4<<20 {
		t.Fatalf("bomb is %d bytes, want a small file", len(bomb))
	}
	before := heap()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	_, _, err := ReadAttachment1(bytes.NewReader(bomb))
	runtime.ReadMemStats(&m1)
	after := heap()
	if !isKey(err, "imp.unzip_too_large") && !isKey(err, "imp.zip_ratio") {
		t.Fatalf("got %v, want the file refused as too large when unpacked", err)
	}
	if m := zh(err); !strings.Contains(m, "文件过大：解压后超过 64 MB") && !strings.Contains(m, "压缩比异常") {
		t.Errorf("got message %q", m)
	}
	// TotalAlloc counts every allocation, freed or not: the refusal must not
	// have decompressed the sheet into memory.
	if grew := m1.TotalAlloc - m0.TotalAlloc; grew > 50<<20 {
		t.Errorf("reading the bomb allocated %d MB, want under 50 MB", grew>>20)
	}
	if after > before+50<<20 {
		t.Errorf("heap grew from %d MB to %d MB", before>>20, after>>20)
	}
}

// A central directory that understates a part's size is refused too.
func TestZipLyingSizesRefused(t *testing.T) {
	data := saveFile(t, excelize.NewFile())
	// Shrink every declared uncompressed size in the central directory.
	sig := []byte("PK\x01\x02")
	out := append([]byte(nil), data...)
	for i := bytes.Index(out, sig); i >= 0; {
		copy(out[i+24:i+28], []byte{1, 0, 0, 0})
		j := bytes.Index(out[i+4:], sig)
		if j < 0 {
			break
		}
		i += 4 + j
	}
	if _, _, err := ReadAttachment1(bytes.NewReader(out)); err == nil {
		t.Fatal("a workbook with lying sizes was read")
	}
}

func TestTooManyRowsColumnsCells(t *testing.T) {
	header := "街道,村(社区),顾问姓名,所在律所,顾问电话,明白人姓名,职务,明白人电话,结对时间\n"
	line := "城关镇,东关村,张三,甲律师事务所,13912345678,李四,村委委员,13812345678,2024-01-02\n"
	cases := []struct {
		name, csv, key, zh string
	}{
		{"rows", header + strings.Repeat(line, maxGridRows+maxHeaderScan), "imp.too_many_rows", "行数超过 50000 行"},
		{"columns", header + strings.Repeat("x,", maxGridColumns) + "x\n", "imp.too_many_columns", "列数超过 64 列"},
		{"commas", header + strings.Repeat(",", 1<<20) + "\n", "imp.too_many_columns", "列数超过 64 列"},
		{"cell", header + "城关镇,东关村," + strings.Repeat("长", maxCellRunes+1) + "\n", "imp.cell_too_long", "第 2 行 C 列内容过长"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadAttachment1CSV(strings.NewReader(c.csv))
			if !isKey(err, c.key) {
				t.Fatalf("got %v, want %s", err, c.key)
			}
			if !strings.Contains(zh(err), c.zh) {
				t.Fatalf("got message %q, want it to say %q", zh(err), c.zh)
			}
			// The same table as xlsx.
			f := excelize.NewFile()
			sw, _ := f.NewStreamWriter("Sheet1")
			for i, l := range strings.Split(strings.TrimSuffix(c.csv, "\n"), "\n") {
				if len(l) > 1<<16 {
					continue // the comma line is a CSV matter
				}
				var row []any
				for _, v := range strings.Split(l, ",") {
					row = append(row, v)
				}
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				if err := sw.SetRow(cell, row); err != nil {
					t.Fatal(err)
				}
			}
			sw.Flush()
			if c.name == "commas" {
				return
			}
			_, _, err = ReadAttachment1(bytes.NewReader(saveFile(t, f)))
			if !isKey(err, c.key) {
				t.Fatalf("xlsx: got %v, want %s", err, c.key)
			}
		})
	}
}
