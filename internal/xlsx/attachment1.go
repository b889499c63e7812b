package xlsx

import (
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	counsel "github.com/villagecounsel/counsel"
)

// PairingRow is one row of the pairing statistics table (附件1): one
// legal-literate person paired with the village's advisor.
type PairingRow struct {
	Town, Village, AdvisorName, Firm, AdvisorPhone, PersonName, Position, PersonPhone, PairedOn string
	Row                                                                                         int // source row number on import (1-based Excel row)
}

// Columns of 附件1, in the official order.
const (
	colTown = iota
	colVillage
	colAdvisorName
	colFirm
	colAdvisorPhone
	colPersonName
	colPosition
	colPersonPhone
	colPairedOn
	numCols
)

// a1Fields are the FieldError field names of the columns.
var a1Fields = [numCols]string{"town", "village", "advisor_name", "firm", "advisor_phone",
	"person_name", "position", "person_phone", "paired_on"}

// a1Headers are the sub-headers written in row 3 (and the names used in
// imp.missing_column).
var a1Headers = [numCols]string{"街道(乡镇)", "村(社区)", "姓名", "所在律所", "联系电话", "姓名", "职务", "联系电话", "结对时间"}

// a1Required are the columns a pairing cannot do without.
var a1Required = [...]int{colTown, colVillage, colAdvisorName, colAdvisorPhone, colPersonName, colPersonPhone}

var a1Widths = [numCols]float64{14, 16, 10, 26, 15, 10, 16, 15, 13}

func (p *PairingRow) get(c int) string {
	switch c {
	case colTown:
		return p.Town
	case colVillage:
		return p.Village
	case colAdvisorName:
		return p.AdvisorName
	case colFirm:
		return p.Firm
	case colAdvisorPhone:
		return p.AdvisorPhone
	case colPersonName:
		return p.PersonName
	case colPosition:
		return p.Position
	case colPersonPhone:
		return p.PersonPhone
	case colPairedOn:
		return p.PairedOn
	}
	return ""
}

func (p *PairingRow) set(c int, v string) {
	switch c {
	case colTown:
		p.Town = v
	case colVillage:
		p.Village = v
	case colAdvisorName:
		p.AdvisorName = v
	case colFirm:
		p.Firm = v
	case colAdvisorPhone:
		p.AdvisorPhone = v
	case colPersonName:
		p.PersonName = v
	case colPosition:
		p.Position = v
	case colPersonPhone:
		p.PersonPhone = v
	case colPairedOn:
		p.PairedOn = v
	}
}

// WriteAttachment1 writes the pairing statistics table in the official layout:
// a title row, the two-level header in rows 2–3, and one row per person with
// the town, village and advisor cells merged over their runs. rows must come
// sorted by town, village and advisor. Dates that parse are written as real
// dates formatted yyyy-mm-dd, anything else as text.
func WriteAttachment1(w io.Writer, title string, rows []PairingRow) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "结对情况统计表"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	last := colName(numCols - 1)
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

	// Title.
	set("A1", title)
	merge("A1", last+"1")
	style("A1", last+"1", st.title)

	// Two-level header.
	set("A2", "街道、村(社区)基本情况")
	merge("A2", "B2")
	set("C2", "村(居)法律顾问基本情况")
	merge("C2", "E2")
	set("F2", "法律明白人基本情况")
	merge("F2", "H2")
	set("I2", "结对时间")
	merge("I2", "I3")
	for c := 0; c < colPairedOn; c++ {
		set(cellName(c, 3), a1Headers[c])
	}
	style("A2", last+"3", st.header)

	// Data.
	const first = 4
	for i := range rows {
		r := first + i
		p := &rows[i]
		for c := 0; c < numCols; c++ {
			v := p.get(c)
			if c == colPairedOn {
				if serial, ok := excelSerialOf(v); ok {
					set(cellName(c, r), serial)
					style(cellName(c, r), cellName(c, r), st.date)
					continue
				}
			}
			if v != "" {
				err = firstErr(err, f.SetCellStr(sheet, cellName(c, r), v))
			}
			style(cellName(c, r), cellName(c, r), st.cell)
		}
	}
	// Merge runs: towns, villages within a town, advisors within a village.
	sameTown := func(a, b *PairingRow) bool { return a.Town == b.Town }
	sameVillage := func(a, b *PairingRow) bool { return sameTown(a, b) && a.Village == b.Village }
	sameAdvisor := func(a, b *PairingRow) bool {
		return sameVillage(a, b) && a.AdvisorName == b.AdvisorName && a.AdvisorPhone == b.AdvisorPhone
	}
	mergeRuns(rows, sameTown, func(i, j int) {
		merge(cellName(colTown, first+i), cellName(colTown, first+j))
	})
	mergeRuns(rows, sameVillage, func(i, j int) {
		merge(cellName(colVillage, first+i), cellName(colVillage, first+j))
	})
	mergeRuns(rows, sameAdvisor, func(i, j int) {
		for c := colAdvisorName; c <= colAdvisorPhone; c++ {
			merge(cellName(c, first+i), cellName(c, first+j))
		}
	})

	// Layout.
	for c := 0; c < numCols; c++ {
		if err == nil {
			err = f.SetColWidth(sheet, colName(c), colName(c), a1Widths[c])
		}
	}
	if err == nil {
		err = f.SetRowHeight(sheet, 1, 36)
	}
	if err == nil {
		err = f.SetRowHeight(sheet, 2, 24)
	}
	if err == nil {
		err = f.SetRowHeight(sheet, 3, 22)
	}
	if err == nil {
		err = f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"})
	}
	if err == nil {
		err = printSetup(f, sheet, "landscape", "$1:$3")
	}
	if err != nil {
		return err
	}
	return f.Write(w)
}

func excelSerialOf(v string) (float64, bool) {
	d, ok := ParseDate(v)
	if !ok {
		return 0, false
	}
	return excelSerial(d)
}

func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// mergeRuns calls merge(i, j) for every run rows[i..j] (j > i) of consecutive
// rows that same says belong together.
func mergeRuns(rows []PairingRow, same func(a, b *PairingRow) bool, merge func(i, j int)) {
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && same(&rows[i], &rows[j+1]) {
			j++
		}
		if j > i {
			merge(i, j)
		}
		i = j + 1
	}
}

// ReadAttachment1 reads a pairing statistics table as clerks fill it in. It
// uses the first sheet with a recognisable header (title rows above it, a
// one- or two-level header, variant column names), fills merged cells, and
// fills blank town, village and advisor cells down from the row above.
// Blank rows, template rows that name only a village, repeated headers and
// footer lines (填表人, 备注…) are skipped.
//
// Every problem found in a row is returned as a FieldError with the Excel row
// number and column letter; rows with problems are left out of the result,
// the good ones are returned. The error is only for files that cannot be read
// or hold no recognisable header.
func ReadAttachment1(r io.Reader) ([]PairingRow, []counsel.FieldError, error) {
	grids, err := openWorkbook(r)
	if err != nil {
		return nil, nil, err
	}
	var best error
	for _, g := range grids {
		rows, fes, err := parseAttachment1(g)
		if err == nil {
			return rows, fes, nil
		}
		// A sheet whose header lacks a column says more than one without any.
		if best == nil || isKey(best, "imp.no_header") {
			best = err
		}
	}
	return nil, nil, best
}

// ReadAttachment1CSV reads the pairing table from CSV (UTF-8 with or without
// BOM, UTF-16 with BOM, or GB18030), with the same contract as
// ReadAttachment1. Row numbers are record numbers, as the file shows when
// opened in Excel.
func ReadAttachment1CSV(r io.Reader) ([]PairingRow, []counsel.FieldError, error) {
	g, err := openCSV(r)
	if err != nil {
		return nil, nil, err
	}
	return parseAttachment1(g)
}

func isKey(err error, key string) bool {
	e, ok := err.(*counsel.Error)
	return ok && e.Key == key
}

// a1Header is the located header: the row index of its last line and the
// sheet column of each table column (-1 when absent).
type a1Header struct {
	row  int
	cols [numCols]int
}

// findA1Header searches the first rows for the header line.
func findA1Header(g *grid) (*a1Header, error) {
	var missing error
	for r := 0; r < g.rows() && r < maxHeaderScan; r++ {
		h, ok := a1HeaderAt(g, r)
		if !ok {
			continue
		}
		for _, c := range a1Required {
			if h.cols[c] < 0 {
				if missing == nil {
					missing = counsel.Errorf(counsel.CodeInvalid, "imp.missing_column", a1Headers[c])
				}
				ok = false
				break
			}
		}
		if ok {
			return h, nil
		}
	}
	if missing != nil {
		return nil, missing
	}
	return nil, counsel.Errorf(counsel.CodeInvalid, "imp.no_header")
}

type role int

const (
	roleNone role = iota
	roleTown
	roleVillage
	roleTownVillage // "街道、村(社区)基本情况" spanning both columns
	roleName
	roleFirm
	rolePhone
	rolePosition
	roleDate
)

type side int

const (
	sideNone side = iota
	sideAdvisor
	sidePerson
)

// classify gives the role of a header cell and the side (advisor or person)
// its text names, if any.
func classify(l string) (role, side) {
	sd := sideOf(l)
	switch {
	case l == "" || strings.Contains(l, "序号") || strings.Contains(l, "备注"):
		return roleNone, sd
	case strings.Contains(l, "结对") && (strings.Contains(l, "时间") || strings.Contains(l, "日期")),
		l == "时间" || l == "日期":
		return roleDate, sd
	case strings.Contains(l, "基本情况"):
		if sd == sideNone && (strings.Contains(l, "街道") || strings.Contains(l, "乡镇") || strings.Contains(l, "村")) {
			return roleTownVillage, sd
		}
		return roleNone, sd
	case strings.Contains(l, "姓名") || l == "名字" || l == "顾问" || l == "法律顾问" || l == "法律明白人" || l == "明白人":
		return roleName, sd
	case strings.Contains(l, "职务") || strings.Contains(l, "职位") || strings.Contains(l, "身份"):
		return rolePosition, sd
	case strings.Contains(l, "电话") || strings.Contains(l, "手机") || strings.Contains(l, "联系方式"):
		return rolePhone, sd
	case strings.Contains(l, "律所") || strings.Contains(l, "律师事务所") || strings.Contains(l, "单位") || strings.Contains(l, "机构"):
		return roleFirm, sideAdvisor
	case strings.Contains(l, "街道") || strings.Contains(l, "乡镇") || l == "镇" || l == "乡" || strings.HasSuffix(l, "镇") || strings.HasPrefix(l, "镇("):
		return roleTown, sd
	case sd == sideNone && (strings.Contains(l, "村") || strings.Contains(l, "社区") || strings.Contains(l, "居委")):
		return roleVillage, sd
	}
	return roleNone, sd
}

func sideOf(l string) side {
	p := strings.Contains(l, "明白人")
	a := strings.Contains(l, "顾问") || strings.Contains(l, "律师")
	switch {
	case p && !a:
		return sidePerson
	case a && !p:
		return sideAdvisor
	}
	return sideNone
}

// a1HeaderAt tries row r as the (last) header row. The row above counts as a
// group header when it holds at least two different texts (a merged title
// holds one).
func a1HeaderAt(g *grid, r int) (*a1Header, bool) {
	group := r > 0 && distinct(g.cells[r-1]) >= 2
	width := len(g.cells[r])
	if group && len(g.cells[r-1]) > width {
		width = len(g.cells[r-1])
	}
	h := &a1Header{row: r}
	for i := range h.cols {
		h.cols[i] = -1
	}
	assign := func(col, c int) {
		if h.cols[col] < 0 {
			h.cols[col] = c
		}
	}
	hasName, hasPosOrPhone, hasPlace := false, false, false
	cur := sideAdvisor
	for c := 0; c < width; c++ {
		sub := label(g.at(r, c))
		grp := ""
		if group {
			grp = label(g.at(r-1, c))
		}
		l := sub
		if l == "" {
			l = grp
		}
		ro, sd := classify(l)
		if sd == sideNone && group {
			sd = sideOf(grp)
		}
		switch ro {
		case roleTown:
			assign(colTown, c)
			hasPlace = true
		case roleVillage:
			assign(colVillage, c)
			hasPlace = true
		case roleTownVillage:
			if h.cols[colTown] < 0 {
				assign(colTown, c)
			} else {
				assign(colVillage, c)
			}
			hasPlace = true
		case roleDate:
			assign(colPairedOn, c)
			hasPlace = true
		case roleName:
			hasName = true
			if sd == sideNone {
				if h.cols[colAdvisorName] < 0 {
					sd = sideAdvisor
				} else {
					sd = sidePerson
				}
			}
			cur = sd
			if sd == sideAdvisor {
				assign(colAdvisorName, c)
			} else {
				assign(colPersonName, c)
			}
		case roleFirm:
			assign(colFirm, c)
		case rolePosition:
			hasPosOrPhone = true
			assign(colPosition, c)
			cur = sidePerson
		case rolePhone:
			hasPosOrPhone = true
			if sd == sideNone {
				sd = cur
			}
			if sd == sideAdvisor {
				assign(colAdvisorPhone, c)
			} else {
				assign(colPersonPhone, c)
			}
		}
	}
	return h, hasName && hasPosOrPhone && hasPlace
}

func distinct(row []string) int {
	seen := map[string]bool{}
	for _, v := range row {
		if v != "" {
			seen[v] = true
		}
	}
	return len(seen)
}

// parseAttachment1 reads the pairing rows of one grid.
func parseAttachment1(g *grid) ([]PairingRow, []counsel.FieldError, error) {
	h, err := findA1Header(g)
	if err != nil {
		return nil, nil, err
	}
	var (
		out  []PairingRow
		fes  []counsel.FieldError
		prev *PairingRow
		seen = map[string]int{} // village + person → first row
	)
	for r := h.row + 1; r < g.rows(); r++ {
		if g.blankRow(r) || isFooter(g.firstOwn(r)) {
			continue
		}
		var p PairingRow
		p.Row = r + 1
		for c := 0; c < numCols; c++ {
			if sc := h.cols[c]; sc >= 0 {
				p.set(c, g.at(r, sc))
			}
		}
		if repeatedHeader(&p) {
			continue
		}
		// A row that names no advisor and no person is a template line
		// (a village listed without pairings) or a stray note.
		if p.AdvisorName == "" && p.Firm == "" && p.AdvisorPhone == "" &&
			p.PersonName == "" && p.Position == "" && p.PersonPhone == "" {
			continue
		}
		p.Town = compact(p.Town)
		p.Village = compact(p.Village)
		p.AdvisorName = compact(p.AdvisorName)
		p.PersonName = compact(p.PersonName)
		p.Firm = collapse(p.Firm)
		p.Position = collapse(p.Position)
		fillDown(&p, prev)
		prev = &PairingRow{}
		*prev = p

		bad := false
		report := func(c int, key string, args ...any) {
			bad = true
			col := ""
			if h.cols[c] >= 0 {
				col = colName(h.cols[c])
			}
			fes = append(fes, counsel.FieldError{Row: p.Row, Column: col, Field: a1Fields[c], Key: key, Args: args})
		}
		for c := 0; c < numCols; c++ {
			v := p.get(c)
			switch c {
			case colAdvisorPhone, colPersonPhone:
				if v == "" {
					break
				}
				n := counsel.NormalizePhone(v)
				if !counsel.ValidPhone(n) {
					report(c, "imp.bad_phone", v)
					continue
				}
				p.set(c, n)
			case colPairedOn:
				if v == "" {
					break
				}
				d, ok := ParseDate(v)
				if !ok {
					report(c, "imp.bad_date", v)
					continue
				}
				p.PairedOn = d
			}
			if v == "" && isA1Required(c) {
				report(c, "err.required")
			}
			if len([]rune(p.get(c))) > 100 {
				report(c, "imp.too_long", 100)
			}
		}
		if !bad {
			key := p.Town + "\x00" + p.Village + "\x00" + p.PersonName + "\x00" + p.PersonPhone
			if first, dup := seen[key]; dup {
				report(colPersonName, "imp.duplicate", first)
			} else {
				seen[key] = p.Row
			}
		}
		if !bad {
			out = append(out, p)
		}
	}
	return out, fes, nil
}

func isA1Required(c int) bool {
	for _, r := range a1Required {
		if r == c {
			return true
		}
	}
	return false
}

// repeatedHeader reports a header line repeated inside the data (tables
// pasted together from several towns).
func repeatedHeader(p *PairingRow) bool {
	l := label(p.PersonName)
	return strings.Contains(l, "姓名") && (strings.Contains(label(p.PersonPhone), "电话") || strings.Contains(label(p.Position), "职务"))
}

// fillDown completes the cells a clerk leaves blank under the one above
// without merging: the town; the village within the same town; the advisor
// within the same village.
func fillDown(p, prev *PairingRow) {
	if prev == nil {
		return
	}
	if p.Town == "" {
		p.Town = prev.Town
	}
	if p.Town != prev.Town {
		return
	}
	if p.Village == "" {
		p.Village = prev.Village
	}
	if p.Village != prev.Village {
		return
	}
	if p.AdvisorName == "" {
		if p.Firm != "" && p.Firm != prev.Firm || p.AdvisorPhone != "" && p.AdvisorPhone != prev.AdvisorPhone {
			return // a different advisor whose name is missing
		}
		p.AdvisorName = prev.AdvisorName
	}
	if p.AdvisorName == prev.AdvisorName {
		if p.Firm == "" {
			p.Firm = prev.Firm
		}
		if p.AdvisorPhone == "" {
			p.AdvisorPhone = prev.AdvisorPhone
		}
	}
}
