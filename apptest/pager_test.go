package apptest_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

// The pager says where the page is and how many there are, in words; a
// list that fits one page says its total; an empty list shows no bare "0".
func TestPagerInWords(t *testing.T) {
	app := apptest.New(t)
	admin := app.Session("admin")
	st, body := admin.Page(t, "/ledger/entries")
	if st != 200 || !regexp.MustCompile(`第 1–50 条，共 [\d,]+ 条`).MatchString(body) || !strings.Contains(body, "下一页") {
		t.Fatalf("/ledger/entries: status %d; want the pager '第 1–50 条，共 N 条' with 下一页", st)
	}
	st, body = admin.Page(t, "/major")
	if st != 200 || regexp.MustCompile(`<p class="muted">\s*0\s*</p>`).MatchString(body) {
		t.Fatalf("/major: status %d; an empty list shows a bare 0", st)
	}
}
