package web

import (
	"html/template"
	"net/http"
	"os"
	"path/filepath"
)

// Pieces of the page kit the public feature (internal/public) builds its
// own frame and uploads on.

// Funcs returns the template functions every page has (t, asset, dict, …).
func (h *Web) Funcs() template.FuncMap { return h.funcs() }

// StorePhoto checks the uploaded "photo" (at most 2 MB, JPEG or PNG by its
// bytes) and stores it under a random name, as advisor photos are.
func (h *Web) StorePhoto(r *http.Request) (string, error) { return h.storePhoto(r) }

// RemovePhoto removes a stored photo file; names not of a stored photo are
// ignored.
func (h *Web) RemovePhoto(name string) {
	if photoName.MatchString(name) {
		_ = os.Remove(filepath.Join(h.photoDir(), name))
	}
}

// ServePhoto serves a stored photo inline; a name that is not one of ours,
// or a missing file, is not found.
func (h *Web) ServePhoto(w http.ResponseWriter, r *http.Request, name, download string) {
	h.servePhoto(w, r, name, download)
}
