// Package core wires Patchbay's core in one place: the data home, the app's
// own log, the SQLite store, the secrets store (the OS keychain), the
// connector catalog, the connection log, the connection manager, and the
// workspaces and integrations built on it. It imports no Wails: the GUI's
// services build it, and so can a command-line front door, so both work on
// the same data in the same way.
package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/integrations"
	"patchbay/backend/secrets"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/store"
	"patchbay/backend/verify/httpcheck"
	"patchbay/backend/workspaces"
)

// Version is set at build time with -ldflags "-X patchbay/backend/core.Version=…".
var Version = "dev"

// keychainService is the service name every keychain entry is filed under.
const keychainService = "Patchbay"

// Options are what a front door (or a test) supplies to open the core.
type Options struct {
	Home            string           // data home; see ResolveHome
	Keyring         keychain.Keyring // nil: keychain.System(), the OS keychain
	KeychainTimeout time.Duration    // bound on every keychain call (<= 0: 3 s)
	// Transport carries every request a verification makes (nil: a fresh
	// default transport per run); tests pass one that trusts their peers.
	Transport http.RoundTripper
	// OpenBrowser opens OAuth authorization URLs in the system browser (the
	// app: github.com/pkg/browser; tests: an HTTP client acting as one).
	OpenBrowser func(url string) error
	// FlowTimeout bounds the wait for the browser (0: 5 minutes).
	FlowTimeout time.Duration
	// OnChunk receives each chunk of a streamed test response as it
	// arrives (nil: none).
	OnChunk connlog.ChunkFunc
	// SkipSweep leaves orphaned keychain entries and deletes an earlier run
	// left pending to the app: a short command-line run has no reason to
	// touch the keychain at start.
	SkipSweep bool
	// Now is the connection manager's clock (nil: time.Now); tests move it
	// to end an Undo's window.
	Now func() time.Time
}

// Core is the opened core. Its pieces are shared by every front door.
type Core struct {
	Paths        Paths
	Logger       *slog.Logger
	Store        *store.Store
	Secrets      secrets.Store
	Catalog      *catalog.Catalog
	Log          *connlog.Log
	Connections  *connections.Manager
	Workspaces   *workspaces.Manager
	Integrations *integrations.Manager
	// Workspace is the workspace last used when the core opened (the
	// default one on a first start).
	Workspace store.Workspace
	// CatalogWarnings name the user connector definitions that were
	// skipped, each with why.
	CatalogWarnings []string

	logFile io.Closer
	ctx     context.Context    // what runs on the core's behalf (authorizations) runs under it
	stop    context.CancelFunc // ends ctx
	bg      sync.WaitGroup     // background work (the orphan sweep) that uses the store
}

// Open opens the data home, the app log, the database, the catalog and the
// keychain, and wires the connection manager. Orphaned keychain entries are
// swept in the background: the keychain may be slow or locked. Everything
// started on the core's behalf (a browser authorization still waiting) ends
// when ctx does or at Close.
func Open(ctx context.Context, o Options) (*Core, error) {
	c := &Core{}
	c.ctx, c.stop = context.WithCancel(ctx)
	ctx = c.ctx
	if err := c.open(ctx, o); err != nil {
		_ = c.Close()
		return nil, err
	}
	if o.SkipSweep {
		return c, nil
	}
	c.bg.Add(1)
	go func() {
		defer c.bg.Done()
		// A delete whose Undo died with an earlier run is finished first.
		if _, err := c.Connections.FinishDeletes(ctx); err != nil {
			c.Logger.Warn("finish deletes left pending", "error", err)
		}
		if _, err := c.Connections.SweepOrphans(ctx); err != nil {
			c.Logger.Warn("sweep orphaned keychain entries", "error", err)
		}
	}()
	return c, nil
}

func (c *Core) open(ctx context.Context, o Options) error {
	began := time.Now()
	paths, err := PrepareHome(o.Home)
	if err != nil {
		return err
	}
	logger, logFile, err := openAppLog(paths.LogFile)
	if err != nil {
		return err
	}
	c.Paths, c.Logger, c.logFile = paths, logger, logFile

	st, err := store.Open(paths.Database)
	if err != nil {
		return fmt.Errorf("open the database %s: %w", paths.Database, err)
	}
	c.Store = st

	if c.Catalog, err = catalog.LoadBuiltins(); err != nil {
		return fmt.Errorf("load the built-in connectors: %w", err)
	}
	for _, err := range catalog.LoadUserDir(c.Catalog, paths.Connectors) {
		logger.Warn("skipped a connector definition", "error", err)
		c.CatalogWarnings = append(c.CatalogWarnings, err.Error())
	}

	kr := o.Keyring
	if kr == nil {
		kr = keychain.System()
	}
	c.Secrets = keychain.New(kr, keychainService, o.KeychainTimeout)
	c.Log = connlog.NewLog(st.DB(), time.Now)
	c.Log.SetLogger(logger)
	c.Connections = connections.New(connections.Deps{
		Store:       st,
		Secrets:     c.Secrets,
		Catalog:     c.Catalog,
		Log:         c.Log,
		Verifier:    httpcheck.New(time.Now),
		Transport:   o.Transport,
		Logger:      logger,
		OpenBrowser: o.OpenBrowser,
		FlowTimeout: o.FlowTimeout,
		OnChunk:     o.OnChunk,
		ProcessLock: fileLocks(paths.Locks),
		Now:         o.Now,
	})
	c.Workspaces = &workspaces.Manager{Store: st, Connections: c.Connections, Logger: logger}
	c.Integrations = &integrations.Manager{Store: st, Catalog: c.Catalog, Connections: c.Connections, Logger: logger}
	if c.Workspace, err = c.Workspaces.Current(ctx); err != nil {
		return err
	}
	// How long opening took (data home, log, database and its migrations,
	// catalog, keychain handle): the GUI opens the core beside the window, and
	// this says whether it is still small next to WebKit's start.
	logger.Info("started", "version", Version, "dataDir", paths.Root, "took", time.Since(began).Round(time.Millisecond))
	return nil
}

// Context ends when the core closes: a front door runs the work it does on
// the core's behalf under it, so closing the app stops a browser
// authorization that is still waiting, closes its listener and saves
// nothing.
func (c *Core) Context() context.Context { return c.ctx }

// Close stops running authorizations (waiting briefly for them to let go of
// their listeners and the database), then closes the database and the log;
// safe after a failed Open.
func (c *Core) Close() error {
	if c.stop != nil {
		c.stop()
	}
	if c.Connections != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c.Connections.WaitAuthorizations(ctx)
		// The sweep must not touch the database (or the data home) after it
		// is closed: a test's temp dir would be written to while removed.
		swept := make(chan struct{})
		go func() { c.bg.Wait(); close(swept) }()
		select {
		case <-swept:
		case <-ctx.Done():
		}
		// Deletes still offering Undo are finished: nobody can press it now.
		if err := c.Connections.Close(ctx); err != nil {
			c.Logger.Warn("finish pending deletes at quit; the next start finishes them", "error", err)
		}
		cancel()
	}
	var errs []error
	if c.Log != nil {
		// What the log's writer still holds reaches the file first.
		errs = append(errs, c.Log.Close())
	}
	if c.Store != nil {
		errs = append(errs, c.Store.Close())
	}
	if c.logFile != nil {
		errs = append(errs, c.logFile.Close())
	}
	return errors.Join(errs...)
}
