package store

import (
	"context"
	"fmt"
	"strings"
)

// Schema describes the migrated schema in engine-neutral terms, for the parity
// test: each table's columns as "name type-family null|notnull", and index
// names.
type Schema struct {
	Tables  map[string][]string
	Indexes map[string]bool
}

// family maps a declared column type to int, text or bool.
func family(t string) string {
	t = strings.ToLower(t)
	switch {
	case strings.Contains(t, "int"):
		return "int"
	case strings.Contains(t, "bool"):
		return "bool"
	case strings.Contains(t, "char"), strings.Contains(t, "text"):
		return "text"
	}
	return t
}

// Schema reads the schema of the database.
func (db *DB) Schema(ctx context.Context) (*Schema, error) {
	s := &Schema{Tables: map[string][]string{}, Indexes: map[string]bool{}}
	var tables []string
	var q string
	if db.Engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	}
	rows, err := db.query(ctx, q)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		if !textIndexPart(n) {
			tables = append(tables, n)
		}
	}
	rows.Close()
	for _, t := range tables {
		var cols []string
		if db.Engine == Postgres {
			rows, err = db.query(ctx, `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`, t)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var name, typ, null string
				if err := rows.Scan(&name, &typ, &null); err != nil {
					rows.Close()
					return nil, err
				}
				cols = append(cols, fmt.Sprintf("%s %s %v", name, family(typ), null == "YES"))
			}
		} else {
			rows, err = db.query(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, t)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var name, typ string
				var notnull, pk int
				if err := rows.Scan(&name, &typ, &notnull, &pk); err != nil {
					rows.Close()
					return nil, err
				}
				// SQLite lets a non-integer primary key be NULL; PostgreSQL never does.
				cols = append(cols, fmt.Sprintf("%s %s %v", name, family(typ), notnull == 0 && pk == 0))
			}
		}
		rows.Close()
		s.Tables[t] = cols
	}
	if db.Engine == Postgres {
		q = `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)`
	} else {
		q = `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'`
	}
	rows, err = db.query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !textIndexPart(n) {
			s.Indexes[n] = true
		}
	}
	return s, rows.Err()
}

// textIndexPart reports whether a table or index is part of a full-text
// index, which each engine builds its own way (SQLite: an FTS5 table and its
// shadow tables, entries_fts*; PostgreSQL: a GIN index of bigrams,
// entries_grams).
func textIndexPart(name string) bool {
	return strings.HasPrefix(name, "entries_fts") || name == "entries_grams"
}
