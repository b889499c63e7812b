package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// OutboxList is a page of outbox messages with the counts by status.
type OutboxList struct {
	service.List[service.OutboxView]
	Counts map[string]int `json:"counts"`
}

// TestResult names the outbox message a test created (0 for in-app).
type TestResult struct {
	MessageID int64 `json:"message_id"`
}

// Done is an empty success answer.
type Done struct {
	OK bool `json:"ok"`
}

// outboxOps are the operations of the outbox area.
func (h *API) outboxOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []Op{
		{Route: rt("GET", "/outbox", "outbox", h.outbox), Summary: "Outgoing robot messages of the scope (admin, bureaus), newest first, with counts by status", Tag: "outbox",
			Response: OutboxList{}, Query: []string{"status", "region", "channel", "limit", "offset"}},
		{Route: rt("POST", "/outbox/messages/{id}/retry", "outbox_retry", h.outboxRetry), Summary: "Queue a dead-lettered message again (admin, county bureau)", Tag: "outbox", Response: Done{}},
		{Route: rt("GET", "/outbox/channels", "outbox_channels", h.channels), Summary: "Channels of a jurisdiction (province, city or county; default the bureau's own) and the ones it inherits; webhook URLs and secrets masked", Tag: "outbox",
			Response: service.ChannelSet{}, Query: []string{"region"}},
		{Route: rt("POST", "/outbox/channels", "outbox_channel_create", h.channelSave), Summary: "Add a channel: inapp (roles), wecom (url) or dingtalk (url, secret)", Tag: "outbox", Request: service.ChannelInput{}, Response: service.ChannelView{}},
		{Route: rt("PUT", "/outbox/channels/{id}", "outbox_channel_update", h.channelSave), Summary: "Change a channel; an empty url or secret keeps the stored one", Tag: "outbox", Request: service.ChannelInput{}, Response: service.ChannelView{}},
		{Route: rt("DELETE", "/outbox/channels/{id}", "outbox_channel_delete", h.channelDelete), Summary: "Delete a channel", Tag: "outbox", Response: Done{}},
		{Route: rt("POST", "/outbox/channels/{id}/test", "outbox_channel_test", h.channelTest), Summary: "Send a test message through a channel", Tag: "outbox", Response: TestResult{}},
	}
}

func (h *API) outbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := server.FilterOf(r)
	chID, _ := strconv.ParseInt(q.Get("channel"), 10, 64)
	l, counts, err := h.svc.Outbox(r.Context(), ActorOf(r), service.OutboxQuery{Region: strings.TrimSpace(q.Get("region")), Status: q.Get("status"), ChannelID: chID, Page: f.Page})
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, OutboxList{List: l, Counts: counts})
}

func (h *API) outboxRetry(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err == nil {
		err = h.svc.RetryOutbox(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, Done{OK: true})
}

func (h *API) channels(w http.ResponseWriter, r *http.Request) {
	set, err := h.svc.Channels(r.Context(), ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, set)
}

func (h *API) channelSave(w http.ResponseWriter, r *http.Request) {
	var in service.ChannelInput
	status := http.StatusCreated
	if r.PathValue("id") != "" {
		id, err := PathID(r)
		if err != nil {
			h.Fail(w, r, err)
			return
		}
		in.ID, status = id, http.StatusOK
	}
	id := in.ID
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	in.ID = id
	v, err := h.svc.SaveChannel(r.Context(), ActorOf(r), &in)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, status, v)
}

func (h *API) channelDelete(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err == nil {
		err = h.svc.DeleteChannel(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, Done{OK: true})
}

func (h *API) channelTest(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	var msg int64
	if err == nil {
		msg, err = h.svc.TestChannel(r.Context(), ActorOf(r), id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	OK(w, http.StatusOK, TestResult{MessageID: msg})
}
