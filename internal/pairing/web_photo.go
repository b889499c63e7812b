package pairing

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/villagecounsel/counsel/web"
)

// personPhotoUpload stores a legal-literate person's photo (for the 附件2
// archive card), with the same checks as an advisor's.
func (pg *pages) personPhotoUpload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), web.ActorOf(r)
	p, ok := web.LoadByID(pg.h, w, r, pg.svc.Person)
	if !ok {
		return
	}
	name, err := pg.h.StorePhoto(r)
	if err == nil {
		upd := *p
		upd.Photo = name
		if err = pg.svc.SavePerson(ctx, a, &upd); err != nil {
			_ = os.Remove(filepath.Join(pg.h.PhotoDir(), name))
		}
	}
	if err != nil {
		// Show the person page again with the reason next to the photo field.
		pv, perr := pg.personPage(r, p.ID)
		if perr != nil {
			pg.h.Fail(w, r, err)
			return
		}
		v := pg.h.View(r, "persons", "person.title", pv)
		status := pg.h.FormFail(r, v, err)
		pg.h.Render(w, r, status, "person", v)
		return
	}
	web.Redirect(w, r, "/persons/"+strconv.FormatInt(p.ID, 10), "saved")
}

// personPhoto serves a person's photo to those who may see the person.
func (pg *pages) personPhoto(w http.ResponseWriter, r *http.Request) {
	p, ok := web.LoadByID(pg.h, w, r, pg.svc.Person)
	if !ok {
		return
	}
	pg.h.ServePhoto(w, r, p.Photo, "person-"+strconv.FormatInt(p.ID, 10))
}
