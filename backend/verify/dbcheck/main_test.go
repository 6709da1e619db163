package dbcheck_test

import (
	"os"
	"testing"

	"patchbay/backend/verify/dbcheck/dbtest"
)

// servers are the real PostgreSQL and MariaDB of this package's tests,
// started once on first use (about a second each) and stopped after the
// last test.
var servers = &dbtest.Shared{
	Options: dbtest.Options{Database: "app", User: "app", Password: "app-Pw-4711", RequireTLSFor: []string{"tls_user"}},
	SetupPostgres: func(s *dbtest.Server) error {
		if err := s.Admin(
			`CREATE ROLE reader LOGIN PASSWORD 'reader-Pw-4711'`,
			`CREATE ROLE wide LOGIN PASSWORD 'wide-Pw-4711'`,
			`CREATE DATABASE closed`,
			`REVOKE CONNECT ON DATABASE closed FROM PUBLIC`,
		); err != nil {
			return err
		}
		return s.AdminIn("app",
			`CREATE TABLE public.orders (id int)`,
			`CREATE TABLE public.secrets (id int)`,
			`CREATE SCHEMA sales`,
			`CREATE TABLE sales.leads (id int)`,
			`CREATE SCHEMA open_data`,
			`GRANT SELECT ON public.orders TO reader`,
			`GRANT USAGE ON SCHEMA open_data TO reader`,
		)
	},
	SetupMariaDB: func(s *dbtest.Server) error {
		return s.Admin(
			"CREATE TABLE app.orders (id int)",
			"CREATE TABLE app.secrets (id int)",
			"CREATE DATABASE other",
			"CREATE USER 'reader'@'%' IDENTIFIED BY 'reader-Pw-4711'",
			"GRANT SELECT ON app.orders TO 'reader'@'%'",
			// MySQL says a database does not exist (1049) only to a user
			// with privileges beyond it; to others it is access denied.
			"CREATE USER 'wide'@'%' IDENTIFIED BY 'wide-Pw-4711'",
			"GRANT SELECT ON *.* TO 'wide'@'%'",
		)
	},
}

func TestMain(m *testing.M) {
	code := m.Run()
	servers.Close()
	os.Exit(code)
}
