package connections_test

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// The whole life of a database connection in the manager: a URL fills the
// form, a wrong password is refused and not saved, saved unverified, fixed,
// retested, found in its last run, deleted with its log.
func TestDatabaseConnectionThroughTheManager(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	ctx, ws := e.ctx(), e.workspace()

	// A URL fills the form; the password comes back for the password input.
	url := fmt.Sprintf("postgres://%s:wrong-Pw-1@%s/%s?sslmode=prefer&application_name=patchbay-e2e", srv.User, srv.Addr(), srv.Database)
	parts, err := e.m.ParseDatabaseURL("postgresql", url)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"host": srv.Host, "port": strconv.Itoa(srv.Port), "database": srv.Database,
		"username": srv.User, "sslMode": "prefer", "driverParams": "application_name=patchbay-e2e"}, parts.Settings)
	require.Equal(t, "wrong-Pw-1", parts.Password)
	_, err = e.m.ParseDatabaseURL("postgresql", "postgres://ada:pw@db:99999/app")
	require.Error(t, err)
	bad := apperr.From(err)
	require.Equal(t, apperr.Validation, bad.Code)
	require.Equal(t, "connectionUrl", bad.Field)
	_, err = e.m.ParseDatabaseURL("github", url)
	require.Error(t, err)
	require.Equal(t, "connectionUrl", apperr.From(err).Field)

	d := connections.Draft{ConnectorID: "postgresql", Name: "Warehouse", Settings: parts.Settings,
		Secrets: map[string]string{"password": parts.Password}}
	var streamed exchanges
	res, err := e.m.Save(ctx, ws, d, true, "run-db-1", streamed.add)
	require.NoError(t, err)
	require.False(t, res.Saved, "a wrong password is not saved")
	v := res.Verification
	require.Equal(t, verify.Disconnected, v.Status)
	require.Equal(t, verify.CodeUnauthorized, v.Code)
	require.Equal(t, "password", v.Field)
	require.Len(t, v.Exchanges, 1)
	ex := v.Exchanges[0]
	require.Equal(t, connlog.KindDatabase, ex.Kind)
	require.Equal(t, "28P01", ex.Database.ErrorCode)
	require.Equal(t, "run-db-1", ex.RunID)
	require.NotNil(t, ex.RequestHeaders, "[] not null for the UI")
	require.Equal(t, []string{connlog.KindDatabase + " 0"}, kinds(streamed.all()), "streamed like any exchange")

	res = e.save(t, d, false)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Unverified), res.Connection.Status)
	require.Equal(t, []string{"password"}, connections.ViewOf(res.Connection).SecretFields)
	require.Empty(t, res.Connection.BaseURL)
	id := res.Connection.ID

	fixed := d
	fixed.ID = id
	fixed.Secrets = map[string]string{"password": srv.Password}
	res, err = e.m.Save(ctx, ws, fixed, true, "run-db-2", nil)
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, string(verify.Connected), res.Connection.Status)
	require.Equal(t, srv.User, res.Connection.Identity, "connected as the current user")
	require.Contains(t, res.Verification.ServerVersion, "PostgreSQL 15")
	require.Contains(t, res.Verification.Summary, "PostgreSQL 15")

	v2, err := e.m.Retest(ctx, id, "run-db-3", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v2.Status, v2.Summary)
	require.NotEmpty(t, v2.ServerVersion)
	last := e.lastRun(t, id)
	require.Len(t, last, 1)
	require.Equal(t, "run-db-3", last[0].RunID)
	require.Equal(t, srv.User, last[0].Database.CurrentUser)
	require.Equal(t, srv.Password, e.reveal(t, id, "password"))

	require.NoError(t, e.m.Delete(ctx, id))
	require.Empty(t, e.lastRun(t, id))
	e.requireNoOrphans(t)
}

func TestDatabaseConnectionPermissionCheck(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	d := connectionstest.PGDraft(srv, "Payroll", srv.Password)
	d.Settings["checkObject"] = "payroll"
	v := e.test(t, d)
	require.Equal(t, verify.Limited, v.Status, v.Summary)
	require.Equal(t, "permission_denied", v.Code)
	require.Equal(t, "checkObject", v.Field)
	require.Equal(t, srv.User, v.Identity)

	d.Settings["checkObject"] = "orders"
	v = e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
}

// Bad input: a validation error naming the field, and the saved
// connection (its settings and its password) is left as it was.
func TestDatabaseBadInputLosesNothing(t *testing.T) {
	srv := databases.Postgres(t)
	e := newEnv(t)
	saved := e.save(t, connectionstest.PGDraft(srv, "Keep me", srv.Password), true)
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
			d := connectionstest.PGDraft(srv, "Keep me", "changed-Pw-9")
			d.ID = id
			d.Settings[tc.key] = tc.value
			for _, verifyFirst := range []bool{false, true} {
				_, err := e.m.Save(e.ctx(), e.workspace(), d, verifyFirst, "", nil)
				require.Error(t, err)
				got := apperr.From(err)
				require.Equal(t, apperr.Validation, got.Code, got.Message)
				require.Equal(t, tc.field, got.Field, got.Message)
				require.NotContains(t, got.Message, "changed-Pw-9")
			}
			_, err := e.m.Test(e.ctx(), e.workspace(), d, "", nil)
			require.Error(t, err)
			require.Equal(t, tc.field, apperr.From(err).Field)
		})
	}
	got := e.get(t, id)
	require.Equal(t, string(verify.Connected), got.Status)
	require.Equal(t, strconv.Itoa(srv.Port), got.Settings["port"])
	require.Empty(t, got.Settings["trustedCa"])
	require.Equal(t, srv.Password, e.reveal(t, id, "password"), "a refused edit keeps the saved password")
}

// A SQLite connection: the file is opened read-only; a missing file and a
// relative path name the path field; nothing is created beside the file.
func TestSQLiteConnectionIsOpenedReadOnly(t *testing.T) {
	path := connectionstest.SQLiteFile(t)
	dir := filepath.Dir(path)
	e := newEnv(t)
	d := connections.Draft{ConnectorID: "sqlite", Name: "Shop file", AuthType: "none",
		Settings: map[string]string{"path": path, "checkObject": "orders"}}
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Contains(t, res.Verification.Summary, "read-only")
	require.Empty(t, connections.ViewOf(res.Connection).SecretFields)

	d.Settings["path"] = filepath.Join(dir, "missing.sqlite")
	v := e.test(t, d)
	require.Equal(t, "file_not_found", v.Code)
	require.Equal(t, "path", v.Field)

	d.Settings["path"] = "shop.sqlite"
	_, err := e.m.Test(e.ctx(), e.workspace(), d, "", nil)
	require.Error(t, err)
	require.Equal(t, "path", apperr.From(err).Field)

	entries, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	require.Equal(t, []string{path}, entries, "nothing created beside the file")
}
