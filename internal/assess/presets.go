package assess

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

// Presets are the sheets a jurisdiction may start from, by key.
func Presets() map[string]Sheet {
	return map[string]Sheet{"zhengning": Zhengning(), "ningbo": Ningbo(), "county100": County100()}
}

// PresetKeys lists the preset keys in form order.
var PresetKeys = []string{"county100", "zhengning", "ningbo"}

// onsiteKinds are the kinds counted as service at the village (the duty
// rules' "到村服务").
var onsiteKinds = []string{
	policy.KindOnsiteDuty, policy.KindDoorVisit, policy.KindAffairsReview, policy.KindLecture,
	policy.KindConsultation, policy.KindMediation, policy.KindLegalAid, policy.KindDrafting,
	policy.KindContractReview, policy.KindMeeting, policy.KindPublicity, policy.KindTraining,
}

// Zhengning reproduces seed 001 (正宁县, §二 四是): "通过检查工作台账，听取
// 村(居)委会和群众意见等形式，对法律顾问履职尽责情况进行评估检查" — the
// ledger checked against the county's duty rules (8 hours a quarter on
// site; 2 lectures or publicity events a year), then the village committee's
// and the residents' opinions. 100 points.
func Zhengning() Sheet {
	return Sheet{Name: "正宁县村(居)法律顾问考核评估表", Items: []Item{
		{ID: "onsite_hours", Name: "到村服务时间", Standard: "每个季度到村(居)服务时间累计不少于8小时；每少一个季度扣10分",
			Points: Pt(40), Method: MethodDutyRule, RuleIDs: []string{"onsite_hours_quarter"}, PerMiss: Pt(10)},
		{ID: "lectures", Name: "法治讲座和普法宣传", Standard: "每年开展法律知识讲座、参与普法宣传活动不少于2次；每少一次扣10分",
			Points: Pt(20), Method: MethodKindCount, Kinds: []string{policy.KindLecture, policy.KindPublicity}, MinCount: 2, PerMiss: Pt(10)},
		{ID: "ledger_log", Name: "工作台账", Standard: "工作台账一次(事)一记、一村一卷；每月无记录扣1分",
			Points: Pt(10), Method: MethodMonthly, PerMiss: Pt(1)},
		{ID: "village_opinion", Name: "村(居)委会意见", Standard: "听取村(居)委会对法律顾问履职尽责情况的意见",
			Points: Pt(15), Method: MethodScorer, Scorer: ScorerVillage},
		{ID: "resident_opinion", Name: "群众意见", Standard: "群众评价问卷，每村不少于20份；按平均分折算",
			Points: Pt(15), Method: MethodSurvey, MinCount: DefaultSurveyMin},
	}}
}

// Ningbo reproduces seed 003's "六个一" (宁波, 2018) with its deductions for
// missed time or counts (§三(三): "对未按要求完成服务时间和次数…予以扣减"),
// the residents' evaluation as a key measure, and the one archive a village
// checked on site. The remote-village rules count with the normal ones.
func Ningbo() Sheet {
	return Sheet{Name: "宁波市村(社区)法律顾问“六个一”考核表", Items: []Item{
		{ID: "duty", Name: "站点值班", Standard: "每周一次公共法律服务站点值班，每周至少半天；每少一次扣0.5分",
			Points: Pt(20), Method: MethodDutyRule, RuleIDs: []string{"duty_week", "duty_month_remote"}, PerMiss: 5},
		{ID: "door_visit", Name: "上门走访", Standard: "每月一次上门群众走访；每少一次扣1分",
			Points: Pt(12), Method: MethodDutyRule, RuleIDs: []string{"door_visit_month"}, PerMiss: Pt(1)},
		{ID: "affairs_review", Name: "村务法律审查", Standard: "每季度一次村务法律审查；每少一次扣3分",
			Points: Pt(12), Method: MethodDutyRule, RuleIDs: []string{"affairs_review_quarter"}, PerMiss: Pt(3)},
		{ID: "lecture", Name: "法治大讲堂", Standard: "每半年一次法治讲座（偏远山区每年1次）；每少一次扣5分",
			Points: Pt(10), Method: MethodDutyRule, RuleIDs: []string{"lecture_half", "lecture_year_remote"}, PerMiss: Pt(5)},
		{ID: "improvement", Name: "法治提升建议报告", Standard: "每年一份村(社区)法治提升建议报告；未提交扣10分",
			Points: Pt(10), Method: MethodDocument, DocKind: counsel.DocImprovement, Deduct: Pt(10)},
		{ID: "archive", Name: "工作档案", Standard: "每个村(社区)一卷工作档案，现场检查",
			Points: Pt(10), Method: MethodScorer, Scorer: ScorerBureau},
		{ID: "residents", Name: "群众评价", Standard: "将群众的评价作为衡量工作开展情况的重要标准：群众评价问卷按平均分折算，每村不少于20份",
			Points: Pt(16), Method: MethodSurvey, MinCount: DefaultSurveyMin},
		{ID: "village", Name: "村(社区)评价", Standard: "村(社区)两委对法律顾问的评价",
			Points: Pt(10), Method: MethodScorer, Scorer: ScorerVillage},
	}}
}

// County100 is a county-style 100-point sheet (村(社区)法律顾问工作考评表) built
// from the published sheets' usual items: monthly visits, the annual plan,
// the public board, the work log, lectures, the improvement report, the
// WeChat group, the inspections' findings, and the village, town office
// and bureau scores.
func County100() Sheet {
	return Sheet{Name: "村(社区)法律顾问工作考评表", Items: []Item{
		{ID: "monthly_visit", Name: "到村服务", Standard: "每月不少于一次到村服务，12分，每少一次扣1分",
			Points: Pt(12), Method: MethodMonthly, Kinds: onsiteKinds, Onsite: true, PerMiss: Pt(1)},
		{ID: "plan", Name: "年度服务计划", Standard: "制定年度服务计划；未制定年度服务计划扣3分",
			Points: Pt(3), Method: MethodDocument, DocKind: counsel.DocPlan, Deduct: Pt(3)},
		{ID: "board", Name: "公示牌", Standard: "设置公示牌并及时更新（180天内）；无公示牌扣5分，未及时更新扣3分",
			Points: Pt(8), Method: MethodBoard, Days: 180, Deduct: Pt(3), DeductMissing: Pt(5)},
		{ID: "work_log", Name: "工作日志", Standard: "工作日志一次一记，全年不少于24次；每少一次扣1分",
			Points: Pt(20), Method: MethodKindCount, MinCount: 24, PerMiss: Pt(1)},
		{ID: "lectures", Name: "法治讲座", Standard: "每年开展法治讲座、普法宣传不少于2次；每少一次扣5分",
			Points: Pt(10), Method: MethodKindCount, Kinds: []string{policy.KindLecture, policy.KindPublicity}, MinCount: 2, PerMiss: Pt(5)},
		{ID: "improvement", Name: "法治提升建议报告", Standard: "每年一份法治提升建议报告；未提交扣5分",
			Points: Pt(5), Method: MethodDocument, DocKind: counsel.DocImprovement, Deduct: Pt(5)},
		{ID: "wechat", Name: "服务微信群", Standard: "建立村(社区)法律服务微信群，二维码有效；未建群扣5分，二维码过期扣2分",
			Points: Pt(5), Method: MethodWeChat, Deduct: Pt(2), DeductMissing: Pt(5)},
		{ID: "village", Name: "村(社区)评价", Standard: "村(社区)两委评分",
			Points: Pt(15), Method: MethodScorer, Scorer: ScorerVillage},
		{ID: "town", Name: "司法所考核", Standard: "司法所日常督导评分",
			Points: Pt(10), Method: MethodScorer, Scorer: ScorerTown},
		{ID: "inspection", Name: "督导检查", Standard: "随机检查、暗访中每发现一个问题扣1分",
			Points: Pt(4), Method: MethodInspection, PerMiss: Pt(1)},
		{ID: "bureau", Name: "县局检查", Standard: "县司法局考核组现场检查台账、听取群众意见后评分",
			Points: Pt(8), Method: MethodScorer, Scorer: ScorerBureau},
	}}
}
