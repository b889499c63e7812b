package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	counsel "github.com/villagecounsel/counsel"
)

// Limits on what the readers accept. An xlsx file is a zip archive: a small
// upload can decompress to gigabytes, so the archive's directory is checked
// before anything is decompressed, what is decompressed is counted, and rows,
// columns and cells are capped while the sheet is streamed.
const (
	maxFileBytes    = 20 << 20 // the upload itself (compressed)
	maxUnzipBytes   = 64 << 20 // the whole archive, decompressed
	maxPartBytes    = 32 << 20 // one part (a sheet, the shared strings), decompressed
	maxZipRatio     = 100      // decompressed : compressed, for parts and archives over ratioFloor
	ratioFloor      = 1 << 20  // small parts may compress as well as they like
	maxZipEntries   = 2000     // parts in one archive
	maxHeaderScan   = 30       // rows searched for the header
	maxGridColumns  = 64       // columns a row may use
	maxGridRows     = 50_000   // data rows per sheet
	maxCellRunes    = 2000     // characters in one cell
	maxTextBytes    = 48 << 20 // text of every cell read, all sheets together
	maxMergeRanges  = 100_000  // merged ranges per sheet
	maxCSVDelimiter = 4096     // delimiters on one line of a CSV file
)

func errTooLarge() error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.too_large", maxFileBytes>>20)
}

func errUnzipTooLarge() error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.unzip_too_large", maxUnzipBytes>>20)
}

func errZipRatio() error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.zip_ratio", maxZipRatio)
}

func errTooManyRows() error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.too_many_rows", maxGridRows)
}

func errTooManyColumns() error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.too_many_columns", maxGridColumns)
}

func errCellTooLong(row int, col string) error {
	return counsel.Errorf(counsel.CodeInvalid, "imp.cell_too_long", row, col, maxCellRunes)
}

// isLimit reports whether err is one of the limits above (which refuse the
// whole file) rather than a sheet that cannot be read.
func isLimit(err error) bool {
	for _, k := range []string{"imp.too_large", "imp.unzip_too_large", "imp.zip_ratio", "imp.too_many_rows", "imp.too_many_columns", "imp.cell_too_long"} {
		if isKey(err, k) {
			return true
		}
	}
	return false
}

// checkZip reads the archive's central directory and refuses it before
// anything is decompressed when the sizes it declares are too large or
// compress suspiciously well; then it decompresses every part into nothing,
// counting, so that a part whose data is larger than declared is refused too.
func checkZip(data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, unreadable(err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, errUnzipTooLarge()
	}
	var total uint64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		total += u
		if u > maxPartBytes || total > maxUnzipBytes {
			return nil, errUnzipTooLarge()
		}
		if u > ratioFloor && (c == 0 || u/c > maxZipRatio) {
			return nil, errZipRatio()
		}
	}
	if total > ratioFloor && total/uint64(len(data)) > maxZipRatio {
		return nil, errZipRatio()
	}
	var read int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, unreadable(err)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(rc, int64(f.UncompressedSize64)+1))
		rc.Close()
		read += n
		if n > int64(f.UncompressedSize64) || read > maxUnzipBytes {
			return nil, errUnzipTooLarge()
		}
		if err != nil {
			return nil, unreadable(err)
		}
	}
	return zr, nil
}

// sheetBuilder collects one sheet's rows as they stream in, refusing a row
// beyond maxGridRows, a cell beyond maxGridColumns or longer than
// maxCellRunes, and text beyond the shared budget. Blank rows are kept only
// when a written row follows them (row numbers stay the sheet's).
type sheetBuilder struct {
	rows   [][]string
	blank  int
	budget *int // bytes of cell text left for the whole file
}

func (s *sheetBuilder) add(cells []string) error {
	n := len(cells)
	for n > 0 && clean(cells[n-1]) == "" {
		n--
	}
	if n == 0 {
		s.blank++
		return nil
	}
	row := len(s.rows) + s.blank + 1
	if row > maxGridRows+maxHeaderScan {
		return errTooManyRows()
	}
	if n > maxGridColumns {
		return errTooManyColumns()
	}
	out := make([]string, n)
	for j, v := range cells[:n] {
		if len(v) > maxCellRunes && utf8.RuneCountInString(v) > maxCellRunes {
			return errCellTooLong(row, colName(j))
		}
		if *s.budget -= len(v); *s.budget < 0 {
			return errUnzipTooLarge()
		}
		out[j] = v
	}
	for ; s.blank > 0; s.blank-- {
		s.rows = append(s.rows, nil)
	}
	s.rows = append(s.rows, out)
	return nil
}

// checkCSVLines refuses CSV text with a line of more delimiters than any
// table needs (a line of millions of commas would otherwise become millions
// of empty fields).
func checkCSVLines(text string, comma rune) error {
	for line := range strings.Lines(text) {
		if len(line) > maxCSVDelimiter && strings.Count(line, string(comma)) > maxCSVDelimiter {
			return errTooManyColumns()
		}
	}
	return nil
}

// sheetPaths maps sheet names to their parts in the archive, from the
// workbook and its relationships; names it cannot resolve are left out.
func sheetPaths(zr *zip.Reader) map[string]string {
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	type rel struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
		Type   string `xml:"Type,attr"`
	}
	readRels := func(name string) []rel {
		var v struct {
			Rels []rel `xml:"Relationship"`
		}
		if f := files[name]; f != nil {
			decodePart(f, &v)
		}
		return v.Rels
	}
	resolve := func(base, target string) string {
		if strings.HasPrefix(target, "/") {
			return strings.TrimPrefix(target, "/")
		}
		return path.Join(path.Dir(base), target)
	}
	wbPath := "xl/workbook.xml"
	for _, r := range readRels("_rels/.rels") {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wbPath = resolve("", r.Target)
		}
	}
	targets := map[string]string{}
	for _, r := range readRels(path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")) {
		targets[r.ID] = resolve(wbPath, r.Target)
	}
	var wb struct {
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if f := files[wbPath]; f != nil {
		decodePart(f, &wb)
	}
	out := map[string]string{}
	for _, s := range wb.Sheets {
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				if t, ok := targets[a.Value]; ok && files[t] != nil {
					out[s.Name] = t
				}
			}
		}
	}
	return out
}

// decodePart decodes a small XML part; errors leave v as it is.
func decodePart(f *zip.File, v any) {
	if f.UncompressedSize64 > maxPartBytes {
		return
	}
	rc, err := f.Open()
	if err != nil {
		return
	}
	defer rc.Close()
	_ = xml.NewDecoder(io.LimitReader(rc, maxPartBytes)).Decode(v)
}

// mergeRanges streams a sheet part and returns its merged ranges ("A1:B2"),
// without loading the sheet's cells.
func mergeRanges(f *zip.File) []string {
	rc, err := f.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, maxPartBytes))
	var refs []string
	for len(refs) < maxMergeRanges {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "mergeCell" {
			for _, a := range se.Attr {
				if a.Name.Local == "ref" {
					refs = append(refs, a.Value)
				}
			}
		}
	}
	return refs
}
