package dash_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/dash"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
)

const (
	dwCounty  = "621025000000" // 正宁县
	dwTown    = "621025100000" // 山河镇
	dwVillage = "621025100001" // zn-village's village
)

// dwApp is the demo with (on top of whatever the demo records) ten months of
// services at dwVillage under the Zhengning preset.
func dwApp(t *testing.T) *apptest.App {
	t.Helper()
	app := apptest.New(t)
	ctx := context.Background()
	admin := &counsel.Actor{Username: "t-admin", Role: counsel.RoleAdmin}
	if err := ledger.NewService(app.Svc).SavePolicy(ctx, admin, dwCounty, policy.Zhengning()); err != nil {
		t.Fatal(err)
	}
	g, err := registry.LiveAgreementFor(ctx, app.DB, dwVillage)
	if err != nil {
		t.Fatal(err)
	}
	kinds := []string{policy.KindOnsiteDuty, policy.KindLecture, policy.KindConsultation, policy.KindMediation}
	for m := 1; m <= 10; m++ {
		e := &counsel.Entry{VillageCode: dwVillage, AdvisorID: g.AdvisorID, Kind: kinds[m%len(kinds)], Mode: policy.ModeOnsite,
			Date: fmt.Sprintf("2026-%02d-10", m), Minutes: 60 * m, Content: "到村服务"}
		if m%3 == 0 {
			e.Mode = policy.ModePhone
		}
		if _, err := ledger.NewService(app.Svc).RecordEntry(ctx, admin, e); err != nil {
			t.Fatalf("record: %v", err)
		}
	}
	return app
}

var dwDataRe = regexp.MustCompile(`(?s)<script type="application/json" id="dash-data">(.*?)</script>`)

// dwStrictPage checks what the CSP forbids: no inline style attribute or
// element, no inline script except the JSON data block.
func dwStrictPage(t *testing.T, body string) {
	t.Helper()
	if strings.Contains(body, " style=") || strings.Contains(body, "<style") {
		t.Fatal("page has inline style")
	}
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(m, " src=") && !strings.Contains(m, `type="application/json"`) {
			t.Fatalf("inline script %s", m)
		}
	}
}

func TestDashboardPageAndAPI(t *testing.T) {
	app := dwApp(t)
	bureau := app.Session("zn-bureau")
	st, body := bureau.Body("GET", "/dashboard?region="+dwCounty+"&year=2026", nil)
	if st != 200 {
		t.Fatalf("dashboard: %d %.300s", st, body)
	}
	dwStrictPage(t, body)
	m := dwDataRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data block")
	}
	var chart struct {
		Kinds        []string   `json:"kinds"`
		Months       []string   `json:"months"`
		MonthEntries []*float64 `json:"month_entries"`
		Children     []string   `json:"children"`
		ChildRate    []*float64 `json:"child_rate"`
	}
	if err := json.Unmarshal([]byte(m[1]), &chart); err != nil {
		t.Fatalf("chart data %q: %v", m[1], err)
	}
	if len(chart.Kinds) < 4 || len(chart.Months) != 12 || chart.MonthEntries[0] == nil || *chart.MonthEntries[0] < 1 || len(chart.Children) == 0 || len(chart.ChildRate) != len(chart.Children) {
		t.Fatalf("chart data = %+v", chart)
	}
	for _, want := range []string{"vendor/echarts.min.js", "dash.js", `href="/dashboard?region=` + dwTown + `&amp;year=2026"`, "山河镇", "/reports/ledger?region=" + dwCounty} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}

	// The API answers the same value the service computes.
	var got dash.Dashboard
	if st := bureau.JSON("GET", "/api/v1/dashboard?region="+dwCounty+"&year=2026", nil, &got); st != 200 {
		t.Fatalf("api: %d", st)
	}
	want, err := app.Feats.Dash.Svc.Dashboard(context.Background(), &counsel.Actor{Role: counsel.RoleBureau, RegionCode: dwCounty}, dwCounty, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if got.Services != want.Services || got.Services.Entries < 10 || len(got.Children) != len(want.Children) || got.Compliance.Closed != want.Compliance.Closed {
		t.Fatalf("api services %+v compliance %+v, service %+v %+v", got.Services, got.Compliance, want.Services, want.Compliance)
	}
	if st, _ := bureau.Body("GET", "/api/v1/dashboard?year=abc", nil); st != 422 {
		t.Fatalf("bad year: %d, want 422", st)
	}

	// The village committee: its advisor, its duties with reasons, the entries link.
	village := app.Session("zn-village")
	st, body = village.Body("GET", "/dashboard?year=2026", nil)
	if st != 200 {
		t.Fatalf("village dashboard: %d", st)
	}
	dwStrictPage(t, body)
	for _, want := range []string{"/ledger/entries?village=" + dwVillage, "/advisors/", "dash-st-", "小时"} {
		if !strings.Contains(html.UnescapeString(body), want) {
			t.Errorf("village dashboard lacks %q", want)
		}
	}
	// Providers and advisors are refused.
	if st, _ := app.Session("zn-advisor").Body("GET", "/dashboard", nil); st != 403 {
		t.Fatalf("advisor: %d, want 403", st)
	}
}

func TestReportPagesAndXLSX(t *testing.T) {
	app := dwApp(t)
	bureau := app.Session("zn-bureau")
	ctx := context.Background()
	actor := &counsel.Actor{Role: counsel.RoleBureau, RegionCode: dwCounty}
	rp, err := app.Feats.Dash.Svc.Report(ctx, actor, dwCounty, 2026, 0)
	if err != nil {
		t.Fatal(err)
	}

	st, body := bureau.Body("GET", "/reports/ledger?region="+dwCounty+"&year=2026&half=0", nil)
	if st != 200 {
		t.Fatalf("ledger page: %d %.300s", st, body)
	}
	dwStrictPage(t, body)
	for _, want := range []string{"正宁县村（居）法律顾问工作台账统计表", "2026年度", "print.js", "rp-total", "山河镇", "法律顾问履职统计"} {
		if !strings.Contains(body, want) {
			t.Errorf("ledger page lacks %q", want)
		}
	}

	resp := bureau.Do("GET", "/reports/ledger.xlsx?region="+dwCounty+"&year=2026&half=0", nil, "")
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "ledger-report-2026-h0.xlsx") {
		t.Fatalf("xlsx: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sh := f.GetSheetList(); len(sh) != 2 || sh[0] != "台账统计" || sh[1] != "法律顾问" {
		t.Fatalf("sheets = %v", sh)
	}
	rows, err := f.GetRows("台账统计")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows[0][0], "正宁县") || rows[3][0] != "序号" || rows[3][4] != "服务合计" || rows[4][4] != "次数" {
		t.Fatalf("head = %q / %q / %q", rows[0], rows[3], rows[4])
	}
	// The total row: label over the leading columns, the totals, as numbers.
	var total []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "合计" {
			total = r
		}
	}
	if total == nil || total[4] != fmt.Sprint(rp.Total.Services.Entries) || total[5] != rp.Total.Services.Hours() {
		t.Fatalf("total row = %q, want %d entries %s hours", total, rp.Total.Services.Entries, rp.Total.Services.Hours())
	}
	adv, _ := f.GetRows("法律顾问")
	if len(adv) < 6 || adv[5][1] == "" {
		t.Fatalf("advisor sheet = %q", adv)
	}

	// The yearly report, page and workbook.
	st, body = bureau.Body("GET", "/reports/annual?region="+dwCounty+"&year=2026", nil)
	if st != 200 {
		t.Fatalf("annual page: %d", st)
	}
	dwStrictPage(t, body)
	for _, want := range []string{"正宁县2026年度村（居）法律顾问工作情况报告", "一、基本情况", "四、法律顾问年度考核结果", fmt.Sprintf("共记录服务%d次", rp.Total.Services.Entries)} {
		if !strings.Contains(body, want) {
			t.Errorf("annual page lacks %q", want)
		}
	}
	resp = bureau.Do("GET", "/reports/annual.xlsx?region="+dwCounty+"&year=2026", nil, "")
	buf.Reset()
	_, _ = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	f2, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if sh := f2.GetSheetList(); len(sh) != 5 || sh[0] != "概况" || sh[1] != "按类别" || sh[2] != "按月份" {
		t.Fatalf("annual sheets = %v", sh)
	}
	sum, _ := f2.GetRows("概况")
	found := false
	for _, r := range sum {
		if len(r) == 2 && r[0] == "服务次数" && r[1] == fmt.Sprint(rp.Total.Services.Entries) {
			found = true
		}
	}
	if !found {
		t.Fatalf("summary = %q", sum)
	}
	months, _ := f2.GetRows("按月份")
	if last := months[len(months)-1]; last[0] != "合计" || last[1] != fmt.Sprint(rp.Total.Services.Entries) {
		t.Fatalf("months total = %q", last)
	}
	// Another county's bureau is refused.
	if st, _ := app.Session("jh-bureau").Body("GET", "/reports/ledger.xlsx?region="+dwCounty, nil); st != 404 {
		t.Fatalf("other county: %d, want 404", st)
	}
}
