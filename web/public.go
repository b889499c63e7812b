package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/service"
)

// The public side (R31, R32, R36): village boards and their search, service
// cards with a QR code to the board, in a simple layout of their own
// (public_frame.html, not the staff layout) with a large-font
// high-contrast care mode (关怀版) remembered in a cookie. The staff pages
// of the group register are in public_staff.go.

// CareCookie remembers the care mode (关怀版) of a visitor.
const CareCookie = "vc_care"

// PublicURLEnv names the environment variable with the site's public base
// URL (e.g. https://counsel.example.gov.cn) for the QR codes on cards; the
// request's own host is used when it is not set.
const PublicURLEnv = "COUNSEL_PUBLIC_URL"

// publicSite renders the public pages with their own frame.
type publicSite struct {
	h     *Web
	pages map[string]*template.Template
	cache boardPages // anonymous visitors' rendered boards (public_cache.go)
}

// publicFramePages are the pages drawn in the public frame.
var publicFramePages = []string{"public_board", "public_search", "public_cards"}

func (h *Web) publicRoutes() []server.Route {
	p := &publicSite{h: h, pages: map[string]*template.Template{}}
	for _, name := range publicFramePages {
		t, err := template.New(name).Funcs(h.funcs()).ParseFS(files, "templates/public_frame.html", "templates/"+name+".html")
		if err != nil {
			// The templates are embedded: a broken one is a programming error.
			panic(fmt.Sprintf("web: template %s: %v", name, err))
		}
		p.pages[name] = t
	}
	return []server.Route{
		{Method: "GET", Pattern: "/v", Name: "public_search", Public: true, Handler: p.search},
		{Method: "GET", Pattern: "/v/{code}", Name: "public_board", Public: true, Handler: p.board},
		{Method: "GET", Pattern: "/v/{code}/photo", Name: "public_photo", Public: true, Handler: p.photo},
		{Method: "GET", Pattern: "/v/{code}/qr.png", Name: "public_qr", Public: true, Handler: p.qr},
		{Method: "GET", Pattern: "/v/{code}/group-qr", Name: "public_group_qr", Public: true, Handler: p.groupQR},
		{Method: "GET", Pattern: "/v/{code}/card", Name: "public_card", Public: true, Handler: p.card},
		{Method: "POST", Pattern: "/v/care", Name: "public_care", Public: true, Handler: p.care},

		{Method: "GET", Pattern: "/boards", Name: "boards", Handler: h.pubRegister},
		{Method: "GET", Pattern: "/boards/{code}", Name: "board_admin", Handler: h.pubVillage},
		{Method: "POST", Pattern: "/boards/{code}/hours", Name: "board_hours", Handler: h.pubHours},
		{Method: "POST", Pattern: "/boards/{code}/group", Name: "board_group", Handler: h.pubGroup},
		{Method: "POST", Pattern: "/boards/{code}/group/qr", Name: "board_group_qr", Handler: h.pubGroupQRUpload},
		{Method: "GET", Pattern: "/offices/{code}", Name: "office", Handler: h.pubOffice},
		{Method: "POST", Pattern: "/offices/{code}", Name: "office_save", Handler: h.pubOfficeSave},
		{Method: "GET", Pattern: "/cards/{code}", Name: "town_cards", Handler: p.townCards},
	}
}

// PublicFrame draws a feature's pages in the public frame (public_frame.html,
// no staff layout); its errors show on web's public_search page.
type PublicFrame struct{ p *publicSite }

// PublicFrame parses pages (templates/<name>.html in fsys) over the public
// frame.
func (h *Web) PublicFrame(fsys fs.FS, pages ...string) (*PublicFrame, error) {
	p := &publicSite{h: h, pages: map[string]*template.Template{}}
	parse := func(fsys fs.FS, name string) error {
		t, err := template.New(name).Funcs(h.funcs()).ParseFS(files, "templates/public_frame.html")
		if err == nil {
			t, err = t.ParseFS(fsys, "templates/"+name+".html")
		}
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		p.pages[name] = t
		return nil
	}
	if err := parse(files, "public_search"); err != nil { // the frame's error page
		return nil, err
	}
	for _, name := range pages {
		if err := parse(fsys, name); err != nil {
			return nil, err
		}
	}
	return &PublicFrame{p}, nil
}

// View is a public page's view.
func (f *PublicFrame) View(r *http.Request, title string, data any) *PubView {
	return f.p.view(r, title, data)
}

// Render draws a page in the frame.
func (f *PublicFrame) Render(w http.ResponseWriter, r *http.Request, status int, page string, v *PubView) {
	f.p.render(w, r, status, page, v)
}

// Fail shows an error in the public frame.
func (f *PublicFrame) Fail(w http.ResponseWriter, r *http.Request, err error) { f.p.fail(w, r, err) }

// PubView is what the public frame gets.
type PubView struct {
	*View
	Care     bool   // the care mode is on
	Next     string // this page's address, for the language and care forms
	PrintCSS string // an extra print style sheet (A6 cards)
}

func (p *publicSite) view(r *http.Request, title string, data any) *PubView {
	v := p.h.View(r, "public", title, data)
	c, err := r.Cookie(CareCookie)
	return &PubView{View: v, Care: err == nil && c.Value == "1", Next: r.URL.RequestURI()}
}

func (p *publicSite) render(w http.ResponseWriter, r *http.Request, status int, page string, v *PubView) {
	if html := p.draw(w, r, page, v); html != nil {
		writeHTML(w, status, html)
	}
}

// draw renders a page; on failure it answers the request and returns nil.
func (p *publicSite) draw(w http.ResponseWriter, r *http.Request, page string, v *PubView) []byte {
	var buf bytes.Buffer
	if err := p.pages[page].ExecuteTemplate(&buf, "public_frame", v); err != nil {
		p.h.Fail(w, r, fmt.Errorf("render %s: %w", page, err))
		return nil
	}
	return buf.Bytes()
}

func writeHTML(w http.ResponseWriter, status int, html []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(html)
}

// fail shows an error in the public frame (a plain page for anything but
// HTML navigation).
func (p *publicSite) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, body := p.h.srv.Describe(r.Context(), err)
	v := p.view(r, "pub.error_title", &pubSearchPage{})
	v.FormError = body.Error.Message
	p.render(w, r, status, "public_search", v)
}

// pubBase is the absolute base URL of the public pages.
func pubBase(r *http.Request) string {
	if u := strings.TrimRight(strings.TrimSpace(os.Getenv(PublicURLEnv)), "/"); u != "" {
		return u
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
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

func (p *publicSite) search(w http.ResponseWriter, r *http.Request) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	d := &pubSearchPage{Q: q, Searched: q != ""}
	hits, err := p.h.svc.PublicSearch(r.Context(), q)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	for _, h := range hits {
		where := strings.TrimSpace(h.CountyName + " " + h.TownName)
		d.Hits = append(d.Hits, pubSearchHit{Code: h.Code, Name: h.Name, Where: where})
	}
	p.render(w, r, http.StatusOK, "public_search", p.view(r, "pub.search_title", d))
}

// ---- board ------------------------------------------------------------------

// pubBoardPage is a village's board as the template shows it.
type pubBoardPage struct {
	B           *service.Board
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

func (p *publicSite) boardData(r *http.Request, b *service.Board) *pubBoardPage {
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
			d.QRExpires = time.UnixMilli(b.Group.QRExpiresAt).In(shanghai).Format("2006-01-02 15:04")
		} else {
			d.GroupNoQR = true
		}
	}
	return d
}

// pubTel is a phone number as a tel: link wants it (digits only).
func pubTel(phone string) string { return strings.ReplaceAll(phone, "-", "") }

func (p *publicSite) board(w http.ResponseWriter, r *http.Request) {
	b, err := p.h.svc.PublicBoard(r.Context(), r.PathValue("code"))
	if err != nil {
		p.fail(w, r, err)
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
	v := p.view(r, "pub.board_short", d)
	v.Title = d.Title
	if !cacheable {
		p.render(w, r, http.StatusOK, "public_board", v)
		return
	}
	if html := p.draw(w, r, "public_board", v); html != nil {
		p.cache.put(key, b, html)
		writeHTML(w, http.StatusOK, html)
	}
}

// photo serves the photo of the advisor who serves the village now.
func (p *publicSite) photo(w http.ResponseWriter, r *http.Request) {
	name, err := p.h.svc.PublicAdvisorPhoto(r.Context(), r.PathValue("code"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.servePhoto(w, r, name, "advisor")
}

// groupQR serves the village's WeChat group QR image while it is in force.
func (p *publicSite) groupQR(w http.ResponseWriter, r *http.Request) {
	name, err := p.h.svc.PublicGroupQR(r.Context(), r.PathValue("code"))
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	p.h.servePhoto(w, r, name, "group-qr")
}

// qr serves a PNG QR code of the board's absolute address.
func (p *publicSite) qr(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := p.h.svc.PublicVillageExists(r.Context(), code); err != nil {
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

// care turns the care mode (关怀版) on or off and goes back.
func (p *publicSite) care(w http.ResponseWriter, r *http.Request) {
	if err := ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	c := &http.Cookie{Name: CareCookie, Value: "1", Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true, Secure: r.TLS != nil}
	if r.PostFormValue("care") != "1" {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	next := SafeNext(r.PostFormValue("next"))
	if next == "/" {
		next = "/v"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
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

func (p *publicSite) pubCardsOf(r *http.Request, bs []*service.Board, back, self string) *pubCardsPage {
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
func (p *publicSite) card(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	b, err := p.h.svc.PublicBoard(r.Context(), code)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d := p.pubCardsOf(r, []*service.Board{b}, "/v/"+code, "/v/"+code+"/card")
	p.renderCards(w, r, d)
}

// townCards prints the service cards of every village of a town in one go.
func (p *publicSite) townCards(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	bs, err := p.h.svc.TownBoards(r.Context(), ActorOf(r), code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d := p.pubCardsOf(r, bs, "/boards?region="+code, "/cards/"+code)
	if t, err := p.h.svc.Region(r.Context(), ActorOf(r), code); err == nil {
		d.Town = t.Name
	}
	p.renderCards(w, r, d)
}

func (p *publicSite) renderCards(w http.ResponseWriter, r *http.Request, d *pubCardsPage) {
	v := p.view(r, "pub.card_title", d)
	if d.Size == "a6" {
		v.PrintCSS = "public-a6.css"
	}
	p.render(w, r, http.StatusOK, "public_cards", v)
}
