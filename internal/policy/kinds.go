// Package policy is the compliance engine (R21, R22): quotas set by each
// jurisdiction as data (rules), inherited down the region tree, evaluated
// against ledger entries into met / due / missed statuses with reasons in
// words.
//
// The package is pure logic: no database, no clock. Callers pass every date
// as "YYYY-MM-DD" (China local date), including "today".
package policy

// Service kinds of a ledger entry (R14). The strings are stored in the
// database and used in rules; never rename them.
const (
	KindOnsiteDuty     = "onsite_duty"     // 驻点值班
	KindDoorVisit      = "door_visit"      // 入户走访
	KindAffairsReview  = "affairs_review"  // 村务法律审查
	KindLecture        = "lecture"         // 法治讲座
	KindConsultation   = "consultation"    // 法律咨询
	KindMediation      = "mediation"       // 纠纷调解
	KindLegalAid       = "legal_aid"       // 法律援助
	KindDrafting       = "drafting"        // 文书起草
	KindContractReview = "contract_review" // 合同审查
	KindMeeting        = "meeting"         // 列席会议
	KindPublicity      = "publicity"       // 普法宣传
	KindTraining       = "training"        // 法律培训
	KindReport         = "report"          // 报告
	KindOther          = "other"           // 其他
)

// Service modes of a ledger entry (R14).
const (
	ModeOnsite = "onsite" // 现场
	ModePhone  = "phone"  // 电话
	ModeWeChat = "wechat" // 微信
	ModeQQ     = "qq"     // QQ
	ModeEmail  = "email"  // 电子邮件
	ModeVideo  = "video"  // 视频
	ModeFax    = "fax"    // 传真
	ModeOnline = "online" // 网络
)

// Label is a display name in Chinese and English.
type Label struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// Kinds lists every service kind in display order.
var Kinds = []string{
	KindOnsiteDuty, KindDoorVisit, KindAffairsReview, KindLecture,
	KindConsultation, KindMediation, KindLegalAid, KindDrafting,
	KindContractReview, KindMeeting, KindPublicity, KindTraining,
	KindReport, KindOther,
}

// Modes lists every service mode in display order.
var Modes = []string{ModeOnsite, ModePhone, ModeWeChat, ModeQQ, ModeEmail, ModeVideo, ModeFax, ModeOnline}

// KindLabels holds the display names of the service kinds.
var KindLabels = map[string]Label{
	KindOnsiteDuty:     {"驻点值班", "On-site duty"},
	KindDoorVisit:      {"入户走访", "Door visit"},
	KindAffairsReview:  {"村务法律审查", "Village-affairs legal review"},
	KindLecture:        {"法治讲座", "Law lecture"},
	KindConsultation:   {"法律咨询", "Consultation"},
	KindMediation:      {"纠纷调解", "Mediation"},
	KindLegalAid:       {"法律援助", "Legal aid"},
	KindDrafting:       {"文书起草", "Document drafting"},
	KindContractReview: {"合同审查", "Contract review"},
	KindMeeting:        {"列席会议", "Meeting attendance"},
	KindPublicity:      {"普法宣传", "Publicity"},
	KindTraining:       {"法律培训", "Training"},
	KindReport:         {"报告", "Report"},
	KindOther:          {"其他", "Other"},
}

// ModeLabels holds the display names of the service modes.
var ModeLabels = map[string]Label{
	ModeOnsite: {"现场", "On site"},
	ModePhone:  {"电话", "Phone"},
	ModeWeChat: {"微信", "WeChat"},
	ModeQQ:     {"QQ", "QQ"},
	ModeEmail:  {"电子邮件", "Email"},
	ModeVideo:  {"视频", "Video"},
	ModeFax:    {"传真", "Fax"},
	ModeOnline: {"网络", "Online"},
}

// ValidKind reports whether k is a known service kind.
func ValidKind(k string) bool { _, ok := KindLabels[k]; return ok }

// ValidMode reports whether m is a known service mode.
func ValidMode(m string) bool { _, ok := ModeLabels[m]; return ok }

// KindLabel returns the display name of kind in lang ("zh" or "en"; anything
// else means zh), or the kind itself when unknown.
func KindLabel(kind, lang string) string { return pick(KindLabels, kind, lang) }

// ModeLabel returns the display name of mode in lang, or the mode itself.
func ModeLabel(mode, lang string) string { return pick(ModeLabels, mode, lang) }

func pick(m map[string]Label, k, lang string) string {
	l, ok := m[k]
	if !ok {
		return k
	}
	if lang == "en" {
		return l.EN
	}
	return l.ZH
}
