package store

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

func TestWorkspacesCreateRenameDelete(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()

	w, err := s.CreateWorkspace(ctx, "ws-acme", "  Acme — sandbox ")
	require.NoError(t, err)
	require.Equal(t, "Acme — sandbox", w.Name, "trimmed")
	got, err := s.GetWorkspace(ctx, "ws-acme")
	require.NoError(t, err)
	require.Equal(t, w, got)

	_, err = s.CreateWorkspace(ctx, "ws-other", "acme — SANDBOX")
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err), "names are unique whatever their case")
	require.Equal(t, "name", apperr.From(err).Field)
	_, err = s.RenameWorkspace(ctx, "ws-acme", "personal")
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err), "the default workspace's name is taken too")
	for _, bad := range []string{"", "   ", "two\nlines", string(make([]rune, MaxWorkspaceName+1))} {
		_, err = s.CreateWorkspace(ctx, "ws-bad", bad)
		require.Equal(t, apperr.Validation, apperr.CodeOf(err), "%q", bad)
		require.Equal(t, "name", apperr.From(err).Field)
	}

	w, err = s.RenameWorkspace(ctx, "ws-acme", "Acme")
	require.NoError(t, err)
	require.Equal(t, "Acme", w.Name)
	_, err = s.RenameWorkspace(ctx, "ws-gone", "Gone")
	require.ErrorIs(t, err, ErrNotFound)

	list, err := s.ListWorkspaces(ctx)
	require.NoError(t, err)
	require.Len(t, list, 2)

	// A workspace that holds a connection is not deleted: its secrets are in
	// the keychain, and only the caller can remove them.
	c := newConnection("c-1", "github", "Acme GitHub")
	c.WorkspaceID = "ws-acme"
	_, err = s.CreateConnection(ctx, c)
	require.NoError(t, err)
	conns, integrations, err := s.WorkspaceContents(ctx, "ws-acme")
	require.NoError(t, err)
	require.Equal(t, [2]int{1, 0}, [2]int{conns, integrations})
	err = s.DeleteWorkspace(ctx, "ws-acme")
	require.Equal(t, apperr.InUse, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "1 connection")
	_, err = s.GetConnection(ctx, "c-1")
	require.NoError(t, err, "a refused delete loses nothing")

	require.NoError(t, s.DeleteConnection(ctx, "c-1"))
	require.NoError(t, s.DeleteWorkspace(ctx, "ws-acme"))
	_, err = s.GetWorkspace(ctx, "ws-acme")
	require.ErrorIs(t, err, ErrNotFound)

	err = s.DeleteWorkspace(ctx, DefaultWorkspaceID)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err), "the last workspace stays")
	require.Contains(t, err.Error(), "only workspace")
}

// Before version 5 nothing created workspaces, but a database that holds two
// names differing only in case still opens: the later one is renamed.
func TestWorkspaceNamesMigrationKeepsDuplicatesApart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	ms := embedded(t)
	db := rawDB(t, path)
	require.NoError(t, migrate(context.Background(), db, ms, 4))
	mustExec(t, db, `INSERT INTO workspaces (id, name, created_at) VALUES ('ws-2', 'PERSONAL', '2024-05-06T07:08:09.000000000Z')`)
	require.NoError(t, db.Close())

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	list, err := s.ListWorkspaces(context.Background())
	require.NoError(t, err)
	names := []string{list[0].Name, list[1].Name}
	require.ElementsMatch(t, []string{"Personal", "PERSONAL (ws-2)"}, names)
}
