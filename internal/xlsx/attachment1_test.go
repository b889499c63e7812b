package xlsx

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const a1Title = "镜湖区“1+N”行动结对情况统计表"

// sampleRows are sorted by town, village and advisor.
func sampleRows() []PairingRow {
	return []PairingRow{
		{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001",
			PersonName: "张三", Position: "村支书", PersonPhone: "13905531001", PairedOn: "2024-05-20"},
		{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001",
			PersonName: "李四", Position: "村委委员", PersonPhone: "13905531002", PairedOn: "2024-05-20"},
		{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001",
			PersonName: "王五", Position: "网格员", PersonPhone: "0553-3812345", PairedOn: "2024-06-15"},
		{Town: "赭山街道", Village: "东城社区", AdvisorName: "赵亮", Firm: "安徽乙律师事务所", AdvisorPhone: "13905530002",
			PersonName: "钱六", Position: "居委主任", PersonPhone: "13905531004", PairedOn: "2024-06-01"},
		{Town: "范罗山街道", Village: "新村社区", AdvisorName: "孙丽", Firm: "镜湖区法律援助中心", AdvisorPhone: "13905530003",
			PersonName: "周七", Position: "居委委员", PersonPhone: "13905531005", PairedOn: "2024-06-18"},
		{Town: "范罗山街道", Village: "新村社区", AdvisorName: "吴刚", Firm: "安徽丙律师事务所", AdvisorPhone: "13905530004",
			PersonName: "郑八", Position: "支委委员", PersonPhone: "13905531006", PairedOn: ""},
	}
}

func writeA1(t *testing.T, rows []PairingRow) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteAttachment1(&buf, a1Title, rows); err != nil {
		t.Fatalf("WriteAttachment1: %v", err)
	}
	return buf.Bytes()
}

func TestAttachment1RoundTrip(t *testing.T) {
	want := sampleRows()
	data := writeA1(t, want)
	got, fes, err := ReadAttachment1(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadAttachment1: %v", err)
	}
	if len(fes) != 0 {
		t.Fatalf("got field errors %v, want none", fieldErrs(fes))
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.Row = 4 + i
		if got[i] != w {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], w)
		}
	}
}

func TestAttachment1Layout(t *testing.T) {
	f := openFile(t, writeA1(t, sampleRows()))
	sheet := f.GetSheetName(0)
	merges := mergeRefs(t, f, sheet)
	for _, ref := range []string{
		"A1:I1", "A2:B2", "C2:E2", "F2:H2", "I2:I3", // title and header
		"A4:A7", "A8:A9", // towns
		"B4:B6", "B8:B9", // villages
		"C4:C6", "D4:D6", "E4:E6", // the advisor over the three persons of 小寺头村
	} {
		if !merges[ref] {
			t.Errorf("got no merge %s, want one (merges %v)", ref, merges)
		}
	}
	for _, ref := range []string{"B7:B7", "C8:C9", "A4:A9", "F4:F6"} {
		if merges[ref] {
			t.Errorf("got merge %s, want none", ref)
		}
	}
	if got := len(merges); got != 12 {
		t.Errorf("got %d merged ranges, want 12: %v", got, merges)
	}

	for _, tc := range []struct{ cell, want string }{
		{"A1", a1Title},
		{"A2", "街道、村(社区)基本情况"},
		{"C2", "村(居)法律顾问基本情况"},
		{"F2", "法律明白人基本情况"},
		{"I2", "结对时间"},
		{"C3", "姓名"}, {"D3", "所在律所"}, {"E3", "联系电话"},
		{"F3", "姓名"}, {"G3", "职务"}, {"H3", "联系电话"},
		{"A4", "赭山街道"}, {"B4", "小寺头村"}, {"F6", "王五"}, {"H6", "0553-3812345"},
		{"I4", "2024-05-20"}, {"I9", ""},
	} {
		if got := cellValue(t, f, sheet, tc.cell); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.cell, got, tc.want)
		}
	}
	// The pairing date is a real date (a serial number underneath), the phone text.
	if raw, _ := f.GetCellValue(sheet, "I4", excelize.Options{RawCellValue: true}); raw != "45432" {
		t.Errorf("I4: got raw value %q, want the serial 45432", raw)
	}
	if typ, _ := f.GetCellType(sheet, "E4"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("E4: got cell type %v, want a string", typ)
	}

	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatalf("GetPageLayout: %v", err)
	}
	if pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("got orientation %v, want landscape", pl.Orientation)
	}
	if pl.Size == nil || *pl.Size != paperA4 {
		t.Errorf("got paper size %v, want A4 (%d)", pl.Size, paperA4)
	}
	if pl.FitToWidth == nil || *pl.FitToWidth != 1 {
		t.Errorf("got fit to width %v, want 1", pl.FitToWidth)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && strings.HasSuffix(dn.RefersTo, "!$1:$3") {
			found = true
		}
	}
	if !found {
		t.Errorf("got defined names %+v, want print titles $1:$3", f.GetDefinedName())
	}
}

func TestAttachment1Empty(t *testing.T) {
	data := writeA1(t, nil)
	rows, fes, err := ReadAttachment1(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("ReadAttachment1 of an empty table: %v", err)
	}
	if len(rows) != 0 || len(fes) != 0 {
		t.Fatalf("got %d rows and %v, want none", len(rows), fieldErrs(fes))
	}
}

// clerkFile builds a table the way a clerk fills it in: an instructions sheet
// first, an attachment label and the title above a two-level header with a
// 序号 column, merged town, village and advisor cells, a blank row, cells
// left blank instead of merged, dates in several forms, and footer lines.
func clerkFile(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "填表说明"); err != nil {
		t.Fatal(err)
	}
	info := sheetWriter{t, f, "填表说明"}
	info.set("A1", "请各司法所于6月20日前报区法宣办。")
	if _, err := f.NewSheet("附件1"); err != nil {
		t.Fatal(err)
	}
	s := sheetWriter{t, f, "附件1"}
	s.set("A1", "附件1")
	s.set("A2", " 镜湖区“1+N”行动结对情况统计表 ")
	s.merge("A2", "J2")
	s.row(3, "序号", "街道、村(社区)基本情况", nil, "村(居)法律顾问基本情况", nil, nil, "法律明白人基本情况", nil, nil, "结对时间")
	s.merge("A3", "A4")
	s.merge("B3", "C3")
	s.merge("D3", "F3")
	s.merge("G3", "I3")
	s.merge("J3", "J4")
	s.row(4, nil, "街道", "村（社区）", "姓名", "所在律所", "联系电话", "姓 名", "职务", "联系电话")

	s.row(5, 1, "赭山街道", "小寺头村", "王　明", "安徽甲律师事务所", "139 0553 0001", "张三", "村支书", 13905531001,
		time.Date(2024, 5, 20, 0, 0, 0, 0, time.UTC))
	s.row(6, 2, nil, nil, nil, nil, nil, " 李四 ", "村委委员", "139-0553-1002", "2024年6月15日")
	s.row(7, 3, nil, nil, nil, nil, nil, "王五", "网格员", "0553-3812345", "2024/6/15")
	s.merge("B5", "B10") // the town, over a blank row 8 too
	s.merge("C5", "C7")
	s.merge("D5", "D7")
	s.merge("E5", "E7")
	s.merge("F5", "F7")
	// Row 8 blank. Rows 9–10: not merged, the clerk left cells blank.
	s.row(9, 4, nil, "东城社区", "赵亮", "安徽乙律师事务所", "13905530002", "钱六", "居委主任", "13905531004", "2024.6.1")
	s.row(10, 5, nil, nil, nil, nil, nil, "孙七", "居委委员", "13905531005", "45458")
	s.set("A11", "填表人：刘某        填表日期：2024年6月20日")
	s.merge("A11", "J11")
	s.set("A12", "备注：结对时间以签订结对协议时间为准。")
	return saveFile(t, f)
}

func TestReadAttachment1Clerk(t *testing.T) {
	got, fes, err := ReadAttachment1(bytes.NewReader(clerkFile(t)))
	if err != nil {
		t.Fatalf("ReadAttachment1: %v", err)
	}
	if len(fes) != 0 {
		t.Fatalf("got field errors %v, want none", fieldErrs(fes))
	}
	wang := PairingRow{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001"}
	zhao := PairingRow{Town: "赭山街道", Village: "东城社区", AdvisorName: "赵亮", Firm: "安徽乙律师事务所", AdvisorPhone: "13905530002"}
	with := func(base PairingRow, row int, name, pos, phone, date string) PairingRow {
		base.Row, base.PersonName, base.Position, base.PersonPhone, base.PairedOn = row, name, pos, phone, date
		return base
	}
	want := []PairingRow{
		with(wang, 5, "张三", "村支书", "13905531001", "2024-05-20"),
		with(wang, 6, "李四", "村委委员", "13905531002", "2024-06-15"),
		with(wang, 7, "王五", "网格员", "0553-3812345", "2024-06-15"),
		with(zhao, 9, "钱六", "居委主任", "13905531004", "2024-06-01"),
		with(zhao, 10, "孙七", "居委委员", "13905531005", "2024-06-15"),
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadAttachment1Errors(t *testing.T) {
	rows := sampleRows()[:5]
	rows[2].PersonPhone = "1390553"       // row 6
	rows[3].PairedOn = "2024-13-01"       // row 7
	rows[4].PersonName = ""               // row 8
	rows[4].PersonPhone = ""              // row 8
	rows[4].AdvisorPhone = "139055300031" // row 8
	got, fes, err := ReadAttachment1(bytes.NewReader(writeA1(t, rows)))
	if err != nil {
		t.Fatalf("ReadAttachment1: %v", err)
	}
	wantErrs := []string{
		"6 H person_phone imp.bad_phone [1390553]",
		"7 I paired_on imp.bad_date [2024-13-01]",
		"8 E advisor_phone imp.bad_phone [139055300031]",
		"8 F person_name err.required",
		"8 H person_phone err.required",
	}
	if g := fieldErrs(fes); !equalStrings(g, wantErrs) {
		t.Errorf("got field errors\n%s\nwant\n%s", joinLines(g), joinLines(wantErrs))
	}
	if len(got) != 2 || got[0].Row != 4 || got[1].Row != 5 {
		t.Errorf("got rows %+v, want the good rows 4 and 5", got)
	}
}

func TestReadAttachment1Duplicate(t *testing.T) {
	rows := sampleRows()[:2]
	rows[1].PersonName, rows[1].PersonPhone = rows[0].PersonName, rows[0].PersonPhone
	got, fes, err := ReadAttachment1(bytes.NewReader(writeA1(t, rows)))
	if err != nil {
		t.Fatalf("ReadAttachment1: %v", err)
	}
	want := []string{"5 F person_name imp.duplicate [4]"}
	if g := fieldErrs(fes); !equalStrings(g, want) {
		t.Errorf("got %v, want %v", g, want)
	}
	if len(got) != 1 {
		t.Errorf("got %d rows, want 1", len(got))
	}
}

func TestReadAttachment1FileErrors(t *testing.T) {
	noHeader := excelize.NewFile()
	sheetWriter{t, noHeader, "Sheet1"}.row(1, "姓名", "年龄")
	missing := excelize.NewFile()
	sheetWriter{t, missing, "Sheet1"}.row(1, "街道", "村(社区)", "顾问姓名", "所在律所", "明白人姓名", "职务", "联系电话", "结对时间")
	for _, tc := range []struct {
		name string
		data []byte
		key  string
	}{
		{"empty", nil, "imp.not_xlsx"},
		{"text", []byte("街道,村\n"), "imp.not_xlsx"},
		{"xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "imp.xls_unsupported"},
		{"broken zip", []byte("PK\x03\x04garbage"), "imp.unreadable"},
		{"no header", saveFile(t, noHeader), "imp.no_header"},
		{"missing advisor phone", saveFile(t, missing), "imp.missing_column"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ReadAttachment1(bytes.NewReader(tc.data))
			wantKey(t, err, tc.key)
		})
	}
}

const a1CSV = "镜湖区“1+N”行动结对情况统计表,,,,,,,,,\n" +
	"序号,乡镇（街道）,村居,顾问姓名,律所,顾问电话,明白人姓名,职务,手机,结对日期\n" +
	"1,赭山街道,小寺头村,王明,安徽甲律师事务所,13905530001,张三,村支书,13905531001,2024-05-20\n" +
	"2,,,,,,李四,村委委员,+86 139 0553 1002,2024/6/15\n" +
	",,,,,,,,,\n" +
	"3,,东城社区,赵亮,安徽乙律师事务所,13905530002,钱六,居委主任,13905531004,45444\n" +
	"填表人：刘某,,,,,,,,,\n"

func wantCSVRows() []PairingRow {
	return []PairingRow{
		{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001",
			PersonName: "张三", Position: "村支书", PersonPhone: "13905531001", PairedOn: "2024-05-20", Row: 3},
		{Town: "赭山街道", Village: "小寺头村", AdvisorName: "王明", Firm: "安徽甲律师事务所", AdvisorPhone: "13905530001",
			PersonName: "李四", Position: "村委委员", PersonPhone: "13905531002", PairedOn: "2024-06-15", Row: 4},
		{Town: "赭山街道", Village: "东城社区", AdvisorName: "赵亮", Firm: "安徽乙律师事务所", AdvisorPhone: "13905530002",
			PersonName: "钱六", Position: "居委主任", PersonPhone: "13905531004", PairedOn: "2024-06-01", Row: 6},
	}
}

func TestReadAttachment1CSV(t *testing.T) {
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(a1CSV)
	if err != nil {
		t.Fatal(err)
	}
	official := "街道,村(社区),顾问姓名,所在律所,顾问电话,明白人姓名,职务,明白人电话,结对时间\r\n" +
		"赭山街道,小寺头村,王明,安徽甲律师事务所,13905530001,张三,村支书,13905531001,2024-05-20\r\n"
	for _, tc := range []struct {
		name string
		data []byte
		want []PairingRow
	}{
		{"utf8", []byte(a1CSV), wantCSVRows()},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, a1CSV...), wantCSVRows()},
		{"gb18030", []byte(gb), wantCSVRows()},
		{"tabs", []byte(strings.ReplaceAll(a1CSV, ",", "\t")), wantCSVRows()},
		{"official header", []byte(official), func() []PairingRow {
			r := wantCSVRows()[:1]
			r[0].Row = 2
			return r
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, fes, err := ReadAttachment1CSV(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatalf("ReadAttachment1CSV: %v", err)
			}
			if len(fes) != 0 {
				t.Fatalf("got field errors %v, want none", fieldErrs(fes))
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d rows %+v, want %d", len(got), got, len(tc.want))
			}
			for i := range tc.want {
				if got[i] != tc.want[i] {
					t.Errorf("row %d: got %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestReadAttachment1CSVErrors(t *testing.T) {
	data := "街道,村(社区),顾问姓名,所在律所,顾问电话,明白人姓名,职务,明白人电话,结对时间\n" +
		"赭山街道,小寺头村,王明,甲所,13905530001,张三,村支书,13905531001,2024-05-20\n" +
		",,,,,李四,村委委员,12345,6月15日\n" +
		"范罗山街道,,,,,王五,网格员,13905531003,\n"
	got, fes, err := ReadAttachment1CSV(strings.NewReader(data))
	if err != nil {
		t.Fatalf("ReadAttachment1CSV: %v", err)
	}
	want := []string{
		"3 H person_phone imp.bad_phone [12345]",
		"3 I paired_on imp.bad_date [6月15日]",
		// A new town does not inherit the village or advisor of the last one.
		"4 B village err.required",
		"4 C advisor_name err.required",
		"4 E advisor_phone err.required",
	}
	if g := fieldErrs(fes); !equalStrings(g, want) {
		t.Errorf("got field errors\n%s\nwant\n%s", joinLines(g), joinLines(want))
	}
	if len(got) != 1 {
		t.Errorf("got %d rows, want 1", len(got))
	}
}
