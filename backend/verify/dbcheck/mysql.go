package dbcheck

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// mysqlDriver serves MySQL and MariaDB: one protocol, one driver.
type mysqlDriver struct{}

// configure builds go-sql-driver's configuration: the extra parameters are
// read by the driver's own DSN parser (its options and system variables),
// then every value the connection sets is set on top.
func (mysqlDriver) configure(c Config, tr *trace) (any, error) {
	q := url.Values{}
	for _, p := range c.Params {
		q.Add(p.Key, p.Value)
	}
	cfg, err := mysql.ParseDSN("/?" + q.Encode())
	if err != nil {
		return nil, apperr.Invalid(catalog.KeyDriverParams, "MySQL does not accept the extra driver parameters: %s", err.Error())
	}
	cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName = c.User, c.Password, "tcp", c.addr(), c.Database
	cfg.DialFunc = tr.dial
	cfg.Timeout = c.ConnectTimeout
	p := policyOf(c)
	tlsCfg, err := tlsConfig(c, p, tr)
	if err != nil {
		return nil, err
	}
	cfg.TLS, cfg.TLSConfig, cfg.AllowFallbackToPlaintext = tlsCfg, "", p.optional
	if tlsCfg == nil {
		cfg.TLSConfig = "false"
	}
	return cfg, nil
}

func (d mysqlDriver) connect(ctx context.Context, c Config, tr *trace) (session, error) {
	cfg, err := d.configure(c, tr)
	if err != nil {
		return nil, err
	}
	connector, err := mysql.NewConnector(cfg.(*mysql.Config))
	if err != nil {
		return nil, apperr.Invalid(catalog.KeyDriverParams, "MySQL does not accept the settings: %s", err.Error())
	}
	return openSQL(ctx, connector, mysqlQueries{database: c.Database})
}

type mysqlQueries struct{ database string }

func (mysqlQueries) ping() string        { return "SELECT 1" }
func (mysqlQueries) version() string     { return "SELECT VERSION()" }
func (mysqlQueries) currentUser() string { return "SELECT CURRENT_USER()" }

// mysqlIdent quotes a name with backticks.
func mysqlIdent(s string) string { return "`" + strings.ReplaceAll(s, "`", "``") + "`" }

// oneRow reads from database.table, or from a table of the connection's
// database; a database alone has no row to show.
func (q mysqlQueries) oneRow(object string) (string, error) {
	parts, err := splitObject(object)
	if err != nil {
		return "", err
	}
	if len(parts) == 1 && q.database == "" {
		return "", &checkError{object: object, what: "table", cause: errors.New("name a table as database.table to fetch a row from it")}
	}
	table, _ := tableOf(object, mysqlIdent)
	return "SELECT * FROM " + table + " LIMIT 1", nil
}

// checkRead reads from the table for real, so a refusal is the server's
// own 1142 (or 1044 for a database the user may not use). A one-part name
// is a table of the connection's database when there is one, else (or
// when no such table exists) a database.
func (q mysqlQueries) checkRead(ctx context.Context, conn *sql.Conn, object string) (string, string, error) {
	parts, err := splitObject(object)
	if err != nil {
		return "", "", err
	}
	var stmts []string
	done := func(detail string, err error) (string, string, error) { return strings.Join(stmts, "\n"), detail, err }
	exec := func(stmt string) error {
		stmts = append(stmts, stmt)
		rows, err := conn.QueryContext(ctx, stmt)
		if err == nil {
			err = rows.Close()
		}
		return err
	}
	var noTable error // the table was looked for in the connection's database and is not there
	if len(parts) == 2 || q.database != "" {
		table := mysqlIdent(parts[0])
		name := parts[0]
		if len(parts) == 2 {
			table, name = mysqlIdent(parts[0])+"."+mysqlIdent(parts[1]), parts[0]+"."+parts[1]
		}
		err := exec("SELECT 1 FROM " + table + " LIMIT 0")
		switch mysqlNumber(err) {
		case 0:
			if err != nil {
				return done("", err)
			}
			return done("may read the table "+name, nil)
		case 1142, 1143:
			return done("", &checkError{object: name, what: "table", cause: err})
		case 1044:
			return done("", &checkError{object: parts[0], what: "database", cause: err})
		case 1049:
			return done("", &checkError{notFound: true, object: parts[0], what: "database", cause: err})
		case 1146:
			if len(parts) == 2 {
				return done("", &checkError{notFound: true, object: name, what: "table", cause: err})
			}
			noTable = err // no such table in the connection's database: maybe a database
		default:
			return done("", err)
		}
	}
	err = exec("SHOW TABLES FROM " + mysqlIdent(parts[0]))
	switch mysqlNumber(err) {
	case 0:
		if err != nil {
			return done("", err)
		}
		return done("may use the database "+parts[0], nil)
	case 1044:
		if noTable != nil {
			// Denied a database of that name (which MySQL also says when
			// there is none): the table it was more likely meant to be
			// does not exist.
			return done("", &checkError{notFound: true, object: parts[0], what: "table", cause: noTable})
		}
		return done("", &checkError{object: parts[0], what: "database", cause: err})
	case 1049:
		what := "database"
		if noTable != nil {
			what = "table or database"
		}
		return done("", &checkError{notFound: true, object: parts[0], what: what, cause: err})
	}
	return done("", err)
}

// mysqlNumber is a MySQL error's number, 0 for nil or another error.
func mysqlNumber(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

func mysqlErrorOf(err error) (code, msg string, ok bool) {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return strconv.Itoa(int(me.Number)), me.Message, true
	}
	return "", "", false
}
