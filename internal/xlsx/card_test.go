package xlsx

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
)

func testPNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for x := 0; x < 60; x++ {
		for y := 0; y < 80; y++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 4), G: uint8(y * 3), B: 128, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const cardTitle = "芜湖市“1+N”行动结对联系档案卡"

func TestWriteArchiveCards(t *testing.T) {
	photo := testPNG(t)
	cards := []ArchiveCard{
		{
			AdvisorName: "王明", AdvisorFirm: "安徽甲律师事务所", AdvisorPhone: "13905530001", AdvisorPhoto: photo,
			PersonName: "张三", PersonVillage: "小寺头村", PersonPosition: "村支书", PersonPhone: "13905531001",
			Activities:  []string{"2024-05-01 讲解员：宣讲民法典婚姻家庭编", "2024-05-20 调解员：调解邻里宅基地纠纷"},
			Evaluations: []string{"2024年上半年：优秀"},
			Remarks:     "结对协议已签订",
		},
		// Same names again, a broken photo, nothing recorded yet.
		{AdvisorName: "王明", PersonName: "张三", PersonPhoto: []byte("\x89PNG\r\n\x1a\nbroken")},
		{AdvisorName: strings.Repeat("欧阳", 10), PersonName: strings.Repeat("司马", 10) + "[1]"},
	}
	var buf bytes.Buffer
	if err := WriteArchiveCards(&buf, cardTitle, cards); err != nil {
		t.Fatalf("WriteArchiveCards: %v", err)
	}
	f := openFile(t, buf.Bytes())
	sheets := f.GetSheetList()
	wantSheets := []string{"王明-张三", "王明-张三(2)", strings.Repeat("欧阳", 10) + "-" + strings.Repeat("司马", 5)}
	if !equalStrings(sheets, wantSheets) {
		t.Fatalf("got sheets %q, want %q", sheets, wantSheets)
	}
	for _, s := range sheets {
		if n := len([]rune(s)); n > 31 {
			t.Errorf("sheet %q: got %d characters, want at most 31", s, n)
		}
	}

	first := sheets[0]
	for _, tc := range []struct{ cell, want string }{
		{"A1", cardTitle},
		{"A2", "村(居)法律顾问"},
		{"D2", "法律明白人"},
		{"A3", "姓名"}, {"B3", "王明"},
		{"A4", "所在律所"}, {"B4", "安徽甲律师事务所"},
		{"A5", "联系电话"}, {"B5", "13905530001"},
		{"D3", "姓名"}, {"E3", "张三"},
		{"D4", "所在村居及职务"}, {"E4", "小寺头村 村支书"},
		{"D5", "联系电话"}, {"E5", "13905531001"},
		{"C3", ""}, // the photo replaced the placeholder
		{"F3", "(照片)"},
		{"A6", "开展\n活动\n情况\n记录"},
		{"B6", "2024-05-01 讲解员：宣讲民法典婚姻家庭编\n2024-05-20 调解员：调解邻里宅基地纠纷"},
		{"A7", "考评\n情况\n记录"},
		{"B7", "2024年上半年：优秀"},
		{"A8", "备注"}, {"B8", "结对协议已签订"},
		{"A9", CardFooter},
	} {
		if got := cellValue(t, f, first, tc.cell); got != tc.want {
			t.Errorf("%s!%s: got %q, want %q", first, tc.cell, got, tc.want)
		}
	}
	merges := mergeRefs(t, f, first)
	for _, ref := range []string{"A1:F1", "A2:C2", "D2:F2", "C3:C5", "F3:F5", "B6:F6", "B7:F7", "B8:F8", "A9:F9"} {
		if !merges[ref] {
			t.Errorf("got no merge %s, want one (merges %v)", ref, merges)
		}
	}
	pics, err := f.GetPictures(first, "C3")
	if err != nil {
		t.Fatalf("GetPictures: %v", err)
	}
	if len(pics) != 1 || !bytes.Equal(pics[0].File, photo) {
		t.Errorf("got %d pictures in C3, want the advisor photo", len(pics))
	}
	if pics, _ := f.GetPictures(first, "F3"); len(pics) != 0 {
		t.Errorf("got %d pictures in F3, want none", len(pics))
	}

	second := sheets[1]
	if got := cellValue(t, f, second, "F3"); got != "(照片)" {
		t.Errorf("broken photo: got F3 %q, want the placeholder", got)
	}
	if got := cellValue(t, f, second, "C3"); got != "(照片)" {
		t.Errorf("no photo: got C3 %q, want the placeholder", got)
	}
	pl, err := f.GetPageLayout(first)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Orientation == nil || *pl.Orientation != "portrait" || pl.Size == nil || *pl.Size != paperA4 {
		t.Errorf("got page layout %v %v, want A4 portrait", pl.Orientation, pl.Size)
	}
}

func TestWriteArchiveCardsBlank(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteArchiveCards(&buf, cardTitle, nil); err != nil {
		t.Fatalf("WriteArchiveCards: %v", err)
	}
	f := openFile(t, buf.Bytes())
	if got := f.GetSheetList(); !equalStrings(got, []string{"档案卡"}) {
		t.Fatalf("got sheets %q, want one blank card", got)
	}
	if got := cellValue(t, f, "档案卡", "D4"); got != "所在村居及职务" {
		t.Errorf("D4: got %q, want the label", got)
	}
}
