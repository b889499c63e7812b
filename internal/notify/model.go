package notify

import (
	"net/netip"
	"time"

	"github.com/villagecounsel/counsel"
)

// Notification is an in-app message to one account (R23).
type Notification struct {
	ID        int64  `json:"id"`
	UserID    int64  `json:"user_id"`
	Kind      string `json:"kind"`  // due_soon, overdue, awaiting_confirmation, major_report, …
	Title     string `json:"title"` // zh text as shown
	Body      string `json:"body"`
	Link      string `json:"link"`
	DedupKey  string `json:"-"`
	CreatedAt int64  `json:"created_at"`
	ReadAt    int64  `json:"read_at"`
}

// Channel kinds.
const (
	ChannelInApp    = "inapp"
	ChannelWeCom    = "wecom"
	ChannelDingTalk = "dingtalk"
)

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxDead    = "dead"
)

// OutboxChannel is a notification channel of a jurisdiction. URL and Secret
// are secrets: they never leave the service whole (see ChannelView).
type OutboxChannel struct {
	ID         int64  `json:"id"`
	RegionCode string `json:"region_code"`
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	URL        string `json:"-"`
	Secret     string `json:"-"`
	Events     string `json:"events"` // comma-separated event kinds, "" = all
	Roles      string `json:"roles"`  // in-app: space-separated roles notified
	Enabled    bool   `json:"enabled"`
	CreatedAt  int64  `json:"created_at"`
	UpdatedAt  int64  `json:"updated_at"`
}

// OutboxMessage is one message for one robot channel.
type OutboxMessage struct {
	ID          int64  `json:"id"`
	ChannelID   int64  `json:"channel_id"`
	ChannelKind string `json:"channel_kind"`
	RegionCode  string `json:"region_code"`
	Event       string `json:"event"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	Link        string `json:"link"`
	DedupKey    string `json:"-"`
	Status      string `json:"status"`
	Attempts    int    `json:"attempts"`
	NextAt      int64  `json:"next_at"`
	LockedUntil int64  `json:"-"`
	LastError   string `json:"last_error"`
	CreatedAt   int64  `json:"created_at"`
	SentAt      int64  `json:"sent_at"`
	DeadAt      int64  `json:"dead_at"`
	UpdatedAt   int64  `json:"updated_at"`
}

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
var ChannelKinds = []string{ChannelInApp, ChannelWeCom, ChannelDingTalk}

// InAppRoles are the roles an in-app channel can notify: the county bureau
// (and the bureau of the jurisdiction that owns the channel), the judicial
// office of the town, the event's advisor, the village committee.
var InAppRoles = []string{counsel.RoleBureau, counsel.RoleJudicial, counsel.RoleAdvisor, counsel.RoleVillage}

// OutboxStatuses are the statuses of an outbox message.
var OutboxStatuses = []string{OutboxPending, OutboxSending, OutboxSent, OutboxDead}

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
	// Hosts are the host names a webhook may post to (default
	// DefaultWebhookHosts; an administrator adds more with -webhook-hosts).
	Hosts []string
	// AllowAddr, for tests only, admits addresses the dial guard refuses
	// (loopback for a local receiver). nil in production: only public
	// addresses are reached.
	AllowAddr func(netip.Addr) bool
	// Override, for tests only, sends every robot request to this
	// scheme://host[:port] instead of the host of the channel's URL (path and
	// query kept), so a local receiver stands in for WeCom and DingTalk.
	Override string
}

// ChannelView is a channel as pages and the API show it: the webhook URL and
// the secret masked.
type ChannelView struct {
	ID         int64    `json:"id"`
	RegionCode string   `json:"region_code"`
	Kind       string   `json:"kind"`
	Name       string   `json:"name"`
	URL        string   `json:"url,omitempty"`    // masked: host and last 4
	Secret     string   `json:"secret,omitempty"` // masked: last 4
	Events     []string `json:"events"`           // empty = every event
	Roles      []string `json:"roles,omitempty"`  // in-app only
	Enabled    bool     `json:"enabled"`
	CreatedAt  int64    `json:"created_at"`
	UpdatedAt  int64    `json:"updated_at"`
}

// ChannelInput creates or changes a channel. On a change an empty URL or
// Secret keeps the stored one (pages never show them whole); ClearSecret
// removes the secret.
type ChannelInput struct {
	ID          int64    `json:"-"`
	RegionCode  string   `json:"region_code"`
	Kind        string   `json:"kind"`
	Name        string   `json:"name"`
	URL         string   `json:"url"`
	Secret      string   `json:"secret"`
	ClearSecret bool     `json:"clear_secret"`
	Events      []string `json:"events"`
	Roles       []string `json:"roles"`
	Enabled     bool     `json:"enabled"`
}

// ChannelSet is what the channel page of a jurisdiction shows: its own
// channels and, when it has none, the ones it inherits.
type ChannelSet struct {
	Region        *counsel.Region `json:"region"`
	Own           []ChannelView   `json:"own"`
	Inherited     []ChannelView   `json:"inherited"`
	InheritedFrom string          `json:"inherited_from,omitempty"`
	CanEdit       bool            `json:"can_edit"`
}

// OutboxView is an outbox message with its channel, as the outbox page shows it.
type OutboxView struct {
	OutboxMessage
	ChannelName string `json:"channel_name"`
	ChannelURL  string `json:"channel_url,omitempty"` // masked
	CanRetry    bool   `json:"can_retry"`
}

// OutboxQuery narrows the outbox list.
type OutboxQuery struct {
	Region    string // a subtree within the actor's scope ("" = all of it)
	Status    string // pending, sending, sent, dead; "" = all
	ChannelID int64
	counsel.Page
}

// OutboxPage is one page of outbox messages with the total (the JSON of the
// layered service's List).
type OutboxPage struct {
	Items  []OutboxView `json:"items"`
	Total  int          `json:"total"`
	Limit  int          `json:"limit"`
	Offset int          `json:"offset"`
}

// DigestLine is one overdue duty in a weekly digest.
type DigestLine struct {
	Village string // the village's name
	Advisor string // the advisor's name
	Text    string // what is overdue, in words ("本月驻村值班 2/4 次")
}
