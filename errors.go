// Package counsel holds the domain types of Village Counsel: regions, providers,
// advisors, agreements, legal-literate persons and pairings, the validation rules
// that apply to them, and the one error type every layer speaks.
package counsel

import (
	"errors"
	"fmt"
)

// Code classifies an error so that one place can map it to an HTTP status.
type Code string

// Error codes.
const (
	CodeInvalid      Code = "invalid"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeForbidden    Code = "forbidden"
	CodeUnauthorized Code = "unauthorized"
	CodeInternal     Code = "internal"
)

// FieldError names one bad field (and, for imports, the row and column) with a
// message key from the i18n catalogs and its arguments.
type FieldError struct {
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	Field  string `json:"field"`
	Key    string `json:"key"`
	Args   []any  `json:"args,omitempty"`
}

// Error is the application error. Key is a message key in the i18n catalogs;
// the text shown to a user is always produced from it in the user's language.
type Error struct {
	Code   Code
	Key    string
	Args   []any
	Fields []FieldError
	Err    error // underlying cause, never shown to users
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if len(e.Args) > 0 {
		s += fmt.Sprint(e.Args)
	}
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s %s%v", f.Field, f.Key, f.Args)
		if f.Row > 0 {
			s += fmt.Sprintf(" (row %d)", f.Row)
		}
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error with a code, a message key and its arguments.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Key: "err.invalid", Fields: fields}
}

// ErrorCode returns the Code of err, CodeInternal for foreign errors.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Fields collects field errors while validating a value.
type Fields []FieldError

// Add appends a field error.
func (f *Fields) Add(field, key string, args ...any) {
	*f = append(*f, FieldError{Field: field, Key: key, Args: args})
}

// Err returns nil when no field error was added, otherwise an Invalid error.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return Invalid(f...)
}

// ErrForbidden and ErrNotFound are the answers to a request outside the
// actor's rights or scope. A record the actor may not see is "not found", so
// that its existence does not leak.
var (
	ErrForbidden = Errorf(CodeForbidden, "err.forbidden")
	ErrNotFound  = Errorf(CodeNotFound, "err.not_found")
)

// OutOfScope refuses a change that names a record or region outside the
// actor's scope, pointing at the field.
func OutOfScope(field string) error {
	return &Error{Code: CodeForbidden, Key: "err.out_of_scope", Fields: []FieldError{{Field: field, Key: "err.out_of_scope"}}}
}
