package counsel

import "strings"

// Statuses of a legal-literate person (R9, seed 000).
const (
	PersonActive    = "active"
	PersonDismissed = "dismissed" // 辞退: job change, health
	PersonRemoved   = "removed"   // 清退: violation, failed evaluation
)

// DutyKinds are the six duties of a legal-literate person (seed 002, R13),
// recorded as activity kinds on a pairing.
var DutyKinds = []string{"explainer", "mediator", "messenger", "organizer", "supervisor", "guide"}

// Person is a legal-literate person (法律明白人) of a village.
type Person struct {
	ID          int64  `json:"id"`
	VillageCode string `json:"village_code"`
	Name        string `json:"name"`
	Gender      string `json:"gender,omitempty"`
	Position    string `json:"position"`  // 职务, as written: 村支书, 村委委员, 网格员…
	Committee   bool   `json:"committee"` // a 两委 member
	Phone       string `json:"phone"`
	Photo       string `json:"photo,omitempty"`
	Training    string `json:"training,omitempty"`
	Status      string `json:"status"`
	StatusOn    string `json:"status_on,omitempty"`
	Reason      string `json:"reason,omitempty"`
	CreatedAt   int64  `json:"created_at"`
	UpdatedAt   int64  `json:"updated_at"`

	VillageName string `json:"village_name,omitempty"`
}

// Normalize trims user input in place.
func (p *Person) Normalize() {
	p.Name = strings.Join(strings.Fields(p.Name), "")
	p.Position = strings.TrimSpace(p.Position)
	p.Phone = NormalizePhone(p.Phone)
	p.Reason = strings.TrimSpace(p.Reason)
	if p.Status == "" {
		p.Status = PersonActive
	}
}

// Validate checks the person's fields.
func (p *Person) Validate() error {
	var f Fields
	if LevelOf(p.VillageCode) != LevelVillage {
		f.Add("village_code", "err.need_village")
	}
	checkName(&f, "name", p.Name, 30)
	if len([]rune(p.Position)) > 30 {
		f.Add("position", "err.too_long", 30)
	}
	if !ValidPhone(p.Phone) {
		f.Add("phone", "err.phone")
	}
	if p.Gender != "" && p.Gender != "m" && p.Gender != "f" {
		f.Add("gender", "err.choice")
	}
	switch p.Status {
	case PersonActive:
	case PersonDismissed, PersonRemoved:
		if !ValidDate(p.StatusOn) {
			f.Add("status_on", "err.date")
		}
		if p.Reason == "" {
			f.Add("reason", "err.required")
		}
	default:
		f.Add("status", "err.choice")
	}
	return f.Err()
}

// CommitteePosition guesses from a written position whether the holder sits on
// the village's two committees (村两委): secretaries, directors and members of
// the Party branch or the villagers'/residents' committee.
func CommitteePosition(pos string) bool {
	for _, k := range []string{"书记", "主任", "委员", "两委", "支委", "村委", "居委"} {
		if strings.Contains(pos, k) {
			return true
		}
	}
	return false
}

// Pairing pairs a village's advisor with a legal-literate person (1+N, R10).
type Pairing struct {
	ID          int64  `json:"id"`
	AdvisorID   int64  `json:"advisor_id"`
	PersonID    int64  `json:"person_id"`
	VillageCode string `json:"village_code"`
	PairedOn    string `json:"paired_on"`
	EndedOn     string `json:"ended_on,omitempty"`
	Evaluation  string `json:"evaluation,omitempty"` // 考评情况记录
	Remarks     string `json:"remarks,omitempty"`
	CreatedAt   int64  `json:"created_at"`

	AdvisorName  string `json:"advisor_name,omitempty"`
	PersonName   string `json:"person_name,omitempty"`
	VillageName  string `json:"village_name,omitempty"`
	Committee    bool   `json:"committee"`
	PersonStatus string `json:"person_status,omitempty"`
}

// Activity is one recorded activity of a pairing (活动情况记录), of one of the
// six duty kinds.
type Activity struct {
	ID        int64  `json:"id"`
	PairingID int64  `json:"pairing_id"`
	Kind      string `json:"kind"`
	Date      string `json:"date"`
	Note      string `json:"note"`
	CreatedAt int64  `json:"created_at"`
}

// Validate checks an activity.
func (a *Activity) Validate() error {
	var f Fields
	if !oneOf(a.Kind, DutyKinds) {
		f.Add("kind", "err.choice")
	}
	if !ValidDate(a.Date) {
		f.Add("date", "err.date")
	}
	checkName(&f, "note", a.Note, 500)
	return f.Err()
}

// PairingRule is the 1+N rule of a village: the advisor paired with at least
// Min active legal-literate persons who are 两委 members, by Deadline.
type PairingRule struct {
	VillageCode string `json:"village_code"`
	VillageName string `json:"village_name"`
	TownName    string `json:"town_name"`
	AdvisorName string `json:"advisor_name,omitempty"`
	Committee   int    `json:"committee_paired"`
	Total       int    `json:"total_paired"`
	Min         int    `json:"min"`
	Deadline    string `json:"deadline"`
	Met         bool   `json:"met"`
	Overdue     bool   `json:"overdue"` // not met and the deadline has passed
}
