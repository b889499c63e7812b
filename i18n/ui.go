package i18n

// uiMessages are the texts of the pages, {zh, en}.
var uiMessages = map[string][2]string{
	"app.name":  {"村（社区）法律顾问工作平台", "Village Counsel"},
	"app.short": {"村居法律顾问", "Village Counsel"},
}
