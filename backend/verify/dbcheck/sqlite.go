package dbcheck

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// sqliteDriver opens a SQLite file read-only: a check never changes it,
// never creates it, and leaves no journal behind.
type sqliteDriver struct{}

// errFileMissing and errNotAFile are what an unusable path is.
var (
	errFileMissing = errors.New("no such file")
	errNotAFile    = errors.New("is a directory, not a file")
)

// sqliteDSN is a file: URI with mode=ro. SQLite's URI syntax gives '?' and
// '#' meaning and decodes %XX, so those are escaped in the path.
func sqliteDSN(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	return "file:" + esc + "?mode=ro"
}

func (sqliteDriver) configure(c Config, _ *trace) (any, error) { return sqliteDSN(c.Path), nil }

// connect opens the file and reads its header, which a file that is not a
// database fails (SQLite itself opens anything lazily).
func (sqliteDriver) connect(ctx context.Context, c Config, _ *trace) (session, error) {
	info, err := os.Stat(c.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, &fs.PathError{Op: "open", Path: c.Path, Err: errFileMissing}
	case err != nil:
		return nil, err
	case info.IsDir():
		return nil, &fs.PathError{Op: "open", Path: c.Path, Err: errNotAFile}
	}
	dc, err := (&sqlite3.SQLiteDriver{}).Open(sqliteDSN(c.Path))
	if err != nil {
		return nil, err
	}
	s, err := openSQL(ctx, staticConnector{conn: dc}, sqliteQueries{})
	if err != nil {
		_ = dc.Close()
		return nil, err
	}
	var v int64
	if err := s.(*sqlSession).conn.QueryRowContext(ctx, "PRAGMA schema_version").Scan(&v); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// staticConnector hands out one connection made beforehand.
type staticConnector struct{ conn driver.Conn }

func (s staticConnector) Connect(context.Context) (driver.Conn, error) { return s.conn, nil }
func (staticConnector) Driver() driver.Driver                          { return &sqlite3.SQLiteDriver{} }

type sqliteQueries struct{}

func (sqliteQueries) ping() string        { return "SELECT 1" }
func (sqliteQueries) version() string     { return "SELECT sqlite_version()" }
func (sqliteQueries) currentUser() string { return "" } // a file has no users

// sqliteIdent quotes a name with double quotes.
func sqliteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (sqliteQueries) oneRow(object string) (string, error) {
	table, err := tableOf(object, sqliteIdent)
	return "SELECT * FROM " + table + " LIMIT 1", err
}

// checkRead reads from the table (schema.table names an attached
// database's table; main is the file itself).
func (sqliteQueries) checkRead(ctx context.Context, conn *sql.Conn, object string) (string, string, error) {
	parts, err := splitObject(object)
	if err != nil {
		return "", "", err
	}
	table := sqliteIdent(parts[0])
	if len(parts) == 2 {
		table += "." + sqliteIdent(parts[1])
	}
	stmt := "SELECT 1 FROM " + table + " LIMIT 0"
	rows, err := conn.QueryContext(ctx, stmt)
	if err == nil {
		err = rows.Close()
	}
	if err != nil {
		if strings.Contains(err.Error(), "no such table") || strings.Contains(err.Error(), "unknown database") {
			return stmt, "", &checkError{notFound: true, object: object, what: "table", cause: err}
		}
		return stmt, "", err
	}
	return stmt, fmt.Sprintf("may read the table %s", strings.Join(parts, ".")), nil
}

func sqliteErrorOf(err error) (code, msg string, ok bool) {
	var se sqlite3.Error
	if errors.As(err, &se) {
		name := map[sqlite3.ErrNo]string{
			sqlite3.ErrNotADB: "SQLITE_NOTADB", sqlite3.ErrCantOpen: "SQLITE_CANTOPEN", sqlite3.ErrCorrupt: "SQLITE_CORRUPT",
			sqlite3.ErrPerm: "SQLITE_PERM", sqlite3.ErrAuth: "SQLITE_AUTH", sqlite3.ErrBusy: "SQLITE_BUSY",
			sqlite3.ErrError: "SQLITE_ERROR", sqlite3.ErrReadonly: "SQLITE_READONLY",
		}[se.Code]
		if name == "" {
			name = fmt.Sprintf("SQLITE_%d", int(se.Code))
		}
		return name, se.Error(), true
	}
	return "", "", false
}
