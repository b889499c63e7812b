package ledger_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/i18n"
)

// The verification page: a bureau runs it over its county and sees every
// volume intact; after a confirmation is flipped with raw SQL it names the
// village (by name), the entry and the problem in words; advisors may not run it.
func TestVerifyPage(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	bureau := app.Login("zn-bureau")

	st, body := bureau.Page(t, "/ledger/verify")
	if st != 200 || !strings.Contains(body, i18n.T("zh", "verify.run")) || strings.Contains(body, "verify-ok") {
		t.Fatalf("verify page before running: %d", st)
	}
	vmNoInline(t, "verify page", body)
	st, body = bureau.Page(t, "/ledger/verify?run=1")
	if st != 200 || !strings.Contains(body, `id="verify-ok"`) || strings.Contains(body, "verify-problem") {
		t.Fatalf("clean demo ledger: %d\n%s", st, body)
	}
	if !strings.Contains(body, "次确认") {
		t.Errorf("summary does not count the reviews")
	}

	// A confirmed entry of the demo village turned into a dispute.
	var id int64
	rows, err := app.DB.RawQuery(ctx, `SELECT id FROM entries WHERE village_code = ? AND status = 'confirmed' ORDER BY seq LIMIT 1`, vmDemoVillage)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		_ = rows.Scan(&id)
	}
	rows.Close()
	if id == 0 {
		t.Fatal("the demo village has no confirmed entry")
	}
	if err := app.DB.ExecRaw(ctx, `UPDATE entries SET status = 'disputed' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	st, body = bureau.Page(t, "/ledger/verify?run=1")
	if st != 200 || !strings.Contains(body, `data-kind="review_edited"`) || !strings.Contains(body, i18n.T("zh", "verify.kind.review_edited")) ||
		!strings.Contains(body, vmDemoVillage) || !strings.Contains(body, "东城社区") || strings.Contains(body, `id="verify-ok"`) {
		t.Fatalf("tampered confirmation not shown: %d\n%s", st, body)
	}
	// Narrowed to another county's code: outside the bureau's area, so the
	// bureau's own area is checked (and the problem still shows).
	if _, body = bureau.Page(t, "/ledger/verify?run=1&region=330000000000"); !strings.Contains(body, `data-kind="review_edited"`) {
		t.Errorf("a region outside the area did not fall back to the bureau's own")
	}
	if st, body = bureau.Page(t, "/ledger/verify?run=1&region=12x"); st != 422 || !strings.Contains(body, i18n.T("zh", "err.division_code")) ||
		!strings.Contains(body, `value="12x"`) || strings.Contains(body, "verify-problem") {
		t.Errorf("bad region code: status %d; want 422, the form with what was typed and the reason in Chinese, no check run", st)
	}
	if st, _ = app.Login("zn-advisor").Page(t, "/ledger/verify?run=1"); st != 403 {
		t.Errorf("advisor: status %d, want 403", st)
	}
}

// vmDemoVillage is the demo village every 正宁县 account touches (东城社区).
const vmDemoVillage = "621025100001"

// vmInline finds inline styles and scripts, which the CSP forbids.
var vmInline = regexp.MustCompile(`(?i)\sstyle\s*=|<script(\s[^>]*)?>[^<]|\son[a-z]+\s*=`)

func vmNoInline(t *testing.T, what, body string) {
	t.Helper()
	if m := vmInline.FindString(body); m != "" {
		t.Errorf("%s: inline style or script %q", what, m)
	}
}

// A region that is not a division code is refused as invalid input, not a
// panic (it used to take the connection down, from a village's account).
func TestVerifyBadRegion(t *testing.T) {
	app := apptest.New(t)
	for _, path := range []string{"/api/v1/ledger/verify?region=62102510000100", "/ledger/verify?run=1&region=62102510000100"} {
		resp := app.Session("zn-village").Do("GET", path, nil, "")
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("GET %s as a village: status %d, want a refusal of the input", path, resp.StatusCode)
		}
	}
}
