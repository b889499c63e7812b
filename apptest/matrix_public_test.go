package apptest_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/apptest"
	"github.com/villagecounsel/counsel/internal/public"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/store"
)

// pubAdvisorName is the name withPubAdvisorName gives the fixture advisor,
// so that a group's owner can be named by it in a probe's body.
const pubAdvisorName = "矩阵顾问"

// withPubAdvisorName renames the fixture advisor to pubAdvisorName.
func withPubAdvisorName(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	id, _ := strconv.ParseInt(x.Advisor, 10, 64)
	adv, err := registry.Advisor(ctx, app.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	adv.Name = pubAdvisorName
	if err := app.Svc.SaveAdvisor(ctx, counsel.System, adv); err != nil {
		t.Fatal(err)
	}
}

// withPubGroup registers the fixture village's service WeChat group with a
// QR image in force.
func withPubGroup(t *testing.T, app *apptest.App, x ids) {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(app.Svc.Cfg.DataDir, "photos")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	name := "abcdefabcdefabcdefabcdefabcdef01.png"
	if err := os.WriteFile(filepath.Join(dir, name), tinyPNG, 0o640); err != nil {
		t.Fatal(err)
	}
	id, _ := strconv.ParseInt(x.Advisor, 10, 64)
	err := app.DB.WithTx(ctx, func(tx *store.Tx) error {
		g := &public.WeChatGroup{VillageCode: x.Village, Name: "东城社区结对律师服务微信群", AdminAdvisorID: id, AdminNickname: "律师", Members: public.GroupMembers{Advisor: 1}}
		if err := public.SaveWeChatGroup(ctx, tx, g); err != nil {
			return err
		}
		return public.SetGroupQR(ctx, tx, x.Village, name, time.Now().UnixMilli())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pubGroupForm is a valid group register form for the fixture village once
// withPubAdvisorName has run.
var pubGroupForm = url.Values{"name": {"东城社区结对律师服务微信群"}, "admin_nickname": {pubAdvisorName + "律师"},
	"members_advisor": {"1"}, "members_committee": {"5"}, "members_judicial": {"1"}}

// publicRows are the rows of the public area's pages and API operations:
// boards, search, cards and QR codes are public; the register is scoped.
func publicRows() map[string]probe {
	const (
		readers  = "admin bureau city judicial provider advisor village"
		townRead = "admin bureau city judicial provider advisor"
		groupW   = "admin bureau judicial advisor"
	)
	bothSetups := func(t *testing.T, app *apptest.App, x ids) {
		withPubAdvisorName(t, app, x)
		withPubGroup(t, app, x)
	}
	return map[string]probe{
		"GET /v":                    {path: "/v?q=xiguan", allow: "public"},
		"GET /v/{code}":             {path: "/v/{village}", allow: "public"},
		"GET /v/{code}/photo":       {path: "/v/{village}/photo", allow: "public", setup: withPhoto},
		"GET /v/{code}/qr.png":      {path: "/v/{village}/qr.png", allow: "public"},
		"GET /v/{code}/group-qr":    {path: "/v/{village}/group-qr", allow: "public", setup: withPubGroup},
		"GET /v/{code}/card":        {path: "/v/{village}/card?size=a6", allow: "public"},
		"POST /v/care":              {path: "/v/care", body: url.Values{"care": {"1"}, "next": {"/v"}}, allow: "public"},
		"GET /boards":               {path: "/boards?region={town}", allow: townRead},
		"GET /boards/{code}":        {path: "/boards/{village}", allow: readers},
		"POST /boards/{code}/hours": {path: "/boards/{village}/hours", body: url.Values{"onsite_hours": {"每周三上午"}}, allow: townW},
		"POST /boards/{code}/group": {path: "/boards/{village}/group", body: pubGroupForm, allow: groupW, setup: withPubAdvisorName},
		"POST /boards/{code}/group/qr": {path: "/boards/{village}/group/qr", body: upload{field: "photo", filename: "qr.png", content: string(tinyPNG)},
			allow: groupW, setup: bothSetups},
		"GET /offices/{code}":  {path: "/offices/{town}", allow: townRead},
		"POST /offices/{code}": {path: "/offices/{town}", body: url.Values{"name": {"山河镇司法所"}, "phone": {"0934-5211234"}}, allow: townW},
		"GET /cards/{code}":    {path: "/cards/{town}", allow: "admin bureau city judicial"},

		"GET /api/v1/public/villages":              {path: "/api/v1/public/villages?q=xgc", allow: "public"},
		"GET /api/v1/public/villages/{code}/board": {path: "/api/v1/public/villages/{village}/board", allow: "public"},
		"GET /api/v1/boards":                       {path: "/api/v1/boards?region={town}", allow: townRead},
		"GET /api/v1/boards/{code}":                {path: "/api/v1/boards/{village}", allow: readers},
		"PUT /api/v1/boards/{code}/hours":          {path: "/api/v1/boards/{village}/hours", body: map[string]string{"onsite_hours": "每周五下午"}, allow: townW},
		"GET /api/v1/wechat-groups/{code}":         {path: "/api/v1/wechat-groups/{village}", allow: readers, setup: withPubGroup},
		"PUT /api/v1/wechat-groups/{code}": {path: "/api/v1/wechat-groups/{village}", allow: groupW, setup: withPubAdvisorName,
			body: map[string]any{"name": "东城社区结对律师服务微信群", "admin_nickname": pubAdvisorName, "members": map[string]int{"advisor": 1, "committee": 3}}},
		"GET /api/v1/offices/{code}": {path: "/api/v1/offices/{town}", allow: townRead},
		"PUT /api/v1/offices/{code}": {path: "/api/v1/offices/{town}", body: map[string]string{"name": "山河镇司法所", "phone": "0934-5211234"}, allow: townW},
	}
}
