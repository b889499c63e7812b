// Package notify is the notifications core: in-app notifications, the
// outbox of robot messages (WeCom and DingTalk webhooks) and the channels of
// a jurisdiction. Capabilities notify inside their own transactions through
// the functions over *store.Tx and store.Q (Notify, Recipients, UsersAt,
// EnqueueOutbox) and (*Service).EnqueueEvent; the Service also runs the
// delivery worker (RunOutbox). It imports no layered service: the service
// and the features import it.
package notify

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/store"
)

//go:embed messages.json
var messages []byte

func init() { i18n.Register("internal/notify/messages.json", messages) }

// defaultInAppRoles are notified when no jurisdiction above an event
// configures an in-app channel.
var defaultInAppRoles = []string{counsel.RoleBureau, counsel.RoleJudicial}

// shanghai is the zone dates are shown and compared in.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// Service holds the notification rules, the outbox options and the
// worker's wake-up channel.
type Service struct {
	DB  *store.DB
	Log *slog.Logger
	// Now is the clock (the layered service passes its own, which tests
	// replace).
	Now func() time.Time

	outbox outboxState
}

// New builds the notification service; now nil means time.Now.
func New(db *store.DB, log *slog.Logger, now func() time.Time) *Service {
	if log == nil {
		log = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	return &Service{DB: db, Log: log, Now: now}
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
		Hosts:       DefaultWebhookHosts,
	}
}

// webhookClient returns the guarded client of the options in force (made
// once per configuration, so connections to a robot are reused).
func (s *Service) webhookClient(o OutboxOptions) *http.Client {
	s.outbox.mu.Lock()
	defer s.outbox.mu.Unlock()
	if s.outbox.client == nil {
		s.outbox.client = webhookClient(o.Timeout, o.AllowAddr)
	}
	return s.outbox.client
}

// outboxState is the Service's outbox configuration and wake-up channel.
type outboxState struct {
	mu     sync.Mutex
	opts   *OutboxOptions
	client *http.Client
	wake   chan struct{}
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
	if len(o.Hosts) == 0 {
		o.Hosts = d.Hosts
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	s.outbox.mu.Lock()
	s.outbox.opts = &o
	s.outbox.client = nil
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
func effectiveChannels(ctx context.Context, q store.Q, region string) ([]OutboxChannel, string, error) {
	chain := jurisdictionChain(region)
	all, err := ChannelsAt(ctx, q, chain...)
	if err != nil {
		return nil, "", err
	}
	for _, code := range chain {
		var here []OutboxChannel
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
func takes(c OutboxChannel, kind string) bool {
	if !c.Enabled {
		return false
	}
	ev := SplitList(c.Events)
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
	var inapp []OutboxChannel
	hasInApp := false
	added := 0
	for _, c := range chans {
		if c.Kind == ChannelInApp {
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
		inapp = []OutboxChannel{{Kind: ChannelInApp, RegionCode: owner, Roles: strings.Join(defaultInAppRoles, " "), Enabled: true}}
	}
	if err := s.notifyInApp(ctx, tx, inapp, region, ev, now); err != nil {
		return 0, err
	}
	return added, nil
}

// enqueueRobot adds one message for a robot channel and wakes the worker
// after commit.
func (s *Service) enqueueRobot(ctx context.Context, tx *store.Tx, c OutboxChannel, region string, ev OutboxEvent, now int64) (bool, error) {
	key := ev.Key
	if key == "" {
		key = "u:" + uniqueKey()
	}
	m := &OutboxMessage{ChannelID: c.ID, ChannelKind: c.Kind, RegionCode: region, Event: ev.Kind, Title: ev.Title, Body: ev.Text,
		Link: ev.Link, DedupKey: ev.Kind + "|" + key, NextAt: now, CreatedAt: now}
	ok, err := EnqueueOutbox(ctx, tx, m)
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
func (s *Service) notifyInApp(ctx context.Context, tx *store.Tx, chans []OutboxChannel, region string, ev OutboxEvent, now int64) error {
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
		for _, role := range SplitList(c.Roles) {
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
				err = add(UsersAt(ctx, tx, role, codes...))
			case counsel.RoleJudicial:
				if counsel.LevelOf(region) >= counsel.LevelTown {
					err = add(UsersAt(ctx, tx, role, counsel.AncestorAt(region, counsel.LevelTown)))
				}
			case counsel.RoleVillage:
				if counsel.LevelOf(region) == counsel.LevelVillage {
					err = add(UsersAt(ctx, tx, role, region))
				}
			case counsel.RoleAdvisor:
				if ev.AdvisorID > 0 {
					err = add(Recipients(ctx, tx, role, "", ev.AdvisorID))
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
		if _, err := Notify(ctx, tx, &Notification{UserID: id, Kind: ev.Kind, Title: ev.Title, Body: ev.Text, Link: ev.Link, DedupKey: key, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}
