package xlsx

import (
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Page setup values.
const (
	paperA4    = 9
	fontFamily = "宋体"
)

func ptr[T any](v T) *T { return &v }

var thinBorder = []excelize.Border{
	{Type: "left", Color: "000000", Style: 1},
	{Type: "top", Color: "000000", Style: 1},
	{Type: "right", Color: "000000", Style: 1},
	{Type: "bottom", Color: "000000", Style: 1},
}

// styles are the cell styles of one workbook.
type styles struct {
	title, header, cell, cellLeft, date, note, label int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	defs := []struct {
		id *int
		st *excelize.Style
	}{
		{&s.title, &excelize.Style{
			Font:      &excelize.Font{Bold: true, Size: 16, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.header, &excelize.Style{
			Border:    thinBorder,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7EEF7"}},
			Font:      &excelize.Font{Bold: true, Size: 11, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.cell, &excelize.Style{
			Border:    thinBorder,
			Font:      &excelize.Font{Size: 11, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
		{&s.cellLeft, &excelize.Style{
			Border:    thinBorder,
			Font:      &excelize.Font{Size: 11, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "top", WrapText: true},
		}},
		{&s.date, &excelize.Style{
			Border:       thinBorder,
			Font:         &excelize.Font{Size: 11, Family: fontFamily},
			Alignment:    &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			CustomNumFmt: ptr("yyyy-mm-dd"),
		}},
		{&s.note, &excelize.Style{
			Font:      &excelize.Font{Size: 10, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center", WrapText: true},
		}},
		{&s.label, &excelize.Style{
			Border:    thinBorder,
			Font:      &excelize.Font{Bold: true, Size: 11, Family: fontFamily},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		}},
	}
	for _, d := range defs {
		if *d.id, err = f.NewStyle(d.st); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// cellName gives the A1 name of 0-based column c and 1-based row r.
func cellName(c, r int) string {
	n, _ := excelize.CoordinatesToCellName(c+1, r)
	return n
}

// textWidth estimates the display width of s in character units: CJK and
// other wide characters count two.
func textWidth(s string) float64 {
	w := 0.0
	line := 0.0
	for _, r := range s {
		if r == '\n' {
			w = max(w, line)
			line = 0
			continue
		}
		if r < 0x1100 || utf8.RuneLen(r) < 3 {
			line++
		} else {
			line += 2
		}
	}
	return max(w, line)
}

// printSetup sets A4 paper, orientation, fit to one page wide, margins and
// the rows repeated on every printed page (rows "1:3"; "" for none).
func printSetup(f *excelize.File, sheet, orientation, repeatRows string) error {
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size:        ptr(paperA4),
		Orientation: ptr(orientation),
		FitToWidth:  ptr(1),
		FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(0.5), Right: ptr(0.5), Top: ptr(0.6), Bottom: ptr(0.6), Header: ptr(0.3), Footer: ptr(0.3),
		Horizontally: ptr(true),
	}); err != nil {
		return err
	}
	if repeatRows != "" {
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name:     "_xlnm.Print_Titles",
			RefersTo: quoteSheet(sheet) + "!" + repeatRows,
			Scope:    sheet,
		}); err != nil {
			return err
		}
	}
	return nil
}

func quoteSheet(name string) string {
	q := "'"
	for _, r := range name {
		if r == '\'' {
			q += "''"
		} else {
			q += string(r)
		}
	}
	return q + "'"
}
