package notify

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/audit"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/store"
)

func channelView(c *OutboxChannel) ChannelView {
	v := ChannelView{ID: c.ID, RegionCode: c.RegionCode, Kind: c.Kind, Name: c.Name, URL: MaskURL(c.URL), Secret: MaskSecret(c.Secret),
		Events: SplitList(c.Events), Roles: SplitList(c.Roles), Enabled: c.Enabled, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
	if v.Events == nil {
		v.Events = []string{}
	}
	return v
}

var errJurisdiction = counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.ob_jurisdiction"})

// outboxRegion returns the jurisdiction a bureau or the admin asks for: a
// bureau's own when region is "".
func outboxRegion(a *counsel.Actor, region string) (string, error) {
	if !authz.IsAdmin(a) && a.Role != counsel.RoleBureau {
		return "", counsel.ErrForbidden
	}
	region = strings.TrimSpace(region)
	if region == "" {
		region = a.RegionCode
	}
	if !channelLevel(region) {
		return "", errJurisdiction
	}
	if !authz.CanReadOutbox(a, region) {
		return "", counsel.ErrNotFound
	}
	return region, nil
}

// Channels returns the channels of a jurisdiction (province, city or county;
// "" = a bureau's own) with the ones it inherits.
func (s *Service) Channels(ctx context.Context, a *counsel.Actor, region string) (*ChannelSet, error) {
	code, err := outboxRegion(a, region)
	if err != nil {
		return nil, err
	}
	set := &ChannelSet{Own: []ChannelView{}, Inherited: []ChannelView{}, CanEdit: authz.CanWriteOutbox(a, code)}
	if set.Region, err = regionOf(ctx, s.DB, code); err != nil {
		return nil, err
	}
	own, err := ChannelsAt(ctx, s.DB, code)
	if err != nil {
		return nil, err
	}
	for i := range own {
		set.Own = append(set.Own, channelView(&own[i]))
	}
	if len(own) == 0 {
		if p := counsel.ParentOf(code); p != "" {
			inh, from, err := effectiveChannels(ctx, s.DB, p)
			if err != nil {
				return nil, err
			}
			set.InheritedFrom = from
			for i := range inh {
				set.Inherited = append(set.Inherited, channelView(&inh[i]))
			}
		}
	}
	return set, nil
}

// channelFor loads a channel the actor may see (404 otherwise).
func (s *Service) channelFor(ctx context.Context, a *counsel.Actor, id int64) (*OutboxChannel, error) {
	c, err := ChannelByID(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !authz.CanReadOutbox(a, c.RegionCode) {
		return nil, counsel.ErrNotFound
	}
	return c, nil
}

// Channel returns one channel, masked.
func (s *Service) Channel(ctx context.Context, a *counsel.Actor, id int64) (*ChannelView, error) {
	c, err := s.channelFor(ctx, a, id)
	if err != nil {
		return nil, err
	}
	v := channelView(c)
	return &v, nil
}

// SaveChannel creates (ID 0) or changes a channel of a jurisdiction (the
// administrator any, a county bureau its county's).
func (s *Service) SaveChannel(ctx context.Context, a *counsel.Actor, in *ChannelInput) (*ChannelView, error) {
	var old *OutboxChannel
	c := &OutboxChannel{}
	if in.ID > 0 {
		var err error
		if old, err = s.channelFor(ctx, a, in.ID); err != nil {
			return nil, err
		}
		*c = *old
	} else {
		code := strings.TrimSpace(in.RegionCode)
		if code == "" && a.Role == counsel.RoleBureau {
			code = a.RegionCode
		}
		if !authz.IsAdmin(a) && a.Role != counsel.RoleBureau {
			return nil, counsel.ErrForbidden
		}
		if !channelLevel(code) {
			return nil, errJurisdiction
		}
		c.RegionCode, c.Kind = code, strings.TrimSpace(in.Kind)
	}
	// Permission before validation.
	if !authz.CanWriteOutbox(a, c.RegionCode) {
		if old == nil && !authz.CanReadOutbox(a, c.RegionCode) {
			return nil, counsel.OutOfScope("region_code")
		}
		return nil, counsel.ErrForbidden
	}
	var f counsel.Fields
	if !slices.Contains(ChannelKinds, c.Kind) {
		f.Add("kind", "err.choice")
	}
	c.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		f.Add("name", "err.required")
	case n > 60:
		f.Add("name", "err.too_long", 60)
	}
	c.Events = ""
	for _, e := range in.Events {
		if e = strings.TrimSpace(e); e == "" {
			continue
		}
		if !slices.Contains(EventKinds, e) {
			f.Add("events", "err.choice")
			break
		}
		c.Events = addItem(c.Events, e, ",")
	}
	c.Enabled = in.Enabled
	if c.Kind == ChannelInApp {
		c.URL, c.Secret, c.Roles = "", "", ""
		for _, r := range in.Roles {
			if r = strings.TrimSpace(r); r == "" {
				continue
			}
			if !slices.Contains(InAppRoles, r) {
				f.Add("roles", "err.choice")
				break
			}
			c.Roles = addItem(c.Roles, r, " ")
		}
		if c.Roles == "" {
			f.Add("roles", "err.ob_roles")
		}
	} else {
		c.Roles = ""
		if u := strings.TrimSpace(in.URL); u != "" || old == nil {
			if err := checkWebhookURL(u); err != "" {
				f.Add("url", err)
			} else if pu, _ := url.Parse(u); !hostAllowed(pu, s.OutboxOptions().Hosts) {
				f.Add("url", "err.ob_host", strings.Join(s.OutboxOptions().Hosts, "、"))
			}
			c.URL = u
		}
		if sec := strings.TrimSpace(in.Secret); sec != "" {
			if len(sec) > 200 {
				f.Add("secret", "err.too_long", 200)
			}
			c.Secret = sec
		} else if in.ClearSecret {
			c.Secret = ""
		}
		if c.Kind == ChannelWeCom {
			c.Secret = ""
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.Now().UnixMilli()
	c.UpdatedAt = now
	err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if old == nil {
			c.CreatedAt = now
			if err := createChannel(ctx, tx, c); err != nil {
				return err
			}
			return audit.Write(ctx, tx, a, "create", "outbox_channel", c.ID, c.RegionCode, nil, channelView(c))
		}
		if err := updateChannel(ctx, tx, c); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "update", "outbox_channel", c.ID, c.RegionCode, channelView(old), channelView(c))
	})
	if err != nil {
		return nil, err
	}
	v := channelView(c)
	return &v, nil
}

func addItem(list, item, sep string) string {
	if slices.Contains(SplitList(list), item) {
		return list
	}
	if list == "" {
		return item
	}
	return list + sep + item
}

// checkWebhookURL returns the error key of a bad webhook URL ("" if good):
// https with a host, no user name, at most 1000 characters (the key travels
// in the URL: never in clear text).
func checkWebhookURL(raw string) string {
	if raw == "" {
		return "err.required"
	}
	if len(raw) > 1000 {
		return "err.ob_url"
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Fragment != "" {
		return "err.ob_url"
	}
	return ""
}

// DeleteChannel removes a channel; its messages stay (pending ones are
// dead-lettered when they fall due).
func (s *Service) DeleteChannel(ctx context.Context, a *counsel.Actor, id int64) error {
	c, err := s.channelFor(ctx, a, id)
	if err != nil {
		return err
	}
	if !authz.CanWriteOutbox(a, c.RegionCode) {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if err := deleteChannel(ctx, tx, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, a, "delete", "outbox_channel", id, c.RegionCode, channelView(c), nil)
	})
}

// TestChannel sends a test message through a channel: a robot gets an
// outbox message (delivered after commit like any other; its id is
// returned), an in-app channel notifies the actor.
func (s *Service) TestChannel(ctx context.Context, a *counsel.Actor, id int64) (int64, error) {
	c, err := s.channelFor(ctx, a, id)
	if err != nil {
		return 0, err
	}
	if !authz.CanWriteOutbox(a, c.RegionCode) {
		return 0, counsel.ErrForbidden
	}
	now := s.Now()
	title := i18n.T("zh", "ob.test_title")
	text := i18n.T("zh", "ob.test_text", c.Name, now.In(shanghai).Format("2006-01-02 15:04"), a.Username)
	var msgID int64
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		if c.Kind == ChannelInApp {
			if a.UserID > 0 {
				if _, err := Notify(ctx, tx, &Notification{UserID: a.UserID, Kind: EventTest, Title: title, Body: text,
					Link: "/outbox/channels?region=" + c.RegionCode, DedupKey: "test|" + uniqueKey(), CreatedAt: now.UnixMilli()}); err != nil {
					return err
				}
			}
		} else {
			m := &OutboxMessage{ChannelID: c.ID, ChannelKind: c.Kind, RegionCode: c.RegionCode, Event: EventTest, Title: title, Body: text,
				DedupKey: EventTest + "|" + uniqueKey(), NextAt: now.UnixMilli(), CreatedAt: now.UnixMilli()}
			if _, err := EnqueueOutbox(ctx, tx, m); err != nil {
				return err
			}
			msgID = m.ID
			tx.AfterCommit(s.WakeOutbox)
		}
		return audit.Write(ctx, tx, a, "test", "outbox_channel", c.ID, c.RegionCode, nil, nil)
	})
	return msgID, err
}

// Outbox lists the messages of the actor's scope (the administrator all, a
// bureau its subtree), newest first, with the counts by status.
func (s *Service) Outbox(ctx context.Context, a *counsel.Actor, q OutboxQuery) (OutboxPage, map[string]int, error) {
	var scope string
	switch {
	case authz.IsAdmin(a):
	case a.Role == counsel.RoleBureau && a.RegionCode != "":
		scope = a.RegionCode
	default:
		return OutboxPage{}, nil, counsel.ErrForbidden
	}
	if r := strings.TrimSpace(q.Region); r != "" {
		if !counsel.ValidCode(r) {
			return OutboxPage{}, nil, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
		}
		if scope != "" && !counsel.Within(r, scope) {
			return OutboxPage{}, nil, counsel.ErrNotFound
		}
		scope = r
	}
	if !slices.Contains(OutboxStatuses, q.Status) {
		q.Status = ""
	}
	p := q.Page.Clamp()
	items, total, err := OutboxMessages(ctx, s.DB, OutboxFilter{Scope: scope, Status: q.Status, ChannelID: q.ChannelID, Limit: p.Limit, Offset: p.Offset})
	if err != nil {
		return OutboxPage{}, nil, err
	}
	counts, err := outboxCounts(ctx, s.DB, scope)
	if err != nil {
		return OutboxPage{}, nil, err
	}
	chans := map[int64]*OutboxChannel{}
	out := make([]OutboxView, 0, len(items))
	for _, m := range items {
		v := OutboxView{OutboxMessage: m, CanRetry: (m.Status == OutboxDead || m.Status == OutboxPending) && authz.CanWriteOutbox(a, m.RegionCode)}
		c, ok := chans[m.ChannelID]
		if !ok {
			c, _ = ChannelByID(ctx, s.DB, m.ChannelID)
			chans[m.ChannelID] = c
		}
		if c != nil {
			v.ChannelName, v.ChannelURL = c.Name, MaskURL(c.URL)
		}
		out = append(out, v)
	}
	return OutboxPage{Items: out, Total: total, Limit: p.Limit, Offset: p.Offset}, counts, nil
}

// RetryOutbox puts a dead-lettered (or waiting) message back in the queue,
// due now, with a fresh count of attempts.
func (s *Service) RetryOutbox(ctx context.Context, a *counsel.Actor, id int64) error {
	m, err := MessageByID(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if !authz.CanReadOutbox(a, m.RegionCode) {
		return counsel.ErrNotFound
	}
	if !authz.CanWriteOutbox(a, m.RegionCode) {
		return counsel.ErrForbidden
	}
	return s.DB.WithTx(ctx, func(tx *store.Tx) error {
		ok, err := retryOutbox(ctx, tx, id, s.Now().UnixMilli())
		if err != nil {
			return err
		}
		if !ok {
			return counsel.Errorf(counsel.CodeConflict, "err.ob_not_retryable")
		}
		tx.AfterCommit(s.WakeOutbox)
		return audit.Write(ctx, tx, a, "retry", "outbox", id, m.RegionCode, map[string]any{"status": m.Status, "attempts": m.Attempts, "last_error": m.LastError}, nil)
	})
}

// RegionName returns a region's name ("" when unknown), for pages that show
// an outbox message's or a channel's jurisdiction.
func (s *Service) RegionName(ctx context.Context, code string) string {
	if r, err := regionOf(ctx, s.DB, code); err == nil {
		return r.Name
	}
	return ""
}
