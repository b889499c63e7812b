package consult_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
)

// A village without an advisor is told so before anything is typed, with
// its judicial office's supervision phone, and is not promised an answer in
// two working days; a covered village gets the form and the promise.
func TestConsultFormForVillageWithoutAdvisor(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	// Uncovered means without a filed agreement; the board (and the form)
	// count a signed one too, so look for a board without an advisor.
	cands, err := app.Svc.Uncovered(ctx, counsel.System, "621025000000")
	if err != nil {
		t.Fatal(err)
	}
	var none []counsel.Region
	for _, v := range cands {
		if b, err := app.Feats.Public.Svc.PublicBoard(ctx, v.Code); err == nil && b.Advisor == nil {
			none = append(none, v)
		}
	}
	if len(none) == 0 {
		t.Fatal("fixture: every village of 正宁县 has an advisor on its board")
	}
	anon := app.Anonymous()
	st, body := anon.Page(t, "/consult?v="+none[0].Code)
	if st != http.StatusOK {
		t.Fatalf("ask page: %d", st)
	}
	for _, want := range []string{"没有签约的法律顾问", "监督电话", "tel:0934-52"} {
		if !strings.Contains(body, want) {
			t.Errorf("page for %s lacks %q", none[0].Name, want)
		}
	}
	if strings.Contains(body, `name="question"`) || strings.Contains(body, "个工作日内答复") {
		t.Errorf("page for a village without an advisor still offers the form or promises an answer")
	}
	st, body = anon.Page(t, "/consult?v="+mjVillage)
	if st != http.StatusOK || !strings.Contains(body, `name="question"`) || !strings.Contains(body, "个工作日内答复") || strings.Contains(body, "没有签约的法律顾问") {
		t.Errorf("covered village's page: %d", st)
	}
}
