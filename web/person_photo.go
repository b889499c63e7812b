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
	ctx, a := r.Context(), ActorOf(r)
	p, ok := LoadByID(h, w, r, h.svc.Person)
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
			h.Fail(w, r, err)
			return
		}
		v := h.View(r, "persons", "person.title", pv)
		status := h.FormFail(r, v, err)
		h.Render(w, r, status, "person", v)
		return
	}
	Redirect(w, r, "/persons/"+strconv.FormatInt(p.ID, 10), "saved")
}

// personPhoto serves a person's photo to those who may see the person.
func (h *Web) personPhoto(w http.ResponseWriter, r *http.Request) {
	p, ok := LoadByID(h, w, r, h.svc.Person)
	if !ok {
		return
	}
	h.servePhoto(w, r, p.Photo, "person-"+strconv.FormatInt(p.ID, 10))
}
