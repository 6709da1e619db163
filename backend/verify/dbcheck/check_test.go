package dbcheck_test

import (
	"context"
	"encoding/json"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/dbcheck"
	"patchbay/backend/verify/dbcheck/dbtest"
)

// engine is one real server under test, with the words its answers use.
type engine struct {
	id      string // catalog engine
	srv     func(t *testing.T) *dbtest.Server
	tlsOff  string // the mode without TLS
	verify  string // the mode that checks certificate and host name
	codes   map[string]string
	version string // what the version banner holds
}

func engines() []engine {
	return []engine{
		{
			id: catalog.EnginePostgreSQL, srv: func(t *testing.T) *dbtest.Server { return servers.Postgres(t) },
			tlsOff: "disable", verify: "verify-full", version: "PostgreSQL 15",
			codes: map[string]string{"password": "28P01", "database": "3D000", "permission": "42501"},
		},
		{
			id: catalog.EngineMariaDB, srv: func(t *testing.T) *dbtest.Server { return servers.MariaDB(t) },
			tlsOff: "disabled", verify: "verify_identity", version: "MariaDB",
			codes: map[string]string{"password": "1045", "database": "1049", "permission": "1142"},
		},
	}
}

// settings are a connection's settings for srv, changed by kv pairs.
func settings(srv *dbtest.Server, kv ...string) map[string]string {
	s := map[string]string{
		catalog.KeyHost: srv.Host, catalog.KeyPort: strconv.Itoa(srv.Port), catalog.KeyDatabase: srv.Database,
		catalog.KeyUsername: srv.User, catalog.KeyConnectTimeout: "5",
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(s, kv[i])
		} else {
			s[kv[i]] = kv[i+1]
		}
	}
	return s
}

// check validates the settings and logs in, and checks what every
// outcome must hold: a database exchange whose record never holds the
// password, steps in time order, a summary and advice.
func check(t *testing.T, engine string, s map[string]string, password string) dbcheck.Outcome {
	t.Helper()
	c, err := dbcheck.FromSettings(engine, s, password, 20*time.Second)
	require.NoError(t, err)
	out := dbcheck.Check(t.Context(), c, nil)
	data, err := json.Marshal(out)
	require.NoError(t, err)
	if password != "" {
		require.NotContains(t, string(data), password, "the password never enters a result or the record")
	}
	ex := out.Exchange
	require.Equal(t, connlog.KindDatabase, ex.Kind)
	require.Equal(t, "CONNECT", ex.Method)
	require.NotNil(t, ex.Database)
	require.Equal(t, engine, ex.Database.Engine)
	require.NotEmpty(t, out.Summary)
	require.NotEmpty(t, out.Advice)
	for i := 1; i < len(ex.Database.Steps); i++ {
		require.LessOrEqual(t, ex.Database.Steps[i-1].StartMs, ex.Database.Steps[i].StartMs, "steps in time order")
	}
	if out.Status == verify.Connected {
		require.Empty(t, ex.ErrorClass)
	} else {
		require.NotEmpty(t, ex.ErrorClass, "a failed attempt is an error in the log")
		require.NotEmpty(t, ex.Error)
	}
	return out
}

func stepNames(o dbcheck.Outcome) []string {
	var names []string
	for _, s := range o.Exchange.Database.Steps {
		names = append(names, s.Name+":"+s.Status)
	}
	return names
}

func TestLoginSucceeds(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			out := check(t, e.id, settings(srv), srv.Password)
			require.Equal(t, verify.Connected, out.Status, out.Summary)
			require.Equal(t, verify.CodeOK, out.Code)
			require.Contains(t, out.Identity, srv.User, "connected as the current user")
			require.Contains(t, out.ServerVersion, e.version)
			require.Contains(t, out.Summary, srv.Addr())
			// The default modes on this computer (prefer, preferred) use
			// TLS when the server offers it, without checking the
			// certificate, and without a warning: nothing crossed a network.
			require.Equal(t, []string{"connect:ok", "tls:ok", "authenticate:ok", "ping:ok", "version:ok", "current user:ok"}, stepNames(out))
			require.NotContains(t, out.Advice, "Warning")
			ex := out.Exchange
			require.NotNil(t, ex.TLS)
			require.NotEmpty(t, ex.TLS.Version)
			require.NotEmpty(t, ex.TLS.PeerCertificates, "the server's chain is recorded")
			require.Equal(t, srv.Addr(), ex.RemoteAddr)
			require.Greater(t, ex.Timings.TotalMs, 0.0)
			require.Greater(t, ex.Timings.TLSMs, 0.0)
			require.Contains(t, ex.RequestBody, "SELECT 1")
			require.Contains(t, ex.ResponseBody, "current user: "+out.Identity)
			require.Equal(t, srv.User, ex.Database.User)
			require.Equal(t, srv.Port, ex.Database.Port)
			require.NotContains(t, ex.URL, "@", "no user in the URL: the log would read it as a credential")
			require.Contains(t, ex.URL, "/"+srv.Database)
			for _, s := range ex.Database.Steps {
				require.GreaterOrEqual(t, s.DurationMs, 0.0)
			}
		})
	}
}

func TestWrongPassword(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			out := check(t, e.id, settings(srv), "not-the-Pw-9931")
			require.Equal(t, verify.Disconnected, out.Status, out.Summary)
			require.Equal(t, verify.CodeUnauthorized, out.Code)
			require.Equal(t, catalog.KeyPassword, out.Field)
			require.Equal(t, e.codes["password"], out.Exchange.Database.ErrorCode)
			require.Equal(t, connlog.ErrorAuth, out.Exchange.ErrorClass)
			require.Contains(t, out.Exchange.ResponseBody, e.codes["password"], "the server's code is searchable")
			names := stepNames(out)
			require.Contains(t, names, "authenticate:failed")
		})
	}
}

func TestUnknownDatabase(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			out := check(t, e.id, settings(srv, catalog.KeyDatabase, "no_such_db", catalog.KeyUsername, "wide"), "wide-Pw-4711")
			require.Equal(t, verify.Unreachable, out.Status, out.Summary)
			require.Equal(t, verify.CodeUnknownDatabase, out.Code)
			require.Equal(t, catalog.KeyDatabase, out.Field)
			require.Equal(t, e.codes["database"], out.Exchange.Database.ErrorCode)
			require.Contains(t, out.Summary, "no_such_db")
		})
	}
}

func TestReadPermissionOnANamedTable(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			reader := func(object string) dbcheck.Outcome {
				return check(t, e.id, settings(srv, catalog.KeyUsername, "reader", catalog.KeyCheckObject, object), "reader-Pw-4711")
			}
			ok := reader("orders")
			require.Equal(t, verify.Connected, ok.Status, ok.Summary)
			require.Contains(t, ok.Summary, "may read the table")
			require.Contains(t, stepNames(ok), "permission:ok")

			denied := reader("secrets")
			require.Equal(t, verify.Limited, denied.Status, denied.Summary)
			require.Equal(t, verify.CodePermissionDenied, denied.Code)
			require.Equal(t, catalog.KeyCheckObject, denied.Field)
			require.Equal(t, e.codes["permission"], denied.Exchange.Database.ErrorCode)
			require.Equal(t, connlog.ErrorPermission, denied.Exchange.ErrorClass)
			require.Contains(t, denied.Identity, "reader", "logged in: connected as the reader")
			require.Contains(t, stepNames(denied), "permission:failed")
			require.Contains(t, denied.Summary, "secrets")

			missing := check(t, e.id, settings(srv, catalog.KeyCheckObject, "no_such_table"), srv.Password)
			require.Equal(t, verify.Unreachable, missing.Status, missing.Summary)
			require.Equal(t, verify.CodeObjectNotFound, missing.Code)
			require.Equal(t, catalog.KeyCheckObject, missing.Field)
			if e.id == catalog.EngineMariaDB {
				// To a user without privileges on it, MySQL says "denied"
				// for a table that does not exist as well: the summary
				// says both are possible.
				hidden := reader("no_such_table")
				require.Equal(t, verify.CodePermissionDenied, hidden.Code)
				require.Contains(t, hidden.Summary, "or it does not exist")
			}
		})
	}
}

func TestPostgresSchemaAndDatabasePermissions(t *testing.T) {
	srv := servers.Postgres(t)
	reader := func(kv ...string) dbcheck.Outcome {
		return check(t, catalog.EnginePostgreSQL, settings(srv, append([]string{catalog.KeyUsername, "reader"}, kv...)...), "reader-Pw-4711")
	}
	out := reader(catalog.KeyCheckObject, "open_data")
	require.Equal(t, verify.Connected, out.Status, out.Summary)
	require.Contains(t, out.Summary, "may use the schema open_data")

	out = reader(catalog.KeyCheckObject, "sales")
	require.Equal(t, verify.CodePermissionDenied, out.Code, out.Summary)
	require.Equal(t, catalog.KeyCheckObject, out.Field)

	// A table in a schema the user may not use: the server's own refusal.
	out = reader(catalog.KeyCheckObject, "sales.leads")
	require.Equal(t, verify.CodePermissionDenied, out.Code, out.Summary)
	require.Equal(t, "42501", out.Exchange.Database.ErrorCode)

	// CONNECT revoked on the database: refused at login, but the password
	// was right: Limited, a GRANT is missing.
	out = reader(catalog.KeyDatabase, "closed")
	require.Equal(t, verify.Limited, out.Status, out.Summary)
	require.Equal(t, verify.CodePermissionDenied, out.Code)
	require.Equal(t, catalog.KeyDatabase, out.Field)
	require.Equal(t, "42501", out.Exchange.Database.ErrorCode)
}

func TestMariaDBDatabaseWithoutPrivileges(t *testing.T) {
	srv := servers.MariaDB(t)
	out := check(t, catalog.EngineMariaDB, settings(srv, catalog.KeyUsername, "reader", catalog.KeyDatabase, "other"), "reader-Pw-4711")
	require.Equal(t, verify.Limited, out.Status, out.Summary)
	require.Equal(t, verify.CodePermissionDenied, out.Code)
	require.Equal(t, catalog.KeyDatabase, out.Field)
	require.Equal(t, "1044", out.Exchange.Database.ErrorCode)
}

// The servers accept tls_user only over TLS, with a certificate signed by
// a CA made for the run: the system does not trust it.
func TestTLSRequiredByTheServer(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			tlsUser := func(kv ...string) dbcheck.Outcome {
				return check(t, e.id, settings(srv, append([]string{catalog.KeyUsername, "tls_user"}, kv...)...), srv.Password)
			}
			// Without TLS: the server refuses.
			plain := tlsUser(catalog.KeySSLMode, e.tlsOff)
			require.NotEqual(t, verify.Connected, plain.Status, plain.Summary)
			require.Contains(t, stepNames(plain), "tls:skipped")
			if e.id == catalog.EnginePostgreSQL {
				require.Equal(t, verify.CodeTLSRequired, plain.Code, plain.Summary)
				require.Equal(t, catalog.KeySSLMode, plain.Field)
				require.Equal(t, "28000", plain.Exchange.Database.ErrorCode)
			} else {
				// MariaDB refuses a REQUIRE SSL account like a wrong
				// password (1045); the advice says to try TLS.
				require.Equal(t, verify.CodeUnauthorized, plain.Code)
				require.Contains(t, plain.Advice, "REQUIRE SSL")
			}

			// Checking the certificate without the CA: not trusted.
			noCA := tlsUser(catalog.KeySSLMode, e.verify)
			require.Equal(t, verify.Unreachable, noCA.Status, noCA.Summary)
			require.Equal(t, verify.CodeUnknownCA, noCA.Code)
			require.Equal(t, catalog.KeyTrustedCA, noCA.Field)
			require.Contains(t, stepNames(noCA), "tls:failed")
			require.NotContains(t, stepNames(noCA), "authenticate:failed", "no login was tried")
			require.NotNil(t, noCA.Exchange.TLS)
			require.NotEmpty(t, noCA.Exchange.TLS.VerifyError)
			require.NotEmpty(t, noCA.Exchange.TLS.PeerCertificates, "the chain the server presented is recorded")
			require.Equal(t, connlog.ErrorTLS, noCA.Exchange.ErrorClass)

			// With the CA: connected, over TLS, certificate and host checked.
			withCA := tlsUser(catalog.KeySSLMode, e.verify, catalog.KeyTrustedCA, srv.CAPEM)
			require.Equal(t, verify.Connected, withCA.Status, withCA.Summary)
			require.Contains(t, withCA.Summary, "over TLS")
			tlsFacts := withCA.Exchange.TLS
			require.NotNil(t, tlsFacts)
			require.Contains(t, tlsFacts.Version, "TLS 1.")
			require.NotEmpty(t, tlsFacts.CipherSuite)
			require.Empty(t, tlsFacts.VerifyError)
			require.Contains(t, tlsFacts.PeerCertificates[0].Issuer, "test CA")

			// The same through the host name the certificate names.
			byName := tlsUser(catalog.KeySSLMode, e.verify, catalog.KeyTrustedCA, srv.CAPEM, catalog.KeyHost, "localhost")
			require.Equal(t, verify.Connected, byName.Status, byName.Summary)
		})
	}
}

func TestNothingListening(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	require.NoError(t, ln.Close())
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			out := check(t, e.id, map[string]string{catalog.KeyHost: "127.0.0.1", catalog.KeyPort: port, catalog.KeyUsername: "app"}, "x-Pw-1234")
			require.Equal(t, verify.Unreachable, out.Status)
			require.Equal(t, verify.CodeRefused, out.Code, out.Summary)
			require.Equal(t, catalog.KeyPort, out.Field)
			require.Equal(t, connlog.ErrorRefused, out.Exchange.ErrorClass)
			require.Equal(t, []string{"connect:failed"}, stepNames(out))
		})
	}
}

// A server that accepts the TCP connection and never says a word must not
// hang the check: it ends at the connect timeout, saying so.
func TestServerThatNeverAnswers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c) // accepted, never answered
		}
	}()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			start := time.Now()
			out := check(t, e.id, map[string]string{catalog.KeyHost: "127.0.0.1", catalog.KeyPort: port, catalog.KeyUsername: "app",
				catalog.KeyConnectTimeout: "1"}, "x-Pw-1234")
			took := time.Since(start)
			require.Less(t, took, 4*time.Second, "ended by the 1 s connect timeout")
			require.GreaterOrEqual(t, took, 900*time.Millisecond)
			require.Equal(t, verify.Unreachable, out.Status)
			require.Equal(t, verify.CodeTimeout, out.Code, out.Summary)
			require.Contains(t, out.Summary, "accepted the TCP connection but did not answer")
			require.Equal(t, catalog.KeyPort, out.Field)
			require.Equal(t, connlog.ErrorTimeout, out.Exchange.ErrorClass)
			require.Contains(t, stepNames(out), "connect:ok")
		})
	}
}

func TestUnknownHost(t *testing.T) {
	out := check(t, catalog.EnginePostgreSQL, map[string]string{catalog.KeyHost: "db.patchbay-test.invalid", catalog.KeyUsername: "app"}, "x-Pw-1234")
	require.Equal(t, verify.Unreachable, out.Status)
	require.Equal(t, verify.CodeDNS, out.Code, out.Summary)
	require.Equal(t, catalog.KeyHost, out.Field)
	require.Equal(t, connlog.ErrorDNS, out.Exchange.ErrorClass)
	require.Equal(t, []string{"resolve:failed"}, stepNames(out))
}

func TestCancelIsNotAVerdict(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	c, err := dbcheck.FromSettings(catalog.EnginePostgreSQL, map[string]string{catalog.KeyHost: "127.0.0.1",
		catalog.KeyPort: strconv.Itoa(ln.Addr().(*net.TCPAddr).Port), catalog.KeyUsername: "app"}, "x-Pw-1234", 0)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(200*time.Millisecond, cancel)
	out := dbcheck.Check(ctx, c, nil)
	require.Equal(t, verify.Unverified, out.Status)
	require.Equal(t, verify.CodeCanceled, out.Code)
	require.Equal(t, connlog.ErrorCanceled, out.Exchange.ErrorClass)
}

// Extra driver parameters reach the server: PostgreSQL run-time settings.
func TestPostgresDriverParameters(t *testing.T) {
	srv := servers.Postgres(t)
	out := check(t, catalog.EnginePostgreSQL, settings(srv, catalog.KeyDriverParams, "application_name=patchbay-test\nsearch_path=sales"), srv.Password)
	require.Equal(t, verify.Connected, out.Status, out.Summary)
	require.Equal(t, "application_name=patchbay-test\nsearch_path=sales", out.Exchange.Database.Params)
	require.True(t, strings.HasPrefix(out.Exchange.URL, "postgresql://127.0.0.1:"))
}

// Fetch one record reads the first row of the table to check, columns in
// table order, on every engine; a table without rows is no error.
func TestFetchOneRow(t *testing.T) {
	for _, e := range engines() {
		t.Run(e.id, func(t *testing.T) {
			srv := e.srv(t)
			fetch := func(object string) dbcheck.Outcome {
				t.Helper()
				c, err := dbcheck.FromSettings(e.id, settings(srv, catalog.KeyCheckObject, object), srv.Password, 20*time.Second)
				require.NoError(t, err)
				c.FetchOne = true
				return dbcheck.Check(t.Context(), c, nil)
			}
			table := "fetch_people"
			admin := func(stmts ...string) error { return srv.AdminIn(srv.Database, stmts...) }
			qualified, grantee := "public."+table, srv.User
			if e.id == catalog.EngineMariaDB {
				admin, qualified, grantee = srv.Admin, srv.Database+"."+table, "'"+srv.User+"'@'%'"
			}
			require.NoError(t, admin("CREATE TABLE IF NOT EXISTS "+qualified+" (zid int, name varchar(40), note varchar(40))",
				"DELETE FROM "+qualified, "GRANT SELECT ON "+qualified+" TO "+grantee))
			empty := fetch(table)
			require.Equal(t, verify.Connected, empty.Status, empty.Summary)
			require.Empty(t, empty.Row, "no rows, no record")
			require.Contains(t, stepNames(empty), "fetch one row:ok")

			require.NoError(t, admin("INSERT INTO "+qualified+" VALUES (3, 'Grace Hopper', NULL)"))
			got := fetch(table)
			require.Equal(t, verify.Connected, got.Status, got.Summary)
			require.Equal(t, `{"zid":3,"name":"Grace Hopper","note":null}`, got.Row)
			require.Contains(t, got.Exchange.ResponseBody, `row: {"zid":3`)
		})
	}
}
