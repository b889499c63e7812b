package api

import (
	"net/http"

	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/store"
)

// NotificationsResponse is the signed-in account's notifications.
type NotificationsResponse struct {
	Unread int                  `json:"unread"`
	Items  []store.Notification `json:"items"`
}

// ReadRequest marks one notification (id) or all (id 0) read.
type ReadRequest struct {
	ID int64 `json:"id"`
}

func (h *API) notificationOps() []Op {
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	return []Op{
		{Route: rt("GET", "/notifications", "notifications", h.notifications), Summary: "The signed-in account's notifications", Tag: "ledger", Response: NotificationsResponse{}},
		{Route: rt("POST", "/notifications/read", "notifications_read", h.readNotifications), Summary: "Mark a notification (or all) read", Tag: "ledger", Request: ReadRequest{}, Response: NotificationsResponse{}},
	}
}

func (h *API) notifications(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	items, err := h.svc.Notifications(r.Context(), a)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	n, _ := h.svc.UnreadCount(r.Context(), a)
	if items == nil {
		items = []store.Notification{}
	}
	OK(w, http.StatusOK, NotificationsResponse{Unread: n, Items: items})
}

func (h *API) readNotifications(w http.ResponseWriter, r *http.Request) {
	var in ReadRequest
	if err := Decode(r, &in); err != nil {
		h.Fail(w, r, err)
		return
	}
	if err := h.svc.MarkRead(r.Context(), ActorOf(r), in.ID); err != nil {
		h.Fail(w, r, err)
		return
	}
	h.notifications(w, r)
}
