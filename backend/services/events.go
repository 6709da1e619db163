package services

import "context"

// Event names the front end subscribes to.
const (
	EventExchange           = "verify:exchange"     // payload: ExchangeEvent
	EventConnectionsChanged = "connections:changed" // no payload
	EventOAuthProgress      = "oauth:progress"      // payload: OAuthProgressEvent
	EventChunk              = "verify:chunk"        // payload: ChunkEvent
)

// Emitter sends an event to the front end. app.go passes the Wails runtime's
// EventsEmit; tests pass a recorder.
type Emitter func(ctx context.Context, name string, data ...any)
