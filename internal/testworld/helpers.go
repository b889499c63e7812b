package testworld

import (
	"errors"
	"regexp"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/account"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/store"
)

// Code is the code of err, "" for nil.
func Code(err error) counsel.Code {
	if err == nil {
		return ""
	}
	return counsel.ErrorCode(err)
}

// WantCode fails unless err has code want.
func WantCode(t testing.TB, what string, err error, want counsel.Code) {
	t.Helper()
	if got := Code(err); got != want {
		t.Errorf("%s: got code %q (%v), want %q", what, got, err, want)
	}
}

// Field returns the field error of err on field, nil if none.
func Field(err error, field string) *counsel.FieldError {
	var e *counsel.Error
	if !errors.As(err, &e) {
		return nil
	}
	for i := range e.Fields {
		if e.Fields[i].Field == field {
			return &e.Fields[i]
		}
	}
	return nil
}

// WantField fails unless err is CodeInvalid with key on field.
func WantField(t testing.TB, what string, err error, field, key string) {
	t.Helper()
	if Code(err) != counsel.CodeInvalid {
		t.Errorf("%s: got %v, want an invalid-input error", what, err)
		return
	}
	f := Field(err, field)
	if f == nil {
		t.Errorf("%s: got %v, want a field error on %s", what, err, field)
		return
	}
	if f.Key != key {
		t.Errorf("%s: field %s got key %q, want %q", what, field, f.Key, key)
	}
}

// WantOutOfScope fails unless err refuses a change naming a region or
// record outside the actor's scope, pointing at field.
func WantOutOfScope(t testing.TB, what string, err error, field string) {
	t.Helper()
	if c := Code(err); c != counsel.CodeForbidden && c != counsel.CodeInvalid {
		t.Errorf("%s: got %v, want a refusal (forbidden)", what, err)
		return
	}
	if f := Field(err, field); f == nil || f.Key != "err.out_of_scope" {
		t.Errorf("%s: got %v, want err.out_of_scope on %s", what, err, field)
	}
}

// IDs collects ids of list items.
func IDs[T any](items []T, id func(T) int64) map[int64]bool {
	out := map[int64]bool{}
	for _, it := range items {
		out[id(it)] = true
	}
	return out
}

// All is a filter of everything (up to 500 rows).
var All = counsel.Filter{Page: counsel.Page{Limit: 500}}

// Mobile matches a whole mainland mobile number not part of a longer number.
var Mobile = regexp.MustCompile(`(^|[^0-9])1[3-9][0-9]{9}([^0-9]|$)`)

// Password is the password of the accounts User creates.
const Password = "right-password-1"

// WeComURL is a WeCom group robot's address.
const WeComURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

// User creates an account with Password through the layered service.
func (w *World) User(u counsel.User) *counsel.User {
	w.T.Helper()
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	if err := account.NewService(w.Svc).CreateUser(w.Ctx, counsel.System, &u, Password); err != nil {
		w.T.Fatalf("create user %s: %v", u.Username, err)
	}
	return &u
}

// Account creates an account straight in the store (the password hash does
// not matter) and returns a copy of base carrying its id and name.
func (w *World) Account(base *counsel.Actor, u counsel.User) *counsel.Actor {
	w.T.Helper()
	u.DisplayName, u.Lang = u.Username, "zh"
	if err := w.DB.WithTx(w.Ctx, func(tx *store.Tx) error { return account.InsertUser(w.Ctx, tx, &u, "x") }); err != nil {
		w.T.Fatalf("user %s: %v", u.Username, err)
	}
	a := *base
	a.UserID, a.Username = u.ID, u.Username
	return &a
}

// Audit returns every audit entry the admin sees, newest first.
func (w *World) Audit() []counsel.AuditEntry {
	w.T.Helper()
	var out []counsel.AuditEntry
	f := counsel.Filter{Page: counsel.Page{Limit: 500}}
	for {
		l, err := account.NewService(w.Svc).Audit(w.Ctx, w.Admin, f)
		if err != nil {
			w.T.Fatalf("audit: %v", err)
		}
		out = append(out, l.Items...)
		if l.Next == "" {
			return out
		}
		f.After = l.Next
	}
}

// OnsiteEntry is an on-site duty entry at 东关村.
func OnsiteEntry(date string, minutes int) *counsel.Entry {
	return &counsel.Entry{VillageCode: Dongguan, Kind: policy.KindOnsiteDuty, Mode: policy.ModeOnsite, Date: date,
		StartTime: "09:00", Minutes: minutes, Place: "村委会", Served: "村民", Content: "驻点值班，解答群众咨询"}
}

// Record records a ledger entry through the world's ledger.
func (w *World) Record(a *counsel.Actor, e *counsel.Entry) *counsel.Entry {
	w.T.Helper()
	got, err := w.Lg.RecordEntry(w.Ctx, a, e)
	if err != nil {
		w.T.Fatalf("record %+v: %v", e, err)
	}
	return got
}

// Channel saves a notification channel.
func (w *World) Channel(a *counsel.Actor, in notify.ChannelInput) *notify.ChannelView {
	w.T.Helper()
	v, err := w.Svc.Notify.SaveChannel(w.Ctx, a, &in)
	if err != nil {
		w.T.Fatalf("save channel %s: %v", in.Name, err)
	}
	return v
}

// Inbox returns the titles of an account's in-app notifications.
func (w *World) Inbox(username string) []string {
	w.T.Helper()
	cr, err := account.CredentialsOf(w.Ctx, w.DB, username)
	if err != nil {
		w.T.Fatal(err)
	}
	ns, err := notify.NotificationsOf(w.Ctx, w.DB, cr.User.ID, 100)
	if err != nil {
		w.T.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}

// Notes returns an account's notifications of a kind.
func (w *World) Notes(a *counsel.Actor, kind string) []notify.Notification {
	w.T.Helper()
	ns, err := notify.NotificationsOf(w.Ctx, w.DB, a.UserID, 100)
	if err != nil {
		w.T.Fatal(err)
	}
	var out []notify.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}
