package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/villagecounsel/counsel/apptest"
)

var updateGolden = flag.Bool("update", false, "rewrite testdata/openapi.golden.json from the running API")

// TestOpenAPIStable pins the whole OpenAPI document — paths, operation ids,
// schema names and fields — to testdata/openapi.golden.json, so moving code
// between packages cannot rename a schema or drop a field unnoticed (schema
// names come from Go type names). A deliberate API change rewrites the file
// with -update and shows in review.
func TestOpenAPIStable(t *testing.T) {
	app := apptest.New(t)
	resp := app.Anonymous().Do("GET", "/api/v1/openapi.json", nil, "")
	defer resp.Body.Close()
	var doc any
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "openapi.golden.json")
	if *updateGolden {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(want)) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(bytes.TrimSpace(want), []byte("\n"))
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("openapi.json differs from %s at line %d:\n got: %s\nwant: %s", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("openapi.json differs from %s in length: %d lines, want %d", path, len(gl), len(wl))
	}
}
