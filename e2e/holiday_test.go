package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel/apptest"
)

// TestHolidayPage: the administrator adds a year's official arrangement on
// the holiday page, on a 360-px phone and on a desktop: the page warns that
// the year is not covered; a make-up working day on a weekday is refused
// with the reason under the text box and nothing is written; a good paste
// shows a preview, still writing nothing; saving stores the year, lists it
// and the warning goes.
func TestHolidayPage(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"phone", 360, 740}, {"desktop", 1280, 900}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := browserCtx(t, size.w, size.h)
			app := apptest.New(t)
			base := app.HTTP.URL
			bg := context.Background()
			year := 2031
			uncovered := app.Svc.UncoveredYears(bg)
			if len(uncovered) > 0 {
				year = uncovered[0]
			}
			y := strconv.Itoa(year)
			run(t, ctx, "viewport", chromedp.EmulateViewport(int64(size.w), int64(size.h)))
			login(t, ctx, base, "admin")
			run(t, ctx, "open the holiday page", chromedp.Navigate(base+"/holidays"), chromedp.WaitVisible(`#year`, chromedp.ByID))
			if len(uncovered) > 0 {
				var warn string
				run(t, ctx, "read the warning", chromedp.Text(`#holiday-gap`, &warn, chromedp.ByID))
				if !strings.Contains(warn, y) {
					t.Errorf("warning %q does not name %s", warn, y)
				}
			}

			// A Monday as a make-up working day is refused next to the field.
			monday := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
			for monday.Weekday() != time.Monday {
				monday = monday.AddDate(0, 0, 1)
			}
			bad := fmt.Sprintf("%d年1月1日 放假 元旦\n%s 上班 元旦", year, monday.Format("2006-01-02"))
			var errText string
			run(t, ctx, "preview a bad arrangement",
				chromedp.SetValue(`#year`, y, chromedp.ByID),
				chromedp.SetValue(`#text`, bad, chromedp.ByID),
				chromedp.Click(`#holiday-preview-btn`, chromedp.ByID),
				chromedp.WaitVisible(`#text-err`, chromedp.ByID),
				chromedp.Text(`#text-err`, &errText, chromedp.ByID),
			)
			if !strings.Contains(errText, "第 2 行") || !strings.Contains(errText, "周六或周日") {
				t.Errorf("error under the text box: %q, want line 2 and the weekend rule", errText)
			}
			if n := holidayRows(t, app); n != 0 {
				t.Fatalf("a refused preview wrote %d rows", n)
			}
			var kept string
			run(t, ctx, "input kept", chromedp.Value(`#text`, &kept, chromedp.ByID))
			if !strings.Contains(kept, "上班") {
				t.Errorf("the text box lost the input: %q", kept)
			}

			// A good paste: preview, then save.
			good := fmt.Sprintf("%d年1月1日 放假 元旦\n%d-10-01至%d-10-07 国庆节", year, year, year)
			var preview string
			run(t, ctx, "preview a good arrangement",
				chromedp.SetValue(`#text`, good, chromedp.ByID),
				chromedp.Click(`#holiday-preview-btn`, chromedp.ByID),
				chromedp.WaitVisible(`#holiday-preview`, chromedp.ByID),
				chromedp.Text(`#holiday-preview`, &preview, chromedp.ByID),
			)
			if !strings.Contains(preview, "放假 8 天") || !strings.Contains(preview, y+"年10月7日") {
				t.Errorf("preview %q, want 8 days off ending %s年10月7日", preview, y)
			}
			if n := holidayRows(t, app); n != 0 {
				t.Fatalf("a preview wrote %d rows", n)
			}
			if size.w == 360 {
				pubNoOverflow(t, ctx, "the holiday preview")
			}
			var years string
			run(t, ctx, "save",
				chromedp.Click(`#holiday-save`, chromedp.ByID),
				chromedp.WaitVisible(`.flash`, chromedp.ByQuery),
				chromedp.Text(`#holiday-years`, &years, chromedp.ByID),
			)
			if n := holidayRows(t, app); n != 8 {
				t.Errorf("saved %d rows, want 8", n)
			}
			if !strings.Contains(years, y) {
				t.Errorf("years covered %q, want %s", years, y)
			}
			if len(uncovered) == 1 {
				var gone bool
				run(t, ctx, "warning gone", chromedp.Evaluate(`document.getElementById("holiday-gap") === null`, &gone))
				if !gone {
					t.Errorf("the warning is still shown after %s was saved", y)
				}
			}
			if size.w == 360 {
				pubNoOverflow(t, ctx, "the holiday page")
			}
		})
	}
}

func holidayRows(t *testing.T, app *apptest.App) int {
	t.Helper()
	n, err := app.DB.Count(context.Background(), `SELECT COUNT(*) FROM holidays`)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
