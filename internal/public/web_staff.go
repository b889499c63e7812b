package public

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/calendar"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// The staff pages of the public side: the register of boards and service
// WeChat groups (R34), a village's board settings and group, the judicial
// offices' public contacts.

// pubRegisterPage is the list of villages with their board and group state.
type pubRegisterPage struct {
	Region  string
	Name    string
	IsTown  bool
	Rows    []pubRegisterRow
	Pager   web.Pager
	CanEdit bool
	Export  string // the export link with the filters on screen
}

type pubRegisterRow struct {
	RegisterRow
	GroupState string // i18n key
	GroupClass string // ok / warn
	NameOK     bool
}

func (p *pages) pubRegister(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	pg := web.PageOf(r)
	l, err := p.svc.Register(ctx, a, region, pg)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d := &pubRegisterPage{Region: region, Pager: web.Pager{Total: l.Total, Limit: l.Limit, Offset: l.Offset, Query: r.URL.Query()}}
	if region != "" {
		if reg, err := p.svc.Svc.Region(ctx, a, region); err == nil {
			d.Name = reg.Name
			d.IsTown = reg.Level == counsel.LevelTown
		}
	}
	now := p.svc.Now().UnixMilli()
	for _, row := range l.Items {
		d.Rows = append(d.Rows, registerRow(row, now))
	}
	d.Export = "/boards.xlsx" + web.ExportQuery(r.URL.Query())
	p.h.Render(w, r, http.StatusOK, "public_register", p.h.View(r, "boards", "pub.register_title", d))
}

// pubVillagePage is the staff page of a village's board and group.
type pubVillagePage struct {
	VB          *VillageBoard
	Code        string
	NameProblem string
	Members     []pubMemberField
	MissingText string
	QRExpires   string
	GroupName   string // the name field's value
	Nickname    string
	Hours       string
	Uploaded    string
}

type pubMemberField struct {
	Field, Label, Value string
	Count               int
}

func (p *pages) pubVillageData(r *http.Request, code string) (*pubVillagePage, error) {
	ctx, a := r.Context(), web.ActorOf(r)
	lang := server.Lang(ctx)
	vb, err := p.svc.VillageBoard(ctx, a, code)
	if err != nil {
		return nil, err
	}
	d := &pubVillagePage{VB: vb, Code: code, GroupName: vb.SuggestedName, Hours: vb.Board.OnsiteHours}
	if vb.NameKey != "" {
		d.NameProblem = i18n.T(lang, vb.NameKey, vb.NameArgs...)
	}
	var missing []string
	for _, m := range vb.MissingRoles {
		missing = append(missing, i18n.T(lang, "pub.role."+m))
	}
	d.MissingText = strings.Join(missing, "、")
	var mem GroupMembers
	if g := vb.Group; g != nil {
		mem = g.Members
		d.GroupName, d.Nickname = g.Name, g.AdminNickname
		if g.QRUploadedAt > 0 {
			d.Uploaded = time.UnixMilli(g.QRUploadedAt).In(calendar.Shanghai).Format("2006-01-02 15:04")
		}
	}
	if vb.QRExpiresAt > 0 {
		d.QRExpires = time.UnixMilli(vb.QRExpiresAt).In(calendar.Shanghai).Format("2006-01-02 15:04")
	}
	for _, role := range MemberRoles {
		n := MemberCount(mem, role)
		d.Members = append(d.Members, pubMemberField{Field: "members_" + role, Label: i18n.T(lang, "pub.role."+role), Value: strconv.Itoa(n), Count: n})
	}
	return d, nil
}

// pubVillageRender renders the village page; a failed form keeps its input.
func (p *pages) pubVillageRender(w http.ResponseWriter, r *http.Request, status int, fail error) {
	code := r.PathValue("code")
	d, err := p.pubVillageData(r, code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	v := p.h.View(r, "boards", "pub.village_title", d)
	v.Title = d.VB.Board.Village.Name + " · " + v.Title
	if fail != nil {
		status = p.h.FormFail(r, v, fail)
		if f := r.PostForm; f != nil {
			if _, ok := f["name"]; ok {
				d.GroupName, d.Nickname = f.Get("name"), f.Get("admin_nickname")
				for i := range d.Members {
					d.Members[i].Value = f.Get(d.Members[i].Field)
				}
			}
			if _, ok := f["onsite_hours"]; ok {
				d.Hours = f.Get("onsite_hours")
			}
		}
	}
	p.h.Render(w, r, status, "public_village", v)
}

func (p *pages) pubVillage(w http.ResponseWriter, r *http.Request) {
	p.pubVillageRender(w, r, http.StatusOK, nil)
}

func (p *pages) pubHours(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	if err := p.svc.SetOnsiteHours(r.Context(), web.ActorOf(r), code, r.PostFormValue("onsite_hours")); err != nil {
		p.pubFormFail(w, r, err)
		return
	}
	web.Redirect(w, r, "/boards/"+code, "saved")
}

// pubFormFail answers a refused or invalid board form: the page with the
// reason for bad input, the plain error otherwise.
func (p *pages) pubFormFail(w http.ResponseWriter, r *http.Request, err error) {
	if counsel.ErrorCode(err) == counsel.CodeInvalid {
		p.pubVillageRender(w, r, 0, err)
		return
	}
	p.h.Fail(w, r, err)
}

func (p *pages) pubGroup(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	g := &WeChatGroup{VillageCode: code, Name: r.PostFormValue("name"), AdminNickname: r.PostFormValue("admin_nickname")}
	for _, role := range MemberRoles {
		s := strings.TrimSpace(r.PostFormValue("members_" + role))
		n := 0
		if s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				n = -1 // refused by the service as out of range
			}
		}
		SetMemberCount(&g.Members, role, n)
	}
	err := p.svc.SaveWeChatGroup(r.Context(), web.ActorOf(r), g)
	if err != nil {
		p.pubFormFail(w, r, err)
		return
	}
	web.Redirect(w, r, "/boards/"+code, "saved")
}

// pubGroupQRUpload stores an uploaded group QR image (JPEG or PNG by its bytes,
// at most 2 MB, under a random name, like advisor photos) for 7 days.
func (p *pages) pubGroupQRUpload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	code := r.PathValue("code")
	// Refuse before storing anything.
	vb, err := p.svc.VillageBoard(ctx, a, code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	if !vb.CanGroup {
		p.h.Fail(w, r, counsel.Errorf(counsel.CodeForbidden, "err.forbidden"))
		return
	}
	name, err := p.h.StorePhoto(r)
	if err == nil {
		var old string
		old, err = p.svc.SetGroupQR(ctx, a, code, name)
		if err != nil {
			p.h.RemovePhoto(name)
		} else if old != "" {
			p.h.RemovePhoto(old)
		}
	}
	if err != nil {
		p.pubFormFail(w, r, err)
		return
	}
	web.Redirect(w, r, "/boards/"+code, "saved")
}

// pubOfficePage is a town's judicial office form.
type pubOfficePage struct {
	Town     counsel.Region
	Office   *Office
	CanWrite bool
}

func (p *pages) pubOfficeRender(w http.ResponseWriter, r *http.Request, status int, fail error) {
	ctx, a := r.Context(), web.ActorOf(r)
	code := r.PathValue("code")
	o, err := p.svc.Office(ctx, a, code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	t, err := p.svc.Svc.Region(ctx, a, code)
	if err != nil {
		p.h.Fail(w, r, err)
		return
	}
	d := &pubOfficePage{Town: *t, Office: o, CanWrite: authz.CanEditOffice(a, code)}
	v := p.h.View(r, "boards", "pub.office_title", d)
	v.Form = url.Values{"name": {o.Name}, "phone": {o.Phone}, "address": {o.Address}}
	if fail != nil {
		status = p.h.FormFail(r, v, fail)
	}
	p.h.Render(w, r, status, "public_office", v)
}

func (p *pages) pubOffice(w http.ResponseWriter, r *http.Request) {
	p.pubOfficeRender(w, r, http.StatusOK, nil)
}

func (p *pages) pubOfficeSave(w http.ResponseWriter, r *http.Request) {
	if err := web.ParseForm(r, 1<<16); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	o := &Office{TownCode: code, Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Address: r.PostFormValue("address")}
	if err := p.svc.SaveOffice(r.Context(), web.ActorOf(r), o); err != nil {
		if counsel.ErrorCode(err) == counsel.CodeInvalid {
			p.pubOfficeRender(w, r, 0, err)
			return
		}
		p.h.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, "/boards?region="+code, "saved")
}

// registerRow judges a register row's group: its name and QR code.
func registerRow(row RegisterRow, now int64) pubRegisterRow {
	rr := pubRegisterRow{RegisterRow: row, GroupState: "pub.state_none", GroupClass: "warn"}
	if g := row.Group; g != nil {
		key, _ := CheckGroupName(&row.Village, g.Name)
		rr.NameOK = key == ""
		switch {
		case g.QRFile == "":
			rr.GroupState = "pub.state_no_qr"
		case now >= g.QRUploadedAt+GroupQRLife.Milliseconds():
			rr.GroupState = "pub.state_qr_expired"
		default:
			rr.GroupState, rr.GroupClass = "pub.state_ok", "ok"
		}
	}
	return rr
}

// registerXLSX exports the register of boards and WeChat groups for the
// region on screen, in the reader's scope.
func (p *pages) registerXLSX(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	region := strings.TrimSpace(r.URL.Query().Get("region"))
	if _, err := p.svc.Register(ctx, a, region, counsel.Page{Limit: 1}); err != nil {
		p.h.Fail(w, r, err)
		return
	}
	lang := server.Lang(ctx)
	var headers []string
	for _, k := range []string{"pub.col_village", "pub.col_town", "pub.advisor", "pub.onsite_hours", "pub.group", "pub.col_qr"} {
		headers = append(headers, i18n.T(lang, k))
	}
	title := i18n.T(lang, "pub.register_title")
	if region != "" {
		if reg, err := p.svc.Svc.Region(ctx, a, region); err == nil {
			title += " · " + reg.Name
		}
	}
	now := p.svc.Now()
	day := now.In(web.Shanghai).Format("2006-01-02")
	p.h.StreamXLSX(w, r, title+"-"+day+".xlsx", "boards-"+day+".xlsx", func(out io.Writer) error {
		s, err := xlsx.NewStream(i18n.T(lang, "pub.register_title"), title, headers, []float64{20, 14, 10, 20, 24, 14})
		if err != nil {
			return err
		}
		defer s.Close()
		pg := counsel.Page{Limit: 500}
		for {
			l, err := p.svc.Register(ctx, a, region, pg)
			if err != nil {
				return err
			}
			for _, row := range l.Items {
				rr := registerRow(row, now.UnixMilli())
				adv := rr.AdvisorName
				if adv == "" {
					adv = i18n.T(lang, "pub.no_advisor_short")
				}
				group := ""
				if rr.Group != nil {
					group = rr.Group.Name
					if !rr.NameOK {
						group += "（" + i18n.T(lang, "pub.name_rule_broken") + "）"
					}
				}
				if err := s.Row(rr.Village.Name, rr.TownName, adv, rr.OnsiteHours, group, i18n.T(lang, rr.GroupState)); err != nil {
					return err
				}
			}
			if len(l.Items) < pg.Limit {
				break
			}
			pg.Offset += len(l.Items)
		}
		_, err = s.WriteTo(out)
		return err
	})
}
