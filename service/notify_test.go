package service_test

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/notify"
)

// The notification core's own tests are in internal/notify; these helpers
// let the service's tests give a county a robot channel and read inboxes.

// obWeComURL is a WeCom robot's webhook URL.
const obWeComURL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"

func (w *svcWorld) obChannel(a *counsel.Actor, in notify.ChannelInput) *notify.ChannelView {
	w.t.Helper()
	v, err := w.svc.Notify.SaveChannel(w.ctx, a, &in)
	if err != nil {
		w.t.Fatalf("save channel %s: %v", in.Name, err)
	}
	return v
}

// obInbox returns the titles of an account's notifications.
func (w *svcWorld) obInbox(username string) []string {
	w.t.Helper()
	cr, err := w.db.CredentialsOf(w.ctx, username)
	if err != nil {
		w.t.Fatal(err)
	}
	ns, err := notify.NotificationsOf(w.ctx, w.db, cr.User.ID, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []string
	for _, n := range ns {
		out = append(out, n.Title)
	}
	return out
}
