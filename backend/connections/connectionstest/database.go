package connectionstest

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections"
	"patchbay/backend/verify/dbcheck/dbtest"
)

// Databases are the real PostgreSQL and MariaDB servers of a test
// package's database connection tests, started on first use (the other
// tests do not wait for them). The package's TestMain calls Close after
// m.Run. The app user may read public.orders, not public.payroll.
func Databases() *dbtest.Shared {
	return &dbtest.Shared{
		Options: dbtest.Options{Database: "app", User: "app", Password: "app-Pw-0815"},
		SetupPostgres: func(s *dbtest.Server) error {
			return s.AdminIn("app", `CREATE TABLE public.orders (id int)`, `CREATE TABLE public.payroll (id int)`,
				`GRANT SELECT ON public.orders TO app`)
		},
	}
}

// PGDraft is a PostgreSQL connection to srv as the app user.
func PGDraft(srv *dbtest.Server, name, password string) connections.Draft {
	return connections.Draft{
		ConnectorID: "postgresql", Name: name, Environment: "Sandbox", AuthType: "password",
		Settings: map[string]string{"host": srv.Host, "port": strconv.Itoa(srv.Port), "database": srv.Database,
			"username": srv.User, "sslMode": "prefer", "connectTimeout": "5"},
		Secrets: map[string]string{"password": password},
	}
}

// SQLiteFile creates a SQLite database file with a table orders, alone in
// a temp dir, and returns its path.
func SQLiteFile(t testing.TB) string {
	path := filepath.Join(t.TempDir(), "shop.sqlite")
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec(`CREATE TABLE orders (id INTEGER)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	return path
}
