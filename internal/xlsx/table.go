package xlsx

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// WriteTable writes a plain list as one sheet: an optional title row merged
// across the columns, a bold bordered header row that stays in view when
// scrolling and carries an autofilter, and the rows. Column widths follow the
// content. Strings are written as text (so phone and licence numbers keep
// their digits), time.Time as yyyy-mm-dd dates, bools as 是/否, nil as an
// empty cell, numbers as numbers, anything else as fmt prints it.
func WriteTable(w io.Writer, sheet string, title string, headers []string, rows [][]any) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := writeTable(f, sheet, title, headers, rows); err != nil {
		return err
	}
	return f.Write(w)
}

// writeTable writes the table into the first sheet of f, renaming it.
func writeTable(f *excelize.File, sheet string, title string, headers []string, rows [][]any) error {
	sheet = sheetName(sheet, nil)
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	ncol := len(headers)
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	if ncol == 0 {
		ncol = 1
	}
	widths := make([]float64, ncol)
	hr := 1
	if title != "" {
		hr = 2
		if err := f.SetCellStr(sheet, "A1", title); err != nil {
			return err
		}
		if ncol > 1 {
			if err := f.MergeCell(sheet, "A1", cellName(ncol-1, 1)); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, "A1", cellName(ncol-1, 1), st.title); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, 1, 30); err != nil {
			return err
		}
	}
	for c, h := range headers {
		if err := f.SetCellStr(sheet, cellName(c, hr), h); err != nil {
			return err
		}
		widths[c] = max(widths[c], textWidth(h)+4) // room for the filter button
	}
	if err := f.SetCellStyle(sheet, cellName(0, hr), cellName(ncol-1, hr), st.header); err != nil {
		return err
	}
	for i, row := range rows {
		r := hr + 1 + i
		for c := 0; c < ncol; c++ {
			var v any
			if c < len(row) {
				v = row[c]
			}
			cell := cellName(c, r)
			style := st.cell
			text, err := setAny(f, sheet, cell, v)
			if err != nil {
				return err
			}
			if _, ok := v.(time.Time); ok {
				style = st.date
			}
			if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
				return err
			}
			widths[c] = max(widths[c], textWidth(text)+2)
		}
	}
	for c := range widths {
		wd := min(max(widths[c], 8), 60)
		if err := f.SetColWidth(sheet, colName(c), colName(c), wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: hr, TopLeftCell: cellName(0, hr+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	if len(headers) > 0 {
		last := hr + len(rows)
		if err := f.AutoFilter(sheet, cellName(0, hr)+":"+cellName(len(headers)-1, last), nil); err != nil {
			return err
		}
	}
	orientation := "portrait"
	if ncol > 6 {
		orientation = "landscape"
	}
	return printSetup(f, sheet, orientation, fmt.Sprintf("$1:$%d", hr))
}

// setAny writes one value and returns its text for sizing the column.
func setAny(f *excelize.File, sheet, cell string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		if x == "" {
			return "", nil
		}
		return x, f.SetCellStr(sheet, cell, x)
	case *string:
		if x == nil || *x == "" {
			return "", nil
		}
		return *x, f.SetCellStr(sheet, cell, *x)
	case bool:
		s := "否"
		if x {
			s = "是"
		}
		return s, f.SetCellStr(sheet, cell, s)
	case time.Time:
		if x.IsZero() {
			return "", nil
		}
		d := x.Format("2006-01-02")
		if serial, ok := excelSerial(d); ok {
			return d, f.SetCellFloat(sheet, cell, serial, -1, 64)
		}
		return d, f.SetCellStr(sheet, cell, d)
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprint(x), f.SetCellValue(sheet, cell, x)
	case fmt.Stringer:
		s := x.String()
		return s, f.SetCellStr(sheet, cell, s)
	}
	s := fmt.Sprint(v)
	return s, f.SetCellStr(sheet, cell, s)
}

// sheetName makes a valid, unique sheet name: no []:*?/\ characters, no
// leading or trailing apostrophe, at most 31 characters, not "History", and
// not in used (compared case-insensitively); a "(2)"-style suffix keeps it
// unique. used may be nil.
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		switch r {
		case '[', ']', ':', '*', '?', '/', '\\':
			return '_'
		case '\n', '\r', '\t':
			return ' '
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.Trim(name, "'")
	if name == "" || strings.EqualFold(name, "History") {
		name = "Sheet"
	}
	base := truncRunes(name, 31)
	cand := base
	for n := 2; used != nil && used[strings.ToLower(cand)]; n++ {
		suffix := fmt.Sprintf("(%d)", n)
		cand = truncRunes(name, 31-len(suffix)) + suffix
	}
	if used != nil {
		used[strings.ToLower(cand)] = true
	}
	return cand
}

func truncRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
