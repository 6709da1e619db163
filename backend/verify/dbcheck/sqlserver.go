package dbcheck

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"

	mssql "github.com/microsoft/go-mssqldb"
	"github.com/microsoft/go-mssqldb/msdsn"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// sqlServerDriver logs in with a SQL Server login (SQL authentication).
type sqlServerDriver struct{}

// sqlServerConfig is the go-mssqldb configuration of c: the extra
// parameters are read by the driver's own connection string parser, then
// every value the connection sets is set on top, TLS last.
func sqlServerConfig(c Config, tr *trace) (msdsn.Config, error) {
	q := url.Values{}
	for _, p := range c.Params {
		q.Add(p.Key, p.Value)
	}
	if c.Database != "" {
		q.Set("database", c.Database)
	}
	q.Set("encrypt", "disable") // no TLS setup from the string: it is built below
	u := url.URL{Scheme: "sqlserver", Host: c.addr(), RawQuery: q.Encode()}
	cfg, err := msdsn.Parse(u.String())
	if err != nil {
		return msdsn.Config{}, apperr.Invalid(catalog.KeyDriverParams, "SQL Server does not accept the extra driver parameters: %s", err.Error())
	}
	cfg.Host, cfg.Port, cfg.Instance = c.Host, uint64(c.Port), ""
	cfg.User, cfg.Password, cfg.Database = c.User, c.Password, c.Database
	cfg.DialTimeout = c.ConnectTimeout
	cfg.ConnTimeout = 0 // the caller's context bounds the login
	if _, set := cfg.Parameters["app name"]; !set {
		cfg.AppName = "Patchbay"
	}
	p := policyOf(c)
	if cfg.TLSConfig, err = tlsConfig(c, p, tr); err != nil {
		return msdsn.Config{}, err
	}
	switch c.SSLMode {
	case "disable":
		cfg.Encryption = msdsn.EncryptionDisabled
	case "login":
		cfg.Encryption = msdsn.EncryptionOff
	case "strict":
		cfg.Encryption = msdsn.EncryptionStrict
	default: // required, verify
		cfg.Encryption = msdsn.EncryptionRequired
	}
	cfg.TrustServerCertificate = !p.verifyChain
	cfg.HostInCertificateProvided = true // keep our ServerName (none for an IP)
	return cfg, nil
}

func (sqlServerDriver) configure(c Config, tr *trace) (any, error) { return sqlServerConfig(c, tr) }

func (sqlServerDriver) connect(ctx context.Context, c Config, tr *trace) (session, error) {
	cfg, err := sqlServerConfig(c, tr)
	if err != nil {
		return nil, err
	}
	connector := mssql.NewConnectorConfig(cfg)
	connector.Dialer = dialerFunc(tr.dial)
	return openSQL(ctx, connector, sqlServerQueries{})
}

// dialerFunc is a go-mssqldb Dialer made of a function.
type dialerFunc func(ctx context.Context, network, addr string) (net.Conn, error)

func (f dialerFunc) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return f(ctx, network, addr)
}

type sqlServerQueries struct{}

func (sqlServerQueries) ping() string        { return "SELECT 1" }
func (sqlServerQueries) version() string     { return "SELECT @@VERSION" }
func (sqlServerQueries) currentUser() string { return "SELECT SUSER_SNAME()" }

// sqlServerIdent quotes a name with brackets.
func sqlServerIdent(s string) string { return "[" + strings.ReplaceAll(s, "]", "]]") + "]" }

func (sqlServerQueries) oneRow(object string) (string, error) {
	table, err := tableOf(object, sqlServerIdent)
	return "SELECT TOP 1 * FROM " + table, err
}

// checkRead reads from the table for real (SELECT TOP 0), so a refusal is
// the server's own error 229; a one-part name that is no table is looked
// up as a schema, whose SELECT permission is asked for.
func (sqlServerQueries) checkRead(ctx context.Context, conn *sql.Conn, object string) (string, string, error) {
	parts, err := splitObject(object)
	if err != nil {
		return "", "", err
	}
	var stmts []string
	done := func(detail string, err error) (string, string, error) { return strings.Join(stmts, "\n"), detail, err }
	table := sqlServerIdent(parts[0])
	if len(parts) == 2 {
		table += "." + sqlServerIdent(parts[1])
	}
	stmt := "SELECT TOP 0 1 FROM " + table
	stmts = append(stmts, stmt)
	rows, err := conn.QueryContext(ctx, stmt)
	if err == nil {
		err = rows.Close()
	}
	switch sqlServerNumber(err) {
	case 0:
		if err != nil {
			return done("", err)
		}
		return done("may read the table "+strings.Join(parts, "."), nil)
	case 229, 230:
		return done("", &checkError{object: object, what: "table", cause: err})
	case 208:
		if len(parts) == 2 {
			return done("", &checkError{notFound: true, object: object, what: "table", cause: err})
		}
	default:
		return done("", err)
	}
	stmt = "SELECT SCHEMA_ID(@p1), HAS_PERMS_BY_NAME(@p1, 'SCHEMA', 'SELECT')"
	stmts = append(stmts, stmt)
	var id, perm sql.NullInt64
	if err := conn.QueryRowContext(ctx, stmt, parts[0]).Scan(&id, &perm); err != nil {
		return done("", err)
	}
	switch {
	case !id.Valid:
		return done("", &checkError{notFound: true, object: object, what: "table or schema"})
	case perm.Int64 != 1:
		return done("", &checkError{object: object, what: "schema", cause: errors.New("HAS_PERMS_BY_NAME(…, 'SCHEMA', 'SELECT') is 0: no SELECT permission on the schema")})
	}
	return done("may read the schema "+parts[0], nil)
}

func sqlServerNumber(err error) int32 {
	var e mssql.Error
	if errors.As(err, &e) {
		return e.Number
	}
	var pe *mssql.Error
	if errors.As(err, &pe) && pe != nil {
		return pe.Number
	}
	return 0
}

func sqlServerErrorOf(err error) (code, msg string, ok bool) {
	var e mssql.Error
	if errors.As(err, &e) {
		return strconv.Itoa(int(e.Number)), e.Message, true
	}
	return "", "", false
}
