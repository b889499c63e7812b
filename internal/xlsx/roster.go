package xlsx

import (
	"errors"
	"io"
	"strings"

	counsel "github.com/villagecounsel/counsel"
)

// providerKindNames maps provider kinds to the Chinese written in rosters.
var providerKindNames = map[string]string{
	counsel.ProviderLawFirm:        "律师事务所",
	counsel.ProviderServiceOffice:  "基层法律服务所",
	counsel.ProviderJudicialOffice: "司法所",
	counsel.ProviderLegalAid:       "法律援助中心",
}

// providerKindAliases maps what clerks write to provider kinds.
var providerKindAliases = map[string]string{
	"律师事务所": counsel.ProviderLawFirm, "律所": counsel.ProviderLawFirm, "律师所": counsel.ProviderLawFirm,
	"基层法律服务所": counsel.ProviderServiceOffice, "法律服务所": counsel.ProviderServiceOffice,
	"司法所":    counsel.ProviderJudicialOffice,
	"法律援助中心": counsel.ProviderLegalAid, "法援中心": counsel.ProviderLegalAid, "法律援助机构": counsel.ProviderLegalAid,
}

// advisorKindNames maps advisor kinds to the Chinese written in rosters.
var advisorKindNames = map[string]string{
	counsel.AdvisorLawyer:        "律师",
	counsel.AdvisorGrassroots:    "基层法律服务工作者",
	counsel.AdvisorPublicLawyer:  "公职律师",
	counsel.AdvisorJudicialStaff: "司法所工作人员",
}

var advisorKindAliases = map[string]string{
	"律师": counsel.AdvisorLawyer, "执业律师": counsel.AdvisorLawyer, "专职律师": counsel.AdvisorLawyer, "兼职律师": counsel.AdvisorLawyer,
	"基层法律服务工作者": counsel.AdvisorGrassroots, "法律服务工作者": counsel.AdvisorGrassroots,
	"公职律师":    counsel.AdvisorPublicLawyer,
	"司法所工作人员": counsel.AdvisorJudicialStaff, "司法所长": counsel.AdvisorJudicialStaff, "司法所所长": counsel.AdvisorJudicialStaff,
	"司法助理员": counsel.AdvisorJudicialStaff, "司法所干部": counsel.AdvisorJudicialStaff,
}

// rosterCol describes one roster column: the field name used in field errors,
// the header written, whether the header must be present, and whether a
// header label names it.
type rosterCol struct {
	field    string
	header   string
	required bool
	match    func(l string) bool
}

func has(subs ...string) func(string) bool {
	return func(l string) bool {
		for _, s := range subs {
			if strings.Contains(l, s) {
				return true
			}
		}
		return false
	}
}

func is(words ...string) func(string) bool {
	return func(l string) bool {
		for _, w := range words {
			if l == w {
				return true
			}
		}
		return false
	}
}

func either(a, b func(string) bool) func(string) bool {
	return func(l string) bool { return a(l) || b(l) }
}

const (
	pName = iota
	pKind
	pCredit
	pPhone
	pAddress
)

var providerCols = []rosterCol{
	{"name", "单位名称", true, either(has("单位名称", "机构名称", "律所名称", "服务所名称"), is("名称", "单位", "机构"))},
	{"kind", "类型", true, either(has("类型", "类别"), is("性质", "机构性质"))},
	{"credit_code", "统一社会信用代码", false, has("信用代码", "机构代码")},
	{"phone", "联系电话", false, has("电话", "手机", "联系方式")},
	{"address", "地址", false, has("地址", "住所")},
}

const (
	aName = iota
	aGender
	aKind
	aLicence
	aProvider
	aPhone
	aWeChat
)

var advisorCols = []rosterCol{
	{"name", "姓名", true, either(has("姓名"), is("名字", "顾问"))},
	{"gender", "性别", false, has("性别")},
	{"kind", "类型", true, either(has("类型", "类别"), is("身份", "人员身份"))},
	{"licence_no", "执业证号", false, has("证号", "执业证", "证书编号", "证书号")},
	{"provider_name", "所在单位", true, has("单位", "律所", "执业机构", "服务所", "律师事务所")},
	{"phone", "联系电话", false, has("电话", "手机", "联系方式")},
	{"wechat", "微信号", false, has("微信")},
}

// rosterHeader locates a roster header in the first rows: the first row in
// which every required column is named. It returns the row index and each
// spec's sheet column (-1 when absent).
func rosterHeader(g *grid, specs []rosterCol) (int, []int, error) {
	var missing error
	for r := 0; r < g.rows() && r < maxHeaderScan; r++ {
		cols := make([]int, len(specs))
		for i := range cols {
			cols[i] = -1
		}
		found := 0
		for c := 0; c < len(g.cells[r]); c++ {
			l := label(g.at(r, c))
			if l == "" || strings.Contains(l, "序号") || strings.Contains(l, "备注") {
				continue
			}
			for i, s := range specs {
				if cols[i] < 0 && s.match(l) {
					cols[i] = c
					found++
					break
				}
			}
		}
		if found < 2 {
			continue
		}
		ok := true
		for i, s := range specs {
			if s.required && cols[i] < 0 {
				if missing == nil {
					missing = counsel.Errorf(counsel.CodeInvalid, "imp.missing_column", s.header)
				}
				ok = false
			}
		}
		if ok {
			return r, cols, nil
		}
	}
	if missing != nil {
		return 0, nil, missing
	}
	return 0, nil, counsel.Errorf(counsel.CodeInvalid, "imp.no_header")
}

// rosterRows calls row for every data row of the grid below the header, with
// the row's cells in spec order and a function reporting a field error on the
// row. Blank rows and footer lines are skipped.
func rosterRows(g *grid, specs []rosterCol, row func(excelRow int, v []string, report func(field, key string, args ...any))) ([]counsel.FieldError, error) {
	hr, cols, err := rosterHeader(g, specs)
	if err != nil {
		return nil, err
	}
	colOf := map[string]string{}
	for i, s := range specs {
		if cols[i] >= 0 {
			colOf[s.field] = colName(cols[i])
		}
	}
	var fes []counsel.FieldError
	for r := hr + 1; r < g.rows(); r++ {
		if g.blankRow(r) || isFooter(g.firstOwn(r)) {
			continue
		}
		v := make([]string, len(specs))
		empty := true
		for i := range specs {
			if cols[i] >= 0 {
				v[i] = g.at(r, cols[i])
				if v[i] != "" {
					empty = false
				}
			}
		}
		if empty {
			continue // something written only outside the roster columns
		}
		if label(v[0]) == specs[0].header {
			continue // a repeated header
		}
		row(r+1, v, func(field, key string, args ...any) {
			fes = append(fes, counsel.FieldError{Row: r + 1, Column: colOf[field], Field: field, Key: key, Args: args})
		})
	}
	return fes, nil
}

// validationFields returns the field errors of a Validate error.
func validationFields(err error) []counsel.FieldError {
	var e *counsel.Error
	if errors.As(err, &e) {
		return e.Fields
	}
	if err != nil {
		return []counsel.FieldError{{Field: "", Key: "err.invalid"}}
	}
	return nil
}

// WriteProviders writes providers as a roster with the columns 单位名称, 类型,
// 统一社会信用代码, 联系电话, 地址, readable by ReadProviders.
func WriteProviders(w io.Writer, ps []counsel.Provider) error {
	headers := make([]string, len(providerCols))
	for i, c := range providerCols {
		headers[i] = c.header
	}
	rows := make([][]any, len(ps))
	for i, p := range ps {
		kind := providerKindNames[p.Kind]
		if kind == "" {
			kind = p.Kind
		}
		rows[i] = []any{p.Name, kind, p.CreditCode, p.Phone, p.Address}
	}
	return WriteTable(w, "服务机构", "法律服务机构名册", headers, rows)
}

// ReadProviders reads a provider roster from xlsx (the first sheet with the
// header). Each row is normalised and validated as counsel.Provider does,
// except for the county, which the file does not carry and the caller sets;
// every problem comes back as a FieldError with row and column, and only good
// rows are returned.
func ReadProviders(r io.Reader) ([]counsel.Provider, []counsel.FieldError, error) {
	return readWorkbook(r, parseProviders)
}

// ReadProvidersCSV is ReadProviders for CSV with the same column names.
func ReadProvidersCSV(r io.Reader) ([]counsel.Provider, []counsel.FieldError, error) {
	g, err := openCSV(r)
	if err != nil {
		return nil, nil, err
	}
	return parseProviders(g)
}

func readWorkbook[T any](r io.Reader, parse func(*grid) ([]T, []counsel.FieldError, error)) ([]T, []counsel.FieldError, error) {
	grids, err := openWorkbook(r)
	if err != nil {
		return nil, nil, err
	}
	var best error
	for _, g := range grids {
		out, fes, err := parse(g)
		if err == nil {
			return out, fes, nil
		}
		if best == nil || isKey(best, "imp.no_header") {
			best = err
		}
	}
	return nil, nil, best
}

func parseProviders(g *grid) ([]counsel.Provider, []counsel.FieldError, error) {
	var out []counsel.Provider
	byName := map[string]int{}
	byCode := map[string]int{}
	fes, err := rosterRows(g, providerCols, func(row int, v []string, report func(field, key string, args ...any)) {
		bad := false
		rep := func(field, key string, args ...any) { bad = true; report(field, key, args...) }
		p := counsel.Provider{
			Name:       collapse(v[pName]),
			CreditCode: compact(v[pCredit]),
			Phone:      v[pPhone],
			Address:    collapse(v[pAddress]),
		}
		kindText := compact(v[pKind])
		switch k, ok := providerKindAliases[kindText]; {
		case kindText == "":
			rep("kind", "err.required")
		case !ok:
			rep("kind", "imp.bad_kind", kindText)
		default:
			p.Kind = k
		}
		p.Normalize()
		for _, fe := range validationFields(p.Validate()) {
			switch fe.Field {
			case "county_code":
				continue // not in the file; the caller sets it
			case "kind":
				if p.Kind == "" {
					continue // reported above
				}
			}
			rep(fe.Field, fe.Key, fe.Args...)
		}
		if bad {
			return
		}
		if first, ok := byName[p.Name]; ok {
			rep("name", "imp.duplicate", first)
		} else if first, ok := byCode[p.CreditCode]; ok && p.CreditCode != "" {
			rep("credit_code", "imp.duplicate", first)
		}
		if bad {
			return
		}
		byName[p.Name] = row
		if p.CreditCode != "" {
			byCode[p.CreditCode] = row
		}
		out = append(out, p)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, fes, nil
}

// AdvisorRow is one advisor of a roster: the advisor, the name of the
// provider written in 所在单位 (the caller resolves it to ProviderID), and the
// source row number on import.
type AdvisorRow struct {
	counsel.Advisor
	ProviderName string
	Row          int
}

// WriteAdvisors writes advisors as a roster with the columns 姓名, 性别, 类型,
// 执业证号, 所在单位, 联系电话, 微信号, readable by ReadAdvisors. The provider
// name is taken from ProviderName, else from the advisor's own ProviderName.
func WriteAdvisors(w io.Writer, as []AdvisorRow) error {
	headers := make([]string, len(advisorCols))
	for i, c := range advisorCols {
		headers[i] = c.header
	}
	rows := make([][]any, len(as))
	for i, a := range as {
		kind := advisorKindNames[a.Kind]
		if kind == "" {
			kind = a.Kind
		}
		gender := map[string]string{"m": "男", "f": "女"}[a.Gender]
		prov := a.ProviderName
		if prov == "" {
			prov = a.Advisor.ProviderName
		}
		rows[i] = []any{a.Name, gender, kind, a.LicenceNo, prov, a.Phone, a.WeChat}
	}
	return WriteTable(w, "法律顾问", "村(居)法律顾问名册", headers, rows)
}

// ReadAdvisors reads an advisor roster from xlsx. Each row is normalised and
// validated as counsel.Advisor does (the provider is checked only for being
// named; the caller resolves ProviderName to ProviderID); every problem comes
// back as a FieldError with row and column, and only good rows are returned.
// Imported advisors are Active.
func ReadAdvisors(r io.Reader) ([]AdvisorRow, []counsel.FieldError, error) {
	return readWorkbook(r, parseAdvisors)
}

// ReadAdvisorsCSV is ReadAdvisors for CSV with the same column names.
func ReadAdvisorsCSV(r io.Reader) ([]AdvisorRow, []counsel.FieldError, error) {
	g, err := openCSV(r)
	if err != nil {
		return nil, nil, err
	}
	return parseAdvisors(g)
}

func parseAdvisors(g *grid) ([]AdvisorRow, []counsel.FieldError, error) {
	var out []AdvisorRow
	byLicence := map[string]int{}
	byPerson := map[string]int{}
	fes, err := rosterRows(g, advisorCols, func(row int, v []string, report func(field, key string, args ...any)) {
		bad := false
		rep := func(field, key string, args ...any) { bad = true; report(field, key, args...) }
		a := AdvisorRow{Row: row, ProviderName: collapse(v[aProvider])}
		a.Name = v[aName]
		a.LicenceNo = compact(v[aLicence])
		a.Phone = v[aPhone]
		a.WeChat = v[aWeChat]
		a.Active = true
		switch gt := strings.ToLower(compact(v[aGender])); gt {
		case "":
		case "男", "m", "male", "男性":
			a.Gender = "m"
		case "女", "f", "female", "女性":
			a.Gender = "f"
		default:
			rep("gender", "imp.bad_gender", v[aGender])
		}
		kindText := compact(v[aKind])
		switch k, ok := advisorKindAliases[kindText]; {
		case kindText == "":
			rep("kind", "err.required")
		case !ok:
			rep("kind", "imp.bad_kind", kindText)
		default:
			a.Kind = k
		}
		if a.ProviderName == "" {
			rep("provider_name", "err.required")
		}
		a.Normalize()
		for _, fe := range validationFields(a.Validate()) {
			switch fe.Field {
			case "provider_id", "home_code":
				continue // resolved by the caller
			case "kind", "licence_no":
				if a.Kind == "" {
					continue // the kind is reported above; the licence depends on it
				}
			case "gender":
				continue // reported above
			}
			rep(fe.Field, fe.Key, fe.Args...)
		}
		if bad {
			return
		}
		person := a.Name + "\x00" + a.Phone
		if first, ok := byLicence[a.LicenceNo]; ok && a.LicenceNo != "" {
			rep("licence_no", "imp.duplicate", first)
		} else if first, ok := byPerson[person]; ok {
			rep("name", "imp.duplicate", first)
		}
		if bad {
			return
		}
		if a.LicenceNo != "" {
			byLicence[a.LicenceNo] = row
		}
		byPerson[person] = row
		out = append(out, a)
	})
	if err != nil {
		return nil, nil, err
	}
	return out, fes, nil
}
