package selection

// Campaign is an annual selection (R42) run by a province, city or county
// bureau, with its rules as settings.
type Campaign struct {
	ID         int64    `json:"id"`
	RegionCode string   `json:"region_code"`
	Year       int      `json:"year"`
	Title      string   `json:"title"`
	Settings   Settings `json:"settings"`
	CreatedBy  string   `json:"created_by"`
	CreatedAt  int64    `json:"created_at"`
	UpdatedAt  int64    `json:"updated_at"`
	RegionName string   `json:"region_name,omitempty"`
}

// Candidate statuses.
const (
	CandidateActive    = "active"
	CandidateWithdrawn = "withdrawn"
)

// Candidate is an advisor in one stage of a campaign.
type Candidate struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	Stage      string `json:"stage"`
	AdvisorID  int64  `json:"advisor_id"`
	CountyCode string `json:"county_code"`
	Category   string `json:"category"` // the vote's category (lawyers, grassroots legal service workers…)
	Profile    string `json:"profile"`  // 事迹简介, about 150 characters
	Status     string `json:"status"`
	CreatedAt  int64  `json:"created_at"`
	// Joined.
	AdvisorName  string `json:"advisor_name"`
	ProviderName string `json:"provider_name"`
	CountyName   string `json:"county_name"`
}

// Ballot is one vote, appended to its campaign stage's hash chain.
type Ballot struct {
	ID          int64  `json:"id"`
	CampaignID  int64  `json:"campaign_id"`
	Stage       string `json:"stage"`
	Seq         int64  `json:"seq"`
	CandidateID int64  `json:"candidate_id"`
	VoterID     int64  `json:"voter_id"`
	Category    string `json:"category"`
	Day         string `json:"day"`
	Slot        int    `json:"slot"`
	IP          string `json:"-"`
	Device      string `json:"-"`
	CastAt      int64  `json:"cast_at"`
	PrevHash    string `json:"prev_hash"`
	Hash        string `json:"hash"`
}

// Published is one day's publication of a stage's vote: the chain head at
// that moment and the counts of the ballots up to it (voided ones left out).
type Published struct {
	CampaignID  int64           `json:"campaign_id"`
	Stage       string          `json:"stage"`
	Day         string          `json:"day"`
	Seq         int64           `json:"seq"`
	Hash        string          `json:"hash"`
	Counts      map[int64]int64 `json:"counts"`
	Voided      int             `json:"voided"`
	PublishedAt int64           `json:"published_at"`
}

// Void is a ballot set aside by the bureau, with its published reason.
type Void struct {
	BallotID int64  `json:"ballot_id"`
	Seq      int64  `json:"seq"`
	Reason   string `json:"reason"`
	VoidedBy string `json:"-"`
	VoidedAt int64  `json:"voided_at"`
}

// Flag is an anomaly found in a day's ballots, for review.
type Flag struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	Stage      string `json:"stage"`
	Day        string `json:"day"`
	Kind       string `json:"kind"`    // see the Flag… constants
	Subject    string `json:"subject"` // the address, subnet, device or voter concerned (masked for display)
	Ballots    int    `json:"ballots"`
	Detail     string `json:"detail"` // ballot ids, comma-separated
	CreatedAt  int64  `json:"created_at"`
}

// Anomaly kinds.
const (
	FlagIPBurst  = "ip_burst"  // many ballots from one address in a short time
	FlagSubnet   = "subnet"    // many ballots from one /24 (IPv4) or /48 (IPv6)
	FlagDevice   = "device"    // many phones voting from one device
	FlagRegular  = "regular"   // a voter's ballots at machine-regular intervals
	FlagCountsIP = "ip_voters" // many voters from one address
)

// FlagKinds lists the anomaly kinds.
var FlagKinds = []string{FlagIPBurst, FlagSubnet, FlagDevice, FlagRegular, FlagCountsIP}

// Voter is a verified phone.
type Voter struct {
	ID     int64
	Phone  string
	Device string
}
