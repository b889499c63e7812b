package outreach

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/registry"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

// RevisitQuestions are the keys of the revisit questionnaire's questions,
// each rated 1–5 (their texts are i18n "rv.q.<key>"). They follow what the
// pairing plan (seed 002) asks of an advisor: regular on-site service,
// answering consultations, legal publicity, mediation, legal review of the
// village's decisions, and the committee's overall satisfaction.
var RevisitQuestions = []string{"onsite", "consult", "publicity", "mediation", "review", "overall"}

// SendRevisitRound creates a round and one questionnaire for every village
// of the county served by an advisor under a live agreement, and tells the
// village committees in-app. It returns the round.
func (s *Service) SendRevisitRound(ctx context.Context, a *counsel.Actor, in RevisitRoundInput) (*RevisitRound, error) {
	county := strings.TrimSpace(in.CountyCode)
	if county == "" && authz.CountyBureau(a) {
		county = a.RegionCode
	}
	if !authz.CanSendRevisits(a) {
		return nil, counsel.ErrForbidden
	}
	if counsel.LevelOf(county) != counsel.LevelCounty || !counsel.ValidCode(county) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "county_code", Key: "err.county_code"})
	}
	if !authz.IsAdmin(a) && county != a.RegionCode {
		return nil, counsel.OutOfScope("county_code")
	}
	var f counsel.Fields
	title := strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		f.Add("title", "err.required")
	case n > 100:
		f.Add("title", "err.too_long", 100)
	}
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "err.range", 2000, 2100)
	}
	due := strings.TrimSpace(in.DueOn)
	if !counsel.ValidDate(due) {
		f.Add("due_on", "err.date")
	} else if due < s.Today() {
		f.Add("due_on", "err.rv_due_past")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	advs, err := registry.LiveAdvisors(ctx, s.DB, county)
	if err != nil {
		return nil, err
	}
	if len(advs) == 0 {
		return nil, counsel.Invalid(counsel.FieldError{Field: "county_code", Key: "err.rv_no_villages"})
	}
	villages := make([]string, 0, len(advs))
	for v := range advs {
		villages = append(villages, v)
	}
	sort.Strings(villages)
	now := s.Now().UnixMilli()
	r := &RevisitRound{CountyCode: county, Year: in.Year, Title: title, DueOn: due, CreatedBy: a.UserID, CreatedAt: now}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createRevisitRound(ctx, tx, r); err != nil {
			return err
		}
		for _, v := range villages {
			rv := &Revisit{RoundID: r.ID, VillageCode: v, AdvisorID: advs[v].AdvisorID, Year: in.Year, CreatedAt: now}
			if err := createRevisit(ctx, tx, rv); err != nil {
				return err
			}
			users, err := notify.UsersAt(ctx, tx, counsel.RoleVillage, v)
			if err != nil {
				return err
			}
			for _, u := range users {
				if _, err := notify.Notify(ctx, tx, &notify.Notification{UserID: u, Kind: "revisit", Title: title, Body: advs[v].AdvisorName,
					Link: "/revisits/" + strconv.FormatInt(rv.ID, 10), CreatedAt: now}); err != nil {
					return err
				}
			}
		}
		r.Total = len(villages)
		return audit.Write(ctx, tx, a, "create", "revisit_round", r.ID, county, nil, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// RevisitRounds lists the rounds the actor may see (the administrator all,
// a bureau its subtree's), newest first.
func (s *Service) RevisitRounds(ctx context.Context, a *counsel.Actor) ([]RevisitRound, error) {
	switch {
	case authz.IsAdmin(a):
		return revisitRounds(ctx, s.DB, "")
	case a.Role == counsel.RoleBureau && a.RegionCode != "":
		return revisitRounds(ctx, s.DB, a.RegionCode)
	}
	return nil, counsel.ErrForbidden
}

// RevisitRound returns a round with its questionnaires.
func (s *Service) RevisitRound(ctx context.Context, a *counsel.Actor, id int64) (*RevisitRound, []Revisit, error) {
	if !authz.IsAdmin(a) && a.Role != counsel.RoleBureau {
		return nil, nil, counsel.ErrForbidden
	}
	r, err := revisitRound(ctx, s.DB, id)
	if err != nil {
		return nil, nil, err
	}
	if !authz.IsAdmin(a) && !counsel.Within(r.CountyCode, a.RegionCode) {
		return nil, nil, counsel.ErrNotFound
	}
	vs, err := revisits(ctx, s.DB, RevisitFilter{RoundID: id})
	return r, vs, err
}

// MyRevisits lists a village committee's questionnaires, waiting ones first.
func (s *Service) MyRevisits(ctx context.Context, a *counsel.Actor) ([]Revisit, error) {
	if a.Role != counsel.RoleVillage || counsel.LevelOf(a.RegionCode) != counsel.LevelVillage {
		return nil, counsel.ErrForbidden
	}
	vs, err := revisits(ctx, s.DB, RevisitFilter{Scope: a.RegionCode})
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Status == RevisitSent && vs[j].Status != RevisitSent })
	return vs, err
}

// Revisit returns a questionnaire the actor may see.
func (s *Service) Revisit(ctx context.Context, a *counsel.Actor, id int64) (*RevisitDetail, error) {
	v, err := revisit(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadRevisit(a, v.VillageCode) {
		return nil, counsel.ErrNotFound
	}
	sc, err := revisitScores(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	return &RevisitDetail{Revisit: *v, Scores: sc, CanAnswer: v.Status == RevisitSent && a.Role == counsel.RoleVillage}, nil
}

// AnswerRevisit stores a village committee's answer to its questionnaire
// (once: an answer is never changed).
func (s *Service) AnswerRevisit(ctx context.Context, a *counsel.Actor, id int64, ans RevisitAnswer) error {
	v, err := revisit(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if !authz.CanReadRevisit(a, v.VillageCode) {
		return counsel.ErrNotFound
	}
	if a.Role != counsel.RoleVillage {
		return counsel.ErrForbidden
	}
	if v.Status != RevisitSent {
		return counsel.Errorf(counsel.CodeConflict, "err.rv_answered")
	}
	var f counsel.Fields
	scores := map[string]int{}
	for _, q := range RevisitQuestions {
		n, ok := ans.Scores[q]
		if !ok || n == 0 {
			f.Add("q_"+q, "err.rv_rating")
			continue
		}
		if n < 1 || n > 5 {
			f.Add("q_"+q, "err.rv_rating")
			continue
		}
		scores[q] = n
	}
	for q := range ans.Scores {
		if _, ok := scores[q]; !ok && !contains(RevisitQuestions, q) {
			f.Add("scores", "err.choice")
			break
		}
	}
	resp := strings.TrimSpace(ans.Respondent)
	if utf8.RuneCountInString(resp) > 40 {
		f.Add("respondent", "err.too_long", 40)
	}
	comment := strings.TrimSpace(ans.Comment)
	if utf8.RuneCountInString(comment) > 1000 {
		f.Add("comment", "err.too_long", 1000)
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := answerRevisit(ctx, tx, id, scores, resp, comment, a.UserID, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "err.rv_answered")
		}
		return audit.Write(ctx, tx, a, "answer", "revisit", id, v.VillageCode, nil, map[string]any{"scores": scores, "comment": comment})
	})
}

// RevisitSummaries sums up the revisits of the villages in region (a bureau's
// own scope when ""; the administrator everything) for a year (0 = every
// year), per advisor and year.
func (s *Service) RevisitSummaries(ctx context.Context, a *counsel.Actor, region string, year int) ([]RevisitSummary, error) {
	var scope string
	switch {
	case authz.IsAdmin(a):
		scope = region
	case a.Role == counsel.RoleBureau && a.RegionCode != "":
		scope = a.RegionCode
		if region != "" {
			if !counsel.Within(region, a.RegionCode) {
				return nil, counsel.ErrNotFound
			}
			scope = region
		}
	default:
		return nil, counsel.ErrForbidden
	}
	if scope != "" && !counsel.ValidCode(scope) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	vs, err := revisits(ctx, s.DB, RevisitFilter{Scope: scope, Year: year})
	if err != nil {
		return nil, err
	}
	totals, err := revisitTotals(ctx, s.DB, scope, year)
	if err != nil {
		return nil, err
	}
	type key struct {
		adv  int64
		year int
	}
	by := map[key]*RevisitSummary{}
	var order []key
	get := func(k key, name string) *RevisitSummary {
		if x, ok := by[k]; ok {
			return x
		}
		x := &RevisitSummary{AdvisorID: k.adv, AdvisorName: name, Year: k.year, Averages: map[string]float64{}, Comments: []RevisitComment{}}
		by[k] = x
		order = append(order, k)
		return x
	}
	for _, v := range vs {
		x := get(key{v.AdvisorID, v.Year}, v.AdvisorName)
		x.Sent++
		if v.Status == RevisitAnswered {
			x.Answered++
			if v.Comment != "" {
				x.Comments = append(x.Comments, RevisitComment{Village: v.VillageName, Text: v.Comment})
			}
		}
	}
	sums := map[key][2]int{}
	for _, t := range totals {
		k := key{t.AdvisorID, t.Year}
		x := get(k, "")
		if t.Count > 0 {
			x.Averages[t.Question] = round1(float64(t.Sum) / float64(t.Count))
		}
		sum := sums[k]
		sums[k] = [2]int{sum[0] + t.Sum, sum[1] + t.Count}
	}
	out := make([]RevisitSummary, 0, len(order))
	for _, k := range order {
		x := by[k]
		if sum := sums[k]; sum[1] > 0 {
			x.Average = round1(float64(sum[0]) / float64(sum[1]))
		}
		if adv, err := registry.Advisor(ctx, s.DB, k.adv); err == nil {
			x.AdvisorName, x.Provider = adv.Name, adv.ProviderName
		}
		out = append(out, *x)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Year != out[j].Year {
			return out[i].Year > out[j].Year
		}
		return out[i].AdvisorID < out[j].AdvisorID
	})
	return out, nil
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }
