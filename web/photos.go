package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/villagecounsel/counsel"
)

// MaxPhoto is the largest photo accepted (advisors, ledger entries).
const MaxPhoto = 2 << 20

// maxPhoto is the largest advisor photo accepted.
const maxPhoto = MaxPhoto

// photoName is the form of a stored photo's file name.
var photoName = regexp.MustCompile(`^[0-9a-f]{32}\.(jpg|png)$`)

// PhotoDir is where stored photos live (for the feature packages).
func (h *Web) PhotoDir() string { return h.photoDir() }

// photoDir is where advisor photos are stored.
func (h *Web) photoDir() string {
	dir := h.base.DataDir
	if dir == "" {
		dir = "data"
	}
	return filepath.Join(dir, "photos")
}

// storePhoto checks the uploaded "photo" (at most 2 MB, JPEG or PNG by its
// bytes, whatever its name says) and stores it under a random name.
func (h *Web) storePhoto(r *http.Request) (string, error) {
	if err := ParseForm(r, maxPhoto+1<<20); err != nil {
		return "", err
	}
	bad := func(key string, args ...any) error {
		return counsel.Invalid(counsel.FieldError{Field: "photo", Key: key, Args: args})
	}
	file, fh, err := r.FormFile("photo")
	if err != nil {
		return "", bad("err.file")
	}
	defer file.Close()
	if fh.Size > maxPhoto {
		return "", bad("reg.err_photo_size", maxPhoto>>20)
	}
	b, err := io.ReadAll(io.LimitReader(file, maxPhoto+1))
	if err != nil {
		return "", err
	}
	if len(b) > maxPhoto {
		return "", bad("reg.err_photo_size", maxPhoto>>20)
	}
	ext := ""
	switch http.DetectContentType(b) {
	case "image/jpeg":
		ext = ".jpg"
	case "image/png":
		ext = ".png"
	default:
		return "", bad("reg.err_photo_type")
	}
	var rnd [16]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return "", err
	}
	name := hex.EncodeToString(rnd[:]) + ext
	dir := h.photoDir()
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return "", err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return "", err
	}
	return name, f.Close()
}

// servePhoto serves a stored photo inline with its image type; a name that
// is not one of ours, or a missing file, is not found.
func (h *Web) servePhoto(w http.ResponseWriter, r *http.Request, name, download string) {
	notFound := counsel.Errorf(counsel.CodeNotFound, "err.not_found")
	if !photoName.MatchString(name) {
		h.Fail(w, r, notFound)
		return
	}
	f, err := os.Open(filepath.Join(h.photoDir(), name))
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			h.base.Log.ErrorContext(r.Context(), "photo", "name", name, "err", err)
		}
		h.Fail(w, r, notFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		h.Fail(w, r, err)
		return
	}
	ct := "image/jpeg"
	if strings.HasSuffix(name, ".png") {
		ct = "image/png"
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Disposition", `inline; filename="`+download+filepath.Ext(name)+`"`)
	// Residents' faces and papers: kept in no cache, like the pages.
	hd.Set("Cache-Control", "private, no-store")
	http.ServeContent(w, r, "", st.ModTime(), f)
}
