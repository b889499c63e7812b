package money_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/money"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func at(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
}

// settleWorld prepares 正宁县's 2026: 东关村 (G1, 王伟) a county-level
// underdeveloped village with on-site hours recorded (Q1 8 h, Q2 none, Q3
// 6 h, Q4 8 h); 小寺头村 served by 张敏 (G2) from January to July, then
// replaced by 李娜 from August. Standards: the city raises the floor to
// 6,000 yuan; the county pays 7,000 for county-level underdeveloped villages
// and its towns bear 30% of the others. Rules: 250 yuan per hour short of
// the quarter's on-site minimum, capped at 2,200 yuan a line.
func settleWorld(t *testing.T, w *mWorld) (replacement *counsel.Agreement) {
	t.Helper()
	if err := w.Lg.SavePolicy(w.Ctx, w.ZNBureau, testworld.ZN, policy.Zhengning()); err != nil {
		t.Fatal(err)
	}
	if err := w.Svc.SetVillageFlags(w.Ctx, w.ZNBureau, testworld.Dongguan, counsel.UnderdevelopedCounty, false); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.SaveStandard(w.Ctx, w.City, money.StandardInput{BaseFen: 600000}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.SaveStandard(w.Ctx, w.ZNBureau, money.StandardInput{BaseFen: 600000, CountyFen: 700000, TownSharePct: 30}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.m.AddRule(w.Ctx, w.ZNBureau, money.DeductionRule{Kind: money.RuleHourShort, DutyRule: "onsite_hours_quarter", AmountFen: 25000, CapFen: 220000}); err != nil {
		t.Fatal(err)
	}
	// 张敏 served 小寺头村 January to July; 李娜 from August.
	g2 := *w.G2
	g2.EndDate = "2026-07-31"
	if err := w.Svc.SaveAgreement(w.Ctx, counsel.System, &g2); err != nil {
		t.Fatalf("end G2: %v", err)
	}
	g3 := w.NewAgreement(w.ZA2, testworld.Xiaositou, counsel.AgreementFiled)
	g3.StartDate = "2026-08-01"
	if err := w.Svc.SaveAgreement(w.Ctx, counsel.System, g3); err != nil {
		t.Fatalf("replacement: %v", err)
	}
	for _, e := range []struct {
		now  time.Time
		date string
		min  int
	}{{at(2026, 3, 20), "2026-03-20", 480}, {at(2026, 8, 20), "2026-08-20", 360}, {at(2026, 11, 20), "2026-11-20", 480}} {
		w.Now = e.now
		w.Record(w.Advisor, testworld.OnsiteEntry(e.date, e.min))
	}
	// The ledger's daily job makes each period's rows as it begins.
	for m := time.July; m <= time.December; m++ {
		day := at(2026, m, 1)
		w.Now = day
		if _, err := w.Lg.EnsurePeriods(w.Ctx, day.Format("2006-01-02")); err != nil {
			t.Fatal(err)
		}
	}
	w.Now = at(2027, 1, 10)
	return g3
}

// lineBy finds a settlement's line of an agreement.
func lineBy(t *testing.T, lines []money.Line, agreement int64) money.Line {
	t.Helper()
	for _, l := range lines {
		if l.AgreementID == agreement {
			return l
		}
	}
	t.Fatalf("no line for agreement %d in %+v", agreement, lines)
	return money.Line{}
}

// payTotals maps each payer of a settlement to its list's total, checking
// that every list's total is the sum of its rows and spelt in capitals.
func payTotals(t *testing.T, w *mWorld, a *counsel.Actor, id int64) map[string]money.Fen {
	t.Helper()
	payers, err := w.m.Payers(w.Ctx, a, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]money.Fen{}
	for _, p := range payers {
		pl, err := w.m.PayList(w.Ctx, a, id, p.Code)
		if err != nil {
			t.Fatalf("list of %s: %v", p.Code, err)
		}
		var sum money.Fen
		for _, r := range pl.Rows {
			sum += r.Fen
		}
		if sum != pl.TotalFen || pl.TotalFen != p.TotalFen || pl.Capitals != money.Capitals(sum) {
			t.Errorf("list of %s: rows %d, total %d, payer total %d, capitals %s", p.Code, sum, pl.TotalFen, p.TotalFen, pl.Capitals)
		}
		out[p.Code] = pl.TotalFen
	}
	return out
}

// TestSettlement works 正宁县's 2026 by hand (see settleWorld).
//
//	东关村 (county-level underdeveloped, county finance): 7,000 yuan × 12/12;
//	  Q2 0/8 h → 2,000; Q3 6/8 h → 500, capped at 2,200 → 200; due 4,800.
//	小寺头村, 张敏 Jan–Jul: 6,000 × 7/12 = 3,500; Q1 and Q2 0/8 h → 2,000 + 200
//	  (capped), July's part of Q3 (0/3 h) → 0 (capped); due 1,300, the town's
//	  30% = 390.
//	小寺头村, 李娜 Aug–Dec: 6,000 × 5/12 = 2,500; Q4 0/8 h → 2,000; due 500,
//	  the town's 30% = 150.
//	County finance 4,800 + 910 + 350 = 6,060; 榆林子镇 390 + 150 = 540;
//	total 6,600 yuan.
func TestSettlement(t *testing.T) {
	mEngines(t, func(t *testing.T, w *mWorld) {
		g3 := settleWorld(t, w)
		before := w.Counts()
		for name, c := range map[string]struct {
			a    *counsel.Actor
			in   money.RunInput
			code counsel.Code
		}{
			"another county": {w.JHBureau, money.RunInput{RegionCode: testworld.ZN, Year: 2026}, counsel.CodeForbidden},
			"the city":       {w.City, money.RunInput{RegionCode: testworld.ZN, Year: 2026}, counsel.CodeForbidden},
			"judicial":       {w.Judicial, money.RunInput{RegionCode: testworld.ZN, Year: 2026}, counsel.CodeForbidden},
			"bad year":       {w.ZNBureau, money.RunInput{Year: 1999}, counsel.CodeInvalid},
			"bad half":       {w.ZNBureau, money.RunInput{Year: 2026, Half: 3}, counsel.CodeInvalid},
		} {
			_, err := w.m.Run(w.Ctx, c.a, c.in)
			testworld.WantCode(t, name, err, c.code)
		}
		w.SameCounts("refused runs", before, w.Counts())

		st, err := w.m.Run(w.Ctx, w.ZNBureau, money.RunInput{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		_, lines, _, err := w.m.Settlement(w.Ctx, w.ZNBureau, st.ID)
		if err != nil || len(lines) != 3 {
			t.Fatalf("lines: %d %v", len(lines), err)
		}
		dg := lineBy(t, lines, w.G1.ID)
		if dg.StandardFen != 700000 || dg.Months != 12 || dg.ProratedFen != 700000 || dg.DeductionFen != 220000 || dg.DueFen != 480000 ||
			dg.PayerKind != money.PayerCounty || dg.PayerCode != testworld.ZN || dg.TownFen != 0 || len(dg.Details) != 2 {
			t.Errorf("东关村: %+v", dg)
		}
		if want := "2026年第3季度到村服务 6/8 小时，扣减 200.00 元（已达扣减上限）"; len(dg.Details) == 2 && dg.Details[1].Reason != want {
			t.Errorf("东关村 Q3 reason %q, want %q", dg.Details[1].Reason, want)
		}
		a := lineBy(t, lines, w.G2.ID)
		if a.Months != 7 || a.StandardFen != 600000 || a.ProratedFen != 350000 || a.DeductionFen != 220000 || a.DueFen != 130000 || a.TownFen != 39000 {
			t.Errorf("小寺头村 Jan–Jul: %+v", a)
		}
		b := lineBy(t, lines, g3.ID)
		if b.Months != 5 || b.ProratedFen != 250000 || b.DeductionFen != 200000 || b.DueFen != 50000 || b.TownFen != 15000 {
			t.Errorf("小寺头村 Aug–Dec: %+v", b)
		}
		if st.TotalFen != 660000 {
			t.Errorf("total %d, want 660000", st.TotalFen)
		}
		totals := payTotals(t, w, w.ZNBureau, st.ID)
		if len(totals) != 2 || totals[testworld.ZN] != 606000 || totals[testworld.Yulinzi] != 54000 {
			t.Errorf("lists: %v", totals)
		}
		if pl, _ := w.m.PayList(w.Ctx, w.City, st.ID, testworld.ZN); pl == nil || pl.Capitals != "陆仟零陆拾元整" || pl.PayerName != "正宁县财政局" {
			t.Errorf("county list as the city bureau: %+v", pl)
		}

		// 小寺头村 becomes city-level underdeveloped; the draft is computed again:
		// city finance pays both its lines, no town share.
		if err := w.Svc.SetVillageFlags(w.Ctx, w.ZNBureau, testworld.Xiaositou, counsel.UnderdevelopedCity, false); err != nil {
			t.Fatal(err)
		}
		if st, err = w.m.Run(w.Ctx, w.ZNBureau, money.RunInput{Year: 2026}); err != nil {
			t.Fatal(err)
		}
		totals = payTotals(t, w, w.ZNBureau, st.ID)
		if len(totals) != 2 || totals[testworld.ZN] != 480000 || totals[testworld.ZNCity] != 180000 {
			t.Errorf("lists after the recompute: %v", totals)
		}
		if au := w.Audit(); au[0].Action != "recompute" || au[0].Entity != "settlement" || au[0].Before == "" || au[0].After == "" {
			t.Errorf("recompute audit: %+v", au[0])
		}

		// A finance bureau reads its own list, and only once the settlement is locked.
		cityFin := &counsel.Actor{Username: "t-qy-finance", Role: counsel.RoleFinance, RegionCode: testworld.ZNCity}
		countyFin := &counsel.Actor{Username: "t-zn-finance", Role: counsel.RoleFinance, RegionCode: testworld.ZN}
		if _, err := w.m.PayList(w.Ctx, cityFin, st.ID, testworld.ZNCity); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("finance before the lock: %v", err)
		}
		for _, act := range []string{money.ActReview, money.ActLock} {
			if _, err := w.m.Advance(w.Ctx, w.ZNBureau, st.ID, act); err != nil {
				t.Fatalf("%s: %v", act, err)
			}
		}
		if pl, err := w.m.PayList(w.Ctx, cityFin, st.ID, testworld.ZNCity); err != nil || pl.TotalFen != 180000 || pl.PayerName != "庆阳市财政局" || pl.Capitals != "壹仟捌佰元整" {
			t.Errorf("city finance's list: %+v %v", pl, err)
		}
		for name, c := range map[string]struct {
			a     *counsel.Actor
			payer string
		}{"city finance, county list": {cityFin, testworld.ZN}, "county finance, city list": {countyFin, testworld.ZNCity}, "judicial": {w.Judicial, testworld.ZN}, "another county": {w.JHBureau, testworld.ZN}} {
			if _, err := w.m.PayList(w.Ctx, c.a, st.ID, c.payer); counsel.ErrorCode(err) != counsel.CodeNotFound {
				t.Errorf("%s: %v, want not found", name, err)
			}
		}
		if ss, err := w.m.FinanceLists(w.Ctx, cityFin); err != nil || len(ss) != 1 || ss[0].ID != st.ID {
			t.Errorf("city finance's settlements: %+v %v", ss, err)
		}
		jhFin := &counsel.Actor{Username: "t-jh-finance", Role: counsel.RoleFinance, RegionCode: testworld.JH}
		if ss, err := w.m.FinanceLists(w.Ctx, jhFin); err != nil || len(ss) != 0 {
			t.Errorf("镜湖区 finance's settlements: %+v %v", ss, err)
		}
		if _, _, _, err := w.m.Settlement(w.Ctx, cityFin, st.ID); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Errorf("finance reading the settlement: %v", err)
		}

		// Locked: no recompute, only a recorded correction.
		_, lines, _, _ = w.m.Settlement(w.Ctx, w.ZNBureau, st.ID)
		b = lineBy(t, lines, g3.ID)
		before = w.Counts()
		_, err = w.m.Run(w.Ctx, w.ZNBureau, money.RunInput{Year: 2026})
		testworld.WantCode(t, "recompute a locked settlement", err, counsel.CodeConflict)
		_, err = w.m.Correct(w.Ctx, w.ZNBureau, st.ID, money.CorrectionInput{LineID: b.ID, DueFen: -1, Reason: "x"})
		testworld.WantField(t, "negative correction", err, "due_fen", "err.money_amount")
		_, err = w.m.Correct(w.Ctx, w.ZNBureau, st.ID, money.CorrectionInput{LineID: b.ID, DueFen: 60000})
		testworld.WantField(t, "no reason", err, "reason", "err.required")
		_, err = w.m.Correct(w.Ctx, w.City, st.ID, money.CorrectionInput{LineID: b.ID, DueFen: 60000, Reason: "x"})
		testworld.WantCode(t, "the city corrects", err, counsel.CodeForbidden)
		w.SameCounts("refused corrections", before, w.Counts())
		c, err := w.m.Correct(w.Ctx, w.ZNBureau, st.ID, money.CorrectionInput{LineID: b.ID, DueFen: 60000, Reason: "第4季度补录到村服务2小时"})
		if err != nil || c.BeforeFen != 50000 || c.AfterFen != 60000 {
			t.Fatalf("correction: %+v %v", c, err)
		}
		st2, lines, cs, err := w.m.Settlement(w.Ctx, w.ZNBureau, st.ID)
		if err != nil || st2.TotalFen != 670000 || len(cs) != 1 || cs[0].Reason != "第4季度补录到村服务2小时" || lineBy(t, lines, g3.ID).CorrectionFen != 10000 {
			t.Errorf("after the correction: %+v %+v %v", st2, cs, err)
		}
		if au := w.Audit(); au[0].Action != "correct" || au[0].Entity != "settlement_line" ||
			!strings.Contains(au[0].Before, `"due_fen":50000`) || !strings.Contains(au[0].After, `"due_fen":60000`) {
			t.Errorf("correction audit: %+v", au[0])
		}
		if totals := payTotals(t, w, w.ZNBureau, st.ID); totals[testworld.ZNCity] != 190000 {
			t.Errorf("city list after the correction: %v", totals)
		}
		if _, err := w.m.Advance(w.Ctx, w.ZNBureau, st.ID, money.ActSign); err != nil {
			t.Fatal(err)
		}
		_, err = w.m.Advance(w.Ctx, w.ZNBureau, st.ID, money.ActLock)
		testworld.WantCode(t, "lock a signed settlement", err, counsel.CodeConflict)
	})
}
