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
