package service_test

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

// The accounts of the major-matter reports' tests (now in internal/major),
// which the consultation tests use too.

// mjAccounts are the accounts that receive major-report notifications.
type mjAccounts struct {
	judicial, county, city, jh, advisor *counsel.Actor
}

// mjUsers creates accounts for the world's judicial office, bureaus and
// advisor za1 (straight in the store: the password hash does not matter) and
// returns actors carrying their ids.
func (w *svcWorld) mjUsers() mjAccounts {
	w.t.Helper()
	mk := func(base *counsel.Actor, u counsel.User) *counsel.Actor {
		u.DisplayName, u.Lang = u.Username, "zh"
		if err := w.db.WithTx(w.ctx, func(tx *store.Tx) error { return tx.CreateUser(w.ctx, &u, "x") }); err != nil {
			w.t.Fatalf("user %s: %v", u.Username, err)
		}
		a := *base
		a.UserID, a.Username = u.ID, u.Username
		return &a
	}
	return mjAccounts{
		judicial: mk(w.judicial, counsel.User{Username: "mj-judicial", Role: counsel.RoleJudicial, RegionCode: swShanhe}),
		county:   mk(w.znBureau, counsel.User{Username: "mj-county", Role: counsel.RoleBureau, RegionCode: swZN}),
		city:     mk(w.city, counsel.User{Username: "mj-city", Role: counsel.RoleBureau, RegionCode: swZNCity}),
		jh:       mk(w.jhBureau, counsel.User{Username: "mj-jh", Role: counsel.RoleBureau, RegionCode: swJH}),
		advisor:  mk(w.advisor, counsel.User{Username: "mj-advisor", Role: counsel.RoleAdvisor, AdvisorID: w.za1.ID}),
	}
}

// mjNotes returns an account's notifications of a kind.
func (w *svcWorld) mjNotes(a *counsel.Actor, kind string) []store.Notification {
	w.t.Helper()
	ns, err := w.db.Notifications(w.ctx, a.UserID, 100)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []store.Notification
	for _, n := range ns {
		if n.Kind == kind {
			out = append(out, n)
		}
	}
	return out
}
