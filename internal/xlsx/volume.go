package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// VolumeGroup is a header over Span columns above the column headers; a
// group of Span 1 whose label equals its column's header is merged down
// into one tall header cell instead.
type VolumeGroup struct {
	Label string
	Span  int
}

// VolumeSheet is one sheet of a volume workbook (一村一卷, 一所一卷): a title
// row and a subtitle row merged across the columns, optional grouped
// headers, the column headers (repeated on every printed page), the rows and
// an optional bold total row. Values are written as WriteTable writes them.
type VolumeSheet struct {
	Name     string
	Title    string
	Subtitle string
	Groups   []VolumeGroup // optional; spans must add up to len(Headers)
	Headers  []string
	Widths   []float64 // column widths in characters; 0 = from the content
	Text     []int     // columns of long text: left-aligned, wrapped, top
	Rows     [][]any
	Total    []any // optional last row, bold
	// Landscape prints across the long side of the A4 sheet.
	Landscape bool
}

// WriteVolume writes a volume workbook with one sheet per VolumeSheet (at
// least one; an empty list writes one blank sheet).
func WriteVolume(w io.Writer, sheets []VolumeSheet) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Border:    thinBorder,
		Font:      &excelize.Font{Bold: true, Size: 11, Family: fontFamily},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
	})
	if err != nil {
		return err
	}
	if len(sheets) == 0 {
		sheets = []VolumeSheet{{Name: "Sheet1"}}
	}
	used := map[string]bool{}
	for i := range sheets {
		name := sheetName(sheets[i].Name, used)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeVolumeSheet(f, st, bold, name, &sheets[i]); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func writeVolumeSheet(f *excelize.File, st *styles, bold int, sheet string, s *VolumeSheet) error {
	ncol := max(len(s.Headers), 1)
	for _, r := range s.Rows {
		ncol = max(ncol, len(r))
	}
	last := ncol - 1
	var err error
	set := func(cell string, v string) {
		if err == nil && v != "" {
			err = f.SetCellStr(sheet, cell, v)
		}
	}
	merge := func(a, b string) {
		if err == nil && a != b {
			err = f.MergeCell(sheet, a, b)
		}
	}
	style := func(a, b string, id int) {
		if err == nil {
			err = f.SetCellStyle(sheet, a, b, id)
		}
	}
	height := func(row int, h float64) {
		if err == nil {
			err = f.SetRowHeight(sheet, row, h)
		}
	}
	text := map[int]bool{}
	for _, c := range s.Text {
		text[c] = true
	}
	widths := make([]float64, ncol)

	// Title and subtitle.
	set("A1", s.Title)
	merge("A1", cellName(last, 1))
	style("A1", cellName(last, 1), st.title)
	height(1, 32)
	set("A2", s.Subtitle)
	merge("A2", cellName(last, 2))
	style("A2", cellName(last, 2), st.note)
	height(2, 20)

	// Headers: one row, or a group row above.
	hr := 3
	tall := map[int]bool{} // headers merged down over both header rows
	if len(s.Groups) > 0 {
		hr = 4
		c := 0
		for _, g := range s.Groups {
			span := max(g.Span, 1)
			if span == 1 && c < len(s.Headers) && g.Label == s.Headers[c] {
				tall[c] = true
				merge(cellName(c, 3), cellName(c, 4))
			} else {
				set(cellName(c, 3), g.Label)
				merge(cellName(c, 3), cellName(c+span-1, 3))
			}
			c += span
		}
		style(cellName(0, 3), cellName(last, 3), st.header)
		height(3, 22)
	}
	for c, h := range s.Headers {
		if tall[c] {
			set(cellName(c, 3), h)
		} else {
			set(cellName(c, hr), h)
		}
		widths[c] = max(widths[c], textWidth(h)+2)
	}
	style(cellName(0, hr), cellName(last, hr), st.header)
	height(hr, 30)
	if err != nil {
		return err
	}

	// Rows.
	write := func(r int, row []any, total bool) error {
		for c := 0; c < ncol; c++ {
			var v any
			if c < len(row) {
				v = row[c]
			}
			cell := cellName(c, r)
			t, err := setAny(f, sheet, cell, v)
			if err != nil {
				return err
			}
			id := st.cell
			switch {
			case total:
				id = bold
			case text[c]:
				id = st.cellLeft
			default:
				if _, ok := v.(time.Time); ok {
					id = st.date
				}
			}
			if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
				return err
			}
			if !text[c] {
				widths[c] = max(widths[c], textWidth(t)+2)
			}
		}
		return nil
	}
	r := hr + 1
	for _, row := range s.Rows {
		if err := write(r, row, false); err != nil {
			return err
		}
		r++
	}
	if len(s.Total) > 0 {
		if err := write(r, s.Total, true); err != nil {
			return err
		}
	}

	// Layout.
	for c := 0; c < ncol; c++ {
		wd := min(max(widths[c], 6), 40)
		if text[c] {
			wd = 36
		}
		if c < len(s.Widths) && s.Widths[c] > 0 {
			wd = s.Widths[c]
		}
		if err := f.SetColWidth(sheet, colName(c), colName(c), wd); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: hr, TopLeftCell: cellName(0, hr+1), ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	orientation := "portrait"
	if s.Landscape {
		orientation = "landscape"
	}
	return printSetup(f, sheet, orientation, fmt.Sprintf("$%d:$%d", min(3, hr), hr))
}
