package services

import (
	"context"

	"patchbay/backend/connlog"
	"patchbay/backend/core"
)

// Options are what the app (or a test) supplies to start the back end: the
// core's options and the GUI's own pieces (events, file dialogs).
type Options struct {
	core.Options
	Emit     Emitter
	PickFile FilePicker
	// PickDatabaseFile asks for a SQLite database file (SQLite
	// connections' path); nil: the person types the path.
	PickDatabaseFile FilePicker
	SaveFile         FileSaver
}

// Backend is every bound service plus the core they share. The services
// exist before start-up (Wails binds them first) and are wired by Start.
type Backend struct {
	Connectors  *ConnectorService
	Connections *ConnectionService
	Logs        *LogService
	App         *AppService

	Core *core.Core
}

func NewBackend() *Backend {
	return &Backend{Connectors: NewConnectorService(), Connections: NewConnectionService(), Logs: NewLogService(), App: NewAppService()}
}

// Start opens the core and wires the services to it and to the GUI's
// events and dialogs.
func (b *Backend) Start(ctx context.Context, o Options) error {
	o.OnChunk = func(meta connlog.Meta, exchangeID string, c connlog.Chunk) {
		o.Emit(ctx, EventChunk, ChunkEvent{RunID: meta.RunID, ExchangeID: exchangeID, Chunk: c})
	}
	c, err := core.Open(ctx, o.Options)
	if err != nil {
		return err
	}
	b.Core = c
	ctx = c.Context()
	// Every stored exchange, whatever made it, reaches an open log viewer.
	c.Log.Observe(func(s connlog.Summary) { o.Emit(ctx, EventLogExchange, s) })
	b.Connectors.start(ctx, c.Catalog, c.Paths.Connectors, o.PickFile)
	b.Connections.start(ctx, c.Connections, c.Workspace.ID, o.Emit)
	b.Connections.pickDatabase = o.PickDatabaseFile
	b.Logs.start(ctx, c.Log, c.Connections, c.Store, c.Workspace.ID, o.SaveFile, c.Logger)
	b.App.start(ctx, c.Paths, c.Workspace, c.Secrets, c.CatalogWarnings)
	return nil
}

// Close closes the core; safe after a failed Start.
func (b *Backend) Close() error {
	if b.Core == nil {
		return nil
	}
	return b.Core.Close()
}
