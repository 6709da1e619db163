package workspaces_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
	"patchbay/backend/secrets"
	"patchbay/backend/store"
	"patchbay/backend/workspaces"
)

func open(t *testing.T, home string) *core.Core {
	t.Helper()
	connectionstest.RequireSecretService(t)
	c, err := core.Open(t.Context(), core.Options{Home: home, KeychainTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestTheWorkspaceLastUsedIsRemembered(t *testing.T) {
	home := t.TempDir()
	c := open(t, home)
	require.Equal(t, store.DefaultWorkspaceID, c.Workspace.ID, "a first start is in the default workspace")
	w, err := c.Workspaces.Create(c.Context(), "Client B")
	require.NoError(t, err)
	_, err = c.Workspaces.Switch(c.Context(), w.ID)
	require.NoError(t, err)
	require.NoError(t, c.Close())

	again := open(t, home)
	require.Equal(t, w.ID, again.Workspace.ID, "the next start opens where the person left")
	require.NoError(t, again.Workspaces.Delete(again.Context(), w.ID, workspaces.Contents{}))
	cur, err := again.Workspaces.Current(again.Context())
	require.NoError(t, err)
	require.Equal(t, store.DefaultWorkspaceID, cur.ID, "a deleted workspace is not current any more")

	_, err = again.Workspaces.Switch(again.Context(), "ws-gone")
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
}

// fill puts two connections (secrets in the keychain) and an integration
// using them into a new workspace.
func fill(t *testing.T, c *core.Core, name string) (store.Workspace, []store.Connection) {
	t.Helper()
	ctx := c.Context()
	w, err := c.Workspaces.Create(ctx, name)
	require.NoError(t, err)
	api := connectionstest.KeyAPI(t, "key-"+name)
	var conns []store.Connection
	for _, n := range []string{"Billing", "Reports"} {
		res, err := c.Connections.Save(ctx, w.ID, connectionstest.APIKeyDraft(api.URL, n, "key-"+name), true, "", nil)
		require.NoError(t, err)
		require.True(t, res.Saved)
		conns = append(conns, res.Connection)
	}
	_, err = c.Store.CreateIntegration(ctx, store.Integration{ID: "in-" + w.ID, WorkspaceID: w.ID, Name: "Billing to reports", Active: true,
		Source:      store.Side{ConnectorID: "http", ConnectionID: conns[0].ID},
		Destination: store.Side{ConnectorID: "http", ConnectionID: conns[1].ID}})
	require.NoError(t, err)
	return w, conns
}

func TestDeletingAWorkspaceAsksThenMovesOrDeletesItsContents(t *testing.T) {
	c := open(t, t.TempDir())
	ctx := c.Context()

	w, conns := fill(t, c, "Client B")
	err := c.Workspaces.Delete(ctx, w.ID, workspaces.Contents{})
	require.Equal(t, apperr.InUse, apperr.CodeOf(err), "it asks what to do with what it holds")
	require.Contains(t, err.Error(), "2 connections and 1 integration")

	list, err := c.Workspaces.List(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, 2, list[1].Connections)
	require.Equal(t, 1, list[1].Integrations)

	// Delete with the contents: the keychain keeps nothing of them.
	require.NoError(t, c.Workspaces.Delete(ctx, w.ID, workspaces.Contents{Delete: true}))
	for _, conn := range conns {
		_, err := c.Secrets.Get(ctx, conn.SecretRef)
		require.ErrorIs(t, err, secrets.ErrNotFound, "keychain entry of %s", conn.Name)
	}
	refs, err := c.Store.OrphanSecretRefs(ctx, time.Now())
	require.NoError(t, err)
	require.Empty(t, refs)
	_, err = c.Store.GetWorkspace(ctx, w.ID)
	require.ErrorIs(t, err, store.ErrNotFound)

	// Move the contents: connections, their secrets and the integration follow.
	w2, conns2 := fill(t, c, "Client C")
	require.NoError(t, c.Workspaces.Delete(ctx, w2.ID, workspaces.Contents{MoveTo: store.DefaultWorkspaceID}))
	moved, err := c.Connections.List(ctx, store.DefaultWorkspaceID)
	require.NoError(t, err)
	require.Len(t, moved, 2)
	for _, conn := range conns2 {
		v, err := c.Connections.Reveal(ctx, conn.ID, "apiKey")
		require.NoError(t, err)
		require.Equal(t, "key-Client C", v)
	}
	integrations, err := c.Store.ListIntegrations(ctx, store.DefaultWorkspaceID)
	require.NoError(t, err)
	require.Len(t, integrations, 1)

	// A name the target already has: nothing moves, nothing is deleted.
	w3, _ := fill(t, c, "Client D")
	err = c.Workspaces.Delete(ctx, w3.ID, workspaces.Contents{MoveTo: store.DefaultWorkspaceID})
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "Nothing was moved")
	kept, err := c.Connections.List(ctx, w3.ID)
	require.NoError(t, err)
	require.Len(t, kept, 2)
	_, err = c.Store.GetWorkspace(ctx, w3.ID)
	require.NoError(t, err, "the workspace stays")
}
