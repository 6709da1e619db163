package connections_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
	"patchbay/backend/integrations"
	"patchbay/backend/secrets"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// clock is a manager clock a test moves by hand, so the end of an Undo's
// window is a step of the test, not a wait.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func newClock() *clock { return &clock{at: time.Now()} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// undoEnv is an env whose manager runs on clk, with one Connected
// connection holding key, which an inactive integration uses as its source.
type undoEnv struct {
	*env
	clk         *clock
	conn        store.Connection
	integration string
	stored      map[string]string // the keychain entry as saved
}

func newUndoEnv(t *testing.T, kr keychain.Keyring, key string) *undoEnv {
	clk := newClock()
	e := newEnvWith(t, kr, func(o *core.Options) { o.Now = clk.now })
	api := connectionstest.KeyAPI(t, key)
	res := e.save(t, connectionstest.APIKeyDraft(api.URL, "Billing", key), true)
	require.True(t, res.Saved, "%+v", res.Verification)
	v, err := e.core.Integrations.Save(e.ctx(), e.workspace(), integrations.Draft{Name: "Nightly export",
		Source: store.Side{ConnectorID: "http", ConnectionID: res.Connection.ID}, Destination: store.Side{ConnectorID: "http"}})
	require.NoError(t, err)
	stored, err := e.core.Secrets.Get(e.ctx(), res.Connection.SecretRef)
	require.NoError(t, err)
	require.Equal(t, key, stored["apiKey"])
	return &undoEnv{env: e, clk: clk, conn: e.get(t, res.Connection.ID), integration: v.ID, stored: stored}
}

// sourceOf is the connection the integration's source side is bound to ("" when empty).
func (u *undoEnv) sourceOf(t *testing.T) string {
	t.Helper()
	in, err := u.core.Store.GetIntegration(u.ctx(), u.integration)
	require.NoError(t, err)
	return in.Source.ConnectionID
}

// requireGone fails unless the delete is final: no row, no keychain entry,
// no log, nothing pending, no journal entry.
func (u *undoEnv) requireGone(t *testing.T, s *store.Store, sec secrets.Store) {
	t.Helper()
	ctx := t.Context()
	_, err := s.GetConnection(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err), "the row is gone")
	_, err = sec.Get(ctx, u.conn.SecretRef)
	require.True(t, errors.Is(err, secrets.ErrNotFound), "the keychain entry is gone: %v", err)
	pending, err := s.PendingDeletes(ctx)
	require.NoError(t, err)
	require.Empty(t, pending, "nothing is left pending")
	var refs int
	require.NoError(t, s.DB().QueryRowContext(ctx, "SELECT count(*) FROM secret_refs WHERE ref = ?", u.conn.SecretRef).Scan(&refs))
	require.Zero(t, refs, "the journal entry is gone")
	var logged int
	require.NoError(t, s.DB().QueryRowContext(ctx, "SELECT count(*) FROM exchanges WHERE connection_id = ?", u.conn.ID).Scan(&logged))
	require.Zero(t, logged, "the log is gone")
}

func TestUndoBringsBackTheConnectionWithTheSameSecrets(t *testing.T) {
	const key = "undo-key-4f1c9a77e2"
	u := newUndoEnv(t, keychain.System(), key)
	ctx := u.ctx()
	logged := u.lastRun(t, u.conn.ID)
	require.NotEmpty(t, logged)

	d, err := u.m.DeleteUndoably(ctx, u.conn.ID)
	require.NoError(t, err)
	require.Equal(t, u.clk.now().Add(connections.UndoWindow), d.UndoUntil)

	// Gone for everything that lists or reads connections...
	_, err = u.m.Get(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	require.Empty(t, u.list(t))
	require.Empty(t, u.sourceOf(t), "the inactive integration's side is empty")
	// ...while the keychain entry is untouched and no sweep takes it: the
	// secret is in the keychain only, never in SQLite or the app log.
	swept, err := u.m.SweepOrphans(ctx)
	require.NoError(t, err)
	require.Zero(t, swept)
	n, err := u.m.FinishDeletes(ctx)
	require.NoError(t, err)
	require.Zero(t, n, "the window is not over")
	held, err := u.core.Secrets.Get(ctx, u.conn.SecretRef)
	require.NoError(t, err)
	require.Equal(t, u.stored, held)
	// Into the database file itself, so the search reads every page.
	_, err = u.core.Store.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(t, err)
	connectionstest.Encodings(key).RequireAbsentFromDataHome(t, u.home, u.conn.ID)

	back, err := u.m.UndoDelete(ctx, u.conn.ID)
	require.NoError(t, err)
	require.Equal(t, u.conn, back, "the row as it was: id, times, settings, keychain reference, status")
	held, err = u.core.Secrets.Get(ctx, u.conn.SecretRef)
	require.NoError(t, err)
	require.Equal(t, u.stored, held, "the secrets exactly as saved")
	require.Equal(t, u.conn.ID, u.sourceOf(t), "the integration's side is bound again")
	require.Equal(t, logged, u.lastRun(t, u.conn.ID), "its log is still there")
	require.Equal(t, verify.Connected, u.retest(t, u.conn.ID).Status, "a retest works with the secrets that came back")

	// A second Undo is refused; the connection stays.
	_, err = u.m.UndoDelete(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "can no longer be undone")
	pending, err := u.core.Store.PendingDeletes(ctx)
	require.NoError(t, err)
	require.Empty(t, pending)
	u.requireNoOrphans(t)

	// Its window ending later changes nothing.
	u.clk.advance(connections.UndoWindow)
	n, err = u.m.FinishDeletes(ctx)
	require.NoError(t, err)
	require.Zero(t, n)
	require.Equal(t, key, u.reveal(t, u.conn.ID, "apiKey"))
}

func TestADeleteIsFinalWhenItsUndoWindowEnds(t *testing.T) {
	u := newUndoEnv(t, keychain.System(), "final-key-0b7d2e")
	ctx := u.ctx()
	_, err := u.m.DeleteUndoably(ctx, u.conn.ID)
	require.NoError(t, err)

	u.clk.advance(connections.UndoWindow)
	_, err = u.m.UndoDelete(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err), "Undo is refused once the window is over")
	require.Contains(t, err.Error(), "seconds are over")

	n, err := u.m.FinishDeletes(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	u.requireGone(t, u.core.Store, u.core.Secrets)
	_, err = u.m.UndoDelete(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	u.requireNoOrphans(t)
}

func TestAQuitDuringTheUndoWindowFinishesTheDelete(t *testing.T) {
	u := newUndoEnv(t, keychain.System(), "quit-key-93aa01")
	_, err := u.m.DeleteUndoably(u.ctx(), u.conn.ID)
	require.NoError(t, err)
	u.restart(t)
	u.requireGone(t, u.core.Store, u.core.Secrets)
	u.requireNoOrphans(t)
}

// A crash: the process that deleted never closes. The next start finishes
// the delete (nobody can press that Undo any more); the dead process's
// Undo, were it to come, is refused rather than bringing back a row
// without secrets.
func TestACrashDuringTheUndoWindowLeavesAConsistentState(t *testing.T) {
	u := newUndoEnv(t, keychain.System(), "crash-key-5c3e88")
	_, err := u.m.DeleteUndoably(u.ctx(), u.conn.ID)
	require.NoError(t, err)
	crashed := u.m

	next, err := core.Open(t.Context(), core.Options{Home: u.home, Keyring: u.keyring, KeychainTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = next.Close() })
	_, err = next.Connections.FinishDeletes(t.Context()) // what its start-up runs, beside it
	require.NoError(t, err)
	u.requireGone(t, next.Store, next.Secrets)

	_, err = crashed.UndoDelete(u.ctx(), u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	_, err = next.Store.GetConnection(t.Context(), u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err), "no row came back without its secrets")
}

// The keychain locked when the window ends: nothing is half deleted. The
// row stays gone, the entry stays, the delete stays pending and is finished
// once the keychain answers again.
func TestALockedKeychainAtTheEndOfTheWindowLeavesTheDeletePending(t *testing.T) {
	kr := connectionstest.NewFailingKeyring()
	u := newUndoEnv(t, kr, "locked-key-77d0c1")
	ctx := u.ctx()
	_, err := u.m.DeleteUndoably(ctx, u.conn.ID)
	require.NoError(t, err)

	kr.FailDelete.Store(true)
	u.clk.advance(connections.UndoWindow)
	_, err = u.m.FinishDeletes(ctx)
	require.Error(t, err)
	pending, err := u.core.Store.PendingDeletes(ctx)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	held, err := u.core.Secrets.Get(ctx, u.conn.SecretRef)
	require.NoError(t, err)
	require.Equal(t, u.stored, held, "the entry is still whole")
	u.requireNoOrphans(t)

	kr.FailDelete.Store(false)
	n, err := u.m.FinishDeletes(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, n)
	u.requireGone(t, u.core.Store, u.core.Secrets)
}

// A name taken while the window runs: Undo says so and changes nothing;
// once the other connection is renamed, Undo works.
func TestUndoRefusesANameTakenMeanwhile(t *testing.T) {
	const key = "taken-key-1d2e3f"
	u := newUndoEnv(t, keychain.System(), key)
	ctx := u.ctx()
	_, err := u.m.DeleteUndoably(ctx, u.conn.ID)
	require.NoError(t, err)
	api := connectionstest.KeyAPI(t, "other-key-000111")
	other := u.save(t, connectionstest.APIKeyDraft(api.URL, "Billing", "other-key-000111"), true)
	require.True(t, other.Saved)

	_, err = u.m.UndoDelete(ctx, u.conn.ID)
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	_, err = u.m.Get(ctx, u.conn.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))

	rename := connectionstest.APIKeyDraft(api.URL, "Billing (new)", "")
	rename.ID, rename.Secrets = other.Connection.ID, nil
	require.True(t, u.save(t, rename, false).Saved)
	back, err := u.m.UndoDelete(ctx, u.conn.ID)
	require.NoError(t, err)
	require.Equal(t, "Billing", back.Name)
	require.Equal(t, key, u.reveal(t, u.conn.ID, "apiKey"))
}
