package xlsx

import (
	"bytes"
	"io"
	"math"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ArchiveCard is one pairing contact archive card (附件2).
type ArchiveCard struct {
	AdvisorName, AdvisorFirm, AdvisorPhone                 string
	AdvisorPhoto                                           []byte // png/jpeg or nil
	PersonName, PersonVillage, PersonPosition, PersonPhone string
	PersonPhoto                                            []byte
	Activities                                             []string // "2024-05-01 讲解员：…"
	Evaluations                                            []string
	Remarks                                                string
}

// CardFooter is the note printed under every archive card.
const CardFooter = "此档案卡由司法所督促村、社区及时填写，由司法所收集交区法宣办保存。"

// Card cells (the layout of the official card, columns A–F).
const (
	cardAdvisorName   = "B3"
	cardAdvisorFirm   = "B4"
	cardAdvisorPhone  = "B5"
	cardAdvisorPhoto  = "C3"
	cardPersonName    = "E3"
	cardPersonVillage = "E4"
	cardPersonPhone   = "E5"
	cardPersonPhoto   = "F3"
	cardActivities    = "B6"
	cardEvaluations   = "B7"
	cardRemarks       = "B8"
	cardFooterCell    = "A9"
	cardPhotoText     = "(照片)"
)

var cardWidths = []float64{12, 24, 16, 15, 24, 16}

// WriteArchiveCards writes one sheet per card, laid out like the official
// card: the title; the advisor (姓名, 所在律所, 联系电话, photo) beside the
// legal-literate person (姓名, 所在村居及职务, 联系电话, photo); the activity
// record, the evaluation record and remarks; and the footer note. Sheets are
// named "顾问-明白人" (unique, at most 31 characters). Photos are inserted
// when given as PNG, JPEG or GIF bytes; a missing or unreadable photo leaves
// the "(照片)" placeholder. With no cards, one blank card is written for
// filling in by hand.
func WriteArchiveCards(w io.Writer, title string, cards []ArchiveCard) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if len(cards) == 0 {
		cards = []ArchiveCard{{}}
	}
	used := map[string]bool{}
	for i := range cards {
		c := &cards[i]
		name := strings.Trim(c.AdvisorName+"-"+c.PersonName, "-")
		if name == "" {
			name = "档案卡"
		}
		name = sheetName(name, used)
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return err
		}
		if err := writeCard(f, st, name, title, c); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return f.Write(w)
}

func writeCard(f *excelize.File, st *styles, sheet, title string, c *ArchiveCard) error {
	var err error
	set := func(cell, v string) {
		if err == nil {
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
	for i, wd := range cardWidths {
		if err == nil {
			err = f.SetColWidth(sheet, colName(i), colName(i), wd)
		}
	}

	set("A1", title)
	merge("A1", "F1")
	style("A1", "F1", st.title)
	height(1, 42)

	set("A2", "村(居)法律顾问")
	merge("A2", "C2")
	set("D2", "法律明白人")
	merge("D2", "F2")
	style("A2", "F2", st.header)
	height(2, 26)

	style("A3", "F5", st.cell)
	for _, l := range [][2]string{
		{"A3", "姓名"}, {"A4", "所在律所"}, {"A5", "联系电话"},
		{"D3", "姓名"}, {"D4", "所在村居及职务"}, {"D5", "联系电话"},
	} {
		set(l[0], l[1])
		style(l[0], l[0], st.label)
	}
	set(cardAdvisorName, c.AdvisorName)
	set(cardAdvisorFirm, c.AdvisorFirm)
	set(cardAdvisorPhone, c.AdvisorPhone)
	set(cardPersonName, c.PersonName)
	set(cardPersonVillage, strings.TrimSpace(c.PersonVillage+" "+c.PersonPosition))
	set(cardPersonPhone, c.PersonPhone)
	set(cardAdvisorPhoto, cardPhotoText)
	merge("C3", "C5")
	set(cardPersonPhoto, cardPhotoText)
	merge("F3", "F5")
	for r := 3; r <= 5; r++ {
		height(r, 40)
	}

	// Records: a label on the left, a big merged cell across the rest.
	records := []struct {
		row        int
		label, val string
		minH       float64
	}{
		{6, "开展\n活动\n情况\n记录", strings.Join(c.Activities, "\n"), 230},
		{7, "考评\n情况\n记录", strings.Join(c.Evaluations, "\n"), 110},
		{8, "备注", c.Remarks, 60},
	}
	recordWidth := 0.0
	for _, wd := range cardWidths[1:] {
		recordWidth += wd
	}
	for _, rec := range records {
		a, b, v := cellName(0, rec.row), cellName(1, rec.row), cellName(5, rec.row)
		set(a, rec.label)
		style(a, a, st.label)
		set(b, rec.val)
		merge(b, v)
		style(b, v, st.cellLeft)
		height(rec.row, max(rec.minH, textHeight(rec.val, recordWidth-2)))
	}

	set(cardFooterCell, CardFooter)
	merge(cardFooterCell, "F9")
	style(cardFooterCell, "F9", st.note)
	height(9, 30)

	if err != nil {
		return err
	}
	if err := addPhoto(f, sheet, cardAdvisorPhoto, c.AdvisorPhoto, "村(居)法律顾问照片"); err != nil {
		return err
	}
	if err := addPhoto(f, sheet, cardPersonPhoto, c.PersonPhoto, "法律明白人照片"); err != nil {
		return err
	}
	if err := printSetup(f, sheet, "portrait", ""); err != nil {
		return err
	}
	// A card prints on one page.
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{FitToWidth: ptr(1), FitToHeight: ptr(1)})
}

// textHeight estimates the row height in points that shows s wrapped in a
// cell width character units wide.
func textHeight(s string, width float64) float64 {
	if s == "" {
		return 0
	}
	lines := 0.0
	for _, l := range strings.Split(s, "\n") {
		lines += max(1, math.Ceil(textWidth(l)/width))
	}
	return min(409, lines*15+8)
}

// addPhoto puts a photo into a (merged) cell, scaled to fit, replacing the
// placeholder text. Bytes that are not a PNG, JPEG or GIF image leave the
// placeholder.
func addPhoto(f *excelize.File, sheet, cell string, photo []byte, alt string) error {
	ext := imageExt(photo)
	if ext == "" {
		return nil
	}
	err := f.AddPictureFromBytes(sheet, cell, &excelize.Picture{
		Extension: ext,
		File:      photo,
		Format: &excelize.GraphicOptions{
			AltText:         alt,
			AutoFit:         true,
			LockAspectRatio: true,
			OffsetX:         3,
			OffsetY:         3,
			Positioning:     "oneCell",
		},
	})
	if err != nil {
		return nil // a broken image: keep the placeholder rather than fail the card
	}
	return f.SetCellStr(sheet, cell, "")
}

func imageExt(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return ".png"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return ".jpg"
	case bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")):
		return ".gif"
	}
	return ""
}
