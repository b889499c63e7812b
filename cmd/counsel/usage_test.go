package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// counsel without a command prints the commands and starts nothing: no
// server, no ./data directory.
func TestNoCommandPrintsUsage(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errOut bytes.Buffer
	err := run(context.Background(), nil, func(string) string { return "" }, &out, &errOut)
	if !errors.Is(err, errUsage) {
		t.Fatalf("run() = %v, want the usage error", err)
	}
	for _, cmd := range []string{"serve", "migrate", "regions import", "user create", "ledger verify", "bench"} {
		if !strings.Contains(errOut.String(), cmd) {
			t.Errorf("usage does not name %q:\n%s", cmd, errOut.String())
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("running without a command created %v", entries)
	}
}
