package notifyui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// pages are the notification area's page handlers.
type pages struct {
	h   *web.Web
	svc *notify.Service
}

// routes are the pages of the outbox area (the messages with their dead
// letters and a retry, the channels of a jurisdiction) and the signed-in
// account's notifications.
func (p *pages) routes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/notifications", Name: "notifications", Handler: p.notificationsPage},
		{Method: "POST", Pattern: "/notifications/read", Name: "notifications_read", Handler: p.notificationsRead},
		{Method: "GET", Pattern: "/outbox", Name: "outbox", Handler: p.outboxList},
		{Method: "POST", Pattern: "/outbox/messages/{id}/retry", Name: "outbox_retry", Handler: p.outboxRetry},
		{Method: "GET", Pattern: "/outbox/channels", Name: "outbox_channels", Handler: p.channelsPage},
		{Method: "POST", Pattern: "/outbox/channels", Name: "outbox_channel_create", Handler: p.channelSave},
		{Method: "POST", Pattern: "/outbox/channels/{id}", Name: "outbox_channel_update", Handler: p.channelSave},
		{Method: "POST", Pattern: "/outbox/channels/{id}/delete", Name: "outbox_channel_delete", Handler: p.channelDelete},
		{Method: "POST", Pattern: "/outbox/channels/{id}/test", Name: "outbox_channel_test", Handler: p.channelTest},
	}
}

// ---- messages -------------------------------------------------------------

type outboxRow struct {
	notify.OutboxView
	RegionName string
	Lines      []string // the message's text by line
}

type outboxView struct {
	Rows     []outboxRow
	Pager    web.Pager
	Status   string
	Statuses []string
	Counts   map[string]int
	All      int
	Channel  int64
	Back     string
}

func (p *pages) outboxList(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	q := r.URL.Query()
	chID, _ := strconv.ParseInt(q.Get("channel"), 10, 64)
	oq := notify.OutboxQuery{Region: strings.TrimSpace(q.Get("region")), Status: q.Get("status"), ChannelID: chID, Page: web.PageOf(r)}
	l, counts, err := p.svc.Outbox(ctx, a, oq)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	ov := &outboxView{Status: oq.Status, Statuses: notify.OutboxStatuses, Counts: counts, Channel: chID,
		Pager: web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: q}, Back: r.URL.RequestURI()}
	for _, n := range counts {
		ov.All += n
	}
	names := map[string]string{}
	for _, m := range l.Items {
		name, ok := names[m.RegionCode]
		if !ok {
			name = p.svc.RegionName(ctx, m.RegionCode)
			names[m.RegionCode] = name
		}
		ov.Rows = append(ov.Rows, outboxRow{OutboxView: m, RegionName: name, Lines: strings.Split(m.Body, "\n")})
	}
	p.h.Render(w, r, http.StatusOK, "outbox", p.h.View(r, "outbox", "ob.title", ov))
}

// backTo returns a local return address from the form, or def.
func backTo(r *http.Request, def string) string {
	b := r.PostFormValue("back")
	if strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") && !strings.ContainsAny(b, "\\\r\n") {
		return b
	}
	return def
}

func (p *pages) outboxRetry(w http.ResponseWriter, r *http.Request) {
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	if err := p.svc.RetryOutbox(r.Context(), web.ActorOf(r), id); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, backTo(r, "/outbox?status=pending"), "ob_retried")
}

// ---- channels -------------------------------------------------------------

type channelsView struct {
	Code      string
	AskRegion bool
	Set       *notify.ChannelSet
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

func (p *pages) channelsPage(w http.ResponseWriter, r *http.Request) {
	v := p.h.View(r, "outbox", "ob.channels_title", nil)
	p.renderChannels(w, r, v, strings.TrimSpace(r.URL.Query().Get("region")), http.StatusOK)
}

func (p *pages) renderChannels(w http.ResponseWriter, r *http.Request, v *web.View, code string, status int) {
	ctx, a := r.Context(), web.ActorOf(r)
	cv := &channelsView{Code: code, Kinds: notify.ChannelKinds, Events: notify.EventKinds, Roles: notify.InAppRoles}
	if v.Form != nil {
		cv.Failed = v.Form.Get("form")
	}
	v.Data = cv
	if a.Role == counsel.RoleAdmin && code == "" {
		cv.AskRegion = true
		p.h.Render(w, r, status, "outbox_channels", v)
		return
	}
	set, err := p.svc.Channels(ctx, a, code)
	if err != nil {
		if a.Role == counsel.RoleAdmin && counsel.ErrorCode(err) == counsel.CodeInvalid {
			cv.AskRegion = true
			p.h.FormFail(r, v, err)
			p.h.Render(w, r, http.StatusUnprocessableEntity, "outbox_channels", v)
			return
		}
		p.h.Fail(w, r, err)
		return
	}
	cv.Set, cv.Code = set, set.Region.Code
	if set.InheritedFrom != "" {
		cv.InheritedName = p.svc.RegionName(ctx, set.InheritedFrom)
	}
	p.h.Render(w, r, status, "outbox_channels", v)
}

// channelInput reads a channel form.
func channelInput(r *http.Request) notify.ChannelInput {
	f := r.PostForm
	return notify.ChannelInput{
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

func (p *pages) channelSave(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = web.PathID(r); err != nil {
			p.h.Fail(w, r, err)
			return
		}
	}
	v := p.h.View(r, "outbox", "ob.channels_title", nil)
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	in := channelInput(r)
	in.ID = id
	saved, err := p.svc.SaveChannel(ctx, a, &in)
	if err != nil {
		switch counsel.ErrorCode(err) {
		case counsel.CodeInvalid:
		default:
			p.h.Fail(w, r, err)
			return
		}
		status := p.h.FormFail(r, v, err)
		// Never send a typed secret back into the page.
		v.Form.Del("secret")
		v.Form.Del("url")
		code := in.RegionCode
		if id > 0 {
			if c, err := p.svc.Channel(ctx, a, id); err == nil {
				code = c.RegionCode
			}
		}
		if code == "" && a.Role == counsel.RoleBureau {
			code = a.RegionCode
		}
		p.renderChannels(w, r, v, code, status)
		return
	}
	web.Redirect(w, r, "/outbox/channels?region="+saved.RegionCode, "saved")
}

func (p *pages) channelDelete(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	c, err := p.svc.Channel(ctx, a, id)
	if err == nil {
		err = p.svc.DeleteChannel(ctx, a, id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/outbox/channels?region="+c.RegionCode, "ob_deleted")
}

func (p *pages) channelTest(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	id, ok := p.h.IDForm(w, r, 1<<16)
	if !ok {
		return
	}
	c, err := p.svc.Channel(ctx, a, id)
	var msg int64
	if err == nil {
		msg, err = p.svc.TestChannel(ctx, a, id)
	}
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if c.Kind == notify.ChannelInApp || msg == 0 {
		web.Redirect(w, r, "/outbox/channels?region="+c.RegionCode, "ob_test_inapp")
		return
	}
	web.Redirect(w, r, "/outbox?channel="+strconv.FormatInt(id, 10), "ob_test_queued")
}

// ---- notifications ----------------------------------------------------------

func (p *pages) notificationsPage(w http.ResponseWriter, r *http.Request) {
	items, err := p.svc.Notifications(r.Context(), web.ActorOf(r))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.Render(w, r, http.StatusOK, "notifications", p.h.View(r, "notifications", "ledger.notifications_title", items))
}

func (p *pages) notificationsRead(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<12); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(r.PostForm.Get("id"), 10, 64)
	if err := p.svc.MarkRead(r.Context(), web.ActorOf(r), id); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	to := "/notifications"
	if link := r.PostForm.Get("link"); strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		to = link
	}
	web.Redirect(w, r, to, "")
}
