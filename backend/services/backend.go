package services

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"patchbay/backend/applog"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/datahome"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/store"
	"patchbay/backend/verify/httpcheck"
)

// Options are what the app (or a test) supplies to start the back end.
type Options struct {
	Home            string           // data home; see datahome.Resolve
	Keyring         keychain.Keyring // keychain.System() in the app
	KeychainTimeout time.Duration
	Emit            Emitter
	PickFile        FilePicker
	// PickDatabaseFile asks for a SQLite database file (SQLite
	// connections' path); nil: the person types the path.
	PickDatabaseFile FilePicker
	SaveFile         FileSaver
	Transport        http.RoundTripper // nil: a fresh default transport per verification
	// OpenBrowser opens OAuth authorization URLs in the system browser (the
	// app: github.com/pkg/browser; tests: an HTTP client acting as one).
	OpenBrowser func(url string) error
	// FlowTimeout bounds the wait for the browser (0: 5 minutes).
	FlowTimeout time.Duration
}

// Backend is every bound service plus what they share. The services exist
// before start-up (Wails binds them first) and are wired by Start.
type Backend struct {
	Connectors  *ConnectorService
	Connections *ConnectionService
	Logs        *LogService
	App         *AppService

	Manager *connections.Manager
	Paths   datahome.Paths
	Logger  *slog.Logger

	store   *store.Store
	logFile io.Closer
	stop    context.CancelFunc // ends what runs on the app's behalf (authorizations) at Close
	bg      sync.WaitGroup     // background work (the orphan sweep) that uses the store
}

func NewBackend() *Backend {
	return &Backend{Connectors: NewConnectorService(), Connections: NewConnectionService(), Logs: NewLogService(), App: NewAppService()}
}

// Start opens the data home, the app log, the database, the catalog and the
// keychain, and wires the services. Orphaned keychain entries are swept in
// the background: the keychain may be slow or locked.
func (b *Backend) Start(ctx context.Context, o Options) error {
	// Everything started for the app ends with it: a browser authorization
	// still waiting when the app closes stops, closes its listener and saves
	// nothing.
	ctx, b.stop = context.WithCancel(ctx)
	paths, err := datahome.Prepare(o.Home)
	if err != nil {
		return err
	}
	logger, logFile, err := applog.Open(paths.LogFile)
	if err != nil {
		return err
	}
	b.Paths, b.Logger, b.logFile = paths, logger, logFile

	st, err := store.Open(paths.Database)
	if err != nil {
		return fmt.Errorf("open the database %s: %w", paths.Database, err)
	}
	b.store = st
	ws, err := st.DefaultWorkspace(ctx)
	if err != nil {
		return err
	}

	cat, err := catalog.LoadBuiltins()
	if err != nil {
		return fmt.Errorf("load the built-in connectors: %w", err)
	}
	var warnings []string
	for _, err := range catalog.LoadUserDir(cat, paths.Connectors) {
		logger.Warn("skipped a connector definition", "error", err)
		warnings = append(warnings, err.Error())
	}

	v := keychain.New(o.Keyring, "Patchbay", o.KeychainTimeout)
	connLog := connlog.NewLog(st.DB(), time.Now)
	// Every stored exchange, whatever made it, reaches an open log viewer.
	connLog.Observe(func(s connlog.Summary) { o.Emit(ctx, EventLogExchange, s) })
	b.Manager = connections.New(connections.Deps{
		Store:       st,
		Secrets:     v,
		Catalog:     cat,
		Log:         connLog,
		Verifier:    httpcheck.New(time.Now),
		Transport:   o.Transport,
		Logger:      logger,
		OpenBrowser: o.OpenBrowser,
		FlowTimeout: o.FlowTimeout,
		OnChunk: func(meta connlog.Meta, exchangeID string, c connlog.Chunk) {
			o.Emit(ctx, EventChunk, ChunkEvent{RunID: meta.RunID, ExchangeID: exchangeID, Chunk: c})
		},
	})
	b.Connectors.start(ctx, cat, paths.Connectors, o.PickFile)
	b.Connections.start(ctx, b.Manager, ws.ID, o.Emit)
	b.Connections.pickDatabase = o.PickDatabaseFile
	b.Logs.start(ctx, connLog, b.Manager, st, ws.ID, o.SaveFile, logger)
	b.App.start(ctx, paths, ws, v, warnings)
	logger.Info("started", "version", Version, "dataDir", paths.Root)

	b.bg.Add(1)
	go func() {
		defer b.bg.Done()
		if _, err := b.Manager.SweepOrphans(ctx); err != nil {
			logger.Warn("sweep orphaned keychain entries", "error", err)
		}
	}()
	return nil
}

// Close stops running authorizations (waiting briefly for them to let go of
// their listeners and the database), then closes the database and the log;
// safe after a failed Start.
func (b *Backend) Close() error {
	if b.stop != nil {
		b.stop()
	}
	if b.Manager != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		b.Manager.WaitAuthorizations(ctx)
		// The sweep must not touch the database (or the data home) after it
		// is closed: a test's temp dir would be written to while removed.
		swept := make(chan struct{})
		go func() { b.bg.Wait(); close(swept) }()
		select {
		case <-swept:
		case <-ctx.Done():
		}
		cancel()
	}
	var errs []error
	if b.store != nil {
		errs = append(errs, b.store.Close())
	}
	if b.logFile != nil {
		errs = append(errs, b.logFile.Close())
	}
	return errors.Join(errs...)
}
