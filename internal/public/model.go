package public

import (
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/policy"
)

// GroupQRLife is how long an uploaded WeChat group QR image is good for
// (WeChat group QR codes expire after 7 days).
const GroupQRLife = 7 * 24 * time.Hour

// GroupSuffix ends every service WeChat group's name (seed 002 五.7).
const GroupSuffix = "结对律师服务微信群"

// BoardDuties are the service content a board lists (seed 002 四): the
// kinds of service a resident can ask the advisor for.
var BoardDuties = []string{policy.KindConsultation, policy.KindMediation, policy.KindAffairsReview,
	policy.KindContractReview, policy.KindPublicity, policy.KindLegalAid}

// Board is what a village's public board shows.
type Board struct {
	Village     counsel.Region `json:"village"`
	TownCode    string         `json:"town_code"`
	TownName    string         `json:"town_name"`
	CountyName  string         `json:"county_name"`
	Advisor     *BoardAdvisor  `json:"advisor"` // nil when no live agreement covers the village
	TermStart   string         `json:"term_start,omitempty"`
	TermEnd     string         `json:"term_end,omitempty"`
	Duties      []BoardDuty    `json:"duties"`
	OnsiteHours string         `json:"onsite_hours"`
	Office      BoardOffice    `json:"office"`
	Group       *BoardGroup    `json:"group"` // nil when no group is registered
	UpdatedAt   int64          `json:"updated_at"`
	UpdatedOn   string         `json:"updated_on"` // the China date of UpdatedAt
}

// BoardAdvisor is the advisor as the board shows them.
type BoardAdvisor struct {
	Name         string `json:"name"`
	Kind         string `json:"kind"`
	ProviderName string `json:"provider_name"`
	Phone        string `json:"work_phone"`
	WeChat       string `json:"wechat"`
	HasPhoto     bool   `json:"has_photo"`
}

// BoardDuty is one line of service content.
type BoardDuty struct {
	Kind string `json:"kind"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// BoardOffice is the supervising judicial office.
type BoardOffice struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// BoardGroup is the service WeChat group as the board shows it.
type BoardGroup struct {
	Name        string `json:"name"`
	AdminName   string `json:"admin_name"`
	QRValid     bool   `json:"qr_valid"`      // false: "ask the village committee"
	QRExpiresAt int64  `json:"qr_expires_at"` // unix ms, 0 when there is no image
}

// VillageBoard is the staff view of a village's board and group register.
type VillageBoard struct {
	Board         *Board       `json:"board"`
	Group         *WeChatGroup `json:"group"` // nil when none is registered
	SuggestedName string       `json:"suggested_name"`
	NameProblem   string       `json:"name_problem,omitempty"` // why the name breaks the rule, in the reader's language (set by callers)
	NameKey       string       `json:"-"`
	NameArgs      []any        `json:"-"`
	MissingRoles  []string     `json:"missing_roles"` // member roles with nobody in the group
	AdminStale    bool         `json:"admin_stale"`   // the group's admin is not the village's advisor now
	QRValid       bool         `json:"qr_valid"`
	QRExpiresAt   int64        `json:"qr_expires_at"`
	AdvisorID     int64        `json:"advisor_id"` // of the live agreement, 0 when none
	AdvisorName   string       `json:"advisor_name"`
	CanHours      bool         `json:"can_edit_hours"`
	CanGroup      bool         `json:"can_edit_group"`
	CanOffice     bool         `json:"can_edit_office"`
}

// BoardSettings are what a village's public board (公示栏, R31) keeps of its
// own; everything else on a board comes from the registry.
type BoardSettings struct {
	VillageCode string `json:"village_code"`
	OnsiteHours string `json:"onsite_hours"` // 驻点时间, e.g. 每周三上午
	UpdatedAt   int64  `json:"updated_at"`
}

// Office is a town's judicial office (司法所) as its villages' boards show
// it: the supervising department and its public phone.
type Office struct {
	TownCode  string `json:"town_code"`
	Name      string `json:"name"`
	Phone     string `json:"phone"`
	Address   string `json:"address"`
	UpdatedAt int64  `json:"updated_at"`
}

// GroupMembers counts a service WeChat group's members by role (R34).
type GroupMembers struct {
	Advisor        int `json:"advisor"`        // 结对律师 (法律顾问)
	Assistant      int `json:"assistant"`      // 律师助理
	Committee      int `json:"committee"`      // 村(居)两委成员
	Mediation      int `json:"mediation"`      // 调委会成员
	Party          int `json:"party"`          // 党员
	Representative int `json:"representative"` // 村(居)民代表
	Judicial       int `json:"judicial"`       // 司法所工作人员
}

// Total is the number of members counted.
func (m GroupMembers) Total() int {
	return m.Advisor + m.Assistant + m.Committee + m.Mediation + m.Party + m.Representative + m.Judicial
}

// MemberRoles lists the member roles of a service group in display order.
var MemberRoles = []string{"advisor", "assistant", "committee", "mediation", "party", "representative", "judicial"}

// MemberCount returns the count of a role.
func MemberCount(m GroupMembers, role string) int {
	switch role {
	case "advisor":
		return m.Advisor
	case "assistant":
		return m.Assistant
	case "committee":
		return m.Committee
	case "mediation":
		return m.Mediation
	case "party":
		return m.Party
	case "representative":
		return m.Representative
	case "judicial":
		return m.Judicial
	}
	return 0
}

// SetMemberCount sets the count of a role.
func SetMemberCount(m *GroupMembers, role string, n int) {
	switch role {
	case "advisor":
		m.Advisor = n
	case "assistant":
		m.Assistant = n
	case "committee":
		m.Committee = n
	case "mediation":
		m.Mediation = n
	case "party":
		m.Party = n
	case "representative":
		m.Representative = n
	case "judicial":
		m.Judicial = n
	}
}

// WeChatGroup is a village's service WeChat group (村(居)结对律师服务微信群).
type WeChatGroup struct {
	VillageCode    string       `json:"village_code"`
	Name           string       `json:"name"`
	AdminAdvisorID int64        `json:"admin_advisor_id"`
	AdminNickname  string       `json:"admin_nickname"` // the group owner's WeChat name (real name)
	Members        GroupMembers `json:"members"`
	QRFile         string       `json:"-"`
	QRUploadedAt   int64        `json:"qr_uploaded_at"`
	CreatedAt      int64        `json:"created_at"`
	UpdatedAt      int64        `json:"updated_at"`

	// Read-only, filled by queries.
	AdminName string `json:"admin_name,omitempty"`
}

// RegisterRow is one village of the board and group register.
type RegisterRow struct {
	Village     counsel.Region `json:"village"`
	TownName    string         `json:"town_name"`
	OnsiteHours string         `json:"onsite_hours"`
	AdvisorID   int64          `json:"advisor_id"` // of the live agreement, 0 when none
	AdvisorName string         `json:"advisor_name"`
	Group       *WeChatGroup   `json:"group"`
}

// VillageHit is a village found by the public search, with the names of its
// town and county.
type VillageHit struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	TownName   string `json:"town_name"`
	CountyName string `json:"county_name"`
}

// qrDue is a village served under a live agreement whose service WeChat
// group has no QR image in force: no group, no image, or an expired one.
type qrDue struct {
	VillageCode  string
	VillageName  string
	AdvisorID    int64 // the advisor of the live agreement
	HasGroup     bool
	QRUploadedAt int64 // 0 when there never was an image
}

// regionPinyin is the pinyin of a village's name for the search: variants
// (for characters with more than one reading) separated by spaces.
type regionPinyin struct {
	Code     string
	Name     string
	Full     string
	Initials string
}
