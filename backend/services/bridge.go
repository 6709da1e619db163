package services

// What crosses the Wails bridge: errors as the typed JSON the front end
// parses, the names of the events it subscribes to, and the JSON shapes a
// typed front end expects ([] rather than null, RFC 3339 times).

import (
	"context"
	"encoding/json"
	"time"

	"patchbay/backend/apperr"
)

// uiError carries an *apperr.Error across the Wails bridge. Wails rejects the
// JS promise with err.Error(), so the text is the JSON the front end's api
// module parses back into {code, message, field}.
type uiError struct{ e *apperr.Error }

func (u uiError) Error() string {
	b, _ := json.Marshal(u.e)
	return string(b)
}

func (u uiError) Unwrap() error { return u.e }

// toUI converts any error into the bridge shape; nil stays nil.
func toUI(err error) error {
	if err == nil {
		return nil
	}
	return uiError{apperr.From(err)}
}

// Event names the front end subscribes to.
const (
	EventExchange           = "verify:exchange"     // payload: ExchangeEvent
	EventConnectionsChanged = "connections:changed" // no payload
	EventOAuthProgress      = "oauth:progress"      // payload: OAuthProgressEvent
	EventChunk              = "verify:chunk"        // payload: ChunkEvent
	// EventLogExchange carries the connlog.Summary of every exchange the
	// moment it is stored, whatever made it, so an open log viewer shows it
	// live.
	EventLogExchange = "log:exchange"
)

// Emitter sends an event to the front end. app.go passes the Wails runtime's
// EventsEmit; tests pass a recorder.
type Emitter func(ctx context.Context, name string, data ...any)

func rfc3339(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// nonNil keeps JSON arrays as [] rather than null for the typed front end.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
