package ledger_test

import (
	"sort"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// TestEntrySearch finds entries by words of their content and place through
// the full-text index: Chinese of one, two, three and five characters,
// digits and Latin letters mixed in, any case; and a county never finds
// another county's entries.
func TestEntrySearch(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		rec := func(a *counsel.Actor, village, content, place string) int64 {
			e := testworld.OnsiteEntry("2026-06-03", 60)
			e.VillageCode, e.Content, e.Place = village, content, place
			return w.Record(a, e).ID
		}
		ja := &counsel.Actor{Username: "t-jh-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}
		land := rec(w.Advisor, testworld.Dongguan, "调解土地承包经营权纠纷，双方达成协议", "村委会")
		wage := rec(w.Advisor, testworld.Dongguan, "解答劳动报酬咨询：拖欠工资3个月，建议申请劳动仲裁", "东关村文化广场")
		loan := rec(w.Advisor, testworld.Dongguan, "审查借款合同 No.2026-A17，提示利率超过LPR四倍的部分无效", "村委会")
		jhLand := rec(ja, testworld.Tiancheng, "调解土地承包经营权纠纷，未达成协议", "天城村委会")

		find := func(a *counsel.Actor, q string) []int64 {
			t.Helper()
			l, err := w.Lg.Entries(w.Ctx, a, ledger.EntryFilter{Q: q, Page: counsel.Page{Limit: 100}})
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			if len(l.Items) != l.Total {
				t.Fatalf("search %q: %d items, total %d", q, len(l.Items), l.Total)
			}
			var out []int64
			for _, e := range l.Items {
				out = append(out, e.ID)
			}
			sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
			return out
		}
		same := func(what string, got []int64, want ...int64) {
			t.Helper()
			sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
			if len(got) != len(want) {
				t.Fatalf("%s: found %v, want %v", what, got, want)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%s: found %v, want %v", what, got, want)
				}
			}
		}
		// As the administrator (both counties).
		same("1 character 薪 (none)", find(w.Admin, "薪"))
		same("1 character 欠", find(w.Admin, "欠"), wage)
		same("2 characters 调解", find(w.Admin, "调解"), land, jhLand)
		same("2 characters 仲裁", find(w.Admin, "仲裁"), wage)
		same("3 characters 经营权", find(w.Admin, "经营权"), land, jhLand)
		same("5 characters 劳动报酬咨", find(w.Admin, "劳动报酬咨"), wage)
		same("5 characters not adjacent 土地经营权", find(w.Admin, "土地经营权"))
		same("the place 文化广场", find(w.Admin, "文化广场"), wage)
		same("digits 2026-A17", find(w.Admin, "2026-A17"), loan)
		same("Latin any case lpr", find(w.Admin, "lpr"), loan)
		same("mixed 3个月", find(w.Admin, "3个月"), wage)
		same("Latin and digits no.2026", find(w.Admin, "no.2026"), loan)
		same("达成协议 (both counties)", find(w.Admin, "达成协议"), land, jhLand)
		same("未达成", find(w.Admin, "未达成"), jhLand)
		same("a village's name 天城", find(w.Admin, "天城"), jhLand)
		// Scope: 正宁县 never finds 镜湖区's entries, and the reverse.
		same("正宁县 调解", find(w.ZNBureau, "调解"), land)
		same("正宁县 经营权纠纷", find(w.ZNBureau, "经营权纠纷"), land)
		same("正宁县 未达成", find(w.ZNBureau, "未达成"))
		same("镜湖区 经营权", find(w.JHBureau, "经营权"), jhLand)
		same("镜湖区 欠", find(w.JHBureau, "欠"))
		same("镜湖区 文化广场", find(w.JHBureau, "文化广场"))
		// The export finds what the list finds.
		var exported []int64
		if err := w.Lg.EachEntry(w.Ctx, w.ZNBureau, ledger.EntryFilter{Q: "经营权"}, func(e counsel.Entry) error {
			exported = append(exported, e.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		same("export 经营权 as 正宁县", exported, land)
	})
}
