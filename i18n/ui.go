package i18n

// uiMessages are the texts of the pages, {zh, en}.
var uiMessages = map[string][2]string{
	"app.name":  {"村（社区）法律顾问工作平台", "Village Counsel"},
	"app.short": {"村居法律顾问", "Village Counsel"},

	"nav.skip":       {"跳到正文", "Skip to content"},
	"nav.main":       {"主导航", "Main navigation"},
	"nav.home":       {"首页", "Home"},
	"nav.regions":    {"村（社区）", "Villages"},
	"nav.providers":  {"服务机构", "Providers"},
	"nav.advisors":   {"法律顾问", "Advisors"},
	"nav.agreements": {"顾问协议", "Agreements"},
	"nav.persons":    {"法律明白人", "Legal-literate persons"},
	"nav.pairings":   {"1+N结对", "1+N pairing"},
	"nav.import":     {"导入", "Import"},
	"nav.users":      {"账号", "Accounts"},
	"nav.audit":      {"操作日志", "Audit log"},
	"nav.logout":     {"退出", "Sign out"},

	"role.admin":    {"系统管理员", "Administrator"},
	"role.bureau":   {"司法局", "Justice bureau"},
	"role.judicial": {"司法所", "Judicial office"},
	"role.provider": {"服务机构负责人", "Provider manager"},
	"role.advisor":  {"法律顾问", "Advisor"},
	"role.village":  {"村（居）委会", "Village committee"},

	"level.1": {"省", "Province"},
	"level.2": {"市", "City"},
	"level.3": {"区县", "County"},
	"level.4": {"乡镇（街道）", "Town"},
	"level.5": {"村（社区）", "Village"},

	"login.title":    {"登录", "Sign in"},
	"login.username": {"用户名", "Username"},
	"login.password": {"密码", "Password"},
	"login.submit":   {"登录", "Sign in"},

	"home.title":          {"工作概况", "Overview"},
	"home.coverage":       {"覆盖率（已备案）", "Coverage (filed)"},
	"home.providers":      {"服务机构", "Providers"},
	"home.advisors":       {"法律顾问", "Advisors"},
	"home.agreements":     {"有效协议", "Live agreements"},
	"home.late":           {"逾期未备案/逾期备案", "Late filings"},
	"home.persons":        {"法律明白人", "Legal-literate persons"},
	"home.pairings":       {"1+N结对", "1+N pairings"},
	"home.by_town":        {"各乡镇（街道）覆盖情况", "Coverage by town"},
	"home.uncovered_link": {"查看未覆盖的村（社区）", "See villages without a filed advisor"},

	"col.town":     {"乡镇（街道）", "Town"},
	"col.village":  {"村（社区）", "Village"},
	"col.villages": {"村（社区）数", "Villages"},
	"col.covered":  {"已覆盖", "Covered"},
	"col.rate":     {"覆盖率", "Rate"},

	"flash.saved":    {"已保存", "Saved"},
	"flash.created":  {"已创建", "Created"},
	"flash.imported": {"导入成功", "Imported"},
}
