package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel/server"
)

// notificationRoutes are the in-app notification pages.
func (h *Web) notificationRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/notifications", Name: "notifications", Handler: h.notificationsPage},
		{Method: "POST", Pattern: "/notifications/read", Name: "notifications_read", Handler: h.notificationsRead},
	}
}

func (h *Web) notificationsPage(w http.ResponseWriter, r *http.Request) {
	items, err := h.svc.Notifications(r.Context(), ActorOf(r))
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.Render(w, r, http.StatusOK, "notifications", h.View(r, "notifications", "ledger.notifications_title", items))
}

func (h *Web) notificationsRead(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(r, 1<<12); err != nil {
		h.Fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err := h.svc.MarkRead(r.Context(), ActorOf(r), id); err != nil {
		h.Fail(w, r, err)
		return
	}
	to := "/notifications"
	if link := r.PostForm.Get("link"); strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		to = link
	}
	Redirect(w, r, to, "")
}
