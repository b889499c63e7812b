package i18n

// uiVolume holds the texts of the volume area, {zh, en}: volumes (一村一卷,
// 一所一卷), legal matter files (一案一档) and the yearly documents.
var uiVolume = map[string][2]string{
	// Errors.
	"volume.err_future":            {"不能晚于今天", "Cannot be later than today"},
	"volume.err_no_agreement":      {"%v 当天您没有该村（社区）的法律顾问协议", "You had no agreement for this village on %v"},
	"volume.err_no_agreement_year": {"%v 年您没有该村（社区）的法律顾问协议", "You had no agreement for this village in %v"},
	"volume.err_too_many":          {"该期间共有 %v 条记录，超过一卷的上限 %v 条，请缩短期间", "The period holds %v entries, more than a volume's limit of %v; choose a shorter period"},
	"matter.err_outcome":           {"结案须填写办理结果", "Closing a matter needs its outcome"},
	"matter.err_closed_before":     {"结案日期不能早于立案日期", "The closing date cannot be before the opening date"},

	// Documents' default titles.
	"doc.default_title.plan":        {"%v%v年度法律顾问服务计划", "%v: legal advisor's service plan %v"},
	"doc.default_title.improvement": {"%v%v年度法治提升建议报告", "%v: rule-of-law improvement report %v"},
}
