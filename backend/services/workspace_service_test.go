package services

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/secrets/keychain"
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
	_, err = conns.DeleteConnection(ids[0])
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

// Settings' export and import write and read the file `patchbay export`
// writes, through the app's dialogs.
func TestExportAndImportThroughTheServices(t *testing.T) {
	dir := t.TempDir()
	file := dir + "/personal.patchbay.yaml"
	e := newEnvWith(t, keychain.System(), func(o *Options) {
		o.SaveExportFile = func(_ context.Context, _, name string) (string, error) {
			require.Equal(t, "personal.patchbay.yaml", name)
			return file, nil
		}
		o.PickExportFile = func(context.Context, string) (string, error) { return file, nil }
	})
	api := connectionstest.KeyAPI(t, "k-export-77")
	_, err := e.b.Connections.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Billing", "k-export-77"), true, "run-1")
	require.NoError(t, err)
	path, err := e.b.Workspaces.ExportWorkspace()
	require.NoError(t, err)
	require.Equal(t, file, path)
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	require.Contains(t, string(data), "kind: patchbay-export")
	require.NotContains(t, string(data), "k-export-77")

	// Into another workspace: the preview changes nothing, the import creates.
	w, err := e.b.Workspaces.CreateWorkspace("Client B")
	require.NoError(t, err)
	_, err = e.b.Workspaces.SwitchWorkspace(w.ID)
	require.NoError(t, err)
	plan, err := e.b.Workspaces.PreviewImport()
	require.NoError(t, err)
	require.Equal(t, []ImportStepDTO{{Action: "create", What: "connection", Name: "Billing", Environment: "Sandbox", Needs: []string{"apiKey"}}}, plan.Steps)
	list, err := e.b.Connections.ListConnections()
	require.NoError(t, err)
	require.Empty(t, list)
	done, err := e.b.Workspaces.ApplyImport(plan.Path)
	require.NoError(t, err)
	require.Equal(t, []string{"apiKey"}, done.Steps[0].Needs, "the secret is not in the file: it is still needed")
	list, err = e.b.Connections.ListConnections()
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "unverified", list[0].Status)
	require.Contains(t, list[0].Diagnosis, "Imported without apiKey")

	require.NoError(t, os.WriteFile(file, []byte("kind: patchbay-export\nversion: 7\n"), 0o600))
	_, err = e.b.Workspaces.PreviewImport()
	require.Equal(t, apperr.Validation, uiCode(t, err))
}
