package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// openTestStore opens a fresh database file in a temp dir, with a clock the
// test controls.
func openTestStore(t *testing.T) (*Store, *testClock, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "patchbay.db")
	s, err := Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	clock := &testClock{t: time.Date(2025, 3, 4, 5, 6, 7, 123456789, time.FixedZone("CET", 3600))}
	s.now = clock.now
	return s, clock, path
}

type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// rawDB opens path with the store's own DSN but runs no migrations, for
// building databases at older schema versions.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := openDB(path)
	require.NoError(t, err)
	return db
}

func mustExec(t *testing.T, db *sql.DB, query string, args ...any) {
	t.Helper()
	_, err := db.ExecContext(context.Background(), query, args...)
	require.NoError(t, err, query)
}

func newConnection(id, connectorID, name string) Connection {
	return Connection{
		ID:          id,
		WorkspaceID: DefaultWorkspaceID,
		ConnectorID: connectorID,
		Name:        name,
		Environment: "Sandbox",
		AuthType:    "api_key",
		BaseURL:     "https://api.example.com",
		Settings:    map[string]string{"region": "eu"},
	}
}

// addIntegration inserts an integration and its slots with plain SQL (the
// store has no integration API yet). slots maps role to connection id.
func addIntegration(t *testing.T, db *sql.DB, id, name string, active bool, slots map[string]string) {
	t.Helper()
	mustExec(t, db, `INSERT INTO integrations (id, workspace_id, name, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, '2025-01-01T00:00:00.000000000Z', '2025-01-01T00:00:00.000000000Z')`,
		id, DefaultWorkspaceID, name, active)
	for role, connID := range slots {
		var connectorID string
		require.NoError(t, db.QueryRow("SELECT connector_id FROM connections WHERE id = ?", connID).Scan(&connectorID))
		mustExec(t, db, `INSERT INTO integration_slots (integration_id, role, connector_id, connection_id)
			VALUES (?, ?, ?, ?)`, id, role, connectorID, connID)
	}
}
