package assess

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// RoundAdvisor is an advisor assessed in a round.
type RoundAdvisor struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	ProviderID   int64    `json:"provider_id"`
	ProviderName string   `json:"provider_name"`
	Villages     []string `json:"villages"`
}

// roundAdvisors lists the advisors who served villages of a county in a
// year under signed, filed or ended agreements, by name.
func (s *Service) roundAdvisors(ctx context.Context, county string, year int) ([]RoundAdvisor, error) {
	y := strconv.Itoa(year)
	from, to := y+"-01-01", y+"-12-31"
	by := map[int64]*RoundAdvisor{}
	for off := 0; ; off += 500 {
		gs, _, err := registry.Agreements(ctx, s.DB, counsel.Filter{Scope: county, Page: counsel.Page{Limit: 500, Offset: off}})
		if err != nil {
			return nil, err
		}
		for i := range gs {
			g := &gs[i]
			if g.Status != counsel.AgreementSigned && g.Status != counsel.AgreementFiled && g.Status != counsel.AgreementEnded {
				continue
			}
			if g.StartDate > to || (g.EndDate != "" && g.EndDate < from) {
				continue
			}
			ra := by[g.AdvisorID]
			if ra == nil {
				ra = &RoundAdvisor{ID: g.AdvisorID, Name: g.AdvisorName, ProviderID: g.ProviderID, ProviderName: g.ProviderName}
				by[g.AdvisorID] = ra
			}
			vs, err := s.svc.AgreementVillages(ctx, nil, g)
			if err != nil {
				return nil, err
			}
			for _, v := range vs {
				ra.Villages = append(ra.Villages, v.Code)
			}
		}
		if len(gs) < 500 {
			break
		}
	}
	out := make([]RoundAdvisor, 0, len(by))
	for _, ra := range by {
		out = append(out, *ra)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// OpenRound opens a county's round for a year (one a county and year),
// with the grade thresholds and the objection window. Overlapping grade
// bands are refused with a Chinese message and nothing is written.
func (s *Service) OpenRound(ctx context.Context, a *counsel.Actor, in RoundInput) (*Round, error) {
	county := strings.TrimSpace(in.CountyCode)
	if county == "" && authz.CountyBureau(a) {
		county = a.RegionCode
	}
	if counsel.LevelOf(county) != counsel.LevelCounty || !counsel.ValidCode(county) {
		return nil, counsel.Invalid(counsel.FieldError{Field: "county_code", Key: "err.county_code"})
	}
	if !authz.CanRunRound(a, county) {
		return nil, counsel.OutOfScope("county_code")
	}
	var f counsel.Fields
	title := strings.TrimSpace(in.Title)
	if n := utf8.RuneCountInString(title); n == 0 {
		f.Add("title", "err.required")
	} else if n > 100 {
		f.Add("title", "err.too_long", 100)
	}
	if in.Year < 2000 || in.Year > 2100 {
		f.Add("year", "err.range", 2000, 2100)
	}
	if in.ObjectionDays == 0 {
		in.ObjectionDays = DefaultObjectionDays
	}
	if in.ObjectionDays < 1 || in.ObjectionDays > 30 {
		f.Add("objection_days", "err.range", 1, 30)
	}
	if in.Thresholds == (Thresholds{}) {
		in.Thresholds = DefaultThresholds
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := in.Thresholds.Validate(); err != nil {
		return nil, err
	}
	now := s.Now().UnixMilli()
	r := &Round{CountyCode: county, Year: in.Year, Title: title, Status: RoundScoring, AsOf: s.asOf(in.Year), Thresholds: in.Thresholds,
		ObjectionDays: in.ObjectionDays, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createRound(ctx, tx, r); err != nil {
			if counsel.ErrorCode(store.MapErr(err)) == counsel.CodeConflict {
				return counsel.Invalid(counsel.FieldError{Field: "year", Key: "as.err.round_exists"})
			}
			return err
		}
		return audit.Write(ctx, tx, a, "create", "assess_round", r.ID, county, nil, r)
	})
	if err != nil {
		return nil, err
	}
	return s.Round(ctx, a, r.ID)
}

// asOf is the date a year's data is judged on: today, or the first day of
// the next year once the year is over (so December counts as closed).
func (s *Service) asOf(year int) string {
	end := strconv.Itoa(year+1) + "-01-01"
	if t := s.Today(); t < end {
		return t
	}
	return end
}

// Rounds lists the rounds the actor sees, newest first: bureaus their
// subtree's, town offices and village committees their county's (to
// score), advisors and firms their county's (for their results).
func (s *Service) Rounds(ctx context.Context, a *counsel.Actor) ([]Round, error) {
	if authz.IsAdmin(a) {
		return roundsIn(ctx, s.DB, "")
	}
	home, err := s.svc.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if home == "" {
		return nil, nil
	}
	scope := home
	if counsel.LevelOf(home) > counsel.LevelCounty {
		scope = countyOf(home)
	}
	return roundsIn(ctx, s.DB, scope)
}

// countyOf returns the county of a town or village code.
func countyOf(code string) string {
	for c := code; c != ""; c = counsel.ParentOf(c) {
		if counsel.LevelOf(c) == counsel.LevelCounty {
			return c
		}
	}
	return ""
}

// Round returns a round the actor may see.
func (s *Service) Round(ctx context.Context, a *counsel.Actor, id int64) (*Round, error) {
	r, err := getRound(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if authz.IsAdmin(a) {
		return r, nil
	}
	home, err := s.svc.HomeRegion(ctx, a)
	if err != nil {
		return nil, err
	}
	if home == "" || !(counsel.Within(r.CountyCode, home) || counsel.Within(home, r.CountyCode)) {
		return nil, counsel.ErrNotFound
	}
	return r, nil
}

// RoundView is a round with every advisor's current total and grade: the
// live computation while scoring, the fixed results after publication.
type RoundView struct {
	Round      *Round          `json:"round"`
	Results    []AdvisorResult `json:"results"`
	Objections []Objection     `json:"objections"`
	CanRun     bool            `json:"can_run"`
	// Commendations proposed from the round (R40).
	Commendations []Commendation `json:"commendations"`
}

// RoundResults returns a round with its results for the round's readers.
func (s *Service) RoundResults(ctx context.Context, a *counsel.Actor, id int64) (*RoundView, error) {
	r, err := s.Round(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanSeeRound(a, r.CountyCode) {
		return nil, counsel.ErrForbidden
	}
	v := &RoundView{Round: r, CanRun: authz.CanRunRound(a, r.CountyCode)}
	if r.Status == RoundScoring {
		advs, err := s.roundAdvisors(ctx, r.CountyCode, r.Year)
		if err != nil {
			return nil, err
		}
		for _, ra := range advs {
			res, err := s.compute(ctx, r, ra)
			if err != nil {
				return nil, err
			}
			v.Results = append(v.Results, *res)
		}
		sort.SliceStable(v.Results, func(i, j int) bool { return v.Results[i].Total > v.Results[j].Total })
	} else if v.Results, err = roundResults(ctx, s.DB, r.ID); err != nil {
		return nil, err
	}
	if v.Objections, err = objections(ctx, s.DB, r.ID, 0); err != nil {
		return nil, err
	}
	v.Commendations, err = s.Commendations(ctx, r.ID)
	return v, err
}

// compute scores one advisor's sheet from the data and the hand scores as
// of the round's date (today while scoring).
func (s *Service) compute(ctx context.Context, r *Round, ra RoundAdvisor) (*AdvisorResult, error) {
	asOf := r.AsOf
	if r.Status == RoundScoring {
		asOf = s.asOf(r.Year)
	}
	f, provider, err := s.Facts(ctx, r.CountyCode, ra.ID, r.Year, asOf)
	if err != nil {
		return nil, err
	}
	if f.Scores, err = handScores(ctx, s.DB, r.ID, ra.ID); err != nil {
		return nil, err
	}
	sheet := County100()
	if len(f.Villages) > 0 {
		if sheet, err = s.SheetFor(ctx, f.Villages[0].Code); err != nil {
			return nil, err
		}
	}
	res := Score(sheet, f)
	if provider == 0 {
		provider = ra.ProviderID
	}
	return &AdvisorResult{RoundID: r.ID, AdvisorID: ra.ID, AdvisorName: ra.Name, ProviderID: provider, ProviderName: ra.ProviderName,
		Total: res.Total, Max: res.Max, Grade: r.Thresholds.GradeOf(res.Total, res.Max), SheetName: sheet.Name, Result: res, Villages: f.Villages}, nil
}

// roundAdvisor returns one advisor of a round, not found when they served
// no village of the county that year.
func (s *Service) roundAdvisor(ctx context.Context, r *Round, advisorID int64) (*RoundAdvisor, error) {
	advs, err := s.roundAdvisors(ctx, r.CountyCode, r.Year)
	if err != nil {
		return nil, err
	}
	for i := range advs {
		if advs[i].ID == advisorID {
			return &advs[i], nil
		}
	}
	return nil, counsel.ErrNotFound
}

// SheetPage is one advisor's sheet in a round as the page shows it.
type SheetPage struct {
	Round      *Round         `json:"round"`
	Result     *AdvisorResult `json:"result"`
	Objections []Objection    `json:"objections"`
	CanObject  bool           `json:"can_object"`
	CanRun     bool           `json:"can_run"`
}

// AdvisorSheet returns an advisor's sheet item by item with the data behind
// every point: for the advisor, their firm and the round's readers. While
// the round is scoring it is computed now; after publication it is the
// fixed result.
func (s *Service) AdvisorSheet(ctx context.Context, a *counsel.Actor, roundID, advisorID int64) (*SheetPage, error) {
	if a.Role == counsel.RoleAdvisor && advisorID == 0 {
		advisorID = a.AdvisorID
	}
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return nil, err
	}
	var res *AdvisorResult
	if r.Status == RoundScoring {
		ra, err := s.roundAdvisor(ctx, r, advisorID)
		if err != nil {
			return nil, err
		}
		if res, err = s.compute(ctx, r, *ra); err != nil {
			return nil, err
		}
	} else if res, err = getResult(ctx, s.DB, r.ID, advisorID); err != nil {
		return nil, err
	}
	if !authz.CanSeeResult(a, r.CountyCode, advisorID, res.ProviderID) {
		return nil, counsel.ErrNotFound
	}
	p := &SheetPage{Round: r, Result: res, CanRun: authz.CanRunRound(a, r.CountyCode)}
	p.CanObject = r.Status == RoundPublished && authz.CanObject(a, advisorID) && s.Today() <= r.ObjectionUntil
	p.Objections, err = objections(ctx, s.DB, r.ID, advisorID)
	return p, err
}

// ScoreTask is one item a scorer may score for one advisor, with the
// score already given.
type ScoreTask struct {
	Advisor RoundAdvisor `json:"advisor"`
	Item    Item         `json:"item"`
	Region  string       `json:"region"`
	Points  Points       `json:"points"`
	Comment string       `json:"comment"`
	Scored  bool         `json:"scored"`
}

// ScoreTasks lists what the actor scores in a round: the items of their
// scorer role, for the advisors serving villages in their area.
func (s *Service) ScoreTasks(ctx context.Context, a *counsel.Actor, roundID int64) ([]ScoreTask, error) {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return nil, err
	}
	region := authz.ScorerRegion(a, a.Role)
	if region == "" {
		return nil, counsel.ErrForbidden
	}
	advs, err := s.roundAdvisors(ctx, r.CountyCode, r.Year)
	if err != nil {
		return nil, err
	}
	var out []ScoreTask
	for _, ra := range advs {
		if !authz.CanScoreItem(a, a.Role, ra.Villages) {
			continue
		}
		sheet, err := s.SheetFor(ctx, ra.Villages[0])
		if err != nil {
			return nil, err
		}
		for _, it := range sheet.Items {
			if it.Method != MethodScorer || it.Scorer != a.Role {
				continue
			}
			h, ok, err := handScore(ctx, s.DB, r.ID, ra.ID, it.ID, region)
			if err != nil {
				return nil, err
			}
			out = append(out, ScoreTask{Advisor: ra, Item: it, Region: region, Points: h.Points, Comment: h.Comment, Scored: ok})
		}
	}
	return out, nil
}

// ScoreInput is one hand score.
type ScoreInput struct {
	AdvisorID int64  `json:"advisor_id"`
	ItemID    string `json:"item_id"`
	Points    string `json:"points"` // decimal, at most one digit after the point
	Comment   string `json:"comment"`
}

// SaveScore records a scorer's score of an item while the round is scoring:
// only the item's scorer role, only for an advisor serving their area,
// never beyond the item's points.
func (s *Service) SaveScore(ctx context.Context, a *counsel.Actor, roundID int64, in ScoreInput) error {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return err
	}
	ra, err := s.roundAdvisor(ctx, r, in.AdvisorID)
	if err != nil {
		return err
	}
	sheet, err := s.SheetFor(ctx, ra.Villages[0])
	if err != nil {
		return err
	}
	i := indexOf(sheet.Items, in.ItemID)
	if i < 0 || sheet.Items[i].Method != MethodScorer {
		return counsel.Invalid(counsel.FieldError{Field: "item_id", Key: "as.err.item_unknown"})
	}
	it := sheet.Items[i]
	if !authz.CanScoreItem(a, it.Scorer, ra.Villages) {
		return counsel.ErrForbidden
	}
	if r.Status != RoundScoring {
		return counsel.Invalid(counsel.FieldError{Field: "points", Key: "as.err.not_scoring"})
	}
	var f counsel.Fields
	p, ok := ParsePoints(in.Points)
	switch {
	case !ok:
		f.Add("points", "as.err.points_format")
	case p < 0 || p > it.Points:
		f.Add("points", "as.err.points_range", it.Points.String())
	}
	comment := strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(comment) > 500 {
		f.Add("comment", "err.too_long", 500)
	}
	if err := f.Err(); err != nil {
		return err
	}
	region := authz.ScorerRegion(a, it.Scorer)
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		before, had, err := handScore(ctx, tx, r.ID, ra.ID, it.ID, region)
		if err != nil {
			return err
		}
		if err := saveHandScore(ctx, tx, r.ID, ra.ID, it.ID, region, p, comment, a.UserID, s.Now().UnixMilli()); err != nil {
			return err
		}
		var old any
		if had {
			old = map[string]any{"points": before.Points, "comment": before.Comment}
		}
		return audit.Write(ctx, tx, a, "score", "assess_score", r.ID, region, old,
			map[string]any{"advisor_id": ra.ID, "item_id": it.ID, "points": p, "comment": comment})
	})
}

// Publish fixes every advisor's result and grade (the thresholds set on the
// round), opens the objection window of the round's working days and tells
// the advisors. Only while scoring; every hand-scored item must be scored.
func (s *Service) Publish(ctx context.Context, a *counsel.Actor, roundID int64, th Thresholds) error {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return err
	}
	if !authz.CanRunRound(a, r.CountyCode) {
		return counsel.ErrForbidden
	}
	if r.Status != RoundScoring {
		return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.err.not_scoring"})
	}
	if th == (Thresholds{}) {
		th = r.Thresholds
	}
	if err := th.Validate(); err != nil {
		return err
	}
	r.Thresholds = th
	advs, err := s.roundAdvisors(ctx, r.CountyCode, r.Year)
	if err != nil {
		return err
	}
	var results []*AdvisorResult
	for _, ra := range advs {
		res, err := s.compute(ctx, r, ra)
		if err != nil {
			return err
		}
		if res.Result.Pending > 0 {
			return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.err.unscored", Args: []any{ra.Name, res.Result.Pending}})
		}
		results = append(results, res)
	}
	now := s.Now()
	today := s.Today()
	r.Status, r.AsOf, r.PublishedOn, r.UpdatedAt = RoundPublished, s.asOf(r.Year), today, now.UnixMilli()
	until := s.cal.AddWorkdays(now.In(shanghai), r.ObjectionDays)
	r.ObjectionUntil = until.Add(-time.Nanosecond).In(shanghai).Format(counsel.DateLayout) // AddWorkdays gives the end of the last day
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := updateRound(ctx, tx, r); err != nil {
			return err
		}
		for _, res := range results {
			if err := saveResult(ctx, tx, res, a.UserID, r.UpdatedAt); err != nil {
				return err
			}
			if err := s.notifyAdvisor(ctx, tx, res.AdvisorID, r, now); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, a, "publish", "assess_round", r.ID, r.CountyCode, nil,
			map[string]any{"thresholds": th, "results": len(results), "objection_until": r.ObjectionUntil})
	})
}

// notifyAdvisor tells the advisor's accounts their result is out.
func (s *Service) notifyAdvisor(ctx context.Context, tx *store.Tx, advisorID int64, r *Round, now time.Time) error {
	users, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", advisorID)
	if err != nil {
		return err
	}
	for _, u := range users {
		if _, err := notify.Notify(ctx, tx, &notify.Notification{UserID: u, Kind: "assess", Title: r.Title, Body: r.ObjectionUntil,
			Link: "/assess/rounds/" + strconv.FormatInt(r.ID, 10) + "/me", CreatedAt: now.UnixMilli()}); err != nil {
			return err
		}
	}
	return nil
}

// ObjectionInput is an advisor's objection to an item.
type ObjectionInput struct {
	ItemID string `json:"item_id"`
	Body   string `json:"body"`
}

// Object records the advisor's objection to an item of their published
// result, within the window of working days; after it the objection is
// refused with a Chinese message and nothing is written.
func (s *Service) Object(ctx context.Context, a *counsel.Actor, roundID int64, in ObjectionInput) (*Objection, error) {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return nil, err
	}
	if !authz.CanObject(a, a.AdvisorID) {
		return nil, counsel.ErrForbidden
	}
	res, err := getResult(ctx, s.DB, r.ID, a.AdvisorID)
	if err != nil {
		return nil, err
	}
	var f counsel.Fields
	switch {
	case r.Status != RoundPublished:
		f.Add("body", "as.err.not_published")
	case s.Today() > r.ObjectionUntil:
		f.Add("body", "as.err.objection_late", zhDate(r.ObjectionUntil))
	}
	found := false
	for _, ir := range res.Result.Items {
		found = found || ir.Item.ID == in.ItemID
	}
	if !found {
		f.Add("item_id", "as.err.item_unknown")
	}
	body := strings.TrimSpace(in.Body)
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		f.Add("body", "err.required")
	case n > 1000:
		f.Add("body", "err.too_long", 1000)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	o := &Objection{RoundID: r.ID, AdvisorID: a.AdvisorID, ItemID: in.ItemID, Body: body, FiledAt: s.Now().UnixMilli()}
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := createObjection(ctx, tx, o, a.UserID); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "object", "assess_objection", o.ID, r.CountyCode, nil, o)
	})
	return o, err
}

// Answer records the bureau's answer to an objection.
func (s *Service) Answer(ctx context.Context, a *counsel.Actor, objectionID int64, answer string) error {
	o, err := getObjection(ctx, s.DB, objectionID)
	if err != nil {
		return err
	}
	r, err := s.Round(ctx, a, o.RoundID)
	if err != nil {
		return err
	}
	if !authz.CanRunRound(a, r.CountyCode) {
		return counsel.ErrForbidden
	}
	answer = strings.TrimSpace(answer)
	switch n := utf8.RuneCountInString(answer); {
	case n == 0:
		return counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.required"})
	case n > 1000:
		return counsel.Invalid(counsel.FieldError{Field: "answer", Key: "err.too_long", Args: []any{1000}})
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := answerObjection(ctx, tx, o.ID, answer, a.UserID, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Invalid(counsel.FieldError{Field: "answer", Key: "as.err.answered"})
		}
		return audit.Write(ctx, tx, a, "answer", "assess_objection", o.ID, r.CountyCode, nil, map[string]any{"answer": answer})
	})
}

// Finalize closes a published round once every objection is answered.
func (s *Service) Finalize(ctx context.Context, a *counsel.Actor, roundID int64) error {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return err
	}
	if !authz.CanRunRound(a, r.CountyCode) {
		return counsel.ErrForbidden
	}
	if r.Status != RoundPublished {
		return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.err.not_published"})
	}
	os, err := objections(ctx, s.DB, r.ID, 0)
	if err != nil {
		return err
	}
	for _, o := range os {
		if o.AnsweredAt == 0 {
			return counsel.Invalid(counsel.FieldError{Field: "status", Key: "as.err.open_objections"})
		}
	}
	r.Status, r.UpdatedAt = RoundFinal, s.Now().UnixMilli()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := updateRound(ctx, tx, r); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "finalize", "assess_round", r.ID, r.CountyCode, nil, map[string]any{"status": RoundFinal})
	})
}

// AmendInput changes a published or final result: an item's score and
// the reason, which is required.
type AmendInput struct {
	AdvisorID int64  `json:"advisor_id"`
	ItemID    string `json:"item_id"`
	Points    string `json:"points"`
	Reason    string `json:"reason"`
}

// Amend changes one item's score of a fixed result (after an objection,
// or a correction after the round is final) and grades it again; it
// never happens without a recorded reason, and the change is audited with
// the result before and after.
func (s *Service) Amend(ctx context.Context, a *counsel.Actor, roundID int64, in AmendInput) error {
	r, err := s.Round(ctx, a, roundID)
	if err != nil {
		return err
	}
	if !authz.CanRunRound(a, r.CountyCode) {
		return counsel.ErrForbidden
	}
	if r.Status == RoundScoring {
		return counsel.Invalid(counsel.FieldError{Field: "points", Key: "as.err.not_published"})
	}
	res, err := getResult(ctx, s.DB, r.ID, in.AdvisorID)
	if err != nil {
		return err
	}
	var f counsel.Fields
	reason := strings.TrimSpace(in.Reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		f.Add("reason", "as.err.reason_required")
	case n > 500:
		f.Add("reason", "err.too_long", 500)
	}
	idx := -1
	for i, ir := range res.Result.Items {
		if ir.Item.ID == in.ItemID {
			idx = i
		}
	}
	p, ok := ParsePoints(in.Points)
	switch {
	case idx < 0:
		f.Add("item_id", "as.err.item_unknown")
	case !ok:
		f.Add("points", "as.err.points_format")
	case p < 0 || p > res.Result.Items[idx].Item.Points:
		f.Add("points", "as.err.points_range", res.Result.Items[idx].Item.Points.String())
	}
	if err := f.Err(); err != nil {
		return err
	}
	before := map[string]any{"total": res.Total, "grade": res.Grade, "item": in.ItemID, "points": res.Result.Items[idx].Score}
	ir := &res.Result.Items[idx]
	res.Result.Total += p - ir.Score
	ir.Score, ir.Lost, ir.Pending = p, ir.Item.Points-p, false
	ir.Evidence = append(ir.Evidence, Evidence{Key: "as.ev.amended", Args: []any{p.String(), reason}})
	res.Total = res.Result.Total
	res.Grade = r.Thresholds.GradeOf(res.Total, res.Max)
	res.Reason = reason
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := saveResult(ctx, tx, res, a.UserID, s.Now().UnixMilli()); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "amend", "assess_result", r.ID, r.CountyCode, before,
			map[string]any{"advisor_id": res.AdvisorID, "total": res.Total, "grade": res.Grade, "item": in.ItemID, "points": p, "reason": reason})
	})
}

// zhDate writes a date as offices do: 2026年12月4日.
func zhDate(d string) string {
	t, err := time.Parse(counsel.DateLayout, d)
	if err != nil {
		return d
	}
	return strconv.Itoa(t.Year()) + "年" + strconv.Itoa(int(t.Month())) + "月" + strconv.Itoa(t.Day()) + "日"
}
