package counsel

import (
	"fmt"
	"time"
)

// Dates as Chinese offices write them: 2026年12月4日, without leading zeros.

// ChinaZone is the time zone every date is shown in (Asia/Shanghai, UTC+8
// all year; fixed so the binary needs no zoneinfo).
var ChinaZone = time.FixedZone("CST", 8*3600)

// DateCN writes a date as 2026年12月4日.
func DateCN(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// DateTextCN writes a YYYY-MM-DD date as 2026年12月4日; anything else is
// returned as it is.
func DateTextCN(s string) string {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return s
	}
	return DateCN(t)
}

// DateTimeCN writes unix milliseconds as 2026年12月4日 15:04 in China time.
func DateTimeCN(ms int64) string {
	t := time.UnixMilli(ms).In(ChinaZone)
	return DateCN(t) + t.Format(" 15:04")
}
