package apptest_test

import "net/url"

// importCSV is a one-row 附件1 CSV for the village's town (山河镇).
const importCSV = "街道(乡镇),村(社区),姓名,所在律所,联系电话,姓名,职务,联系电话,结对时间\n山河镇,西关村,赵矩阵,甘肃矩阵律师事务所,13900001111,钱矩阵,村委委员,13900002222,2026-05-01\n"

// matrix returns a row for every route: "METHOD pattern" → probe. "other" is
// another county's bureau; "public" means everyone, signed in or not.
func matrix() map[string]probe {
	m := map[string]probe{
		"GET /static/{path...}": {path: "/static/app.css", allow: "public"},
		"GET /healthz":          {path: "/healthz", allow: "public"},
		"GET /login":            {path: "/login", allow: "public"},
		"POST /login":           {path: "/login", body: url.Values{"username": {"admin"}, "password": {"demo-password-1"}}, allow: "public"},
		"POST /lang":            {path: "/lang", body: url.Values{"lang": {"en"}}, allow: "public"},
		"POST /logout":          {path: "/logout", body: url.Values{}, allow: all + " other"},
		"GET /{$}":              {path: "/", allow: all + " other"},

		"GET /api/v1/openapi.json":       {path: "/api/v1/openapi.json", allow: "public"},
		"GET /api/v1/me":                 {path: "/api/v1/me", allow: all + " other"},
		"POST /api/v1/tokens":            {path: "/api/v1/tokens", body: map[string]string{"name": "matrix"}, allow: all + " other"},
		"GET /api/v1/regions":            {path: "/api/v1/regions", allow: all + " other"},
		"GET /api/v1/regions/{code}":     {path: "/api/v1/regions/{village}", allow: all},
		"PATCH /api/v1/regions/{code}":   {path: "/api/v1/regions/{village}", body: map[string]any{"underdeveloped": "county", "remote": true}, allow: countyW},
		"GET /api/v1/coverage":           {path: "/api/v1/coverage?region={town}", allow: "admin bureau city judicial"},
		"GET /api/v1/coverage/uncovered": {path: "/api/v1/coverage/uncovered?region={town}", allow: "admin bureau city judicial"},

		"GET /api/v1/providers":               {path: "/api/v1/providers", allow: "admin bureau city judicial provider advisor other"},
		"POST /api/v1/providers":              {path: "/api/v1/providers", body: map[string]any{"kind": "law_firm", "name": "矩阵律师事务所", "county_code": "{county}"}, allow: countyW},
		"GET /api/v1/providers/{id}":          {path: "/api/v1/providers/{provider}", allow: "admin bureau city judicial provider advisor"},
		"PUT /api/v1/providers/{id}":          {path: "/api/v1/providers/{provider}", body: `{"kind":"law_firm","name":"矩阵改名律师事务所","county_code":"{county}","phone":"0934-5123456"}`, ctype: "application/json", allow: "admin bureau provider"},
		"GET /api/v1/advisors":                {path: "/api/v1/advisors", allow: all + " other"},
		"POST /api/v1/advisors":               {path: "/api/v1/advisors", body: `{"provider_id":{provider},"kind":"lawyer","name":"矩阵律师","phone":"13912345678","active":true}`, ctype: "application/json", allow: "admin bureau provider"},
		"GET /api/v1/advisors/{id}":           {path: "/api/v1/advisors/{advisor}", allow: all},
		"PUT /api/v1/advisors/{id}":           {path: "/api/v1/advisors/{advisor}", body: `{"provider_id":{provider},"kind":"lawyer","name":"矩阵律师","phone":"13912345678","wechat":"wx_m","active":true}`, ctype: "application/json", allow: "admin bureau provider advisor"},
		"GET /api/v1/agreements":              {path: "/api/v1/agreements", allow: all + " other"},
		"POST /api/v1/agreements":             {path: "/api/v1/agreements", body: `{"advisor_id":{advisor},"region_code":"{village}","start_date":"2027-01-01","end_date":"2027-12-31","subsidy_fen":500000}`, ctype: "application/json", allow: townW},
		"GET /api/v1/agreements/{id}":         {path: "/api/v1/agreements/{agreement}", allow: all},
		"PUT /api/v1/agreements/{id}":         {path: "/api/v1/agreements/{agreement}", body: `{"provider_id":{provider},"advisor_id":{advisor},"region_code":"{village}","start_date":"2026-01-01","end_date":"2026-12-31","subsidy_fen":600000,"status":"filed","signed_on":"2026-01-05","filed_on":"2026-03-01"}`, ctype: "application/json", allow: townW},
		"POST /api/v1/agreements/{id}/status": {path: "/api/v1/agreements/{agreement}/status", body: map[string]string{"status": "ended"}, allow: townW},

		"GET /api/v1/persons":                   {path: "/api/v1/persons", allow: all + " other"},
		"POST /api/v1/persons":                  {path: "/api/v1/persons", body: map[string]any{"village_code": "{village}", "name": "孙矩阵", "position": "村委委员", "committee": true, "phone": "13700001234"}, allow: "admin bureau judicial village"},
		"GET /api/v1/persons/{id}":              {path: "/api/v1/persons/{person}", allow: all},
		"PUT /api/v1/persons/{id}":              {path: "/api/v1/persons/{person}", body: map[string]any{"village_code": "{village}", "name": "孙矩阵", "position": "网格员", "phone": "13700001234", "status": "active"}, allow: "admin bureau judicial village"},
		"GET /api/v1/pairings":                  {path: "/api/v1/pairings", allow: all + " other"},
		"POST /api/v1/pairings":                 {path: "/api/v1/pairings", body: `{"advisor_id":{freeadvisor},"person_id":{freeperson},"paired_on":"2026-05-01"}`, ctype: "application/json", allow: townW},
		"GET /api/v1/pairings/{id}":             {path: "/api/v1/pairings/{pairing}", allow: all},
		"PUT /api/v1/pairings/{id}":             {path: "/api/v1/pairings/{pairing}", body: map[string]any{"paired_on": "2026-04-01", "evaluation": "优秀"}, allow: townW},
		"POST /api/v1/pairings/{id}/activities": {path: "/api/v1/pairings/{pairing}/activities", body: map[string]any{"kind": "explainer", "date": "2026-07-01", "note": "宣讲民法典"}, allow: townW + " advisor village"},
		"GET /api/v1/pairing-rules":             {path: "/api/v1/pairing-rules", allow: regional + " other"},
		"POST /api/v1/imports/pairings":         {path: "/api/v1/imports/pairings?region={town}&filename=a.csv", body: importCSV, ctype: "text/csv", allow: townW},

		"GET /api/v1/users":    {path: "/api/v1/users", allow: "admin bureau city other"},
		"POST /api/v1/users":   {path: "/api/v1/users", body: map[string]any{"username": "matrix-user", "display_name": "矩阵", "role": "village", "region_code": "{village}", "password": "Long-enough-pw1"}, allow: countyW},
		"GET /api/v1/audit":    {path: "/api/v1/audit", allow: "admin bureau city other"},
		"GET /api/v1/settings": {path: "/api/v1/settings", allow: all + " other"},
		"PUT /api/v1/settings": {path: "/api/v1/settings", body: map[string]any{"region": "{county}", "settings": map[string]any{"load_limit": 6, "filing_month_day": "03-31", "pairing_min": 3, "pairing_deadline": "2026-06-30", "default_subsidy_fen": 500000}}, allow: countyW},
	}
	for k, v := range pageRows() {
		m[k] = v
	}
	return m
}

// pageRows are the HTML pages' rows.
func pageRows() map[string]probe {
	out := map[string]probe{}
	for _, rows := range []map[string]probe{registryRows(), pairingRows(), adminRows(), ledgerRows(), majorRows(), publicRows(), outboxRows(), dashRows(), volumeRows(), consultRows(), setupRows(), securityRows(), clerkRows(), moneyRows()} {
		for k, v := range rows {
			out[k] = v
		}
	}
	return out
}

// pairingRows are the rows of the persons, pairings, exports and import pages.
func pairingRows() map[string]probe {
	person := url.Values{"village_code": {"{village}"}, "name": {"孙矩阵"}, "position": {"村委委员"}, "committee": {"1"}, "phone": {"13700001234"}}
	villageW := "admin bureau judicial village"
	return map[string]probe{
		"GET /persons":                   {path: "/persons", allow: all + " other"},
		"GET /persons/new":               {path: "/persons/new?region={village}", allow: villageW},
		"POST /persons":                  {path: "/persons", body: person, allow: villageW},
		"GET /persons/{id}":              {path: "/persons/{person}", allow: all},
		"GET /persons/{id}/edit":         {path: "/persons/{person}/edit", allow: villageW},
		"POST /persons/{id}":             {path: "/persons/{person}", body: person, allow: villageW},
		"POST /persons/{id}/status":      {path: "/persons/{person}/status", body: url.Values{"status": {"dismissed"}, "status_on": {"2026-10-01"}, "reason": {"工作调动"}}, allow: villageW},
		"GET /persons/{id}/photo":        {path: "/persons/{person}/photo", allow: all, setup: withPersonPhoto},
		"POST /persons/{id}/photo":       {path: "/persons/{person}/photo", body: upload{field: "photo", filename: "p.png", content: string(tinyPNG)}, allow: villageW},
		"GET /pairings":                  {path: "/pairings", allow: all + " other"},
		"GET /pairings/new":              {path: "/pairings/new?region={village}", allow: townW},
		"POST /pairings":                 {path: "/pairings", body: url.Values{"advisor_id": {"{freeadvisor}"}, "person_id": {"{freeperson}"}, "paired_on": {"2026-05-01"}}, allow: townW},
		"GET /pairings/rules":            {path: "/pairings/rules", allow: regional + " other"},
		"GET /pairings/attachment1.xlsx": {path: "/pairings/attachment1.xlsx?region={village}", allow: all},
		"GET /pairings/cards.xlsx":       {path: "/pairings/cards.xlsx?region={village}", allow: all},
		"GET /pairings/cards":            {path: "/pairings/cards?region={village}", allow: all},
		"GET /pairings/{id}":             {path: "/pairings/{pairing}", allow: all},
		"POST /pairings/{id}":            {path: "/pairings/{pairing}", body: url.Values{"paired_on": {"2026-04-01"}, "evaluation": {"优秀"}}, allow: townW},
		"POST /pairings/{id}/activities": {path: "/pairings/{pairing}/activities", body: url.Values{"kind": {"mediator"}, "date": {"2026-07-01"}, "note": {"调解邻里纠纷"}}, allow: townW + " advisor village"},
		"GET /pairings/{id}/card":        {path: "/pairings/{pairing}/card", allow: all},
		"GET /import":                    {path: "/import", allow: townW + " other"},
		"GET /import/template.xlsx":      {path: "/import/template.xlsx", allow: all + " other"},
		"POST /import/pairings":          {path: "/import/pairings", body: upload{field: "file", filename: "a.csv", content: importCSV, form: url.Values{"region": {"{town}"}}}, allow: townW},
	}
}

// adminRows are the rows of the accounts, audit and own-account pages.
func adminRows() map[string]probe {
	return map[string]probe{
		"GET /users":                {path: "/users", allow: "admin bureau city other"},
		"GET /users/new":            {path: "/users/new", allow: "admin bureau other"},
		"POST /users":               {path: "/users", body: url.Values{"username": {"matrix-user"}, "display_name": {"矩阵"}, "role": {"village"}, "region_code": {"{village}"}, "password": {"Long-enough-pw1"}}, allow: countyW},
		"POST /users/{id}/disable":  {path: "/users/{user}/disable", body: url.Values{}, allow: countyW},
		"POST /users/{id}/enable":   {path: "/users/{user}/enable", body: url.Values{}, allow: countyW},
		"POST /users/{id}/password": {path: "/users/{user}/password", body: url.Values{"password": {"matrix-password-1"}}, allow: countyW},
		"GET /audit":                {path: "/audit", allow: "admin bureau city other"},
		"GET /audit.xlsx":           {path: "/audit.xlsx", allow: "admin bureau city other"},
		"GET /account":              {path: "/account", allow: all + " other"},
		"POST /account/password":    {path: "/account/password", body: url.Values{"old_password": {"demo-password-1"}, "password": {"matrix-password-1"}, "confirm": {"matrix-password-1"}}, allow: all + " other"},
		"POST /account/tokens":      {path: "/account/tokens", body: url.Values{"name": {"matrix"}}, allow: all + " other"},
	}
}
