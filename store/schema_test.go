package store_test

import (
	"context"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/villagecounsel/counsel/store"
	"github.com/villagecounsel/counsel/store/storetest"
)

// TestSchemaParity migrates both engines and compares tables, columns, their
// type families, nullability and indexes.
func TestSchemaParity(t *testing.T) {
	if storetest.PostgresURL() == "" {
		t.Skip("COUNSEL_TEST_POSTGRES not set: parity needs both engines")
	}
	ctx := context.Background()
	lite := storetest.Open(t, store.SQLite)
	pg := storetest.Open(t, store.Postgres)
	a, err := lite.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := pg.Schema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Tables) == 0 {
		t.Fatal("sqlite schema has no tables")
	}
	for name, cols := range a.Tables {
		if !reflect.DeepEqual(cols, b.Tables[name]) {
			t.Errorf("table %s:\n sqlite   %v\n postgres %v", name, cols, b.Tables[name])
		}
	}
	for name := range b.Tables {
		if _, ok := a.Tables[name]; !ok {
			t.Errorf("table %s only on postgres", name)
		}
	}
	ai, bi := keys(a.Indexes), keys(b.Indexes)
	if strings.Join(ai, ",") != strings.Join(bi, ",") {
		t.Errorf("indexes differ:\n sqlite   %v\n postgres %v", ai, bi)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
