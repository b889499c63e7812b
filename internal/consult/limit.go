package consult

import (
	"sync"
	"time"
)

// Abuse limits of the online consultation (R33): a resident has no account,
// so the form is limited per client address (in memory) and per phone
// number (counted in the database, so the limit survives a restart).
const (
	ConsultPerIP        = 5              // consultations per address …
	ConsultIPWindow     = time.Hour      // … per this window
	ConsultPerPhone     = 3              // consultations per phone number …
	ConsultPhoneWindow  = 24 * time.Hour // … per this window
	consultLimiterSweep = 4096           // keys kept before old ones are swept

	// Status lookups (ticket + last four digits of the phone): 10,000
	// possible last fours, so a ticket takes at most ConsultLookupPerTicket
	// tries an hour from anywhere, and a source at most ConsultLookupPerIP
	// lookups of any tickets.
	ConsultLookupPerTicket = 10
	ConsultLookupPerIP     = 30
	ConsultLookupWindow    = time.Hour
)

// windowLimiter allows at most n events per key within a sliding window.
type windowLimiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	seen   map[string][]time.Time
}

func newWindowLimiter(n int, window time.Duration) *windowLimiter {
	return &windowLimiter{n: n, window: window, seen: map[string][]time.Time{}}
}

// allow records an event of key at now and reports whether it is within
// the limit; a refused event is not recorded.
func (l *windowLimiter) allow(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cut := now.Add(-l.window)
	if len(l.seen) > consultLimiterSweep {
		for k, ts := range l.seen {
			if len(ts) == 0 || !ts[len(ts)-1].After(cut) {
				delete(l.seen, k)
			}
		}
	}
	ts := l.seen[key]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) >= l.n {
		l.seen[key] = ts
		return false
	}
	l.seen[key] = append(ts, now)
	return true
}
