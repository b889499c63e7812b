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
