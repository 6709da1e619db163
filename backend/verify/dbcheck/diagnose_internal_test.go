package dbcheck

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	mssql "github.com/microsoft/go-mssqldb"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// Errors the test servers here cannot produce (a host-based refusal needs
// another address; SQL Server has no Debian package; a server without TLS
// would be a third server), in the drivers' own types and words.
func TestDiagnosisOfErrorsNoTestServerProduces(t *testing.T) {
	cfg := func(engine, mode string) Config {
		return Config{Engine: engine, Host: "db.example.com", Port: 3306, User: "ada", Database: "shop", SSLMode: mode,
			ConnectTimeout: 2 * time.Second, Password: "Pw-x-123456"}
	}
	connected := func() *trace {
		tr := newTrace(time.Now)
		tr.connected = true
		return tr
	}
	for _, tc := range []struct {
		name   string
		c      Config
		err    error
		status verify.Status
		code   string
		field  string
		class  string
	}{
		{"MySQL host not allowed", cfg(catalog.EngineMySQL, "preferred"),
			&mysql.MySQLError{Number: 1130, Message: "Host '10.0.0.9' is not allowed to connect to this MySQL server"},
			verify.Disconnected, verify.CodeHostNotAllowed, catalog.KeyUsername, connlog.ErrorAuth},
		{"MySQL secure transport required", cfg(catalog.EngineMySQL, "disabled"),
			&mysql.MySQLError{Number: 3159, Message: "Connections using insecure transport are prohibited while --require_secure_transport=ON."},
			verify.Unreachable, verify.CodeTLSRequired, catalog.KeySSLMode, connlog.ErrorTLS},
		{"MySQL server without TLS", cfg(catalog.EngineMySQL, "required"), mysql.ErrNoTLS,
			verify.Unreachable, verify.CodeTLSRefused, catalog.KeySSLMode, connlog.ErrorTLS},
		{"PostgreSQL server without TLS", cfg(catalog.EnginePostgreSQL, "require"),
			fmt.Errorf("failed to connect: %w", errors.New("server refused TLS connection")),
			verify.Unreachable, verify.CodeTLSRefused, catalog.KeySSLMode, connlog.ErrorTLS},
		{"SQL Server wrong password", cfg(catalog.EngineSQLServer, "verify"),
			mssql.Error{Number: 18456, Message: "Login failed for user 'ada'."},
			verify.Disconnected, verify.CodeUnauthorized, catalog.KeyPassword, connlog.ErrorAuth},
		{"SQL Server unknown database", cfg(catalog.EngineSQLServer, "verify"),
			mssql.Error{Number: 4060, Message: "Cannot open database \"shop\" requested by the login. The login failed."},
			verify.Unreachable, verify.CodeUnknownDatabase, catalog.KeyDatabase, connlog.ErrorDatabase},
		{"SQL Server without encryption", cfg(catalog.EngineSQLServer, "verify"), errors.New("server does not support encryption"),
			verify.Unreachable, verify.CodeTLSRefused, catalog.KeySSLMode, connlog.ErrorTLS},
		{"SQL Server table permission", cfg(catalog.EngineSQLServer, "verify"),
			&checkError{object: "dbo.orders", what: "table", cause: mssql.Error{Number: 229, Message: "The SELECT permission was denied on the object 'orders'."}},
			verify.Limited, verify.CodePermissionDenied, catalog.KeyCheckObject, connlog.ErrorPermission},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, f := diagnose(context.Background(), tc.c, connected(), stageConnect, tc.err, false)
			require.Equal(t, tc.status, r.Status, r.Summary)
			require.Equal(t, tc.code, r.Code, r.Summary)
			require.Equal(t, tc.field, r.Field)
			require.Equal(t, tc.class, f.class)
			require.NotEmpty(t, r.Advice)
			require.NotContains(t, r.Summary+r.Advice, tc.c.Password)
		})
	}
}
