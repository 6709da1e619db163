package dbcheck_test

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/dbcheck"
)

// realSQLite makes a real database file with one table.
func realSQLite(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "app data?#%.db") // characters SQLite URIs give meaning to
	// SQLite reads ? # and % in a file name as URI syntax: escape them.
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(path)
	db, err := sql.Open("sqlite3", "file:"+esc+"?mode=rwc")
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders (total) VALUES (9.5)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	return path
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(data)
}

func sqliteCheck(t *testing.T, path, object string) dbcheck.Outcome {
	t.Helper()
	return check(t, catalog.EngineSQLite, map[string]string{catalog.KeyPath: path, catalog.KeyCheckObject: object}, "")
}

func TestSQLiteRealFileReadOnly(t *testing.T) {
	dir := t.TempDir()
	path := realSQLite(t, dir)
	before := fileSum(t, path)
	info, err := os.Stat(path)
	require.NoError(t, err)

	out := sqliteCheck(t, path, "orders")
	require.Equal(t, verify.Connected, out.Status, out.Summary)
	require.Contains(t, out.Summary, "read-only")
	require.Contains(t, out.Summary, "may read the table orders")
	require.NotEmpty(t, out.ServerVersion)
	require.Equal(t, []string{"open:ok", "ping:ok", "version:ok", "permission:ok"}, stepNames(out))
	require.Equal(t, path, out.Exchange.Database.Path)
	require.Contains(t, out.Exchange.URL, "mode=ro")

	// The file is untouched and nothing was created beside it.
	require.Equal(t, before, fileSum(t, path))
	after, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, info.ModTime(), after.ModTime())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no journal, WAL or new file next to the database")

	missing := sqliteCheck(t, path, "customers")
	require.Equal(t, verify.Unreachable, missing.Status)
	require.Equal(t, verify.CodeObjectNotFound, missing.Code, missing.Summary)
	require.Equal(t, catalog.KeyCheckObject, missing.Field)
}

func TestSQLiteMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gone.db")
	out := sqliteCheck(t, path, "")
	require.Equal(t, verify.Unreachable, out.Status)
	require.Equal(t, verify.CodeFileNotFound, out.Code, out.Summary)
	require.Equal(t, catalog.KeyPath, out.Field)
	require.Equal(t, []string{"open:failed"}, stepNames(out))
	_, err := os.Stat(path)
	require.ErrorIs(t, err, os.ErrNotExist, "a check never creates the file")
}

func TestSQLiteNotADatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notes.db")
	require.NoError(t, os.WriteFile(path, []byte("These are my notes, not a database. They are long enough to fill a header page or so.\n"), 0o600))
	before := fileSum(t, path)
	out := sqliteCheck(t, path, "")
	require.Equal(t, verify.Unreachable, out.Status)
	require.Equal(t, verify.CodeNotADatabase, out.Code, out.Summary)
	require.Equal(t, catalog.KeyPath, out.Field)
	require.Equal(t, "SQLITE_NOTADB", out.Exchange.Database.ErrorCode)
	require.Equal(t, before, fileSum(t, path))

	folder := sqliteCheck(t, dir, "")
	require.Equal(t, verify.CodeNotADatabase, folder.Code, folder.Summary)
	require.Contains(t, folder.Summary, "folder")
}

func TestSQLiteRelativePathIsRefused(t *testing.T) {
	_, err := dbcheck.FromSettings(catalog.EngineSQLite, map[string]string{catalog.KeyPath: "data/app.db"}, "", time.Second)
	requireField(t, err, catalog.KeyPath)
	_, err = dbcheck.FromSettings(catalog.EngineSQLite, map[string]string{}, "", time.Second)
	requireField(t, err, catalog.KeyPath)
}
