package counsel

import (
	"testing"
	"time"
)

func TestChineseDates(t *testing.T) {
	if got := DateTextCN("2026-12-04"); got != "2026年12月4日" {
		t.Errorf("DateTextCN = %q", got)
	}
	if got := DateTextCN("2027-01-31"); got != "2027年1月31日" {
		t.Errorf("DateTextCN = %q", got)
	}
	if got := DateTextCN("not a date"); got != "not a date" {
		t.Errorf("DateTextCN(garbage) = %q", got)
	}
	// 2026-12-04 16:30 UTC is 2026-12-05 00:30 in China.
	ms := time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC).UnixMilli()
	if got := DateTimeCN(ms); got != "2026年12月5日 00:30" {
		t.Errorf("DateTimeCN = %q", got)
	}
}
