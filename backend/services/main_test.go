package services

import (
	"os"
	"testing"

	"patchbay/backend/connections/connectionstest"
)

// databases are the real PostgreSQL and MariaDB servers of this package's
// database connection tests, started once, on first use (the other tests
// do not wait for them), and stopped after the last test.
var databases = connectionstest.Databases()

func TestMain(m *testing.M) {
	code := m.Run()
	databases.Close()
	os.Exit(code)
}
