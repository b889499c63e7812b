package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// Event kinds of the outbox. Producers may use others; a channel whose event
// list is empty takes every kind.
const (
	EventMajorEscalation     = "major_escalation"     // a major-matter report escalated (R18)
	EventConsultationOverdue = "consultation_overdue" // an online consultation unanswered in time (R33)
	EventWeeklyDigest        = "weekly_digest"        // overdue duties of a town, weekly (R23)
	EventGroupQR             = "group_qr"             // a service group's QR code expired or is missing (R34)
	EventTest                = "test"                 // a test message from the channel page
)

// EventKinds are the kinds a channel can be limited to.
var EventKinds = []string{EventMajorEscalation, EventConsultationOverdue, EventWeeklyDigest, EventGroupQR}

// ChannelKinds are the kinds of channel.
var ChannelKinds = []string{store.ChannelInApp, store.ChannelWeCom, store.ChannelDingTalk}

// InAppRoles are the roles an in-app channel can notify: the county bureau
// (and the bureau of the jurisdiction that owns the channel), the judicial
// office of the town, the event's advisor, the village committee.
var InAppRoles = []string{counsel.RoleBureau, counsel.RoleJudicial, counsel.RoleAdvisor, counsel.RoleVillage}

// defaultInAppRoles are notified when no jurisdiction above an event
// configures an in-app channel.
var defaultInAppRoles = []string{counsel.RoleBureau, counsel.RoleJudicial}

// OutboxEvent is something that happened and must be told to the channels
// of its region.
type OutboxEvent struct {
	Kind  string // one of the Event* kinds
	Title string // one line, as shown (zh)
	Text  string // the message; lines separated by \n
	Link  string // a path in the application ("/major/12"), made absolute for robots
	// Key makes the event idempotent: a second event with the same kind and
	// key adds no message to a channel that has one. "" = always a new message.
	Key string
	// AdvisorID is the advisor the event is about (in-app channels with the
	// advisor role notify that advisor's accounts).
	AdvisorID int64
}

// OutboxOptions tune the delivery of the outbox.
type OutboxOptions struct {
	BaseURL     string          // absolute base of links in robot messages ("" = no link)
	Tag         string          // put before every robot message (a DingTalk robot's keyword can match it)
	MaxAttempts int             // attempts before a message is dead-lettered (default 6)
	Backoff     []time.Duration // wait after the n-th failed attempt; the last repeats
	Poll        time.Duration   // how often RunOutbox looks for due messages without a wake-up
	Batch       int             // messages per delivery round
	Timeout     time.Duration   // per request
	Client      *http.Client    // used by RunOutbox (default: one with Timeout)
	// Override, for tests only, sends every robot request to this
	// scheme://host[:port] instead of the host of the channel's URL (path and
	// query kept), so a local receiver stands in for WeCom and DingTalk.
	Override string
}

// DefaultOutboxOptions returns the defaults: 6 attempts after 30 s, 2 min,
// 10 min, 1 h and 6 h.
func DefaultOutboxOptions() OutboxOptions {
	return OutboxOptions{
		Tag:         "村居法律顾问",
		MaxAttempts: 6,
		Backoff:     []time.Duration{30 * time.Second, 2 * time.Minute, 10 * time.Minute, time.Hour, 6 * time.Hour, 24 * time.Hour},
		Poll:        30 * time.Second,
		Batch:       50,
		Timeout:     10 * time.Second,
	}
}

// outboxState is the Service's outbox configuration and wake-up channel.
type outboxState struct {
	mu   sync.Mutex
	opts *OutboxOptions
	wake chan struct{}
}

// ConfigureOutbox sets the outbox options; zero fields take the defaults.
func (s *Service) ConfigureOutbox(o OutboxOptions) {
	d := DefaultOutboxOptions()
	if o.Tag == "" {
		o.Tag = d.Tag
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = d.MaxAttempts
	}
	if len(o.Backoff) == 0 {
		o.Backoff = d.Backoff
	}
	if o.Poll <= 0 {
		o.Poll = d.Poll
	}
	if o.Batch <= 0 {
		o.Batch = d.Batch
	}
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	s.outbox.mu.Lock()
	s.outbox.opts = &o
	s.outbox.mu.Unlock()
}

// OutboxOptions returns the options in force.
func (s *Service) OutboxOptions() OutboxOptions {
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	if s.outbox.opts == nil {
		d := DefaultOutboxOptions()
		s.outbox.opts = &d
	}
	return *s.outbox.opts
}

func (s *Service) outboxWake() chan struct{} {
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	if s.outbox.wake == nil {
		s.outbox.wake = make(chan struct{}, 1)
	}
	return s.outbox.wake
}

// WakeOutbox tells RunOutbox that messages may be due (it never blocks).
func (s *Service) WakeOutbox() {
	select {
	case s.outboxWake() <- struct{}{}:
	default:
	}
}

// channelLevels are the levels a channel can be configured at.
func channelLevel(code string) bool {
	lv := counsel.LevelOf(code)
	return counsel.ValidCode(code) && lv >= counsel.LevelProvince && lv <= counsel.LevelCounty
}

// jurisdictionChain returns the codes a region's channels are looked up at,
// nearest first: the county (or the region itself when above a county), then
// the city and the province.
func jurisdictionChain(region string) []string {
	var out []string
	if channelLevel(region) {
		out = append(out, region)
	}
	anc := counsel.Ancestors(region)
	for i := len(anc) - 1; i >= 0; i-- {
		if channelLevel(anc[i]) {
			out = append(out, anc[i])
		}
	}
	return out
}

// effectiveChannels returns the channels in force for a region: those of the
// nearest jurisdiction (county, then city, then province) that has any, and
// that jurisdiction's code.
func effectiveChannels(ctx context.Context, q interface {
	Channels(ctx context.Context, regions ...string) ([]store.OutboxChannel, error)
}, region string) ([]store.OutboxChannel, string, error) {
	chain := jurisdictionChain(region)
	all, err := q.Channels(ctx, chain...)
	if err != nil {
		return nil, "", err
	}
	for _, code := range chain {
		var here []store.OutboxChannel
		for _, c := range all {
			if c.RegionCode == code {
				here = append(here, c)
			}
		}
		if len(here) > 0 {
			return here, code, nil
		}
	}
	return nil, "", nil
}

// takes reports whether a channel takes events of kind.
func takes(c store.OutboxChannel, kind string) bool {
	if !c.Enabled {
		return false
	}
	ev := store.SplitList(c.Events)
	return kind == EventTest || len(ev) == 0 || slices.Contains(ev, kind)
}

// EnqueueEvent writes, in tx, what an event tells the channels in force for
// region: in-app notifications (stored at once, in tx) and one outbox
// message per robot channel, delivered after tx commits (nothing is sent
// if it rolls back). It returns the number of robot messages added.
func (s *Service) EnqueueEvent(ctx context.Context, tx *store.Tx, region string, ev OutboxEvent) (int, error) {
	if !counsel.ValidCode(region) {
		return 0, counsel.Invalid(counsel.FieldError{Field: "region", Key: "err.division_code"})
	}
	ev.Kind, ev.Title = strings.TrimSpace(ev.Kind), strings.TrimSpace(ev.Title)
	if ev.Kind == "" || ev.Title == "" {
		return 0, counsel.Invalid(counsel.FieldError{Field: "title", Key: "err.required"})
	}
	chans, owner, err := effectiveChannels(ctx, tx, region)
	if err != nil {
		return 0, err
	}
	now := s.Now().UnixMilli()
	var inapp []store.OutboxChannel
	hasInApp := false
	added := 0
	for _, c := range chans {
		if c.Kind == store.ChannelInApp {
			hasInApp = true
			if takes(c, ev.Kind) {
				inapp = append(inapp, c)
			}
			continue
		}
		if !takes(c, ev.Kind) {
			continue
		}
		ok, err := s.enqueueRobot(ctx, tx, c, region, ev, now)
		if err != nil {
			return 0, err
		}
		if ok {
			added++
		}
	}
	if !hasInApp {
		inapp = []store.OutboxChannel{{Kind: store.ChannelInApp, RegionCode: owner, Roles: strings.Join(defaultInAppRoles, " "), Enabled: true}}
	}
	if err := s.notifyInApp(ctx, tx, inapp, region, ev, now); err != nil {
		return 0, err
	}
	return added, nil
}

// enqueueRobot adds one message for a robot channel and wakes the worker
// after commit.
func (s *Service) enqueueRobot(ctx context.Context, tx *store.Tx, c store.OutboxChannel, region string, ev OutboxEvent, now int64) (bool, error) {
	key := ev.Key
	if key == "" {
		key = "u:" + uniqueKey()
	}
	m := &store.OutboxMessage{ChannelID: c.ID, ChannelKind: c.Kind, RegionCode: region, Event: ev.Kind, Title: ev.Title, Body: ev.Text,
		Link: ev.Link, DedupKey: ev.Kind + "|" + key, NextAt: now, CreatedAt: now}
	ok, err := tx.EnqueueOutbox(ctx, m)
	if ok {
		tx.AfterCommit(s.WakeOutbox)
	}
	return ok, err
}

func uniqueKey() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// notifyInApp stores the in-app notifications of an event for the roles of
// the in-app channels in force.
func (s *Service) notifyInApp(ctx context.Context, tx *store.Tx, chans []store.OutboxChannel, region string, ev OutboxEvent, now int64) error {
	seen := map[int64]bool{}
	var users []int64
	add := func(ids []int64, err error) error {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				users = append(users, id)
			}
		}
		return err
	}
	county := counsel.AncestorAt(region, counsel.LevelCounty)
	for _, c := range chans {
		for _, role := range store.SplitList(c.Roles) {
			var err error
			switch role {
			case counsel.RoleBureau:
				codes := []string{}
				if county != "" && counsel.LevelOf(region) >= counsel.LevelCounty {
					codes = append(codes, county)
				} else {
					codes = append(codes, region)
				}
				if c.RegionCode != "" && !slices.Contains(codes, c.RegionCode) {
					codes = append(codes, c.RegionCode)
				}
				err = add(tx.UsersAt(ctx, role, codes...))
			case counsel.RoleJudicial:
				if counsel.LevelOf(region) >= counsel.LevelTown {
					err = add(tx.UsersAt(ctx, role, counsel.AncestorAt(region, counsel.LevelTown)))
				}
			case counsel.RoleVillage:
				if counsel.LevelOf(region) == counsel.LevelVillage {
					err = add(tx.UsersAt(ctx, role, region))
				}
			case counsel.RoleAdvisor:
				if ev.AdvisorID > 0 {
					err = add(tx.Recipients(ctx, role, "", ev.AdvisorID))
				}
			}
			if err != nil {
				return err
			}
		}
	}
	// Without a key every event is a new notification (Notify's default key,
	// kind and link, would merge unrelated events without a link).
	key := ev.Kind + "|u:" + uniqueKey()
	if ev.Key != "" {
		key = ev.Kind + "|" + ev.Key
	}
	for _, id := range users {
		if _, err := tx.Notify(ctx, &store.Notification{UserID: id, Kind: ev.Kind, Title: ev.Title, Body: ev.Text, Link: ev.Link, DedupKey: key, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// DeliverOutbox sends the messages due at now, one claimed message at a
// time: a success marks it sent; a failure schedules the next attempt after
// the backoff, or dead-letters it after the last attempt. err is a database
// error only (a failed send counts in failed).
func (s *Service) DeliverOutbox(ctx context.Context, now time.Time, client *http.Client) (sent, failed int, err error) {
	opts := s.OutboxOptions()
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout}
	}
	at := now.UnixMilli()
	due, err := s.DB.DueOutbox(ctx, at, opts.Batch)
	if err != nil {
		return 0, 0, err
	}
	lease := at + (2*opts.Timeout + 30*time.Second).Milliseconds()
	for _, m := range due {
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
		var claimed bool
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			var err error
			claimed, err = tx.ClaimOutbox(ctx, m.ID, at, lease)
			return err
		})
		if err != nil {
			return sent, failed, err
		}
		if !claimed {
			continue
		}
		// Robots take about 20 messages a minute: past that, wait a minute
		// without spending an attempt.
		if n, err := s.DB.OutboxSentSince(ctx, m.ChannelID, at-time.Minute.Milliseconds()); err == nil && n >= robotPerMinute {
			if err := s.DB.WithTx(ctx, func(tx *store.Tx) error { return tx.DeferOutbox(ctx, m.ID, at+time.Minute.Milliseconds(), at) }); err != nil {
				return sent, failed, err
			}
			continue
		}
		attempts := m.Attempts + 1
		permanent, sendErr := s.sendOne(ctx, client, &m, now, opts)
		err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
			if sendErr == nil {
				return tx.OutboxSent(ctx, m.ID, attempts, at)
			}
			dead := permanent || attempts >= opts.MaxAttempts
			next := at + backoff(opts.Backoff, attempts).Milliseconds()
			return tx.OutboxFailed(ctx, m.ID, attempts, next, dead, truncate(sendErr.Error(), 500), at)
		})
		if err != nil {
			return sent, failed, err
		}
		if sendErr == nil {
			sent++
			continue
		}
		failed++
		s.Log.Warn("outbox: delivery failed", "id", m.ID, "channel", m.ChannelID, "attempt", attempts, "err", sendErr.Error())
	}
	return sent, failed, nil
}

// sendOne loads a message's channel and sends it; permanent reports a
// failure no retry can mend (the channel was removed or disabled).
func (s *Service) sendOne(ctx context.Context, client *http.Client, m *store.OutboxMessage, now time.Time, opts OutboxOptions) (permanent bool, err error) {
	ch, err := s.DB.Channel(ctx, m.ChannelID)
	if err != nil {
		if counsel.ErrorCode(err) == counsel.CodeNotFound {
			return true, errSend("channel removed")
		}
		return false, err
	}
	if !ch.Enabled {
		return true, errSend("channel disabled")
	}
	return false, sendRobot(ctx, client, ch, m, now, opts)
}

// robotPerMinute is how many messages a WeCom or DingTalk robot accepts a minute.
const robotPerMinute = 20

// backoff returns the wait after the n-th failed attempt (n ≥ 1).
func backoff(steps []time.Duration, n int) time.Duration {
	if len(steps) == 0 {
		return time.Minute
	}
	return steps[min(n, len(steps))-1]
}

// RunOutbox delivers the outbox until ctx ends: after every commit that
// enqueued a message (WakeOutbox), when the next retry falls due, and every
// Poll interval (messages enqueued by other processes).
func (s *Service) RunOutbox(ctx context.Context) error {
	opts := s.OutboxOptions()
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: opts.Timeout}
	}
	wake := s.outboxWake()
	for {
		sent, failed, err := s.DeliverOutbox(ctx, s.Now(), client)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			s.Log.Error("outbox: delivery round", "err", err)
		}
		wait := opts.Poll
		if err == nil && sent+failed >= opts.Batch {
			wait = 0 // more may be due
		} else if next, err := s.DB.NextOutboxAt(ctx); err == nil && next > 0 {
			if d := time.Duration(next-s.Now().UnixMilli()) * time.Millisecond; d < wait {
				wait = max(d, time.Second)
			}
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// DigestLine is one overdue duty in a weekly digest.
type DigestLine struct {
	Village string // the village's name
	Advisor string // the advisor's name
	Text    string // what is overdue, in words ("本月驻村值班 2/4 次")
}

// OverdueSource returns the overdue duties on a day (YYYY-MM-DD), by town code.
type OverdueSource func(ctx context.Context, today string) (map[string][]DigestLine, error)

// WeeklyDigest sends each town with overdue duties its weekly digest (to the
// channels in force for the town, in-app to its judicial office and the
// county bureau by default). A town gets one digest per ISO week however
// often it runs. It returns the number of towns given a digest.
func (s *Service) WeeklyDigest(ctx context.Context, now time.Time, src OverdueSource) (int, error) {
	day := now.In(shanghai)
	today := day.Format(counsel.DateLayout)
	byTown, err := src(ctx, today)
	if err != nil {
		return 0, err
	}
	towns := make([]string, 0, len(byTown))
	for t, lines := range byTown {
		if len(lines) > 0 && counsel.ValidCode(t) {
			towns = append(towns, t)
		}
	}
	sort.Strings(towns)
	y, w := day.ISOWeek()
	week := strconv.Itoa(y) + "-W" + pad2(w)
	n := 0
	for _, town := range towns {
		name := town
		if r, err := s.DB.Region(ctx, town); err == nil {
			name = r.Name
		}
		lines := byTown[town]
		var b strings.Builder
		for i, l := range lines {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(strconv.Itoa(i+1) + ". ")
			if l.Village != "" {
				b.WriteString(l.Village)
				if l.Advisor != "" {
					b.WriteString(" · " + l.Advisor)
				}
				b.WriteString("：")
			}
			b.WriteString(l.Text)
		}
		ev := OutboxEvent{Kind: EventWeeklyDigest, Title: name + "本周逾期事项 " + strconv.Itoa(len(lines)) + " 项（" + today + "）",
			Text: b.String(), Link: "/regions/" + town, Key: town + "|" + week}
		err := s.DB.WithTx(ctx, func(tx *store.Tx) error {
			_, err := s.EnqueueEvent(ctx, tx, town, ev)
			return err
		})
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
