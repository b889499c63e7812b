package store

import "database/sql"

// Changed reports whether an UPDATE touched a row (pass Exec's results).
func Changed(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// majorChanged is Changed under the name consult.go still calls it by.
func majorChanged(res sql.Result, err error) (bool, error) { return Changed(res, err) }
