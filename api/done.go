package api

// Done is an empty success answer.
type Done struct {
	OK bool `json:"ok"`
}
