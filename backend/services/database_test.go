package services

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/verify/dbcheck/dbtest"
)

// pgDraft is a PostgreSQL connection to srv as the app user.
func pgDraft(srv *dbtest.Server, name, password string) ConnectionDraft {
	return ConnectionDraft{
		ConnectorID: "postgresql", Name: name, Environment: "Sandbox", AuthType: "password",
		Settings: map[string]string{"host": srv.Host, "port": strconv.Itoa(srv.Port), "database": srv.Database,
			"username": srv.User, "sslMode": "prefer", "connectTimeout": "5"},
		Secrets: map[string]string{"password": password},
	}
}

// The whole life of a database connection through the bound methods the
// editor uses: a URL fills the form, a wrong password is refused and not
// saved, saved unverified, fixed, retested, found in the log, deleted.
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
	url := fmt.Sprintf("postgres://%s:wrong-Pw-1@%s/%s?sslmode=prefer&application_name=patchbay-e2e", srv.User, srv.Addr(), srv.Database)
	parts, err := svc.ParseDatabaseURL("postgresql", url)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"host": srv.Host, "port": strconv.Itoa(srv.Port), "database": srv.Database,
		"username": srv.User, "sslMode": "prefer", "driverParams": "application_name=patchbay-e2e"}, parts.Settings)
	require.Equal(t, "wrong-Pw-1", parts.Password)
	_, err = svc.ParseDatabaseURL("postgresql", "postgres://ada:pw@db:99999/app")
	bad := uiErr(t, err)
	require.Equal(t, apperr.Validation, bad.Code)
	require.Equal(t, "connectionUrl", bad.Field)
	_, err = svc.ParseDatabaseURL("github", url)
	require.Equal(t, "connectionUrl", uiErr(t, err).Field)

	d := ConnectionDraft{ConnectorID: "postgresql", Name: "Warehouse", Settings: parts.Settings,
		Secrets: map[string]string{"password": parts.Password}}
	res, err := svc.SaveConnection(d, true, "run-db-1")
	require.NoError(t, err)
	require.False(t, res.Saved, "a wrong password is not saved")
	v := res.Verification
	require.Equal(t, "disconnected", v.Status)
	require.Equal(t, "unauthorized", v.Code)
	require.Equal(t, "password", v.Field)
	require.Len(t, v.Exchanges, 1)
	ex := v.Exchanges[0]
	require.Equal(t, connlog.KindDatabase, ex.Kind)
	require.Equal(t, "28P01", ex.Database.ErrorCode)
	require.Equal(t, "run-db-1", ex.RunID)
	require.NotNil(t, ex.RequestHeaders, "[] not null for the UI")
	require.Contains(t, e.events.all(), `"kind":"database"`, "streamed as verify:exchange like any exchange")

	res, err = svc.SaveConnection(d, false, "")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, "unverified", res.Connection.Status)
	require.Equal(t, []string{"password"}, res.Connection.SecretFields)
	require.Empty(t, res.Connection.BaseURL)
	id := res.Connection.ID

	fixed := d
	fixed.ID = id
	fixed.Secrets = map[string]string{"password": srv.Password}
	res, err = svc.SaveConnection(fixed, true, "run-db-2")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, "connected", res.Connection.Status)
	require.Equal(t, srv.User, res.Connection.Identity, "connected as the current user")
	require.Contains(t, res.Verification.ServerVersion, "PostgreSQL 15")
	require.Contains(t, res.Verification.Summary, "PostgreSQL 15")

	v2, err := svc.RetestConnection(id, "run-db-3")
	require.NoError(t, err)
	require.Equal(t, "connected", v2.Status, v2.Summary)
	require.NotEmpty(t, v2.ServerVersion)
	last, err := svc.LastRun(id)
	require.NoError(t, err)
	require.Len(t, last, 1)
	require.Equal(t, "run-db-3", last[0].RunID)
	require.Equal(t, srv.User, last[0].Database.CurrentUser)
	pw, err := svc.RevealSecret(id, "password")
	require.NoError(t, err)
	require.Equal(t, srv.Password, pw)

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
	api := keyAPI(t, "k-mixed-123456")
	_, err = svc.TestConnection(apiKeyDraft(api.URL, "Mixed", "k-mixed-123456"), "run-http")
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

	require.NoError(t, svc.DeleteConnection(id))
	last, err = svc.LastRun(id)
	require.NoError(t, err)
	require.Empty(t, last)
}

func TestDatabaseConnectionPermissionCheck(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	d := pgDraft(srv, "Payroll", srv.Password)
	d.Settings["checkObject"] = "payroll"
	v, err := e.b.Connections.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "disconnected", v.Status, v.Summary)
	require.Equal(t, "permission_denied", v.Code)
	require.Equal(t, "checkObject", v.Field)
	require.Equal(t, srv.User, v.Identity)

	d.Settings["checkObject"] = "orders"
	v, err = e.b.Connections.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
}

// Bad input: a validation error naming the field, and the saved
// connection (its settings and its password) is left as it was.
func TestDatabaseBadInputLosesNothing(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	svc := e.b.Connections
	saved, err := svc.SaveConnection(pgDraft(srv, "Keep me", srv.Password), true, "")
	require.NoError(t, err)
	require.True(t, saved.Saved, "%+v", saved.Verification)
	id := saved.Connection.ID

	for name, tc := range map[string]struct {
		key, value, field string
	}{
		"garbage CA":         {"trustedCa", "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----", "trustedCa"},
		"port out of range":  {"port", "70000", "port"},
		"URL as host":        {"host", "postgres://db.example.com", "host"},
		"owned driver param": {"driverParams", "sslmode=disable", "driverParams"},
		"unknown TLS mode":   {"sslMode", "sometimes", "sslMode"},
		"connect timeout":    {"connectTimeout", "0", "connectTimeout"},
		"no user":            {"username", "", "username"},
	} {
		t.Run(name, func(t *testing.T) {
			d := pgDraft(srv, "Keep me", "changed-Pw-9")
			d.ID = id
			d.Settings[tc.key] = tc.value
			for _, verifyFirst := range []bool{false, true} {
				_, err := svc.SaveConnection(d, verifyFirst, "")
				parsed := uiErr(t, err)
				require.Equal(t, apperr.Validation, parsed.Code, parsed.Message)
				require.Equal(t, tc.field, parsed.Field, parsed.Message)
				require.NotContains(t, parsed.Message, "changed-Pw-9")
			}
			_, err := svc.TestConnection(d, "")
			require.Equal(t, tc.field, uiErr(t, err).Field)
		})
	}
	got, err := svc.GetConnection(id)
	require.NoError(t, err)
	require.Equal(t, "connected", got.Status)
	require.Equal(t, strconv.Itoa(srv.Port), got.Settings["port"])
	require.Empty(t, got.Settings["trustedCa"])
	pw, err := svc.RevealSecret(id, "password")
	require.NoError(t, err)
	require.Equal(t, srv.Password, pw, "a refused edit keeps the saved password")
}

// A SQLite connection: the file dialog fills the path; the file is
// opened read-only.
func TestSQLiteConnectionWithTheFileDialog(t *testing.T) {
	requireSecretService(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.sqlite")
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE orders (id INTEGER)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())

	var asked []string
	e := &env{home: t.TempDir(), keyring: keychain.System(), events: &events{}}
	e.opts = func(o *Options) {
		o.PickDatabaseFile = func(_ context.Context, title string) (string, error) {
			asked = append(asked, title)
			return path, nil
		}
	}
	e.start(t)
	svc := e.b.Connections
	picked, err := svc.PickDatabaseFile()
	require.NoError(t, err)
	require.Equal(t, path, picked)
	require.Len(t, asked, 1)

	d := ConnectionDraft{ConnectorID: "sqlite", Name: "Shop file", AuthType: "none",
		Settings: map[string]string{"path": picked, "checkObject": "orders"}}
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Contains(t, res.Verification.Summary, "read-only")
	require.Empty(t, res.Connection.SecretFields)

	d.Settings["path"] = filepath.Join(dir, "missing.sqlite")
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "file_not_found", v.Code)
	require.Equal(t, "path", v.Field)

	d.Settings["path"] = "shop.sqlite"
	_, err = svc.TestConnection(d, "")
	require.Equal(t, "path", uiErr(t, err).Field)

	entries, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.Equal(t, []string{path}, entries, "nothing created beside the file")
}
