package policy

// HalfDayMinutes is "半天" (half a working day) as used by the seeds: 4 hours.
const HalfDayMinutes = 240

// onsiteServiceKinds are the kinds counted as "到村(居)服务" (service at the
// village) when done on site: every kind of service to the village except
// writing reports and "other", which need not happen at the village.
var onsiteServiceKinds = []string{
	KindOnsiteDuty, KindDoorVisit, KindAffairsReview, KindLecture,
	KindConsultation, KindMediation, KindLegalAid, KindDrafting,
	KindContractReview, KindMeeting, KindPublicity, KindTraining,
}

// Zhengning reproduces 正宁县司法局《关于进一步深化“一村(居)一法律顾问”工作的通知》
// (2024, seed 001):
//   - "每个季度到村(居)服务时间累计不少于8小时": on-site entries of any village
//     service kind (onsiteServiceKinds) total ≥ 480 minutes a quarter;
//   - "每年开展法律知识讲座、参与普法宣传活动不少于2次": ≥ 2 lecture or
//     publicity entries a year, any mode (the notice does not require them to
//     be on site; a county wanting that overrides the rule with Modes onsite).
func Zhengning() Policy {
	return Policy{Name: "正宁县村(居)法律顾问工作要求", Rules: []Rule{
		{ID: "onsite_hours_quarter", Name: "到村服务", NameEN: "On-site service", Kinds: onsiteServiceKinds,
			Modes: []string{ModeOnsite}, Period: PeriodQuarter, MinTotalMinutes: 8 * 60,
			Source: "正宁县司法局 2024：每个季度到村(居)服务时间累计不少于8小时"},
		{ID: "lecture_publicity_year", Name: "法治讲座/普法宣传", NameEN: "Lectures and publicity events",
			Kinds: []string{KindLecture, KindPublicity}, Period: PeriodYear, MinCount: 2,
			Source: "正宁县司法局 2024：每年开展法律知识讲座、参与普法宣传活动不少于2次"},
	}}
}

// PairingPlan reproduces《律师与村(居)结对共建的实施方案》(seed 002):
//   - "每年到村(居)坐班开展法律咨询不少于12次，每次时间不少于半天": ≥ 12 on-site
//     duty or consultation entries a year, each ≥ HalfDayMinutes (240 min);
//     shorter sittings do not count at all;
//   - "每年开展现场法制宣传不少于2次": ≥ 2 on-site publicity or lecture entries
//     a year.
func PairingPlan() Policy {
	return Policy{Name: "律师与村(居)结对共建", Rules: []Rule{
		{ID: "onsite_sessions_year", Name: "到村坐班", NameEN: "On-site sessions",
			Kinds: []string{KindOnsiteDuty, KindConsultation}, Modes: []string{ModeOnsite},
			Period: PeriodYear, MinCount: 12, MinEntryMinutes: HalfDayMinutes,
			Source: "结对共建方案：每年到村(居)坐班开展法律咨询不少于12次，每次时间不少于半天"},
		{ID: "publicity_year", Name: "现场法制宣传", NameEN: "On-site publicity events",
			Kinds: []string{KindPublicity, KindLecture}, Modes: []string{ModeOnsite},
			Period: PeriodYear, MinCount: 2,
			Source: "结对共建方案：每年开展现场法制宣传不少于2次"},
	}}
}

// Ningbo reproduces the "六个一" of 宁波市司法局、财政局《关于实施法律服务进村为民
// 工程的若干意见》(2018, seed 003):
//   - 每周一次公共法律服务站点值班, "每周至少半天": per week ≥ 1 on-site duty
//     entry and ≥ 240 minutes of on-site duty in total (two 2-hour sittings
//     count as half a day); not for remote mountain villages ("除了少数偏远
//     山区农村以外");
//   - remote villages: "减少进村驻点现场服务频率" gives no number; we read
//     "fewer" as at least one on-site duty a month (rule duty_month_remote), a
//     quarter of the normal frequency; a city or county overrides it by ID;
//   - 每月一次上门群众走访: ≥ 1 on-site door visit a month;
//   - 每季度一次村务法律审查: ≥ 1 affairs review a quarter, any mode (a review
//     may be sent by email);
//   - 每半年一次法治大讲堂(讲座) and "每年…现场法治讲座的次数不得少于2次(少数偏远
//     山区农村现场讲座可以1次)": ≥ 1 on-site lecture each half-year for other
//     villages, ≥ 1 on-site lecture a year for remote ones; online lectures do
//     not count;
//   - 每年一份法治提升建议报告: ≥ 1 report entry a year, any mode;
//   - 每个村一卷工作档案 is structural (the village volume, R15), not a
//     periodic count, and has no rule here.
func Ningbo() Policy {
	onsite := []string{ModeOnsite}
	return Policy{Name: "宁波市村(社区)法律顾问“六个一”", Rules: []Rule{
		{ID: "duty_week", Name: "驻点值班", NameEN: "On-site duty", Kinds: []string{KindOnsiteDuty}, Modes: onsite,
			Period: PeriodWeek, MinCount: 1, MinTotalMinutes: HalfDayMinutes, Applies: AppliesNotRemote,
			Source: "六个一：每周一次公共法律服务站点值班，每周至少半天"},
		{ID: "duty_month_remote", Name: "驻点值班", NameEN: "On-site duty", Kinds: []string{KindOnsiteDuty}, Modes: onsite,
			Period: PeriodMonth, MinCount: 1, Applies: AppliesRemote,
			Source: "偏远山村减少进村驻点现场服务频率（按每月一次理解）"},
		{ID: "door_visit_month", Name: "入户走访", NameEN: "Door visits", Kinds: []string{KindDoorVisit}, Modes: onsite,
			Period: PeriodMonth, MinCount: 1, Source: "六个一：每月一次上门群众走访"},
		{ID: "affairs_review_quarter", Name: "村务法律审查", NameEN: "Village-affairs legal reviews", Kinds: []string{KindAffairsReview},
			Period: PeriodQuarter, MinCount: 1, Source: "六个一：每季度一次村务法律审查"},
		{ID: "lecture_half", Name: "现场法治讲座", NameEN: "On-site law lectures", Kinds: []string{KindLecture}, Modes: onsite,
			Period: PeriodHalf, MinCount: 1, Applies: AppliesNotRemote,
			Source: "六个一：每半年一次法治大讲堂（讲座）；每年现场讲座不少于2次"},
		{ID: "lecture_year_remote", Name: "现场法治讲座", NameEN: "On-site law lectures", Kinds: []string{KindLecture}, Modes: onsite,
			Period: PeriodYear, MinCount: 1, Applies: AppliesRemote,
			Source: "少数偏远山区农村现场讲座可以1次"},
		{ID: "report_year", Name: "法治提升建议报告", NameEN: "Improvement report", Kinds: []string{KindReport},
			Period: PeriodYear, MinCount: 1, Source: "六个一：每年一份村(社区)法治提升建议报告"},
	}}
}
