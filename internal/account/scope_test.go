package account_test

import (
	"fmt"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/testworld"
)

// A county bureau cannot make an account that carries another county's
// region, provider or advisor, whatever the role (issue 12, defect 11).
func TestBureauCannotScopeAccountsOutsideItsCounty(t *testing.T) {
	swEngines(t, func(t *testing.T, w *svcWorld) {
		const pw = "Tea-Garden-Bridge-7"
		for i, c := range []struct {
			name string
			u    counsel.User
		}{
			{"provider with the other county's region", counsel.User{Role: counsel.RoleProvider, ProviderID: w.ZP1.ID, RegionCode: testworld.JH}},
			{"provider of the other county", counsel.User{Role: counsel.RoleProvider, ProviderID: w.JP1.ID}},
			{"advisor with the other county's region", counsel.User{Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID, RegionCode: testworld.Tiancheng}},
			{"advisor of the other county", counsel.User{Role: counsel.RoleAdvisor, AdvisorID: w.JA1.ID}},
			{"village of the other county", counsel.User{Role: counsel.RoleVillage, RegionCode: testworld.Tiancheng}},
			{"village carrying the other county's provider", counsel.User{Role: counsel.RoleVillage, RegionCode: testworld.Dongguan, ProviderID: w.JP1.ID}},
			{"village carrying the other county's advisor", counsel.User{Role: counsel.RoleVillage, RegionCode: testworld.Dongguan, AdvisorID: w.JA1.ID}},
		} {
			u := c.u
			u.Username, u.DisplayName = fmt.Sprintf("scope-probe-%d", i), "探测"
			testworld.WantCode(t, c.name, w.acct.CreateUser(w.Ctx, w.ZNBureau, &u, pw), counsel.CodeForbidden)
		}
		// The county's own still work.
		for _, u := range []counsel.User{
			{Username: "zn-p1", DisplayName: "所", Role: counsel.RoleProvider, ProviderID: w.ZP1.ID},
			{Username: "zn-p2", DisplayName: "所", Role: counsel.RoleProvider, ProviderID: w.ZP1.ID, RegionCode: testworld.ZN},
			{Username: "zn-a1", DisplayName: "顾问", Role: counsel.RoleAdvisor, AdvisorID: w.ZA1.ID},
			{Username: "zn-v1", DisplayName: "村", Role: counsel.RoleVillage, RegionCode: testworld.Dongguan},
		} {
			if err := w.acct.CreateUser(w.Ctx, w.ZNBureau, &u, pw); err != nil {
				t.Errorf("%s: %v", u.Username, err)
			}
		}
	})
}
