package counsel

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Entry statuses: the village committee confirms or disputes each entry (R15).
const (
	EntryPending   = "pending"
	EntryConfirmed = "confirmed"
	EntryDisputed  = "disputed"
)

// Entry is one service in the ledger (一次一记, R14). Entries are
// append-only: a correction is a new entry whose AmendsID names the entry it
// replaces. Seq and Hash chain each village's volume. The review fields are
// the village's confirmation: each review is sealed by ReviewHash in a second
// chain per village (ReviewSeq orders the village's reviews), so a review
// edited or removed afterwards shows in verification too.
type Entry struct {
	ID          int64  `json:"id"`
	VillageCode string `json:"village_code"`
	Seq         int64  `json:"seq"`
	AdvisorID   int64  `json:"advisor_id"`
	ProviderID  int64  `json:"provider_id"`
	AgreementID int64  `json:"agreement_id"`
	MatterID    int64  `json:"matter_id,omitempty"`
	AmendsID    int64  `json:"amends_id,omitempty"`
	Kind        string `json:"kind"`
	Mode        string `json:"mode"`
	Date        string `json:"date"`       // YYYY-MM-DD
	StartTime   string `json:"start_time"` // HH:MM, optional
	Minutes     int    `json:"minutes"`
	Place       string `json:"place"`
	Served      string `json:"served"` // people served
	Attendees   int    `json:"attendees"`
	Content     string `json:"content"`
	Result      string `json:"result"`
	Photos      string `json:"photos,omitempty"` // "name:sha256" joined by ","
	ClientKey   string `json:"client_key,omitempty"`
	CreatedBy   int64  `json:"created_by"`
	CreatedAt   int64  `json:"created_at"`
	PrevHash    string `json:"prev_hash"`
	Hash        string `json:"hash"`
	Status      string `json:"status"`
	ReviewNote  string `json:"review_note,omitempty"`
	ReviewedBy  int64  `json:"reviewed_by,omitempty"`
	ReviewedAt  int64  `json:"reviewed_at,omitempty"`
	ReviewSeq   int64  `json:"review_seq,omitempty"`  // n-th review in the village; 0 while pending
	ReviewHash  string `json:"review_hash,omitempty"` // seal of the review (see ReviewSeal)

	// Read-only context filled by list queries.
	AdvisorName string `json:"advisor_name,omitempty"`
	VillageName string `json:"village_name,omitempty"`
	AmendedBy   int64  `json:"amended_by,omitempty"`
}

// GenesisHash is the prev_hash of a village's first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ChainHash returns the hash of e given its PrevHash: SHA-256 over the
// chained fields, each length-prefixed so no two entries encode alike.
func (e *Entry) ChainHash() string {
	h := newFieldHash("vc-entry-v1")
	h.put(e.PrevHash)
	h.put(e.VillageCode)
	h.int(e.Seq)
	h.int(e.AdvisorID)
	h.int(e.ProviderID)
	h.int(e.AgreementID)
	h.int(e.MatterID)
	h.int(e.AmendsID)
	h.put(e.Kind)
	h.put(e.Mode)
	h.put(e.Date)
	h.put(e.StartTime)
	h.int(int64(e.Minutes))
	h.put(e.Place)
	h.put(e.Served)
	h.int(int64(e.Attendees))
	h.put(e.Content)
	h.put(e.Result)
	h.put(e.Photos)
	h.int(e.CreatedBy)
	h.int(e.CreatedAt)
	return h.sum()
}

// fieldHash is SHA-256 over length-prefixed fields ("len:value;"), so no
// two lists of fields encode alike; the first field names the format.
type fieldHash struct{ h hash.Hash }

func newFieldHash(format string) fieldHash {
	f := fieldHash{sha256.New()}
	f.put(format)
	return f
}

func (f fieldHash) put(s string) {
	f.h.Write([]byte(strconv.Itoa(len(s))))
	f.h.Write([]byte{':'})
	f.h.Write([]byte(s))
	f.h.Write([]byte{';'})
}

func (f fieldHash) int(n int64) { f.put(strconv.FormatInt(n, 10)) }

func (f fieldHash) sum() string { return hex.EncodeToString(f.h.Sum(nil)) }

// ReviewSeal returns the seal of e's review given the hash of the village's
// previous review (GenesisHash for the first): SHA-256 over that hash, the
// entry's place and hash in the chain, and the review's fields.
func (e *Entry) ReviewSeal(prev string) string {
	h := newFieldHash("vc-review-v1")
	h.put(prev)
	h.put(e.VillageCode)
	h.int(e.ReviewSeq)
	h.int(e.Seq)
	h.put(e.Hash)
	h.put(e.Status)
	h.put(e.ReviewNote)
	h.int(e.ReviewedBy)
	h.int(e.ReviewedAt)
	return h.sum()
}

// SealReview makes e's review the one after (seq, prev), the village's last
// review (seq 0 for none): it sets ReviewSeq and ReviewHash.
func (e *Entry) SealReview(seq int64, prev string) {
	if seq == 0 {
		prev = GenesisHash
	}
	e.ReviewSeq = seq + 1
	e.ReviewHash = e.ReviewSeal(prev)
}

// Month returns the entry's month "YYYY-MM".
func (e *Entry) Month() string {
	if len(e.Date) < 7 {
		return ""
	}
	return e.Date[:7]
}

// Limits of an entry's fields.
const (
	MaxEntryMinutes = 24 * 60
	MaxEntryText    = 4000
	MaxEntryShort   = 200
	MaxEntryPhotos  = 6
)

// Normalize trims user input in place.
func (e *Entry) Normalize() {
	for _, p := range []*string{&e.Kind, &e.Mode, &e.Date, &e.StartTime, &e.Place, &e.Served, &e.Content, &e.Result, &e.VillageCode, &e.ClientKey} {
		*p = strings.TrimSpace(*p)
	}
}

// Validate checks the fields a user types; kindOK and modeOK say which kinds
// and modes are allowed (the county may extend kinds). today bounds the date.
func (e *Entry) Validate(kindOK, modeOK func(string) bool, today string) error {
	var fs []FieldError
	add := func(field, key string, args ...any) { fs = append(fs, FieldError{Field: field, Key: key, Args: args}) }
	if !ValidCode(e.VillageCode) || LevelOf(e.VillageCode) != LevelVillage {
		add("village_code", "err.required")
	}
	if !kindOK(e.Kind) {
		add("kind", "ledger.err_kind")
	}
	if !modeOK(e.Mode) {
		add("mode", "ledger.err_mode")
	}
	switch {
	case !ValidDate(e.Date):
		add("date", "err.date")
	case today != "" && e.Date > today:
		add("date", "ledger.err_future")
	}
	if e.StartTime != "" {
		if _, err := time.Parse("15:04", e.StartTime); err != nil {
			add("start_time", "ledger.err_time")
		}
	}
	if e.Minutes < 1 || e.Minutes > MaxEntryMinutes {
		add("minutes", "ledger.err_minutes", MaxEntryMinutes/60)
	}
	if e.Content == "" {
		add("content", "err.required")
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"content", e.Content, MaxEntryText}, {"result", e.Result, MaxEntryText}, {"place", e.Place, MaxEntryShort}, {"served", e.Served, MaxEntryShort * 2}, {"client_key", e.ClientKey, 64}} {
		if utf8.RuneCountInString(f.v) > f.max {
			add(f.field, "err.too_long", f.max)
		}
	}
	if e.Attendees < 0 || e.Attendees > 100000 {
		add("attendees", "ledger.err_attendees")
	}
	if len(fs) > 0 {
		return Invalid(fs...)
	}
	return nil
}

// Matter statuses (一案一档).
const (
	MatterOpen   = "open"
	MatterClosed = "closed"
)

// Matter is a legal matter's file: it groups the entries about one case.
type Matter struct {
	ID          int64  `json:"id"`
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id"`
	Title       string `json:"title"`
	Category    string `json:"category"` // a service kind, e.g. mediation
	Parties     string `json:"parties"`
	Summary     string `json:"summary"`
	Status      string `json:"status"`
	Outcome     string `json:"outcome"`
	OpenedOn    string `json:"opened_on"`
	ClosedOn    string `json:"closed_on,omitempty"`
	CreatedAt   int64  `json:"created_at"`
	UpdatedAt   int64  `json:"updated_at"`

	VillageName string `json:"village_name,omitempty"`
	AdvisorName string `json:"advisor_name,omitempty"`
	Entries     int    `json:"entries"`
}

// Document kinds of a volume.
const (
	DocPlan        = "plan"        // 年度服务计划 (R17)
	DocImprovement = "improvement" // 村(社区)法治提升建议报告 (R28)
)

// Document is a yearly document filed in a village's volume.
type Document struct {
	ID          int64  `json:"id"`
	Kind        string `json:"kind"`
	VillageCode string `json:"village_code"`
	AdvisorID   int64  `json:"advisor_id"`
	Year        int    `json:"year"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	CreatedBy   int64  `json:"created_by"`
	CreatedAt   int64  `json:"created_at"`
	UpdatedAt   int64  `json:"updated_at"`

	AdvisorName string `json:"advisor_name,omitempty"`
}
