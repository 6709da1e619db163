package services

import (
	"context"
	"sync"

	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/store"
	"patchbay/backend/theme"
	"patchbay/backend/transfer"
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
	// PickExportFile and SaveExportFile are the dialogs of Settings' import
	// and export (nil: this build has none).
	PickExportFile FilePicker
	SaveExportFile FileSaver
	// OpenFolder shows a folder in the system file manager (the app: the
	// same opener as OAuth's browser; nil: this build cannot).
	OpenFolder func(path string) error
	// ThemeChosen tells the window a new theme choice (the page it serves
	// next carries it); nil: nothing to tell.
	ThemeChosen func(theme.Choice)
	// PaintWindow paints the window's own background, under the page, light
	// or dark; nil: nothing to paint.
	PaintWindow func(ctx context.Context, dark bool)
}

// Backend is every bound service plus the core they share. The services
// exist before start-up (Wails binds them first) and are wired by Start.
type Backend struct {
	Connectors   *ConnectorService
	Connections  *ConnectionService
	Integrations *IntegrationService
	Workspaces   *WorkspaceService
	Logs         *LogService
	App          *AppService

	Core *core.Core
}

func NewBackend() *Backend {
	return &Backend{Connectors: NewConnectorService(), Connections: NewConnectionService(), Integrations: NewIntegrationService(),
		Workspaces: NewWorkspaceService(), Logs: NewLogService(), App: NewAppService()}
}

// Bound lists the services Wails binds, so main.go and the tests agree.
func (b *Backend) Bound() []any {
	return []any{b.Connectors, b.Connections, b.Integrations, b.Workspaces, b.Logs, b.App}
}

// current is the workspace the window shows: every service reads it, the
// workspace service changes it.
type current struct {
	mu sync.RWMutex
	ws store.Workspace
}

func (c *current) get() store.Workspace {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ws
}

func (c *current) id() string { return c.get().ID }

func (c *current) set(w store.Workspace) {
	c.mu.Lock()
	c.ws = w
	c.mu.Unlock()
}

// Start opens the core and wires the services to it and to the GUI's
// events and dialogs.
func (b *Backend) Start(ctx context.Context, o Options) error {
	o.OnChunk = func(meta connlog.Meta, exchangeID string, c connlog.Chunk) {
		o.Emit(ctx, EventChunk, ChunkEvent{RunID: meta.RunID, ExchangeID: exchangeID, ConnectionID: meta.ConnectionID, Chunk: c})
	}
	c, err := core.Open(ctx, o.Options)
	if err != nil {
		return err
	}
	b.Core = c
	ctx = c.Context()
	// Every stored exchange, whatever made it, reaches an open log viewer.
	c.Log.Observe(func(s connlog.Summary) { o.Emit(ctx, EventLogExchange, s) })
	cur := &current{ws: c.Workspace}
	b.Connectors.start(ctx, c.Catalog, c.Paths.Connectors, o.PickFile)
	b.Connections.start(ctx, c.Connections, c.Store, cur, o.Emit)
	b.Connections.pickDatabase = o.PickDatabaseFile
	b.Integrations.start(ctx, c.Integrations, cur, o.Emit)
	b.Workspaces.start(ctx, c.Workspaces, cur, o.Emit)
	b.Workspaces.transfer = transfer.Store{Store: c.Store, Connections: c.Connections, Catalog: c.Catalog}
	b.Workspaces.integrations = c.Integrations
	b.Workspaces.pickFile, b.Workspaces.saveFile = o.PickExportFile, o.SaveExportFile
	b.Logs.start(ctx, c.Log, c.Connections, c.Store, cur, o.SaveFile, c.Logger)
	b.App.start(ctx, c.Paths, cur, c.Secrets, c.CatalogWarnings)
	b.App.settings, b.App.logger = c.Store, c.Logger
	b.App.openFolder, b.App.themeChosen, b.App.paintWindow = o.OpenFolder, o.ThemeChosen, o.PaintWindow
	return nil
}

// Close closes the core; safe after a failed Start.
func (b *Backend) Close() error {
	if b.Core == nil {
		return nil
	}
	return b.Core.Close()
}
