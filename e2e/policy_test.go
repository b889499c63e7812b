package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/villagecounsel/counsel/apptest"
)

// TestPolicyRuleForm: the county bureau sets a town's duty rule by form
// only, on a 360-px phone and on a desktop: it finds the town by name,
// gets the reason next to the field for a rule without a name, previews the
// rule in words (and that it replaces the county's rule of the same name),
// saves it and sees it in force at this level.
func TestPolicyRuleForm(t *testing.T) {
	for _, size := range []struct {
		name string
		w, h int
	}{{"phone", 360, 740}, {"desktop", 1280, 900}} {
		t.Run(size.name, func(t *testing.T) {
			ctx := browserCtx(t, size.w, size.h)
			app := apptest.New(t)
			base := app.HTTP.URL
			run(t, ctx, "viewport", chromedp.EmulateViewport(int64(size.w), int64(size.h)))
			login(t, ctx, base, "zn-bureau")
			var title string
			run(t, ctx, "open the rules", chromedp.Navigate(base+"/ledger/policy"), chromedp.WaitVisible(`#q`, chromedp.ByID),
				chromedp.Text(`h1`, &title, chromedp.ByQuery))
			if title != "履职要求 · 正宁县" {
				t.Errorf("title %q, want 履职要求 · 正宁县", title)
			}
			hit := `#policy-hits a[href="/ledger/policy?region=621025100000"]`
			run(t, ctx, "find the town by name",
				chromedp.SendKeys(`#q`, "山河", chromedp.ByID),
				chromedp.Submit(`#q`, chromedp.ByID),
				chromedp.WaitVisible(hit, chromedp.ByQuery),
				chromedp.Click(hit, chromedp.ByQuery),
				chromedp.WaitVisible(`#rule-save`, chromedp.ByID),
				chromedp.Text(`h1`, &title, chromedp.ByQuery),
			)
			if title != "履职要求 · 山河镇" {
				t.Errorf("title %q, want 履职要求 · 山河镇", title)
			}
			var errText string
			run(t, ctx, "save without a name",
				chromedp.SetValue(`#min_total_hours`, "6", chromedp.ByID),
				chromedp.Click(`#rule-save`, chromedp.ByID),
				chromedp.WaitVisible(`#name-err`, chromedp.ByID),
				chromedp.Text(`#name-err`, &errText, chromedp.ByID),
			)
			if !strings.Contains(errText, "请填写要求名称") {
				t.Errorf("error next to the name: %q", errText)
			}
			var kept string
			run(t, ctx, "input kept", chromedp.Value(`#min_total_hours`, &kept, chromedp.ByID))
			if kept != "6" {
				t.Errorf("the form lost the hours: %q", kept)
			}
			var preview string
			run(t, ctx, "preview",
				chromedp.SendKeys(`#name`, "到村服务", chromedp.ByID),
				chromedp.Click(`input[name=kinds][value=onsite_duty]`, chromedp.ByQuery),
				chromedp.Click(`input[name=modes][value=onsite]`, chromedp.ByQuery),
				chromedp.SetValue(`#period`, "quarter", chromedp.ByID),
				chromedp.Click(`#rule-preview-btn`, chromedp.ByID),
				chromedp.WaitVisible(`#rule-preview`, chromedp.ByID),
				chromedp.Text(`#rule-preview`, &preview, chromedp.ByID),
			)
			if !strings.Contains(preview, "每季度须有驻点值班（现场）：累计不少于 6 小时") || !strings.Contains(preview, "替代上级（正宁县）的“到村服务”") {
				t.Errorf("preview %q", preview)
			}
			if size.w == 360 {
				pubNoOverflow(t, ctx, "the rule form")
			}
			var rules string
			run(t, ctx, "save",
				chromedp.Click(`#rule-save`, chromedp.ByID),
				chromedp.WaitVisible(`p.flash`, chromedp.ByQuery),
				chromedp.Text(`#policy-rules`, &rules, chromedp.ByID),
			)
			if !strings.Contains(rules, "累计不少于 6 小时") || !strings.Contains(rules, "本级") || strings.Contains(rules, "累计不少于 8 小时") {
				t.Errorf("rules in force after saving: %q", rules)
			}
		})
	}
}
