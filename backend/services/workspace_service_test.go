package services

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
)

// Switching the workspace changes what every service shows, and the front
// end hears it.
func TestWorkspacesThroughTheServices(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "k-1")
	conns := e.b.Connections
	res, err := conns.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Billing", "k-1"), true, "run-1")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, []IntegrationUseDTO{}, res.Connection.UsedBy, "[] rather than null")

	ws := e.b.Workspaces
	b, err := ws.CreateWorkspace("Client B")
	require.NoError(t, err)
	_, err = ws.CreateWorkspace("client b")
	require.Equal(t, apperr.Conflict, uiCode(t, err))
	list, err := ws.ListWorkspaces()
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.True(t, list[0].Current)
	require.Equal(t, 1, list[0].Connections)

	switched, err := ws.SwitchWorkspace(b.ID)
	require.NoError(t, err)
	require.True(t, switched.Current)
	require.Equal(t, 1, e.events.count(EventWorkspaceChanged))
	mine, err := conns.ListConnections()
	require.NoError(t, err)
	require.Empty(t, mine, "the other workspace's connections are not shown")
	info, err := e.b.App.Info()
	require.NoError(t, err)
	require.Equal(t, "Client B", info.WorkspaceName)
	page, err := e.b.Logs.ListExchanges(LogFilterDTO{})
	require.NoError(t, err)
	require.Empty(t, page.Items, "nor is their log")

	// Copy the connection here, then the workspace is remembered.
	copied, err := conns.CopyConnection(res.Connection.ID, b.ID, "", "")
	require.NoError(t, err)
	require.Equal(t, b.ID, copied.WorkspaceID)
	require.Equal(t, "unverified", copied.Status)
	e.restart(t)
	info, err = e.b.App.Info()
	require.NoError(t, err)
	require.Equal(t, b.ID, info.WorkspaceID, "the next start opens the workspace last used")

	// Deleting the current workspace asks first, then switches back.
	err = e.b.Workspaces.DeleteWorkspace(b.ID, "", false)
	require.Equal(t, apperr.InUse, uiCode(t, err))
	require.NoError(t, e.b.Workspaces.DeleteWorkspace(b.ID, "", true))
	info, err = e.b.App.Info()
	require.NoError(t, err)
	require.Equal(t, "Personal", info.WorkspaceName)
}

func TestIntegrationsTestAllAndFetchThroughTheServices(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "k-1")
	conns := e.b.Connections
	var ids []string
	for _, name := range []string{"Orders", "Warehouse"} {
		res, err := conns.SaveConnection(connectionstest.APIKeyDraft(api.URL, name, "k-1"), true, "run-"+name)
		require.NoError(t, err)
		ids = append(ids, res.Connection.ID)
	}
	svc := e.b.Integrations
	draft := IntegrationDraftDTO{Name: "Orders sync", Active: true,
		Source:      SideDraftDTO{ConnectorID: "http", ConnectionID: ids[0]},
		Destination: SideDraftDTO{ConnectorID: "http"}}
	_, err := svc.SaveIntegration(draft)
	require.Equal(t, apperr.Validation, uiCode(t, err))
	var parsed apperr.Error
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed))
	require.Equal(t, "destination.connectionId", parsed.Field, "the error names the field")

	draft.Destination.ConnectionID = ids[1]
	in, err := svc.SaveIntegration(draft)
	require.NoError(t, err)
	require.Equal(t, "ready", in.Readiness)
	require.Len(t, in.Sides, 2)
	require.Equal(t, "HTTP API", in.Sides[0].ConnectorName)
	require.Equal(t, "Orders", in.Sides[0].Connection.Name)
	require.Equal(t, 1, e.events.count(EventIntegrationsChanged))

	tested, err := svc.TestIntegration(in.ID, "both")
	require.NoError(t, err)
	require.Equal(t, "connected", tested.Sides[0].Verification.Status)
	require.Equal(t, "connected", tested.Sides[1].Verification.Status)
	all := e.events.all()
	require.Contains(t, all, `"runId":"both:source"`)
	require.Contains(t, all, `"runId":"both:destination"`)

	listed, err := conns.ListConnections()
	require.NoError(t, err)
	require.Equal(t, []IntegrationUseDTO{{IntegrationID: in.ID, Name: "Orders sync", Role: "source", Active: true}}, listed[0].UsedBy)
	uses, err := conns.IntegrationsUsing(ids[1])
	require.NoError(t, err)
	require.Equal(t, "destination", uses[0].Role)
	err = conns.DeleteConnection(ids[0])
	require.Equal(t, apperr.InUse, uiCode(t, err))

	batch, err := conns.TestAllConnections("batch-1")
	require.NoError(t, err)
	require.Equal(t, 2, batch.Total)
	require.Equal(t, map[string]int{"connected": 2}, batch.ByStatus)
	require.Equal(t, []TestAllProgressEvent{}, batch.Failed)
	require.Equal(t, 2, e.events.count(EventTestAllProgress))
	require.Equal(t, 1, strings.Count(e.events.all(), `"done":2,"total":2`))

	sample, err := conns.FetchSample(ids[0], "sample-1")
	require.NoError(t, err)
	require.Equal(t, "invalid_config", sample.Verification.Code, "no sample path yet: the field is named")
	require.Equal(t, "samplePath", sample.Verification.Field)
}
