package connections_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
	"patchbay/backend/secrets"
	"patchbay/backend/secrets/keychain"
)

// TestLateKeychainWriteIsSweptAfterTheGrace: a keychain write that times
// out, so the save fails, but lands afterwards leaves an entry no connection
// uses. Its journal entry stays, so a sweep after SaveGrace (a later start,
// its clock injected) deletes the entry; a sweep within the grace leaves it,
// and the connection the save meant to update keeps its secret.
func TestLateKeychainWriteIsSweptAfterTheGrace(t *testing.T) {
	kr := connectionstest.NewLateKeyring()
	// A timeout long enough for every call that answers on a busy machine:
	// only the held write outlasts it.
	e := newEnvWith(t, kr, func(o *core.Options) { o.KeychainTimeout = time.Second })
	ctx := e.ctx()
	srv := connectionstest.KeyAPI(t, "pb-first-key-8a21")
	saved := e.save(t, connectionstest.APIKeyDraft(srv.URL, "Kept", "pb-first-key-8a21"), true)
	require.True(t, saved.Saved)
	id, keptRef := saved.Connection.ID, saved.Connection.SecretRef

	// An update whose keychain write does not answer in time fails the save.
	kr.Hold()
	update := connectionstest.APIKeyDraft(srv.URL, "Kept", "pb-late-key-3f90")
	update.ID = id
	_, err := e.m.Save(ctx, e.workspace(), update, false, "", nil)
	require.Error(t, err)
	require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err), "%v", err)
	var late string
	select {
	case late = <-kr.Entered:
	default:
		t.Fatal("the save failed before its keychain write started")
	}
	// Only now, after the save gave up and cleaned up, the write lands.
	close(kr.Release)
	require.NoError(t, <-kr.Landed)

	v := keychain.New(keychain.System(), "Patchbay", 5*time.Second)
	t.Cleanup(func() { _ = v.Delete(context.Background(), late) })
	got, err := v.Get(ctx, late)
	require.NoError(t, err, "the late write is in the keychain")
	require.Equal(t, "pb-late-key-3f90", got["apiKey"])
	require.Contains(t, orphans(t, e, time.Now().Add(time.Hour)), late, "the late write's journal entry is kept")

	// Within the grace (this run's own sweep): left alone.
	swept, err := e.m.SweepOrphans(ctx)
	require.NoError(t, err)
	require.Zero(t, swept)
	_, err = v.Get(ctx, late)
	require.NoError(t, err, "a sweep within the grace leaves the entry")

	// A start after the grace sweeps it, and only it.
	later := time.Now().Add(connections.SaveGrace + time.Minute)
	next := connections.New(connections.Deps{Store: e.core.Store, Secrets: e.core.Secrets, Catalog: e.core.Catalog,
		Log: e.core.Log, Now: func() time.Time { return later }})
	swept, err = next.SweepOrphans(ctx)
	require.NoError(t, err)
	require.Equal(t, 1, swept)
	_, err = v.Get(ctx, late)
	require.True(t, errors.Is(err, secrets.ErrNotFound), "the late entry is gone: %v", err)
	require.Empty(t, orphans(t, e, later.Add(time.Hour)), "its journal entry is gone too")

	// Nothing else was lost: the connection keeps its entry and secret.
	c := e.get(t, id)
	require.Equal(t, keptRef, c.SecretRef)
	require.Equal(t, "pb-first-key-8a21", e.reveal(t, id, "apiKey"))
}

// orphans are the journalled keychain references no connection uses,
// recorded before before.
func orphans(t *testing.T, e *env, before time.Time) []string {
	t.Helper()
	refs, err := e.core.Store.OrphanSecretRefs(t.Context(), before)
	require.NoError(t, err)
	return slices.Clip(refs)
}
