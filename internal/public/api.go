package public

import (
	"net/http"
	"strconv"

	"github.com/villagecounsel/counsel/api"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/registry"
	"github.com/villagecounsel/counsel/server"
)

// PublicBoard is a village's public board with the addresses of its page,
// photo and QR codes.
type PublicBoard struct {
	Board
	BoardURL   string `json:"board_url"`              // absolute address of the board page
	CardQRURL  string `json:"card_qr_url"`            // PNG QR code of BoardURL
	PhotoURL   string `json:"photo_url,omitempty"`    // the advisor's photo
	GroupQRURL string `json:"group_qr_url,omitempty"` // the group's QR image while in force
}

// OnsiteHours sets a village's on-site hours.
type OnsiteHours struct {
	OnsiteHours string `json:"onsite_hours"`
}

// GroupRequest registers or updates a village's service WeChat group.
type GroupRequest struct {
	Name           string       `json:"name"`
	AdminAdvisorID int64        `json:"admin_advisor_id"` // 0: the village's advisor
	AdminNickname  string       `json:"admin_nickname"`
	Members        GroupMembers `json:"members"`
}

// OfficeRequest sets a town's judicial office as its boards show it.
type OfficeRequest struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// publicOps are the operations of the public area: the board and the
// village search without a login, the board settings, the group register
// and the judicial offices for staff.
// endpoints holds the operations' handlers.
type endpoints struct {
	h   *api.API
	svc *Service
}

func (f *Feature) operations(a *api.API) []api.Op {
	h := &endpoints{h: a, svc: f.Svc}
	rt := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		return server.Route{Method: method, Pattern: "/api/v1" + pattern, Name: "api_" + name, API: true, Handler: fn}
	}
	pub := func(method, pattern, name string, fn http.HandlerFunc) server.Route {
		r := rt(method, pattern, name, fn)
		r.Public = true
		return r
	}
	page := []string{"region", "limit", "offset"}
	return []api.Op{
		{Route: pub("GET", "/public/villages", "public_villages", h.publicSearch), Summary: "Find villages by name, 12-digit code, pinyin (xiguan) or pinyin initials (xgc); no login; villages only", Tag: "public", Response: []VillageHit{}, Query: []string{"q"}},
		{Route: pub("GET", "/public/villages/{code}/board", "public_board", h.publicBoard), Summary: "A village's public board (公示栏): advisor, work phone, duties, on-site hours, term, judicial office, WeChat group; no login", Tag: "public", Response: PublicBoard{}},
		{Route: rt("GET", "/boards", "boards", h.boardRegister), Summary: "The villages the account may see with their board settings, advisor and service WeChat group", Tag: "public", Response: registry.List[RegisterRow]{}, Query: page},
		{Route: rt("GET", "/boards/{code}", "board_admin", h.boardAdmin), Summary: "A village's board and group register entry with the naming-rule check and what the account may change", Tag: "public", Response: VillageBoard{}},
		{Route: rt("PUT", "/boards/{code}/hours", "board_hours", h.boardHours), Summary: "Set a village's on-site hours (county bureau, judicial office)", Tag: "public", Request: OnsiteHours{}, Response: VillageBoard{}},
		{Route: rt("GET", "/wechat-groups/{code}", "wechat_group", h.wechatGroup), Summary: "A village's service WeChat group", Tag: "public", Response: WeChatGroup{}},
		{Route: rt("PUT", "/wechat-groups/{code}", "wechat_group_save", h.wechatGroupSave), Summary: "Register or update a village's service WeChat group (its advisor, judicial office, county bureau)", Tag: "public", Request: GroupRequest{}, Response: WeChatGroup{}},
		{Route: rt("GET", "/offices/{code}", "office", h.office), Summary: "A town's judicial office as its boards show it", Tag: "public", Response: Office{}},
		{Route: rt("PUT", "/offices/{code}", "office_save", h.officeSave), Summary: "Set a town's judicial office name, phone and address (its judicial office, county bureau)", Tag: "public", Request: OfficeRequest{}, Response: Office{}},
	}
}

func (h *endpoints) publicSearch(w http.ResponseWriter, r *http.Request) {
	hits, err := h.svc.PublicSearch(r.Context(), r.URL.Query().Get("q"))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	if hits == nil {
		hits = []VillageHit{}
	}
	api.OK(w, http.StatusOK, hits)
}

func (h *endpoints) publicBoard(w http.ResponseWriter, r *http.Request) {
	b, err := h.svc.PublicBoard(r.Context(), r.PathValue("code"))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	base := pubBase(r) + "/v/" + b.Village.Code
	pb := PublicBoard{Board: *b, BoardURL: base, CardQRURL: base + "/qr.png"}
	if b.Advisor != nil && b.Advisor.HasPhoto {
		pb.PhotoURL = base + "/photo"
	}
	if b.Group != nil && b.Group.QRValid {
		pb.GroupQRURL = base + "/group-qr?t=" + strconv.FormatInt(b.Group.QRExpiresAt, 10)
	}
	api.OK(w, http.StatusOK, pb)
}

func (h *endpoints) boardRegister(w http.ResponseWriter, r *http.Request) {
	f := server.FilterOf(r)
	l, err := h.svc.Register(r.Context(), api.ActorOf(r), r.URL.Query().Get("region"), f.Page)
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, l)
}

// villageBoard answers the staff view with the naming problem in words.
func (h *endpoints) villageBoard(w http.ResponseWriter, r *http.Request, status int) {
	vb, err := h.svc.VillageBoard(r.Context(), api.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	if vb.NameKey != "" {
		vb.NameProblem = i18n.T(server.Lang(r.Context()), vb.NameKey, vb.NameArgs...)
	}
	api.OK(w, status, vb)
}

func (h *endpoints) boardAdmin(w http.ResponseWriter, r *http.Request) {
	h.villageBoard(w, r, http.StatusOK)
}

func (h *endpoints) boardHours(w http.ResponseWriter, r *http.Request) {
	var in OnsiteHours
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	if err := h.svc.SetOnsiteHours(r.Context(), api.ActorOf(r), r.PathValue("code"), in.OnsiteHours); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	h.villageBoard(w, r, http.StatusOK)
}

func (h *endpoints) wechatGroup(w http.ResponseWriter, r *http.Request) {
	g, err := h.svc.WeChatGroup(r.Context(), api.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, g)
}

func (h *endpoints) wechatGroupSave(w http.ResponseWriter, r *http.Request) {
	var in GroupRequest
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	g := &WeChatGroup{VillageCode: r.PathValue("code"), Name: in.Name, AdminAdvisorID: in.AdminAdvisorID, AdminNickname: in.AdminNickname, Members: in.Members}
	if err := h.svc.SaveWeChatGroup(r.Context(), api.ActorOf(r), g); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, g)
}

func (h *endpoints) office(w http.ResponseWriter, r *http.Request) {
	o, err := h.svc.Office(r.Context(), api.ActorOf(r), r.PathValue("code"))
	if err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, o)
}

func (h *endpoints) officeSave(w http.ResponseWriter, r *http.Request) {
	var in OfficeRequest
	if err := api.Decode(r, &in); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	o := &Office{TownCode: r.PathValue("code"), Name: in.Name, Phone: in.Phone, Address: in.Address}
	if err := h.svc.SaveOffice(r.Context(), api.ActorOf(r), o); err != nil {
		h.h.Fail(w, r, err)
		return
	}
	api.OK(w, http.StatusOK, o)
}
