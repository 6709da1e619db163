package dbcheck_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/verify/dbcheck"
)

func requireField(t *testing.T, err error, field string) *apperr.Error {
	t.Helper()
	require.Error(t, err)
	var e *apperr.Error
	require.True(t, errors.As(err, &e), "%v", err)
	require.Equal(t, apperr.Validation, e.Code, e.Message)
	require.Equal(t, field, e.Field, e.Message)
	require.NotEmpty(t, e.Message)
	return e
}

func TestSettingsAreValidated(t *testing.T) {
	const password = "Pw-never-in-errors-77"
	base := func(kv ...string) map[string]string {
		s := map[string]string{catalog.KeyHost: "db.example.com", catalog.KeyUsername: "ada"}
		for i := 0; i+1 < len(kv); i += 2 {
			s[kv[i]] = kv[i+1]
		}
		return s
	}
	for _, tc := range []struct {
		name   string
		engine string
		s      map[string]string
		field  string
		want   string
	}{
		{"no host", catalog.EnginePostgreSQL, base(catalog.KeyHost, ""), catalog.KeyHost, "host name"},
		{"a URL as host", catalog.EnginePostgreSQL, base(catalog.KeyHost, "postgres://db.example.com"), catalog.KeyHost, "without a scheme"},
		{"port in host", catalog.EngineMySQL, base(catalog.KeyHost, "db.example.com:3306"), catalog.KeyHost, "Port"},
		{"port zero", catalog.EnginePostgreSQL, base(catalog.KeyPort, "0"), catalog.KeyPort, "1 to 65535"},
		{"port out of range", catalog.EngineMariaDB, base(catalog.KeyPort, "70000"), catalog.KeyPort, "1 to 65535"},
		{"port not a number", catalog.EngineSQLServer, base(catalog.KeyPort, "54x"), catalog.KeyPort, "1 to 65535"},
		{"no user", catalog.EnginePostgreSQL, base(catalog.KeyUsername, ""), catalog.KeyUsername, "user name"},
		{"unknown TLS mode", catalog.EnginePostgreSQL, base(catalog.KeySSLMode, "verify_identity"), catalog.KeySSLMode, "not one PostgreSQL knows"},
		{"timeout too long", catalog.EnginePostgreSQL, base(catalog.KeyConnectTimeout, "301"), catalog.KeyConnectTimeout, "1 to 300"},
		{"garbage CA", catalog.EnginePostgreSQL, base(catalog.KeyTrustedCA, "not a certificate at all"), catalog.KeyTrustedCA, "not a PEM certificate"},
		{"private key as CA", catalog.EngineMySQL, base(catalog.KeyTrustedCA, "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"), catalog.KeyTrustedCA, "private key"},
		{"param without =", catalog.EnginePostgreSQL, base(catalog.KeyDriverParams, "application_name"), catalog.KeyDriverParams, "line 1"},
		{"param owned by a field", catalog.EnginePostgreSQL, base(catalog.KeyDriverParams, "# ok\nsslmode=disable"), catalog.KeyDriverParams, "line 2: sslmode is set by the connection's SSL/TLS mode"},
		{"param holding a secret", catalog.EngineMySQL, base(catalog.KeyDriverParams, "db_password=x"), catalog.KeyDriverParams, "secret"},
		{"param twice", catalog.EnginePostgreSQL, base(catalog.KeyDriverParams, "search_path=a\nsearch_path=b"), catalog.KeyDriverParams, "twice"},
		{"param the driver refuses", catalog.EngineMySQL, base(catalog.KeyDriverParams, "parseTime=maybe"), catalog.KeyDriverParams, "MySQL does not accept"},
		{"SQL Server param owned", catalog.EngineSQLServer, base(catalog.KeyDriverParams, "TrustServerCertificate=true"), catalog.KeyDriverParams, "SSL/TLS mode"},
		{"object with three parts", catalog.EnginePostgreSQL, base(catalog.KeyCheckObject, "a.b.c"), catalog.KeyCheckObject, "schema.table"},
		{"object with open quote", catalog.EnginePostgreSQL, base(catalog.KeyCheckObject, `"orders`), catalog.KeyCheckObject, "schema.table"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dbcheck.FromSettings(tc.engine, tc.s, password, time.Second)
			e := requireField(t, err, tc.field)
			require.Contains(t, e.Message, tc.want)
			require.NotContains(t, e.Message, password)
		})
	}

	c, err := dbcheck.FromSettings(catalog.EnginePostgreSQL, base(catalog.KeyHost, "[::1]", catalog.KeyCheckObject, `"My Schema"."Orders"`,
		catalog.KeyDriverParams, "application_name = patchbay\n\n# comment\nsearch_path=a,b"), password, time.Second)
	require.NoError(t, err)
	require.Equal(t, "::1", c.Host, "brackets of an IPv6 address are dropped")
	require.Equal(t, 5432, c.Port, "the engine's default port")
	require.Equal(t, "prefer", c.SSLMode, "the engine's default mode for a server on this computer")
	require.Equal(t, 10*time.Second, c.ConnectTimeout)
	require.Equal(t, []dbcheck.Param{{Key: "application_name", Value: "patchbay"}, {Key: "search_path", Value: "a,b"}}, c.Params)
	mysql, err := dbcheck.FromSettings(catalog.EngineMySQL, base(catalog.KeyDriverParams, "allowCleartextPasswords=true\ncharset=utf8mb4"), password, time.Second)
	require.NoError(t, err, "a switch named …Passwords is not a secret")
	require.Equal(t, 3306, mysql.Port)
}

func TestParseURL(t *testing.T) {
	const pw = "s3cr:t/@pw"
	for _, tc := range []struct {
		name, engine, url string
		want              map[string]string
		password          string
		ignored           string
	}{
		{"postgres", catalog.EnginePostgreSQL, "postgres://ada:s3cr%3At%2F%40pw@db.example.com:6543/warehouse?sslmode=require&application_name=etl",
			map[string]string{"host": "db.example.com", "port": "6543", "database": "warehouse", "username": "ada", "sslMode": "require", "driverParams": "application_name=etl"}, pw, ""},
		{"postgresql, IPv6, no password", catalog.EnginePostgreSQL, "postgresql://ada@[::1]/app?connect_timeout=7&sslrootcert=/etc/ca.pem",
			map[string]string{"host": "::1", "database": "app", "username": "ada", "connectTimeout": "7"}, "", "sslrootcert"},
		{"jdbc mysql", catalog.EngineMySQL, "jdbc:mysql://ada:" + "s3cr%3At%2F%40pw" + "@db:3307/shop?sslMode=VERIFY_IDENTITY&characterEncoding=utf8",
			map[string]string{"host": "db", "port": "3307", "database": "shop", "username": "ada", "sslMode": "verify_identity", "driverParams": "characterEncoding=utf8"}, pw, ""},
		{"go-sql-driver DSN", catalog.EngineMariaDB, "ada:plain-pw@tcp(10.0.0.5:3306)/shop?tls=skip-verify&parseTime=true",
			map[string]string{"host": "10.0.0.5", "port": "3306", "database": "shop", "username": "ada", "sslMode": "required", "driverParams": "parseTime=true"}, "plain-pw", ""},
		{"mariadb scheme", catalog.EngineMariaDB, "mariadb://ada@db/shop?ssl-mode=disabled",
			map[string]string{"host": "db", "database": "shop", "username": "ada", "sslMode": "disabled"}, "", ""},
		{"sqlserver", catalog.EngineSQLServer, "sqlserver://sa:" + "s3cr%3At%2F%40pw" + "@sql.example.com:1533?database=crm&encrypt=true&TrustServerCertificate=true&app+name=etl",
			map[string]string{"host": "sql.example.com", "port": "1533", "database": "crm", "username": "sa", "sslMode": "required", "driverParams": "app name=etl"}, pw, ""},
		{"sqlserver strict", catalog.EngineSQLServer, "sqlserver://sa@sql.example.com?encrypt=strict",
			map[string]string{"host": "sql.example.com", "username": "sa", "sslMode": "strict"}, "", ""},
		{"sqlite file URI", catalog.EngineSQLite, "file:///home/ada/my%20data/app.db?mode=ro",
			map[string]string{"path": "/home/ada/my data/app.db"}, "", ""},
		{"sqlite path", catalog.EngineSQLite, "/home/ada/app.db", map[string]string{"path": "/home/ada/app.db"}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := dbcheck.ParseURL(tc.engine, tc.url)
			require.NoError(t, err)
			require.Equal(t, tc.want, p.Settings)
			require.Equal(t, tc.password, p.Password)
			if tc.ignored != "" {
				require.Len(t, p.Ignored, 1)
				require.Contains(t, p.Ignored[0], tc.ignored)
			} else {
				require.Empty(t, p.Ignored)
			}
			// What the URL filled in is a valid connection (with its password).
			if tc.engine != catalog.EngineSQLite {
				_, err = dbcheck.FromSettings(tc.engine, p.Settings, p.Password, time.Second)
				require.NoError(t, err)
			}
		})
	}
}

func TestParseURLRefusesBadURLsWithoutQuotingThem(t *testing.T) {
	const pw = "Quoted-Never-123"
	for _, tc := range []struct{ name, engine, url, want string }{
		{"empty", catalog.EnginePostgreSQL, "  ", "Paste a connection URL"},
		{"wrong scheme", catalog.EnginePostgreSQL, "mysql://ada:" + pw + "@db/app", "starts with postgres://"},
		{"not a URL", catalog.EnginePostgreSQL, "host=db user=ada password=" + pw, "starts with postgres://"},
		{"bad port", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@db:99999/app", "port"},
		{"port not a number", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@db:54x2/app", "port"},
		{"several hosts", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@db1:5432,db2:5432/app", "several hosts"},
		{"no host", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@/app", "no host"},
		{"unknown sslmode", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@db/app?sslmode=always", "sslmode"},
		{"password in the query", catalog.EnginePostgreSQL, "postgres://db/app?user=ada&password=" + pw, "before the @"},
		{"socket", catalog.EnginePostgreSQL, "postgres://ada:" + pw + "@/app?host=/var/run/postgresql", "no host"},
		{"named instance", catalog.EngineSQLServer, "sqlserver://sa:" + pw + "@sql/SQLEXPRESS", "instance"},
		{"bad encrypt", catalog.EngineSQLServer, "sqlserver://sa:" + pw + "@sql?encrypt=sometimes", "encrypt"},
		{"unix socket DSN", catalog.EngineMySQL, "ada:" + pw + "@unix(/tmp/mysql.sock)/app", "TCP"},
		{"garbage DSN", catalog.EngineMySQL, "ada:" + pw + "@@@", "mysql://"},
		{"relative sqlite", catalog.EngineSQLite, "data/app.db", "full path"},
		{"sqlite over the network", catalog.EngineSQLite, "https://example.com/app.db", "file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := dbcheck.ParseURL(tc.engine, tc.url)
			e := requireField(t, err, dbcheck.KeyConnectionURL)
			require.Contains(t, e.Message, tc.want)
			require.NotContains(t, e.Message, pw, "the URL's password is never quoted")
			require.False(t, strings.Contains(e.Message, "ada:"), "the URL is never quoted")
		})
	}
}
