package major

import (
	"net/http"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
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

// endpoints are the JSON operations of major-matter reports.
type endpoints struct {
	h   *api.API
	svc *Service
}

// ops lists the operations.
func (e *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/major-reports", "major_reports", e.majorReports), Summary: "List major-matter reports in scope, open first (status may be open; overdue=1 keeps those past the acknowledgement deadline)", Tag: "major",
			Response: registry.List[counsel.MajorReport]{}, Query: []string{"q", "status", "category", "overdue", "region", "village", "limit", "offset"}},
		{Route: rt("POST", "/major-reports", "major_report_create", e.createMajor), Summary: "Report a major matter (advisor for a village it serves; administrator for an advisor); notifies the judicial office and the county bureau", Tag: "major",
			Request: MajorInput{}, Response: counsel.MajorReport{}},
		{Route: rt("GET", "/major-reports/{id}", "major_report", e.majorReport), Summary: "One report with its timeline", Tag: "major", Response: MajorDetail{}},
		{Route: rt("POST", "/major-reports/{id}/acknowledge", "major_report_acknowledge", e.majorStep(counsel.MajorAcknowledged)), Summary: "Acknowledge a submitted report (judicial office of the town, county bureau)", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("POST", "/major-reports/{id}/follow-up", "major_report_follow_up", e.majorStep(counsel.MajorFollowedUp)), Summary: "Record a follow-up of an acknowledged report; the note is required", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("POST", "/major-reports/{id}/close", "major_report_close", e.majorStep(counsel.MajorClosed)), Summary: "Close an acknowledged report; the note is the outcome and is required", Tag: "major",
			Request: MajorStepInput{}, Response: counsel.MajorReport{}},
		{Route: rt("GET", "/major-settings", "major_settings", e.majorDeadline), Summary: "The acknowledgement deadline in force for a region (default: the home region)", Tag: "major",
			Response: MajorDeadline{}, Query: []string{"region"}},
		{Route: rt("PUT", "/major-settings", "major_settings_update", e.saveMajorDeadline), Summary: "Set a county's acknowledgement deadline in hours (county bureau, administrator)", Tag: "major",
			Request: MajorDeadlineInput{}, Response: MajorDeadline{}},
	}
}

// majorFilterOf reads a report list's query parameters.
func majorFilterOf(r *http.Request) Filter {
	q := r.URL.Query()
	f := Filter{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Category: q.Get("category"),
		Overdue: q.Get("overdue") == "1" || q.Get("overdue") == "true", Region: q.Get("region"), Village: q.Get("village"), Page: server.FilterOf(r).Page}
	if f.Region != "" && !counsel.ValidCode(f.Region) {
		f.Region = "999999999999"
	}
	if f.Village != "" && !counsel.ValidCode(f.Village) {
		f.Village = "999999999999"
	}
	return f
}

func (e *endpoints) majorReports(w http.ResponseWriter, r *http.Request) {
	l, err := e.svc.MajorReports(r.Context(), api.ActorOf(r), majorFilterOf(r))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

func (e *endpoints) createMajor(w http.ResponseWriter, r *http.Request) {
	var in MajorInput
	if err := api.Decode(r, &in); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	m := &counsel.MajorReport{VillageCode: in.VillageCode, AdvisorID: in.AdvisorID, Category: in.Category, Title: in.Title, Facts: in.Facts,
		OccurredOn: in.OccurredOn, People: in.People, Suggestion: in.Suggestion, ClientKey: in.ClientKey}
	got, err := e.svc.SubmitMajorReport(r.Context(), api.ActorOf(r), m)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusCreated, got)
}

func (e *endpoints) majorReport(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	a := api.ActorOf(r)
	m, err := e.svc.MajorReport(r.Context(), a, id)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	evs, err := e.svc.MajorEvents(r.Context(), a, id)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	d := MajorDetail{Report: m, Events: evs, Next: []string{}}
	if evs == nil {
		d.Events = []counsel.MajorEvent{}
	}
	if authz.CanHandleMajor(a, m.VillageCode) {
		if n := NextSteps(m.Status); n != nil {
			d.Next = n
		}
	}
	api.OK(w, http.StatusOK, d)
}

func (e *endpoints) majorStep(step string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := api.PathID(r)
		if err != nil {
			e.h.Fail(w, r, err)
			return
		}
		var in MajorStepInput
		if err := api.Decode(r, &in); err != nil {
			e.h.Fail(w, r, err)
			return
		}
		ctx, a := r.Context(), api.ActorOf(r)
		var m *counsel.MajorReport
		switch step {
		case counsel.MajorAcknowledged:
			m, err = e.svc.AcknowledgeMajorReport(ctx, a, id, in.Note)
		case counsel.MajorFollowedUp:
			m, err = e.svc.FollowUpMajorReport(ctx, a, id, in.Note)
		default:
			m, err = e.svc.CloseMajorReport(ctx, a, id, in.Note)
		}
		if err != nil {
			e.h.Fail(w, r, err)
			return
		}
		api.OK(w, http.StatusOK, m)
	}
}

func (e *endpoints) majorDeadline(w http.ResponseWriter, r *http.Request) {
	d, err := e.svc.MajorDeadlineOf(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, d)
}

func (e *endpoints) saveMajorDeadline(w http.ResponseWriter, r *http.Request) {
	var in MajorDeadlineInput
	if err := api.Decode(r, &in); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	a := api.ActorOf(r)
	if err := e.svc.SaveMajorDeadline(r.Context(), a, in.Region, in.AckHours); err != nil {
		e.h.Fail(w, r, err)
		return
	}
	d, err := e.svc.MajorDeadlineOf(r.Context(), a, in.Region)
	if err != nil {
		e.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, d)
}
