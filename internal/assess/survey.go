package assess

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// SurveyQuestions are the residents' survey questions, each rated 1–5
// (texts "as.sv.q.<key>").
var SurveyQuestions = []string{"attitude", "reach", "help", "overall"}

// Survey limits: a resident has no account, so the form is limited per
// client address in the process, like the consultations' form.
const (
	SurveyPerIP       = 3              // answers per address …
	SurveyIPWindow    = 24 * time.Hour // … per this window
	MaxSurveyComment  = 200
	DefaultSurveyMin  = 20 // answers a village needs ("每村不少于20份")
	surveyLimiterKeys = 4096
)

// SurveyInput is a resident's answer.
type SurveyInput struct {
	VillageCode string
	Scores      map[string]int
	Comment     string
	Website     string // a honeypot field people never see
	IP          string
}

// SurveyFact is what the residents of one village said of the advisor in
// a year: how many answered and the sum of every rating.
type SurveyFact struct {
	Village     string `json:"village"`
	VillageName string `json:"village_name"`
	Count       int    `json:"count"`
	Sum         int    `json:"sum"` // of all questions' ratings
}

// Average is the mean rating (1–5), 0 without answers.
func (f SurveyFact) Average() float64 {
	if f.Count == 0 {
		return 0
	}
	return float64(f.Sum) / float64(f.Count*len(SurveyQuestions))
}

// AverageText is the average with one decimal.
func (f SurveyFact) AverageText() string { return strconv.FormatFloat(f.Average(), 'f', 1, 64) }

// surveyLimiter allows at most n answers per key within a sliding window.
type surveyLimiter struct {
	mu   sync.Mutex
	seen map[string][]time.Time
}

func (l *surveyLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string][]time.Time{}
	}
	cut := now.Add(-SurveyIPWindow)
	if len(l.seen) > surveyLimiterKeys {
		for k, ts := range l.seen {
			if len(ts) == 0 || !ts[len(ts)-1].After(cut) {
				delete(l.seen, k)
			}
		}
	}
	ts := l.seen[key]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) >= SurveyPerIP {
		l.seen[key] = ts
		return false
	}
	l.seen[key] = append(ts, now)
	return true
}

// SurveyVillage returns the public view of a village for the survey form:
// its name and the advisor under the live agreement (not found without one).
func (s *Service) SurveyVillage(ctx context.Context, code string) (*counsel.Region, *registry.VillageAdvisor, error) {
	if counsel.LevelOf(code) != counsel.LevelVillage || !counsel.ValidCode(code) {
		return nil, nil, counsel.ErrNotFound
	}
	v, err := registry.Region(ctx, s.DB, code)
	if err != nil {
		return nil, nil, err
	}
	live, err := registry.LiveAdvisors(ctx, s.DB, code)
	if err != nil {
		return nil, nil, err
	}
	va, ok := live[code]
	if !ok {
		return nil, nil, counsel.ErrNotFound
	}
	return v, &va, nil
}

// SubmitSurvey records a resident's rating of the village's advisor. Every
// question needs a rating 1–5; the comment is optional. A filled honeypot
// is accepted silently and not stored; over the address limit the answer
// is refused with a Chinese message.
func (s *Service) SubmitSurvey(ctx context.Context, in SurveyInput) error {
	_, va, err := s.SurveyVillage(ctx, strings.TrimSpace(in.VillageCode))
	if err != nil {
		return counsel.Invalid(counsel.FieldError{Field: "village_code", Key: "as.sv.err_village"})
	}
	var f counsel.Fields
	for _, q := range SurveyQuestions {
		if v := in.Scores[q]; v < 1 || v > 5 {
			f.Add("q."+q, "as.sv.err_rating")
		}
	}
	comment := strings.TrimSpace(in.Comment)
	if utf8.RuneCountInString(comment) > MaxSurveyComment {
		f.Add("comment", "err.too_long", MaxSurveyComment)
	}
	if err := f.Err(); err != nil {
		return err
	}
	if in.Website != "" {
		return nil
	}
	now := s.Now()
	if in.IP != "" && !s.limit.allow(in.IP, now) {
		return counsel.Errorf(counsel.CodeInvalid, "as.sv.err_limit")
	}
	year := now.In(shanghai).Year()
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		_, err := tx.Insert(ctx, `INSERT INTO assess_surveys (village_code, advisor_id, year, attitude, reach, help, overall, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			in.VillageCode, va.AdvisorID, year, in.Scores["attitude"], in.Scores["reach"], in.Scores["help"], in.Scores["overall"], comment, now.UnixMilli())
		return err
	})
}

// surveyFacts returns an advisor's survey answers of a year by village.
func surveyFacts(ctx context.Context, q store.Q, advisor int64, year int) ([]SurveyFact, error) {
	rows, err := q.Query(ctx, `SELECT s.village_code, g.name, COUNT(*), SUM(s.attitude + s.reach + s.help + s.overall) FROM assess_surveys s
		JOIN regions g ON g.code = s.village_code WHERE s.advisor_id = ? AND s.year = ? GROUP BY s.village_code, g.name ORDER BY s.village_code`, advisor, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SurveyFact
	for rows.Next() {
		var x SurveyFact
		if err := rows.Scan(&x.Village, &x.VillageName, &x.Count, &x.Sum); err != nil {
			return nil, store.MapErr(err)
		}
		out = append(out, x)
	}
	return out, store.MapErr(rows.Err())
}

// SurveyRow is one served village's survey answers of a year.
type SurveyRow struct {
	SurveyFact
	AdvisorName string `json:"advisor_name"`
	Short       int    `json:"short"` // answers missing to the minimum
}

// SurveyStats lists every served village in the actor's area with its
// residents' answers of a year and how many it is short of the minimum
// (bureaus, town offices, the administrator).
func (s *Service) SurveyStats(ctx context.Context, a *counsel.Actor, year, min int) ([]SurveyRow, error) {
	if !authz.CanSeeInspections(a) {
		return nil, counsel.ErrForbidden
	}
	scope := a.RegionCode
	if authz.IsAdmin(a) {
		scope = ""
	}
	live, codes, err := s.population(ctx, scope)
	if err != nil {
		return nil, err
	}
	var w store.Where
	w.Add("s.year = ?", year)
	w.InRange("s.village_code", scope)
	rows, err := s.DB.Query(ctx, `SELECT s.village_code, COUNT(*), SUM(s.attitude + s.reach + s.help + s.overall) FROM assess_surveys s`+w.String()+` GROUP BY s.village_code`, w.Args()...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	got := map[string]SurveyFact{}
	for rows.Next() {
		var x SurveyFact
		if err := rows.Scan(&x.Village, &x.Count, &x.Sum); err != nil {
			return nil, store.MapErr(err)
		}
		got[x.Village] = x
	}
	if err := rows.Err(); err != nil {
		return nil, store.MapErr(err)
	}
	var nw store.Where
	nw.Add("level = 5")
	nw.InRange("code", scope)
	nrows, err := s.DB.Query(ctx, `SELECT code, name FROM regions`+nw.String(), nw.Args()...)
	if err != nil {
		return nil, err
	}
	defer nrows.Close()
	names := map[string]string{}
	for nrows.Next() {
		var c, n string
		if err := nrows.Scan(&c, &n); err != nil {
			return nil, store.MapErr(err)
		}
		names[c] = n
	}
	out := make([]SurveyRow, 0, len(codes))
	for _, c := range codes {
		x := got[c]
		x.Village, x.VillageName = c, names[c]
		out = append(out, SurveyRow{SurveyFact: x, AdvisorName: live[c].AdvisorName, Short: max(min-x.Count, 0)})
	}
	return out, nil
}
