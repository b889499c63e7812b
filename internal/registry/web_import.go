package registry

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/villagecounsel/counsel"
	"github.com/villagecounsel/counsel/i18n"
	"github.com/villagecounsel/counsel/internal/authz"
	"github.com/villagecounsel/counsel/internal/xlsx"
	"github.com/villagecounsel/counsel/server"
	"github.com/villagecounsel/counsel/web"
)

// importRoutes are the 附件1 import's pages (R8): the form, a blank table to
// fill in, and the upload. The import creates providers, advisors, persons
// and pairings in one go, so it stays with the registry's pages.
func (pg *pages) importRoutes() []server.Route {
	return []server.Route{
		{Method: "GET", Pattern: "/import", Name: "import_form", Handler: pg.importForm},
		{Method: "GET", Pattern: "/import/template.xlsx", Name: "import_template", Handler: pg.importTemplate},
		{Method: "POST", Pattern: "/import/pairings", Name: "import_pairings", Handler: pg.importPairings},
	}
}

// importRowError is one bad cell of an imported file, as the page lists it.
type importRowError struct {
	Row     int
	Column  string
	Field   string // the column's name in the reader's language
	Message string
}

type importView struct {
	Admin    bool             // the administrator names the region by code
	Home     *counsel.Region  // where the import goes by default
	Towns    []counsel.Region // a county bureau may narrow to one town
	Region   string           // the region chosen
	FileName string           // the file last uploaded
	Rows     []importRowError // every bad row of a rejected file
	Result   *ImportResult
	Columns  []string // the 附件1 columns, A to I
	Letters  []string
}

// importColumns are the catalog keys of the 附件1 columns, A to I.
var importColumns = []string{"town", "village", "advisor_name", "firm", "advisor_phone", "person_name", "position", "person_phone", "paired_on"}

func (pg *pages) importPage(r *http.Request) (*importView, error) {
	a := web.ActorOf(r)
	if !authz.MakesPairings(a) {
		return nil, counsel.Errorf(counsel.CodeForbidden, "err.forbidden")
	}
	iv := &importView{Admin: a.Role == counsel.RoleAdmin, Columns: importColumns, Letters: strings.Split("ABCDEFGHI", "")}
	if !iv.Admin {
		home, err := pg.svc.HomeRegion(r.Context(), a)
		if err != nil {
			return nil, err
		}
		if iv.Home, err = pg.svc.Region(r.Context(), a, home); err != nil {
			return nil, err
		}
		if iv.Home.Level == counsel.LevelCounty {
			if iv.Towns, err = pg.svc.Children(r.Context(), a, home); err != nil {
				return nil, err
			}
		}
	}
	return iv, nil
}

func (pg *pages) importForm(w http.ResponseWriter, r *http.Request) {
	iv, err := pg.importPage(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	iv.Region = strings.TrimSpace(r.URL.Query().Get("region"))
	pg.h.Render(w, r, http.StatusOK, "import", pg.h.View(r, "import", "import.title", iv))
}

// importTemplate downloads a blank 附件1 table to fill in.
func (pg *pages) importTemplate(w http.ResponseWriter, r *http.Request) {
	title, err := pg.svc.Attachment1Title(r.Context(), web.ActorOf(r), "")
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	pg.h.SendXLSX(w, r, title+"（模板）.xlsx", "attachment1-template.xlsx", func(w io.Writer) error { return xlsx.WriteAttachment1(w, title, nil) })
}

// errFileType refuses an upload that is neither xlsx nor CSV.
var errFileType = counsel.Errorf(counsel.CodeInvalid, "err.file_type")

// readAttachment1Upload reads an uploaded 附件1 table: CSV or xlsx by the
// file's extension, else by its content (a zip is xlsx, an old binary .xls
// is refused, text is CSV).
func readAttachment1Upload(name string, data []byte) ([]xlsx.PairingRow, []counsel.FieldError, error) {
	isZip := bytes.HasPrefix(data, []byte("PK\x03\x04"))
	switch ext := strings.ToLower(path.Ext(name)); {
	case ext == ".csv" && !isZip:
		return xlsx.ReadAttachment1CSV(bytes.NewReader(data))
	case ext == ".xlsx" || ext == ".xlsm" || isZip:
		return xlsx.ReadAttachment1(bytes.NewReader(data))
	case ext == ".xls" || bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, nil, errFileType
	case ext == "" || ext == ".txt":
		return xlsx.ReadAttachment1CSV(bytes.NewReader(data))
	}
	return nil, nil, errFileType
}

// importPairings imports an uploaded 附件1 table. A file with any bad row
// imports nothing: the page answers 422 and lists every bad row with its
// row number, column and message.
func (pg *pages) importPairings(w http.ResponseWriter, r *http.Request) {
	a := web.ActorOf(r)
	iv, err := pg.importPage(r)
	if err != nil {
		pg.h.Fail(w, r, err)
		return
	}
	v := pg.h.View(r, "import", "import.title", iv)
	fail := func(err error) {
		status := pg.h.FormFail(r, v, err)
		lang := server.Lang(r.Context())
		var ce *counsel.Error
		if errors.As(err, &ce) {
			for _, f := range ce.Fields {
				if f.Row == 0 {
					continue
				}
				label := f.Field
				if k := "import.field." + f.Field; i18n.Has(k) {
					label = i18n.T(lang, k)
				}
				iv.Rows = append(iv.Rows, importRowError{Row: f.Row, Column: f.Column, Field: label, Message: i18n.T(lang, f.Key, f.Args...)})
			}
		}
		pg.h.Render(w, r, status, "import", v)
	}
	if err := web.ParseForm(r, server.MaxBody); err != nil {
		fail(err)
		return
	}
	iv.Region = strings.TrimSpace(r.PostFormValue("region"))
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fail(counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file"}))
		return
	}
	defer file.Close()
	iv.FileName = hdr.Filename
	data, err := io.ReadAll(io.LimitReader(file, server.MaxBody+1))
	if err != nil || len(data) == 0 {
		fail(counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file"}))
		return
	}
	if len(data) > server.MaxBody {
		fail(counsel.Invalid(counsel.FieldError{Field: "file", Key: "err.file_size", Args: []any{server.MaxBody >> 20}}))
		return
	}
	rows, perrs, err := readAttachment1Upload(hdr.Filename, data)
	if err != nil {
		var ce *counsel.Error
		if errors.As(err, &ce) && len(ce.Fields) == 0 && ce.Code == counsel.CodeInvalid {
			// A file-level problem (no header, a missing column) belongs
			// next to the file field.
			err = counsel.Invalid(counsel.FieldError{Field: "file", Key: ce.Key, Args: ce.Args})
		}
		fail(err)
		return
	}
	res, err := pg.svc.ImportPairings(r.Context(), a, iv.Region, rows, perrs)
	if err != nil {
		fail(err)
		return
	}
	iv.Result = res
	v.Flash = "flash.imported"
	pg.h.Render(w, r, http.StatusOK, "import", v)
}
