package store

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

func TestIntegrationsSaveListAndTheirRules(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	for _, c := range []Connection{newConnection("zd-sb", "zendesk", "Support"), newConnection("hs-sb", "hubspot", "CRM")} {
		_, err := s.CreateConnection(ctx, c)
		require.NoError(t, err)
	}
	other := newConnection("zd-other", "zendesk", "Support")
	_, err := s.CreateWorkspace(ctx, "ws-2", "Client B")
	require.NoError(t, err)
	other.WorkspaceID = "ws-2"
	_, err = s.CreateConnection(ctx, other)
	require.NoError(t, err)

	draft := Integration{ID: "i-1", WorkspaceID: DefaultWorkspaceID, Name: " Tickets to CRM ", Description: "nightly",
		Source: Side{ConnectorID: "zendesk"}, Destination: Side{ConnectorID: "hubspot"}}
	in, err := s.CreateIntegration(ctx, draft)
	require.NoError(t, err, "a paused integration may leave its sides empty")
	require.Equal(t, "Tickets to CRM", in.Name)

	refusals := []struct {
		name  string
		edit  func(*Integration)
		code  apperr.Code
		field string
	}{
		{"no name", func(i *Integration) { i.Name = " " }, apperr.Validation, "name"},
		{"no source connector", func(i *Integration) { i.Source.ConnectorID = "" }, apperr.Validation, "source.connectorId"},
		{"active with an empty side", func(i *Integration) { i.Active, i.Source.ConnectionID = true, "zd-sb" }, apperr.Validation, "destination.connectionId"},
		{"a connection of another connector", func(i *Integration) { i.Source.ConnectionID = "hs-sb" }, apperr.Validation, "source.connectionId"},
		{"a connection of another workspace", func(i *Integration) { i.Source.ConnectionID = "zd-other" }, apperr.Validation, "source.connectionId"},
		{"a deleted connection", func(i *Integration) { i.Destination.ConnectionID = "gone" }, apperr.NotFound, "destination.connectionId"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			bad := in
			r.edit(&bad)
			_, err := s.UpdateIntegration(ctx, bad)
			require.Equal(t, r.code, apperr.CodeOf(err), "%v", err)
			require.Equal(t, r.field, apperr.From(err).Field)
			got, err := s.GetIntegration(ctx, "i-1")
			require.NoError(t, err)
			require.Equal(t, in.Name, got.Name, "a refused save changes nothing")
			require.Empty(t, got.Source.ConnectionID)
		})
	}

	in.Active, in.Source.ConnectionID, in.Destination.ConnectionID = true, "zd-sb", "hs-sb"
	in, err = s.UpdateIntegration(ctx, in)
	require.NoError(t, err)
	got, err := s.GetIntegration(ctx, "i-1")
	require.NoError(t, err)
	require.Equal(t, Side{ConnectorID: "zendesk", ConnectionID: "zd-sb"}, got.Source)
	require.Equal(t, Side{ConnectorID: "hubspot", ConnectionID: "hs-sb"}, got.Destination)
	require.True(t, got.Active)
	require.Equal(t, "nightly", got.Description)

	_, err = s.CreateIntegration(ctx, Integration{ID: "i-2", WorkspaceID: DefaultWorkspaceID, Name: "tickets to crm",
		Source: Side{ConnectorID: "zendesk"}, Destination: Side{ConnectorID: "hubspot"}})
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err), "names are unique in a workspace whatever their case")

	uses, err := s.IntegrationsUsing(ctx, "zd-sb")
	require.NoError(t, err)
	require.Equal(t, []Use{{IntegrationID: "i-1", Name: "Tickets to CRM", Role: RoleSource, Active: true}}, uses)
	byConn, err := s.IntegrationUses(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Len(t, byConn["hs-sb"], 1)
	require.Equal(t, RoleDestination, byConn["hs-sb"][0].Role)

	list, err := s.ListIntegrations(ctx, "ws-2")
	require.NoError(t, err)
	require.Empty(t, list, "nothing crosses workspaces")
	_, integrations, err := s.WorkspaceContents(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Equal(t, 1, integrations)

	require.NoError(t, s.DeleteIntegration(ctx, "i-1"))
	_, err = s.GetConnection(ctx, "zd-sb")
	require.NoError(t, err, "deleting an integration keeps its connections")
	require.ErrorIs(t, s.DeleteIntegration(ctx, "i-1"), ErrNotFound)
}

func TestMoveConnectionTakesItsLogAndRefusesConflicts(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	_, err := s.CreateWorkspace(ctx, "ws-2", "Client B")
	require.NoError(t, err)
	_, err = s.CreateConnection(ctx, newConnection("c1", "zendesk", "Support"))
	require.NoError(t, err)
	mustExec(t, s.DB(), `INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
		method, url, status, error_class, total_ms, detail_json)
		VALUES ('ex-1', 'run-1', 'c1', 'personal', 'test', '2025-01-01T00:00:00.000000000Z', '2025-01-01T00:00:00.000000000Z',
		'GET', 'https://acme.zendesk.com/api/v2/users/me.json', 200, '', 12, '{}')`)

	// A same-named connection of the connector in the target: nothing moves.
	clash := newConnection("c2", "zendesk", "SUPPORT")
	clash.WorkspaceID = "ws-2"
	_, err = s.CreateConnection(ctx, clash)
	require.NoError(t, err)
	_, err = s.MoveConnection(ctx, "c1", "ws-2")
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	require.Contains(t, err.Error(), `Workspace "Client B" already has a zendesk connection named "Support" in "Sandbox"`)
	still, err := s.GetConnection(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, DefaultWorkspaceID, still.WorkspaceID)
	require.NoError(t, s.DeleteConnection(ctx, "c2"))

	// Used by an integration: refused, naming it and the side.
	addIntegration(t, s.DB(), "i1", "Tickets", false, map[string]string{"source": "c1"})
	_, err = s.MoveConnection(ctx, "c1", "ws-2")
	require.Equal(t, apperr.InUse, apperr.CodeOf(err))
	require.Contains(t, err.Error(), `"Tickets" (source)`)
	require.NoError(t, s.DeleteIntegration(ctx, "i1"))

	_, err = s.MoveConnection(ctx, "c1", "ws-gone")
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))

	moved, err := s.MoveConnection(ctx, "c1", "ws-2")
	require.NoError(t, err)
	require.Equal(t, "ws-2", moved.WorkspaceID)
	require.Equal(t, still.SecretRef, moved.SecretRef, "the keychain entries are the connection's: they follow untouched")
	var logWorkspace string
	require.NoError(t, s.DB().QueryRow("SELECT workspace_id FROM exchanges WHERE id = 'ex-1'").Scan(&logWorkspace))
	require.Equal(t, "ws-2", logWorkspace, "the connection's log moves with it")
}
