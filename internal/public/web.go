package public

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The public side's pages (R31, R32, R36): village boards and their search,
// service cards with a QR code to the board, in the public frame (frame.go).
// The staff pages of the group register are in web_staff.go.

// pages holds the page handlers.
type pages struct {
	h     *web.Web
	svc   *Service
	frame *Frame
	cache boardPages // anonymous visitors' rendered boards (page_cache.go)
}

// framePages are the pages drawn in the public frame.
var framePages = []string{"public_board", "public_search", "public_cards"}

func (f *Feature) pageRoutes(h *web.Web) []server.Route {
	frame, err := NewFrame(h, templates, framePages...)
	if err != nil {
		// The templates are embedded: a broken one is a programming error.
		panic(err)
	}
	p := &pages{h: h, svc: f.Svc, frame: frame}
	return []server.Route{
		{Method: "GET", Pattern: "/v", Name: "public_search", Public: true, Handler: p.search},
		{Method: "GET", Pattern: "/v/{code}", Name: "public_board", Public: true, Handler: p.board},
		{Method: "GET", Pattern: "/v/{code}/photo", Name: "public_photo", Public: true, Handler: p.photo},
		{Method: "GET", Pattern: "/v/{code}/qr.png", Name: "public_qr", Public: true, Handler: p.qr},
		{Method: "GET", Pattern: "/v/{code}/group-qr", Name: "public_group_qr", Public: true, Handler: p.groupQR},
		{Method: "GET", Pattern: "/v/{code}/card", Name: "public_card", Public: true, Handler: p.card},
		{Method: "POST", Pattern: "/v/care", Name: "public_care", Public: true, Handler: p.care},

		{Method: "GET", Pattern: "/boards", Name: "boards", Handler: p.pubRegister},
		{Method: "GET", Pattern: "/boards.xlsx", Name: "boards_xlsx", Handler: p.registerXLSX},
		{Method: "GET", Pattern: "/boards/{code}", Name: "board_admin", Handler: p.pubVillage},
		{Method: "POST", Pattern: "/boards/{code}/hours", Name: "board_hours", Handler: p.pubHours},
		{Method: "POST", Pattern: "/boards/{code}/group", Name: "board_group", Handler: p.pubGroup},
		{Method: "POST", Pattern: "/boards/{code}/group/qr", Name: "board_group_qr", Handler: p.pubGroupQRUpload},
		{Method: "GET", Pattern: "/offices/{code}", Name: "office", Handler: p.pubOffice},
		{Method: "POST", Pattern: "/offices/{code}", Name: "office_save", Handler: p.pubOfficeSave},
		{Method: "GET", Pattern: "/cards/{code}", Name: "town_cards", Handler: p.townCards},
	}
}

// ---- search -----------------------------------------------------------------

type pubSearchPage struct {
	Q        string
	Searched bool
	Hits     []pubSearchHit
}

type pubSearchHit struct {
	Code, Name, Where string
}

func (p *pages) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &pubSearchPage{Q: q, Searched: q != ""}
	hits, err := p.svc.PublicSearch(r.Context(), q)
	if err != nil {
		p.frame.Fail(w, r, err)
		return
	}
	for _, h := range hits {
		where := strings.TrimSpace(h.CountyName + " " + h.TownName)
		d.Hits = append(d.Hits, pubSearchHit{Code: h.Code, Name: h.Name, Where: where})
	}
	p.frame.Render(w, r, http.StatusOK, "public_search", p.frame.View(r, "pub.search_title", d))
}

// ---- board ------------------------------------------------------------------

// pubBoardPage is a village's board as the template shows it.
type pubBoardPage struct {
	B           *Board
	Title       string
	Kind        string   // the advisor's kind, in words
	Duties      []string // in words
	PhotoURL    string
	GroupQRURL  string // "" when the QR is missing or expired
	QRExpires   string
	CardURL     string
	AdvisorTel  string // the numbers of the tel: links
	OfficeTel   string
	GroupNoQR   bool
	HasAdvisor  bool
	HasGroup    bool
	OnsiteHours string
}

func (p *pages) boardData(r *http.Request, b *Board) *pubBoardPage {
	lang := server.Lang(r.Context())
	code := b.Village.Code
	d := &pubBoardPage{B: b, Title: i18n.T(lang, "pub.board_title", b.Village.Name), CardURL: "/v/" + code + "/card",
		OfficeTel: pubTel(b.Office.Phone), HasAdvisor: b.Advisor != nil, HasGroup: b.Group != nil, OnsiteHours: b.OnsiteHours}
	for _, du := range b.Duties {
		name := du.ZH
		if lang == "en" {
			name = du.EN
		}
		d.Duties = append(d.Duties, name+" — "+i18n.T(lang, "pub.duty."+du.Kind))
	}
	if b.Advisor != nil {
		d.Kind = i18n.T(lang, "reg.akind."+b.Advisor.Kind)
		d.AdvisorTel = pubTel(b.Advisor.Phone)
		if b.Advisor.HasPhoto {
			d.PhotoURL = "/v/" + code + "/photo?d=" + b.UpdatedOn
		}
	}
	if b.Group != nil {
		if b.Group.QRValid {
			d.GroupQRURL = "/v/" + code + "/group-qr?t=" + fmt.Sprint(b.Group.QRExpiresAt)
			d.QRExpires = time.UnixMilli(b.Group.QRExpiresAt).In(calendar.Shanghai).Format("2006-01-02 15:04")
		} else {
			d.GroupNoQR = true
		}
	}
	return d
}

// pubTel is a phone number as a tel: link wants it (digits only).
func pubTel(phone string) string { return strings.ReplaceAll(phone, "-", "") }

func (p *pages) board(w http.ResponseWriter, r *http.Request) {
	b, err := p.svc.PublicBoard(r.Context(), r.PathValue("code"))
	if err != nil {
		p.frame.Fail(w, r, err)
		return
	}
	cacheable := boardCacheable(r)
	c, cerr := r.Cookie(CareCookie)
	key := boardPageKey{code: b.Village.Code, lang: server.Lang(r.Context()), care: cerr == nil && c.Value == "1"}
	if cacheable {
		if html := p.cache.get(key, b); html != nil {
			writeHTML(w, http.StatusOK, html)
			return
		}
	}
	d := p.boardData(r, b)
	v := p.frame.View(r, "pub.board_short", d)
	v.Title = d.Title
	if !cacheable {
		p.frame.Render(w, r, http.StatusOK, "public_board", v)
		return
	}
	if html := p.frame.draw(w, r, "public_board", v); html != nil {
		p.cache.put(key, b, html)
		writeHTML(w, http.StatusOK, html)
	}
}

// photo serves the photo of the advisor who serves the village now.
func (p *pages) photo(w http.ResponseWriter, r *http.Request) {
	name, err := p.svc.PublicAdvisorPhoto(r.Context(), r.PathValue("code"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.ServePhoto(w, r, name, "advisor")
}

// groupQR serves the village's WeChat group QR image while it is in force.
func (p *pages) groupQR(w http.ResponseWriter, r *http.Request) {
	name, err := p.svc.PublicGroupQR(r.Context(), r.PathValue("code"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.ServePhoto(w, r, name, "group-qr")
}

// qr serves a PNG QR code of the board's absolute address.
func (p *pages) qr(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := p.svc.PublicVillageExists(r.Context(), code); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	png, err := qrcode.Encode(pubBase(r)+"/v/"+code, qrcode.Medium, 320)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("Content-Length", fmt.Sprint(len(png)))
	_, _ = w.Write(png)
}

// ---- service cards ----------------------------------------------------------

// pubCardsPage is one or more villages' service cards for printing.
type pubCardsPage struct {
	Size  string // "card" (90×54 mm) or "a6"
	Cards []*pubCard
	Back  string
	Other string // the same cards in the other size
	Town  string
}

type pubCard struct {
	*pubBoardPage
	BoardURL string // absolute
	QRURL    string
}

func pubCardSize(r *http.Request) string {
	if r.URL.Query().Get("size") == "a6" {
		return "a6"
	}
	return "card"
}

func (p *pages) pubCardsOf(r *http.Request, bs []*Board, back, self string) *pubCardsPage {
	size := pubCardSize(r)
	other := "a6"
	if size == "a6" {
		other = "card"
	}
	d := &pubCardsPage{Size: size, Back: back, Other: self + "?size=" + other}
	base := pubBase(r)
	for _, b := range bs {
		d.Cards = append(d.Cards, &pubCard{pubBoardPage: p.boardData(r, b), BoardURL: base + "/v/" + b.Village.Code, QRURL: "/v/" + b.Village.Code + "/qr.png"})
	}
	return d
}

// card is one village's printable service card, public like its board.
func (p *pages) card(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	b, err := p.svc.PublicBoard(r.Context(), code)
	if err != nil {
		p.frame.Fail(w, r, err)
		return
	}
	d := p.pubCardsOf(r, []*Board{b}, "/v/"+code, "/v/"+code+"/card")
	p.renderCards(w, r, d)
}

// townCards prints the service cards of every village of a town in one go.
func (p *pages) townCards(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	bs, err := p.svc.TownBoards(r.Context(), web.ActorOf(r), code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d := p.pubCardsOf(r, bs, "/boards?region="+code, "/cards/"+code)
	if t, err := p.svc.Svc.Region(r.Context(), web.ActorOf(r), code); err == nil {
		d.Town = t.Name
	}
	p.renderCards(w, r, d)
}

func (p *pages) renderCards(w http.ResponseWriter, r *http.Request, d *pubCardsPage) {
	v := p.frame.View(r, "pub.card_title", d)
	if d.Size == "a6" {
		v.PrintCSS = "public-a6.css"
	}
	p.frame.Render(w, r, http.StatusOK, "public_cards", v)
}
