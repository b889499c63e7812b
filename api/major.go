package api

import (
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// MajorInput is a major-matter report to submit (R18). An advisor reports as
// itself for a village it serves; advisor_id is for the administrator only.
// A client_key makes a retried submission return the first report.
type MajorInput struct {
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id,omitempty"`
	Category    string `json:"category"` // collective_suit_petition, major_business_decision, illegal_act_instability, major_emergency, other_stability
	Title       string `json:"title"`
	Facts       string `json:"facts"`
	OccurredOn  string `json:"occurred_on"`
	People      int    `json:"people"`
	Suggestion  string `json:"suggestion,omitempty"`
	ClientKey   string `json:"client_key,omitempty"`
}

// MajorDetail is a report with its timeline.
type MajorDetail struct {
	Report *counsel.MajorReport `json:"report"`
	Events []counsel.MajorEvent `json:"events"`
	Next   []string             `json:"next"` // the steps the caller may take now
}

// MajorStepInput is the note of a step: optional for acknowledge, the
// follow-up for follow-up, the outcome for close.
type MajorStepInput struct {
	Note string `json:"note"`
}

// MajorDeadlineInput sets a county's acknowledgement deadline in hours.
type MajorDeadlineInput struct {
	Region   string `json:"region"`
	AckHours int    `json:"ack_hours"`
}

func (h *API) majorOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []Op{
		{Route: rt("GET", "/major-reports", "major_reports", h.majorReports), Summary: "List major-matter reports in scope, open first (status may be open; overdue=1 keeps those past the acknowledgement deadline)", Tag: "major",
			Response: service.List[counsel.MajorReport]{}, Query: []string{"q", "status", "category", "overdue", "region", "village", "limit", "offset"}},
		{Route: rt("POST", "/major-reports", "major_report_create", h.createMajor), Summary: "Report a major matter (advisor for a village it serves; administrator for an advisor); notifies the judicial office and the county bureau", Tag: "major",
			Request: MajorInput{}, Response: counsel.MajorReport{}},
		{Route: rt("GET", "/major-reports/{id}", "major_report", h.majorReport), Summary: "One report with its timeline", Tag: "major", Response: MajorDetail{}},
		{Route: rt("POST", "/major-reports/{id}/acknowledge", "major_report_acknowledge", h.majorStep(counsel.MajorAcknowledged)), Summary: "Acknowledge a submitted report (judicial office of the town, county bureau)", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("POST", "/major-reports/{id}/follow-up", "major_report_follow_up", h.majorStep(counsel.MajorFollowedUp)), Summary: "Record a follow-up of an acknowledged report; the note is required", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("POST", "/major-reports/{id}/close", "major_report_close", h.majorStep(counsel.MajorClosed)), Summary: "Close an acknowledged report; the note is the outcome and is required", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("GET", "/major-settings", "major_settings", h.majorDeadline), Summary: "The acknowledgement deadline in force for a region (default: the home region)", Tag: "major",
			Response: service.MajorDeadline{}, Query: []string{"region"}},
		{Route: rt("PUT", "/major-settings", "major_settings_update", h.saveMajorDeadline), Summary: "Set a county's acknowledgement deadline in hours (county bureau, administrator)", Tag: "major",
			Request: MajorDeadlineInput{}, Response: service.MajorDeadline{}},
	}
}

// majorFilterOf reads a report list's query parameters.
func majorFilterOf(r *http.Request) store.MajorFilter {
	q := r.URL.Query()
	f := store.MajorFilter{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Category: q.Get("category"),
		Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true", Region: q.Get("region"), Village: q.Get("village"), Page: server.FilterOf(r).Page}
	if f.Region != "" && !counsel.ValidCode(f.Region) {
		f.Region = "999999999999"
	}
	if f.Village != "" && !counsel.ValidCode(f.Village) {
		f.Village = "999999999999"
	}
	return f
}

func (h *API) majorReports(w http.ResponseWriter, r *http.Request) {
	l, err := h.svc.MajorReports(r.Context(), ActorOf(r), majorFilterOf(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, l)
}

func (h *API) createMajor(w http.ResponseWriter, r *http.Request) {
	var in MajorInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	m := &counsel.MajorReport{VillageCode: in.VillageCode, AdvisorID: in.AdvisorID, Category: in.Category, Title: in.Title, Facts: in.Facts,
		OccurredOn: in.OccurredOn, People: in.People, Suggestion: in.Suggestion, ClientKey: in.ClientKey}
	got, err := h.svc.SubmitMajorReport(r.Context(), ActorOf(r), m)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusCreated, got)
}

func (h *API) majorReport(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	a := ActorOf(r)
	m, err := h.svc.MajorReport(r.Context(), a, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	evs, err := h.svc.MajorEvents(r.Context(), a, id)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	d := MajorDetail{Report: m, Events: evs, Next: []string{}}
	if evs == nil {
		d.Events = []counsel.MajorEvent{}
	}
	if authz.CanHandleMajor(a, m.VillageCode) {
		if n := service.MajorNextSteps(m.Status); n != nil {
			d.Next = n
		}
	}
	OK(w, http.StatusOK, d)
}

func (h *API) majorStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := PathID(r)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		var in MajorStepInput
		if err := Decode(r, &in); err != nil {
			h.Fail(w, r, err)
			return
		}
		ctx, a := r.Context(), ActorOf(r)
		var m *counsel.MajorReport
		switch step {
		case counsel.MajorAcknowledged:
			m, err = h.svc.AcknowledgeMajorReport(ctx, a, id, in.Note)
		case counsel.MajorFollowedUp:
			m, err = h.svc.FollowUpMajorReport(ctx, a, id, in.Note)
		default:
			m, err = h.svc.CloseMajorReport(ctx, a, id, in.Note)
		}
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		OK(w, http.StatusOK, m)
	}
}

func (h *API) majorDeadline(w http.ResponseWriter, r *http.Request) {
	d, err := h.svc.MajorDeadlineOf(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, d)
}

func (h *API) saveMajorDeadline(w http.ResponseWriter, r *http.Request) {
	var in MajorDeadlineInput
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	a := ActorOf(r)
	if err := h.svc.SaveMajorDeadline(r.Context(), a, in.Region, in.AckHours); err != nil {
		h.Fail(w, r, err)
		return
	}
	d, err := h.svc.MajorDeadlineOf(r.Context(), a, in.Region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, d)
}
