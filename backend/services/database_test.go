package services

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets/keychain"
)

// The life of a database connection through the bound methods the editor
// and the log viewer use: the connector as the catalog shows it, a URL
// filling the form, a refused save streamed as any exchange, then the log
// listing, filtering and searching the logins, and refusing cURL and HAR
// for them. (What the manager does with the connection is tested in
// package connections.)
func TestDatabaseConnectionThroughTheServices(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	svc, logs := e.b.Connections, e.b.Logs

	connectors, err := e.b.Connectors.ListConnectors()
	require.NoError(t, err)
	var pg *ConnectorDTO
	for i := range connectors {
		if connectors[i].ID == "postgresql" {
			pg = &connectors[i]
		}
	}
	require.NotNil(t, pg)
	require.Equal(t, "database", pg.Kind)
	require.Equal(t, "postgresql", pg.Database.Engine)

	// A URL fills the form; the password comes back for the password input.
	url := fmt.Sprintf("postgres://%s:wrong-Pw-1@%s/%s?sslmode=prefer", srv.User, srv.Addr(), srv.Database)
	parts, err := svc.ParseDatabaseURL("postgresql", url)
	require.NoError(t, err)
	require.Equal(t, strconv.Itoa(srv.Port), parts.Settings["port"])
	require.Equal(t, "wrong-Pw-1", parts.Password)
	require.True(t, parts.HasPassword)
	require.Contains(t, jsonOf(t, parts), `"ignored":[]`, "[] rather than null")
	_, err = svc.ParseDatabaseURL("postgresql", "postgres://ada:pw@db:99999/app")
	bad := uiErr(t, err)
	require.Equal(t, apperr.Validation, bad.Code)
	require.Equal(t, "connectionUrl", bad.Field)

	d := ConnectionDraft{ConnectorID: "postgresql", Name: "Warehouse", Settings: parts.Settings,
		Secrets: map[string]string{"password": parts.Password}}
	res, err := svc.SaveConnection(d, true, "run-db-1")
	require.NoError(t, err)
	require.False(t, res.Saved, "a wrong password is not saved")
	require.Equal(t, "disconnected", res.Verification.Status)
	require.NotNil(t, res.Verification.Exchanges[0].RequestHeaders, "[] not null for the UI")
	require.Contains(t, e.events.all(), `"kind":"database"`, "streamed as verify:exchange like any exchange")

	res, err = svc.SaveConnection(d, false, "")
	require.NoError(t, err)
	id := res.Connection.ID
	fixed := d
	fixed.ID = id
	fixed.Secrets = map[string]string{"password": srv.Password}
	res, err = svc.SaveConnection(fixed, true, "run-db-2")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Contains(t, res.Verification.ServerVersion, "PostgreSQL 15", "the server's version reaches the UI")
	_, err = svc.RetestConnection(id, "run-db-3")
	require.NoError(t, err)

	// The log lists, filters and searches database entries.
	page, err := logs.ListExchanges(LogFilterDTO{Kinds: []string{connlog.KindDatabase}})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)
	require.Equal(t, srv.Addr(), page.Items[0].Host)
	ok, err := logs.ListExchanges(LogFilterDTO{StatusClasses: []string{connlog.StatusClassOK}})
	require.NoError(t, err)
	require.Len(t, ok.Items, 2, "the two logins that worked")
	found, err := logs.ListExchanges(LogFilterDTO{Query: "28P01"})
	require.NoError(t, err)
	require.Len(t, found.Items, 1)
	require.Equal(t, "run-db-1", found.Items[0].RunID)
	got, err := logs.GetExchange(found.Items[0].ID)
	require.NoError(t, err)
	require.Equal(t, srv.User, got.Database.User)

	// Neither cURL nor HAR can hold a database login: a clear refusal.
	_, err = logs.CopyAsCurl(found.Items[0].ID, false)
	refusal := uiErr(t, err)
	require.Equal(t, apperr.Validation, refusal.Code)
	require.Contains(t, refusal.Message, "not an HTTP request")
	_, err = logs.ExportHARData(HARScope{RunID: "run-db-3"})
	require.Contains(t, uiErr(t, err).Message, "HTTP exchanges only")
	// A scope that mixes HTTP and database entries exports the HTTP ones.
	api := connectionstest.KeyAPI(t, "k-mixed-123456")
	_, err = svc.TestConnection(connectionstest.APIKeyDraft(api.URL, "Mixed", "k-mixed-123456"), "run-http")
	require.NoError(t, err)
	text, err := logs.ExportHARData(HARScope{Filter: &LogFilterDTO{}})
	require.NoError(t, err)
	var doc struct {
		Log struct {
			Entries []json.RawMessage `json:"entries"`
		} `json:"log"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &doc))
	require.Len(t, doc.Log.Entries, 1)

	_, err = svc.DeleteConnection(id)
	require.NoError(t, err)
	e.restart(t) // the delete is final once nobody can undo it
	page, err = e.b.Logs.ListExchanges(LogFilterDTO{ConnectionID: id})
	require.NoError(t, err)
	require.Empty(t, page.Items, "deleting a connection deletes its log")
}

// A SQLite connection: the file dialog fills the path, which the editor
// saves. (Opening the file read-only is tested in package connections.)
func TestSQLiteConnectionWithTheFileDialog(t *testing.T) {
	path := connectionstest.SQLiteFile(t)
	var asked []string
	e := newEnvWith(t, keychain.System(), func(o *Options) {
		o.PickDatabaseFile = func(_ context.Context, title string) (string, error) {
			asked = append(asked, title)
			return path, nil
		}
	})
	svc := e.b.Connections
	picked, err := svc.PickDatabaseFile()
	require.NoError(t, err)
	require.Equal(t, path, picked)
	require.Equal(t, []string{"Choose a SQLite database file"}, asked)

	d := ConnectionDraft{ConnectorID: "sqlite", Name: "Shop file", AuthType: "none",
		Settings: map[string]string{"path": picked, "checkObject": "orders"}}
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, "[]", jsonOf(t, res.Connection.SecretFields), "[] rather than null")

	// Without a dialog (a build that has none) the error says what to do.
	e = newEnv(t)
	_, err = e.b.Connections.PickDatabaseFile()
	require.Contains(t, uiErr(t, err).Message, "type the database file's full path")
}
