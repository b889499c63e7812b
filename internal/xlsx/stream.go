package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Stream writes a plain list as one sheet row by row through excelize's
// stream writer, so an export of millions of rows holds only a bounded
// buffer in memory (the rows spill to a temporary file) — for exports of
// whole lists. The sheet looks like WriteTable's: an optional merged title
// row, a bold bordered header row that stays in view, bordered cells;
// column widths come from the headers (and minimum widths the caller
// gives), not the content, since rows are not kept. Values are written as
// WriteTable writes them. Close it when done.
type Stream struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	st   *styles
	ncol int
	hr   int // the header row
	row  int
	vals []any
}

// NewStream starts a streamed sheet. widths (characters, optional, by
// column) widen columns beyond their header's width.
func NewStream(sheet, title string, headers []string, widths []float64) (*Stream, error) {
	f := excelize.NewFile()
	sheet = sheetName(sheet, nil)
	if err := f.SetSheetName(f.GetSheetName(0), sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	s := &Stream{f: f, st: st, ncol: max(len(headers), 1)}
	orientation := "portrait"
	if s.ncol > 6 {
		orientation = "landscape"
	}
	hr := 1
	if title != "" {
		hr = 2
	}
	if err := printSetup(f, sheet, orientation, fmt.Sprintf("$1:$%d", hr)); err != nil {
		_ = f.Close()
		return nil, err
	}
	if s.sw, err = f.NewStreamWriter(sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	for c, h := range headers {
		wd := textWidth(h) + 4
		if c < len(widths) {
			wd = max(wd, widths[c])
		}
		if err := s.sw.SetColWidth(c+1, c+1, min(max(wd, 8), 60)); err != nil {
			_ = f.Close()
			return nil, err
		}
	}
	if err := s.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: hr, TopLeftCell: cellName(0, hr+1), ActivePane: "bottomLeft"}); err != nil {
		_ = f.Close()
		return nil, err
	}
	if title != "" {
		s.row++
		cells := make([]any, s.ncol)
		for i := range cells {
			cells[i] = excelize.Cell{StyleID: st.title}
		}
		cells[0] = excelize.Cell{StyleID: st.title, Value: title}
		if err := s.sw.SetRow("A1", cells, excelize.RowOpts{Height: 30}); err != nil {
			_ = f.Close()
			return nil, err
		}
		if s.ncol > 1 {
			if err := s.sw.MergeCell("A1", cellName(s.ncol-1, 1)); err != nil {
				_ = f.Close()
				return nil, err
			}
		}
	}
	s.row++
	cells := make([]any, s.ncol)
	for i := range cells {
		var v any
		if i < len(headers) {
			v = headers[i]
		}
		cells[i] = excelize.Cell{StyleID: st.header, Value: v}
	}
	if err := s.sw.SetRow(cellName(0, s.row), cells); err != nil {
		_ = f.Close()
		return nil, err
	}
	s.hr = s.row
	s.vals = make([]any, s.ncol)
	return s, nil
}

// Row appends one row.
func (s *Stream) Row(vals ...any) error {
	s.row++
	for c := range s.vals {
		var v any
		if c < len(vals) {
			v = vals[c]
		}
		style := s.st.cell
		switch x := v.(type) {
		case *string:
			v = nil
			if x != nil && *x != "" {
				v = *x
			}
		case string:
			if x == "" {
				v = nil
			}
		case bool:
			v = "否"
			if x {
				v = "是"
			}
		case time.Time:
			v = nil
			if !x.IsZero() {
				d := x.Format("2006-01-02")
				if serial, ok := excelSerial(d); ok {
					v, style = serial, s.st.date
				} else {
					v = d
				}
			}
		case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, nil:
		case fmt.Stringer:
			v = x.String()
		default:
			v = fmt.Sprint(v)
		}
		s.vals[c] = excelize.Cell{StyleID: style, Value: v}
	}
	return s.sw.SetRow(cellName(0, s.row), s.vals)
}

// Rows is how many data rows were written.
func (s *Stream) Rows() int { return s.row - s.hr }

// WriteTo finishes the sheet and writes the workbook to w.
// A writer that wants to know how many data rows it carries (the export
// audit) implements RowsSetter.
func (s *Stream) WriteTo(w io.Writer) (int64, error) {
	if err := s.sw.Flush(); err != nil {
		return 0, err
	}
	if rs, ok := w.(RowsSetter); ok {
		rs.SetRows(s.Rows())
	}
	return s.f.WriteTo(w)
}

// Close drops the stream's temporary files.
func (s *Stream) Close() error { return s.f.Close() }

// RowsSetter is told the number of data rows before a workbook is written
// to it.
type RowsSetter interface{ SetRows(n int) }
