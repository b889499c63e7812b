package consult_test

import (
	"strings"
	"testing"
	"time"

	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/testworld"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/policy"
)

// csInput is a valid question for 东关村 (za1's village).
func csInput(phone, ip string) *consult.ConsultRequest {
	return &consult.ConsultRequest{VillageCode: testworld.Dongguan, Category: "land", Question: "土地承包经营权能否转让给外村人？",
		Name: "张先生", Phone: phone, Notice: consult.ConsultNoticeVersion, IP: ip}
}

func (w *svcWorld) csCount() int {
	w.T.Helper()
	l, err := w.cs.Consultations(w.Ctx, w.Admin, consult.ConsultFilter{})
	if err != nil {
		w.T.Fatal(err)
	}
	return l.Total
}

func TestConsultFlow(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		// Friday 2026-06-12 10:00 (China): 2 working days are Monday and
		// Tuesday (端午 2026-06-19 is later), so the deadline is Wednesday 00:00.
		w.Now = time.Date(2026, 6, 12, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		got, err := w.cs.SubmitConsultation(w.Ctx, csInput("13812345678", "10.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Ticket) != 10 || strings.Trim(got.Ticket, "0123456789ABCDEFGHJKMNPQRSTVWXYZ") != "" || got.DueOn != "2026-06-16" {
			t.Fatalf("receipt = %+v", got)
		}
		if n := w.Notes(u.advisor, "consultation"); len(n) != 1 {
			t.Fatalf("advisor notifications = %+v", n)
		}
		// The resident checks it with the ticket (any case) and the last four digits.
		if _, err := w.cs.PublicConsultation(w.Ctx, got.Ticket, "5679", "192.0.2.77"); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Fatalf("wrong digits: %v", err)
		}
		pc, err := w.cs.PublicConsultation(w.Ctx, strings.ToLower(got.Ticket), "5678", "192.0.2.77")
		if err != nil || pc.Status != consult.ConsultOpen || pc.Phone != "138****5678" || pc.CanRate {
			t.Fatalf("public view = %+v, %v", pc, err)
		}
		if _, err := w.cs.RateConsultation(w.Ctx, got.Ticket, "5678", 5, "", "x"); counsel.ErrorCode(err) != counsel.CodeConflict {
			t.Fatalf("rating an open one: %v", err)
		}
		l, err := w.cs.Consultations(w.Ctx, u.advisor, consult.ConsultFilter{})
		if err != nil || l.Total != 1 {
			t.Fatalf("advisor list = %+v, %v", l, err)
		}
		c := l.Items[0]
		if c.Phone != "138****5678" || c.NoticeVersion != consult.ConsultNoticeVersion || c.AdvisorID != w.ZA1.ID {
			t.Fatalf("listed = %+v", c)
		}
		// Scopes: another county's bureau sees nothing, a provider has no page.
		if l, err := w.cs.Consultations(w.Ctx, w.JHBureau, consult.ConsultFilter{}); err != nil || l.Total != 0 {
			t.Fatalf("other county = %+v, %v", l, err)
		}
		if _, err := w.cs.Consultation(w.Ctx, w.JHBureau, c.ID); counsel.ErrorCode(err) != counsel.CodeNotFound {
			t.Fatalf("other county detail: %v", err)
		}
		if _, err := w.cs.Consultations(w.Ctx, w.Provider, consult.ConsultFilter{}); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Fatalf("provider: %v", err)
		}
		// Only the handling advisor answers and sees the whole number.
		if _, err := w.cs.AnswerConsultation(w.Ctx, u.judicial, c.ID, "答复"); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Fatalf("judicial answers: %v", err)
		}
		if _, err := w.cs.ConsultationPhone(w.Ctx, u.judicial, c.ID); counsel.ErrorCode(err) != counsel.CodeForbidden {
			t.Fatalf("judicial full phone: %v", err)
		}
		for i := 0; i < 2; i++ {
			full, err := w.cs.ConsultationPhone(w.Ctx, u.advisor, c.ID)
			if err != nil || full != "13812345678" {
				t.Fatalf("full phone = %q, %v", full, err)
			}
		}
		audits, _, err := audit.List(w.Ctx, w.DB, counsel.Filter{Kind: "consultation", Page: counsel.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		views := 0
		for _, e := range audits {
			if e.Action == "view_phone" {
				views++
			}
			if strings.Contains(e.After, "13812345678") {
				t.Fatalf("audit keeps the whole phone: %+v", e)
			}
		}
		if views != 2 {
			t.Fatalf("full views audited = %d, want 2", views)
		}
		if _, err := w.cs.AnswerConsultation(w.Ctx, u.advisor, c.ID, "  "); counsel.ErrorCode(err) != counsel.CodeInvalid {
			t.Fatalf("empty answer: %v", err)
		}
		w.Now = time.Date(2026, 6, 15, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
		ans, err := w.cs.AnswerConsultation(w.Ctx, u.advisor, c.ID, "可以依法流转，但须经发包方同意。")
		if err != nil || ans.Status != consult.ConsultAnswered || ans.EntryID == 0 {
			t.Fatalf("answered = %+v, %v", ans, err)
		}
		if _, err := w.cs.AnswerConsultation(w.Ctx, u.advisor, c.ID, "again"); counsel.ErrorCode(err) != counsel.CodeConflict {
			t.Fatalf("second answer: %v", err)
		}
		e, err := ledger.Entry(w.Ctx, w.DB, ans.EntryID)
		if err != nil || e.Kind != policy.KindConsultation || e.Mode != policy.ModeOnline || e.AdvisorID != w.ZA1.ID ||
			e.VillageCode != testworld.Dongguan || e.ClientKey != "consult-"+got.Ticket || e.Date != "2026-06-15" || !strings.Contains(e.Content, got.Ticket) {
			t.Fatalf("ledger entry = %+v, %v", e, err)
		}
		// Rating: once, 1–5.
		if _, err := w.cs.RateConsultation(w.Ctx, got.Ticket, "5678", 6, "", "x"); counsel.ErrorCode(err) != counsel.CodeInvalid {
			t.Fatalf("rating 6: %v", err)
		}
		pc, err = w.cs.RateConsultation(w.Ctx, got.Ticket, "5678", 4, "很及时", "x")
		if err != nil || pc.Rating != 4 || pc.CanRate || pc.Answer == "" {
			t.Fatalf("rated = %+v, %v", pc, err)
		}
		if _, err := w.cs.RateConsultation(w.Ctx, got.Ticket, "5678", 5, "", "x"); counsel.ErrorCode(err) != counsel.CodeConflict {
			t.Fatalf("second rating: %v", err)
		}
		// An answered one never escalates.
		if n, err := w.cs.EscalateConsultations(w.Ctx, w.Now.Add(30*24*time.Hour)); err != nil || n != 0 {
			t.Fatalf("escalated an answered one: %d, %v", n, err)
		}
	})
}

func TestConsultEscalation(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		u := w.mjUsers()
		w.Now = testworld.Day
		w.Channel(w.ZNBureau, notify.ChannelInput{Kind: notify.ChannelWeCom, Name: "正宁县法律顾问群", URL: testworld.WeComURL, Enabled: true})
		// Tuesday 2025-09-30 10:00: 10-01..10-08 are holidays, so the deadline
		// is the end of Friday 10-10 (calendar.AddWorkdays).
		cst := time.FixedZone("CST", 8*3600)
		w.Now = time.Date(2025, 9, 30, 10, 0, 0, 0, cst)
		got, err := w.cs.SubmitConsultation(w.Ctx, csInput("13912340000", ""))
		if err != nil {
			t.Fatal(err)
		}
		if got.DueOn != "2025-10-10" {
			t.Fatalf("due on %s", got.DueOn)
		}
		if n, err := w.cs.EscalateConsultations(w.Ctx, time.Date(2025, 10, 10, 23, 59, 0, 0, cst)); err != nil || n != 0 {
			t.Fatalf("before the deadline: %d, %v", n, err)
		}
		at := time.Date(2025, 10, 11, 0, 0, 0, 0, cst)
		for i, want := range []int{1, 0} { // idempotent
			if n, err := w.cs.EscalateConsultations(w.Ctx, at); err != nil || n != want {
				t.Fatalf("run %d: %d, %v", i, n, err)
			}
		}
		if ns := w.Notes(u.judicial, "consultation_overdue"); len(ns) != 1 || !strings.HasPrefix(ns[0].Link, "/consultations/") {
			t.Fatalf("judicial notifications = %+v", ns)
		}
		counts, err := w.DB.TableCounts(w.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		if counts["outbox"] != 1 {
			t.Fatalf("outbox events = %d, want 1 (%v)", counts["outbox"], counts)
		}
		w.Now = at
		l, _ := w.cs.Consultations(w.Ctx, u.judicial, consult.ConsultFilter{Status: consult.ConsultOverdue})
		if l.Total != 1 || l.Items[0].EscalatedAt == 0 {
			t.Fatalf("overdue list = %+v", l)
		}
	})
}

func TestConsultValidation(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.Now = testworld.Day
		long := strings.Repeat("问", consult.MaxConsultQuestion+1)
		for _, c := range []struct {
			name  string
			edit  func(r *consult.ConsultRequest)
			field string
		}{
			{"no notice", func(r *consult.ConsultRequest) { r.Notice = "" }, "notice_accepted"},
			{"old notice", func(r *consult.ConsultRequest) { r.Notice = "2020-01" }, "notice_accepted"},
			{"long question", func(r *consult.ConsultRequest) { r.Question = long }, "question"},
			{"empty question", func(r *consult.ConsultRequest) { r.Question = " " }, "question"},
			{"bad phone", func(r *consult.ConsultRequest) { r.Phone = "12345" }, "phone"},
			{"bad category", func(r *consult.ConsultRequest) { r.Category = "tax" }, "category"},
			{"town code", func(r *consult.ConsultRequest) { r.VillageCode = testworld.Shanhe }, "village_code"},
			{"long name", func(r *consult.ConsultRequest) { r.Name = strings.Repeat("名", 21) }, "name"},
		} {
			r := csInput("13800000001", "")
			c.edit(r)
			_, err := w.cs.SubmitConsultation(w.Ctx, r)
			var ce *counsel.Error
			if e, ok := err.(*counsel.Error); ok {
				ce = e
			}
			if ce == nil || ce.Code != counsel.CodeInvalid || len(ce.Fields) == 0 || ce.Fields[0].Field != c.field {
				t.Errorf("%s: %v", c.name, err)
			}
		}
		// The honeypot: a receipt, nothing written.
		r := csInput("13800000002", "")
		r.Website = "http://spam.example"
		if got, err := w.cs.SubmitConsultation(w.Ctx, r); err != nil || len(got.Ticket) != 10 {
			t.Fatalf("honeypot: %+v, %v", got, err)
		}
		if n := w.csCount(); n != 0 {
			t.Fatalf("%d consultations written", n)
		}
	})
}

// TestConsultLimits checks the per-address and per-phone limits.
func TestConsultLimits(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.Now = testworld.Day
		type step struct {
			after   time.Duration // since the start
			phone   string
			ip      string
			wantErr string // "" = accepted
		}
		for _, c := range []struct {
			name  string
			steps []step
		}{
			{"phone: 3 per day", []step{
				{0, "13700000001", "10.1.0.1", ""}, {time.Minute, "13700000001", "10.1.0.2", ""}, {2 * time.Minute, "13700000001", "10.1.0.3", ""},
				{3 * time.Minute, "13700000001", "10.1.0.4", "consult.err_phone_limit"},
				{25 * time.Hour, "13700000001", "10.1.0.5", ""},
			}},
			{"address: 5 per hour", []step{
				{0, "13600000001", "10.2.0.1", ""}, {0, "13600000002", "10.2.0.1", ""}, {0, "13600000003", "10.2.0.1", ""},
				{0, "13600000004", "10.2.0.1", ""}, {0, "13600000005", "10.2.0.1", ""},
				{time.Minute, "13600000006", "10.2.0.1", "consult.err_ip_limit"},
				{time.Minute, "13600000006", "10.2.0.9", ""}, // another address
				{61 * time.Minute, "13600000007", "10.2.0.1", ""},
			}},
		} {
			start := w.Now
			for i, s := range c.steps {
				w.Now = start.Add(s.after)
				_, err := w.cs.SubmitConsultation(w.Ctx, csInput(s.phone, s.ip))
				got := ""
				if e, ok := err.(*counsel.Error); ok {
					got = e.Key
				} else if err != nil {
					got = err.Error()
				}
				if got != s.wantErr {
					t.Fatalf("%s, step %d: error %q, want %q", c.name, i, got, s.wantErr)
				}
			}
			w.Now = start.Add(48 * time.Hour)
		}
	})
}

// TestConsultPhoneMasking checks who sees the resident's whole phone.
func TestConsultPhoneMasking(t *testing.T) {
	c := &consult.Consultation{Phone: "13812345678", AdvisorID: 7}
	for _, tc := range []struct {
		name string
		a    *counsel.Actor
		full bool
		want string
	}{
		{"handling advisor, asked", &counsel.Actor{Role: counsel.RoleAdvisor, AdvisorID: 7}, true, "13812345678"},
		{"handling advisor, list", &counsel.Actor{Role: counsel.RoleAdvisor, AdvisorID: 7}, false, "138****5678"},
		{"other advisor", &counsel.Actor{Role: counsel.RoleAdvisor, AdvisorID: 8}, true, "138****5678"},
		{"admin", &counsel.Actor{Role: counsel.RoleAdmin}, true, "138****5678"},
		{"county bureau", &counsel.Actor{Role: counsel.RoleBureau, RegionCode: testworld.ZN}, true, "138****5678"},
		{"judicial office", &counsel.Actor{Role: counsel.RoleJudicial, RegionCode: testworld.Shanhe}, true, "138****5678"},
		{"village", &counsel.Actor{Role: counsel.RoleVillage, RegionCode: testworld.Dongguan}, true, "138****5678"},
		{"provider", &counsel.Actor{Role: counsel.RoleProvider, ProviderID: 1}, true, "138****5678"},
		{"advisor without id", &counsel.Actor{Role: counsel.RoleAdvisor}, true, "138****5678"},
	} {
		if got := consult.ConsultPhone(tc.a, c, tc.full); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
