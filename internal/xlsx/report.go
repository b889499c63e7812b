package xlsx

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// ReportSheet is one sheet of a statistics report (台账统计表, 年度报告): a
// title merged across the table, note lines under it (reporting unit,
// period, date), a two-level header — leading columns whose header spans
// both header rows, then groups of columns under a merged group header —
// the rows, and footnotes. The caller supplies every text, so the same
// writer serves both languages.
type ReportSheet struct {
	Name   string // sheet name
	Title  string
	Notes  []string
	Lead   []string      // the leading columns' headers
	Groups []ColumnGroup // the value columns
	Rows   []ReportLine
	Footer []string
	// LeadWidths optionally sets the leading columns' widths (characters).
	LeadWidths []float64
}

// ColumnGroup is a run of value columns under one header. With no Name and
// one column, that column's header spans both header rows.
type ColumnGroup struct {
	Name string
	Cols []string
}

// ReportLine is a row: the leading cells, then one value per value column,
// in group order. Values may be nil (an empty cell), a string, an integer
// (int, int64), Hours (a number shown with one decimal) or Percent (a ratio
// shown as a percentage). Strong rows (subtotals, totals) are bold; Span > 1
// merges that many leading cells into the first.
type ReportLine struct {
	Lead   []string
	Values []any
	Strong bool
	Span   int
}

// Hours is a duration in hours, written as a number with one decimal.
type Hours float64

// Percent is a ratio (0.5 = 50%), written as a number formatted 0.0%.
type Percent float64

// reportStyles are the styles of report sheets on top of the house styles.
type reportStyles struct {
	*styles
	num, hours, pct, text                 int // plain
	numB, hoursB, pctB, textB, leadStrong int // bold (subtotals)
	notes                                 int
}

func newReportStyles(f *excelize.File) (*reportStyles, error) {
	base, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	rs := &reportStyles{styles: base}
	mk := func(bold bool, fmt string, align string) (int, error) {
		st := &excelize.Style{
			Border:    thinBorder,
			Font:      &excelize.Font{Size: 10, Family: fontFamily, Bold: bold},
			Alignment: &excelize.Alignment{Horizontal: align, Vertical: "center", WrapText: true},
		}
		if bold {
			st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}
		}
		if fmt != "" {
			st.CustomNumFmt = ptr(fmt)
		}
		return f.NewStyle(st)
	}
	defs := []struct {
		id         *int
		bold       bool
		fmt, align string
	}{
		{&rs.num, false, "0", "right"}, {&rs.hours, false, "0.0", "right"}, {&rs.pct, false, "0.0%", "right"}, {&rs.text, false, "", "left"},
		{&rs.numB, true, "0", "right"}, {&rs.hoursB, true, "0.0", "right"}, {&rs.pctB, true, "0.0%", "right"}, {&rs.textB, true, "", "left"},
		{&rs.leadStrong, true, "", "center"},
	}
	for _, d := range defs {
		if *d.id, err = mk(d.bold, d.fmt, d.align); err != nil {
			return nil, err
		}
	}
	if rs.notes, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Size: 10, Family: fontFamily},
		Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"},
	}); err != nil {
		return nil, err
	}
	return rs, nil
}

// WriteReport writes the sheets into one workbook.
func WriteReport(w io.Writer, sheets ...ReportSheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx: report without sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newReportStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, s := range sheets {
		name := sheetName(s.Name, used)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeReportSheet(f, st, name, &s); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func writeReportSheet(f *excelize.File, st *reportStyles, sheet string, s *ReportSheet) error {
	nLead := len(s.Lead)
	nVal := 0
	for _, g := range s.Groups {
		nVal += len(g.Cols)
	}
	ncol := max(nLead+nVal, 1)
	last := ncol - 1
	var err error
	set := func(cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cell, v)
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

	row := 1
	set("A1", s.Title)
	merge("A1", cellName(last, 1))
	style("A1", cellName(last, 1), st.title)
	if err == nil {
		err = f.SetRowHeight(sheet, 1, 32)
	}
	for _, n := range s.Notes {
		row++
		set(cellName(0, row), n)
		merge(cellName(0, row), cellName(last, row))
		style(cellName(0, row), cellName(last, row), st.notes)
	}

	// Two header rows.
	h1, h2 := row+1, row+2
	for c, l := range s.Lead {
		set(cellName(c, h1), l)
		merge(cellName(c, h1), cellName(c, h2))
	}
	c := nLead
	for _, g := range s.Groups {
		if g.Name == "" && len(g.Cols) == 1 {
			set(cellName(c, h1), g.Cols[0])
			merge(cellName(c, h1), cellName(c, h2))
			c++
			continue
		}
		set(cellName(c, h1), g.Name)
		merge(cellName(c, h1), cellName(c+len(g.Cols)-1, h1))
		for i, l := range g.Cols {
			set(cellName(c+i, h2), l)
		}
		c += len(g.Cols)
	}
	style(cellName(0, h1), cellName(last, h2), st.header)
	if err == nil {
		err = f.SetRowHeight(sheet, h1, 22)
	}

	// Rows.
	widths := make([]float64, ncol)
	for i, l := range s.Lead {
		widths[i] = textWidth(l) + 2
	}
	r := h2
	for _, line := range s.Rows {
		r++
		for i := 0; i < nLead; i++ {
			v := ""
			if i < len(line.Lead) {
				v = line.Lead[i]
			}
			cell := cellName(i, r)
			if v != "" {
				set(cell, v)
				if line.Span <= 1 || i >= line.Span {
					widths[i] = max(widths[i], textWidth(v)+2)
				}
			}
			id := st.text
			if line.Strong {
				id = st.leadStrong
			} else if i == 0 {
				id = st.cell
			}
			style(cell, cell, id)
		}
		if line.Span > 1 && nLead > 0 {
			merge(cellName(0, r), cellName(min(line.Span, nLead)-1, r))
		}
		for i := 0; i < nVal; i++ {
			var v any
			if i < len(line.Values) {
				v = line.Values[i]
			}
			cell := cellName(nLead+i, r)
			id := pick3(line.Strong, st.num, st.numB)
			switch x := v.(type) {
			case nil:
			case Hours:
				set(cell, float64(x))
				id = pick3(line.Strong, st.hours, st.hoursB)
			case Percent:
				set(cell, float64(x))
				id = pick3(line.Strong, st.pct, st.pctB)
			case string:
				if x != "" {
					set(cell, x)
				}
				id = pick3(line.Strong, st.text, st.textB)
				widths[nLead+i] = max(widths[nLead+i], min(textWidth(x)+2, 40))
			default:
				set(cell, x)
			}
			style(cell, cell, id)
		}
	}
	for _, n := range s.Footer {
		r++
		set(cellName(0, r), n)
		merge(cellName(0, r), cellName(last, r))
		style(cellName(0, r), cellName(last, r), st.notes)
	}

	// Widths: leading columns by content (or as given), values narrow.
	for i := range widths {
		wd := widths[i]
		if i < len(s.LeadWidths) && s.LeadWidths[i] > 0 {
			wd = s.LeadWidths[i]
		} else if i >= nLead {
			wd = max(wd, 7)
		}
		if err == nil {
			err = f.SetColWidth(sheet, colName(i), colName(i), min(max(wd, 6), 40))
		}
	}
	if err == nil {
		xs, pane := min(nLead, 3), "bottomRight"
		if xs == 0 {
			pane = "bottomLeft"
		}
		err = f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: xs, YSplit: h2, TopLeftCell: cellName(xs, h2+1), ActivePane: pane})
	}
	if err != nil {
		return err
	}
	orientation := "portrait"
	if ncol > 6 {
		orientation = "landscape"
	}
	return printSetup(f, sheet, orientation, fmt.Sprintf("$1:$%d", h2))
}

func pick3(strong bool, plain, bold int) int {
	if strong {
		return bold
	}
	return plain
}
