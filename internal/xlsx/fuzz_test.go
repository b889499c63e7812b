package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func FuzzReadAttachment1CSV(f *testing.F) {
	gb, _ := simplifiedchinese.GB18030.NewEncoder().String(a1CSV)
	for _, seed := range []string{
		a1CSV,
		"\ufeff" + a1CSV,
		gb,
		strings.ReplaceAll(a1CSV, ",", "\t"),
		"街道,村(社区),顾问姓名,所在律所,顾问电话,明白人姓名,职务,明白人电话,结对时间\n,,,,,,,,\n,,,,,甲,,1,x\n",
		"姓名,职务,结对时间\n\"a\nb\",\"c\"\"d\",2024年\n",
		"",
		"\xff\xfe\x00\x00",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, fes, err := ReadAttachment1CSV(bytes.NewReader(data))
		if err != nil {
			if len(rows) != 0 || len(fes) != 0 {
				t.Fatalf("got %d rows and %d field errors with error %v", len(rows), len(fes), err)
			}
			return
		}
		for _, fe := range fes {
			if fe.Row < 1 {
				t.Fatalf("got field error %+v, want Row ≥ 1", fe)
			}
			if fe.Key == "" || fe.Field == "" {
				t.Fatalf("got field error %+v, want a key and a field", fe)
			}
		}
		for _, r := range rows {
			if r.Row < 1 || r.Town == "" || r.Village == "" || r.AdvisorName == "" || r.PersonName == "" {
				t.Fatalf("got incomplete row %+v", r)
			}
			if r.PairedOn != "" {
				if d, ok := ParseDate(r.PairedOn); !ok || d != r.PairedOn {
					t.Fatalf("got row date %q, want YYYY-MM-DD", r.PairedOn)
				}
			}
		}
	})
}

// FuzzReadAttachment1 feeds the xlsx reader arbitrary bytes, seeded with real
// workbooks (a table, an empty one, one refused as too many columns): it must
// never panic, and anything it returns must be consistent.
func FuzzReadAttachment1(f *testing.F) {
	for _, rows := range [][]PairingRow{nil, {{Town: "城关镇", Village: "东关村", AdvisorName: "张三", AdvisorPhone: "13912345678", PersonName: "李四", PersonPhone: "13812345678", PairedOn: "2024-01-02"}}} {
		var buf bytes.Buffer
		if err := WriteAttachment1(&buf, "附件1", rows); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, fes, err := ReadAttachment1(bytes.NewReader(data))
		if err != nil && (len(rows) != 0 || len(fes) != 0) {
			t.Fatalf("got %d rows and %d field errors with error %v", len(rows), len(fes), err)
		}
		for _, fe := range fes {
			if fe.Row < 1 || fe.Key == "" {
				t.Fatalf("got field error %+v", fe)
			}
		}
	})
}

// FuzzReadRostersCSV feeds the provider and advisor CSV readers arbitrary
// text: no panic, and field errors always name a row.
func FuzzReadRostersCSV(f *testing.F) {
	for _, seed := range []string{
		"机构名称,类型,统一社会信用代码,联系电话,地址\n甲律师事务所,律师事务所,,0934-1234567,西峰区\n",
		"姓名,执业机构,执业证号,联系电话\n张三,甲律师事务所,16210201110123456,13912345678\n",
		strings.Repeat(",", 5000) + "\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, fes, err := ReadProvidersCSV(bytes.NewReader(data))
		for _, fe := range fes {
			if err == nil && fe.Row < 1 {
				t.Fatalf("providers: field error %+v without a row", fe)
			}
		}
		_, fes, err = ReadAdvisorsCSV(bytes.NewReader(data))
		for _, fe := range fes {
			if err == nil && fe.Row < 1 {
				t.Fatalf("advisors: field error %+v without a row", fe)
			}
		}
	})
}
