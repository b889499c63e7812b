package public

import (
	"context"
	"strconv"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/notify"
	"github.com/villagecounsel/counsel/store"
)

// RemindExpiredGroupQR reminds, in the app, the advisor of every village
// under a live agreement whose service WeChat group has no QR image in
// force at now (no group registered, no image, or one older than seven
// days), once per missing or expired image. It returns the number of
// reminders added; running it again adds none.
func (s *Service) RemindExpiredGroupQR(ctx context.Context, now time.Time) (int, error) {
	due, err := groupQRsDue(ctx, s.DB, now.Add(-GroupQRLife).UnixMilli())
	if err != nil {
		return 0, err
	}
	added := 0
	err = s.DB.WithTx(ctx, func(tx *store.Tx) error {
		for _, d := range due {
			ids, err := notify.Recipients(ctx, tx, counsel.RoleAdvisor, "", d.AdvisorID)
			if err != nil {
				return err
			}
			key, kind := "pub.remind_qr_expired", "group_qr_expired"
			switch {
			case !d.HasGroup:
				key, kind = "pub.remind_no_group", "group_missing"
			case d.QRUploadedAt == 0:
				key, kind = "pub.remind_qr_missing", "group_qr_missing"
			}
			link := "/boards/" + d.VillageCode
			for _, uid := range ids {
				ok, err := notify.Notify(ctx, tx, &notify.Notification{UserID: uid, Kind: kind, Title: i18n.T("zh", key, d.VillageName),
					Link: link, DedupKey: kind + "|" + d.VillageCode + "|" + strconv.FormatInt(d.QRUploadedAt, 10), CreatedAt: now.UnixMilli()})
				if err != nil {
					return err
				}
				if ok {
					added++
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return added, nil
}
