package registry_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// watchedBody is a request body that records whether anyone read it.
type watchedBody struct{ read bool }

func (b *watchedBody) Read(p []byte) (int, error) {
	b.read = true
	return 0, io.EOF
}

// TestImportPermissionBeforeBody: an account that may not import is refused
// with 403 before a byte of its upload is read (issue 12, defect 1: the
// file was decompressed before the permission check).
func TestImportPermissionBeforeBody(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, db *store.DB) {
		env := regSetup(t, db)
		for _, tc := range []struct{ user, path, ctype string }{
			{"zn-village", "/api/v1/imports/pairings", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
			{"zn-village", "/api/v1/imports/pairings", "multipart/form-data; boundary=x"},
			{"zn-village", "/import/pairings", "multipart/form-data; boundary=x"},
			{"zn-village", "/providers/import", "multipart/form-data; boundary=x"},
			{"zn-village", "/advisors/import", "multipart/form-data; boundary=x"},
			{"zn-judicial", "/providers/import", "multipart/form-data; boundary=x"},
		} {
			c := env.as(t, tc.user)
			body := &watchedBody{}
			req := httptest.NewRequest("POST", tc.path, body)
			req.Header.Set("Content-Type", tc.ctype)
			req.Header.Set("X-CSRF-Token", c.csrf)
			for _, ck := range c.cookies {
				req.AddCookie(ck)
			}
			rec := httptest.NewRecorder()
			env.h.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s: status %d, want 403", tc.user, tc.path, rec.Code)
			}
			if body.read {
				t.Errorf("%s %s: the upload was read before the permission check", tc.user, tc.path)
			}
		}
	})
}
