package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

// seedAt[v] holds rows representative of schema version v: it runs right
// after migration v while an older database is built, the way a real user's
// data accumulates. When you add migration N, add seedAt[N] filling what N
// adds; TestEverySchemaVersionHasSeed fails until you do, and
// TestOpenUpgradesEveryOlderVersion then proves the rows survive every later
// migration.
var seedAt = map[int]string{
	1: `
INSERT INTO workspaces (id, name, created_at) VALUES ('ws-team', 'Équipe 東京', '2024-05-06T07:08:09.000000001Z');
INSERT INTO connections (id, workspace_id, connector_id, name, environment, auth_type, base_url,
    settings_json, secret_ref, secret_fields_json, timeout_seconds, status, diagnosis, identity,
    checked_at, created_at, updated_at)
VALUES
    ('seed-conn-1', 'personal', 'zendesk', 'Support — prod', 'Production', 'api_token',
     'https://acme.zendesk.com', '{"subdomain":"acme","note":"naïve 😀 \"quoted\"\nline"}', 'patchbay:seed-conn-1',
     '["api_token"]', 30, 'connected', 'Signed in.', 'agent@acme.example', '2024-05-06T07:08:10.000000000Z',
     '2024-05-06T07:08:09.000000000Z', '2024-05-06T07:08:09.500000000Z'),
    ('seed-conn-2', 'personal', 'postgres', 'Warehouse', 'Sandbox', 'password',
     '', '{}', '', '[]', 0, 'unverified', '', '', NULL,
     '2024-05-06T07:08:09.000000000Z', '2024-05-06T07:08:09.000000000Z'),
    ('seed-conn-3', 'ws-team', 'zendesk', 'Support — prod', '', 'oauth2',
     '', '{}', 'patchbay:seed-conn-3', '["access_token","refresh_token"]', 10, 'disconnected',
     'The token expired and could not be refreshed.', '', '2024-05-06T07:08:11.000000000Z',
     '2024-05-06T07:08:09.000000000Z', '2024-05-06T07:08:09.000000000Z');
INSERT INTO integrations (id, workspace_id, name, description, active, created_at, updated_at)
VALUES ('seed-int-1', 'personal', 'Tickets to warehouse', 'nightly', 1,
        '2024-05-06T07:08:12.000000000Z', '2024-05-06T07:08:12.000000000Z'),
       ('seed-int-2', 'personal', 'Draft', '', 0,
        '2024-05-06T07:08:12.000000000Z', '2024-05-06T07:08:12.000000000Z');
INSERT INTO integration_slots (integration_id, role, connector_id, connection_id)
VALUES ('seed-int-1', 'source', 'zendesk', 'seed-conn-1'),
       ('seed-int-1', 'destination', 'postgres', 'seed-conn-2'),
       ('seed-int-2', 'source', 'zendesk', NULL);
INSERT INTO secret_refs (ref, connection_id, created_at)
VALUES ('patchbay:seed-conn-1', 'seed-conn-1', '2024-05-06T07:08:09.000000000Z'),
       ('patchbay:gone', 'gone', '2024-05-06T07:08:09.000000000Z');
INSERT INTO app_settings (key, value) VALUES ('theme', 'dark'), ('último', 'ñandú 🦤');
`,
	2: `
INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, error_class, total_ms, detail_json)
VALUES ('seed-ex-1', 'seed-run-1', 'seed-conn-1', 'personal', 'http', '2024-05-06T07:08:10.000000000Z',
        '2024-05-06T07:08:10.250000000Z', 'GET', 'https://acme.zendesk.com/api/v2/users/me.json', 200, '',
        212.5, '{"request":{"headers":{"Authorization":["[REDACTED]"]}},"note":"é 😀"}'),
       ('seed-ex-2', 'seed-run-2', 'draft-not-saved', '', 'http', '2024-05-06T07:09:00.000000000Z',
        '2024-05-06T07:09:05.000000000Z', 'GET', 'https://unreachable.example/', 0, 'timeout',
        5000, '{}');
`,
	3: `
INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, status_text, error_class, error, total_ms, response_body_size, size_bytes, detail_json)
VALUES ('seed-ex-3', 'seed-run-3', 'seed-conn-1', 'personal', 'test', '2024-05-07T07:08:10.000000000Z',
        '2024-05-07T07:08:10.250000000Z', 'GET', 'https://acme.zendesk.com/api/v2/users/me.json', 401, 'Unauthorized',
        '', '', 98.25, 37, 310,
        '{"requestHeaders":[{"name":"Authorization","value":"Basic [redacted 24]"}],"responseHeaders":[{"name":"Www-Authenticate","value":"Basic realm=\"Zendesk\""}],"responseBody":"{\"error\":\"Couldn''t authenticate you\"}","note":"é 😀"}');
`,
	// 4: status_class knows database attempts ('ok' without a status).
	4: `
INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, status_text, error_class, error, total_ms, response_body_size, size_bytes, detail_json)
VALUES ('seed-ex-4a', 'seed-run-4', 'seed-conn-2', 'personal', 'database', '2024-05-08T07:08:10.000000000Z',
        '2024-05-08T07:08:10.050000000Z', 'CONNECT', 'postgresql://db.example:5432/warehouse?sslmode=require', 0, '',
        '', '', 42.5, 0, 120,
        '{"database":{"engine":"postgresql","host":"db.example","port":5432,"user":"ada","steps":[{"name":"connect","status":"ok","startMs":0,"durationMs":1.5}]}}'),
       ('seed-ex-4b', 'seed-run-4b', 'seed-conn-2', 'personal', 'database', '2024-05-08T07:09:10.000000000Z',
        '2024-05-08T07:09:10.050000000Z', 'CONNECT', 'postgresql://db.example:5432/warehouse', 0, '',
        'auth', 'password authentication failed for user "ada" (28P01)', 12.5, 0, 90,
        '{"database":{"engine":"postgresql","errorCode":"28P01","steps":[]}}');
`,
	// 5: workspace names are unique whatever their case.
	5: `
INSERT INTO workspaces (id, name, created_at) VALUES ('ws-client', 'Client Ç — sandbox', '2024-05-09T07:08:09.000000000Z');
`,
	// 6: the search index deletes securely; a trim deletes through it.
	6: `
DELETE FROM exchanges WHERE id = 'seed-ex-4b';
`,
	// 7: runs keep their verdict; a later exchange of the run keeps it.
	7: `
UPDATE exchange_runs SET verdict = 'limited', verdict_code = 'forbidden', verdict_summary = 'Acme accepted the credentials, but they lack permission for GET /v1/reports (403 Forbidden).'
 WHERE run_id = (SELECT min(run_id) FROM exchange_runs);
`,
	// 8: the log's totals and per-connection run counts follow new rows.
	8: `
INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, status_text, error_class, error, total_ms, response_body_size, size_bytes, detail_json)
VALUES ('seed-ex-8', 'seed-run-8', 'seed-conn-2', 'personal', 'test', '2024-05-10T07:08:10.000000000Z',
        '2024-05-10T07:08:10.050000000Z', 'GET', 'https://warehouse.example/health', 200, 'OK',
        '', '', 10.5, 2, 64, '{"responseBody":"ok","note":"ñ"}');
`,
	9: `
INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, status_text, error_class, error, total_ms, response_body_size, size_bytes, detail_json)
VALUES ('seed-ex-9', 'seed-run-9', 'seed-conn-1', 'personal', 'test', '2024-05-09T07:08:10.000000000Z',
        '2024-05-11T07:08:10.050000000Z', 'GET', 'https://acme.zendesk.com/api/v2/users/me.json', 401, 'Unauthorized',
        'http', '', 12.0, 2, 64, '{"responseBody":"no","note":"late clock"}');
`,
	// 10: a connection deleted with Undo offered: its row is gone, its
	// journal entry and keychain account wait for the delete to finish.
	10: `
INSERT INTO secret_refs (ref, connection_id, created_at)
VALUES ('patchbay:seed-conn-gone.1a2b', 'seed-conn-gone', '2024-05-12T07:08:09.000000000Z');
INSERT INTO pending_deletes (connection_id, workspace_id, secret_ref, deleted_at, undo_until)
VALUES ('seed-conn-gone', 'personal', 'patchbay:seed-conn-gone.1a2b', '2024-05-12T07:08:10.000000000Z',
        '2024-05-12T07:08:20.000000000Z');
`,
}

func embedded(t *testing.T) []migration {
	t.Helper()
	ms, err := loadMigrations(embeddedMigrations, "migrations")
	require.NoError(t, err)
	return ms
}

// buildAt makes the database at path be at schema version k with the seeds
// of versions 1..k, by applying migrations one at a time.
func buildAt(t *testing.T, path string, ms []migration, k int) {
	t.Helper()
	db := rawDB(t, path)
	defer db.Close()
	for v := 1; v <= k; v++ {
		require.NoError(t, migrate(context.Background(), db, ms, v))
		if seed, ok := seedAt[v]; ok {
			mustExec(t, db, seed)
		}
	}
	got, err := userVersion(context.Background(), db)
	require.NoError(t, err)
	require.Equal(t, k, got)
}

type tableRows struct {
	table string
	cols  []string
	rows  [][]any
}

// snapshot reads every row of every user table.
func snapshot(t *testing.T, db *sql.DB) []tableRows {
	t.Helper()
	// Ordinary tables only: a full-text index (virtual table) and its shadow
	// tables hold derived data that a later migration may legitimately
	// rebuild or merge.
	names, err := db.Query("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	require.NoError(t, err)
	var tables []string
	for names.Next() {
		var n string
		require.NoError(t, names.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, names.Err())
	names.Close()

	var out []tableRows
	for _, table := range tables {
		rows, err := db.Query(fmt.Sprintf("SELECT * FROM %q", table))
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		tr := tableRows{table: table, cols: cols}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			tr.rows = append(tr.rows, vals)
		}
		require.NoError(t, rows.Err())
		rows.Close()
		out = append(out, tr)
	}
	return out
}

// requireSurvived checks that every snapshotted row still exists with the
// same values in the columns that still exist. Matching by value rather than
// rowid lets later migrations add columns or rebuild tables.
func requireSurvived(t *testing.T, db *sql.DB, snap []tableRows) {
	t.Helper()
	for _, tr := range snap {
		info, err := db.Query(fmt.Sprintf("SELECT name FROM pragma_table_info(%s)", quoteLiteral(tr.table)))
		require.NoError(t, err)
		now := map[string]bool{}
		for info.Next() {
			var c string
			require.NoError(t, info.Scan(&c))
			now[c] = true
		}
		require.NoError(t, info.Err())
		info.Close()
		require.NotEmpty(t, now, "table %s disappeared; a migration that drops a table must update this test", tr.table)

		for _, row := range tr.rows {
			var conds []string
			var args []any
			for i, c := range tr.cols {
				if now[c] {
					conds = append(conds, fmt.Sprintf("%q IS ?", c))
					args = append(args, row[i])
				}
			}
			var n int
			q := fmt.Sprintf("SELECT count(*) FROM %q WHERE %s", tr.table, strings.Join(conds, " AND "))
			require.NoError(t, db.QueryRow(q, args...).Scan(&n))
			require.GreaterOrEqual(t, n, 1, "row of %s lost or changed by the upgrade: %v", tr.table, row)
		}
	}
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func TestEmbeddedMigrationsAreNumberedFromOne(t *testing.T) {
	ms := embedded(t)
	require.Equal(t, "001_init.sql", ms[0].name)
	for i, m := range ms {
		require.Equal(t, i+1, m.version, m.name)
	}
}

func TestEverySchemaVersionHasSeed(t *testing.T) {
	for v := 1; v <= len(embedded(t)); v++ {
		_, ok := seedAt[v]
		require.True(t, ok, "add seedAt[%d] with rows representative of migration %d", v, v)
	}
}

func TestOpenFromEmptyReachesLatest(t *testing.T) {
	s, _, path := openTestStore(t)
	ctx := context.Background()
	v, err := s.SchemaVersion(ctx)
	require.NoError(t, err)
	require.Equal(t, len(embedded(t)), v)

	for _, table := range []string{"workspaces", "connections", "integrations", "integration_slots", "secret_refs", "app_settings"} {
		var n int
		require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?", table).Scan(&n))
		require.Equal(t, 1, n, table)
	}

	// Opening again applies nothing and creates no second default workspace.
	require.NoError(t, s.Close())
	s2, err := Open(path)
	require.NoError(t, err)
	defer s2.Close()
	ws, err := s2.ListWorkspaces(ctx)
	require.NoError(t, err)
	require.Len(t, ws, 1)
	require.Equal(t, "Personal", ws[0].Name)
}

// TestOpenUpgradesEveryOlderVersion covers every migration file automatically:
// for each older version k it builds a database at k with representative
// rows, opens it with the store and checks the rows survived.
func TestOpenUpgradesEveryOlderVersion(t *testing.T) {
	ms := embedded(t)
	latest := len(ms)
	for k := 0; k < latest; k++ {
		t.Run(fmt.Sprintf("from_version_%d", k), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "patchbay.db")
			buildAt(t, path, ms, k)
			db := rawDB(t, path)
			snap := snapshot(t, db)
			require.NoError(t, db.Close())

			s, err := Open(path)
			require.NoError(t, err)
			defer s.Close()
			ctx := context.Background()
			v, err := s.SchemaVersion(ctx)
			require.NoError(t, err)
			require.Equal(t, latest, v)
			requireSurvived(t, s.DB(), snap)

			// The upgraded rows are also readable through the API.
			if k >= 1 {
				c, err := s.GetConnection(ctx, "seed-conn-1")
				require.NoError(t, err)
				require.Equal(t, "naïve 😀 \"quoted\"\nline", c.Settings["note"])
				require.Equal(t, []string{"api_token"}, c.SecretFields)
				require.NotNil(t, c.CheckedAt)
				val, ok, err := s.Setting(ctx, "último")
				require.NoError(t, err)
				require.True(t, ok)
				require.Equal(t, "ñandú 🦤", val)
			}
		})
	}
}

// TestMigration003IndexesExistingExchanges upgrades a schema 2 database
// holding exchanges (including rows whose detail lacks fields) and checks the
// new columns, the run totals and the full-text index cover them, and that
// the triggers keep the index in step afterwards.
func TestMigration003IndexesExistingExchanges(t *testing.T) {
	ms := embedded(t)
	path := filepath.Join(t.TempDir(), "patchbay.db")
	buildAt(t, path, ms, 2)
	db := rawDB(t, path)
	// A row as schema 2's connlog wrote it: the whole Exchange as detail_json.
	mustExec(t, db, `INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
		method, url, status, error_class, total_ms, detail_json)
		VALUES ('v2-full', 'seed-run-1', 'seed-conn-1', 'personal', 'test', '2024-05-06T07:08:11.000000000Z',
		'2024-05-06T07:08:11.100000000Z', 'POST', 'https://acme.zendesk.com/api/v2/search?q=x', 500, '', 80,
		json_object('statusText', 'Internal Server Error', 'responseBodySize', 4096, 'error', '',
		  'requestHeaders', json_array(json_object('name', 'X-Trace', 'value', 'zebra-trace-77')),
		  'requestBody', 'hello quokka', 'requestBinary', json('false'),
		  'responseHeaders', json_array(json_object('name', 'Content-Type', 'value', 'application/json')),
		  'responseBody', '{"fault":"pangolin exploded"}', 'responseBinary', json('false')))`)
	require.NoError(t, db.Close())

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	match := func(q string) []string {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, `SELECT e.id FROM exchanges_fts JOIN exchanges e ON e.seq = exchanges_fts.rowid
			WHERE exchanges_fts MATCH ? ORDER BY e.id`, q)
		require.NoError(t, err)
		defer rows.Close()
		ids := []string{}
		for rows.Next() {
			var id string
			require.NoError(t, rows.Scan(&id))
			ids = append(ids, id)
		}
		require.NoError(t, rows.Err())
		return ids
	}
	tests := []struct{ query, want string }{
		{"zendesk", "seed-ex-1 v2-full"},  // URL
		{"zebra", "v2-full"},              // request header value
		{"quokka", "v2-full"},             // request body
		{"pangolin", "v2-full"},           // response body
		{"unreachable", "seed-ex-2"},      // URL of a row with an empty detail
		{`"application json"`, "v2-full"}, // response header
		{"nothingmatchesthis", ""},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, strings.Join(match(tt.query), " "), tt.query)
	}

	type row struct {
		class, text, err string
		size, bytes      int64
	}
	got := map[string]row{}
	rows, err := s.DB().QueryContext(ctx, `SELECT id, status_class, status_text, error, response_body_size, size_bytes FROM exchanges`)
	require.NoError(t, err)
	for rows.Next() {
		var id string
		var r row
		require.NoError(t, rows.Scan(&id, &r.class, &r.text, &r.err, &r.size, &r.bytes))
		got[id] = r
	}
	require.NoError(t, rows.Err())
	rows.Close()
	require.Equal(t, "2xx", got["seed-ex-1"].class)
	require.Equal(t, "error", got["seed-ex-2"].class, "no response and a timeout")
	require.Equal(t, row{class: "5xx", text: "Internal Server Error", size: 4096, bytes: got["v2-full"].bytes}, got["v2-full"])
	require.Positive(t, got["v2-full"].bytes)

	var runs, total, exchanges int64
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*), sum(bytes), sum(exchanges) FROM exchange_runs`).Scan(&runs, &total, &exchanges))
	var want int64
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT sum(size_bytes) FROM exchanges`).Scan(&want))
	require.Equal(t, int64(2), runs, "seed-run-1 (two exchanges) and seed-run-2")
	require.Equal(t, int64(3), exchanges)
	require.Equal(t, want, total)

	// The triggers keep the index and the totals in step from now on.
	_, err = s.DB().ExecContext(ctx, `DELETE FROM exchanges WHERE id = 'v2-full'`)
	require.NoError(t, err)
	require.Empty(t, match("pangolin"))
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*), sum(exchanges) FROM exchange_runs`).Scan(&runs, &exchanges))
	require.Equal(t, int64(2), runs)
	require.Equal(t, int64(2), exchanges)
	_, err = s.DB().ExecContext(ctx, `DELETE FROM exchanges WHERE run_id = 'seed-run-2'`)
	require.NoError(t, err)
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM exchange_runs`).Scan(&runs))
	require.Equal(t, int64(1), runs, "a run with no exchanges left is gone")
	require.Equal(t, []string{"seed-ex-1"}, match("zendesk"))
}

// TestMigration008CountsExistingExchanges upgrades a schema 7 database
// holding exchanges and checks the new totals (the log's size, each
// connection's runs) start at what the rows say and that the triggers keep
// them there as runs come and go.
func TestMigration008CountsExistingExchanges(t *testing.T) {
	ms := embedded(t)
	path := filepath.Join(t.TempDir(), "patchbay.db")
	buildAt(t, path, ms, 7)
	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	requireTotals := func(why string) {
		t.Helper()
		var n, bytes, wantN, wantBytes int64
		require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT exchanges, bytes FROM exchange_totals`).Scan(&n, &bytes))
		require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*), coalesce(sum(size_bytes), 0) FROM exchanges`).Scan(&wantN, &wantBytes))
		require.Equal(t, wantN, n, why)
		require.Equal(t, wantBytes, bytes, why)
		rows, err := s.DB().QueryContext(ctx, `SELECT r.connection_id, r.n, coalesce(c.runs, 0) FROM
			(SELECT connection_id, count(*) AS n FROM exchange_runs GROUP BY connection_id) r
			LEFT JOIN exchange_connections c USING (connection_id)`)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var conn string
			var want, got int
			require.NoError(t, rows.Scan(&conn, &want, &got))
			require.Equal(t, want, got, "%s: runs of %s", why, conn)
		}
		require.NoError(t, rows.Err())
		var stale int
		require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT count(*) FROM exchange_connections c
			WHERE NOT EXISTS (SELECT 1 FROM exchange_runs r WHERE r.connection_id = c.connection_id)`).Scan(&stale))
		require.Zero(t, stale, "%s: a connection without runs keeps no count", why)
	}
	requireTotals("after the upgrade")
	var before int64
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT exchanges FROM exchange_totals`).Scan(&before))
	require.Positive(t, before, "the seeds hold exchanges")

	_, err = s.DB().ExecContext(ctx, `INSERT INTO exchanges (id, run_id, connection_id, started_at, recorded_at, size_bytes, detail_json)
		VALUES ('n-1', 'new-run', 'seed-conn-2', '2024-06-01T00:00:00.000000000Z', '2024-06-01T00:00:00.000000000Z', 100, '{}'),
		       ('n-2', 'new-run', 'seed-conn-2', '2024-06-01T00:00:01.000000000Z', '2024-06-01T00:00:01.000000000Z', 50, '{}'),
		       ('n-3', 'other-run', 'new-conn', '2024-06-01T00:00:02.000000000Z', '2024-06-01T00:00:02.000000000Z', 7, '{}')`)
	require.NoError(t, err)
	requireTotals("after inserts")
	_, err = s.DB().ExecContext(ctx, `DELETE FROM exchanges WHERE id IN ('n-1', 'n-3')`)
	require.NoError(t, err)
	requireTotals("after deleting part of a run and a whole connection")
	_, err = s.DB().ExecContext(ctx, `DELETE FROM exchanges`)
	require.NoError(t, err)
	requireTotals("after deleting everything")
}

// TestSeedsApplyAtTheirVersion keeps every seed valid against the schema it
// targets, including the newest (which the upgrade test only uses once a
// later migration exists).
func TestSeedsApplyAtTheirVersion(t *testing.T) {
	ms := embedded(t)
	path := filepath.Join(t.TempDir(), "patchbay.db")
	buildAt(t, path, ms, len(ms))
	db := rawDB(t, path)
	defer db.Close()
	var n int
	require.NoError(t, db.QueryRow("SELECT count(*) FROM connections").Scan(&n))
	require.Equal(t, 3, n)
}

// 001 plus a synthetic 002, to exercise in-place upgrades before a real 002
// exists.
func withSecond(t *testing.T, second string) fstest.MapFS {
	t.Helper()
	init, err := embeddedMigrations.ReadFile("migrations/001_init.sql")
	require.NoError(t, err)
	return fstest.MapFS{
		"m/001_init.sql":   {Data: init},
		"m/002_second.sql": {Data: []byte(second)},
	}
}

// rebuildIntegrations is SQLite's table-rebuild pattern (add a column the
// long way). integration_slots cascades from integrations, so dropping the old
// table with foreign keys on would delete every slot.
const rebuildIntegrations = `
CREATE TABLE integrations_new (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    description  TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    schedule     TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);
INSERT INTO integrations_new (id, workspace_id, name, description, active, created_at, updated_at)
    SELECT id, workspace_id, name, description, active, created_at, updated_at FROM integrations;
DROP TABLE integrations;
ALTER TABLE integrations_new RENAME TO integrations;
`

func TestUpgradeInPlaceWithLaterMigration(t *testing.T) {
	tests := []struct {
		name      string
		second    string
		wantSlots int
	}{
		{"add column", "ALTER TABLE workspaces ADD COLUMN color TEXT NOT NULL DEFAULT 'blue';", 3},
		{"table rebuild with foreign keys off", foreignKeysOffDirective + "\n" + rebuildIntegrations, 3},
		// Shows why the directive exists: the same rebuild with foreign keys
		// on silently loses the dependent rows.
		{"table rebuild with foreign keys on", rebuildIntegrations, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(withSecond(t, tt.second), "m")
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "patchbay.db")
			buildAt(t, path, ms, 1)

			s, err := openWith(path, ms)
			require.NoError(t, err)
			defer s.Close()
			v, err := s.SchemaVersion(context.Background())
			require.NoError(t, err)
			require.Equal(t, 2, v)

			var slots int
			require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM integration_slots").Scan(&slots))
			require.Equal(t, tt.wantSlots, slots)
			c, err := s.GetConnection(context.Background(), "seed-conn-1")
			require.NoError(t, err)
			require.Equal(t, "Support — prod", c.Name)

			// Foreign keys are back on for every connection, including the
			// one the migration ran on.
			s.DB().SetMaxOpenConns(1)
			var fk int
			require.NoError(t, s.DB().QueryRow("PRAGMA foreign_keys").Scan(&fk))
			require.Equal(t, 1, fk)
		})
	}
}

func TestFailedMigrationChangesNothing(t *testing.T) {
	tests := []struct {
		name    string
		second  string
		wantErr string
	}{
		{"statement fails half way", "CREATE TABLE half_done (a TEXT);\nINSERT INTO no_such_table VALUES (1);", "no such table"},
		{"leaves a broken reference", foreignKeysOffDirective + "\nCREATE TABLE half_done (a TEXT);\n" +
			"INSERT INTO integration_slots (integration_id, role, connector_id) VALUES ('no-such-integration', 'source', 'x');",
			"broken references"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(withSecond(t, tt.second), "m")
			require.NoError(t, err)
			path := filepath.Join(t.TempDir(), "patchbay.db")
			buildAt(t, path, ms, 1)

			_, err = openWith(path, ms)
			require.ErrorContains(t, err, tt.wantErr)
			require.ErrorContains(t, err, "002_second.sql")

			db := rawDB(t, path)
			defer db.Close()
			v, err := userVersion(context.Background(), db)
			require.NoError(t, err)
			require.Equal(t, 1, v)
			var n int
			require.NoError(t, db.QueryRow("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").Scan(&n))
			require.Zero(t, n)
			require.NoError(t, db.QueryRow("SELECT count(*) FROM integration_slots WHERE integration_id = 'no-such-integration'").Scan(&n))
			require.Zero(t, n)
		})
	}
}

func TestOpenRefusesNewerDatabase(t *testing.T) {
	_, _, path := openTestStore(t)
	latest := len(embedded(t))
	db := rawDB(t, path)
	mustExec(t, db, fmt.Sprintf("PRAGMA user_version = %d", latest+1))
	require.NoError(t, db.Close())

	_, err := Open(path)
	require.Error(t, err)
	require.True(t, errors.Is(err, ErrSchemaTooNew))
	require.Equal(t, apperr.Internal, apperr.CodeOf(err))
	require.Contains(t, err.Error(), fmt.Sprintf("schema %d; this version knows up to %d", latest+1, latest))

	db = rawDB(t, path)
	defer db.Close()
	v, err := userVersion(context.Background(), db)
	require.NoError(t, err)
	require.Equal(t, latest+1, v, "a refused database must be left as it was")
}

func TestLoadMigrations(t *testing.T) {
	sql := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name     string
		files    fstest.MapFS
		want     []int
		wantFKOf []bool
		wantErr  string
	}{
		{"ordered, other files ignored", fstest.MapFS{
			"m/002_b.sql": sql(foreignKeysOffDirective + "\nSELECT 2;"),
			"m/001_a.sql": sql("SELECT 1;"),
			"m/README.md": sql("not a migration"),
		}, []int{1, 2}, []bool{false, true}, ""},
		{"gap", fstest.MapFS{"m/001_a.sql": sql("SELECT 1;"), "m/003_c.sql": sql("SELECT 3;")}, nil, nil, "expected number 2"},
		{"duplicate number", fstest.MapFS{"m/001_a.sql": sql("SELECT 1;"), "m/001_b.sql": sql("SELECT 1;")}, nil, nil, "share number 1"},
		{"not starting at one", fstest.MapFS{"m/002_b.sql": sql("SELECT 2;")}, nil, nil, "expected number 1"},
		{"unnumbered name", fstest.MapFS{"m/init.sql": sql("SELECT 1;")}, nil, nil, "NNN_description.sql"},
		{"number zero", fstest.MapFS{"m/000_a.sql": sql("SELECT 1;")}, nil, nil, "NNN >= 1"},
		{"empty file", fstest.MapFS{"m/001_a.sql": sql(" \n")}, nil, nil, "is empty"},
		{"no files", fstest.MapFS{"m/README.md": sql("x")}, nil, nil, "no migrations"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := loadMigrations(tt.files, "m")
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			var got []int
			var fk []bool
			for _, m := range ms {
				got = append(got, m.version)
				fk = append(fk, m.foreignKeysOff)
			}
			require.Equal(t, tt.want, got)
			require.Equal(t, tt.wantFKOf, fk)
		})
	}
}

func TestOpenRefusesFileThatIsNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	junk := []byte(strings.Repeat("this is a text file, not SQLite\n", 200))
	require.NoError(t, os.WriteFile(path, junk, 0o600))

	_, err := Open(path)
	require.ErrorContains(t, err, "is not a Patchbay database")
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, junk, got, "the file must be left untouched")
}

// TestMigration009MarksTheLatestStartUpToEachBlock upgrades a schema 8
// database whose exchanges were stored out of start order across several
// blocks of 64 seqs, and checks each block's upto_max is the latest start
// in it or any block below, before and after new rows arrive.
func TestMigration009MarksTheLatestStartUpToEachBlock(t *testing.T) {
	ms := embedded(t)
	path := filepath.Join(t.TempDir(), "patchbay.db")
	buildAt(t, path, ms, 8)
	db := rawDB(t, path)
	// Block 2 started latest; block 5 holds a row whose clock was behind.
	mustExec(t, db, `INSERT INTO exchanges (seq, id, run_id, connection_id, started_at, recorded_at, size_bytes, detail_json) VALUES
		(130, 'b2', 'r', 'seed-conn-2', '2024-07-01T00:00:00.000000000Z', '2024-07-01T00:00:00.000000000Z', 1, '{}'),
		(330, 'b5', 'r', 'seed-conn-2', '2024-06-01T00:00:00.000000000Z', '2024-07-02T00:00:00.000000000Z', 1, '{}')`)
	require.NoError(t, db.Close())

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()
	requireRunningMax := func(why string) {
		t.Helper()
		rows, err := s.DB().QueryContext(ctx, `SELECT block, upto_max,
			(SELECT max(max_started) FROM exchange_marks b WHERE b.block <= m.block) FROM exchange_marks m ORDER BY block`)
		require.NoError(t, err)
		defer rows.Close()
		n := 0
		for rows.Next() {
			var block int
			var got, want string
			require.NoError(t, rows.Scan(&block, &got, &want))
			require.Equal(t, want, got, "%s: block %d", why, block)
			n++
		}
		require.NoError(t, rows.Err())
		require.GreaterOrEqual(t, n, 3, "%s: the rows span several blocks", why)
	}
	requireRunningMax("after the upgrade")

	_, err = s.DB().ExecContext(ctx, `INSERT INTO exchanges (id, run_id, connection_id, started_at, recorded_at, size_bytes, detail_json)
		VALUES ('late', 'r2', 'seed-conn-2', '2024-05-01T00:00:00.000000000Z', '2024-07-03T00:00:00.000000000Z', 1, '{}')`)
	require.NoError(t, err)
	var upto string
	require.NoError(t, s.DB().QueryRowContext(ctx, `SELECT upto_max FROM exchange_marks ORDER BY block DESC LIMIT 1`).Scan(&upto))
	require.Equal(t, "2024-07-01T00:00:00.000000000Z", upto, "a row with an early clock keeps the latest start below it")
	requireRunningMax("after a new row")
}
