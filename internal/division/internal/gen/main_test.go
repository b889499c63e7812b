package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSelected(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"62", true},            // ancestor of 621025
		{"6210", true},          // ancestor of 621025
		{"621025", true},        // the scope itself
		{"621025100200", true},  // inside
		{"621026", false},       // sibling county
		{"6211", false},         // sibling city
		{"33", true},            // ancestor of 3302
		{"330203001001", true},  // inside 3302
		{"330303", false},       // other city of 33
		{"11", false},           // unrelated province
		{"", false},             // empty line
		{"code", false},         // stray header
		{"340203", false},       // sibling of 340202
		{"340202001001", true},  // inside 340202
		{"320412100200", true},  // inside 3204
		{"321000000000", false}, // other city of 32
	}
	for _, tt := range tests {
		if got := Selected(tt.code); got != tt.want {
			t.Errorf("Selected(%q): got %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestFilter(t *testing.T) {
	in := "code,name,provinceCode\n1101,\"市辖区\",11\n6210,\"庆阳市\",62\n6211,\"定西市\",62\n3302,\"宁波市\",33"
	want := "code,name,provinceCode\n6210,\"庆阳市\",62\n3302,\"宁波市\",33\n"
	var buf bytes.Buffer
	if err := Filter(&buf, strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != want {
		t.Errorf("Filter: got %q, want %q", got, want)
	}
}

// TestExtractUpToDate regenerates the extract from the full dist folder named
// by COUNSEL_DIVISION_DIR and compares it with the committed one.
func TestExtractUpToDate(t *testing.T) {
	src := os.Getenv("COUNSEL_DIVISION_DIR")
	if src == "" {
		t.Skip("COUNSEL_DIVISION_DIR not set")
	}
	out := t.TempDir()
	if err := Generate(src, out); err != nil {
		t.Fatal(err)
	}
	for _, name := range Files {
		got, err := os.ReadFile(filepath.Join("..", "..", "data", "extract", name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("data/extract/%s: got %d bytes, want %d bytes as generated; run go generate ./division", name, len(got), len(want))
		}
	}
}
