package notifyui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/server"
)

// OutboxList is a page of outbox messages with the counts by status.
type OutboxList struct {
	notify.OutboxPage
	Counts map[string]int `json:"counts"`
}

// TestResult names the outbox message a test created (0 for in-app).
type TestResult struct {
	MessageID int64 `json:"message_id"`
}

// NotificationsResponse is the signed-in account's notifications.
type NotificationsResponse struct {
	Unread int                   `json:"unread"`
	Items  []notify.Notification `json:"items"`
}

// ReadRequest marks one notification (id) or all (id 0) read.
type ReadRequest struct {
	ID int64 `json:"id"`
}

// endpoints are the notification area's JSON handlers.
type endpoints struct {
	h   *api.API
	svc *notify.Service
}

// ops are the operations of the outbox area and the signed-in account's
// notifications.
func (p *endpoints) ops() []api.Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []api.Op{
		{Route: rt("GET", "/notifications", "notifications", p.notifications), Summary: "The signed-in account's notifications", Tag: "ledger", Response: NotificationsResponse{}},
		{Route: rt("POST", "/notifications/read", "notifications_read", p.readNotifications), Summary: "Mark a notification (or all) read", Tag: "ledger", Request: ReadRequest{}, Response: NotificationsResponse{}},
		{Route: rt("GET", "/outbox", "outbox", p.outbox), Summary: "Outgoing robot messages of the scope (admin, bureaus), newest first, with counts by status", Tag: "outbox",
			Response: OutboxList{}, Query: []string{"status", "region", "channel", "limit", "offset"}},
		{Route: rt("POST", "/outbox/messages/{id}/retry", "outbox_retry", p.outboxRetry), Summary: "Queue a dead-lettered message again (admin, county bureau)", Tag: "outbox", Response: api.Done{}},
		{Route: rt("GET", "/outbox/channels", "outbox_channels", p.channels), Summary: "Channels of a jurisdiction (province, city or county; default the bureau's own) and the ones it inherits; webhook URLs and secrets masked", Tag: "outbox",
			Response: notify.ChannelSet{}, Query: []string{"region"}},
		{Route: rt("POST", "/outbox/channels", "outbox_channel_create", p.channelSave), Summary: "Add a channel: inapp (roles), wecom (url) or dingtalk (url, secret)", Tag: "outbox", Request: notify.ChannelInput{}, Response: notify.ChannelView{}},
		{Route: rt("PUT", "/outbox/channels/{id}", "outbox_channel_update", p.channelSave), Summary: "Change a channel; an empty url or secret keeps the stored one", Tag: "outbox", Request: notify.ChannelInput{}, Response: notify.ChannelView{}},
		{Route: rt("DELETE", "/outbox/channels/{id}", "outbox_channel_delete", p.channelDelete), Summary: "Delete a channel", Tag: "outbox", Response: api.Done{}},
		{Route: rt("POST", "/outbox/channels/{id}/test", "outbox_channel_test", p.channelTest), Summary: "Send a test message through a channel", Tag: "outbox", Response: TestResult{}},
	}
}

func (p *endpoints) notifications(w http.ResponseWriter, r *http.Request) {
	a := api.ActorOf(r)
	items, err := p.svc.Notifications(r.Context(), a)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	n, _ := p.svc.UnreadCount(r.Context(), a)
	if items == nil {
		items = []notify.Notification{}
	}
	api.OK(w, http.StatusOK, NotificationsResponse{Unread: n, Items: items})
}

func (p *endpoints) readNotifications(w http.ResponseWriter, r *http.Request) {
	var in ReadRequest
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if err := p.svc.MarkRead(r.Context(), api.ActorOf(r), in.ID); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.notifications(w, r)
}

func (p *endpoints) outbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := server.FilterOf(r)
	chID, _ := strconv.ParseInt(q.Get("channel"), 10, 64)
	l, counts, err := p.svc.Outbox(r.Context(), api.ActorOf(r), notify.OutboxQuery{Region: strings.TrimSpace(q.Get("region")), Status: q.Get("status"), ChannelID: chID, Page: f.Page})
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, OutboxList{OutboxPage: l, Counts: counts})
}

func (p *endpoints) outboxRetry(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err == nil {
		err = p.svc.RetryOutbox(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, api.Done{OK: true})
}

func (p *endpoints) channels(w http.ResponseWriter, r *http.Request) {
	set, err := p.svc.Channels(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, set)
}

func (p *endpoints) channelSave(w http.ResponseWriter, r *http.Request) {
	var in notify.ChannelInput
	status := http.StatusCreated
	if r.PathValue("id") != "" {
		id, err := api.PathID(r)
		if err != nil {
			p.h.Fail(w, r, err)
			return
		}
		in.ID, status = id, http.StatusOK
	}
	id := in.ID
	if err := api.Decode(r, &in); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	in.ID = id
	v, err := p.svc.SaveChannel(r.Context(), api.ActorOf(r), &in)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, status, v)
}

func (p *endpoints) channelDelete(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	if err == nil {
		err = p.svc.DeleteChannel(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, api.Done{OK: true})
}

func (p *endpoints) channelTest(w http.ResponseWriter, r *http.Request) {
	id, err := api.PathID(r)
	var msg int64
	if err == nil {
		msg, err = p.svc.TestChannel(r.Context(), api.ActorOf(r), id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, TestResult{MessageID: msg})
}
