package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/policy"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// loadLedger sets each county's duty rules (正宁县: its own notice, seed 001;
// 镜湖区: the pairing plan, seed 002) and records about two services a month
// per covered village from January to yesterday, most confirmed by the
// village; some villages fall short so the duty pages have something to show.
func loadLedger(ctx context.Context, svc *registry.Service, rng *rand.Rand) error {
	a := counsel.System
	lg := ledger.NewService(svc)
	presets := []policy.Policy{policy.Zhengning(), policy.PairingPlan()}
	for i, c := range Counties {
		if err := lg.SavePolicy(ctx, a, c.Code, presets[i]); err != nil {
			return fmt.Errorf("policy %s: %w", c.Name, err)
		}
	}
	var gs []counsel.Agreement
	for {
		page, _, err := registry.Agreements(ctx, svc.DB, counsel.Filter{Status: "live", Page: counsel.Page{Limit: 100, Offset: len(gs)}})
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		gs = append(gs, page...)
	}
	today := svc.Today()
	end, err := time.Parse(counsel.DateLayout, today)
	if err != nil {
		return err
	}
	var plans []*counsel.Entry
	contents := map[string]string{
		policy.KindOnsiteDuty:     "在村法律服务室坐班，接待群众咨询",
		policy.KindDoorVisit:      "入户走访困难群众，了解法律需求",
		policy.KindConsultation:   "解答土地承包经营权流转问题",
		policy.KindLecture:        "开展民法典专题讲座",
		policy.KindAffairsReview:  "审查村规民约修订稿",
		policy.KindMediation:      "参与调解邻里宅基地纠纷",
		policy.KindPublicity:      "参加“宪法宣传周”普法宣传活动",
		policy.KindContractReview: "审查村集体土地租赁合同",
	}
	kinds := []string{policy.KindOnsiteDuty, policy.KindOnsiteDuty, policy.KindDoorVisit, policy.KindConsultation,
		policy.KindAffairsReview, policy.KindMediation, policy.KindContractReview}
	for vi, g := range gs {
		if g.Packaged || g.Status == counsel.AgreementDraft {
			continue
		}
		weak := vi%6 == 5 // falls short of the rules
		for m := time.January; m <= end.Month(); m++ {
			n := 2
			if weak {
				n = 1
			}
			for j := 0; j < n; j++ {
				day := time.Date(end.Year(), m, 3+rng.IntN(24), 0, 0, 0, 0, time.UTC)
				if !day.Before(end) {
					continue
				}
				kind := kinds[rng.IntN(len(kinds))]
				if j == 0 {
					kind = policy.KindOnsiteDuty
				}
				if (m == time.March || m == time.September) && j == 1 && !weak {
					kind = policy.KindLecture
				}
				mode := policy.ModeOnsite
				if kind == policy.KindConsultation && rng.IntN(2) == 0 {
					mode = policy.ModePhone
				}
				minutes := 120 + 30*rng.IntN(5)
				if kind == policy.KindOnsiteDuty {
					minutes = 240 + 30*rng.IntN(3)
				}
				if weak {
					minutes = 90
				}
				plans = append(plans, &counsel.Entry{VillageCode: g.RegionCode, AdvisorID: g.AdvisorID, Kind: kind, Mode: mode,
					Date: day.Format(counsel.DateLayout), StartTime: fmt.Sprintf("%02d:00", 8+rng.IntN(6)), Minutes: minutes,
					Place: "村委会", Served: "村民", Attendees: 1 + rng.IntN(30), Content: contents[kind], Result: "已解答并登记"})
			}
		}
	}
	// Yesterday's door visits still await the villages' confirmation.
	if y := end.AddDate(0, 0, -1); y.Year() == end.Year() {
		for _, g := range gs {
			if g.Packaged || g.Status == counsel.AgreementDraft {
				continue
			}
			plans = append(plans, &counsel.Entry{VillageCode: g.RegionCode, AdvisorID: g.AdvisorID, Kind: policy.KindDoorVisit, Mode: policy.ModeOnsite,
				Date: y.Format(counsel.DateLayout), StartTime: "15:00", Minutes: 60, Place: "村民家中", Served: "独居老人", Attendees: 1,
				Content: contents[policy.KindDoorVisit], Result: "已登记需求"})
		}
	}
	// Record concurrently: the group commit takes many entries per commit.
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	next := make(chan *counsel.Entry)
	for w := 0; w < 16; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range next {
				if _, err := lg.RecordEntry(ctx, a, e); err != nil {
					select {
					case errs <- fmt.Errorf("entry %s %s: %w", e.VillageCode, e.Date, err):
					default:
					}
				}
			}
		}()
	}
	for _, e := range plans {
		next <- e
	}
	close(next)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	// The villages confirm what was done more than a week ago.
	weekAgo := end.AddDate(0, 0, -7).Format(counsel.DateLayout)
	if err := svc.DB.WithTx(ctx, func(tx *store.Tx) error {
		return ledger.ConfirmBefore(ctx, tx, weekAgo, time.Now().UnixMilli())
	}); err != nil {
		return err
	}
	_, err = lg.EnsurePeriods(ctx, today)
	return err
}
