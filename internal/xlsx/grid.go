// Package xlsx encodes and decodes the spreadsheets Village Counsel exchanges
// with clerks: the official "1+N" pairing statistics table (附件1), the pairing
// contact archive card (附件2), provider and advisor rosters, and plain list
// exports. It touches no database; importers return parsed rows and row-level
// field errors and leave every decision to the caller.
package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	counsel "github.com/villagecounsel/counsel"
)

// grid is one sheet as text. cells holds the values with merged ranges filled
// from their top-left cell; own holds only what is written in each cell itself
// (so a row that merely lies under a merge can be told apart from one the
// clerk wrote something into).
type grid struct {
	cells [][]string
	own   [][]string
}

func (g *grid) rows() int { return len(g.cells) }

// at returns the (filled) value of the cell at 0-based row r, column c.
func (g *grid) at(r, c int) string {
	if r < 0 || r >= len(g.cells) || c < 0 || c >= len(g.cells[r]) {
		return ""
	}
	return g.cells[r][c]
}

// blankRow reports whether the clerk wrote nothing in row r.
func (g *grid) blankRow(r int) bool {
	if r < 0 || r >= len(g.own) {
		return true
	}
	for _, v := range g.own[r] {
		if v != "" {
			return false
		}
	}
	return true
}

// firstOwn returns the first non-empty cell the clerk wrote in row r.
func (g *grid) firstOwn(r int) string {
	if r < 0 || r >= len(g.own) {
		return ""
	}
	for _, v := range g.own[r] {
		if v != "" {
			return v
		}
	}
	return ""
}

func newGrid(rows [][]string) *grid {
	if len(rows) > maxGridRows+maxHeaderScan {
		rows = rows[:maxGridRows+maxHeaderScan]
	}
	g := &grid{cells: make([][]string, len(rows)), own: make([][]string, len(rows))}
	for i, row := range rows {
		if len(row) > maxGridColumns {
			row = row[:maxGridColumns]
		}
		own := make([]string, len(row))
		for j, v := range row {
			own[j] = clean(v)
		}
		g.own[i] = own
		g.cells[i] = append([]string(nil), own...)
	}
	return g
}

// fillMerge copies the top-left value of a merged range into every cell of it
// that lies within the grid.
func (g *grid) fillMerge(c1, r1, c2, r2 int) {
	if c1 > c2 {
		c1, c2 = c2, c1
	}
	if r1 > r2 {
		r1, r2 = r2, r1
	}
	if r1 < 0 || c1 < 0 || r1 >= len(g.cells) {
		return
	}
	v := g.at(r1, c1)
	if v == "" {
		return
	}
	if r2 >= len(g.cells) {
		r2 = len(g.cells) - 1
	}
	if c2 >= maxGridColumns {
		c2 = maxGridColumns - 1
	}
	for r := r1; r <= r2; r++ {
		for len(g.cells[r]) <= c2 {
			g.cells[r] = append(g.cells[r], "")
		}
		for c := c1; c <= c2; c++ {
			g.cells[r][c] = v
		}
	}
}

// unreadable reports a file that cannot be read, keeping the cause.
func unreadable(err error) error {
	e := counsel.Errorf(counsel.CodeInvalid, "imp.unreadable")
	e.Err = err
	return e
}

// readAll reads an upload with a size cap.
func readAll(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, unreadable(err)
	}
	if len(data) > maxFileBytes {
		return nil, errTooLarge()
	}
	return data, nil
}

// oleMagic starts the old binary .xls format and password-protected workbooks.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// openWorkbook opens an xlsx upload and returns every sheet as a grid, in tab
// order, with merged ranges filled. The archive is checked (checkZip) before
// excelize opens it, and sheets are streamed row by row within the limits.
func openWorkbook(r io.Reader) ([]*grid, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(data, oleMagic) {
		return nil, counsel.Errorf(counsel.CodeInvalid, "imp.xls_unsupported")
	}
	if !bytes.HasPrefix(data, []byte("PK")) {
		return nil, counsel.Errorf(counsel.CodeInvalid, "imp.not_xlsx")
	}
	zr, err := checkZip(data)
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzipBytes,
		UnzipXMLSizeLimit: 16 << 20,
	})
	if err != nil {
		return nil, unreadable(err)
	}
	defer f.Close()
	parts := sheetPaths(zr)
	budget := maxTextBytes
	var grids []*grid
	for _, name := range f.GetSheetList() {
		rows, err := readSheet(f, name, &budget)
		if isLimit(err) {
			return nil, err
		}
		if err != nil {
			// A chart sheet or a broken sheet: skip it, another may hold the data.
			continue
		}
		g := newGrid(rows)
		var refs []string
		if part := parts[name]; part != "" {
			for _, zf := range zr.File {
				if strings.TrimPrefix(zf.Name, "/") == part {
					refs = mergeRanges(zf)
					break
				}
			}
		}
		for _, ref := range refs {
			a, b, ok := strings.Cut(ref, ":")
			if !ok {
				continue
			}
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(b)
			if err1 != nil || err2 != nil {
				continue
			}
			g.fillMerge(c1-1, r1-1, c2-1, r2-1)
		}
		grids = append(grids, g)
	}
	if len(grids) == 0 {
		return nil, counsel.Errorf(counsel.CodeInvalid, "imp.no_header")
	}
	return grids, nil
}

// readSheet streams one sheet's rows (excelize's Rows iterator, never the
// whole sheet at once) through a sheetBuilder.
func readSheet(f *excelize.File, name string, budget *int) ([][]string, error) {
	rs, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	sb := sheetBuilder{budget: budget}
	for rs.Next() {
		cols, err := rs.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		for j, v := range cols {
			cols[j] = numberText(v)
		}
		if err := sb.add(cols); err != nil {
			return nil, err
		}
	}
	if err := rs.Error(); err != nil {
		return nil, err
	}
	return sb.rows, nil
}

// numberText turns a raw numeric cell value written in exponent notation
// ("1.3912345678E10", as some programs store long numbers) back into digits.
func numberText(v string) string {
	if !strings.ContainsAny(v, "Ee") || len(v) > 32 {
		return v
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f != float64(int64(f)) || f < 0 || f > 1e17 {
		return v
	}
	return strconv.FormatInt(int64(f), 10)
}

// openCSV decodes a CSV upload: UTF-8 with or without BOM, UTF-16 with BOM, or
// GB18030 (what Excel and WPS write on Chinese Windows). The delimiter is a
// comma, or a tab or semicolon when the first line uses those instead.
func openCSV(r io.Reader) (*grid, error) {
	data, err := readAll(r)
	if err != nil {
		return nil, err
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, unreadable(err)
	}
	comma := sniffDelimiter(text)
	if err := checkCSVLines(text, comma); err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.Comma = comma
	budget := maxTextBytes
	sb := sheetBuilder{budget: &budget}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) || rec == nil {
				return nil, unreadable(err)
			}
		}
		if err := sb.add(rec); err != nil {
			return nil, err
		}
	}
	return newGrid(sb.rows), nil
}

func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data)
	case utf8.Valid(data):
		return string(data), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", err
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

// decodeUTF16 decodes UTF-16 text with a byte order mark ("Unicode text" as
// saved by Excel).
func decodeUTF16(data []byte) (string, error) {
	out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewDecoder().Bytes(data)
	if err != nil {
		return "", err
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

func sniffDelimiter(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	commas := strings.Count(line, ",") + strings.Count(line, "，")
	tabs := strings.Count(line, "\t")
	semis := strings.Count(line, ";")
	switch {
	case tabs > commas && tabs >= semis:
		return '\t'
	case semis > commas && semis > tabs:
		return ';'
	}
	return ','
}

// clean trims the spaces clerks leave in cells: ASCII, full-width (U+3000),
// non-breaking and zero-width ones, and a stray BOM.
func clean(s string) string {
	return strings.TrimFunc(s, isSpace)
}

func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200B' || r == '\u200C' || r == '\u200D' || r == '\uFEFF' || r == '\u2060'
}

// compact removes every space inside a name: "张  三" → "张三".
func compact(s string) string {
	if strings.IndexFunc(s, isSpace) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if !isSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// collapse turns every run of spaces inside free text into one ASCII space.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, isSpace), " ")
}

// label normalises a header cell for matching: no spaces, ASCII parentheses,
// no trailing colon or asterisk (required-field marks).
func label(s string) string {
	s = compact(s)
	s = strings.NewReplacer("（", "(", "）", ")", "：", "", ":", "", "*", "", "＊", "").Replace(s)
	return s
}

// footerPrefixes start the lines clerks put under a table.
var footerPrefixes = []string{
	"填表人", "填表日期", "填报人", "填报日期", "填报单位", "填表单位", "制表人", "制表", "审核人", "审核",
	"负责人", "联系人", "备注", "说明", "注:", "注：", "附注", "合计", "总计", "小计",
}

func isFooter(first string) bool {
	s := compact(first)
	for _, p := range footerPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// colName gives the Excel column letter of a 0-based column index.
func colName(c int) string {
	name, err := excelize.ColumnNumberToName(c + 1)
	if err != nil {
		return ""
	}
	return name
}
