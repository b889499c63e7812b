package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	counsel "github.com/villagecounsel/counsel"
)

func sampleProviders(t *testing.T) []counsel.Provider {
	t.Helper()
	return []counsel.Provider{
		{Kind: counsel.ProviderLawFirm, Name: "安徽甲律师事务所", CreditCode: creditCode(t, "31340000MD0123456"),
			Phone: "0553-3812345", Address: "芜湖市镜湖区中山北路1号"},
		{Kind: counsel.ProviderServiceOffice, Name: "镜湖区赭山法律服务所", CreditCode: creditCode(t, "52340202MJ0987654"),
			Phone: "13905530009"},
		{Kind: counsel.ProviderJudicialOffice, Name: "赭山街道司法所"},
		{Kind: counsel.ProviderLegalAid, Name: "镜湖区法律援助中心", CreditCode: creditCode(t, "12340202MB1234567")},
	}
}

func TestProvidersRoundTrip(t *testing.T) {
	want := sampleProviders(t)
	var buf bytes.Buffer
	if err := WriteProviders(&buf, want); err != nil {
		t.Fatalf("WriteProviders: %v", err)
	}
	f := openFile(t, buf.Bytes())
	if got := cellValue(t, f, f.GetSheetName(0), "B2"); got != "类型" {
		t.Errorf("B2: got %q, want header 类型", got)
	}
	if got := cellValue(t, f, f.GetSheetName(0), "B3"); got != "律师事务所" {
		t.Errorf("B3: got %q, want 律师事务所", got)
	}
	got, fes, err := ReadProviders(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ReadProviders: %v", err)
	}
	if len(fes) != 0 {
		t.Fatalf("got field errors %v, want none", fieldErrs(fes))
	}
	if len(got) != len(want) {
		t.Fatalf("got %d providers, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("provider %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestReadProvidersErrors(t *testing.T) {
	good := creditCode(t, "31340000MD0123456")
	bad := good[:17] + "Y"
	if bad == good {
		bad = good[:17] + "X"
	}
	f := excelize.NewFile()
	s := sheetWriter{t, f, "Sheet1"}
	s.set("A1", "镜湖区法律服务机构名册")
	s.row(2, "序号", "单位名称", "单位类型", "统一社会信用代码", "电话", "办公地址")
	s.row(3, 1, "安徽甲律师事务所", "律所", good, "0553－3812345", "中山北路1号")
	s.row(4, 2, "安徽乙律师事务所", "律师事务所", bad, "", "")
	s.row(5, 3, "", "公司", "", "123", "")
	s.row(6, 4, "安徽甲律师事务所", "律师事务所", good, "", "")
	s.row(8, "填表人：刘某")
	got, fes, err := ReadProviders(bytes.NewReader(saveFile(t, f)))
	if err != nil {
		t.Fatalf("ReadProviders: %v", err)
	}
	want := []string{
		"4 D credit_code err.credit_code",
		"5 B name err.required",
		"5 C kind imp.bad_kind [公司]",
		"5 E phone err.phone",
		"6 B name imp.duplicate [3]",
	}
	if g := fieldErrs(fes); !equalStrings(g, want) {
		t.Errorf("got field errors\n%s\nwant\n%s", joinLines(g), joinLines(want))
	}
	if len(got) != 1 || got[0].Phone != "0553-3812345" || got[0].Kind != counsel.ProviderLawFirm {
		t.Errorf("got %+v, want the first provider, normalised", got)
	}
}

func TestReadProvidersCSV(t *testing.T) {
	good := creditCode(t, "31340000MD0123456")
	text := "单位名称,类型,统一社会信用代码,联系电话,地址\n" +
		"安徽甲律师事务所,律师事务所," + strings.ToLower(good) + ",0553-3812345,中山北路1号\n" +
		"赭山街道司法所,司法所,,,\n" +
		"安徽乙律师事务所,律师事务所,ABC,,\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"utf8": text, "gb18030": gb} {
		got, fes, err := ReadProvidersCSV(strings.NewReader(data))
		if err != nil {
			t.Fatalf("%s: ReadProvidersCSV: %v", name, err)
		}
		want := []string{"4 C credit_code err.credit_code"}
		if g := fieldErrs(fes); !equalStrings(g, want) {
			t.Errorf("%s: got %v, want %v", name, g, want)
		}
		if len(got) != 2 || got[0].CreditCode != good || got[1].Kind != counsel.ProviderJudicialOffice {
			t.Errorf("%s: got %+v, want two providers", name, got)
		}
	}
}

func sampleAdvisors() []AdvisorRow {
	a := func(kind, name, gender, licence, provider, phone, wechat string) AdvisorRow {
		return AdvisorRow{Advisor: counsel.Advisor{Kind: kind, Name: name, Gender: gender, LicenceNo: licence,
			Phone: phone, WeChat: wechat, Active: true}, ProviderName: provider}
	}
	return []AdvisorRow{
		a(counsel.AdvisorLawyer, "王明", "m", "13402201810123456", "安徽甲律师事务所", "13905530001", "wangming_law"),
		a(counsel.AdvisorGrassroots, "赵亮", "", "GR340202001", "镜湖区赭山法律服务所", "13905530002", ""),
		a(counsel.AdvisorPublicLawyer, "孙丽", "f", "13402201910654321", "镜湖区法律援助中心", "0553-3812345", ""),
		a(counsel.AdvisorJudicialStaff, "吴刚", "m", "", "赭山街道司法所", "13905530004", "wugang"),
	}
}

func TestAdvisorsRoundTrip(t *testing.T) {
	want := sampleAdvisors()
	var buf bytes.Buffer
	if err := WriteAdvisors(&buf, want); err != nil {
		t.Fatalf("WriteAdvisors: %v", err)
	}
	f := openFile(t, buf.Bytes())
	sheet := f.GetSheetName(0)
	for cell, v := range map[string]string{"A2": "姓名", "G2": "微信号", "B3": "男", "C4": "基层法律服务工作者", "D3": "13402201810123456"} {
		if got := cellValue(t, f, sheet, cell); got != v {
			t.Errorf("%s: got %q, want %q", cell, got, v)
		}
	}
	got, fes, err := ReadAdvisors(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ReadAdvisors: %v", err)
	}
	if len(fes) != 0 {
		t.Fatalf("got field errors %v, want none", fieldErrs(fes))
	}
	if len(got) != len(want) {
		t.Fatalf("got %d advisors, want %d", len(got), len(want))
	}
	for i := range want {
		w := want[i]
		w.Row = 3 + i
		if got[i] != w {
			t.Errorf("advisor %d: got %+v, want %+v", i, got[i], w)
		}
	}
}

func TestReadAdvisorsErrors(t *testing.T) {
	text := "\ufeff序号,姓名,性别,人员类型,执业证号,执业机构,手机,微信\n" +
		"1,王 明,男,执业律师,13402201810123456,安徽甲律师事务所,139 0553 0001,\n" +
		"2,赵亮,未知,律师,1340220181012345,安徽甲律师事务所,13905530002,\n" +
		"3,孙丽,女,调解员,,安徽甲律师事务所,13905530003,\n" +
		"4,吴刚,男,司法所长,,,1390553,\n" +
		"5,周强,男,律师,13402201810123456,安徽乙律师事务所,13905530005,\n"
	got, fes, err := ReadAdvisorsCSV(strings.NewReader(text))
	if err != nil {
		t.Fatalf("ReadAdvisorsCSV: %v", err)
	}
	want := []string{
		"3 C gender imp.bad_gender [未知]",
		"3 E licence_no err.licence",
		"4 D kind imp.bad_kind [调解员]",
		"5 F provider_name err.required",
		"5 G phone err.phone",
		"6 E licence_no imp.duplicate [2]",
	}
	if g := fieldErrs(fes); !equalStrings(g, want) {
		t.Errorf("got field errors\n%s\nwant\n%s", joinLines(g), joinLines(want))
	}
	if len(got) != 1 || got[0].Name != "王明" || got[0].Phone != "13905530001" || got[0].Row != 2 {
		t.Errorf("got %+v, want 王明 from row 2, normalised", got)
	}
}

func TestReadRosterHeaderErrors(t *testing.T) {
	_, _, err := ReadAdvisorsCSV(strings.NewReader("姓名,类型,联系电话\n王明,律师,13905530001\n"))
	wantKey(t, err, "imp.missing_column")
	_, _, err = ReadProvidersCSV(strings.NewReader("a,b,c\n1,2,3\n"))
	wantKey(t, err, "imp.no_header")
}
