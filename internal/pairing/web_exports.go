package pairing

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/web"
)

// maxCards bounds the archive cards one page or workbook holds (one sheet
// per card); a bigger region must be narrowed to a town or village.
const maxCards = 300

// pairingAttachment1 downloads the pairing statistics table (附件1) of a
// region in its official layout.
func (pg *pages) pairingAttachment1(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	rows, err := pg.svc.Attachment1Rows(r.Context(), a, region)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	title, err := pg.svc.Svc.Attachment1Title(r.Context(), a, region)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	ascii := "attachment1.xlsx"
	if region != "" {
		ascii = "attachment1-" + region + ".xlsx"
	}
	pg.h.SendXLSX(w, r, title+".xlsx", ascii, func(w io.Writer) error { return xlsx.WriteAttachment1(w, title, rows) })
}

// pnCardFilter reads ?id= (one pairing) or ?region= (the current pairings of
// a region) and returns the filter and the region code the title is named
// after.
func (pg *pages) pnCardFilter(r *http.Request) (CardFilter, string, error) {
	q := r.URL.Query()
	f := CardFilter{Region: strings.TrimSpace(q.Get("region")), Limit: maxCards}
	if s := q.Get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return f, "", counsel.Errorf(counsel.CodeNotFound, "err.not_found")
		}
		f.PairingID, f.Region = id, ""
	}
	code := f.Region
	if code == "" && f.PairingID == 0 {
		home, err := pg.svc.Svc.HomeRegion(r.Context(), web.ActorOf(r))
		if err != nil {
			return f, "", err
		}
		code = home
	}
	return f, code, nil
}

// pairingCardsXLSX downloads archive cards (附件2), one sheet per card.
func (pg *pages) pairingCardsXLSX(w http.ResponseWriter, r *http.Request) {
	f, code, err := pg.pnCardFilter(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	cards, total, err := pg.svc.Cards(r.Context(), web.ActorOf(r), f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	if total > len(cards) {
		pg.h.Fail(w, r, counsel.Errorf(counsel.CodeInvalid, "card.too_many", total, maxCards))
		return
	}
	if f.PairingID > 0 && len(cards) == 1 {
		code = cards[0].VillageCode
	}
	title := pg.svc.CardTitle(r.Context(), code)
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
		if n, err := pg.svc.Svc.ExportRegionName(r.Context(), web.ActorOf(r), f.Region); err == nil && n != "" {
			name = title + "（" + n + "）"
		}
		ascii = "cards-" + f.Region
	}
	pg.h.SendXLSX(w, r, name+".xlsx", ascii+".xlsx", func(w io.Writer) error { return xlsx.WriteArchiveCards(w, title, xc) })
}

// cardView is one printable archive card.
type cardView struct {
	Card
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

func (pg *pages) cardsPage(w http.ResponseWriter, r *http.Request, f CardFilter, code string) {
	cards, total, err := pg.svc.Cards(r.Context(), web.ActorOf(r), f)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	if f.PairingID > 0 && len(cards) == 1 {
		code = cards[0].VillageCode
	}
	cv := cardsView{Title: pg.svc.CardTitle(r.Context(), code), Total: total, Truncated: total > len(cards), Footer: xlsx.CardFooter}
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
	v := pg.h.View(r, "pairings", "card.title", cv)
	v.Title = cv.Title
	pg.h.Render(w, r, http.StatusOK, "card", v)
}

// pairingCard is the printable archive card of one pairing.
func (pg *pages) pairingCard(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pg.cardsPage(w, r, CardFilter{PairingID: id}, "")
}

// pairingCards is the printable page of every card of a village (or of a
// town, up to maxCards).
func (pg *pages) pairingCards(w http.ResponseWriter, r *http.Request) {
	f, code, err := pg.pnCardFilter(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pg.cardsPage(w, r, f, code)
}
