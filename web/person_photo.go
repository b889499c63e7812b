package web

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

// personPhotoUpload stores a legal-literate person's photo (for the 附件2
// archive card), with the same checks as an advisor's.
func (h *Web) personPhotoUpload(w http.ResponseWriter, r *http.Request) {
	ctx, a := r.Context(), actor(r)
	p, ok := loadByID(h, w, r, h.svc.Person)
	if !ok {
		return
	}
	name, err := h.storePhoto(r)
	if err == nil {
		upd := *p
		upd.Photo = name
		if err = h.svc.SavePerson(ctx, a, &upd); err != nil {
			_ = os.Remove(filepath.Join(h.photoDir(), name))
		}
	}
	if err != nil {
		// Show the person page again with the reason next to the photo field.
		pv, perr := h.personPage(r, p.ID)
		if perr != nil {
			h.fail(w, r, err)
			return
		}
		v := h.view(r, "persons", "person.title", pv)
		status := h.formFail(r, v, err)
		h.render(w, r, status, "person", v)
		return
	}
	redirect(w, r, "/persons/"+strconv.FormatInt(p.ID, 10), "saved")
}

// personPhoto serves a person's photo to those who may see the person.
func (h *Web) personPhoto(w http.ResponseWriter, r *http.Request) {
	p, ok := loadByID(h, w, r, h.svc.Person)
	if !ok {
		return
	}
	h.servePhoto(w, r, p.Photo, "person-"+strconv.FormatInt(p.ID, 10))
}
