package outreach_test

import (
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/outreach"
	"github.com/villagecounsel/counsel/internal/testworld"
)

func rvScores(n ...int) map[string]int {
	out := map[string]int{}
	for i, q := range outreach.RevisitQuestions {
		out[q] = n[i]
	}
	return out
}

func TestRevisits(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.User(counsel.User{Username: "rv-dongguan", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan})
		in := outreach.RevisitRoundInput{Year: 2026, Title: "2026年度村（居）法律顾问工作回访", DueOn: "2026-07-15"}
		before := w.Counts()
		for name, c := range map[string]struct {
			a    *counsel.Actor
			in   outreach.RevisitRoundInput
			code counsel.Code
			fld  string
			key  string
		}{
			"city reads only":  {w.City, in, counsel.CodeForbidden, "", ""},
			"judicial":         {w.Judicial, in, counsel.CodeForbidden, "", ""},
			"village":          {w.Village, in, counsel.CodeForbidden, "", ""},
			"another county":   {w.JHBureau, outreach.RevisitRoundInput{CountyCode: testworld.ZN, Year: 2026, Title: "x", DueOn: "2026-07-15"}, counsel.CodeForbidden, "county_code", "err.out_of_scope"},
			"no title":         {w.ZNBureau, outreach.RevisitRoundInput{Year: 2026, DueOn: "2026-07-15"}, counsel.CodeInvalid, "title", "err.required"},
			"bad year":         {w.ZNBureau, outreach.RevisitRoundInput{Year: 1999, Title: "x", DueOn: "2026-07-15"}, counsel.CodeInvalid, "year", "err.range"},
			"due in the past":  {w.ZNBureau, outreach.RevisitRoundInput{Year: 2026, Title: "x", DueOn: "2026-06-14"}, counsel.CodeInvalid, "due_on", "err.rv_due_past"},
			"admin needs code": {w.Admin, in, counsel.CodeInvalid, "county_code", "err.county_code"},
		} {
			_, err := w.rv.SendRevisitRound(w.Ctx, c.a, c.in)
			testworld.WantCode(t, name, err, c.code)
			if c.fld != "" {
				if f := testworld.Field(err, c.fld); f == nil || f.Key != c.key {
					t.Errorf("%s: %v, want %s on %s", name, err, c.key, c.fld)
				}
			}
		}
		w.SameCounts("refused rounds", before, w.Counts())

		r, err := w.rv.SendRevisitRound(w.Ctx, w.ZNBureau, in)
		if err != nil || r.Total != 2 || r.CountyCode != testworld.ZN {
			t.Fatalf("send: %+v %v", r, err)
		}
		_, vs, err := w.rv.RevisitRound(w.Ctx, w.ZNBureau, r.ID)
		if err != nil || len(vs) != 2 || vs[0].VillageCode != testworld.Dongguan || vs[0].AdvisorID != w.ZA1.ID || vs[1].VillageCode != testworld.Xiaositou || vs[1].AdvisorID != w.ZA3.ID {
			t.Fatalf("round: %+v %v", vs, err)
		}
		if _, _, err := w.rv.RevisitRound(w.Ctx, w.JHBureau, r.ID); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("round seen by another county: %v", err)
		}
		if got := w.Inbox("rv-dongguan"); len(got) != 1 || got[0] != in.Title {
			t.Errorf("village committee's inbox: %v", got)
		}
		mine, err := w.rv.MyRevisits(w.Ctx, w.Village)
		if err != nil || len(mine) != 1 || mine[0].AdvisorName != "王伟" || mine[0].Status != outreach.RevisitSent {
			t.Fatalf("village's revisits: %+v %v", mine, err)
		}
		dg, xs := vs[0].ID, vs[1].ID
		xiaositou := &counsel.Actor{Username: "t-xst", Role: counsel.RoleVillage, RegionCode: testworld.Xiaositou}

		// The advisor never sees what the village said; other villages neither.
		for _, a := range []*counsel.Actor{w.Advisor, w.Provider, w.Judicial, xiaositou, w.JHBureau} {
			if _, err := w.rv.Revisit(w.Ctx, a, dg); testworld.Code(err) != counsel.CodeNotFound && testworld.Code(err) != counsel.CodeForbidden {
				t.Errorf("revisit seen by %s: %v", a.Username, err)
			}
		}
		good := outreach.RevisitAnswer{Scores: rvScores(5, 4, 4, 3, 5, 4), Respondent: "陈静 村委委员", Comment: "希望增加驻村次数"}
		before = w.Counts()
		testworld.WantCode(t, "answer by bureau", w.rv.AnswerRevisit(w.Ctx, w.ZNBureau, dg, good), counsel.CodeForbidden)
		testworld.WantCode(t, "answer by another village", w.rv.AnswerRevisit(w.Ctx, xiaositou, dg, good), counsel.CodeNotFound)
		missing := outreach.RevisitAnswer{Scores: map[string]int{"onsite": 5}}
		testworld.WantField(t, "missing ratings", w.rv.AnswerRevisit(w.Ctx, w.Village, dg, missing), "q_overall", "err.rv_rating")
		testworld.WantField(t, "rating 6", w.rv.AnswerRevisit(w.Ctx, w.Village, dg, outreach.RevisitAnswer{Scores: rvScores(6, 4, 4, 3, 5, 4)}), "q_onsite", "err.rv_rating")
		testworld.WantField(t, "long comment", w.rv.AnswerRevisit(w.Ctx, w.Village, dg, outreach.RevisitAnswer{Scores: rvScores(5, 4, 4, 3, 5, 4), Comment: strings.Repeat("长", 1001)}), "comment", "err.too_long")
		w.SameCounts("refused answers", before, w.Counts())
		if err := w.rv.AnswerRevisit(w.Ctx, w.Village, dg, good); err != nil {
			t.Fatal(err)
		}
		testworld.WantCode(t, "answer twice", w.rv.AnswerRevisit(w.Ctx, w.Village, dg, good), counsel.CodeConflict)
		d, err := w.rv.Revisit(w.Ctx, w.ZNBureau, dg)
		if err != nil || d.Status != outreach.RevisitAnswered || d.Scores["mediation"] != 3 || d.Respondent != "陈静 村委委员" || d.CanAnswer {
			t.Errorf("answered revisit: %+v %v", d, err)
		}
		if err := w.rv.AnswerRevisit(w.Ctx, xiaositou, xs, outreach.RevisitAnswer{Scores: rvScores(2, 2, 3, 2, 2, 2)}); err != nil {
			t.Fatal(err)
		}
		// A second round in the same year: the averages take both answers.
		r2, err := w.rv.SendRevisitRound(w.Ctx, w.ZNBureau, outreach.RevisitRoundInput{Year: 2026, Title: "年中回访", DueOn: "2026-08-01"})
		if err != nil {
			t.Fatal(err)
		}
		_, vs2, _ := w.rv.RevisitRound(w.Ctx, w.ZNBureau, r2.ID)
		if err := w.rv.AnswerRevisit(w.Ctx, w.Village, vs2[0].ID, outreach.RevisitAnswer{Scores: rvScores(4, 4, 4, 4, 4, 5)}); err != nil {
			t.Fatal(err)
		}

		sums, err := w.rv.RevisitSummaries(w.Ctx, w.ZNBureau, "", 2026)
		if err != nil || len(sums) != 2 {
			t.Fatalf("summary: %+v %v", sums, err)
		}
		s1 := sums[0]
		if s1.AdvisorID != w.ZA1.ID || s1.Sent != 2 || s1.Answered != 2 || s1.Averages["onsite"] != 4.5 || s1.Averages["mediation"] != 3.5 ||
			s1.Averages["overall"] != 4.5 || s1.Average != 4.2 || len(s1.Comments) != 1 || s1.Comments[0].Village == "" || s1.Provider == "" {
			t.Errorf("王伟's summary: %+v", s1)
		}
		if s2 := sums[1]; s2.AdvisorID != w.ZA3.ID || s2.Sent != 2 || s2.Answered != 1 || s2.Average != 2.2 {
			t.Errorf("张敏's summary: %+v", s2)
		}
		if got, err := w.rv.RevisitSummaries(w.Ctx, w.City, "", 2026); err != nil || len(got) != 2 {
			t.Errorf("city's summary: %d %v", len(got), err)
		}
		if got, err := w.rv.RevisitSummaries(w.Ctx, w.JHBureau, "", 2026); err != nil || len(got) != 0 {
			t.Errorf("other county's summary: %+v %v", got, err)
		}
		if got, err := w.rv.RevisitSummaries(w.Ctx, w.ZNBureau, "", 2025); err != nil || len(got) != 0 {
			t.Errorf("2025 summary: %+v %v", got, err)
		}
		for _, a := range []*counsel.Actor{w.Village, w.Advisor, w.Judicial} {
			if _, err := w.rv.RevisitSummaries(w.Ctx, a, "", 2026); testworld.Code(err) != counsel.CodeForbidden {
				t.Errorf("summary as %s: %v", a.Username, err)
			}
		}
		if _, err := w.rv.RevisitSummaries(w.Ctx, w.ZNBureau, testworld.JH, 2026); testworld.Code(err) != counsel.CodeNotFound {
			t.Errorf("summary of another county: %v", err)
		}
	})
}
