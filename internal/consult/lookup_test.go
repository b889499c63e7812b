package consult_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/consult"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// The last four digits are tried at most ConsultLookupPerTicket times an
// hour per ticket, from any number of sources, and a source looks up at
// most ConsultLookupPerIP times an hour (issue 12, defect 12).
func TestConsultLookupThrottled(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		w.mjUsers()
		got, err := w.cs.SubmitConsultation(w.Ctx, csInput("13812345678", "10.0.0.1"))
		if err != nil {
			t.Fatal(err)
		}
		// Ten wrong guesses from ten addresses…
		for i := 0; i < consult.ConsultLookupPerTicket; i++ {
			_, err := w.cs.PublicConsultation(w.Ctx, got.Ticket, fmt.Sprintf("%04d", i), fmt.Sprintf("198.51.100.%d", i))
			if counsel.ErrorCode(err) != counsel.CodeNotFound {
				t.Fatalf("guess %d: %v, want not found", i, err)
			}
		}
		// …and the ticket answers no more this hour, even the right digits.
		_, err = w.cs.PublicConsultation(w.Ctx, got.Ticket, "5678", "203.0.113.50")
		if ce, ok := err.(*counsel.Error); !ok || ce.Key != "consult.err_lookup_limit" {
			t.Fatalf("eleventh try: %v, want the lookup limit", err)
		}
		testworld.WantCode(t, "rating through the throttled ticket", func() error {
			_, err := w.cs.RateConsultation(w.Ctx, got.Ticket, "5678", 5, "", "203.0.113.51")
			return err
		}(), counsel.CodeInvalid)
		// An hour later it answers again.
		w.Now = w.Now.Add(consult.ConsultLookupWindow + 1)
		if pc, err := w.cs.PublicConsultation(w.Ctx, got.Ticket, "5678", "203.0.113.50"); err != nil || pc.Ticket != got.Ticket {
			t.Fatalf("an hour later: %+v %v", pc, err)
		}
		// One source trying many tickets is stopped after ConsultLookupPerIP.
		for i := 0; i < consult.ConsultLookupPerIP; i++ {
			_, err := w.cs.PublicConsultation(w.Ctx, fmt.Sprintf("ABCDEFG%03d", i), "1234", "192.0.2.200")
			if counsel.ErrorCode(err) != counsel.CodeNotFound {
				t.Fatalf("ticket %d: %v", i, err)
			}
		}
		if _, err := w.cs.PublicConsultation(w.Ctx, got.Ticket, "5678", "192.0.2.200"); counsel.ErrorCode(err) != counsel.CodeInvalid {
			t.Fatalf("source past its limit: %v, want refused", err)
		}
	})
}

// Over HTTP the lookup is a POST: the digits in an address look nothing up;
// and the honeypot's receipt page is the real one's but for the ticket.
func TestConsultLookupByPostAndHoneypot(t *testing.T) {
	app := apptest.New(t)
	anon := app.Anonymous()
	form := url.Values{"village_code": {mjVillage}, "category": {"family"}, "question": {"离婚后孩子抚养费怎么算？"}, "name": {"李女士"},
		"phone": {"13912345674"}, "notice_accepted": {consult.ConsultNoticeVersion}}
	ticketRe := regexp.MustCompile(`[0-9A-Z]{10}`)
	st, real := anon.Body("POST", "/consult", form)
	m := regexp.MustCompile(`id="consult-ticket">([0-9A-Z]{10})<`).FindStringSubmatch(real)
	if st != http.StatusOK || m == nil {
		t.Fatalf("question: %d %.300s", st, real)
	}
	ticket := m[1]
	form.Set("website", "http://spam.example")
	form.Set("phone", "13912345675")
	st, fake := anon.Body("POST", "/consult", form)
	if st != http.StatusOK {
		t.Fatalf("honeypot: %d", st)
	}
	strip := func(s string) string { return ticketRe.ReplaceAllString(s, "TICKET") }
	if strip(real) != strip(fake) {
		t.Errorf("the honeypot's receipt differs from a real one:\nreal %.2000s\nfake %.2000s", strip(real), strip(fake))
	}
	// The API's receipts too: same fields, village included.
	var r1, r2 map[string]any
	body := map[string]any{"village_code": mjVillage, "category": "family", "question": "宅基地纠纷怎么办？", "name": "王先生", "phone": "13912345676", "notice_accepted": consult.ConsultNoticeVersion}
	if st := anon.JSON("POST", "/api/v1/public/consultations", body, &r1); st != http.StatusCreated {
		t.Fatalf("API question: %d", st)
	}
	body["website"], body["phone"] = "x", "13912345677"
	if st := anon.JSON("POST", "/api/v1/public/consultations", body, &r2); st != http.StatusCreated {
		t.Fatalf("API honeypot: %d", st)
	}
	for k, v := range r1 {
		if k != "ticket" && fmt.Sprint(r2[k]) != fmt.Sprint(v) {
			t.Errorf("API honeypot receipt %s = %v, real %v", k, r2[k], v)
		}
	}
	if len(r1) != len(r2) {
		t.Errorf("API receipts: real %v, honeypot %v", r1, r2)
	}

	// The digits in the address are ignored: only the form shows.
	st, page := anon.Body("GET", "/consult/status?ticket="+ticket+"&last4=5674", nil)
	if st != http.StatusOK || strings.Contains(page, "139****5674") || strings.Contains(page, `id="consult-result"`) || !strings.Contains(page, `method="post" action="/consult/status"`) {
		t.Fatalf("GET with last4: %d %.500s", st, page)
	}
	if !strings.Contains(page, `value="`+ticket+`"`) {
		t.Errorf("the receipt's link no longer fills the ticket in")
	}
	st, page = anon.Body("POST", "/consult/status", url.Values{"ticket": {ticket}, "last4": {"5674"}})
	if st != http.StatusOK || !strings.Contains(page, "139****5674") {
		t.Fatalf("POST lookup: %d %.300s", st, page)
	}
	var pc consult.PublicConsult
	if st := anon.JSON("POST", "/api/v1/public/consultations/"+ticket+"/status", map[string]string{"last4": "5674"}, &pc); st != http.StatusOK || pc.Phone != "139****5674" {
		t.Fatalf("API lookup: %d %+v", st, pc)
	}
	// From one source the lookups run out; the answer says so in Chinese.
	for i := 0; i < consult.ConsultLookupPerIP; i++ {
		anon.Body("POST", "/consult/status", url.Values{"ticket": {ticket}, "last4": {"0000"}})
	}
	st, page = anon.Body("POST", "/consult/status", url.Values{"ticket": {ticket}, "last4": {"5674"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(page, "查询过于频繁") || strings.Contains(page, "139****5674") {
		t.Fatalf("past the limit: %d %.300s", st, page)
	}
}
