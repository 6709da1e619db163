// Package apperr is the one error shape that crosses from Go to the UI: a stable
// machine code the front end can branch on, plus a sentence a person can act on.
package apperr

import (
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Code is a stable, machine-readable error class. The front end switches on it;
// never rename one.
type Code string

const (
	Validation          Code = "validation"
	NotFound            Code = "not_found"
	InUse               Code = "in_use"
	Conflict            Code = "conflict"
	KeychainUnavailable Code = "keychain_unavailable"
	VerificationFailed  Code = "verification_failed"
	Canceled            Code = "canceled"
	// MissingParameters: the connection refers to {{parameters}} whose
	// values are not known; Names lists them. The UI asks for them and sends
	// them again in the draft's parameters.
	MissingParameters Code = "missing_parameters"
	// LiteralSecret: a plain setting holds what looks like a secret typed
	// in as it is; Details lists where, and the UI offers to keep each as a
	// user secret ({{name}}), which the keychain holds.
	LiteralSecret Code = "literal_secret"
	Internal      Code = "internal"
)

// Error is a coded error. Field names the offending input when there is one,
// so a form can put the message under the right field.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
	// Names lists the names an error is about when there are several, such
	// as the parameters a missing_parameters error asks for.
	Names []string `json:"names,omitempty"`
	// Details are machine-readable facts a code carries for the UI to act
	// on (the code's own documentation says their shape). Like Message,
	// they never hold a secret's value.
	Details any `json:"details,omitempty"`
	cause   error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.cause }

// New makes a coded error with a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid is a validation error about one named input.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: Validation, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a code and message to an underlying cause (kept for errors.Is/As).
func Wrap(code Code, cause error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), cause: cause}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// From converts any error into an *Error for the UI. Uncoded errors become
// Internal with their text, which never carries secrets by construction of the
// packages below.
func From(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Message: err.Error(), cause: err}
}

// LowerFirst lets one message continue another ("Token base URL: " +
// LowerFirst(msg)) by lowering its first letter.
func LowerFirst(msg string) string {
	r, size := utf8.DecodeRuneInString(msg)
	if size == 0 {
		return msg
	}
	return string(unicode.ToLower(r)) + msg[size:]
}
