package apptest_test

import (
	"context"
	"encoding/base64"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/registry"
)

// tinyPNG is a 1×1 PNG.
var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")

// withPhoto gives the fixture advisor a stored photo.
func withPhoto(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	name := "0123456789abcdef0123456789abcdef.png"
	if err := os.WriteFile(filepath.Join(dir, name), tinyPNG, 0o640); err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(x.Advisor, 10, 64)
	ctx := context.Background()
	adv, err := registry.Advisor(ctx, app.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	adv.Photo = name
	if err := app.Svc.SaveAdvisor(ctx, counsel.System, adv); err != nil {
		t.Fatal(err)
	}
}

// withPersonPhoto gives the fixture person a stored photo.
func withPersonPhoto(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	name := "fedcba9876543210fedcba9876543210.png"
	if err := os.WriteFile(filepath.Join(dir, name), tinyPNG, 0o640); err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(x.Person, 10, 64)
	ctx := context.Background()
	p, err := registry.Person(ctx, app.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	p.Photo = name
	if err := app.Feats.Pairing.Svc.SavePerson(ctx, counsel.System, p); err != nil {
		t.Fatal(err)
	}
}

const providerCSV = "单位名称,类型,统一社会信用代码,联系电话,地址\n矩阵导入律师事务所,律师事务所,,0934-5123456,县城人民路1号\n"
const advisorCSV = "姓名,性别,类型,执业证号,所在单位,联系电话,微信号\n导入律师,男,律师,,甘肃正义律师事务所,13912340000,wx_imp\n"

// registryRows are the rows of the regions, providers, advisors, agreements
// and settings pages.
func registryRows() map[string]probe {
	provider := url.Values{"kind": {"law_firm"}, "name": {"矩阵律师事务所"}, "county_code": {"{county}"}, "phone": {"0934-5123456"}}
	advisor := url.Values{"provider_id": {"{provider}"}, "kind": {"lawyer"}, "name": {"矩阵律师"}, "phone": {"13912345678"}, "active": {"1"}}
	agreement := url.Values{"advisor_id": {"{advisor}"}, "provider_id": {"{provider}"}, "region_code": {"{village}"}, "start_date": {"2027-01-01"}, "end_date": {"2027-12-31"}, "subsidy": {"5000"}}
	return map[string]probe{
		"GET /regions":                 {path: "/regions", allow: all + " other"},
		"GET /regions/{code}":          {path: "/regions/{village}", allow: all},
		"POST /regions/{code}/flags":   {path: "/regions/{village}/flags", body: url.Values{"underdeveloped": {"county"}, "remote": {"1"}}, allow: countyW},
		"GET /coverage":                {path: "/coverage", allow: regional + " other"},
		"GET /coverage.xlsx":           {path: "/coverage.xlsx", allow: regional + " other"},
		"GET /providers":               {path: "/providers", allow: "admin bureau city judicial provider advisor other"},
		"GET /providers.xlsx":          {path: "/providers.xlsx", allow: "admin bureau city judicial provider advisor other"},
		"GET /providers/new":           {path: "/providers/new", allow: countyW + " other"},
		"POST /providers":              {path: "/providers", body: provider, allow: countyW + " other"}, // a county bureau creates in its own county
		"GET /providers/import":        {path: "/providers/import", allow: countyW + " other"},
		"POST /providers/import":       {path: "/providers/import", body: upload{field: "file", filename: "p.csv", content: providerCSV, form: url.Values{"region": {"{county}"}}}, allow: countyW},
		"GET /providers/{id}":          {path: "/providers/{provider}", allow: "admin bureau city judicial provider advisor"},
		"GET /providers/{id}/edit":     {path: "/providers/{provider}/edit", allow: "admin bureau provider"},
		"POST /providers/{id}":         {path: "/providers/{provider}", body: provider, allow: "admin bureau provider"},
		"GET /advisors":                {path: "/advisors", allow: all + " other"},
		"GET /advisors.xlsx":           {path: "/advisors.xlsx", allow: all + " other"},
		"GET /advisors/new":            {path: "/advisors/new", allow: "admin bureau provider other"},
		"POST /advisors":               {path: "/advisors", body: advisor, allow: "admin bureau provider"},
		"GET /advisors/import":         {path: "/advisors/import", allow: countyW + " other"},
		"POST /advisors/import":        {path: "/advisors/import", body: upload{field: "file", filename: "a.csv", content: advisorCSV, form: url.Values{"region": {"{county}"}}}, allow: countyW},
		"GET /advisors/{id}":           {path: "/advisors/{advisor}", allow: all},
		"GET /advisors/{id}/edit":      {path: "/advisors/{advisor}/edit", allow: "admin bureau provider advisor"},
		"POST /advisors/{id}":          {path: "/advisors/{advisor}", body: advisor, allow: "admin bureau provider advisor"},
		"GET /advisors/{id}/photo":     {path: "/advisors/{advisor}/photo", allow: all, setup: withPhoto},
		"POST /advisors/{id}/photo":    {path: "/advisors/{advisor}/photo", body: upload{field: "photo", filename: "me.png", content: string(tinyPNG)}, allow: "admin bureau provider advisor"},
		"GET /agreements":              {path: "/agreements", allow: all + " other"},
		"GET /agreements.xlsx":         {path: "/agreements.xlsx", allow: all + " other"},
		"GET /agreements/new":          {path: "/agreements/new?region={village}", allow: townW},
		"POST /agreements":             {path: "/agreements", body: agreement, allow: townW},
		"GET /agreements/{id}":         {path: "/agreements/{agreement}", allow: all},
		"GET /agreements/{id}/edit":    {path: "/agreements/{agreement}/edit", allow: townW},
		"POST /agreements/{id}":        {path: "/agreements/{agreement}", body: url.Values{"advisor_id": {"{advisor}"}, "provider_id": {"{provider}"}, "region_code": {"{village}"}, "start_date": {"2026-01-01"}, "end_date": {"2026-12-31"}, "subsidy": {"6000"}}, allow: townW},
		"POST /agreements/{id}/status": {path: "/agreements/{agreement}/status", body: url.Values{"status": {"ended"}}, allow: townW},
		"GET /settings":                {path: "/settings", allow: all + " other"},
		"POST /settings":               {path: "/settings", body: url.Values{"region": {"{county}"}, "load_limit": {"6"}, "filing_month_day": {"03-31"}, "pairing_min": {"3"}, "pairing_deadline": {"2026-06-30"}, "default_subsidy": {"5000"}}, allow: countyW + " other"}, // a county bureau saves its own county
	}
}
