package services

import (
	"os"
	"testing"

	"patchbay/backend/verify/dbcheck/dbtest"
)

// databases are the real PostgreSQL and MariaDB servers of this package's
// database connection tests, started once, on first use (the other tests
// do not wait for them), and stopped after the last test.
var databases = &dbtest.Shared{
	Options: dbtest.Options{Database: "app", User: "app", Password: "app-Pw-0815"},
	SetupPostgres: func(s *dbtest.Server) error {
		return s.AdminIn("app", `CREATE TABLE public.orders (id int)`, `CREATE TABLE public.payroll (id int)`,
			`GRANT SELECT ON public.orders TO app`)
	},
}

func TestMain(m *testing.M) {
	code := m.Run()
	databases.Close()
	os.Exit(code)
}
