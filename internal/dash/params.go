package dash

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/villagecounsel/counsel"
)

// dashParams reads ?region=, ?year= and ?half= of a dashboard or report
// (year and half 0 when absent).
func dashParams(r *http.Request) (region string, year, half int, err error) {
	q := r.URL.Query()
	region = strings.TrimSpace(q.Get("region"))
	if s := strings.TrimSpace(q.Get("year")); s != "" {
		if year, err = strconv.Atoi(s); err != nil || year == 0 {
			return "", 0, 0, counsel.Invalid(counsel.FieldError{Field: "year", Key: "dash.err_year", Args: []any{MinYear, MaxYear}})
		}
	}
	if s := strings.TrimSpace(q.Get("half")); s != "" {
		if half, err = strconv.Atoi(s); err != nil {
			return "", 0, 0, counsel.Invalid(counsel.FieldError{Field: "half", Key: "err.choice"})
		}
	}
	return region, year, half, nil
}
