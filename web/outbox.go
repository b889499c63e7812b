package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
	"github.com/villagecounsel/counsel/store"
)

// outboxRoutes are the pages of the outbox area: the messages with their
// dead letters and a retry, the channels of a jurisdiction.
func (h *Web) outboxRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/outbox", Name: "outbox", Handler: h.outboxList},
		{Method: "POST", Pattern: "/outbox/messages/{id}/retry", Name: "outbox_retry", Handler: h.outboxRetry},
		{Method: "GET", Pattern: "/outbox/channels", Name: "outbox_channels", Handler: h.channelsPage},
		{Method: "POST", Pattern: "/outbox/channels", Name: "outbox_channel_create", Handler: h.channelSave},
		{Method: "POST", Pattern: "/outbox/channels/{id}", Name: "outbox_channel_update", Handler: h.channelSave},
		{Method: "POST", Pattern: "/outbox/channels/{id}/delete", Name: "outbox_channel_delete", Handler: h.channelDelete},
		{Method: "POST", Pattern: "/outbox/channels/{id}/test", Name: "outbox_channel_test", Handler: h.channelTest},
	}
}

// ---- messages -------------------------------------------------------------

type outboxRow struct {
	service.OutboxView
	RegionName string
	Lines      []string // the message's text by line
}

type outboxView struct {
	Rows     []outboxRow
	Pager    Pager
	Status   string
	Statuses []string
	Counts   map[string]int
	All      int
	Channel  int64
	Back     string
}

func (h *Web) outboxList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	q := r.URL.Query()
	chID, _ := strconv.ParseInt(q.Get("channel"), 10, 64)
	oq := service.OutboxQuery{Region: strings.TrimSpace(q.Get("region")), Status: q.Get("status"), ChannelID: chID, Page: PageOf(r)}
	l, counts, err := h.svc.Outbox(ctx, a, oq)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ov := &outboxView{Status: oq.Status, Statuses: service.OutboxStatuses, Counts: counts, Channel: chID,
		Pager: Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: q}, Back: r.URL.RequestURI()}
	for _, n := range counts {
		ov.All += n
	}
	names := map[string]string{}
	for _, m := range l.Items {
		name, ok := names[m.RegionCode]
		if !ok {
			if reg, err := h.svc.DB.Region(ctx, m.RegionCode); err == nil {
				name = reg.Name
			}
			names[m.RegionCode] = name
		}
		ov.Rows = append(ov.Rows, outboxRow{OutboxView: m, RegionName: name, Lines: strings.Split(m.Body, "\n")})
	}
	h.Render(w, r, http.StatusOK, "outbox", h.View(r, "outbox", "ob.title", ov))
}

// backTo returns a local return address from the form, or def.
func backTo(r *http.Request, def string) string {
	b := r.PostFormValue("back")
	if strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return def
}

func (h *Web) outboxRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	if err := h.svc.RetryOutbox(r.Context(), ActorOf(r), id); err != nil {
		h.Fail(w, r, err)
		return
	}
	Redirect(w, r, backTo(r, "/outbox?status=pending"), "ob_retried")
}

// ---- channels -------------------------------------------------------------

type channelsView struct {
	Code      string
	AskRegion bool
	Set       *service.ChannelSet
	Kinds     []string
	Events    []string
	Roles     []string
	// Failed is the form that failed: "new" or a channel's id.
	Failed string
	// InheritedName names the jurisdiction the inherited channels belong to.
	InheritedName string
}

// Has reports whether list holds v (for checkboxes).
func (channelsView) Has(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func (h *Web) channelsPage(w http.ResponseWriter, r *http.Request) {
	v := h.View(r, "outbox", "ob.channels_title", nil)
	h.renderChannels(w, r, v, strings.TrimSpace(r.URL.Query().Get("region")), http.StatusOK)
}

func (h *Web) renderChannels(w http.ResponseWriter, r *http.Request, v *View, code string, status int) {
	ctx, a := r.Context(), ActorOf(r)
	cv := &channelsView{Code: code, Kinds: service.ChannelKinds, Events: service.EventKinds, Roles: service.InAppRoles}
	if v.Form != nil {
		cv.Failed = v.Form.Get("form")
	}
	v.Data = cv
	if a.Role == counsel.RoleAdmin && code == "" {
		cv.AskRegion = true
		h.Render(w, r, status, "outbox_channels", v)
		return
	}
	set, err := h.svc.Channels(ctx, a, code)
	if err != nil {
		if a.Role == counsel.RoleAdmin && counsel.ErrorCode(err) == counsel.CodeInvalid {
			cv.AskRegion = true
			h.FormFail(r, v, err)
			h.Render(w, r, http.StatusUnprocessableEntity, "outbox_channels", v)
			return
		}
		h.Fail(w, r, err)
		return
	}
	cv.Set, cv.Code = set, set.Region.Code
	if set.InheritedFrom != "" {
		if reg, err := h.svc.DB.Region(ctx, set.InheritedFrom); err == nil {
			cv.InheritedName = reg.Name
		}
	}
	h.Render(w, r, status, "outbox_channels", v)
}

// channelInput reads a channel form.
func channelInput(r *http.Request) service.ChannelInput {
	f := r.PostForm
	return service.ChannelInput{
		RegionCode:  strings.TrimSpace(f.Get("region")),
		Kind:        strings.TrimSpace(f.Get("kind")),
		Name:        f.Get("name"),
		URL:         f.Get("url"),
		Secret:      f.Get("secret"),
		ClearSecret: f.Get("clear_secret") != "",
		Events:      f["events"],
		Roles:       f["roles"],
		Enabled:     f.Get("enabled") != "",
	}
}

func (h *Web) channelSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = PathID(r); err != nil {
			h.Fail(w, r, err)
			return
		}
	}
	v := h.View(r, "outbox", "ob.channels_title", nil)
	if err := ParseForm(r, 1<<16); err != nil {
		h.Fail(w, r, err)
		return
	}
	in := channelInput(r)
	in.ID = id
	saved, err := h.svc.SaveChannel(ctx, a, &in)
	if err != nil {
		switch counsel.ErrorCode(err) {
		case counsel.CodeInvalid:
		default:
			h.Fail(w, r, err)
			return
		}
		status := h.FormFail(r, v, err)
		// Never send a typed secret back into the page.
		v.Form.Del("secret")
		v.Form.Del("url")
		code := in.RegionCode
		if id > 0 {
			if c, err := h.svc.Channel(ctx, a, id); err == nil {
				code = c.RegionCode
			}
		}
		if code == "" && a.Role == counsel.RoleBureau {
			code = a.RegionCode
		}
		h.renderChannels(w, r, v, code, status)
		return
	}
	Redirect(w, r, "/outbox/channels?region="+saved.RegionCode, "saved")
}

func (h *Web) channelDelete(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	c, err := h.svc.Channel(ctx, a, id)
	if err == nil {
		err = h.svc.DeleteChannel(ctx, a, id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	Redirect(w, r, "/outbox/channels?region="+c.RegionCode, "ob_deleted")
}

func (h *Web) channelTest(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), ActorOf(r)
	id, ok := h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	c, err := h.svc.Channel(ctx, a, id)
	var msg int64
	if err == nil {
		msg, err = h.svc.TestChannel(ctx, a, id)
	}
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if c.Kind == store.ChannelInApp || msg == 0 {
		Redirect(w, r, "/outbox/channels?region="+c.RegionCode, "ob_test_inapp")
		return
	}
	Redirect(w, r, "/outbox?channel="+strconv.FormatInt(id, 10), "ob_test_queued")
}
