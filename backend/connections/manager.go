package connections

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// Deps are the pieces a Manager works with; tests pass real ones built on temp dirs.
type Deps struct {
	Store     *store.Store
	Secrets   secrets.Store // the OS keychain in the app
	Catalog   *catalog.Catalog
	Log       *connlog.Log
	Verifier  *httpcheck.Verifier
	Transport http.RoundTripper // nil: a clone of http.DefaultTransport per run
	Logger    *slog.Logger
	Now       func() time.Time
	// OpenBrowser opens a URL in the system browser for OAuth authorization
	// (the app passes github.com/pkg/browser; tests an HTTP client acting as
	// a browser). nil: the person copies the link the progress shows.
	OpenBrowser func(url string) error
	// FlowTimeout bounds the wait for the browser (0: oauth2.DefaultFlowTimeout).
	FlowTimeout time.Duration
	// OnChunk receives each chunk of a streamed test response as it
	// arrives (connections with "Stream the response" on); nil: none.
	OnChunk connlog.ChunkFunc
	// ProcessLock coordinates token work with other processes on the same
	// data home; nil: this process only.
	ProcessLock ProcessLock
}

// Manager creates, verifies, saves and deletes connections.
type Manager struct {
	Deps
	mu      sync.Mutex
	runs    map[string]context.CancelFunc
	flows   map[string]context.CancelFunc // running browser authorizations by flow id
	flowsWG sync.WaitGroup
	locks   map[string]*connLock // per connection: token refreshes and saves take turns
	started time.Time            // keychain refs journalled after this belong to saves of this process
	// pending are this process's deletes that Undo can still reverse (undo.go).
	pending    map[string]*pendingDelete
	closed     bool           // Close ran: no more undo timers or undoable deletes
	background sync.WaitGroup // undo timers finishing deletes
}

func New(d Deps) *Manager {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{Deps: d, runs: map[string]context.CancelFunc{}, flows: map[string]context.CancelFunc{},
		locks: map[string]*connLock{}, started: d.Now(), pending: map[string]*pendingDelete{}}
}

// Verification is one test run's result with the exchanges it made.
type Verification struct {
	verify.Result
	RunID     string
	CheckedAt time.Time
	Exchanges []connlog.Exchange
	// ServerVersion is the database server's version banner (database
	// connections only).
	ServerVersion string
}

// SaveResult tells whether a save happened. A failing verification is not
// saved; the caller may offer to save without verifying.
type SaveResult struct {
	Saved        bool
	Connection   store.Connection
	Verification *Verification
}

// ExchangeFunc receives each exchange of a running verification as it is recorded.
type ExchangeFunc func(connlog.Exchange)

func (m *Manager) List(ctx context.Context, workspaceID string) ([]store.Connection, error) {
	return m.Store.ListConnections(ctx, workspaceID)
}

func (m *Manager) Get(ctx context.Context, id string) (store.Connection, error) {
	return m.Store.GetConnection(ctx, id)
}
