package notify

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/store"
)

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
		if r, err := regionOf(ctx, s.DB, town); err == nil {
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
