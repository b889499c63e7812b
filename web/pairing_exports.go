package web

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/service"
)

// maxCards bounds the archive cards one page or workbook holds (one sheet
// per card); a bigger region must be narrowed to a town or village.
const maxCards = 300

// pairingAttachment1 downloads the pairing statistics table (附件1) of a
// region in its official layout.
func (h *Web) pairingAttachment1(w http.ResponseWriter, r *http.Request) {
	a := ActorOf(r)
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	rows, err := h.svc.Attachment1Rows(r.Context(), a, region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	title, err := h.svc.Attachment1Title(r.Context(), a, region)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ascii := "attachment1.xlsx"
	if region != "" {
		ascii = "attachment1-" + region + ".xlsx"
	}
	h.SendXLSX(w, r, title+".xlsx", ascii, func(w io.Writer) error { return xlsx.WriteAttachment1(w, title, rows) })
}

// pnCardFilter reads ?id= (one pairing) or ?region= (the current pairings of
// a region) and returns the filter and the region code the title is named
// after.
func (h *Web) pnCardFilter(r *http.Request) (service.CardFilter, string, error) {
	q := r.URL.Query()
	f := service.CardFilter{Region: strings.TrimSpace(q.Get("region")), Limit: maxCards}
	if s := q.Get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, "", counsel.Errorf(counsel.CodeNotFound, "err.not_found")
		}
		f.PairingID, f.Region = id, ""
	}
	code := f.Region
	if code == "" && f.PairingID == 0 {
		home, err := h.svc.HomeRegion(r.Context(), ActorOf(r))
		if err != nil {
			return f, "", err
		}
		code = home
	}
	return f, code, nil
}

// pairingCardsXLSX downloads archive cards (附件2), one sheet per card.
func (h *Web) pairingCardsXLSX(w http.ResponseWriter, r *http.Request) {
	f, code, err := h.pnCardFilter(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	cards, total, err := h.svc.Cards(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if total > len(cards) {
		h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "card.too_many", total, maxCards))
		return
	}
	if f.PairingID > 0 && len(cards) == 1 {
		code = cards[0].VillageCode
	}
	title := h.svc.CardTitle(r.Context(), code)
	xc := make([]xlsx.ArchiveCard, len(cards))
	for i := range cards {
		xc[i] = cards[i].ArchiveCard
	}
	name, ascii := title, "cards"
	switch {
	case f.PairingID > 0 && len(cards) == 1:
		name = title + "（" + cards[0].AdvisorName + "-" + cards[0].PersonName + "）"
		ascii = "card-" + strconv.FormatInt(f.PairingID, 10)
	case f.Region != "":
		if n, err := h.svc.ExportRegionName(r.Context(), ActorOf(r), f.Region); err == nil && n != "" {
			name = title + "（" + n + "）"
		}
		ascii = "cards-" + f.Region
	}
	h.SendXLSX(w, r, name+".xlsx", ascii+".xlsx", func(w io.Writer) error { return xlsx.WriteArchiveCards(w, title, xc) })
}

// cardView is one printable archive card.
type cardView struct {
	service.Card
	AdvisorPhotoURL template.URL
	PersonPhotoURL  template.URL
	Evaluation      string
}

type cardsView struct {
	Title     string
	Cards     []cardView
	Total     int
	Truncated bool
	Back      string
	XLSX      string
	Footer    string
}

func (h *Web) cardsPage(w http.ResponseWriter, r *http.Request, f service.CardFilter, code string) {
	cards, total, err := h.svc.Cards(r.Context(), ActorOf(r), f)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	if f.PairingID > 0 && len(cards) == 1 {
		code = cards[0].VillageCode
	}
	cv := cardsView{Title: h.svc.CardTitle(r.Context(), code), Total: total, Truncated: total > len(cards), Footer: xlsx.CardFooter}
	for _, c := range cards {
		cv.Cards = append(cv.Cards, cardView{Card: c, AdvisorPhotoURL: pnPhotoURL(c.AdvisorPhoto), PersonPhotoURL: pnPhotoURL(c.PersonPhoto),
			Evaluation: strings.Join(c.Evaluations, "\n")})
	}
	if f.PairingID > 0 {
		cv.Back = "/pairings/" + strconv.FormatInt(f.PairingID, 10)
		cv.XLSX = "/pairings/cards.xlsx?id=" + strconv.FormatInt(f.PairingID, 10)
	} else {
		cv.Back = "/pairings?region=" + f.Region
		cv.XLSX = "/pairings/cards.xlsx?region=" + f.Region
	}
	v := h.View(r, "pairings", "card.title", cv)
	v.Title = cv.Title
	h.Render(w, r, http.StatusOK, "card", v)
}

// pairingCard is the printable archive card of one pairing.
func (h *Web) pairingCard(w http.ResponseWriter, r *http.Request) {
	id, err := PathID(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.cardsPage(w, r, service.CardFilter{PairingID: id}, "")
}

// pairingCards is the printable page of every card of a village (or of a
// town, up to maxCards).
func (h *Web) pairingCards(w http.ResponseWriter, r *http.Request) {
	f, code, err := h.pnCardFilter(r)
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	h.cardsPage(w, r, f, code)
}
