package ledger_test

import (
	"context"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/ledger"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// TestSealReviewsMigration: reviews made before migration 9 have no seals;
// its Go step seals them per village in order of review time — the same
// seals the reviews would have got when made — and verification passes.
func TestSealReviewsMigration(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		villages := []string{"320100001001", "320100001002"}
		var es []*counsel.Entry
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			rs := []counsel.Region{{Code: "320000000000", Name: "江苏省", Level: counsel.LevelProvince},
				{Code: "320100000000", Name: "南京市", Level: counsel.LevelCity, ParentCode: "320000000000"},
				{Code: "320100001000", Name: "某镇", Level: counsel.LevelTown, ParentCode: "320100000000"}}
			for _, v := range villages {
				rs = append(rs, counsel.Region{Code: v, Name: "村" + v[10:], Level: counsel.LevelVillage, ParentCode: "320100001000"})
			}
			if err := registry.UpsertRegions(ctx, tx, rs); err != nil {
				return err
			}
			p := &counsel.Provider{Kind: counsel.ProviderLawFirm, Name: "某律师事务所", CountyCode: "320100000000"}
			if err := registry.CreateProvider(ctx, tx, p); err != nil {
				return err
			}
			a := &counsel.Advisor{ProviderID: p.ID, Kind: counsel.AdvisorLawyer, Name: "张律师", Phone: "13900000000", Active: true}
			if err := registry.CreateAdvisor(ctx, tx, a); err != nil {
				return err
			}
			for i := 0; i < 6; i++ {
				e := &counsel.Entry{VillageCode: villages[i%2], AdvisorID: a.ID, ProviderID: p.ID, AgreementID: 1, Kind: "consultation",
					Mode: "phone", Date: "2026-06-01", Minutes: 30, Content: "咨询", CreatedBy: 1, CreatedAt: int64(i)}
				if err := ledger.AppendEntry(ctx, tx, e, nil); err != nil {
					return err
				}
				es = append(es, e)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// Reviewed out of recording order; entry 3 stays pending.
		want := map[int64]string{}
		for i, k := range []int{4, 0, 5, 2, 1} {
			status := counsel.EntryConfirmed
			if k == 5 {
				status = counsel.EntryDisputed
			}
			err := db.WithTx(ctx, func(tx *store.Tx) error {
				ok, err := ledger.ReviewEntry(ctx, tx, es[k].ID, status, "", 7, int64(1000+i))
				if err == nil && !ok {
					t.Errorf("entry %d: not pending", k)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			e, err := ledger.Entry(ctx, db, es[k].ID)
			if err != nil {
				t.Fatal(err)
			}
			want[e.ID] = e.ReviewHash
		}
		res, err := ledger.VerifyChains(ctx, db, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 0 || res.Reviews != 5 {
			t.Fatalf("sealed live: %d reviews, problems %+v; want 5, none", res.Reviews, res.Problems)
		}
		// As before migration 9: no seals anywhere.
		if err := db.ExecRaw(ctx, `UPDATE entries SET review_seq = 0, review_hash = ''`); err != nil {
			t.Fatal(err)
		}
		if err := db.ExecRaw(ctx, `UPDATE chain_heads SET review_seq = 0, review_hash = ''`); err != nil {
			t.Fatal(err)
		}
		if res, err := ledger.VerifyChains(ctx, db, ""); err != nil || len(res.Problems) != 2 || res.Problems[0].Kind != "review_edited" {
			t.Fatalf("unsealed reviews: %+v, %v; want review_edited in both villages", res, err)
		}
		if err := db.WithTx(ctx, func(tx *store.Tx) error { return store.SealReviews(ctx, tx) }); err != nil {
			t.Fatal(err)
		}
		for id, h := range want {
			e, err := ledger.Entry(ctx, db, id)
			if err != nil {
				t.Fatal(err)
			}
			if e.ReviewHash != h {
				t.Errorf("entry %d: migrated seal %s, live seal %s", id, e.ReviewHash, h)
			}
		}
		res, err = ledger.VerifyChains(ctx, db, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Problems) != 0 || res.Reviews != 5 || res.Entries != 6 {
			t.Fatalf("after sealing: %d entries, %d reviews, problems %+v; want 6, 5, none", res.Entries, res.Reviews, res.Problems)
		}
	})
}
