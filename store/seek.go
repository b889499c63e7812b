package store

import (
	"github.com/villagecounsel/counsel"

	"context"
	"strconv"
	"strings"
)

// CountCap is how far a big list counts its rows: past it the total is shown
// as "10,000+" (counting every row of a province would cost seconds).
const CountCap = 10000

// MaxOffset bounds an offset on a list paged by cursor: a deeper page is
// asked for with after/before, never by skipping rows.
const MaxOffset = CountCap

// CountUpTo counts the rows of "SELECT … FROM … WHERE …" (q selects anything)
// up to limit+1: it returns min(count, limit) and whether there were more.
func CountUpTo(ctx context.Context, c Q, q string, limit int, args ...any) (n int, capped bool, err error) {
	n, err = c.Count(ctx, `SELECT COUNT(*) FROM (`+q+` LIMIT `+strconv.Itoa(limit+1)+`) capped`, args...)
	if err != nil {
		return 0, false, err
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// SeekKey is a keyset cursor over (key DESC, id DESC): the sort key as text
// (a date, a time, or empty when the list is ordered by id alone) and the id.
type SeekKey struct {
	Key string
	ID  int64
}

// String encodes the cursor for a URL: "key.id" or "id".
func (k SeekKey) String() string {
	if k.Key == "" {
		return strconv.FormatInt(k.ID, 10)
	}
	return k.Key + "." + strconv.FormatInt(k.ID, 10)
}

// ParseSeek decodes a cursor; ok is false for anything malformed (the list
// then starts from the top). valid checks the key part.
func ParseSeek(s string, valid func(string) bool) (SeekKey, bool) {
	if s == "" {
		return SeekKey{}, false
	}
	key, id := "", s
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		key, id = s[:i], s[i+1:]
		if valid == nil || !valid(key) {
			return SeekKey{}, false
		}
	} else if valid != nil {
		return SeekKey{}, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return SeekKey{}, false
	}
	return SeekKey{Key: key, ID: n}, true
}

// SeekCond is the condition for rows after (below, in descending order) or
// before (above) the cursor k in a list ordered by (keyCol DESC, idCol DESC).
// keyCol "" orders by id alone. Written so an index on (keyCol, id) bounds the
// scan on both engines.
func SeekCond(keyCol, idCol string, k SeekKey, after bool) (string, []any) {
	op, eq := ">", ">="
	if after {
		op, eq = "<", "<="
	}
	if keyCol == "" {
		return idCol + " " + op + " ?", []any{k.ID}
	}
	return keyCol + " " + eq + " ? AND (" + keyCol + " " + op + " ? OR " + idCol + " " + op + " ?)", []any{k.Key, k.Key, k.ID}
}

// SeekRead runs a keyset list's query: cond (with args) is "" or the cursor
// condition to AND into its WHERE; asc reverses the list's order (to read
// the page before a cursor); limit and offset go to LIMIT and OFFSET.
type SeekRead[T any] func(cond string, args []any, asc bool, limit, offset int) ([]T, error)

// SeekPage reads one page of a list ordered by (keyCol DESC, idCol DESC) as
// p asks: after a cursor, before one, or from the top (an offset of at most
// MaxOffset). It returns the rows in list order and the cursors of the next
// and previous pages ("" when there is none). A page before a cursor that
// reaches the top of the list is the first page, full.
func SeekPage[T any](p counsel.Page, keyCol, idCol string, valid func(string) bool, keyOf func(T) SeekKey, read SeekRead[T]) (rows []T, next, prev string, err error) {
	p = p.Clamp()
	n := p.Limit
	if k, ok := ParseSeek(p.Before, valid); ok {
		cond, args := SeekCond(keyCol, idCol, k, false)
		rows, err = read(cond, args, true, n+1, 0)
		if err != nil {
			return nil, "", "", err
		}
		if len(rows) > n {
			rows = rows[:n]
			for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
				rows[i], rows[j] = rows[j], rows[i]
			}
			return rows, keyOf(rows[len(rows)-1]).String(), keyOf(rows[0]).String(), nil
		}
		p.Offset = 0 // reached the top: the first page
	} else if k, ok := ParseSeek(p.After, valid); ok {
		cond, args := SeekCond(keyCol, idCol, k, true)
		rows, err = read(cond, args, false, n+1, 0)
		if err != nil || len(rows) == 0 {
			return rows, "", "", err
		}
		if len(rows) > n {
			rows = rows[:n]
			next = keyOf(rows[n-1]).String()
		}
		return rows, next, keyOf(rows[0]).String(), nil
	}
	off := min(max(p.Offset, 0), MaxOffset)
	rows, err = read("", nil, false, n+1, off)
	if err != nil || len(rows) == 0 {
		return rows, "", "", err
	}
	if len(rows) > n {
		rows = rows[:n]
		next = keyOf(rows[n-1]).String()
	}
	if off > 0 {
		prev = keyOf(rows[0]).String()
	}
	return rows, next, prev, nil
}

// SeekEach calls fn for every row of a list ordered by (keyCol DESC, idCol
// DESC), reading it in pages of size rows by cursor, each page its own
// query: an export of millions of rows holds one page in memory and no read
// transaction open for minutes.
func SeekEach[T any](size int, keyCol, idCol string, keyOf func(T) SeekKey, read SeekRead[T], fn func(T) error) error {
	var cond string
	var args []any
	for {
		rows, err := read(cond, args, false, size, 0)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(rows) < size {
			return nil
		}
		cond, args = SeekCond(keyCol, idCol, keyOf(rows[len(rows)-1]), true)
	}
}

// EngineOf names the engine a Q runs on (SQLite or Postgres), for the few
// queries written differently on each (full-text search).
func EngineOf(q Q) string {
	switch c := q.(type) {
	case *DB:
		return c.conn.engine
	case *Tx:
		return c.conn.engine
	}
	return SQLite
}
