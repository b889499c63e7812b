package pairing

import (
	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/xlsx"
)

// Detail is a pairing with what the 附件1 table, the archive card and the
// pairing list show besides the pairing itself: the town, the advisor's
// provider and phone, the person's position and phone, and both photos.
type Detail struct {
	counsel.Pairing
	TownCode     string `json:"town_code"`
	TownName     string `json:"town_name"`
	ProviderName string `json:"provider_name"`
	AdvisorPhone string `json:"advisor_phone"`
	AdvisorPhoto string `json:"-"`
	Position     string `json:"position"`
	PersonPhone  string `json:"person_phone"`
	PersonPhoto  string `json:"-"`
}

// PairingDetail is a pairing with its activity records (the API's answer
// for one pairing).
type PairingDetail struct {
	Pairing    *counsel.Pairing   `json:"pairing"`
	Activities []counsel.Activity `json:"activities"`
}

// VillageGroup is a town with its villages, for a village picker.
type VillageGroup struct {
	Town     counsel.Region
	Villages []counsel.Region
}

// CardFilter chooses archive cards: one pairing by ID, or the current
// pairings of a region in the actor's scope ("" = all the actor sees), at
// most Limit of them (0 = all).
type CardFilter struct {
	PairingID int64
	Region    string
	Limit     int
}

// Card is one pairing contact archive card (附件2): the xlsx card and what a
// printable page shows besides.
type Card struct {
	xlsx.ArchiveCard
	PairingID   int64
	VillageCode string
	TownName    string
	PairedOn    string
	EndedOn     string
	Records     []counsel.Activity // the activity records, for labels in the reader's language
}
