package connections_test

import (
	"context"
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/store"
)

// These tests drive the connection manager as every front door does: built
// by core.Open on a real data home (SQLite files in a temp dir), with the
// real Secret Service, real HTTP peers, a real OAuth provider and real
// database servers. Run them through scripts/with-keyring.sh.

// databases are the real PostgreSQL and MariaDB servers of the database
// connection tests, started once, on first use, and stopped after the last
// test.
var databases = connectionstest.Databases()

func TestMain(m *testing.M) {
	code := m.Run()
	databases.Close()
	os.Exit(code)
}

// kinds describes a run's exchanges as "kind status".
var kinds = connectionstest.Kinds

// env is an opened core on a data home that outlives restarts.
type env struct {
	home    string
	keyring keychain.Keyring
	adjust  func(*core.Options) // applied on every (re)start
	core    *core.Core
	m       *connections.Manager
}

// newEnv opens a core on a fresh data home with the system keychain.
func newEnv(t *testing.T) *env {
	return newEnvWith(t, keychain.System(), nil)
}

func newEnvWith(t *testing.T, kr keychain.Keyring, adjust func(*core.Options)) *env {
	connectionstest.RequireSecretService(t)
	e := &env{home: t.TempDir(), keyring: kr, adjust: adjust}
	e.start(t)
	return e
}

// start (re)opens the core on the same data home, as an app start does.
func (e *env) start(t *testing.T) {
	t.Helper()
	o := core.Options{Home: e.home, Keyring: e.keyring, KeychainTimeout: 5 * time.Second}
	if e.adjust != nil {
		e.adjust(&o)
	}
	c, err := core.Open(t.Context(), o)
	require.NoError(t, err)
	e.core, e.m = c, c.Connections
	t.Cleanup(func() { _ = c.Close() })
}

func (e *env) restart(t *testing.T) {
	t.Helper()
	require.NoError(t, e.core.Close())
	e.start(t)
}

// ctx is what front doors run the manager's work under: it ends when the
// core closes.
func (e *env) ctx() context.Context { return e.core.Context() }

func (e *env) workspace() string { return e.core.Workspace.ID }

func (e *env) test(t *testing.T, d connections.Draft) connections.Verification {
	t.Helper()
	v, err := e.m.Test(e.ctx(), e.workspace(), d, "", nil)
	require.NoError(t, err)
	return v
}

func (e *env) save(t *testing.T, d connections.Draft, verifyFirst bool) connections.SaveResult {
	t.Helper()
	res, err := e.m.Save(e.ctx(), e.workspace(), d, verifyFirst, "", nil)
	require.NoError(t, err)
	return res
}

func (e *env) retest(t *testing.T, id string) connections.Verification {
	t.Helper()
	v, err := e.m.Retest(e.ctx(), id, "", nil, nil)
	require.NoError(t, err)
	return v
}

func (e *env) get(t *testing.T, id string) store.Connection {
	t.Helper()
	c, err := e.m.Get(e.ctx(), id)
	require.NoError(t, err)
	return c
}

func (e *env) list(t *testing.T) []store.Connection {
	t.Helper()
	list, err := e.m.List(e.ctx(), e.workspace())
	require.NoError(t, err)
	return list
}

func (e *env) reveal(t *testing.T, id, field string) string {
	t.Helper()
	v, err := e.m.Reveal(e.ctx(), id, field)
	require.NoError(t, err)
	return v
}

func (e *env) lastRun(t *testing.T, id string) []connlog.Exchange {
	t.Helper()
	list, err := e.m.LastRun(e.ctx(), id)
	require.NoError(t, err)
	return list
}

func (e *env) requireNoOrphans(t *testing.T) {
	t.Helper()
	refs, err := e.core.Store.OrphanSecretRefs(t.Context(), time.Now())
	require.NoError(t, err)
	require.Empty(t, refs, "no keychain entry without its connection")
}

// exchanges records what a run streams to its caller (onExchange).
type exchanges struct {
	mu   sync.Mutex
	list []connlog.Exchange
}

func (x *exchanges) add(e connlog.Exchange) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.list = append(x.list, e)
}

func (x *exchanges) all() []connlog.Exchange {
	x.mu.Lock()
	defer x.mu.Unlock()
	return append([]connlog.Exchange(nil), x.list...)
}

// jsonOf is v as the JSON a front end or a script would get.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
